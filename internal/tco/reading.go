package tco

import (
	"math"

	"github.com/shopspring/decimal"
)

// AboutEven is the winner of a reading stretch where the winner alternates
// but the cost difference stays below materiality (spec section 1).
const AboutEven = "about_even"

// Reading is one stretch of a break-even view as told in words: an exact
// interval, or a run of them that reads AboutEven.
type Reading struct {
	From   float64
	To     float64
	Winner string // an option id, the baseline id, "tie" or AboutEven
}

// BreakEvenReading is both views of an option's break-even as told in
// words, with the cost difference below which each reads about even:
// materiality × the baseline's steady-month cost at volume.monthly
// (monthly view) and × its total on price.basis (horizon view), in the
// evaluation currency. It never changes an interval: tables and the API
// keep the exact ones.
type BreakEvenReading struct {
	Monthly          []Reading
	Horizon          []Reading
	MonthlyThreshold Money
	HorizonThreshold Money
}

// ReadIntervals turns a view's exact intervals into the stretches told in
// words. immaterial[i] says that the cost difference stays below
// materiality throughout interval i. A maximal run of immaterial intervals
// reads as one AboutEven stretch when it alternates: the winner changes
// inside it (two or more intervals), or it is one interval, not a tie,
// between two others (the winner flips into it and back out). Every other
// interval reads as itself, so a clean crossing stays a crossing however
// small the difference near it, and an exact tie stays a tie.
func ReadIntervals(iv []Interval, immaterial []bool) []Reading {
	out := make([]Reading, 0, len(iv))
	for i := 0; i < len(iv); {
		j := i
		for j < len(iv) && j < len(immaterial) && immaterial[j] {
			j++
		}
		// iv[i:j] is a run of immaterial intervals (empty when iv[i] is not)
		n := j - i
		switch {
		case n >= 2, n == 1 && i > 0 && j < len(iv) && iv[i].Winner != WinnerTie:
			out = append(out, Reading{From: iv[i].From, To: iv[j-1].To, Winner: AboutEven})
			i = j
		default:
			out = append(out, Reading{From: iv[i].From, To: iv[i].To, Winner: iv[i].Winner})
			i++
		}
	}
	return out
}

// covered returns, for each interval, whether it lies inside one of the
// near stretches (ordered, disjoint, boundaries rounded like the
// intervals').
func covered(iv []Interval, near []Interval) []bool {
	out := make([]bool, len(iv))
	k := 0
	for i, x := range iv {
		for k < len(near) && near[k].To < x.To {
			k++
		}
		out[i] = k < len(near) && near[k].From <= x.From && x.To <= near[k].To
	}
	return out
}

// reading tells option opt's break-even views in words (see
// ReadIntervals). A view with one interval reads as itself; for the others
// the volumes where |D| stays below the threshold are solved exactly, as
// the views are, by sweeping D − t and D + t. Those sweeps see the same
// events as the view already solved, so they are bounded by the same caps;
// they share the request's way to stop but not the work count the budget
// estimates.
func (e *engine) reading(opt int, max float64, be *BreakEven) *BreakEvenReading {
	d := e.d
	base, o := &d.Options[e.base], &d.Options[opt]
	share := d.MaterialityShare().InexactFloat64()
	v := d.Volume.Monthly.InexactFloat64()
	c := e.bc
	if c == nil {
		c = newBeContext(d)
	}
	run := &beRun{}
	if e.run != nil {
		run.stop = e.run.stop
	}
	prev := c.run
	c.run = run
	defer func() { c.run = prev }()
	mr := math.Max(max, v) // the models must reach volume.monthly to cost the baseline there
	r := &BreakEvenReading{}

	mm := c.monthlyModel(base, o, mr)
	if mm == nil {
		return nil
	}
	st := mm.at(v)
	tm := share * (st.aS + st.bS*v + st.aD + st.bD*v) / 2 // the baseline's share of S and D
	r.MonthlyThreshold = e.money(decimal.NewFromFloat(tm).Round(e.m.places))
	th := e.total(e.costs[e.base], d.Price.Basis)
	r.HorizonThreshold = e.money(th.Mul(d.MaterialityShare()).Round(e.m.places))

	view := func(iv []Interval, m *beModel, t float64) []Reading {
		if len(iv) < 2 || t <= 0 || m == nil {
			return ReadIntervals(iv, nil)
		}
		near, ok := m.near(t, max)
		if !ok {
			return ReadIntervals(iv, nil)
		}
		return ReadIntervals(iv, covered(iv, near))
	}
	r.Monthly = view(be.Monthly, mm, tm)
	var hm *beModel
	if len(be.Horizon) >= 2 {
		hm = c.horizonModel(base, o, mr)
	}
	r.Horizon = view(be.Horizon, hm, r.HorizonThreshold.Value.InexactFloat64())
	if run.stopped {
		return nil
	}
	return r
}

// at returns D and S on the piece at volume v: every event below v passed
// (costs are left continuous). v must not exceed the model's max.
func (m *beModel) at(v float64) beState {
	st := m.st
	for i := range m.terms {
		m.each(int32(i), 0, v, func(_ float64, k int32) {
			dA, dB, sA, sB := m.terms[i].delta(k)
			st.aD += dA
			st.bD += dB
			st.aS += sA
			st.bS += sB
		})
	}
	return st
}

// near returns the stretches of [0, max] where |D| < t, rounded like the
// intervals: the volumes where D − t < 0 and D + t > 0, each solved by a
// sweep of the model with D shifted. ok is false when a sweep gave up.
func (m *beModel) near(t, max float64) ([]Interval, bool) {
	below, above := *m, *m
	below.st.aD -= t
	above.st.aD += t
	lo, _, ok1 := below.sweep(-1)
	hi, _, ok2 := above.sweep(-1)
	if !ok1 || !ok2 {
		return nil, false
	}
	var out []Interval
	i, j := 0, 0
	for i < len(lo) && j < len(hi) {
		a, b := lo[i], hi[j]
		from, to := math.Max(a.from, b.from), math.Min(math.Min(a.to, b.to), max)
		if a.class == beBaseline && b.class == beOption && to > from {
			f, t := beRoundHalfUp(from, 2), beRoundHalfUp(to, 2)
			if n := len(out); n > 0 && out[n-1].To >= f {
				out[n-1].To = t
			} else {
				out = append(out, Interval{From: f, To: t})
			}
		}
		if a.to < b.to {
			i++
		} else {
			j++
		}
	}
	return out, true
}
