package web

import (
	"os/exec"
	"strings"
	"testing"
)

// TestWebRunsNoSQL proves the web layer (this package and those under it)
// runs no SQL of its own: neither it nor any package of this module it
// builds on, the store aside, imports database/sql or a SQLite driver.
// Sessions live behind scs's store interface in internal/store.
func TestWebRunsNoSQL(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}{{range .Imports}} {{.}}{{end}}", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	seen := false
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		pkg, imports := f[0], f[1:]
		if pkg == "vendorcompare/internal/web" {
			seen = true
		}
		if !strings.HasPrefix(pkg, "vendorcompare/") || pkg == "vendorcompare/internal/store" {
			continue
		}
		for _, imp := range imports {
			if imp == "database/sql" || strings.Contains(imp, "sqlite") {
				t.Errorf("%s imports %s: SQL belongs in internal/store", pkg, imp)
			}
		}
	}
	if !seen {
		t.Fatalf("go list did not list the web package:\n%s", out)
	}
}
