package ui

import (
	"os"
	"testing"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/tco"
)

// TestMonthlyTotals: every row total is the engine's month total, and the
// totals row adds up to the option's TCO exactly, for every demo option,
// by category and by line.
func TestMonthlyTotals(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../../../data/demo.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := tco.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	cmp, err := tco.Compare(doc, tco.CompareOptions{SkipAnalysis: true})
	if err != nil {
		t.Fatal(err)
	}
	for i := range cmp.Options {
		o := &cmp.Options[i]
		for _, lines := range []bool{false, true} {
			p := &monthlyPage{Option: o, Lines: lines}
			p.fill(cmp.Months)
			if !p.Total.Value.Equal(o.TCO.Value) {
				t.Errorf("%s lines=%v: total %s, TCO %s", o.ID, lines, p.Total, o.TCO)
			}
			sum := decimal.Zero
			for _, c := range p.Totals {
				sum = sum.Add(c.Value)
			}
			if !sum.Equal(o.TCO.Value) {
				t.Errorf("%s lines=%v: column totals add to %s, TCO %s", o.ID, lines, sum, o.TCO)
			}
			for m, r := range p.Rows {
				if !r.Total.Value.Equal(o.Monthly[m].Total.Value) {
					t.Errorf("%s lines=%v month %d: row %s, engine %s", o.ID, lines, m, r.Total, o.Monthly[m].Total)
				}
			}
		}
	}
}
