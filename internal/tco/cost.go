package tco

import (
	"fmt"
	"math"

	"github.com/shopspring/decimal"
)

var (
	one       = decimal.NewFromInt(1)
	sixty     = decimal.NewFromInt(60)
	snapScale = decimal.New(1, -9) // 1e-9: the boundary tolerance of spec §1
)

// model is the monthly grid of a validated document: month labels, demand,
// escalation factors and discount factors. Month m runs 0..H; month 0 holds
// what falls due at signing.
type model struct {
	d      *Document
	h      int
	places int32
	labels []string          // 1..H at index m−1
	cal    []int             // calendar month (0 = January) of month m, index m
	growth []decimal.Decimal // demand growth factor of month m, index m
	vol    []decimal.Decimal // V_m, index m (index 0 unused, zero)
	esc    map[string][]decimal.Decimal
}

// newModel prepares the grid. The document must be valid.
func newModel(d *Document) (*model, error) {
	y, mo, err := ParseMonth(d.Start)
	if err != nil {
		return nil, fmt.Errorf("start: %w", err)
	}
	places, ok := MinorUnit(d.Currency)
	if !ok {
		return nil, fmt.Errorf("currency %q: unknown", d.Currency)
	}
	h := d.HorizonMonths
	m := &model{d: d, h: h, places: places, esc: map[string][]decimal.Decimal{}}
	m.labels = make([]string, h)
	m.cal = make([]int, h+1)
	m.vol = make([]decimal.Decimal, h+1)
	m.growth = m.factors(d.Volume.Growth)
	for i := 1; i <= h; i++ {
		c := (mo - 1 + i - 1) % 12
		yy := y + (mo-1+i-1)/12
		m.cal[i] = c
		m.labels[i-1] = fmt.Sprintf("%04d-%02d", yy, c+1)
		m.vol[i] = d.Volume.Monthly.Mul(m.growth[i]).Mul(season(d, c))
	}
	return m, nil
}

func season(d *Document, c int) decimal.Decimal {
	if len(d.Volume.Seasonality) == 12 {
		return d.Volume.Seasonality[c]
	}
	return one
}

// factors returns the escalation factor of an annual rate e for months
// 0..H (month 0 has factor 1): anniversary (1+e)^floor((m−1)/12), exact;
// monthly (1+e)^((m−1)/12) in double precision, as the spec allows.
func (m *model) factors(e decimal.Decimal) []decimal.Decimal {
	key := e.String()
	if f, ok := m.esc[key]; ok {
		return f
	}
	f := make([]decimal.Decimal, m.h+1)
	f[0] = one
	base := one.Add(e)
	if e.IsZero() {
		for i := range f {
			f[i] = one
		}
	} else if m.d.Escalation == EscalationMonthly {
		b, _ := base.Float64()
		for i := 1; i <= m.h; i++ {
			f[i] = decimal.NewFromFloat(math.Pow(b, float64(i-1)/12))
		}
	} else {
		pow := one
		for i := 1; i <= m.h; i++ {
			if i > 1 && (i-1)%12 == 0 {
				pow = pow.Mul(base)
			}
			f[i] = pow
		}
	}
	m.esc[key] = f
	return f
}

// round rounds an amount to the currency's minor unit, half away from zero.
func (m *model) round(x decimal.Decimal) decimal.Decimal { return x.Round(m.places) }

// scale multiplies the drivers of the sensitivity analysis; the zero value
// is not valid, use unscaled.
type scale struct {
	volume    decimal.Decimal // base volume
	price     decimal.Decimal // tier prices, fixed_monthly, minimum_charge, setup and exit fees
	personnel decimal.Decimal // amount of every personnel line
	fx        decimal.Decimal // fx_rate
}

var unscaled = scale{volume: one, price: one, personnel: one, fx: one}

// blockSpec is a block as an exact ratio: block = den / num units.
type blockSpec struct{ num, den decimal.Decimal }

func specOf(size *decimal.Decimal, c *Capacity) blockSpec {
	if size != nil {
		return blockSpec{num: one, den: *size}
	}
	// block = occupancy × (1 − shrinkage) × paid_hours × 60 / aht
	return blockSpec{num: c.AHTMinutes, den: c.Occupancy.Mul(one.Sub(c.Shrinkage)).Mul(c.PaidHours).Mul(sixty)}
}

// blocks returns ceil(u / block) exactly, with the spec's tolerance: a
// volume within 1e-9 × max(1, b) above a block multiple b counts as b.
func blocks(u decimal.Decimal, b blockSpec) decimal.Decimal {
	if u.Sign() <= 0 {
		return decimal.Zero
	}
	num := u.Mul(b.num)
	q, r := num.QuoRem(b.den, 0)
	if r.Sign() == 0 {
		return q
	}
	// u − q·block = r / num-factor; snap down when that is within tolerance
	// of q·block, i.e. r ≤ 1e-9 × max(num-factor, q × den).
	lim := b.num
	if qd := q.Mul(b.den); qd.GreaterThan(lim) {
		lim = qd
	}
	if r.LessThanOrEqual(lim.Mul(snapScale)) {
		return q
	}
	return q.Add(one)
}

// snap returns b when x is within 1e-9 × max(1, |b|) of b, else x.
func snap(x, b decimal.Decimal) decimal.Decimal {
	tol := b.Abs()
	if tol.LessThan(one) {
		tol = one
	}
	if x.Sub(b).Abs().LessThanOrEqual(tol.Mul(snapScale)) {
		return b
	}
	return x
}

// tierUsage is the usage charge of q billed units under the tiers, in the
// quote's currency, unrounded: graduated prices each unit at its bracket,
// all_units prices every unit at the tier q falls in (a bound belongs to its
// own tier). Prices are multiplied by k.
func tierUsage(p *Pricing, q, k decimal.Decimal) decimal.Decimal {
	for _, t := range p.Tiers {
		if t.UpTo != nil {
			q = snap(q, *t.UpTo)
		}
	}
	if p.TierMode == TierModeAllUnits {
		for _, t := range p.Tiers {
			if t.UpTo == nil || q.LessThanOrEqual(*t.UpTo) {
				return q.Mul(t.Price).Mul(k)
			}
		}
		return decimal.Zero // unreachable: the last tier has no bound
	}
	usage := decimal.Zero
	lower := decimal.Zero
	for _, t := range p.Tiers {
		if t.UpTo == nil || q.LessThanOrEqual(*t.UpTo) {
			return usage.Add(q.Sub(lower).Mul(t.Price).Mul(k))
		}
		usage = usage.Add(t.UpTo.Sub(lower).Mul(t.Price).Mul(k))
		lower = *t.UpTo
	}
	return usage
}

// costItem is one row of an option's monthly table: a cost line, the vendor
// invoice, or the setup or exit fee.
type costItem struct {
	name     string
	category string
	monthly  []decimal.Decimal // 0..H, each rounded to the minor unit
}

// optionCost is the costing of one option under one scale.
type optionCost struct {
	items   []costItem
	invoice []decimal.Decimal // I_m as billed (rounded), 0..H; nil without pricing
	total   []decimal.Decimal // Σ items per month
}

// lineShare is the volume share a line sees.
func lineShare(o *Option, l *Line) decimal.Decimal {
	if l.VolumeShare != nil {
		return *l.VolumeShare
	}
	return o.VolumeShare
}

// invoice returns I_m for months 0..H, rounded, in the evaluation currency:
// (max(tier(max(q, minimum_units)), minimum_charge) + fixed_monthly) ×
// escalation factor × fx_rate, from go-live (from_month) to H.
func (m *model) invoice(o *Option, s scale) []decimal.Decimal {
	p := o.Pricing
	out := make([]decimal.Decimal, m.h+1)
	esc := m.factors(p.Escalation)
	fx := p.FXRate.Mul(s.fx)
	var spec blockSpec
	if p.Per == PricingPerBlock {
		spec = specOf(p.BlockSize, p.Capacity)
	}
	minCharge := p.MinimumCharge.Mul(s.price)
	fixed := p.FixedMonthly.Mul(s.price)
	from := max(p.FromMonth, 1)
	for i := from; i <= m.h; i++ {
		u := m.vol[i].Mul(s.volume).Mul(o.VolumeShare)
		var q decimal.Decimal
		if p.Per == PricingPerBlock {
			q = blocks(u, spec)
		} else {
			q = u.Mul(p.UnitFactor)
		}
		q = snap(q, p.MinimumUnits)
		if q.LessThan(p.MinimumUnits) {
			q = p.MinimumUnits
		}
		usage := tierUsage(p, q, s.price)
		if usage.LessThan(minCharge) {
			usage = minCharge
		}
		out[i] = m.round(usage.Add(fixed).Mul(esc[i]).Mul(fx))
	}
	return out
}

// inWindow reports whether recurring line l runs in month i (1..H).
func inWindow(l *Line, i int) bool {
	if l.FromMonth != nil && i < *l.FromMonth {
		return false
	}
	if l.ToMonth != nil && i > *l.ToMonth {
		return false
	}
	return true
}

// line returns a cost line's rounded amounts for months 0..H. inv is the
// option's invoice (for share_of_vendor lines).
func (m *model) line(o *Option, l *Line, s scale, inv []decimal.Decimal) []decimal.Decimal {
	out := make([]decimal.Decimal, m.h+1)
	amount := l.Amount
	if l.Category == CategoryPersonnel {
		amount = amount.Mul(s.personnel)
	}
	switch l.Basis {
	case BasisOneTime:
		if l.Month != nil && *l.Month >= 0 && *l.Month <= m.h {
			out[*l.Month] = m.round(amount)
		}
		return out
	case BasisShareOfVendor:
		if inv == nil {
			return out
		}
		for i := 1; i <= m.h; i++ {
			if inWindow(l, i) && !inv[i].IsZero() {
				out[i] = m.round(amount.Mul(inv[i]))
			}
		}
		return out
	}
	esc := m.factors(l.Escalation)
	share := lineShare(o, l)
	var spec blockSpec
	if l.Basis == BasisPerBlock {
		spec = specOf(l.BlockSize, l.Capacity)
	}
	for i := 1; i <= m.h; i++ {
		if !inWindow(l, i) {
			continue
		}
		var q decimal.Decimal
		switch l.Basis {
		case BasisFixed:
			q = one
		case BasisPerUnit:
			q = m.vol[i].Mul(s.volume).Mul(share)
		case BasisPerBlock:
			q = blocks(m.vol[i].Mul(s.volume).Mul(share), spec)
		}
		if q.IsZero() {
			continue
		}
		out[i] = m.round(amount.Mul(q).Mul(esc[i]))
	}
	return out
}

// cost computes every item of option o under scale s.
func (m *model) cost(o *Option, s scale) *optionCost {
	c := &optionCost{}
	if o.Pricing != nil {
		c.invoice = m.invoice(o, s)
	}
	for i := range o.Lines {
		l := &o.Lines[i]
		c.items = append(c.items, costItem{name: l.Name, category: l.Category, monthly: m.line(o, l, s, c.invoice)})
	}
	if o.Pricing != nil {
		p := o.Pricing
		c.items = append(c.items, costItem{name: "Vendor invoice", category: CategoryVendor, monthly: c.invoice})
		fx := p.FXRate.Mul(s.fx)
		if !p.SetupFee.IsZero() {
			f := make([]decimal.Decimal, m.h+1)
			f[0] = m.round(p.SetupFee.Mul(s.price).Mul(fx))
			c.items = append(c.items, costItem{name: "Setup fee", category: CategoryVendor, monthly: f})
		}
		if !p.ExitFee.IsZero() {
			f := make([]decimal.Decimal, m.h+1)
			f[m.h] = m.round(p.ExitFee.Mul(s.price).Mul(fx))
			c.items = append(c.items, costItem{name: "Exit fee", category: CategoryVendor, monthly: f})
		}
	}
	c.total = make([]decimal.Decimal, m.h+1)
	for _, it := range c.items {
		for i, v := range it.monthly {
			if !v.IsZero() {
				c.total[i] = c.total[i].Add(v)
			}
		}
	}
	return c
}

// discount returns the discount factors (1+r)^(−t/12) of months 0..H for
// the timing (t = m end, m − 0.5 mid, m − 1 begin); month 0 is undiscounted.
// Double precision, as the spec allows for fractional powers.
func discount(r float64, timing string, h int) []float64 {
	df := make([]float64, h+1)
	df[0] = 1
	shift := 0.0
	switch timing {
	case TimingMid:
		shift = 0.5
	case TimingBegin:
		shift = 1
	}
	for i := 1; i <= h; i++ {
		df[i] = math.Pow(1+r, -(float64(i)-shift)/12)
	}
	return df
}

// sum returns Σ x over all months (TCO), exact.
func sum(x []decimal.Decimal) decimal.Decimal {
	t := decimal.Zero
	for _, v := range x {
		t = t.Add(v)
	}
	return t
}

// presentValue returns Σ x_m × df_m, unrounded (exact products of the
// rounded monthly amounts and the double-precision factors).
func presentValue(x []decimal.Decimal, df []decimal.Decimal) decimal.Decimal {
	t := decimal.Zero
	for i, v := range x {
		if !v.IsZero() {
			t = t.Add(v.Mul(df[i]))
		}
	}
	return t
}

// decimals converts discount factors to exact decimals of their doubles.
func decimals(f []float64) []decimal.Decimal {
	out := make([]decimal.Decimal, len(f))
	for i, v := range f {
		out[i] = decimal.NewFromFloat(v)
	}
	return out
}
