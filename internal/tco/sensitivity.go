package tco

import (
	"math"
	"sort"

	"github.com/shopspring/decimal"
)

var (
	lowK  = decimal.RequireFromString("0.8")
	highK = decimal.RequireFromString("1.2")
)

// maxDiscountRate caps a scaled discount rate below 1 (spec §5).
const maxDiscountRate = 0.9999

// sensitivity returns the tornado of option i (volumeTip is the volume
// driver's tipping point, solved by the break-even machinery): its savings on the price
// basis, from the full rounded model, with each driver alone multiplied by
// 0.8 and 1.2, sorted by swing |high − low| (largest first), each with its
// tipping point.
func (e *engine) sensitivity(i int, volumeTip *float64) []Sensitivity {
	d := e.d
	opt := &d.Options[i]
	basis := d.Price.Basis
	cur := e.total(e.costs[e.base], basis).Sub(e.total(e.costs[i], basis))
	// savings under a scale; the baseline's scenarios are shared by all
	// options, and only the items a driver touches are costed again.
	if e.scen == nil { // made here: a costing without analysis needs neither
		e.scen, e.rates = map[string]*optionCost{}, map[float64]*discounting{}
	}
	savings := func(key string, s scale, both bool) decimal.Decimal {
		base := e.costs[e.base]
		if both {
			if base = e.scen[key]; base == nil {
				base = e.m.cost(&d.Options[e.base], s, e.costs[e.base])
				e.scen[key] = base
			}
		}
		return e.total(base, basis).Sub(e.total(e.m.cost(opt, s, e.costs[i]), basis))
	}
	var out []Sensitivity
	add := func(driver string, lo, hi decimal.Decimal, tp *float64) {
		out = append(out, Sensitivity{Driver: driver, Low: e.money(lo), High: e.money(hi), TippingPoint: tp})
	}
	// driver applies multiplier k to one field of the scale.
	driver := func(name string, set func(*scale, decimal.Decimal), both bool, tip func(at func(decimal.Decimal) decimal.Decimal) *float64) {
		at := func(k decimal.Decimal) decimal.Decimal {
			s := unscaled
			set(&s, k)
			return savings(name+k.String(), s, both)
		}
		add(name, at(lowK), at(highK), tip(at))
	}
	// savings are linear in these multipliers before rounding, so the
	// tipping point is the root of the line through k = 0 and k = 1.
	linear := func(at func(decimal.Decimal) decimal.Decimal) *float64 {
		return linearTipping(at(decimal.Zero), cur)
	}
	driver(DriverVolume, func(s *scale, k decimal.Decimal) { s.volume = k }, true,
		func(func(decimal.Decimal) decimal.Decimal) *float64 {
			if cur.IsZero() {
				return ptr(1.0)
			}
			return volumeTip
		})
	if opt.Pricing != nil {
		driver(DriverVendorPrice, func(s *scale, k decimal.Decimal) { s.price = k }, false, linear)
	}
	driver(DriverPersonnel, func(s *scale, k decimal.Decimal) { s.personnel = k }, true, linear)
	if basis == PriceBasisPV && d.DiscountRate.Sign() > 0 {
		r, _ := d.DiscountRate.Float64()
		pv := func(k float64) decimal.Decimal {
			df := e.rates[k]
			if df == nil {
				df = newDiscounting(discount(math.Min(r*k, maxDiscountRate), d.Timing, e.m.h))
				e.rates[k] = df
			}
			return e.pv(e.costs[e.base].total, df).Sub(e.pv(e.costs[i].total, df))
		}
		add(DriverDiscountRate, pv(0.8), pv(1.2), e.rateTip(i, r, cur))
	}
	if opt.Pricing != nil && opt.Pricing.Currency != d.Currency {
		driver(DriverFXRate, func(s *scale, k decimal.Decimal) { s.fx = k }, false, linear)
	}
	if usesCapacity(opt) || usesCapacity(&d.Options[e.base]) {
		driver(DriverAHT, func(s *scale, k decimal.Decimal) { s.aht = k }, true,
			func(func(decimal.Decimal) decimal.Decimal) *float64 { return e.ahtTip(i, cur) })
	}
	sort.SliceStable(out, func(a, b int) bool {
		return out[a].High.Value.Sub(out[a].Low.Value).Abs().GreaterThan(out[b].High.Value.Sub(out[b].Low.Value).Abs())
	})
	return out
}

// linearTipping returns the multiplier in [0, 3] at which savings that are
// linear in it (s0 at 0, s1 at 1) reach zero, to 3 decimals; 1 when s1 is
// already 0; nil when they never change sign in the range.
func linearTipping(s0, s1 decimal.Decimal) *float64 {
	if s1.IsZero() {
		return ptr(1.0)
	}
	slope := s1.Sub(s0)
	if slope.IsZero() {
		return nil
	}
	k, _ := s0.Neg().DivRound(slope, 12).Float64()
	if k < 0 || k > 3 {
		return nil
	}
	return ptr(round3(k))
}

// rateTip finds the multiplier k in [0, 3] of the discount rate nearest to 1
// at which the PV savings change sign (rate capped below 1), by scanning a
// 0.01 grid outwards from 1 and bisecting the bracket; ties go to the lower.
func (e *engine) rateTip(i int, r float64, cur decimal.Decimal) *float64 {
	if cur.IsZero() {
		return ptr(1.0)
	}
	h := e.m.h
	s := make([]float64, h+1)
	for m := 0; m <= h; m++ {
		s[m] = float64(e.costs[e.base].total[m] - e.costs[i].total[m])
	}
	shift := 0.0
	switch e.d.Timing {
	case TimingMid:
		shift = 0.5
	case TimingBegin:
		shift = 1
	}
	// f(k) = s_0 + (1+rk)^(shift/12) × Σ s_m x^m with x = (1+rk)^(−1/12).
	f := func(k float64) float64 {
		rate := math.Min(r*k, maxDiscountRate)
		x := math.Pow(1+rate, -1.0/12)
		acc := 0.0
		for m := h; m >= 1; m-- {
			acc = acc*x + s[m]
		}
		return s[0] + acc*x*math.Pow(1+rate, shift/12)
	}
	sign := math.Signbit(f(1))
	root := func(a, b float64) float64 {
		fa := f(a)
		for range 60 {
			mid := (a + b) / 2
			if math.Signbit(f(mid)) == math.Signbit(fa) && f(mid) != 0 {
				a, fa = mid, f(mid)
			} else {
				b = mid
			}
		}
		return (a + b) / 2
	}
	// Σ s_m x^m has no more positive roots than its coefficients have sign
	// changes (Descartes): with none, the savings never change sign.
	changes, last := 0, 0
	for _, v := range s {
		if v == 0 {
			continue
		}
		sg := 1
		if v < 0 {
			sg = -1
		}
		if last != 0 && sg != last {
			changes++
		}
		last = sg
	}
	if changes == 0 {
		return nil
	}
	// f is smooth in k: scan a 0.01 grid outwards, then bisect the bracket.
	const step = 0.01
	for j := 1; j <= 200; j++ {
		var found []float64
		lo, hi := 1-float64(j)*step, 1+float64(j)*step
		if lo >= -1e-12 {
			lo = math.Max(lo, 0)
			if v := f(lo); v == 0 || math.Signbit(v) != sign {
				found = append(found, round3(root(lo, 1-float64(j-1)*step)))
			}
		}
		if hi <= 3+1e-12 {
			hi = math.Min(hi, 3)
			if v := f(hi); v == 0 || math.Signbit(v) != sign {
				found = append(found, round3(root(1+float64(j-1)*step, hi)))
			}
		}
		if len(found) > 0 {
			best := found[0]
			for _, k := range found[1:] {
				if math.Abs(k-1) < math.Abs(best-1) || (math.Abs(k-1) == math.Abs(best-1) && k < best) {
					best = k
				}
			}
			return ptr(best)
		}
	}
	return nil
}

// round3 rounds half up to 3 decimals.
func round3(x float64) float64 { return math.Floor(x*1000+0.5) / 1000 }

func ptr[T any](v T) *T { return &v }
