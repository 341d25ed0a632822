package tco

import (
	"math"

	"github.com/shopspring/decimal"
)

// The aht driver's tipping point (spec §5): the multiplier k of every
// capacity's aht_minutes, in (0, 3], nearest to 1 at which the savings
// change sign.
//
// AHT moves only head counts, and heads never fall as AHT rises (a
// workload block shrinks, an interval's traffic grows and its service
// level falls). So each side's cost is a sum of non-decreasing step
// functions of k, and over [a, b] the savings lie between base(a) − opt(b)
// and base(b) − opt(a). The search walks out from 1 in steps that double
// while those bounds keep the sign, shrinks a step where they do not, and
// bisects where the sign is seen to change, to 1e-7. Costs here are the
// unrounded change from k = 1 (heads × amount × escalation × discount),
// added to the rounded savings at 1.

// ahtStep is the resolution below which a change of sign and back is not
// looked for; ahtMaxEvals bounds the costings of one search (the budget
// counts them).
// Both are powers of two, as are the search's first step and all its
// points (dyadic rationals), so the options' searches meet at the same
// multipliers and share the baseline's costs there.
const (
	ahtStep     = 1.0 / 8192
	ahtFirst    = 1.0 / 16
	ahtMaxEvals = 96
)

// usesCapacity reports whether an option has a capacity whose aht_minutes
// the aht driver moves: on a per_block line or per-block pricing.
func usesCapacity(o *Option) bool {
	for k := range o.Lines {
		if l := &o.Lines[k]; l.Basis == BasisPerBlock && l.Capacity != nil {
			return true
		}
	}
	return o.Pricing != nil && o.Pricing.Per == PricingPerBlock && o.Pricing.Capacity != nil
}

// ahtTerm is one capacity in the months of one volume: its cost is w ×
// g(heads), g(n) = n for a line and the invoice F(n) for pricing; w is
// signed (+ baseline, − option).
type ahtTerm struct {
	base bool // the baseline's: the same for every option
	c    *Capacity
	u    decimal.Decimal
	uf   float64
	w    float64
	inv  *beInvoice
	g1   float64 // g(heads) at k = 1
	key  string  // the capacity's parameters and share
	top  float64 // the largest volume of the capacity's terms
}

// ahtTerms collects the terms of the baseline and option i.
func (e *engine) ahtTerms(i int) []ahtTerm {
	d, m := e.d, e.m
	bc := e.bc
	if bc == nil {
		bc = newBeContext(d)
		e.bc = bc
	}
	// lines on capacities of equal parameters (agents, attrition, seats)
	// and share are one term: heads once, their weights added
	type key struct {
		c     string
		uf    float64
		side  float64
		curve int
	}
	capKey := func(c *Capacity) string {
		if k, ok := e.capKeys[c]; ok {
			return k // long to build: once a capacity, not once an option
		}
		var k string
		if c.Staffed() {
			k = slKey(c, one)
		} else {
			k = specOf(nil, c, one).key
		}
		if e.capKeys == nil {
			e.capKeys = map[*Capacity]string{}
		}
		e.capKeys[c] = k
		return k
	}
	idx := map[key]int{}
	var terms []ahtTerm
	top := map[string]float64{} // the largest volume of a capacity's terms
	units := map[decimal.Decimal][]decimal.Decimal{}
	unitsF := map[decimal.Decimal][]float64{}
	add := func(c *Capacity, ck string, share decimal.Decimal, side float64, inv *beInvoice, curve int, mo int, w float64) {
		// the baseline's terms first, in the same order for every option
		if w == 0 {
			return
		}
		us, ufs := units[share], unitsF[share]
		if us == nil {
			us, ufs = m.unitsOf(share, one), m.unitsFloat(share, one)
			units[share], unitsF[share] = us, ufs
		}
		u, uf := us[mo], ufs[mo]
		k := key{ck, uf, side, curve}
		top[ck] = math.Max(top[ck], uf)
		j, ok := idx[k]
		if !ok {
			j = len(terms)
			idx[k] = j
			terms = append(terms, ahtTerm{base: side > 0, c: c, u: u, uf: uf, inv: inv, key: ck})
		}
		terms[j].w += side * w
	}
	for n, o := range []*Option{&d.Options[e.base], &d.Options[i]} {
		side := 1.0
		if n == 1 {
			side = -1
		}
		for k := range o.Lines {
			l := &o.Lines[k]
			if l.Basis != BasisPerBlock || l.Capacity == nil || l.BlockSize != nil {
				continue
			}
			amount := l.Amount.InexactFloat64()
			esc := bc.factors(l.Escalation.InexactFloat64())
			ck := capKey(l.Capacity) + "|" + lineShare(o, l).String()
			for mo := 1; mo <= m.h; mo++ {
				if inWindow(l, mo) {
					add(l.Capacity, ck, lineShare(o, l), side, nil, -1, mo, amount*esc[mo]*bc.disc[mo])
				}
			}
		}
		p := o.Pricing
		if p == nil || p.Per != PricingPerBlock || p.Capacity == nil || p.BlockSize != nil {
			continue
		}
		inv := newBeInvoice(p)
		fx := p.FXRate.InexactFloat64()
		esc := bc.factors(p.Escalation.InexactFloat64())
		ck := capKey(p.Capacity) + "|" + o.VolumeShare.String()
		for mo := max(p.FromMonth, 1); mo <= m.h; mo++ {
			f := 1.0 // share_of_vendor lines take their fraction of the invoice
			for k := range o.Lines {
				if l := &o.Lines[k]; l.Basis == BasisShareOfVendor && inWindow(l, mo) {
					f += l.Amount.InexactFloat64()
				}
			}
			add(p.Capacity, ck, o.VolumeShare, side, inv, n, mo, fx*f*esc[mo]*bc.disc[mo])
		}
	}
	for j := range terms {
		terms[j].top = top[terms[j].key]
		terms[j].g1 = ahtG(&terms[j], e.m.spec(nil, terms[j].c, one))
	}
	return terms
}

// ahtSpecKey is a capacity at an aht multiplier of the search.
type ahtSpecKey struct {
	c *Capacity
	k float64
}

// ahtG is g(heads) of a term on the block b (its capacity at a multiplier).
func ahtG(t *ahtTerm, b blockSpec) float64 {
	var h int64
	if b.sl != nil {
		// heads by the breakpoints of this AHT: the search's costs are
		// unrounded, and a volume within 1e-9 of a breakpoint may count
		// on either side
		h = b.sl.fnHeads(t.uf, t.top)
	} else {
		// far from a block multiple the double ratio has the right ceiling
		r := t.uf * b.ratio()
		if fl := math.Floor(r); r < 1e12 && r-fl > 1e-6 && r-fl < 1-1e-6 {
			h = int64(fl) + 1
		} else {
			h = ceilBlocks(t.u, b)
		}
	}
	if t.inv != nil {
		return t.inv.f(int(h))
	}
	return float64(h)
}

// ahtTip returns the aht driver's tipping point of option i; cur is its
// rounded savings at k = 1.
func (e *engine) ahtTip(i int, cur decimal.Decimal) *float64 {
	if cur.IsZero() {
		return ptr(1.0)
	}
	terms := e.ahtTerms(i)
	s1 := cur.InexactFloat64()
	sigma := math.Signbit(s1)
	type val struct{ up, down float64 } // the baseline's rise and the option's
	memo := map[float64]val{}
	if e.ahtBase == nil {
		e.ahtBase = map[float64]float64{}
		e.ahtSpecs = map[ahtSpecKey]blockSpec{}
	}
	evals := 0
	at := func(k float64) val {
		if v, ok := memo[k]; ok {
			return v
		}
		evals++
		var kd decimal.Decimal
		var v val
		base, shared := e.ahtBase[k]
		for j := range terms {
			t := &terms[j]
			if t.base && shared {
				continue
			}
			// the options' searches meet at the same multipliers: a
			// capacity's block at one is looked up once
			sk := ahtSpecKey{t.c, k}
			b, ok := e.ahtSpecs[sk]
			if !ok {
				if kd.IsZero() {
					kd = decimal.NewFromFloat(k)
				}
				b = e.m.spec(nil, t.c, kd)
				e.ahtSpecs[sk] = b
			}
			dg := t.w * (ahtG(t, b) - t.g1)
			switch {
			case t.base:
				base += dg
			case t.w > 0:
				v.up += dg
			default:
				v.down -= dg
			}
		}
		e.ahtBase[k] = base
		v.up += base
		memo[k] = v
		return v
	}
	changed := func(k float64) bool {
		v := at(k)
		s := s1 + v.up - v.down
		return s == 0 || math.Signbit(s) != sigma
	}
	// search walks from 1 towards end and returns the nearest change.
	search := func(end float64) (float64, bool) {
		a, w := 1.0, ahtFirst
		dir := math.Copysign(1, end-1)
		// most options keep their sign over the whole side: one costing
		// at its end shows it
		if ve, v1 := at(end), at(1); (!sigma && s1+math.Min(v1.up, ve.up)-math.Max(v1.down, ve.down) > 0) ||
			(sigma && s1+math.Max(v1.up, ve.up)-math.Min(v1.down, ve.down) < 0) {
			return 0, false
		}
		for a != end && evals < ahtMaxEvals {
			b := a + dir*w
			if (dir > 0 && b > end) || (dir < 0 && b < end) {
				b = end
			}
			lo, hi := math.Min(a, b), math.Max(a, b)
			vl, vh := at(lo), at(hi)
			// savings over [lo, hi] lie within these bounds
			least, most := s1+vl.up-vh.down, s1+vh.up-vl.down
			if (!sigma && least > 0) || (sigma && most < 0) {
				a, w = b, 2*w
				continue
			}
			if changed(b) {
				for math.Abs(b-a) > 1e-7 && evals < ahtMaxEvals {
					mid := (a + b) / 2
					if changed(mid) {
						b = mid
					} else {
						a = mid
					}
				}
				return b, true
			}
			if math.Abs(b-a) <= ahtStep {
				a, w = b, ahtStep
				continue
			}
			w = math.Abs(b-a) / 2
		}
		return 0, false
	}
	up, okUp := search(3)
	down, okDown := search(ahtStep)
	switch {
	case okUp && okDown:
		u, dn := round3(up), round3(down)
		if math.Abs(dn-1) <= math.Abs(u-1) {
			return ptr(dn)
		}
		return ptr(u)
	case okUp:
		return ptr(round3(up))
	case okDown:
		return ptr(round3(down))
	}
	return nil
}
