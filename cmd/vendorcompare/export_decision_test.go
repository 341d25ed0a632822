package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"vendorcompare/internal/store"
)

// TestExportDecision: the text report of a stored evaluation is compare's
// report of its document followed by the decision in force, and the
// finance workbook's About sheet states the same decision.
func TestExportDecision(t *testing.T) {
	t.Parallel()
	dir := dataWithE2(t)
	report, _, err := runCmd(t, nil, "compare", e2Path)
	if err != nil {
		t.Fatal(err)
	}
	text := func() string {
		out, _, err := runCmd(t, nil, "export", "-data", dir, "-evaluation", "1", "-format", "text", "-o", "-")
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	if got := text(); got != report+"\nDecision\n  No decision yet.\n" {
		t.Fatalf("before any decision, the text export is not compare's report and no decision:\n%s", got[max(0, len(got)-300):])
	}

	inStore(t, dir, func(st *store.Store) {
		ctx := context.Background()
		opts, err := st.ListOptions(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		var vendorA int64
		for _, o := range opts {
			if o.Slug == "vendor-a" {
				vendorA = o.ID
			}
		}
		for _, in := range []store.DecisionInput{
			{Kind: store.DecisionDefer, Rationale: "Wait for the references."},
			{Kind: store.DecisionAward, OptionID: vendorA, Rationale: "Cheapest on PV.\nReferences checked."},
		} {
			if _, err := st.RecordDecision(ctx, "cfo@example.com", 1, in); err != nil {
				t.Fatal(err)
			}
		}
	})
	got := text()
	tail, ok := strings.CutPrefix(got, report+"\nDecision\n")
	if !ok {
		t.Fatalf("the text export does not start with compare's report and a Decision section:\n%s", got[max(0, len(got)-300):])
	}
	for _, want := range []string{"  Awarded to Vendor A, recorded by cfo@example.com on 20", " UTC.\n",
		"  Why: Cheapest on PV.\n       References checked.\n", "  It supersedes 1 earlier decision"} {
		if !strings.Contains(tail, want) {
			t.Errorf("decision section lacks %q:\n%s", want, tail)
		}
	}

	path := filepath.Join(t.TempDir(), "finance.xlsx")
	if _, _, err := runCmd(t, nil, "export", "-data", dir, "-evaluation", "1", "-o", path); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("About")
	about := map[string]string{}
	for _, r := range rows {
		if len(r) > 1 {
			about[r[0]] = r[1]
		}
	}
	for k, want := range map[string]string{"Decision": "Awarded to Vendor A", "Decided by": "cfo@example.com",
		"Rationale": "Cheapest on PV.\nReferences checked.", "Earlier decisions": "1 earlier decision, superseded"} {
		if about[k] != want {
			t.Errorf("About %s = %q, want %q", k, about[k], want)
		}
	}
	if !strings.HasSuffix(about["Decided at"], " UTC") {
		t.Errorf("About Decided at = %q", about["Decided at"])
	}
}
