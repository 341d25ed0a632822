package ui

import (
	"io/fs"
	"strings"
	"testing"
)

// myPages are the pages of the evaluations list, dashboard, monthly table
// and board pack; every page found in templates/ must parse, and these
// must be among them.
var myPages = []string{"dashboard", "error", "evaluations", "monthly", "notready", "print"}

// TestTemplatesRegistered: every page template in templates/ is parsed
// with its layout and the partials at start-up, and each of them defines
// what the layout needs; an unknown page name is an error, not a blank page.
func TestTemplatesRegistered(t *testing.T) {
	t.Parallel()
	u, err := New(Deps{})
	if err != nil {
		t.Fatal(err)
	}
	names := u.pages.Names()
	sub, _ := fs.Sub(templateFS, "templates")
	files, err := fs.Glob(sub, "*.html")
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, f := range files {
		if !strings.HasPrefix(f, "_") {
			want++
			page := strings.TrimSuffix(f, ".html")
			if u.pages.byName[page] == nil {
				t.Errorf("templates/%s is not registered", f)
			}
		}
	}
	if len(names) != want {
		t.Errorf("registered %v, want the %d page files", names, want)
	}
	for _, p := range myPages {
		if u.pages.byName[p] == nil {
			t.Errorf("page %s missing", p)
		}
	}
	if _, err := u.pages.execute("no-such-page", &view{}); err == nil {
		t.Error("rendering an unknown page should fail")
	}
}
