package ui

import (
	"strings"
	"testing"
)

// TestDiffJSON: the audit page lists the changed fields with readable
// labels and values, nested fields at their path; bookkeeping fields are
// left out and long values fold.
func TestDiffJSON(t *testing.T) {
	t.Parallel()
	got := diffJSON([]byte(`{"name":"A","version":1,"rate":"0.08","tags":["x"],"round_id":4,"quote":{"pricing":{"tiers":[{"price":"1.10"}],"fx_rate":"1"}}}`),
		[]byte(`{"name":"B","version":2,"rate":"0.08","tags":["x","y"],"new":true,"round_id":5,"quote":{"pricing":{"tiers":[{"price":"1.20"}],"fx_rate":"1"}}}`))
	want := []fieldChange{{Field: "name", Label: "Name", Before: "A", After: "B"}, {Field: "new", Label: "New", After: "true"},
		{Field: "quote.pricing.tiers[0].price", Label: "Quote › pricing › tiers 1 › price", Before: "1.10", After: "1.20"},
		{Field: "round_id", Label: "Quote round (id)", Before: "4", After: "5"},
		{Field: "tags", Label: "Tags", Before: `["x"]`, After: `["x","y"]`}}
	if len(got) != len(want) {
		t.Fatalf("diff %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("change %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	if c := diffJSON(nil, []byte(`{"notes":"`+strings.Repeat("é", 200)+`"}`)); len(c) != 1 || len([]rune(c[0].AfterShort)) != foldAt+1 {
		t.Errorf("long value not folded: %+v", c)
	}
	if c := diffJSON(nil, []byte(`{"slug":"vendor-a","option":{"evaluation_id":1}}`)); len(c) != 2 || c[0].Label != "Option › evaluation (id)" || c[1].Label != "Identifier" {
		t.Errorf("creation %+v", c)
	}
}
