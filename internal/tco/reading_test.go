package tco

import (
	"math"
	"math/rand"
	"os"
	"reflect"
	"testing"
)

// TestReadIntervalsHand covers each rule of ReadIntervals.
func TestReadIntervalsHand(t *testing.T) {
	t.Parallel()
	iv := func(w ...string) []Interval {
		out := make([]Interval, len(w))
		for i, x := range w {
			out[i] = Interval{From: float64(10 * i), To: float64(10 * (i + 1)), Winner: x}
		}
		return out
	}
	r := func(from, to float64, w string) Reading { return Reading{From: from, To: to, Winner: w} }
	for _, tc := range []struct {
		name string
		iv   []Interval
		imm  []bool
		want []Reading
	}{
		{"NoneImmaterial", iv("b", "o", "b"), []bool{false, false, false}, []Reading{r(0, 10, "b"), r(10, 20, "o"), r(20, 30, "b")}},
		{"NilFlags", iv("b", "o"), nil, []Reading{r(0, 10, "b"), r(10, 20, "o")}},
		{"RunOfTwo", iv("b", "o", "b", "o"), []bool{false, true, true, false}, []Reading{r(0, 10, "b"), r(10, 30, AboutEven), r(30, 40, "o")}},
		{"InteriorBlip", iv("b", "o", "b"), []bool{false, true, false}, []Reading{r(0, 10, "b"), r(10, 20, AboutEven), r(20, 30, "b")}},
		{"EdgeSingleStays", iv("b", "o"), []bool{true, false}, []Reading{r(0, 10, "b"), r(10, 20, "o")}},
		{"EdgeSingleEndStays", iv("b", "o"), []bool{false, true}, []Reading{r(0, 10, "b"), r(10, 20, "o")}},
		{"WholeRangeOneWinner", iv("o"), []bool{true}, []Reading{r(0, 10, "o")}},
		{"CrossingAllImmaterial", iv("b", "o"), []bool{true, true}, []Reading{r(0, 20, AboutEven)}},
		{"TieStaysTie", iv("b", WinnerTie, "o"), []bool{false, true, false}, []Reading{r(0, 10, "b"), r(10, 20, WinnerTie), r(20, 30, "o")}},
		{"EdgeRun", iv("b", "o", "b", "o"), []bool{true, true, false, false}, []Reading{r(0, 20, AboutEven), r(20, 30, "b"), r(30, 40, "o")}},
		{"TwoRuns", iv("b", "o", "b", "o", "b", "o"), []bool{false, true, true, false, true, true}, []Reading{r(0, 10, "b"), r(10, 30, AboutEven), r(30, 40, "o"), r(40, 60, AboutEven)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ReadIntervals(tc.iv, tc.imm); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// TestReadIntervalsProperty: over random alternating intervals and flags,
// the reading tiles the same range in order with boundaries taken from the
// intervals; a stretch that is not about even is one interval unchanged;
// an about-even stretch is exactly a maximal run of immaterial intervals
// that alternates; and no flag set reads exactly as the intervals.
func TestReadIntervalsProperty(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewSource(1))
	names := []string{"base", "opt", WinnerTie}
	for n := 0; n < 2000; n++ {
		k := 1 + r.Intn(9)
		iv := make([]Interval, k)
		imm := make([]bool, k)
		x := 0.0
		for i := range iv {
			w := names[r.Intn(3)]
			for i > 0 && w == iv[i-1].Winner {
				w = names[r.Intn(3)]
			}
			step := float64(1 + r.Intn(1000))
			iv[i] = Interval{From: x, To: x + step, Winner: w}
			x += step
			imm[i] = r.Intn(2) == 0
		}
		got := ReadIntervals(iv, imm)
		if got[0].From != iv[0].From || got[len(got)-1].To != iv[k-1].To {
			t.Fatalf("case %d: %v does not span %v", n, got, iv)
		}
		i := 0 // the interval each stretch starts at
		for s, g := range got {
			if s > 0 && got[s-1].To != g.From {
				t.Fatalf("case %d: gap or overlap in %v", n, got)
			}
			if iv[i].From != g.From {
				t.Fatalf("case %d: stretch %v does not start at an interval boundary (%v)", n, g, iv)
			}
			if g.Winner != AboutEven {
				if iv[i].To != g.To || iv[i].Winner != g.Winner {
					t.Fatalf("case %d: stretch %v is not interval %v", n, g, iv[i])
				}
				i++
				continue
			}
			j := i
			for j < k && iv[j].To <= g.To {
				if !imm[j] {
					t.Fatalf("case %d: about even %v covers material interval %v", n, g, iv[j])
				}
				j++
			}
			if iv[j-1].To != g.To || (i > 0 && imm[i-1]) || (j < k && imm[j]) {
				t.Fatalf("case %d: about even %v is not a maximal run of %v %v", n, g, iv, imm)
			}
			if j-i == 1 && (i == 0 || j == k || iv[i].Winner == WinnerTie) {
				t.Fatalf("case %d: about even %v does not alternate", n, g)
			}
			i = j
		}
		if i != k {
			t.Fatalf("case %d: %d of %d intervals read", n, i, k)
		}
		plain := ReadIntervals(iv, make([]bool, k))
		for s := range plain {
			if plain[s] != (Reading{iv[s].From, iv[s].To, iv[s].Winner}) {
				t.Fatalf("case %d: with nothing immaterial %v reads %v", n, iv, plain)
			}
		}
	}
}

func demoDoc(t *testing.T) *Document {
	t.Helper()
	b, err := os.ReadFile("../../data/demo.json")
	if err != nil {
		t.Fatal(err)
	}
	return mustDoc(t, string(b))
}

// TestReadingDemo: the demo's thresholds are 0.5% of the in-house steady
// month at 20,000 contacts (154,480.00, costed here as a one-month
// document without seasonality, growth or one-time items) and of its PV
// (5,281,286.01). Vendor B's horizon view alternates near 750 contacts by
// less than 26,406.43 (and stays below it from 0): about even from 0 to
// 762.4. The chatbot's monthly alternations from 7,643.41 to 9,341.94
// differ by up to about 2,830 a month, more than 772.40: they stay exact
// at the default, and read about even at a materiality of 2%.
func TestReadingDemo(t *testing.T) {
	t.Parallel()
	d := demoDoc(t)
	c := mustCompare(t, d)
	b := result(t, c, "vendor-b").BreakEven.Reading
	eqMoney(t, "horizon threshold", b.HorizonThreshold, "26406.43")
	eqMoney(t, "monthly threshold", b.MonthlyThreshold, "772.40")
	if want := []Reading{{0, 762.4, AboutEven}, {762.4, 60000, "vendor-b"}}; !reflect.DeepEqual(b.Horizon, want) {
		t.Errorf("vendor-b horizon reading %v, want %v", b.Horizon, want)
	}
	if want := []Reading{{0, 60000, "vendor-b"}}; !reflect.DeepEqual(b.Monthly, want) {
		t.Errorf("vendor-b monthly reading %v, want %v", b.Monthly, want)
	}
	cb := result(t, c, "chatbot").BreakEven
	if len(cb.Reading.Monthly) != len(cb.Monthly) || len(cb.Monthly) != 6 {
		t.Errorf("chatbot monthly at the default: %v, want its 6 exact intervals", cb.Reading.Monthly)
	}

	// the threshold's base, costed independently: one steady month
	one := demoDoc(t)
	one.HorizonMonths = 1
	one.Volume.Growth = dec("0")
	for i := range one.Volume.Seasonality {
		one.Volume.Seasonality[i] = dec("1")
	}
	twin := *one.Option("in-house")
	twin.ID = "twin"
	one.Options = []Option{*one.Option("in-house"), twin}
	eqMoney(t, "in-house steady month", result(t, mustCompare(t, one), "in-house").TCO, "154480.00")

	m := dec("0.02")
	d.Materiality = &m
	c = mustCompare(t, d)
	cr := result(t, c, "chatbot").BreakEven.Reading
	eqMoney(t, "monthly threshold at 2%", cr.MonthlyThreshold, "3089.60")
	want := []Reading{{0, 7643.41, "in-house"}, {7643.41, 9341.94, AboutEven}, {9341.94, 60000, "chatbot"}}
	if !reflect.DeepEqual(cr.Monthly, want) {
		t.Errorf("chatbot monthly at 2%%: %v, want %v", cr.Monthly, want)
	}

	z := dec("0")
	d.Materiality = &z
	for _, o := range mustCompare(t, d).Options {
		if be := o.BreakEven; be != nil && (len(be.Reading.Monthly) != len(be.Monthly) || len(be.Reading.Horizon) != len(be.Horizon)) {
			t.Errorf("%s: materiality 0 must read every interval exactly: %v %v", o.ID, be.Reading.Monthly, be.Reading.Horizon)
		}
	}
}

// TestReadingSound: over random documents, inside every about-even
// stretch the cost difference (from the view's model, at sampled volumes)
// is below the threshold, and the reading spans the intervals' range.
func TestReadingSound(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewSource(5))
	seen := 0
	for n := 0; n < 60; n++ {
		d := genDoc(r, 3)
		m := dec([]string{"0.005", "0.02", "0.1"}[r.Intn(3)])
		d.Materiality = &m
		c, err := Compare(d, CompareOptions{})
		if err != nil {
			t.Fatal(err)
		}
		bc := newBeContext(d)
		mx := 3 * d.Volume.Monthly.InexactFloat64()
		for i, o := range c.Options {
			be := o.BreakEven
			if be == nil || be.Reading == nil {
				continue
			}
			for _, view := range []struct {
				iv    []Interval
				rd    []Reading
				t     float64
				model *beModel
			}{
				{be.Monthly, be.Reading.Monthly, be.Reading.MonthlyThreshold.Value.InexactFloat64(), bc.monthlyModel(d.Option(d.Baseline), &d.Options[i], mx)},
				{be.Horizon, be.Reading.Horizon, be.Reading.HorizonThreshold.Value.InexactFloat64(), bc.horizonModel(d.Option(d.Baseline), &d.Options[i], mx)},
			} {
				if view.rd[0].From != view.iv[0].From || view.rd[len(view.rd)-1].To != view.iv[len(view.iv)-1].To {
					t.Fatalf("case %d %s: reading %v does not span %v", n, o.ID, view.rd, view.iv)
				}
				for _, s := range view.rd {
					if s.Winner != AboutEven {
						continue
					}
					seen++
					// inside, away from the 0.01 rounding of the ends
					for k := 1; k < 50; k++ {
						v := s.From + 0.01 + (s.To-s.From-0.02)*float64(k)/50
						st := view.model.at(v)
						if dd := math.Abs(st.aD + st.bD*v); dd >= view.t*(1+1e-9)+1e-6 {
							t.Fatalf("case %d %s: about even %v but |D(%v)| = %v ≥ %v", n, o.ID, s, v, dd, view.t)
						}
					}
				}
			}
		}
	}
	if seen == 0 {
		t.Fatal("no about-even stretch in the random documents")
	}
	t.Logf("%d about-even stretches checked", seen)
}
