package store_test

import (
	"context"
	"testing"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/store"
)

// TestImportRefusesUncostable is issue 11 defect 6 at import: a document
// the comparison would refuse (an amount too large to cost exactly; a
// break-even over the work budget, issue 12 defect 1) is refused with its
// path, and nothing is stored.
func TestImportRefusesUncostable(t *testing.T) {
	t.Parallel()
	s := openStore(t)
	ctx := context.Background()
	count := func() int {
		p, err := s.ListEvaluations(ctx, store.ListParams{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		return p.Total
	}
	t.Run("TooLarge", func(t *testing.T) {
		doc := readDoc(t, "testdata/e2.json")
		doc.Options[1].Lines[4].Amount = dec("20000000000000") // 2e15 cents a month
		_, err := s.ImportDocument(ctx, "ann", doc)
		wantInvalid(t, err, "options[1].lines[4].amount")
	})
	t.Run("OverBudget", func(t *testing.T) {
		_, err := s.ImportDocument(ctx, "ann", readDoc(t, "../tco/testdata/hostile.json"))
		wantInvalid(t, err, "options[1].pricing.block_size")
	})
	if n := count(); n != 0 {
		t.Fatalf("%d evaluations stored", n)
	}
}

// TestSaveRefusesUncostable is issue 11 defect 6 on a save: no change may
// leave the stored document one the comparison refuses; the refused save
// writes nothing.
func TestSaveRefusesUncostable(t *testing.T) {
	t.Parallel()
	s := openStore(t)
	ctx := context.Background()
	id, _ := importFile(t, s, "testdata/e2.json")
	before, n := docJSON(t, s, id), auditCount(t, s)

	t.Run("Line", func(t *testing.T) {
		opts, err := s.ListOptions(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		ls, err := s.ListLines(ctx, opts[1].ID)
		if err != nil {
			t.Fatal(err)
		}
		l := ls[4] // Stranded lease, fixed
		big := l.Line
		big.Amount = dec("20000000000000")
		_, err = s.UpdateLine(ctx, "ann", l.ID, l.Version, big)
		wantInvalid(t, err, "options[1].lines[4].amount")
	})
	t.Run("Settings", func(t *testing.T) {
		e, err := s.GetEvaluation(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		st := e.Settings
		st.Volume.Monthly = decimal.RequireFromString("900000000000000") // the invoice overflows
		_, err = s.UpdateEvaluation(ctx, "ann", id, e.Version, st)
		wantInvalid(t, err, "options[")
	})
	if docJSON(t, s, id) != before || auditCount(t, s) != n {
		t.Fatal("a refused save wrote something")
	}
}
