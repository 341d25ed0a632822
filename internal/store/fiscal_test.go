package store_test

import (
	"context"
	"strings"
	"testing"

	"vendorcompare/internal/store"
)

// TestFiscalSettingsStored: the reading settings are kept exactly through
// import, export and a settings update, absent ones stay absent, and a
// change of either changes the fingerprint and the comparison, so no
// comparison cached under the old value is served.
func TestFiscalSettingsStored(t *testing.T) {
	t.Parallel()
	s := openStore(t)
	ctx := context.Background()
	id, doc := importFile(t, s, "testdata/e2_fiscal.json")
	got, err := s.Document(ctx, id, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.FiscalYearStart == nil || *got.FiscalYearStart != 4 || got.Materiality == nil || got.Materiality.String() != "0.0125" {
		t.Fatalf("stored fiscal_year_start %v materiality %v", got.FiscalYearStart, got.Materiality)
	}
	if a, b := mustJSON(t, doc), mustJSON(t, got); a != b {
		t.Fatalf("document changed in the store:\nwant %s\ngot  %s", a, b)
	}
	// A copy keeps them too.
	cp, err := s.CopyEvaluation(ctx, "tester", id, "copy")
	if err != nil {
		t.Fatal(err)
	}
	if cp.FiscalYearStart == nil || *cp.FiscalYearStart != 4 || cp.Materiality == nil || !cp.Materiality.Equal(dec("0.0125")) {
		t.Fatalf("copy fiscal_year_start %v materiality %v", cp.FiscalYearStart, cp.Materiality)
	}

	before, err := s.Comparison(ctx, id, store.CompareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	fp, err := s.Fingerprint(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	e, err := s.GetEvaluation(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	st := e.Settings
	july, mat := 7, dec("0.05")
	st.FiscalYearStart, st.Materiality = &july, &mat
	if _, err := s.UpdateEvaluation(ctx, "tester", id, e.Version, st); err != nil {
		t.Fatal(err)
	}
	fp2, err := s.Fingerprint(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if fp2 == fp {
		t.Fatal("fingerprint did not move with the fiscal settings")
	}
	after, err := s.Comparison(ctx, id, store.CompareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if mustJSON(t, before) == mustJSON(t, after) {
		t.Fatal("comparison did not change with fiscal_year_start and materiality")
	}
	fy := after.Options[0].CashByFiscalYear
	if len(fy) == 0 || fy[0].From != "2027-01" || !strings.Contains(mustJSON(t, fy), "2027-07") {
		t.Fatalf("fiscal years after July start: %s", mustJSON(t, fy))
	}
	// Materiality 0.0125 → 0.05 of the same total: every threshold is 4 times.
	n := 0
	for i, o := range before.Options {
		if o.BreakEven == nil || o.BreakEven.Reading == nil {
			continue
		}
		n++
		hb, ha := o.BreakEven.Reading.HorizonThreshold.Value, after.Options[i].BreakEven.Reading.HorizonThreshold.Value
		if ha.Sub(hb.Mul(dec("4"))).Abs().GreaterThan(dec("0.03")) { // 4 roundings of a cent
			t.Errorf("option %s: horizon threshold %s after %s, want 4 times", o.ID, ha, hb)
		}
	}
	if n == 0 {
		t.Fatal("no break-even reading")
	}
	// Back to not set: the fields leave the export, the defaults apply.
	e, _ = s.GetEvaluation(ctx, id)
	st = e.Settings
	st.FiscalYearStart, st.Materiality = nil, nil
	if _, err := s.UpdateEvaluation(ctx, "tester", id, e.Version, st); err != nil {
		t.Fatal(err)
	}
	got, err = s.Document(ctx, id, nil)
	if err != nil {
		t.Fatal(err)
	}
	if j := mustJSON(t, got); strings.Contains(j, "fiscal_year_start") || strings.Contains(j, "materiality") {
		t.Fatalf("unset settings exported: %.300s", j)
	}

	// An invalid value is refused with its path and nothing is saved.
	e, _ = s.GetEvaluation(ctx, id)
	st = e.Settings
	bad, badMat := 13, dec("0.2")
	st.FiscalYearStart, st.Materiality = &bad, &badMat
	_, err = s.UpdateEvaluation(ctx, "tester", id, e.Version, st)
	wantCode(t, err, store.ErrInvalid)
	if m := err.Error(); !strings.Contains(mustJSON(t, err), "fiscal_year_start") || !strings.Contains(mustJSON(t, err), "materiality") {
		t.Fatalf("refusal %s does not name both fields: %s", m, mustJSON(t, err))
	}
}
