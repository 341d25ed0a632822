package tco

import (
	"os/exec"
	"strings"
	"testing"
)

// TestEngineIsPure proves the engine imports no adapter: no SQL, no HTTP,
// no echo, no logging (style.md habit 1).
func TestEngineIsPure(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 5 {
		t.Fatalf("go list returned too little: %v", deps)
	}
	for _, dep := range deps {
		switch {
		case dep == "database/sql", dep == "net/http", dep == "log/slog", dep == "log",
			strings.Contains(dep, "labstack/echo"), strings.Contains(dep, "sqlite"):
			t.Errorf("the engine depends on %s", dep)
		case strings.HasPrefix(dep, "vendor/"):
			// the standard library's own vendored packages
		case strings.Contains(dep, "."), strings.HasPrefix(dep, "vendorcompare/"):
			// report/words is the one home of wording (plurals, grouping) and
			// imports only the standard library, checked by this same walk.
			if dep != "github.com/shopspring/decimal" && dep != "vendorcompare/internal/tco" && dep != "vendorcompare/internal/report/words" {
				t.Errorf("the engine depends on %s: only the standard library, shopspring/decimal and report/words are allowed", dep)
			}
		}
	}
}
