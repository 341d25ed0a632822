package tco

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"strconv"

	"github.com/shopspring/decimal"
)

// Break-even volumes (spec section 4) and the volume driver's tipping point
// (spec section 5).
//
// Both views cost an option and the baseline as functions of one volume v.
// Every cost term is a known function of the demand x = v × a a term sees
// (a = share × growth × seasonality of its month): constant, linear, a step
// of one block per block_size, or the invoice's piecewise-linear tier curve.
// So the difference D(v) = baseline − option is piecewise linear in v, left
// continuous (ceil and an all-units tier bound both count a boundary as the
// lower side), with jumps and kinks only at the terms' breakpoints. Every
// breakpoint in [0, max) is an event carrying the change it makes to D's
// intercept and slope; between consecutive events D is linear, so its sign
// changes at most once there, at the piece's root, or at a jump. Nothing is
// sampled.
//
// Terms that share a breakpoint sequence are merged first: all per-block
// lines of one block size and month factor (of both options) become one
// term, and months with the same volume factor share one invoice term. The
// event count is Σ max / step over the merged terms (about 17,000 a view for
// 120 months of capacity-based staffing up to 60,000 contacts).
//
// Sorting all events would be the main cost, and it is mostly wasted: far
// from a crossing D cannot change sign. So the sweep first sums the events
// into small volume buckets (order within a bucket does not matter for a
// sum), which gives D exactly at every bucket boundary plus a bound on how
// far the bucket's events can move D inside it. A bucket whose bound keeps D
// clear of zero (beyond the tie tolerance) has one winner; only the few
// others have their events listed, sorted and swept piece by piece, keeping
// D = αD + βD·v and the cost sum S (for the tolerance) current with O(1)
// work an event.
//
// Float64 is used throughout: the results are volumes, rounded to 0.01
// units, not money.

// beRel is the spec's relative tolerance: two costs within 1e-9 × max(1,
// |cost|) are equal, and breakpoints that close are one breakpoint.
const beRel = 1e-9

// beMaxEvents caps the events of one view, and beMaxListed the events of
// its undecided buckets, which are held in memory (16 bytes each; summed
// events are not held). A break-even range that is huge against the block
// sizes (break_even_max is a request parameter, a horizon can be 600
// months) could otherwise take seconds or exhaust memory; beyond a cap the
// view is not computed and breakEven returns nil. 16M events take about
// 50 ms to sum.
const (
	beMaxEvents = 1 << 24
	beMaxListed = 1 << 21
	beMaxRuns   = 256
)

// Winner classes of a volume: the option is cheaper, the baseline is, or
// they cost the same.
const (
	beBaseline int8 = -1
	beTie      int8 = 0
	beOption   int8 = 1
)

// breakEven returns the winner intervals of option opt (an index into
// d.Options, not the baseline) against the baseline over volumes [0, max],
// for the monthly and the horizon view of spec section 4. Volumes are in the
// document's demand unit (per month); interval boundaries are rounded half up
// to 0.01 units, zero-width intervals are dropped and equal neighbours
// merged, so the intervals tile [0, max rounded] in order and neighbours
// differ. max ≤ 0 gives one interval [0, 0] with the winner at v = 0. The
// document must be decoded (defaults applied) and valid. It returns nil when
// the range would need more than beMaxEvents breakpoints in a view.
func breakEven(d *Document, opt int, max float64) *BreakEven {
	return breakEvenRun(d, opt, max, nil, nil)
}

// breakEvenRun is breakEven counting its work in run (nil: not counted,
// never stopped), with the document's context c (nil: built here).
func breakEvenRun(d *Document, opt int, max float64, run *beRun, c *beContext) *BreakEven {
	base := d.Option(d.Baseline)
	o := &d.Options[opt]
	if base == nil || math.IsNaN(max) || math.IsInf(max, 0) {
		return nil
	}
	if max < 0 {
		max = 0
	}
	if c == nil {
		c = newBeContext(d)
	}
	c.run = run
	names := [3]string{base.ID, WinnerTie, o.ID}

	mm := c.monthlyModel(base, o, max)
	hm := c.horizonModel(base, o, max)
	if mm == nil || hm == nil {
		return nil
	}
	ms, _, ok1 := mm.sweep(-1)
	hs, _, ok2 := hm.sweep(-1)
	if !ok1 || !ok2 {
		return nil
	}
	return &BreakEven{
		Monthly: beIntervals(ms, max, names),
		Horizon: beIntervals(hs, max, names),
	}
}

// volumeTipping returns the volume driver's tipping point (spec section 5):
// the multiplier k in [0, 3] of the base volume nearest to 1 at which the
// option's savings on the price basis (baseline total − option total, the
// horizon view's unrounded costs) change sign, a jump included, rounded half
// up to 3 decimals; of two changes equally far below and above 1 the lower.
// It is 1 when the savings are already 0 at k = 1 and nil when their sign
// never changes in [0, 3] (or the range is too large to solve, see
// beMaxEvents).
func volumeTipping(d *Document, opt int) *float64 {
	return volumeTippingRun(d, opt, nil, nil)
}

// volumeTippingRun is volumeTipping counting its work in run, with the
// document's context c (nil: built here).
func volumeTippingRun(d *Document, opt int, run *beRun, c *beContext) *float64 {
	base := d.Option(d.Baseline)
	o := &d.Options[opt]
	if base == nil {
		return nil
	}
	v := d.Volume.Monthly.InexactFloat64()
	if c == nil {
		c = newBeContext(d)
	}
	c.run = run
	m := c.horizonModel(base, o, 3*v)
	if m == nil {
		return nil
	}
	segs, at, ok := m.sweep(v)
	if !ok {
		return nil
	}
	return beTip(segs, at, v)
}

// breakEvenAndTip returns breakEven(d, opt, max) and volumeTipping(d, opt),
// building and sweeping the horizon view once when max is the default
// 3 × volume.monthly (the tipping point's own range). c is the document's
// context, shared by its options (nil: built here).
func breakEvenAndTip(d *Document, opt int, max float64, run *beRun, c *beContext) (*BreakEven, *float64) {
	base := d.Option(d.Baseline)
	o := &d.Options[opt]
	v := d.Volume.Monthly.InexactFloat64()
	if c == nil {
		c = newBeContext(d)
	}
	if base == nil || max != 3*v || max <= 0 {
		return breakEvenRun(d, opt, max, run, c), volumeTippingRun(d, opt, run, c)
	}
	c.run = run
	names := [3]string{base.ID, WinnerTie, o.ID}
	mm := c.monthlyModel(base, o, max)
	hm := c.horizonModel(base, o, max)
	if mm == nil || hm == nil {
		return nil, nil
	}
	ms, _, ok1 := mm.sweep(-1)
	hs, at, ok2 := hm.sweep(v)
	if !ok2 {
		return nil, nil
	}
	tip := beTip(hs, at, v)
	if !ok1 {
		return nil, tip
	}
	return &BreakEven{Monthly: beIntervals(ms, max, names), Horizon: beIntervals(hs, max, names)}, tip
}

// beTip picks the tipping point from the horizon view's exact stretches
// over [0, 3v] and the class at v (see volumeTipping).
func beTip(segs beSegs, at int8, v float64) *float64 {
	one := 1.0
	if at == beTie {
		return &one
	}
	if v <= 0 {
		return nil
	}
	best, found := 0.0, false
	for i := 1; i < len(segs); i++ {
		k := segs[i].from / v
		if !found || math.Abs(k-1) < math.Abs(best-1)-beRel ||
			(math.Abs(math.Abs(k-1)-math.Abs(best-1)) <= beRel && k < best) {
			best, found = k, true
		}
	}
	if !found {
		return nil
	}
	k := beRoundHalfUp(best, 3)
	return &k
}

// beContext holds the per-document factors both views need.
type beContext struct {
	h       int
	monthly bool      // escalation (and growth) compound monthly
	vol     []float64 // growth × seasonality of months 0..H (0 unused)
	disc    []float64 // price-basis weight of months 0..H
	esc     map[float64][]float64
	run     *beRun              // the comparison's count of work and way to stop; may be nil
	classes int                 // distinct demand factors of months 1..H, when counted (budget.go)
	heads   map[string]*headsFn // service-level capacities' heads by volume
	headsOf map[*Capacity]*headsFn
	erlang  map[erlangKey]*erlangTable
}

// headsFn returns the heads function of a service-level capacity, shared
// by every view of the document.
func (c *beContext) headsFn(cp *Capacity) *headsFn {
	if f := c.headsOf[cp]; f != nil {
		return f // the key is long to build: once a capacity
	}
	key := slKey(cp, one)
	if c.heads == nil {
		c.heads, c.erlang = map[string]*headsFn{}, map[erlangKey]*erlangTable{}
		c.headsOf = map[*Capacity]*headsFn{}
	}
	f := c.heads[key]
	if f == nil {
		f = newHeadsFn(newSlCap(cp, cp.AHTMinutes, c.erlang, nil))
		c.heads[key] = f
	}
	c.headsOf[cp] = f
	return f
}

// beRun is what the break-even views of one comparison share: a way to
// stop (a request's deadline) and the count of the events they walked,
// which the work budget bounds (budget.go).
type beRun struct {
	stop     func() bool // reports whether to give up; nil: never
	stopped  bool
	events   int64 // events enumerated by sweeps' summing passes
	modelled int64 // line-months (and invoice-months) visited building views
}

// beCheckEvery is how many events a sweep walks between two looks at
// stop: often enough to end within a millisecond or so, rarely enough to
// cost nothing.
const beCheckEvery = 1 << 16

// halt reports whether the work should stop, remembering it.
func (r *beRun) halt() bool {
	if r == nil || r.stop == nil {
		return false
	}
	if !r.stopped && r.stop() {
		r.stopped = true
	}
	return r.stopped
}

func newBeContext(d *Document) *beContext {
	h := d.HorizonMonths
	c := &beContext{h: h, monthly: d.Escalation == EscalationMonthly}
	startMonth := 1
	if len(d.Start) >= 7 {
		if n, err := strconv.Atoi(d.Start[5:7]); err == nil && n >= 1 && n <= 12 {
			startMonth = n
		}
	}
	growth := d.Volume.Growth.InexactFloat64()
	c.vol = make([]float64, h+1)
	for m := 1; m <= h; m++ {
		s := 1.0
		if len(d.Volume.Seasonality) == 12 {
			s = d.Volume.Seasonality[(startMonth-1+m-1)%12].InexactFloat64()
		}
		c.vol[m] = c.escalation(growth, m) * s
	}
	c.disc = make([]float64, h+1)
	r := d.DiscountRate.InexactFloat64()
	pv := d.Price.Basis != PriceBasisTCO && r != 0
	for m := range c.disc {
		c.disc[m] = 1
		if pv && m > 0 {
			t := float64(m)
			switch d.Timing {
			case TimingMid:
				t -= 0.5
			case TimingBegin:
				t--
			}
			c.disc[m] = math.Pow(1+r, -t/12)
		}
	}
	return c
}

// escalation is the factor of annual rate e in month m (1..H): anniversary
// (1+e)^floor((m−1)/12), monthly (1+e)^((m−1)/12).
func (c *beContext) escalation(e float64, m int) float64 {
	if e == 0 || m <= 1 {
		return 1
	}
	return c.factors(e)[m]
}

// factors returns the escalation factors of rate e for months 0..H,
// computed once per rate (a document has few distinct rates; the power is
// the costliest part of building a view otherwise).
func (c *beContext) factors(e float64) []float64 {
	if f, ok := c.esc[e]; ok {
		return f
	}
	f := make([]float64, c.h+1)
	for m := range f {
		switch {
		case m <= 1:
			f[m] = 1
		case c.monthly:
			f[m] = math.Pow(1+e, float64(m-1)/12)
		default:
			f[m] = math.Pow(1+e, float64((m-1)/12))
		}
	}
	if c.esc == nil {
		c.esc = map[float64][]float64{}
	}
	c.esc[e] = f
	return f
}

// beBlock is a block size in demand units (block_size, or the capacity of
// one person-month); 0 when neither is given.
func beBlock(size *decimal.Decimal, cp *Capacity) float64 {
	if size != nil {
		return size.InexactFloat64()
	}
	if cp != nil {
		aht := cp.AHTMinutes.InexactFloat64()
		if aht == 0 {
			return 0
		}
		return cp.Occupancy.InexactFloat64() * (1 - cp.Shrinkage.InexactFloat64()) *
			cp.PaidHours.InexactFloat64() * 60 / aht
	}
	return 0
}

// beInWindow reports whether recurring line l runs in month m.
func beInWindow(l *Line, m int) bool {
	if l.FromMonth != nil && m < *l.FromMonth {
		return false
	}
	if l.ToMonth != nil && m > *l.ToMonth {
		return false
	}
	return true
}

// beMonth is one month of a view: its index (for windows, escalation and
// one-time items), its demand factor and its weight in the total.
type beMonth struct {
	m        int
	vol      float64 // V_m / v
	weight   float64 // discount factor (1 for tco and the monthly view)
	escalate bool
}

// monthlyModel builds the monthly view: one steady month H at demand v, no
// seasonality, growth, escalation, one-time items or fees.
func (c *beContext) monthlyModel(base, o *Option, max float64) *beModel {
	m := newBeModel(max, len(base.Lines)+len(o.Lines)+1)
	m.run = c.run
	months := []beMonth{{m: c.h, vol: 1, weight: 1}}
	m.addOption(c, base, 1, months, false)
	m.addOption(c, o, -1, months, false)
	return m.finish()
}

// horizonModel builds the horizon view: the price-basis total over months
// 0..H with the base volume replaced by v.
func (c *beContext) horizonModel(base, o *Option, max float64) *beModel {
	guess := c.h
	if c.classes > 0 {
		guess = c.classes // months of one demand factor share their terms
	}
	m := newBeModel(max, guess*(len(base.Lines)+len(o.Lines))/2)
	m.run = c.run
	months := make([]beMonth, c.h)
	for i := range months {
		months[i] = beMonth{m: i + 1, vol: c.vol[i+1], weight: c.disc[i+1], escalate: true}
	}
	m.addOption(c, base, 1, months, true)
	m.addOption(c, o, -1, months, true)
	return m.finish()
}

// beModel collects the cost terms of both options and turns them into the
// events of D = baseline − option. side is +1 for the baseline and −1 for
// the option; a term of cost w·f(v) adds side·w·f to D and w·f to S.
type beModel struct {
	max    float64
	st     beState // D and S at v = 0, before the events at 0
	terms  []beTerm
	lineIx beIndex         // per-block line terms by step
	stepIx map[beKey]int32 // per-block invoice terms
	curvIx map[beKey]int32
	headIx map[beHKey]int32 // service-level terms
	invs   []*beInvoice
	n      int // events in [0, max)
	run    *beRun
}

// beKey identifies invoice terms with the same breakpoints: the bits of the
// volume step (per-block pricing) or month factor (per unit), and the
// invoice.
type beKey struct {
	bits  uint64
	curve int
}

// beHKey identifies service-level terms with the same breakpoints: the
// heads function, the month factor, and the invoice (−1 for lines).
type beHKey struct {
	f     *headsFn
	a     uint64
	curve int
}

// beIndex maps the bits of a step to a term index: an open-addressing
// table (linear probing, key 0 for empty: a step is > 0). Merging per-block
// lines was the costliest part of building a view with Go's map.
type beIndex struct {
	keys  []uint64
	vals  []int32
	shift uint
	n     int
}

func newBeIndex(size int) beIndex {
	bits := uint(4)
	for 1<<bits < 2*size {
		bits++
	}
	return beIndex{keys: make([]uint64, 1<<bits), vals: make([]int32, 1<<bits), shift: 64 - bits}
}

// slot returns the value slot of key k and whether k was there; a new key
// is inserted and its slot must be set by the caller.
func (x *beIndex) slot(k uint64) (*int32, bool) {
	if 2*(x.n+1) > len(x.keys) {
		old := *x
		*x = newBeIndex(len(old.keys))
		for j, key := range old.keys {
			if key != 0 {
				p, _ := x.slot(key)
				*p = old.vals[j]
			}
		}
	}
	mask := uint64(len(x.keys) - 1)
	for j := (k * 0x9E3779B97F4A7C15) >> x.shift; ; j = (j + 1) & mask {
		switch x.keys[j] {
		case k:
			return &x.vals[j], true
		case 0:
			x.keys[j] = k
			x.n++
			return &x.vals[j], false
		}
	}
}

// beTerm is one merged cost term with weights wD (in D) and wS (in S).
// A step term (step > 0) is w × h(ceil(v / step)), h(n) = n for per-block
// lines and the per-block invoice F(n) otherwise; a curve term (step = 0)
// is w × inv(v × a) for a per-unit invoice.
type beTerm struct {
	step   float64
	a      float64
	inv    *beInvoice
	wD, wS float64
	// a service-level term (step 0) is w × h(heads(v × a)): its events are
	// the heads function's breakpoints, hn of them below max
	hf *headsFn
	hn int
}

// beEvent is a breakpoint at volume v of term t: a step term's count goes
// from k to k+1, or a curve term passes its breakpoint k. Events are kept
// small (16 bytes, no pointer) because they are the part that is sorted.
type beEvent struct {
	v    float64
	t, k int32
}

// beState is D(v) = aD + bD·v and S(v) = aS + bS·v on the current piece.
type beState struct{ aD, bD, aS, bS float64 }

// delta is the change event k of term t makes to D's and S's intercept
// and slope.
func (t *beTerm) delta(k int32) (dA, dB, sA, sB float64) {
	if t.hf != nil {
		h0, h1 := t.hf.h[k], t.hf.h[k+1]
		dh := float64(h1 - h0)
		if t.inv != nil {
			dh = t.inv.f(int(h1)) - t.inv.f(int(h0))
		}
		return t.wD * dh, 0, t.wS * dh, 0
	}
	if t.step > 0 {
		dh := 1.0
		if t.inv != nil {
			dh = t.inv.f(int(k)+1) - t.inv.f(int(k))
		}
		return t.wD * dh, 0, t.wS * dh, 0
	}
	inv := t.inv
	d0 := inv.c0[k+1] - inv.c0[k]
	d1 := (inv.c1[k+1] - inv.c1[k]) * t.a
	return t.wD * d0, t.wD * d1, t.wS * d0, t.wS * d1
}

// pass passes event e.
func (s *beState) pass(terms []beTerm, e beEvent) {
	dA, dB, sA, sB := terms[e.t].delta(e.k)
	s.aD += dA
	s.bD += dB
	s.aS += sA
	s.bS += sB
}

// apply passes all the events of bucket b.
func (s *beState) apply(b *beBucket) {
	s.aD += b.dA
	s.bD += b.dB
	s.aS += b.sA
	s.bS += b.sB
}

// class is the winner at v by the spec's tolerance: |D| ≤ 1e-9 × max(1,
// larger cost) is a tie. Costs are ≥ 0, so the larger is (S + |D|) / 2.
func (s *beState) class(v float64) int8 {
	d := s.aD + s.bD*v
	tol := beRel * math.Max(1, (s.aS+s.bS*v+math.Abs(d))/2)
	switch {
	case d > tol:
		return beOption
	case d < -tol:
		return beBaseline
	}
	return beTie
}

// newBeModel starts a model; size is a guess of the number of terms.
func newBeModel(max float64, size int) *beModel {
	// stepIx and curvIx are made on first use: most views have one kind
	// of invoice or none
	return &beModel{max: max, lineIx: newBeIndex(size),
		terms: make([]beTerm, 0, size)}
}

// addConst adds a cost c that does not depend on v.
func (m *beModel) addConst(side, c float64) {
	m.st.aD += side * c
	m.st.aS += c
}

// addLinear adds a cost c0 + c1·v.
func (m *beModel) addLinear(side, c0, c1 float64) {
	m.st.aD += side * c0
	m.st.bD += side * c1
	m.st.aS += c0
	m.st.bS += c1
}

// addStep adds w × h(ceil(v / step)): one block per step for a line
// (curve −1), the per-block invoice inv (numbered curve) otherwise.
func (m *beModel) addStep(side, w, step float64, inv *beInvoice, curve int) {
	var i int32
	var ok bool
	if curve < 0 {
		// per-block lines, the bulk of the terms: merged by step (lines of
		// both options with one block size and month factor)
		var slot *int32
		if slot, ok = m.lineIx.slot(math.Float64bits(step)); !ok {
			*slot = int32(len(m.terms))
			m.terms = append(m.terms, beTerm{step: step})
		}
		i = *slot
	} else {
		k := beKey{math.Float64bits(step), curve}
		if i, ok = m.stepIx[k]; !ok {
			i = int32(len(m.terms))
			if m.stepIx == nil {
				m.stepIx = map[beKey]int32{}
			}
			m.stepIx[k] = i
			m.terms = append(m.terms, beTerm{step: step, inv: inv})
		}
	}
	m.terms[i].wD += side * w
	m.terms[i].wS += w
}

// addHeads adds w × h(heads(v × a)) for a service-level capacity: h(n) =
// n for lines (curve −1), the per-block invoice inv (numbered curve)
// otherwise.
func (m *beModel) addHeads(side, w float64, f *headsFn, a float64, inv *beInvoice, curve int) {
	k := beHKey{f, math.Float64bits(a), curve}
	i, ok := m.headIx[k]
	if !ok {
		i = int32(len(m.terms))
		if m.headIx == nil {
			m.headIx = map[beHKey]int32{}
		}
		m.headIx[k] = i
		m.terms = append(m.terms, beTerm{a: a, inv: inv, hf: f})
	}
	m.terms[i].wD += side * w
	m.terms[i].wS += w
}

// addCurve adds w × inv(v × a) for the per-unit invoice inv (numbered
// curve).
func (m *beModel) addCurve(side, w, a float64, inv *beInvoice, curve int) {
	k := beKey{math.Float64bits(a), curve}
	i, ok := m.curvIx[k]
	if !ok {
		i = int32(len(m.terms))
		if m.curvIx == nil {
			m.curvIx = map[beKey]int32{}
		}
		m.curvIx[k] = i
		m.terms = append(m.terms, beTerm{a: a, inv: inv})
	}
	m.terms[i].wD += side * w
	m.terms[i].wS += w
}

// addOption adds every cost term of option o over the given months. horizon
// adds the one-time lines and the setup and exit fees.
func (m *beModel) addOption(c *beContext, o *Option, side float64, months []beMonth, horizon bool) {
	if m.run != nil {
		m.run.modelled += int64(len(o.Lines)+1) * int64(len(months))
	}
	share := o.VolumeShare.InexactFloat64()
	for li := range o.Lines {
		l := &o.Lines[li]
		amount := l.Amount.InexactFloat64()
		if amount == 0 {
			continue
		}
		switch l.Basis {
		case BasisOneTime:
			if horizon && l.Month != nil && *l.Month >= 0 && *l.Month <= c.h {
				m.addConst(side, amount*c.disc[*l.Month])
			}
			continue
		case BasisShareOfVendor:
			continue // folded into the invoice weight below
		}
		ls := share
		if l.VolumeShare != nil {
			ls = l.VolumeShare.InexactFloat64()
		}
		esc := c.factors(l.Escalation.InexactFloat64())
		block := 0.0
		var hf *headsFn
		if l.Basis == BasisPerBlock {
			if l.Capacity.Staffed() {
				hf = c.headsFn(l.Capacity)
			} else {
				block = beBlock(l.BlockSize, l.Capacity)
			}
		}
		for _, mo := range months {
			if !beInWindow(l, mo.m) {
				continue
			}
			w := amount * mo.weight
			if mo.escalate {
				w *= esc[mo.m]
			}
			a := ls * mo.vol
			switch l.Basis {
			case BasisFixed:
				m.addConst(side, w)
			case BasisPerUnit:
				m.addLinear(side, 0, w*a)
			case BasisPerBlock:
				if a > 0 && hf != nil {
					m.addHeads(side, w, hf, a, nil, -1)
				} else if a > 0 && block > 0 {
					m.addStep(side, w, block/a, nil, -1)
				}
			}
		}
	}
	p := o.Pricing
	if p == nil {
		return
	}
	fx := p.FXRate.InexactFloat64()
	if horizon {
		m.addConst(side, p.SetupFee.InexactFloat64()*fx)
		m.addConst(side, p.ExitFee.InexactFloat64()*fx*c.disc[c.h])
	}
	inv := newBeInvoice(p)
	if inv.perBlock && p.Capacity.Staffed() {
		inv.block, inv.hf = 0, c.headsFn(p.Capacity)
	}
	id := len(m.invs)
	m.invs = append(m.invs, inv)
	esc := c.factors(p.Escalation.InexactFloat64())
	for _, mo := range months {
		if mo.m < p.FromMonth {
			continue
		}
		// share_of_vendor lines take their fraction of this month's invoice
		f := 1.0
		for li := range o.Lines {
			l := &o.Lines[li]
			if l.Basis == BasisShareOfVendor && beInWindow(l, mo.m) {
				f += l.Amount.InexactFloat64()
			}
		}
		w := fx * f * mo.weight
		if mo.escalate {
			w *= esc[mo.m]
		}
		if w == 0 {
			continue
		}
		a := share * mo.vol
		switch {
		case a <= 0:
			m.addConst(side, w*inv.at(0))
		case inv.hf != nil:
			m.addHeads(side, w, inv.hf, a, inv, id)
		case inv.perBlock:
			if inv.block > 0 {
				m.addStep(side, w, inv.block/a, inv, id)
			} else {
				m.addConst(side, w*inv.f(0))
			}
		default:
			m.addCurve(side, w, a, inv, id)
		}
	}
}

// finish adds each term's value at v = 0 to the state and makes the sorted
// events; nil when there would be more than beMaxEvents.
func (m *beModel) finish() *beModel {
	n := 0
	// each heads function is built once, to the largest volume a term
	// of it reaches
	tops := map[*headsFn]float64{}
	for i := range m.terms {
		if t := &m.terms[i]; t.hf != nil {
			tops[t.hf] = math.Max(tops[t.hf], m.max*t.a)
		}
	}
	for f, top := range tops {
		if top > beMaxEvents*1e9 {
			return nil
		}
		f.extend(top)
	}
	for i := range m.terms {
		t := &m.terms[i]
		switch {
		case t.hf != nil:
			t.hn = sort.Search(len(t.hf.x), func(j int) bool { return t.hf.x[j]/t.a >= m.max })
			if m.max <= 0 {
				t.hn = 0
			}
			n += t.hn
			if t.inv != nil {
				f0 := t.inv.f(0)
				m.st.aD += t.wD * f0
				m.st.aS += t.wS * f0
			}
		case t.step > 0:
			k := 0.0
			if m.max > 0 {
				k = math.Ceil(m.max / t.step)
			}
			if k > beMaxEvents {
				return nil
			}
			n += int(k)
			if t.inv != nil {
				f0 := t.inv.f(0)
				m.st.aD += t.wD * f0
				m.st.aS += t.wS * f0
			}
		default:
			n += len(t.inv.x)
			m.st.aD += t.wD * t.inv.c0[0]
			m.st.bD += t.wD * t.inv.c1[0] * t.a
			m.st.aS += t.wS * t.inv.c0[0]
			m.st.bS += t.wS * t.inv.c1[0] * t.a
		}
	}
	if n > beMaxEvents {
		return nil
	}
	m.n = n
	return m
}

// each calls fn for every event of term i in [from, to) ∩ [0, max), in
// volume order.
func (m *beModel) each(i int32, from, to float64, fn func(v float64, k int32)) {
	t := &m.terms[i]
	if t.wD == 0 && t.wS == 0 {
		return
	}
	to = math.Min(to, m.max)
	if t.hf != nil {
		x := t.hf.x[:t.hn]
		j := sort.Search(len(x), func(j int) bool { return x[j]/t.a >= from })
		for ; j < len(x); j++ {
			v := x[j] / t.a
			if v >= to {
				return
			}
			fn(v, int32(j))
		}
		return
	}
	if t.step > 0 {
		k := int32(0)
		if from > 0 {
			k = int32(max(math.Floor(from/t.step)-1, 0))
		}
		var cur beCursor
		var fk float64
		if t.inv != nil {
			cur = t.inv.cursor(int(k))
			fk = cur.next()
		}
		for ; ; k++ {
			v := float64(k) * t.step
			if v >= to {
				return
			}
			if t.inv != nil {
				fk1 := cur.next()
				same := fk1 == fk
				fk = fk1
				if same {
					continue // a block that leaves the invoice as is
				}
			}
			if v < from {
				continue // before the range
			}
			fn(v, k)
		}
	}
	for j, x := range t.inv.x {
		v := x / t.a
		if v >= to {
			return
		}
		if v >= from {
			fn(v, int32(j))
		}
	}
}

// beSeg is a stretch of volumes with one winner class; the point from
// belongs to the previous stretch (costs are left continuous).
type beSeg struct {
	from, to float64
	class    int8
}

// beSegs builds contiguous stretches, merging equal neighbours.
type beSegs []beSeg

func (s *beSegs) add(to float64, class int8) {
	n := len(*s)
	if n > 0 && (*s)[n-1].class == class {
		(*s)[n-1].to = to
		return
	}
	from := 0.0
	if n > 0 {
		from = (*s)[n-1].to
	}
	*s = append(*s, beSeg{from, to, class})
}

// beBucket sums the events of one volume bucket: their total change of D
// and S (intercepts and slopes), and bounds on how far they can move D and
// S inside the bucket (Σ |jump at the event| and Σ |slope change|).
type beBucket struct {
	dA, dB, sA, sB float64
	jD, kD, jS, kS float64
	class          int8 // the bucket's one winner, unless exact
	exact          bool // may hold a sign change: swept event by event
}

// sweep walks [0, max] and returns the exact (unrounded) winner stretches,
// with stretches narrower than the tolerance (single points) removed, and
// the class at volume probe (when probe ≥ 0); ok is false when the
// undecided buckets hold more than beMaxListed events.
//
// The range is cut into buckets of about 32 events. One pass sums each
// bucket's events, which is enough to know D at every bucket boundary and to
// bound D inside the bucket; a bucket whose bound keeps D clear of zero has
// one winner and its events are never sorted. Only the buckets that may hold
// a sign change (or a tie) get their events listed, sorted and swept one by
// one, piece by piece. Both paths are exact; the bound only saves work.
func (m *beModel) sweep(probe float64) (segs beSegs, at int8, ok bool) {
	st := m.st
	at = st.class(0)
	segs.add(0, at)
	if m.max <= 0 {
		return beClean(segs), at, true
	}
	nb := min(max(m.n/32, 16), 1<<16)
	scale := float64(nb) / m.max
	bucket := func(v float64) int { return min(max(int(v*scale), 0), nb-1) }
	acc := make([]beBucket, nb)
	rn := m.run
	for i := range m.terms {
		t := &m.terms[i]
		if t.step > 0 {
			if t.wD == 0 && t.wS == 0 {
				continue
			}
			k := 0
			if t.inv == nil {
				// the common case, one block per step: a constant jump
				aD, aS := math.Abs(t.wD), math.Abs(t.wS)
				for ; ; k++ {
					v := float64(k) * t.step
					if v >= m.max {
						break
					}
					if k&(beCheckEvery-1) == 0 && rn.halt() {
						return nil, at, false
					}
					b := &acc[bucket(v)]
					b.dA += t.wD
					b.sA += t.wS
					b.jD += aD
					b.jS += aS
				}
			} else {
				// a per-block invoice: the jump of block k is F(k+1) − F(k),
				// walked with a tier cursor (no table of F, no tier scan)
				cur := t.inv.cursor(0)
				fk := cur.next()
				for ; ; k++ {
					v := float64(k) * t.step
					if v >= m.max {
						break
					}
					if k&(beCheckEvery-1) == 0 && rn.halt() {
						return nil, at, false
					}
					fk1 := cur.next()
					dh := fk1 - fk
					fk = fk1
					if dh == 0 {
						continue
					}
					dA, sA := t.wD*dh, t.wS*dh
					b := &acc[bucket(v)]
					b.dA += dA
					b.sA += sA
					b.jD += math.Abs(dA)
					b.jS += math.Abs(sA)
				}
			}
			if rn != nil {
				rn.events += int64(k)
			}
			continue
		}
		if rn != nil {
			if t.hf != nil {
				rn.events += int64(t.hn)
			} else {
				rn.events += int64(len(t.inv.x))
			}
		}
		m.each(int32(i), 0, m.max, func(v float64, k int32) {
			dA, dB, sA, sB := t.delta(k)
			b := &acc[bucket(v)]
			b.dA += dA
			b.dB += dB
			b.sA += sA
			b.sB += sB
			b.jD += math.Abs(dA + dB*v)
			b.kD += math.Abs(dB)
			b.jS += math.Abs(sA + sB*v)
			b.kS += math.Abs(sB)
		})
	}

	// Decide each bucket, with the state at its start.
	exact := 0
	cur := st
	for b := range acc {
		lo, hi := float64(b)/scale, float64(b+1)/scale
		if b == nb-1 {
			hi = m.max
		}
		bk := &acc[b]
		w := hi - lo
		d0, d1 := cur.aD+cur.bD*lo, cur.aD+cur.bD*hi
		s0, s1 := cur.aS+cur.bS*lo, cur.aS+cur.bS*hi
		minD := math.Min(d0, d1) - bk.jD - bk.kD*w
		maxD := math.Max(d0, d1) + bk.jD + bk.kD*w
		maxS := math.Max(s0, s1) + bk.jS + bk.kS*w
		tol := beRel * math.Max(1, maxS+math.Abs(minD)+math.Abs(maxD))
		// the least tolerance in the bucket: costs are ≥ 0, so S is
		minS := math.Max(0, math.Min(s0, s1)-bk.jS-bk.kS*w)
		tie := beRel * math.Max(1, minS/2)
		switch {
		case minD > tol:
			bk.class = beOption
		case maxD < -tol:
			bk.class = beBaseline
		case bk.jD == 0 && bk.kD == 0 && math.Abs(d0) <= tie && math.Abs(d1) <= tie:
			// no event moves D here (identical terms cancel) and the line
			// D stays within the tolerance: a tie throughout
			bk.class = beTie
		default:
			bk.exact = true
			exact++
		}
		cur.apply(bk)
	}

	// List the events of the undecided buckets, bucket by bucket. They are
	// few and mostly adjacent, so each term is only enumerated over the
	// volume ranges of runs of undecided buckets.
	var ev []beEvent
	var end []int32
	if exact > 0 {
		type run struct {
			b, e     int // first and last bucket
			from, to float64
		}
		var runs []run
		for b := 0; b < nb; b++ {
			if !acc[b].exact {
				continue
			}
			e := b
			for e+1 < nb && acc[e+1].exact {
				e++
			}
			// a margin of one bucket: the bucket of a volume is a float
			// product, the run's ends a float quotient
			runs = append(runs, run{b, e, float64(b-1) / scale, float64(e+2) / scale})
			b = e
		}
		// Every term is enumerated once per run, so many scattered runs
		// would cost terms × runs: past beMaxRuns, neighbouring runs are
		// joined (the buckets between them list their events too, which
		// the sweep below ignores; beMaxListed still bounds them).
		if len(runs) > beMaxRuns {
			per := (len(runs) + beMaxRuns - 1) / beMaxRuns
			var joined []run
			for j := 0; j < len(runs); j += per {
				last := runs[min(j+per, len(runs))-1]
				joined = append(joined, run{runs[j].b, last.e, runs[j].from, last.to})
			}
			runs = joined
		}
		end = make([]int32, nb+1)
		each := func(fn func(b int, i int32, v float64, k int32)) {
			for i := range m.terms {
				if rn.halt() {
					return
				}
				for _, r := range runs {
					m.each(int32(i), r.from, r.to, func(v float64, k int32) {
						if b := bucket(v); b >= r.b && b <= r.e {
							fn(b, int32(i), v, k)
						}
					})
				}
			}
		}
		each(func(b int, _ int32, _ float64, _ int32) { end[b+1]++ })
		for b := 1; b <= nb; b++ {
			end[b] += end[b-1]
		}
		if end[nb] > beMaxListed || rn.halt() {
			return nil, at, false
		}
		ev = make([]beEvent, end[nb])
		next := slices.Clone(end[:nb])
		each(func(b int, i int32, v float64, k int32) {
			ev[next[b]] = beEvent{v: v, t: i, k: k}
			next[b]++
		})
	}

	cur = st
	for b := range acc {
		lo, hi := float64(b)/scale, float64(b+1)/scale
		if b == nb-1 {
			hi = m.max
		}
		if !acc[b].exact {
			segs.add(hi, acc[b].class)
			if probe > lo && probe <= hi {
				at = acc[b].class
			}
			cur.apply(&acc[b])
			continue
		}
		be := ev[end[b]:end[b+1]]
		slices.SortFunc(be, func(x, y beEvent) int { return cmp.Compare(x.v, y.v) })
		st := cur
		cur.apply(&acc[b])
		for i := 0; i < len(be); {
			if top := math.Min(be[i].v, hi); top > lo {
				beSplitPiece(&segs, &st, lo, top)
				if probe > lo && probe <= top {
					at = st.class(probe)
				}
				lo = top
			}
			// pass the breakpoint, with any that coincide within tolerance
			lim := be[i].v + beRel*math.Max(1, be[i].v)
			for ; i < len(be) && be[i].v <= lim; i++ {
				st.pass(m.terms, be[i])
			}
		}
		if lo < hi {
			beSplitPiece(&segs, &st, lo, hi)
			if probe > lo && probe <= hi {
				at = st.class(probe)
			}
		}
	}
	return beClean(segs), at, true
}

// beSplitPiece adds the stretches of one linear piece (lo, hi] of D: at most
// one sign change, at the root of D. A tie touched at a single point is a
// boundary, not a stretch.
func beSplitPiece(segs *beSegs, st *beState, lo, hi float64) {
	cl, ch := st.class(lo), st.class(hi)
	switch {
	case cl == ch:
		segs.add(hi, cl)
	case cl == beTie:
		segs.add(hi, ch)
	case ch == beTie:
		segs.add(hi, cl)
		segs.add(hi, beTie)
	default:
		r := lo
		if st.bD != 0 {
			r = math.Min(hi, math.Max(lo, -st.aD/st.bD))
		}
		segs.add(r, cl)
		segs.add(hi, ch)
	}
}

// beClean drops stretches narrower than the tolerance (points and float
// noise between breakpoints that coincide) and merges the neighbours they
// separated.
func beClean(segs beSegs) beSegs {
	var out beSegs
	for _, s := range segs {
		if s.to-s.from <= beRel*math.Max(1, math.Abs(s.to)) {
			continue
		}
		out.add(s.to, s.class)
	}
	if len(out) == 0 && len(segs) > 0 {
		out = beSegs{{0, segs[len(segs)-1].to, segs[0].class}}
	}
	if n := len(out); n > 0 && len(segs) > 0 {
		out[n-1].to = segs[len(segs)-1].to
	}
	return out
}

// beIntervals rounds the stretches' boundaries half up to 0.01 units,
// drops the intervals that become empty and merges equal neighbours. names
// maps the classes −1, 0, 1 to the baseline id, "tie" and the option id.
func beIntervals(segs beSegs, max float64, names [3]string) []Interval {
	name := func(c int8) string { return names[c+1] }
	if max <= 0 || len(segs) == 0 {
		c := beTie
		if len(segs) > 0 {
			c = segs[0].class
		}
		return []Interval{{From: 0, To: 0, Winner: name(c)}}
	}
	var out []Interval
	for _, s := range segs {
		from, to := beRoundHalfUp(s.from, 2), beRoundHalfUp(s.to, 2)
		if len(out) > 0 {
			from = out[len(out)-1].To
		}
		if to <= from {
			continue
		}
		if n := len(out); n > 0 && out[n-1].Winner == name(s.class) {
			out[n-1].To = to
			continue
		}
		out = append(out, Interval{From: from, To: to, Winner: name(s.class)})
	}
	if len(out) == 0 {
		// the whole range rounds to 0: report the widest stretch's winner
		w := segs[0]
		for _, s := range segs {
			if s.to-s.from > w.to-w.from {
				w = s
			}
		}
		return []Interval{{From: 0, To: beRoundHalfUp(max, 2), Winner: name(w.class)}}
	}
	return out
}

// beRoundHalfUp rounds x ≥ 0 to the given decimals, half up; a value within
// float noise of a half rounds up.
func beRoundHalfUp(x float64, places int) float64 {
	p := math.Pow(10, float64(places))
	y := x * p
	f := math.Floor(y)
	if y-f >= 0.5-1e-9 {
		f++
	}
	return f / p
}

// beInvoice is a vendor's invoice before escalation and fx, as a function of
// the demand x the option sees. Per unit it is piecewise linear: pieces
// (x[j−1], x[j]] cost c0[j] + c1[j]·x, the last piece unbounded, a
// breakpoint counting to the piece on its left. Per block it is F(ceil(x /
// block)), F(n) = max(usage(max(n, minimum_units)), minimum_charge) +
// fixed_monthly.
type beInvoice struct {
	perBlock bool
	block    float64
	hf       *headsFn // per-block pricing on a service-level capacity
	x        []float64
	c0, c1   []float64

	tiers     beTiers
	minUnits  float64
	minCharge float64
	fixed     float64
}

// beTiers is a tier schedule in quote currency per billed unit.
type beTiers struct {
	upTo  []float64 // bounds of all tiers but the last
	thr   []float64 // each bound plus the tolerance within which q is on it
	price []float64
	cum   []float64 // graduated usage at each tier's lower bound
	all   bool      // all_units
}

// tier returns the tier q falls in; a bound (within tolerance) belongs to
// its own tier. Binary search over the bounds plus their tolerance (which
// grow with the bounds): a 100-tier schedule is looked up in 7 steps.
func (t *beTiers) tier(q float64) int {
	j, _ := slices.BinarySearch(t.thr, q) // the first bound (+ tolerance) ≥ q
	return j
}

func (t *beTiers) lower(j int) float64 {
	if j == 0 {
		return 0
	}
	return t.upTo[j-1]
}

// usage is the tier charge of q billed units.
func (t *beTiers) usage(q float64) float64 {
	return t.usageIn(q, t.tier(q))
}

// usageIn is usage for q in tier j.
func (t *beTiers) usageIn(q float64, j int) float64 {
	if t.all {
		return t.price[j] * q
	}
	return t.cum[j] + t.price[j]*(q-t.lower(j))
}

func newBeInvoice(p *Pricing) *beInvoice {
	inv := &beInvoice{
		perBlock:  p.Per == PricingPerBlock,
		minUnits:  p.MinimumUnits.InexactFloat64(),
		minCharge: p.MinimumCharge.InexactFloat64(),
		fixed:     p.FixedMonthly.InexactFloat64(),
	}
	t := &inv.tiers
	t.all = p.TierMode == TierModeAllUnits
	// one allocation for the four tables: price, cum, upTo, thr
	k := max(len(p.Tiers), 1)
	buf := make([]float64, 4*k)
	t.price, t.cum, t.upTo, t.thr = buf[:0:k], buf[k:2*k:2*k], buf[2*k:2*k:3*k], buf[3*k:3*k:4*k]
	for j, tr := range p.Tiers {
		t.price = append(t.price, tr.Price.InexactFloat64())
		if tr.UpTo != nil && j < len(p.Tiers)-1 {
			t.upTo = append(t.upTo, tr.UpTo.InexactFloat64())
		}
	}
	if len(t.price) == 0 {
		t.price = t.price[:1] // a price of 0
	}
	t.upTo = t.upTo[:min(len(t.upTo), len(t.price)-1)]
	for _, b := range t.upTo {
		t.thr = append(t.thr, b+beRel*math.Max(1, math.Abs(b)))
	}
	t.cum = t.cum[:len(t.price)]
	for j := 1; j < len(t.price); j++ {
		t.cum[j] = t.cum[j-1] + t.price[j-1]*(t.upTo[j-1]-t.lower(j-1))
	}
	if inv.perBlock {
		inv.block = beBlock(p.BlockSize, p.Capacity)
		inv.c0, inv.c1 = []float64{inv.f(0)}, []float64{0}
		return inv
	}
	inv.curve(p.UnitFactor.InexactFloat64())
	return inv
}

// f is F(n), the per-block invoice for n blocks. Nothing is tabulated: a
// break-even range can hold millions of blocks (defect: 16.7M values were
// once materialised for one view).
func (inv *beInvoice) f(n int) float64 {
	q := math.Max(float64(n), inv.minUnits)
	return math.Max(inv.tiers.usageIn(q, inv.tiers.tier(q)), inv.minCharge) + inv.fixed
}

// beCursor walks F(n), F(n+1), … for increasing n, keeping the tier of the
// last n, so each step is O(1) however many tiers there are.
type beCursor struct {
	inv *beInvoice
	n   int
	j   int
}

// cursor starts a walk at F(n).
func (inv *beInvoice) cursor(n int) beCursor {
	return beCursor{inv: inv, n: n, j: inv.tiers.tier(math.Max(float64(n), inv.minUnits))}
}

// next returns F(n) and moves to n+1. The tier found is the one tier
// returns: the bounds only rise, and so does n.
func (c *beCursor) next() float64 {
	inv := c.inv
	t := &inv.tiers
	q := math.Max(float64(c.n), inv.minUnits)
	for c.j < len(t.thr) && q > t.thr[c.j] {
		c.j++
	}
	c.n++
	return math.Max(t.usageIn(q, c.j), inv.minCharge) + inv.fixed
}

// at is the invoice at demand x.
func (inv *beInvoice) at(x float64) float64 {
	if inv.perBlock {
		if x <= 0 || inv.block <= 0 {
			return inv.f(0)
		}
		n := math.Ceil(x / inv.block)
		if x-(n-1)*inv.block <= beRel*math.Max(1, (n-1)*inv.block) {
			n--
		}
		return inv.f(int(n))
	}
	j, _ := slices.BinarySearch(inv.x, x)
	return inv.c0[j] + inv.c1[j]*x
}

// curve builds the per-unit pieces: between consecutive breakpoints (tier
// bounds and minimum_units, in demand units) usage is linear; the minimum
// charge splits a piece where usage meets it.
func (inv *beInvoice) curve(uf float64) {
	t := &inv.tiers
	if uf <= 0 {
		v := math.Max(t.usage(inv.minUnits), inv.minCharge) + inv.fixed
		inv.c0, inv.c1 = []float64{v}, []float64{0}
		return
	}
	var cand []float64
	if inv.minUnits > 0 {
		cand = append(cand, inv.minUnits/uf)
	}
	for _, b := range t.upTo {
		if b > 0 {
			cand = append(cand, b/uf)
		}
	}
	slices.Sort(cand)
	cand = slices.Compact(cand)
	push := func(to, c0, c1 float64) {
		c0 += inv.fixed
		if n := len(inv.c0); n > 0 && inv.c0[n-1] == c0 && inv.c1[n-1] == c1 {
			inv.x[n-1] = to // same line: extend the previous piece
			return
		}
		inv.x = append(inv.x, to)
		inv.c0 = append(inv.c0, c0)
		inv.c1 = append(inv.c1, c1)
	}
	lo := 0.0
	for i := 0; i <= len(cand); i++ {
		hi := math.Inf(1)
		mid := lo + 1
		if i < len(cand) {
			hi = cand[i]
			mid = (lo + hi) / 2
		}
		var c0, c1 float64
		if q := uf * mid; q < inv.minUnits {
			c0 = t.usage(inv.minUnits)
		} else {
			j := t.tier(q)
			c1 = t.price[j] * uf
			if !t.all {
				c0 = t.cum[j] - t.price[j]*t.lower(j)
			}
		}
		if mc := inv.minCharge; mc > 0 {
			switch {
			case c1 == 0:
				c0 = math.Max(c0, mc)
			case (mc-c0)/c1 > lo && (mc-c0)/c1 < hi:
				xc := (mc - c0) / c1
				push(xc, mc, 0)
			case c0+c1*mid < mc:
				c0, c1 = mc, 0
			}
		}
		push(hi, c0, c1)
		lo = hi
	}
	// the last piece is unbounded: drop its +Inf bound
	inv.x = inv.x[:len(inv.x)-1]
}
