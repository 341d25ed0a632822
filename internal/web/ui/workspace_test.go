package ui

import (
	"net/url"
	"testing"
)

// TestWorkspaceTemplates: the workspace pages are registered with the
// layout and the files they link exist.
func TestWorkspaceTemplates(t *testing.T) {
	t.Parallel()
	u, err := New(Deps{})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"workspace", "workspace_settings", "workspace_option", "workspace_criteria"} {
		if u.pages.byName[name] == nil {
			t.Errorf("page %s is not registered", name)
		}
	}
	for _, f := range []string{"js/workspace.js", "css/workspace.css"} {
		if _, ok := u.assets.URL(f); !ok {
			t.Errorf("static %s missing", f)
		}
	}
}

// TestWorkspaceStaffing checks the helper's arithmetic against the spec's
// example E1: 19.39 FTE, 20 agents, and an exact whole FTE is not rounded
// up.
func TestWorkspaceStaffing(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		volume, aht, occ, shr, paid string
		fte                         string
		agents                      int64
	}{
		{"20000", "6", "0.85", "0.30", "173.333", "19.39", 20},
		{"1000", "6", "1", "0", "100", "1.00", 1},   // exactly one FTE
		{"0", "6", "0.85", "0.3", "160", "0.00", 0}, // no demand, no agents
	} {
		f := newForm(url.Values{"st_volume": {tt.volume}, "st_aht": {tt.aht}, "st_occupancy": {tt.occ}, "st_shrinkage": {tt.shr}, "st_paid_hours": {tt.paid}})
		s, err := staff(f)
		if err != nil {
			t.Fatalf("%v: %v %v", tt, err, f.Errors)
		}
		if got := s.FTE.StringFixed(2); got != tt.fte || s.Agents != tt.agents {
			t.Errorf("%v: %s FTE, %d agents; want %s, %d", tt, got, s.Agents, tt.fte, tt.agents)
		}
	}
}
