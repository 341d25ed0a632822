package tco

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// doc builds a small document around the given options JSON.
func doc(extra, options string) string {
	return `{"name":"hand","currency":"USD","start":"2027-01","horizon_months":3,
	"volume":{"unit":"contact","monthly":1000},"baseline":"b"` + extra + `,"options":[` + options + `]}`
}

func monthly(t *testing.T, r *OptionResult, name string) []string {
	t.Helper()
	for _, l := range r.Lines {
		if l.Name == name {
			out := make([]string, len(l.Monthly))
			for i, v := range l.Monthly {
				out[i] = v.StringFixed(2)
			}
			return out
		}
	}
	t.Fatalf("no line %q in %s", name, r.ID)
	return nil
}

func eqList(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

// TestLineBases checks each line basis by hand, with windows.
func TestLineBases(t *testing.T) {
	t.Parallel()
	c := mustCompare(t, mustDoc(t, doc("", `
	{"id":"b","name":"B","lines":[
	  {"name":"fixed","category":"operations","basis":"fixed","amount":100},
	  {"name":"unit","category":"operations","basis":"per_unit","amount":0.5},
	  {"name":"block","category":"personnel","basis":"per_block","amount":1000,"block_size":300},
	  {"name":"exact","category":"personnel","basis":"per_block","amount":1,"block_size":250},
	  {"name":"noise","category":"personnel","basis":"per_block","amount":1,"block_size":333.3333333333},
	  {"name":"once","category":"external","basis":"one_time","amount":250,"month":0},
	  {"name":"window","category":"operations","basis":"fixed","amount":10,"from_month":2,"to_month":2},
	  {"name":"half","category":"operations","basis":"per_unit","amount":1,"volume_share":0.5}]},
	{"id":"v","name":"V","volume_share":0.3,"pricing":{"tiers":[{"price":2}]},"lines":[
	  {"name":"gov","category":"personnel","basis":"share_of_vendor","amount":0.1},
	  {"name":"gov-late","category":"personnel","basis":"share_of_vendor","amount":0.1,"from_month":3},
	  {"name":"unit","category":"operations","basis":"per_unit","amount":1}]}`)))
	b := result(t, c, "b")
	eqList(t, "fixed", monthly(t, b, "fixed"), "0.00", "100.00", "100.00", "100.00")
	eqList(t, "per_unit", monthly(t, b, "unit"), "0.00", "500.00", "500.00", "500.00")
	eqList(t, "per_block ceil(1000/300)", monthly(t, b, "block"), "0.00", "4000.00", "4000.00", "4000.00")
	eqList(t, "per_block exact multiple", monthly(t, b, "exact"), "0.00", "4.00", "4.00", "4.00")
	eqList(t, "per_block within 1e-9 of a multiple", monthly(t, b, "noise"), "0.00", "3.00", "3.00", "3.00")
	eqList(t, "one_time", monthly(t, b, "once"), "250.00", "0.00", "0.00", "0.00")
	eqList(t, "window", monthly(t, b, "window"), "0.00", "0.00", "10.00", "0.00")
	eqList(t, "line volume_share", monthly(t, b, "half"), "0.00", "500.00", "500.00", "500.00")
	v := result(t, c, "v")
	eqList(t, "invoice on option share", monthly(t, v, "Vendor invoice"), "0.00", "600.00", "600.00", "600.00")
	eqList(t, "share_of_vendor", monthly(t, v, "gov"), "0.00", "60.00", "60.00", "60.00")
	eqList(t, "share_of_vendor window", monthly(t, v, "gov-late"), "0.00", "0.00", "0.00", "60.00")
	eqList(t, "option volume_share", monthly(t, v, "unit"), "0.00", "300.00", "300.00", "300.00")
	eqMoney(t, "b TCO", b.TCO, fmt.Sprint(250+3*(100+500+4000+4+3+500)+10)+".00")
}

// TestMinimums checks minimum units, minimum charge and the fixed fee.
func TestMinimums(t *testing.T) {
	t.Parallel()
	base := `{"id":"b","name":"B","lines":[{"name":"f","category":"operations","basis":"fixed","amount":1}]}`
	for _, tc := range []struct {
		name, pricing, want string
	}{
		{"MinUnits", `"tiers":[{"price":1}],"minimum_units":1500`, "1500.00"},
		{"MinCharge", `"tiers":[{"price":1}],"minimum_units":1500,"minimum_charge":2000`, "2000.00"},
		{"MinChargeBelowUsage", `"tiers":[{"price":3}],"minimum_charge":2000`, "3000.00"},
		{"Fixed", `"tiers":[{"price":1}],"minimum_charge":2000,"fixed_monthly":100`, "2100.00"},
		{"UnitFactor", `"tiers":[{"price":0.5}],"unit_factor":6.5`, "3250.00"},
		{"MinUnitsBeforeTiers", `"tiers":[{"up_to":1200,"price":1},{"price":0.5}],"minimum_units":1500`, "1350.00"},
		{"AllUnitsOnBound", `"tiers":[{"up_to":1000,"price":1},{"price":0.5}],"tier_mode":"all_units"`, "1000.00"},
		{"GraduatedOnBound", `"tiers":[{"up_to":1000,"price":1},{"price":0.5}]`, "1000.00"},
		{"AllUnitsAboveBound", `"tiers":[{"up_to":999,"price":1},{"price":0.5}],"tier_mode":"all_units"`, "500.00"},
		{"GraduatedAboveBound", `"tiers":[{"up_to":999,"price":1},{"price":0.5}]`, "999.50"},
		{"PerBlock", `"per":"block","block_size":300,"tiers":[{"price":3000}]`, "12000.00"},
		{"PerBlockCapacity", `"per":"block","capacity":{"aht_minutes":6,"occupancy":0.85,"shrinkage":0.3,"paid_hours":173.333},"tiers":[{"price":100}]`, "100.00"},
		{"FX", `"currency":"EUR","fx_rate":1.1,"tiers":[{"price":1}],"setup_fee":10`, "1100.00"},
		{"GoLive", `"tiers":[{"price":1}],"from_month":3`, "0.00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := mustCompare(t, mustDoc(t, doc("", base+`,{"id":"v","name":"V","pricing":{`+tc.pricing+`}}`)))
			got := monthly(t, result(t, c, "v"), "Vendor invoice")
			if got[1] != tc.want {
				t.Errorf("invoice month 1 = %s, want %s", got[1], tc.want)
			}
		})
	}
	c := mustCompare(t, mustDoc(t, doc("", base+`,{"id":"v","name":"V","pricing":{"currency":"EUR","fx_rate":1.1,"tiers":[{"price":1}],"setup_fee":10,"exit_fee":20.005}}`)))
	v := result(t, c, "v")
	eqList(t, "setup fee", monthly(t, v, "Setup fee"), "11.00", "0.00", "0.00", "0.00")
	eqList(t, "exit fee rounded after FX", monthly(t, v, "Exit fee"), "0.00", "0.00", "0.00", "22.01")
}

// TestEscalationModes compares anniversary and monthly escalation.
func TestEscalationModes(t *testing.T) {
	t.Parallel()
	opts := `{"id":"b","name":"B","lines":[{"name":"f","category":"operations","basis":"fixed","amount":1000,"escalation":0.12}]},
	         {"id":"v","name":"V","lines":[]}`
	d := `{"name":"e","currency":"USD","start":"2027-01","horizon_months":14,"escalation":"%s",
	  "volume":{"unit":"contact","monthly":1},"baseline":"b","options":[` + opts + `]}`
	a := monthly(t, result(t, mustCompare(t, mustDoc(t, fmt.Sprintf(d, "anniversary"))), "b"), "f")
	if a[1] != "1000.00" || a[2] != "1000.00" || a[12] != "1000.00" || a[13] != "1120.00" || a[14] != "1120.00" {
		t.Errorf("anniversary: %v", a)
	}
	m := monthly(t, result(t, mustCompare(t, mustDoc(t, fmt.Sprintf(d, "monthly"))), "b"), "f")
	if m[1] != "1000.00" || m[2] != "1009.49" || m[7] != "1058.30" || m[13] != "1120.00" {
		t.Errorf("monthly: %v", m)
	}
}

// TestSeasonalityYearBoundary starts in November so the seasonality and the
// growth anniversary both cross a calendar year.
func TestSeasonalityYearBoundary(t *testing.T) {
	t.Parallel()
	c := mustCompare(t, mustDoc(t, `{"name":"s","currency":"USD","start":"2027-11","horizon_months":13,
	  "volume":{"unit":"contact","monthly":1000,"growth":0.1,"seasonality":[2,1,1,1,1,1,1,1,1,1,0.5,1.5]},
	  "baseline":"b","options":[{"id":"b","name":"B","lines":[{"name":"u","category":"operations","basis":"per_unit","amount":1}]},{"id":"v","name":"V","lines":[]}]}`))
	if c.Months[0] != "2027-11" || c.Months[2] != "2028-01" || c.Months[12] != "2028-11" {
		t.Errorf("labels: %v", c.Months)
	}
	want := []string{"500", "1500", "2000", "1000", "1000", "1000", "1000", "1000", "1000", "1000", "1000", "1000", "550"}
	for i, w := range want {
		if !c.Volume[i].Equal(dec(w)) {
			t.Errorf("V_%d = %s, want %s", i+1, c.Volume[i], w)
		}
	}
	eqList(t, "per_unit follows demand", monthly(t, result(t, c, "b"), "u")[1:4], "500.00", "1500.00", "2000.00")
}

// TestZeroDecimalCurrency checks rounding to JPY's 0 minor digits.
func TestZeroDecimalCurrency(t *testing.T) {
	t.Parallel()
	c := mustCompare(t, mustDoc(t, `{"name":"j","currency":"JPY","start":"2027-01","horizon_months":2,
	  "volume":{"unit":"contact","monthly":1000},"baseline":"b","options":[
	  {"id":"b","name":"B","lines":[{"name":"f","category":"operations","basis":"fixed","amount":1000.5},
	     {"name":"u","category":"operations","basis":"per_unit","amount":0.3335}]},
	  {"id":"v","name":"V","lines":[]}]}`))
	b := result(t, c, "b")
	if got := b.Lines[0].Monthly[1].String(); got != "1001" {
		t.Errorf("1000.5 JPY rounds to %s, want 1001 (half away from zero)", got)
	}
	if got := b.Lines[1].Monthly[1].String(); got != "334" {
		t.Errorf("333.5 JPY rounds to %s, want 334", got)
	}
	if b.TCO.String() != "2670" || b.Monthly[1].Total.String() != "1335" {
		t.Errorf("JPY TCO %s month %s", b.TCO, b.Monthly[1].Total)
	}
	if c.Places != 0 {
		t.Errorf("JPY places = %d", c.Places)
	}
}

// TestTiming checks PV under end, mid and begin timing, with month 0 not
// discounted: PV = 500 + 1000 × 1.12^(−t1/12) + 1000 × 1.12^(−t2/12).
func TestTiming(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ timing, want string }{{"end", "2471.89"}, {"mid", "2481.22"}, {"begin", "2490.60"}} {
		t.Run(tc.timing, func(t *testing.T) {
			c := mustCompare(t, mustDoc(t, `{"name":"t","currency":"USD","start":"2027-01","horizon_months":2,"discount_rate":0.12,"timing":"`+tc.timing+`",
			  "volume":{"unit":"contact","monthly":1},"baseline":"b","options":[
			  {"id":"b","name":"B","lines":[{"name":"f","category":"operations","basis":"fixed","amount":1000},{"name":"o","category":"operations","basis":"one_time","amount":500,"month":0}]},
			  {"id":"v","name":"V","lines":[]}]}`))
			eqMoney(t, "PV", result(t, c, "b").PV, tc.want)
			eqMoney(t, "TCO", result(t, c, "b").TCO, "2500.00")
		})
	}
}

// TestScoresStatus checks knock-outs, incomplete options and the warning
// when price scores cannot be given.
func TestScoresStatus(t *testing.T) {
	t.Parallel()
	c := mustCompare(t, mustDoc(t, doc(`,"criteria":[{"key":"a","name":"A","weight":1,"minimum":5},{"key":"b","name":"B","weight":3}]`, `
	 {"id":"b","name":"B","lines":[{"name":"f","category":"operations","basis":"fixed","amount":100}],"scores":{"a":6,"b":10}},
	 {"id":"k","name":"K","lines":[{"name":"f","category":"operations","basis":"fixed","amount":10}],"scores":{"a":4}},
	 {"id":"i","name":"I","lines":[{"name":"f","category":"operations","basis":"fixed","amount":10}],"scores":{"a":9}}`)))
	k, i, b := result(t, c, "k"), result(t, c, "i"), result(t, c, "b")
	if k.Status != StatusKnockedOut || strings.Join(k.KnockedOutBy, ",") != "a" || strings.Join(k.Missing, ",") != "b" || k.Rank != nil || k.Score != nil {
		t.Errorf("knocked out: %+v", k)
	}
	if i.Status != StatusIncomplete || strings.Join(i.Missing, ",") != "b" || i.Rank != nil {
		t.Errorf("incomplete: %+v", i)
	}
	near(t, "quality", b.Quality, 100*(1*6.0/10+3*10.0/10)/4, 1e-9)
	if b.Status != StatusRanked || *b.Rank != 1 {
		t.Errorf("baseline ranked: %+v", b)
	}

	z := mustCompare(t, mustDoc(t, doc("", `{"id":"b","name":"B","lines":[]},{"id":"v","name":"V","lines":[{"name":"f","category":"operations","basis":"fixed","amount":1}]}`)))
	if len(z.Warnings) != 1 || result(t, z, "v").PriceScore != nil || result(t, z, "v").Score != nil {
		t.Errorf("a zero baseline must null the price scores with a warning: %v", z.Warnings)
	}
	if result(t, z, "v").Savings.TCOPct != nil {
		t.Error("pct must be null when the baseline total is 0")
	}
	if result(t, z, "v").Payback.TCO != nil {
		t.Error("savings that end below zero have no payback")
	}
}

// TestMonthlyTableSums is a property test: over random documents, every
// option's monthly table adds up to its totals exactly, by month and by
// category.
func TestMonthlyTableSums(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewSource(7))
	for n := 0; n < 150; n++ {
		d := genDoc(r, 3+r.Intn(3))
		c, err := Compare(d, CompareOptions{SkipAnalysis: true})
		if err != nil {
			t.Fatalf("case %d: %v", n, err)
		}
		for _, o := range c.Options {
			tco := decimal.Zero
			cats := map[string]decimal.Decimal{}
			for _, mc := range o.Monthly {
				rowSum := decimal.Zero
				for cat, v := range mc.ByCategory {
					rowSum = rowSum.Add(v.Value)
					cats[cat] = cats[cat].Add(v.Value)
				}
				if !rowSum.Equal(mc.Total.Value) {
					t.Fatalf("case %d %s month %d: categories %s ≠ total %s", n, o.ID, mc.Month, rowSum, mc.Total)
				}
				tco = tco.Add(mc.Total.Value)
			}
			if !tco.Equal(o.TCO.Value) {
				t.Fatalf("case %d %s: Σ months %s ≠ TCO %s", n, o.ID, tco, o.TCO)
			}
			byCat := decimal.Zero
			for _, cat := range Categories {
				if !cats[cat].Equal(o.ByCategory[cat].Value) {
					t.Fatalf("case %d %s %s: Σ months %s ≠ %s", n, o.ID, cat, cats[cat], o.ByCategory[cat])
				}
				byCat = byCat.Add(o.ByCategory[cat].Value)
			}
			lines := decimal.Zero
			for _, l := range o.Lines {
				lines = lines.Add(l.Total)
			}
			if !byCat.Equal(o.TCO.Value) || !lines.Equal(o.TCO.Value) {
				t.Fatalf("case %d %s: by_category %s, lines %s, TCO %s", n, o.ID, byCat, lines, o.TCO)
			}
		}
	}
}

// TestAnchoredNoReversal is a property test: under anchored, adding a bid
// never swaps the ranking of two others.
func TestAnchoredNoReversal(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewSource(11))
	for n := 0; n < 100; n++ {
		d := genDoc(r, 4)
		extra := d.Options[len(d.Options)-1]
		d.Options = d.Options[:len(d.Options)-1]
		before, err := Compare(d, CompareOptions{SkipAnalysis: true})
		if err != nil {
			t.Fatal(err)
		}
		d.Options = append(d.Options, extra)
		after, err := Compare(d, CompareOptions{SkipAnalysis: true})
		if err != nil {
			t.Fatal(err)
		}
		for i := range before.Options {
			for j := range before.Options {
				bi, bj := before.Options[i].Rank, before.Options[j].Rank
				ai, aj := after.Options[i].Rank, after.Options[j].Rank
				if bi == nil || bj == nil || ai == nil || aj == nil {
					continue
				}
				if (*bi < *bj) != (*ai < *aj) {
					t.Fatalf("case %d: adding %s swapped %s and %s", n, extra.ID, before.Options[i].ID, before.Options[j].ID)
				}
			}
		}
	}
}

// genDoc returns a random valid document with n options (the first is the
// baseline): every line basis, tiers in both modes, minimums, windows,
// escalation, seasonality and criteria.
func genDoc(r *rand.Rand, n int) *Document {
	dd := func(f float64, places int32) decimal.Decimal { return decimal.NewFromFloat(f).Round(places) }
	h := 1 + r.Intn(30)
	d := &Document{
		Name: "random", Currency: []string{"USD", "JPY", "BHD"}[r.Intn(3)], Start: fmt.Sprintf("2027-%02d", 1+r.Intn(12)),
		HorizonMonths: h, DiscountRate: dd(r.Float64()*0.2, 3), Timing: []string{TimingEnd, TimingMid, TimingBegin}[r.Intn(3)],
		Escalation: []string{EscalationAnniversary, EscalationMonthly}[r.Intn(2)],
		Volume:     Volume{Unit: "contact", Monthly: dd(r.Float64()*30000, 2), Growth: dd(r.Float64()*0.1, 3)},
		Baseline:   "o0",
		Criteria:   []Criterion{{Key: "q", Name: "Q", Weight: dec("3"), Scale: dec("10")}, {Key: "s", Name: "S", Weight: dec("1"), Scale: dec("5")}},
		Price:      Price{Weight: dd(r.Float64(), 2), Basis: []string{PriceBasisPV, PriceBasisTCO}[r.Intn(2)], Formula: FormulaAnchored, FullAt: dec("0.7"), ZeroAt: dec("1.3")},
	}
	for s := 0; s < 12; s++ {
		d.Volume.Seasonality = append(d.Volume.Seasonality, dd(0.5+r.Float64(), 2))
	}
	for i := 0; i < n; i++ {
		o := Option{ID: fmt.Sprintf("o%d", i), Name: fmt.Sprintf("Option %d", i), VolumeShare: dd(0.5+r.Float64()/2, 2),
			Scores: map[string]decimal.Decimal{"q": dd(r.Float64()*10, 1), "s": dd(r.Float64()*5, 1)}}
		for l := 0; l < 1+r.Intn(5); l++ {
			ln := Line{Name: fmt.Sprintf("line %d", l), Category: LineCategories[r.Intn(4)], Amount: dd(r.Float64()*5000, 3)}
			switch r.Intn(4) {
			case 0:
				ln.Basis = BasisFixed
			case 1:
				ln.Basis, ln.Amount = BasisPerUnit, dd(r.Float64()*3, 4)
			case 2:
				ln.Basis = BasisPerBlock
				if r.Intn(2) == 0 {
					ln.BlockSize = dptr(dd(100+r.Float64()*2000, 3).String())
				} else {
					ln.Capacity = &Capacity{AHTMinutes: dd(2+r.Float64()*10, 2), Occupancy: dd(0.5+r.Float64()/2, 2), Shrinkage: dd(r.Float64()*0.4, 2), PaidHours: dec("173.333")}
				}
			case 3:
				ln.Basis = BasisOneTime
				m := r.Intn(h + 1)
				ln.Month = &m
			}
			if ln.Basis != BasisOneTime {
				ln.Escalation = dd(r.Float64()*0.05, 3)
				if r.Intn(3) == 0 {
					from := 1 + r.Intn(h)
					to := from + r.Intn(h-from+1)
					ln.FromMonth, ln.ToMonth = &from, &to
				}
			}
			o.Lines = append(o.Lines, ln)
		}
		if i > 0 && r.Intn(3) > 0 {
			p := &Pricing{Currency: d.Currency, FXRate: one, Per: PricingPerUnit, UnitFactor: one, TierMode: []string{TierModeGraduated, TierModeAllUnits}[r.Intn(2)],
				FixedMonthly: dd(r.Float64()*1000, 2), MinimumUnits: dd(r.Float64()*5000, 0), MinimumCharge: dd(r.Float64()*20000, 2),
				Escalation: dd(r.Float64()*0.04, 3), SetupFee: dd(r.Float64()*10000, 2), ExitFee: dd(r.Float64()*5000, 2), FromMonth: 1 + r.Intn(h)}
			bound := 0.0
			for k := 0; k < 1+r.Intn(3); k++ {
				bound += 1000 + r.Float64()*15000
				b := dd(bound, 0)
				p.Tiers = append(p.Tiers, Tier{UpTo: &b, Price: dd(1+r.Float64()*5, 2)})
			}
			p.Tiers = append(p.Tiers, Tier{Price: dd(1+r.Float64()*4, 2)})
			if r.Intn(3) == 0 {
				p.Per, p.BlockSize, p.Tiers = PricingPerBlock, dptr("1000"), []Tier{{Price: dd(3000+r.Float64()*2000, 2)}}
			}
			o.Pricing = p
			o.Lines = append(o.Lines, Line{Name: "governance", Category: CategoryPersonnel, Basis: BasisShareOfVendor, Amount: dd(r.Float64()*0.1, 3)})
		}
		d.Options = append(d.Options, o)
	}
	return d
}

// TestBreakEvenAndTipShared checks that the shared horizon sweep gives the
// same intervals and volume tipping point as the separate calls.
func TestBreakEvenAndTipShared(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewSource(5))
	for n := 0; n < 60; n++ {
		d := genDoc(r, 3)
		if err := d.Validate(); err != nil {
			t.Fatal(err)
		}
		mx := d.Volume.Monthly.InexactFloat64() * 3
		for i := 1; i < len(d.Options); i++ {
			be, tip := breakEvenAndTip(d, i, mx, nil, nil)
			want, wantTip := breakEven(d, i, mx), volumeTipping(d, i)
			if fmt.Sprint(be) != fmt.Sprint(want) {
				t.Fatalf("case %d option %d: intervals %v, want %v", n, i, be, want)
			}
			if (tip == nil) != (wantTip == nil) || (tip != nil && *tip != *wantTip) {
				t.Fatalf("case %d option %d: tip %v, want %v", n, i, tip, wantTip)
			}
		}
	}
}

// TestBreakEvenTooManyIntervals checks that a range with a winner change at
// every unit answers with a warning instead of a huge list.
func TestBreakEvenTooManyIntervals(t *testing.T) {
	t.Parallel()
	d := mustDoc(t, doc("", `{"id":"b","name":"B","lines":[{"name":"team","category":"personnel","basis":"per_block","amount":1,"block_size":1}]},
	  {"id":"v","name":"V","pricing":{"tiers":[{"price":1}],"fixed_monthly":0.5}}`))
	mx := dec("600000")
	c, err := Compare(d, CompareOptions{BreakEvenMax: &mx})
	if err != nil {
		t.Fatal(err)
	}
	v := result(t, c, "v")
	if v.BreakEven != nil {
		t.Fatalf("expected no break-even, got %d intervals", len(v.BreakEven.Monthly))
	}
	if len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], "break_even_max") {
		t.Fatalf("warnings: %v", c.Warnings)
	}
	// a range of 100 units (200 intervals) is answered
	mx = dec("100")
	if c, err = Compare(d, CompareOptions{BreakEvenMax: &mx}); err != nil {
		t.Fatal(err)
	}
	if result(t, c, "v").BreakEven == nil || len(result(t, c, "v").BreakEven.Monthly) != 200 {
		t.Fatalf("default range: %+v", result(t, c, "v").BreakEven)
	}
}

// TestCompareCancelled checks that a cancelled context stops the analysis.
func TestCompareCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Compare(readDoc(t, "e2.json"), CompareOptions{Context: ctx}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}
