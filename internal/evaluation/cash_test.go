package evaluation

import (
	"context"
	"testing"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/tco"
)

// TestCashPanelDemo: for the demo, each option's fiscal years add up to its
// nominal TCO, one-time plus run rate is each year's total, the panel's
// rows carry the engine's figures in ranking order (the baseline too), and
// the "Total" column is the TCO.
func TestCashPanelDemo(t *testing.T) {
	t.Parallel()
	st, id := openDemo(t)
	d, err := New(st, Config{}).Dashboard(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	p := d.Cash()
	if p == nil {
		t.Fatal("no cash panel")
	}
	if p.Start != "January" { // the demo sets no fiscal_year_start
		t.Errorf("start %q", p.Start)
	}
	if len(p.Blocks) != len(d.Rows) {
		t.Fatalf("%d blocks for %d options", len(p.Blocks), len(d.Rows))
	}
	baseline := false
	for i, r := range d.Rows {
		if len(r.CashByFiscalYear) < 2 {
			t.Fatalf("%s: %d fiscal years", r.ID, len(r.CashByFiscalYear))
		}
		sum := decimal.Zero
		for _, y := range r.CashByFiscalYear {
			if !y.OneTime.Value.Add(y.RunRate.Value).Equal(y.Total.Value) {
				t.Errorf("%s %s: one-time %s + run rate %s != total %s", r.ID, y.Label, y.OneTime, y.RunRate, y.Total)
			}
			sum = sum.Add(y.Total.Value)
		}
		if !sum.Equal(r.TCO.Value) {
			t.Errorf("%s: years add up to %s, TCO %s", r.ID, sum, r.TCO)
		}
		b := p.Blocks[i]
		if b.Name != r.Name {
			t.Errorf("block %d is %s, want %s (ranking order)", i, b.Name, r.Name)
		}
		baseline = baseline || b.Baseline
		if len(b.Rows) != 3 || b.Rows[0].Label != "One-time" || b.Rows[1].Label != "Run rate" || b.Rows[2].Label != "Total" || !b.Rows[2].Total {
			t.Fatalf("%s: rows %+v", r.ID, b.Rows)
		}
		if !b.Rows[2].Sum.Value.Equal(r.TCO.Value) || b.Rows[2].Sum.String() != r.TCO.String() {
			t.Errorf("%s: total column %s, TCO %s", r.ID, b.Rows[2].Sum, r.TCO)
		}
		if !b.Rows[0].Sum.Value.Add(b.Rows[1].Sum.Value).Equal(b.Rows[2].Sum.Value) {
			t.Errorf("%s: one-time %s + run rate %s != %s", r.ID, b.Rows[0].Sum, b.Rows[1].Sum, b.Rows[2].Sum)
		}
		for k, y := range r.CashByFiscalYear {
			if p.Years[k] != y.Label {
				t.Errorf("%s: column %d is %s, year %s", r.ID, k, p.Years[k], y.Label)
			}
			for j, m := range []tco.Money{y.OneTime, y.RunRate, y.Total} {
				if got := b.Rows[j].Years[k]; got.String() != m.String() {
					t.Errorf("%s %s %s: %s, engine %s", r.ID, y.Label, b.Rows[j].Label, got, m)
				}
			}
		}
	}
	if !baseline {
		t.Error("the baseline has no block")
	}
	if want := []string{"FY2027", "FY2028", "FY2029"}; len(p.Years) != 3 || p.Years[0] != want[0] || p.Years[2] != want[2] {
		t.Errorf("years %v, want %v", p.Years, want)
	}
}

// TestCashPanelFiscalStart: with fiscal years beginning in April, a
// January start splits into a short first year (month 0 in it) and years
// labelled FY2026/27; the panel says April.
func TestCashPanelFiscalStart(t *testing.T) {
	t.Parallel()
	st, id := openDemo(t)
	doc, err := st.Document(context.Background(), id, nil)
	if err != nil {
		t.Fatal(err)
	}
	april := 4
	doc.FiscalYearStart = &april
	cmp, err := tco.Compare(doc, tco.CompareOptions{SkipAnalysis: true})
	if err != nil {
		t.Fatal(err)
	}
	e, err := st.GetEvaluation(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	p := buildDashboard(e, doc, cmp, nil).Cash()
	if p == nil || p.Start != "April" {
		t.Fatalf("panel %+v", p)
	}
	want := []string{"FY2026/27", "FY2027/28", "FY2028/29", "FY2029/30"}
	if len(p.Years) != len(want) {
		t.Fatalf("years %v, want %v", p.Years, want)
	}
	for k := range want {
		if p.Years[k] != want[k] {
			t.Errorf("years %v, want %v", p.Years, want)
		}
	}
	if p.Spans[0] != "2027-01 to 2027-03" {
		t.Errorf("first year spans %s", p.Spans[0])
	}
	if len(p.Blocks) != len(cmp.Options) {
		t.Fatalf("%d blocks for %d options", len(p.Blocks), len(cmp.Options))
	}
	tcoOf := map[string]tco.Money{}
	for _, o := range cmp.Options {
		tcoOf[o.Name] = o.TCO
	}
	for _, b := range p.Blocks {
		if !b.Rows[2].Sum.Value.Equal(tcoOf[b.Name].Value) {
			t.Errorf("%s: total %s, TCO %s", b.Name, b.Rows[2].Sum, tcoOf[b.Name])
		}
	}
}
