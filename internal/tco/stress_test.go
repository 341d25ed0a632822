package tco

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"testing"

	"github.com/shopspring/decimal"
)

// writeMaximum writes the maximum document to a file, for measuring it
// outside the tests (BENCHMARKS.md): go test ./internal/tco -run
// TestMaximumDocument -maximum /tmp/maximum.json
var writeMaximum = flag.String("maximum", "", "write the maximum document to this file")

// maximumDocument is the largest document the API takes (its body limit is
// 1 MiB): 50 options × 175 cost lines over 600 months, growth and
// seasonality so that every month has its own demand, per-block staffing
// lines, per-unit lines and a per-unit invoice on every vendor option. It
// is valid.
func maximumDocument() *Document {
	d := func(s string) decimal.Decimal { return decimal.RequireFromString(s) }
	dp := func(s string) *decimal.Decimal { v := d(s); return &v }
	ip := func(i int) *int { return &i }
	doc := &Document{
		Name: "Maximum", Currency: "USD", Start: "2027-01", HorizonMonths: 600,
		DiscountRate: d("0.08"), Timing: TimingEnd, Escalation: EscalationAnniversary,
		Volume:   Volume{Unit: "contact", Monthly: d("20000"), Growth: d("0.04")},
		Baseline: "o0",
		Criteria: []Criterion{{Key: "csat", Name: "CSAT", Weight: d("1"), Scale: d("10")}},
		Price: Price{Weight: d("0.4"), Basis: PriceBasisPV, Formula: FormulaAnchored,
			FullAt: d("0.7"), ZeroAt: d("1.3")},
	}
	for _, s := range []string{"1.1", "0.95", "1", "0.98", "1.02", "0.97", "0.9", "0.92", "1.05", "1.08", "1.12", "1.2"} {
		doc.Volume.Seasonality = append(doc.Volume.Seasonality, d(s))
	}
	for i := range 50 {
		o := Option{ID: fmt.Sprintf("o%d", i), Name: fmt.Sprintf("Option %d", i), VolumeShare: d("1"),
			Scores: map[string]decimal.Decimal{"csat": d("7")}}
		for j := range 175 {
			l := Line{Name: fmt.Sprintf("L%d", j), Category: LineCategories[j%4], Escalation: d("0.03")}
			switch j % 5 {
			case 0, 1:
				l.Basis, l.Amount, l.BlockSize = BasisPerBlock, d(fmt.Sprintf("%d", 3000+j)), dp(fmt.Sprintf("%d.5", 900+i*10+j))
			case 2:
				l.Basis, l.Amount = BasisPerUnit, d(fmt.Sprintf("0.%02d", 1+j%90))
			case 3:
				l.Basis, l.Amount, l.FromMonth, l.ToMonth = BasisFixed, d(fmt.Sprintf("%d", 1000+j)), ip(1+j%12), ip(600)
			default:
				l.Basis, l.Amount, l.Month, l.Escalation = BasisOneTime, d(fmt.Sprintf("%d", 5000+j)), ip(j%600), decimal.Zero
			}
			o.Lines = append(o.Lines, l)
		}
		if i > 0 {
			o.Pricing = &Pricing{Currency: "USD", FXRate: d("1"), Per: PricingPerUnit, UnitFactor: d("1"),
				TierMode: TierModeGraduated, Escalation: d("0.03"), FromMonth: 1,
				Tiers: []Tier{{UpTo: dp("10000"), Price: d("5")}, {UpTo: dp("20000"), Price: d("4.5")}, {Price: d("4")}}}
		}
		doc.Options = append(doc.Options, o)
	}
	return doc
}

// TestMaximumDocument checks that the maximum document is what it claims:
// valid, and as large as the API's body limit allows.
func TestMaximumDocument(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(maximumDocument())
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > 1<<20 || len(b) < 900<<10 {
		t.Fatalf("maximum document is %d bytes, want just under 1 MiB", len(b))
	}
	if _, err := Decode(b); err != nil {
		t.Fatalf("maximum document: %v", err)
	}
	if *writeMaximum != "" {
		if err := os.WriteFile(*writeMaximum, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}
