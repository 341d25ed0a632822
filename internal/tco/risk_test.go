package tco

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand"
	"reflect"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/shopspring/decimal"
)

// tri builds a triangular driver from decimal strings.
func tri(l, m, h string) *Triangular {
	return &Triangular{Low: dec(l), Mode: dec(m), High: dec(h)}
}

// riskDoc returns a copy of d with the given risk block.
func riskDoc(d *Document, runs int, seed int64, dr RiskDrivers) *Document {
	c := *d
	c.Risk = &Risk{Runs: runs, Seed: seed, Drivers: dr}
	return &c
}

// triCDF is the triangular distribution's CDF at x.
func triCDF(x, l, m, h float64) float64 {
	switch {
	case x <= l:
		return 0
	case x >= h:
		return 1
	case x <= m:
		return (x - l) * (x - l) / ((h - l) * (m - l))
	default:
		return 1 - (h-x)*(h-x)/((h-l)*(h-m))
	}
}

// fullSavings costs every option of d from scratch under the scale each
// option gets, with the engine's own full rounded model (as sensitivity
// does), and returns savings on the price basis in minor units.
func fullSavings(t testing.TB, d *Document, scaleOf func(i int) scale) []int64 {
	t.Helper()
	e, err := newEngine(d, nil)
	if err != nil {
		t.Fatal(err)
	}
	totals := make([]decimal.Decimal, len(d.Options))
	for i := range d.Options {
		totals[i] = e.total(e.m.cost(&d.Options[i], scaleOf(i), nil), d.Price.Basis)
	}
	out := make([]int64, len(d.Options))
	for i := range totals {
		out[i] = totals[e.base].Sub(totals[i]).Shift(e.m.places).IntPart()
	}
	return out
}

// TestRiskFixedDrivers is spec §9's first exact check: with every driver
// fixed, every percentile (and the mean) is the option's savings of §2 on
// the price basis, p_saves is 1 or 0, p_first 1 for the first-ranked
// option and 0 for the others. Fixed away from 1, the figures are the
// full model's under those multipliers.
func TestRiskFixedDrivers(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"e2.json", "e3.json", "sample.json"} {
		base := readDoc(t, name)
		t.Run(name+"/Left out", func(t *testing.T) {
			d := riskDoc(base, 100, 3, RiskDrivers{})
			c := mustCompare(t, d)
			for _, o := range c.Options {
				s := o.Savings.PV
				if d.Price.Basis == PriceBasisTCO {
					s = o.Savings.TCO
				}
				checkFixed(t, o, s.String(), o.Rank != nil && *o.Rank == 1)
			}
		})
		t.Run(name+"/At 1", func(t *testing.T) {
			d := riskDoc(base, 100, 3, RiskDrivers{Volume: tri("1", "1", "1"), Personnel: tri("1", "1", "1"),
				AHT: tri("1", "1", "1"), VendorPrice: tri("1", "1", "1"), FXRate: tri("1", "1", "1")})
			plain := mustCompare(t, base)
			c := mustCompare(t, d)
			for i, o := range c.Options {
				checkFixed(t, o, plain.Options[i].Savings.PV.String(), plain.Options[i].Rank != nil && *plain.Options[i].Rank == 1)
			}
		})
		t.Run(name+"/Away from 1", func(t *testing.T) {
			d := riskDoc(base, 100, 3, RiskDrivers{Volume: tri("1.13", "1.13", "1.13"), Personnel: tri("0.97", "0.97", "0.97"),
				AHT: tri("1.2", "1.2", "1.2"), VendorPrice: tri("1.05", "1.05", "1.05"), FXRate: tri("0.9", "0.9", "0.9")})
			want := fullSavings(t, d, func(i int) scale {
				s := scale{volume: dec("1.13"), personnel: dec("0.97"), aht: dec("1.2"), price: one, fx: one}
				if p := d.Options[i].Pricing; p != nil {
					s.price = dec("1.05")
					if p.Currency != d.Currency {
						s.fx = dec("0.9")
					}
				}
				return s
			})
			c := mustCompare(t, d)
			firsts := 0.0
			for i, o := range c.Options {
				w := decimal.New(want[i], -c.Places).StringFixed(c.Places)
				checkFixed(t, o, w, o.Risk.PFirst == 1)
				firsts += o.Risk.PFirst
			}
			if firsts != 1 {
				t.Errorf("p_first sums to %v", firsts)
			}
		})
	}
}

// checkFixed checks one option's risk when no driver varies.
func checkFixed(t *testing.T, o OptionResult, savings string, first bool) {
	t.Helper()
	r := o.Risk
	if r == nil {
		t.Fatalf("%s: risk is null", o.ID)
	}
	for name, m := range map[string]Money{"p10": r.Savings.P10, "p50": r.Savings.P50, "p90": r.Savings.P90, "mean": r.Savings.Mean} {
		if m.String() != savings {
			t.Errorf("%s: %s = %s, want the savings %s", o.ID, name, m, savings)
		}
	}
	wantSaves := 0.0
	if dec(savings).Sign() > 0 {
		wantSaves = 1
	}
	if r.PSaves != wantSaves {
		t.Errorf("%s: p_saves = %v, want %v (savings %s)", o.ID, r.PSaves, wantSaves, savings)
	}
	wantFirst := 0.0
	if first {
		wantFirst = 1
	}
	if r.PFirst != wantFirst {
		t.Errorf("%s: p_first = %v, want %v", o.ID, r.PFirst, wantFirst)
	}
}

// TestRiskVendorPriceTipping is spec §9's second check: with only
// vendor_price varying and a baseline without pricing, savings are linear
// in the option's multiplier k, so p_saves is the triangular CDF at the
// unrounded tipping point of §5, to sampling error. The tolerance is
// 4.5 standard errors of a share at 20,000 runs (at most 0.016, inside the
// spec's ±0.02).
func TestRiskVendorPriceTipping(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("20,000 runs each")
	}
	const runs = 20000
	for _, tc := range []struct {
		doc             string
		low, mode, high string
		inside          bool
	}{
		{"e2.json", "1.0", "1.0", "1.05", false},    // the preset: e2 saves in every run
		{"e2.json", "0.9", "1.05", "1.3", true},     // the tipping point (1.112) inside the range
		{"sample.json", "0.7", "0.85", "1.2", true}, // a quote in another currency
	} {
		t.Run(tc.doc+" "+tc.low+"/"+tc.mode+"/"+tc.high, func(t *testing.T) {
			base := readDoc(t, tc.doc)
			d := riskDoc(base, runs, 11, RiskDrivers{VendorPrice: tri(tc.low, tc.mode, tc.high)})
			c := mustCompare(t, d)
			l, m, h := dec(tc.low).InexactFloat64(), dec(tc.mode).InexactFloat64(), dec(tc.high).InexactFloat64()
			at := func(k string) []int64 {
				return fullSavings(t, d, func(int) scale { s := unscaled; s.price = dec(k); return s })
			}
			s0, s1 := at("0"), at("1")
			for i, o := range c.Options {
				if d.Options[i].Pricing == nil {
					continue
				}
				// savings(k) = s0 + (s1 − s0) k: zero at k*
				tip := float64(s0[i]) / float64(s0[i]-s1[i])
				if (tip > l && tip < h) != tc.inside {
					t.Fatalf("%s: tipping point %.4f, inside (%v, %v) = %v, want %v", o.ID, tip, l, h, !tc.inside, tc.inside)
				}
				want := triCDF(tip, l, m, h)
				tol := 4.5*math.Sqrt(0.25/runs) + 1.0/runs
				t.Logf("%s: tipping point %.4f, CDF %.4f, p_saves %.4f", o.ID, tip, want, o.Risk.PSaves)
				if got := o.Risk.PSaves; math.Abs(got-want) > tol {
					t.Errorf("%s: p_saves %.4f, the CDF at the tipping point %.4f is %.4f (tolerance %.4f)", o.ID, got, tip, want, tol)
				}
				if sens := result(t, c, o.ID).Sensitivity; len(sens) > 0 {
					for _, s := range sens {
						if s.Driver == DriverVendorPrice && s.TippingPoint != nil && math.Abs(*s.TippingPoint-tip) > 0.0005 {
							t.Errorf("%s: §5's tipping point %v, the linear one %.4f", o.ID, *s.TippingPoint, tip)
						}
					}
				}
			}
		})
	}
}

// TestRiskDraws holds the drawn multipliers against the triangular
// distribution: the mean within 4.5 standard errors of (low+mode+high)/3,
// and the largest gap between the empirical and the true CDF under the
// Kolmogorov–Smirnov bound at 0.1% (1.95/√n); both from the run count, with
// a fixed seed. Every driver is inside its range.
func TestRiskDraws(t *testing.T) {
	t.Parallel()
	d := riskDoc(readDoc(t, "sample.json"), 20000, 42, RiskDrivers{Volume: tri("0.8", "1", "1.3"),
		Personnel: tri("0.95", "1.03", "1.15"), AHT: tri("0.9", "0.9", "1.2"), VendorPrice: tri("1", "1.2", "1.2"), FXRate: tri("0.85", "1", "1.15")})
	p := newRiskPlan(d, d.Risk.Runs, d.Risk.Seed)
	if p.uniforms != 5 {
		t.Fatalf("%d uniforms a run, want 5 (volume, personnel, aht, one priced option, one foreign currency)", p.uniforms)
	}
	n := d.Risk.Runs
	vals := make([][]float64, 5)
	u := make([]float64, p.uniforms)
	var r riskDraw
	for i := range n {
		p.drawRun(i, u, &r)
		for j, x := range []decimal.Decimal{r.volume, r.pers, r.aht, r.price[0], r.fx[0]} {
			vals[j] = append(vals[j], x.InexactFloat64())
		}
	}
	for j, dr := range d.Risk.Drivers.list() {
		l, m, h := dr.t.Low.InexactFloat64(), dr.t.Mode.InexactFloat64(), dr.t.High.InexactFloat64()
		xs := vals[j]
		mean, sd := (l+m+h)/3, math.Sqrt((l*l+m*m+h*h-l*m-l*h-m*h)/18)
		sum := 0.0
		for _, x := range xs {
			if x < l || x > h {
				t.Fatalf("%s: %v outside [%v, %v]", dr.name, x, l, h)
			}
			sum += x
		}
		if got := sum / float64(n); math.Abs(got-mean) > 4.5*sd/math.Sqrt(float64(n)) {
			t.Errorf("%s: mean %.5f, want %.5f ± %.5f", dr.name, got, mean, 4.5*sd/math.Sqrt(float64(n)))
		}
		sort.Float64s(xs)
		ks := 0.0
		for i, x := range xs {
			f := triCDF(x, l, m, h)
			ks = math.Max(ks, math.Max(math.Abs(float64(i+1)/float64(n)-f), math.Abs(f-float64(i)/float64(n))))
		}
		if bound := 1.95 / math.Sqrt(float64(n)); ks > bound {
			t.Errorf("%s: Kolmogorov–Smirnov distance %.4f over %.4f", dr.name, ks, bound)
		}
	}
}

// TestRiskPercentiles checks percentiles and the mean on a document whose
// savings are exactly linear in the volume multiplier k (per-unit costs
// only, whole amounts): savings = a·k + b, so the p-th percentile of the
// savings is a·k_(p) + b for the p-th percentile of the drawn k, and the
// empirical CDF of k at the percentile lies within 4.5 standard errors of p.
func TestRiskPercentiles(t *testing.T) {
	t.Parallel()
	d := mustDoc(t, doc(`, "price": {"basis": "tco"}, "risk": {"runs": 5000, "seed": 9, "drivers": {"volume": {"low": 0.5, "mode": 0.9, "high": 1.5}}}`, `
	 {"id": "b", "name": "B", "lines": [{"name": "u", "category": "operations", "basis": "per_unit", "amount": 5}]},
	 {"id": "v", "name": "V", "lines": [{"name": "u", "category": "operations", "basis": "per_unit", "amount": 3},
	                                    {"name": "f", "category": "operations", "basis": "fixed", "amount": 2000}]}`))
	c := mustCompare(t, d)
	r := result(t, c, "v").Risk
	// 3 months of 1,000 contacts at 2 less a unit, less 2,000 a month:
	// savings = 6,000 k − 6,000
	a, b := 6000.0, -6000.0
	n := 5000.0
	for _, q := range []struct {
		p   float64
		got Money
	}{{0.1, r.Savings.P10}, {0.5, r.Savings.P50}, {0.9, r.Savings.P90}} {
		k := (q.got.Value.InexactFloat64() - b) / a
		f := triCDF(k, 0.5, 0.9, 1.5)
		if tol := 4.5*math.Sqrt(q.p*(1-q.p)/n) + 1/n; math.Abs(f-q.p) > tol {
			t.Errorf("p%.0f = %s: k = %.5f at CDF %.4f, want %.2f ± %.4f", q.p*100, q.got, k, f, q.p, tol)
		}
	}
	mean := a*(0.5+0.9+1.5)/3 + b
	sd := a * math.Sqrt((0.25+0.81+2.25-0.45-0.75-1.35)/18)
	if got := r.Savings.Mean.Value.InexactFloat64(); math.Abs(got-mean) > 4.5*sd/math.Sqrt(n) {
		t.Errorf("mean %v, want %.2f ± %.2f", got, mean, 4.5*sd/math.Sqrt(n))
	}
	// p_saves: savings > 0 when k > 1
	if want, tol := 1-triCDF(1, 0.5, 0.9, 1.5), 4.5*math.Sqrt(0.25/n)+1/n; math.Abs(r.PSaves-want) > tol {
		t.Errorf("p_saves %v, want %.4f ± %.4f", r.PSaves, want, tol)
	}
	if r.PFirst != r.PSaves {
		// no criteria: the price score ranks, so v is first exactly when it is cheaper
		t.Errorf("p_first %v, want p_saves %v", r.PFirst, r.PSaves)
	}
	b0 := result(t, c, "b").Risk
	if b0.Savings.P10.String() != "0.00" || b0.Savings.Mean.String() != "0.00" || b0.PSaves != 0 {
		t.Errorf("baseline risk %+v, want zero savings and p_saves 0", b0)
	}
	if b0.PFirst+r.PFirst != 1 {
		t.Errorf("p_first sums to %v", b0.PFirst+r.PFirst)
	}
}

// TestRiskRunsEqualFullModel holds every run's savings against the full
// model costed from scratch under that run's draws, on documents with every
// basis, tiers, capacities, per-FTE pricing, windows and a foreign quote,
// with all drivers or some, and with the double-precision estimates on and
// off (every amount exact).
func TestRiskRunsEqualFullModel(t *testing.T) {
	all := RiskDrivers{Volume: tri("0.7", "1", "1.4"), Personnel: tri("0.9", "1.03", "1.2"), AHT: tri("0.8", "1", "1.3"),
		VendorPrice: tri("0.9", "1", "1.2"), FXRate: tri("0.8", "1", "1.2")}
	some := []RiskDrivers{
		{Personnel: tri("0.9", "1.03", "1.2")},
		{VendorPrice: tri("0.9", "1", "1.2"), FXRate: tri("1", "1", "1")},
		{AHT: tri("0.5", "1", "2.5"), FXRate: tri("0.5", "1", "2")},
		{Volume: tri("0", "0", "3")},
	}
	// e2 staffed to a service level (spec §8), on the baseline's agents
	// and on the per-FTE pricing of a second vendor
	sl := readDoc(t, "e2.json")
	c4 := e4Capacity(e4Profile...)
	sl.Options[0].Lines[0].Capacity = &c4
	fte := sl.Options[1]
	fte.ID, fte.Name, fte.Lines = "fte", "Per FTE", nil
	p4 := *fte.Pricing
	c5 := e4Capacity(1, 2, 3)
	p4.Per, p4.Capacity, p4.Tiers, p4.SetupFee = PricingPerBlock, &c5, []Tier{{Price: dec("4100")}}, decimal.Zero
	fte.Pricing = &p4
	sl.Options = append(sl.Options, fte)
	if err := sl.Validate(); err != nil {
		t.Fatal(err)
	}
	docs := map[string]*Document{"e2": readDoc(t, "e2.json"), "e3": readDoc(t, "e3.json"), "sample": readDoc(t, "sample.json"),
		"large": largeDocument(), "service level": sl}
	for _, exact := range []bool{false, true} {
		for name, base := range docs {
			runs := []int{0, 1, 37, 99}
			if name == "large" && exact {
				runs = runs[:2]
			}
			checkRuns(t, name, riskDoc(base, 100, 5, all), runs, exact)
			for _, dr := range some {
				checkRuns(t, name, riskDoc(base, 100, 6, dr), runs[:2], exact)
			}
		}
		r := rand.New(rand.NewSource(16))
		for k := range 40 {
			d := beRandomDocument(r)
			if err := d.Validate(); err != nil {
				continue
			}
			checkRuns(t, fmt.Sprintf("random %d", k), riskDoc(d, 100, int64(k), all), []int{0, 1, 2, 3, 4, 5, 6, 7}, exact)
		}
	}
}

// checkRuns compares the given runs of d with the full model.
func checkRuns(t *testing.T, name string, d *Document, runs []int, exact bool) {
	t.Helper()
	defer func(old bool) { riskExactOnly = old }(riskExactOnly)
	riskExactOnly = exact
	e, err := newEngine(d, nil)
	if err != nil {
		t.Fatal(err)
	}
	sc := e.scoring(&Comparison{Options: make([]OptionResult, len(d.Options))})
	p := newRiskPlan(d, d.Risk.Runs, d.Risk.Seed)
	p.places = e.m.places
	w, err := e.newRiskWorker(p, sc, newRunModel(e, p))
	if err != nil {
		t.Fatal(err)
	}
	out := &riskOutcome{savings: make([][]int64, len(d.Options)), first: make([]int32, d.Risk.Runs)}
	for i := range out.savings {
		out.savings[i] = make([]int64, d.Risk.Runs)
	}
	for _, run := range runs {
		w.run(run, out)
		var r riskDraw
		p.drawRun(run, make([]float64, p.uniforms), &r)
		want := fullSavings(t, d, func(i int) scale { return p.scaleOf(i, &r) })
		for i := range d.Options {
			if out.savings[i][run] != want[i] {
				t.Errorf("%s (exact %v) run %d, %s: savings %d, the full model %d", name, exact, run, d.Options[i].ID, out.savings[i][run], want[i])
			}
		}
	}
}

// TestRiskDeterministic: the same document and seed give the same bytes,
// again and with one worker or two; another seed gives other figures.
func TestRiskDeterministic(t *testing.T) {
	d := riskDoc(readDoc(t, "sample.json"), 3000, 7, RiskDrivers{Volume: tri("0.8", "1", "1.3"), Personnel: tri("0.97", "1.03", "1.10"),
		AHT: tri("0.9", "1", "1.2"), VendorPrice: tri("1", "1", "1.05"), FXRate: tri("0.85", "1", "1.15")})
	encode := func(procs int, d *Document) string {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		b, err := json.Marshal(mustCompare(t, d))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	first := encode(2, d)
	if !strings.Contains(first, `"p_saves"`) {
		t.Fatal("no risk in the comparison")
	}
	for _, procs := range []int{2, 1, 2, 4} {
		if got := encode(procs, d); got != first {
			t.Fatalf("GOMAXPROCS %d: the comparison differs", procs)
		}
	}
	other := riskDoc(d, 3000, 8, d.Risk.Drivers)
	if encode(2, other) == first {
		t.Error("seed 8 gives the same comparison as seed 7")
	}
}

// TestRiskNullWithout: without a risk block every option's risk is null,
// and a risk block changes nothing else in the comparison.
func TestRiskNullWithout(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"e2.json", "e3.json", "sample.json"} {
		base := readDoc(t, name)
		plain, err := json.Marshal(mustCompare(t, base))
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(string(plain), `"risk":null`); n != len(base.Options) {
			t.Errorf("%s: %d null risks, want %d", name, n, len(base.Options))
		}
		with, err := json.Marshal(mustCompare(t, riskDoc(base, 200, 1, RiskDrivers{Volume: tri("0.5", "1", "2")})))
		if err != nil {
			t.Fatal(err)
		}
		stripped := regexp.MustCompile(`"risk":\{"savings":\{[^}]*\},"p_saves":[^,]*,"p_first":[^}]*\}`).ReplaceAllString(string(with), `"risk":null`)
		if stripped != string(plain) {
			t.Errorf("%s: a risk block changed more than risk", name)
		}
	}
}

// TestRiskOverrides: a request's runs and seed replace the document's;
// without a risk block they are an error at "runs" or "seed".
func TestRiskOverrides(t *testing.T) {
	t.Parallel()
	base := readDoc(t, "e2.json")
	runs, seed := 150, int64(99)
	_, err := Compare(base, CompareOptions{Runs: &runs})
	if es, ok := err.(Errors); !ok || !hasField(es, "runs", "no risk block") {
		t.Errorf("runs without a risk block: %v", err)
	}
	_, err = Compare(base, CompareOptions{Seed: &seed})
	if es, ok := err.(Errors); !ok || !hasField(es, "seed", "no risk block") {
		t.Errorf("seed without a risk block: %v", err)
	}
	d := riskDoc(base, 1000, 1, RiskDrivers{Volume: tri("0.8", "1", "1.3")})
	c, err := Compare(d, CompareOptions{Runs: &runs, Seed: &seed})
	if err != nil {
		t.Fatal(err)
	}
	if c.RiskRuns != 150 || c.RiskSeed != 99 {
		t.Errorf("simulated %d runs from seed %d, want 150 and 99", c.RiskRuns, c.RiskSeed)
	}
	same, _ := Compare(riskDoc(base, 150, 99, d.Risk.Drivers), CompareOptions{})
	a, _ := json.Marshal(c)
	b, _ := json.Marshal(same)
	if string(a) != string(b) {
		t.Error("overriding runs and seed differs from a document with them")
	}
	bad, badSeed := 99, int64(-1)
	_, err = Compare(d, CompareOptions{Runs: &bad, Seed: &badSeed})
	if es, ok := err.(Errors); !ok || !hasField(es, "runs", "100") || !hasField(es, "seed", "2^53") {
		t.Errorf("bad runs and seed: %v", err)
	}
	// SkipAnalysis leaves risk out, unless WithRisk
	c, err = Compare(d, CompareOptions{SkipAnalysis: true})
	if err != nil || c.Options[1].Risk != nil {
		t.Errorf("SkipAnalysis: risk %v, err %v", c.Options[1].Risk, err)
	}
	c, err = Compare(d, CompareOptions{SkipAnalysis: true, WithRisk: true})
	if err != nil || c.Options[1].Risk == nil || c.Options[1].BreakEven != nil || c.RiskRuns != 1000 {
		t.Errorf("SkipAnalysis with risk: risk %v, break-even %v, err %v", c.Options[1].Risk, c.Options[1].BreakEven, err)
	}
	if w := Estimate(d, CompareOptions{SkipAnalysis: true, WithRisk: true}); w.Runs != 1000 {
		t.Errorf("WithRisk counts %d runs", w.Runs)
	}
}

// TestRiskCancelled: a cancelled request stops the runs and Compare returns
// the context's error.
func TestRiskCancelled(t *testing.T) {
	t.Parallel()
	base := readDoc(t, "e2.json")
	// the looks of the comparison without risk, then 50 runs' worth more
	probe := &countdown{Context: context.Background(), n: math.MaxInt64}
	if _, err := Compare(base, CompareOptions{Context: probe}); err != nil {
		t.Fatal(err)
	}
	d := riskDoc(base, 20000, 1, RiskDrivers{Volume: tri("0.8", "1", "1.3")})
	cd := &countdown{Context: context.Background(), n: probe.looks.Load() + 50}
	_, err := Compare(d, CompareOptions{Context: cd})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if looks := cd.looks.Load(); looks > probe.looks.Load()+50+int64(2*runtime.GOMAXPROCS(0)) {
		t.Errorf("the runs went on after the cancel: %d looks", looks)
	}
}

// TestRiskBudget: runs × the costing of a run over the risk budget is
// refused at risk.runs (or the request's runs) with how many would do.
func TestRiskBudget(t *testing.T) {
	t.Parallel()
	d := riskDoc(largeDocument(), 20000, 1, RiskDrivers{Volume: tri("0.8", "1", "1.3")})
	w := Estimate(d, CompareOptions{})
	if w.Runs != 20000 || w.RiskUnits() <= MaxRiskWork {
		t.Fatalf("work %+v: risk units %d", w, w.RiskUnits())
	}
	_, err := Compare(d, CompareOptions{})
	es, ok := err.(Errors)
	if !ok || !hasField(es, "risk.runs", "at most") {
		t.Fatalf("err = %v, want a problem at risk.runs", err)
	}
	if err := Check(d); err == nil || !hasField(err.(Errors), "risk.runs") {
		t.Errorf("Check: %v", err)
	}
	runs := 20000
	_, err = Compare(riskDoc(d, 1000, 1, d.Risk.Drivers), CompareOptions{Runs: &runs})
	if es, ok := err.(Errors); !ok || !hasField(es, "runs", "at most") {
		t.Errorf("request's runs: %v", err)
	}
	// the interactive case stays inside
	if w := Estimate(riskDoc(d, 1000, 1, d.Risk.Drivers), CompareOptions{}); w.RiskUnits() > MaxRiskWork {
		t.Errorf("the large document at 1,000 runs is over the budget: %d", w.RiskUnits())
	}
	if w := Estimate(d, CompareOptions{SkipAnalysis: true}); w.Runs != 0 {
		t.Errorf("SkipAnalysis counts %d runs", w.Runs)
	}
}

// TestRiskBudgetStaffing: a run re-staffs every service-level capacity at
// its draws (spec §8, §9), so the risk budget counts that too. 96
// fifteen-minute intervals over 120 months of distinct demand, with the
// AHT drawn, took 0.6 ms a run (12 s of CPU at 20,000 runs) while its 1,694
// amounts were counted as 0.17 ms: it is refused at risk.runs, naming the
// intervals, and the runs it offers are accepted. The preset on a
// usual profile stays inside at the most runs.
func TestRiskBudgetStaffing(t *testing.T) {
	t.Parallel()
	d := readDoc(t, "e2.json")
	d.HorizonMonths = 120
	d.Volume.Monthly = dec("200000")
	d.Volume.Growth = dec("0.05")
	d.Volume.Seasonality = nil
	for _, x := range []string{"1", "1.1", "0.9", "1.2", "1", "0.95", "1.05", "1.15", "0.85", "1", "1.1", "0.9"} {
		d.Volume.Seasonality = append(d.Volume.Seasonality, dec(x))
	}
	staff := func(d *Document, interval int, profile []int64) {
		for i := range d.Options {
			for k := range d.Options[i].Lines {
				if l := &d.Options[i].Lines[k]; l.Capacity != nil {
					c := e4Capacity(profile...)
					c.IntervalMinutes, c.AHTMinutes = interval, l.Capacity.AHTMinutes
					l.Capacity = &c
				}
			}
		}
	}
	day := make([]int64, 96)
	for i := range day {
		day[i] = int64(1 + (i*7)%5)
	}
	staff(d, 15, day)
	wide := RiskDrivers{Volume: tri("0.5", "1", "3"), AHT: tri("0.5", "1", "3")}
	h := riskDoc(d, 20000, 1, wide)
	w := Estimate(h, CompareOptions{})
	if w.RunStaffing == 0 || w.RunStaffing*unitsStaffing < w.ItemMonths*unitsRun {
		t.Fatalf("work %+v: a run's staffing should outweigh its amounts", w)
	}
	_, err := Compare(h, CompareOptions{})
	es, ok := err.(Errors)
	if !ok || !hasField(es, "risk.runs", "intervals staffed to a service level", "at most") {
		t.Fatalf("err = %v, want a problem at risk.runs naming the intervals", err)
	}
	most := int(MaxRiskWork / w.runUnits())
	if most < MinRuns || most >= 20000 {
		t.Fatalf("at most %d runs offered", most)
	}
	if _, err := Compare(riskDoc(d, most, 1, wide), CompareOptions{}); err != nil {
		t.Errorf("at the %d runs offered: %v", most, err)
	}
	// a fixed AHT tables nothing per run: less work than a drawn one
	if f := Estimate(riskDoc(d, 20000, 1, RiskDrivers{Volume: wide.Volume}), CompareOptions{}); f.RunStaffing >= w.RunStaffing {
		t.Errorf("fixed AHT: %d intervals a run, drawn: %d", f.RunStaffing, w.RunStaffing)
	}

	// the preset (spec §9's typical ranges) on 26 half hours, 60 months
	u := readDoc(t, "e2.json")
	u.HorizonMonths = 60
	staff(u, 30, []int64{1, 2, 3, 4, 4, 3, 3, 4, 4, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1})
	preset := RiskDrivers{Volume: tri("0.8", "1", "1.3"), Personnel: tri("0.97", "1.03", "1.10"), AHT: tri("0.9", "1", "1.2")}
	if w := Estimate(riskDoc(u, MaxRuns, 1, preset), CompareOptions{}); w.RiskUnits() > MaxRiskWork {
		t.Errorf("the preset at %d runs on a usual profile is over the budget: %+v", MaxRuns, w)
	}
}

// TestRiskDecode reads risk blocks: defaults, numbers as strings, the
// largest seed, and every problem at once with its path.
func TestRiskDecode(t *testing.T) {
	t.Parallel()
	read := func(risk string) (*Document, error) {
		return Decode([]byte(doc(`, "risk": `+risk, `{"id": "b", "name": "B"}, {"id": "v", "name": "V"}`)))
	}
	t.Run("OK", func(t *testing.T) {
		d, err := read(`{}`)
		if err != nil {
			t.Fatal(err)
		}
		if d.Risk.Runs != 1000 || d.Risk.Seed != 1 || d.Risk.Drivers != (RiskDrivers{}) {
			t.Errorf("defaults: %+v", d.Risk)
		}
		d, err = read(`{"runs": "20000", "seed": "9007199254740991", "drivers": {"aht": {"low": "0.9", "mode": 1, "high": 1.2}, "volume": null}}`)
		if err != nil {
			t.Fatal(err)
		}
		if d.Risk.Runs != 20000 || d.Risk.Seed != 1<<53-1 || d.Risk.Drivers.AHT == nil || d.Risk.Drivers.Volume != nil {
			t.Errorf("read %+v", d.Risk)
		}
		d, err = read(`{"seed": 9007199254740991, "drivers": {"fx_rate": {"low": 0, "mode": 0, "high": 3}}}`)
		if err != nil || d.Risk.Seed != 1<<53-1 {
			t.Fatalf("%v %+v", err, d)
		}
		// a document with risk survives export and import
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		again, err := Decode(b)
		if err != nil {
			t.Fatalf("re-decoding %s: %v", b, err)
		}
		if again.Risk.Seed != d.Risk.Seed || !again.Risk.Drivers.FXRate.High.Equal(dec("3")) {
			t.Errorf("round trip: %+v", again.Risk)
		}
		// without risk, the export has no risk key
		plain, _ := Decode([]byte(doc(``, `{"id": "b", "name": "B"}, {"id": "v", "name": "V"}`)))
		if b, _ := json.Marshal(plain); strings.Contains(string(b), "risk") {
			t.Errorf("export without risk: %s", b)
		}
	})
	t.Run("Err", func(t *testing.T) {
		_, err := read(`{"runs": 99, "seed": 9007199254740992, "extra": 1, "drivers": {
			"discount_rate": {"low": 1, "mode": 1, "high": 1},
			"volumes": {"low": 1, "mode": 1, "high": 1},
			"volume": {"low": 1.2, "mode": 1, "high": 3.5},
			"personnel": {"low": -0.1, "mode": 1},
			"aht": {"low": 1, "mode": 1.2, "high": 1.1},
			"fx_rate": 2}}`)
		es, ok := err.(Errors)
		if !ok {
			t.Fatalf("err = %v", err)
		}
		for path, words := range map[string]string{
			"risk.runs":                   "100 to 20000",
			"risk.seed":                   "2^53",
			"risk.extra":                  "unknown field",
			"risk.drivers.discount_rate":  "policy, not risk",
			"risk.drivers.volumes":        `did you mean "volume"`,
			"risk.drivers.volume.mode":    "at least low",
			"risk.drivers.volume.high":    "0 to 3",
			"risk.drivers.personnel.low":  "0 to 3",
			"risk.drivers.personnel.high": "is required",
			"risk.drivers.aht.high":       "at least mode",
			"risk.drivers.fx_rate":        "must be an object",
		} {
			if !hasField(es, path, words) {
				t.Errorf("no problem at %s saying %q in %v", path, words, es)
			}
		}
		for _, bad := range []string{`-1`, `1.5`, `"x"`, `1e16`, `true`} {
			_, err := read(`{"seed": ` + bad + `}`)
			if es, ok := err.(Errors); !ok || !hasField(es, "risk.seed") {
				t.Errorf("seed %s: %v", bad, err)
			}
		}
		if _, err := read(`[]`); err == nil || !hasField(err.(Errors), "risk", "object") {
			t.Errorf("risk []: %v", err)
		}
	})
	t.Run("Validate", func(t *testing.T) {
		d := readDoc(t, "e2.json")
		d.Risk = &Risk{Runs: 0, Seed: -5, Drivers: RiskDrivers{Volume: tri("1", "0.5", "1")}}
		es, ok := d.Validate().(Errors)
		if !ok || !hasField(es, "risk.runs") || !hasField(es, "risk.seed") || !hasField(es, "risk.drivers.volume.mode") {
			t.Errorf("Validate: %v", es)
		}
	})
}

// TestRiskWorkers: Workers bounds the goroutines that run at once (the
// evaluation service's slot gives one) without changing a byte of the
// answer; SkipRisk leaves risk out and keeps the rest of the comparison.
func TestRiskWorkers(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	d := riskDoc(readDoc(t, "e2.json"), 2000, 7, RiskDrivers{Volume: tri("0.8", "1", "1.3"), AHT: tri("0.9", "1", "1.2")})
	var now, peak atomic.Int64
	riskWorkerHook = func(delta int) {
		n := now.Add(int64(delta))
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
	}
	defer func() { riskWorkerHook = nil }()
	encode := func(o CompareOptions) string {
		c, err := Compare(d, o)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	all := encode(CompareOptions{})
	if p := peak.Load(); p < 2 {
		t.Fatalf("with GOMAXPROCS 4 and no bound the runs spread over %d goroutines", p)
	}
	for _, w := range []int{1, 2, 3} {
		peak.Store(0)
		if got := encode(CompareOptions{Workers: w}); got != all {
			t.Errorf("Workers %d: the comparison differs", w)
		}
		if p := peak.Load(); p != int64(w) {
			t.Errorf("Workers %d: %d goroutines ran at once", w, p)
		}
	}
	peak.Store(0)
	skip, err := Compare(d, CompareOptions{SkipRisk: true})
	if err != nil {
		t.Fatal(err)
	}
	if peak.Load() != 0 || skip.RiskRuns != 0 {
		t.Errorf("SkipRisk ran the simulation (%d goroutines, %d runs)", peak.Load(), skip.RiskRuns)
	}
	full := mustCompare(t, d)
	for i := range skip.Options {
		if skip.Options[i].Risk != nil {
			t.Errorf("SkipRisk: %s has risk", skip.Options[i].ID)
		}
		if !reflect.DeepEqual(skip.Options[i].Sensitivity, full.Options[i].Sensitivity) || !skip.Options[i].PV.Value.Equal(full.Options[i].PV.Value) {
			t.Errorf("SkipRisk changed %s's figures", skip.Options[i].ID)
		}
	}
	if w := Estimate(d, CompareOptions{SkipRisk: true}); w.Runs != 0 {
		t.Errorf("Estimate with SkipRisk counts %d runs", w.Runs)
	}
}
