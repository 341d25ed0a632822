package tco

import (
	"math"

	"github.com/shopspring/decimal"
)

// Costing a risk run fast. A run costs every option again under its draws
// with the full rounded model of §2, and the exact decimal costing took 3.4
// ms a run on the large document (BENCHMARKS.md, almost all of it decimal
// and big-integer allocation). So a run first estimates each amount in
// double precision, where a handful of roundings give a relative error
// under 1e-15, and takes math.Round of the estimate only when no rounding
// boundary (a half minor unit, a block multiple, a tier bound, a minimum)
// lies within riskRel of it; otherwise that one amount is costed exactly,
// as the model does. The result is the model's, amount for amount (a test
// holds every run against it), and items no drawn driver touches are
// summed once, as sensitivity reuses them.

// riskRel is the relative error a run's double estimate is trusted to: a
// thousand times the few units in the last place it can carry.
const riskRel = 1e-12

// riskExactOnly makes every amount of a run take the exact path (tests).
var riskExactOnly = false

// certain returns x (minor units, ≥ 0, off by at most err) rounded half
// away from zero when no half unit lies within err of it; ok false when one
// does, or when the amount is too large for the estimate (the exact path
// then decides, and flags amounts too large to cost).
func certain(x, err float64) (int64, bool) {
	if riskExactOnly || !(x >= 0) || x >= 1e14 {
		return 0, false
	}
	f := x - math.Floor(x)
	if math.Abs(f-0.5) <= err+1e-300 {
		return 0, false
	}
	return int64(math.Round(x)), true
}

// Kinds of dynamic cost line.
const (
	rkExact   = iota // fixed or one_time: the model costs it (a few amounts)
	rkPerUnit        // amount × U_m × escalation
	rkPerBlock
	rkShare // share_of_vendor
)

// runModel is a document compiled for its risk runs: what each option's
// run needs, worked out once. Workers only read it.
type runModel struct {
	e      *engine
	h      int
	pow    float64   // 10^places
	volF   []float64 // V_m as doubles, index m
	groups []blockGroup
	opts   []runOption
}

// blockGroup is a block and share of per-block lines or pricing: their
// block counts are worked out once a run.
type blockGroup struct {
	size   *decimal.Decimal
	cap    *Capacity
	share  decimal.Decimal
	shareF float64
	ahtOn  bool // a capacity: the aht driver moves its block
}

// runItem is a cost line that a run costs again.
type runItem struct {
	line     int // index in the option's lines
	kind     int
	pers     bool // personnel: the personnel driver applies
	amount   decimal.Decimal
	amountF  float64
	esc      []decimal.Decimal
	escF     []float64
	share    decimal.Decimal
	shareF   float64
	group    int
	from, to int // recurring window
}

// runOption is one option's compiled run.
type runOption struct {
	o      *Option
	ref    *optionCost // unscaled costing, for the items no driver touches
	static []int64     // Σ of those items, by month
	items  []runItem
	inv    *runInvoice // nil: no pricing, or no driver touches the invoice
	fees   bool        // setup and exit fees are costed again
}

// runInvoice is a pricing compiled for runs.
type runInvoice struct {
	p                          *Pricing
	tt                         *tiers
	from                       int
	group                      int // per-block pricing: its block group; −1 per unit
	share                      decimal.Decimal
	shareF, ufactorF           float64
	esc                        []decimal.Decimal
	escF                       []float64
	minUnitsF, minChargeF, fix float64
	baseF, lowerF, priceF      []float64
	// the model's pre-invoice (before fx and the price multiplier) when no
	// drawn driver moves the billed units: only its multiplier varies
	pre  *preInv
	preF []float64
}

// newRunModel compiles the engine's document for the runs of plan p.
// Drivers fixed at exactly 1 touch nothing.
func newRunModel(e *engine, p *riskPlan) *runModel {
	d, m := e.d, e.m
	rm := &runModel{e: e, h: m.h, pow: math.Pow10(int(m.places)), volF: make([]float64, m.h+1)}
	for i := 1; i <= m.h; i++ {
		rm.volF[i] = m.vol[i].InexactFloat64()
	}
	isOne := func(t triangle) bool { return t.fixed && t.value.Equal(one) }
	volOn, persOn, ahtOn := !isOne(p.volume), !isOne(p.pers), !isOne(p.aht)
	group := func(size *decimal.Decimal, c *Capacity, share decimal.Decimal) int {
		for gi, g := range rm.groups {
			if g.share.Equal(share) && ((size != nil && g.size != nil && size.Equal(*g.size)) ||
				(c != nil && g.cap != nil && capacityKey(c) == capacityKey(g.cap))) {
				return gi
			}
		}
		rm.groups = append(rm.groups, blockGroup{size: size, cap: c, share: share, shareF: share.InexactFloat64(), ahtOn: c != nil})
		return len(rm.groups) - 1
	}
	for oi := range d.Options {
		o := &d.Options[oi]
		ref := e.costs[oi]
		ro := runOption{o: o, ref: ref, static: make([]int64, m.h+1)}
		pr := o.Pricing
		invOn := false
		if pr != nil {
			priceOn := !isOne(p.price)
			fxOn := pr.Currency != d.Currency && !isOne(p.fx)
			invOn = volOn || priceOn || fxOn || (ahtOn && pr.Per == PricingPerBlock && pr.Capacity != nil)
			ro.fees = priceOn || fxOn
		}
		add := func(x []int64) {
			for i, v := range x {
				ro.static[i] += v
			}
		}
		for li := range o.Lines {
			l := &o.Lines[li]
			pers := l.Category == CategoryPersonnel && persOn
			var on bool
			switch l.Basis {
			case BasisFixed, BasisOneTime:
				on = pers
			case BasisPerUnit:
				on = pers || volOn
			case BasisPerBlock:
				on = pers || volOn || (ahtOn && l.Capacity != nil)
			case BasisShareOfVendor:
				on = pers || invOn
			}
			if !on {
				add(ref.items[li].monthly)
				continue
			}
			it := runItem{line: li, pers: l.Category == CategoryPersonnel, amount: l.Amount, amountF: l.Amount.InexactFloat64(), from: 1, to: m.h}
			if l.FromMonth != nil {
				it.from = *l.FromMonth
			}
			if l.ToMonth != nil {
				it.to = *l.ToMonth
			}
			switch l.Basis {
			case BasisFixed, BasisOneTime:
				it.kind = rkExact
			case BasisShareOfVendor:
				it.kind = rkShare
			default:
				it.kind = rkPerUnit
				it.esc = m.factors(l.Escalation)
				it.escF = floats(it.esc)
				it.share = lineShare(o, l)
				it.shareF = it.share.InexactFloat64()
				if l.Basis == BasisPerBlock {
					it.kind = rkPerBlock
					it.group = group(l.BlockSize, l.Capacity, it.share)
				}
			}
			ro.items = append(ro.items, it)
		}
		if pr != nil {
			k := len(o.Lines)
			if invOn {
				ri := &runInvoice{p: pr, tt: newTiers(pr), from: max(pr.FromMonth, 1), group: -1, share: o.VolumeShare,
					shareF: o.VolumeShare.InexactFloat64(), ufactorF: pr.UnitFactor.InexactFloat64(),
					esc: m.factors(pr.Escalation), minUnitsF: pr.MinimumUnits.InexactFloat64(),
					minChargeF: pr.MinimumCharge.InexactFloat64(), fix: pr.FixedMonthly.InexactFloat64()}
				ri.escF = floats(ri.esc)
				ri.baseF, ri.lowerF, ri.priceF = floats(ri.tt.base), floats(ri.tt.lower), floats(ri.tt.price)
				if pr.Per == PricingPerBlock {
					ri.group = group(pr.BlockSize, pr.Capacity, o.VolumeShare)
				}
				if !volOn && !(ahtOn && pr.Per == PricingPerBlock && pr.Capacity != nil) {
					ri.pre = m.preInvoice(o, one, one)
					ri.preF = floats(ri.pre.d)
				}
				ro.inv = ri
			} else {
				add(ref.invoice)
			}
			k++
			for _, fee := range []decimal.Decimal{pr.SetupFee, pr.ExitFee} {
				if fee.IsZero() {
					continue
				}
				if !ro.fees {
					add(ref.items[k].monthly)
				}
				k++
			}
		}
		rm.opts = append(rm.opts, ro)
	}
	return rm
}

func floats(x []decimal.Decimal) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = v.InexactFloat64()
	}
	return out
}

// runScratch is a worker's memory for costing runs.
type runScratch struct {
	blocks [][]int64 // by group, months 0..H
	inv    []int64
	total  []int64
}

func (rm *runModel) scratch() *runScratch {
	s := &runScratch{blocks: make([][]int64, len(rm.groups)), inv: make([]int64, rm.h+1), total: make([]int64, rm.h+1)}
	for i := range s.blocks {
		s.blocks[i] = make([]int64, rm.h+1)
	}
	return s
}

// costRun fills w's totals with every option's total on the price basis
// (minor units) for run draws r.
func (w *riskWorker) costRun(r *riskDraw) {
	rm, m, e := w.rm, w.m, w.e
	kv, kp, ka := r.volume, r.pers, r.aht
	kvF, kpF := kv.InexactFloat64(), kp.InexactFloat64()
	sc := w.rs
	// block counts of every group: ceil(U_m / block), decided in doubles
	// where clearly apart from a multiple (as the model's blocksOf does)
	for gi, g := range rm.groups {
		n := sc.blocks[gi]
		if g.cap.Staffed() {
			runHeads(m, g, kv, ka, rm.h, n)
			continue
		}
		spec := specOf(g.size, g.cap, ka)
		ratio := spec.num.InexactFloat64() / spec.den.InexactFloat64()
		var f decimal.Decimal
		haveF := false
		for i := 1; i <= rm.h; i++ {
			if i > 1 && rm.volF[i] == rm.volF[i-1] && m.vol[i].Equal(m.vol[i-1]) {
				n[i] = n[i-1]
				continue
			}
			x := rm.volF[i] * g.shareF * kvF * ratio
			if fl := math.Floor(x); !riskExactOnly && x < 1e12 && x-fl > 1e-6 && x-fl < 1-1e-6 {
				n[i] = int64(fl) + 1
				continue
			}
			if !haveF {
				f, haveF = g.share.Mul(kv), true
			}
			n[i] = ceilBlocks(m.vol[i].Mul(f), spec)
		}
	}
	for oi := range rm.opts {
		ro := &rm.opts[oi]
		s := w.p.scaleOf(oi, r)
		tot := sc.total
		copy(tot, ro.static)
		inv := ro.ref.invoice
		if ro.inv != nil {
			inv = w.invoice(ro.inv, s)
			for i, v := range inv {
				tot[i] += v
			}
		}
		if ro.fees {
			p := ro.o.Pricing
			if !p.SetupFee.IsZero() {
				tot[0] += m.minor(p.SetupFee.Mul(s.price).Mul(p.FXRate).Mul(s.fx))
			}
			if !p.ExitFee.IsZero() {
				tot[rm.h] += m.minor(p.ExitFee.Mul(s.price).Mul(p.FXRate).Mul(s.fx))
			}
		}
		for k := range ro.items {
			it := &ro.items[k]
			l := &ro.o.Lines[it.line]
			kpi, kpiF := one, 1.0
			if it.pers {
				kpi, kpiF = kp, kpF
			}
			switch it.kind {
			case rkExact:
				for i, v := range m.line(ro.o, l, s, inv) {
					tot[i] += v
				}
			case rkPerUnit:
				uf := it.shareF * kvF * kpiF * it.amountF * rm.pow
				for i := max(it.from, 1); i <= min(it.to, rm.h); i++ {
					x := uf * rm.volF[i] * it.escF[i]
					v, ok := certain(x, x*riskRel)
					if !ok {
						v = m.minor(it.amount.Mul(kpi).Mul(it.esc[i]).Mul(m.vol[i].Mul(it.share.Mul(kv))))
					}
					tot[i] += v
				}
			case rkPerBlock:
				n := sc.blocks[it.group]
				af := kpiF * it.amountF * rm.pow
				for i := max(it.from, 1); i <= min(it.to, rm.h); i++ {
					x := af * it.escF[i] * float64(n[i])
					v, ok := certain(x, x*riskRel)
					if !ok {
						v = m.minor(it.amount.Mul(kpi).Mul(it.esc[i]).Mul(decimal.NewFromInt(n[i])))
					}
					tot[i] += v
				}
			case rkShare:
				if inv == nil {
					continue
				}
				af := kpiF * it.amountF
				for i := max(it.from, 1); i <= min(it.to, rm.h); i++ {
					if inv[i] == 0 {
						continue
					}
					x := af * float64(inv[i])
					v, ok := certain(x, x*riskRel)
					if !ok {
						v = m.minor(it.amount.Mul(kpi).Mul(decimal.New(inv[i], -m.places)))
					}
					tot[i] += v
				}
			}
		}
		var t float64
		for _, v := range tot {
			t += float64(v)
		}
		if t > maxTotal {
			m.over = true
		}
		if w.p.basis == PriceBasisTCO {
			w.totals[oi] = sum(tot)
			continue
		}
		// present value: Σ tot_m × df_m, rounded once
		var pv, mag float64
		for i, v := range tot {
			x := float64(v) * e.df.f[i]
			pv += x
			mag += math.Abs(x)
		}
		if v, ok := certain(pv, mag*riskRel); ok && pv >= 0 {
			w.totals[oi] = v
		} else {
			w.totals[oi] = w.pvMinor(tot)
		}
	}
}

// invoice returns I_m of a run in minor units (scratch memory).
func (w *riskWorker) invoice(ri *runInvoice, s scale) []int64 {
	rm, m := w.rm, w.m
	out := w.rs.inv
	clear(out)
	p := ri.p
	f := p.FXRate.Mul(s.fx).Mul(s.price) // the model's multiplier of the pre-invoice
	ff := f.InexactFloat64() * rm.pow
	kvF := s.volume.InexactFloat64()
	var n []int64
	if ri.group >= 0 {
		n = w.rs.blocks[ri.group]
	}
	if ri.pre != nil {
		for i := ri.from; i <= rm.h; i++ {
			x := ri.preF[i] * ff
			v, ok := certain(x, x*riskRel)
			if !ok {
				v = m.minor(ri.pre.d[i].Mul(f))
			}
			out[i] = v
		}
		return out
	}
	last := len(ri.priceF) - 1
	for i := ri.from; i <= rm.h; i++ {
		var qf float64
		if n != nil {
			qf = float64(n[i])
		} else {
			qf = rm.volF[i] * ri.shareF * kvF * ri.ufactorF
		}
		// the decisions the model takes in monthUsage, taken in doubles
		// only where clearly apart
		ok := !riskExactOnly
		q := qf
		if mu := ri.minUnitsF; math.Abs(q-mu) <= 2e-6*math.Max(1, mu)+1 {
			ok = false
		} else if q < mu {
			q = mu
		}
		j := last
		for k := 0; k < last && ok; k++ {
			b := ri.tt.upToF[k]
			if math.Abs(q-b) <= 2e-6*math.Max(1, math.Abs(b)) {
				ok = false
				break
			}
			if q < b {
				j = k
				break
			}
		}
		var v int64
		if ok {
			var usage, mag float64
			if ri.tt.allUnits {
				usage = q * ri.priceF[j]
				mag = usage
			} else {
				usage = ri.baseF[j] + (q-ri.lowerF[j])*ri.priceF[j]
				mag = ri.baseF[j] + (q+ri.lowerF[j])*ri.priceF[j]
			}
			mag += ri.minChargeF + ri.fix
			if math.Abs(usage-ri.minChargeF) <= mag*riskRel {
				ok = false
			} else {
				usage = math.Max(usage, ri.minChargeF) + ri.fix
				x := usage * ri.escF[i] * ff
				v, ok = certain(x, mag*ri.escF[i]*ff*riskRel)
			}
		}
		if !ok {
			var qd decimal.Decimal
			if n != nil {
				qd = decimal.NewFromInt(n[i])
			} else {
				qd = m.vol[i].Mul(ri.share.Mul(s.volume)).Mul(p.UnitFactor)
			}
			v = m.minor(monthUsage(p, ri.tt, qd, qf, ri.minUnitsF).Mul(ri.esc[i]).Mul(f))
		}
		out[i] = v
	}
	return out
}

// capacityKey identifies a capacity's staffing: its workload block, or its
// service-level parameters (spec §8).
func capacityKey(c *Capacity) string {
	if c.Staffed() {
		return slKey(c, one)
	}
	return specOf(nil, c, one).key
}

// runHeads fills n with the heads of a service-level group for months
// 1..H of a run with volume multiplier kv and aht multiplier ka. At ka = 1
// the model's prepared capacity (and its memo) serves; any other AHT is
// staffed on a capacity prepared for this run alone, so runs keep nothing.
func runHeads(m *model, g blockGroup, kv, ka decimal.Decimal, h int, n []int64) {
	var s *slCap
	if ka.Equal(one) {
		s = m.spec(nil, g.cap, one).sl
	} else {
		s = newSlCap(g.cap, g.cap.AHTMinutes.Mul(ka), map[erlangKey]*erlangTable{}, m.spec(nil, g.cap, one).sl)
	}
	f := g.share.Mul(kv)
	for i := 1; i <= h; i++ {
		if i > 1 && m.vol[i].Equal(m.vol[i-1]) {
			n[i] = n[i-1]
			continue
		}
		u := m.vol[i].Mul(f)
		n[i] = s.heads(u, u.InexactFloat64())
	}
}

// forgetRun drops the heads a worker's model memoised for a run's volumes
// (service-level capacities at aht 1 keep a memo by volume), so it does
// not grow with the runs.
func (m *model) forgetRun() {
	for _, s := range m.sl {
		clear(s.memo)
	}
}
