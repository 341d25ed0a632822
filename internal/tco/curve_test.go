package tco

import (
	"math"
	"os"
	"testing"
)

// TestMonthlyCostAtCrossings: at every boundary of the monthly view's
// break-even intervals the option and the baseline cost the same (the
// curves cross there), and inside each interval the winner is cheaper.
func TestMonthlyCostAtCrossings(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"e2.json", "e3.json", "sample.json"} {
		t.Run(name, func(t *testing.T) {
			d := readDoc(t, name)
			c, err := Compare(d, CompareOptions{})
			if err != nil {
				t.Fatal(err)
			}
			base := -1
			for i := range d.Options {
				if d.Options[i].ID == d.Baseline {
					base = i
				}
			}
			for i, r := range c.Options {
				if i == base || r.BreakEven == nil {
					continue
				}
				iv := r.BreakEven.Monthly
				for k, in := range iv {
					mid := (in.From + in.To) / 2
					ob, oo := MonthlyCostAt(d, base, mid), MonthlyCostAt(d, i, mid)
					switch in.Winner {
					case d.Baseline:
						if !(ob <= oo+1e-6*math.Max(1, ob)) {
							t.Errorf("%s: at %.2f the baseline wins but costs %.2f > %.2f", r.ID, mid, ob, oo)
						}
					case r.ID:
						if !(oo <= ob+1e-6*math.Max(1, ob)) {
							t.Errorf("%s: at %.2f the option wins but costs %.2f > %.2f", r.ID, mid, oo, ob)
						}
					}
					if k == 0 {
						continue
					}
					// just left and right of a boundary the order flips
					// (or one side is a tie): the difference changes sign
					// within a hundredth of a unit, the rounding of bounds.
					lo, hi := in.From-0.02, in.From+0.02
					dl := MonthlyCostAt(d, base, lo) - MonthlyCostAt(d, i, lo)
					dh := MonthlyCostAt(d, base, hi) - MonthlyCostAt(d, i, hi)
					if dl*dh > 0 && iv[k-1].Winner != WinnerTie && in.Winner != WinnerTie {
						t.Errorf("%s: no crossing near %.2f: differences %.4f and %.4f", r.ID, in.From, dl, dh)
					}
				}
			}
		})
	}
}

// TestMonthlyCostAtSteadyMonth: for a document with no growth, seasonality
// or escalation, the monthly view at the forecast volume is the costing's
// last month exactly (to rounding).
func TestMonthlyCostAtSteadyMonth(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("testdata/e2.json")
	if err != nil {
		t.Fatal(err)
	}
	d, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	d.Volume.Growth = d.Volume.Growth.Sub(d.Volume.Growth)
	for i := range d.Volume.Seasonality {
		d.Volume.Seasonality[i] = d.Volume.Seasonality[i].Div(d.Volume.Seasonality[i])
	}
	for i := range d.Options {
		o := &d.Options[i]
		for j := range o.Lines {
			o.Lines[j].Escalation = o.Lines[j].Escalation.Sub(o.Lines[j].Escalation)
		}
		if o.Pricing != nil {
			o.Pricing.Escalation = o.Pricing.Escalation.Sub(o.Pricing.Escalation)
			o.Pricing.ExitFee = o.Pricing.ExitFee.Sub(o.Pricing.ExitFee)
		}
	}
	c, err := Compare(d, CompareOptions{SkipAnalysis: true})
	if err != nil {
		t.Fatal(err)
	}
	v := d.Volume.Monthly.InexactFloat64()
	for i, r := range c.Options {
		last := r.Monthly[d.HorizonMonths]
		// one-time lines in the last month are not part of the steady month
		oneTime := 0.0
		for _, l := range d.Options[i].Lines {
			if l.Basis == BasisOneTime && l.Month != nil && *l.Month == d.HorizonMonths {
				oneTime += l.Amount.InexactFloat64()
			}
		}
		want := last.Total.Value.InexactFloat64() - oneTime
		got := MonthlyCostAt(d, i, v)
		if math.Abs(got-want) > 0.01*float64(len(d.Options[i].Lines)+2) {
			t.Errorf("%s: MonthlyCostAt(%v) = %.4f, month %d costs %.2f", r.ID, v, got, d.HorizonMonths, want)
		}
	}
	if !math.IsNaN(MonthlyCostAt(d, len(d.Options), v)) {
		t.Error("an option index out of range should give NaN")
	}
	if got := MonthlyCosts(d, 0, []float64{-5, 0}); got[0] != got[1] {
		t.Errorf("a negative volume should cost as 0: %v", got)
	}
}
