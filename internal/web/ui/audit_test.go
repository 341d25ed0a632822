package ui

import (
	"strings"
	"testing"
)

// TestDiffJSON: the audit page lists the changed fields with readable
// values; bookkeeping fields are left out and long values fold.
func TestDiffJSON(t *testing.T) {
	t.Parallel()
	got := diffJSON([]byte(`{"name":"A","version":1,"rate":"0.08","tags":["x"]}`), []byte(`{"name":"B","version":2,"rate":"0.08","tags":["x","y"],"new":true}`))
	want := []fieldChange{{Field: "name", Before: "A", After: "B"}, {Field: "new", After: "true"}, {Field: "tags", Before: `["x"]`, After: `["x","y"]`}}
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
}
