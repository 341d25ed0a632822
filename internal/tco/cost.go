package tco

import (
	"errors"
	"fmt"
	"math"
	"math/big"

	"github.com/shopspring/decimal"
)

var (
	one       = decimal.NewFromInt(1)
	sixty     = decimal.NewFromInt(60)
	snapScale = decimal.New(1, -9) // 1e-9: the boundary tolerance of spec §1
	bigOne    = big.NewInt(1)      // read only
)

// errTooLarge is returned when an amount does not fit the exact integer
// minor units the monthly table is kept in (about 9.2e16 currency units).
var errTooLarge = errors.New("amounts are too large to cost exactly")

// maxDigits bounds a single rounded amount to 15 digits of minor units.
// Amounts are never negative, so a month's total of an option (at most 503
// items) stays far inside int64; the sum over up to 601 months need not,
// and is bounded by maxTotal.
const maxDigits = 15

// maxTotal bounds an option's total over the horizon in minor units, so
// that totals, category sums and the payback's running savings (a
// difference of two totals) stay inside int64 (9.2e18).
const (
	maxTotal     = 4e18
	maxTotalText = "40 million billion minor units"
)

// model is the monthly grid of a validated document: month labels, demand,
// escalation factors and discount factors. Month m runs 0..H; month 0 holds
// what falls due at signing. Rounded amounts are kept as int64 minor units
// of the evaluation currency (cents for USD): exact, and cheap to add.
type model struct {
	d       *Document
	h       int
	places  int32
	labels  []string          // 1..H at index m−1
	cal     []int             // calendar month (0 = January) of month m, index m
	growth  []decimal.Decimal // demand growth factor of month m, index m
	vol     []decimal.Decimal // V_m, index m (index 0 unused, zero)
	period  []int             // escalation period of month m: factors are equal within one
	esc     map[string][]decimal.Decimal
	units   map[string][]decimal.Decimal // U_m by share and volume scale
	unitsF  map[string][]float64         // the same as doubles, to screen boundaries
	blocks  map[string][]int64           // block counts by block, share and volume scale
	pre     map[string]*preInv           // invoice before fx and price scale, by option and volume scale
	over    bool                         // an amount had more than maxDigits digits
	overAt  string                       // the path of the first such amount
	stop    func() bool                  // reports a cancelled request; nil: never
	stopped bool
	ucoef   map[string][]*big.Int // coefficients of unitsOf arrays, same key
	pow10   []*big.Int
	t1, t2  big.Int // scratch for mulRound; a model serves one goroutine
	t3      big.Int // scratch for mulRound's callers
	amounts map[int64]decimal.Decimal
	sl      map[string]*slCap // service-level capacities by parameters and AHT multiplier
	erlang  map[erlangKey]*erlangTable
	specs   map[specKey]blockSpec
	// slParams is slParams(c) by capacity, built once
	slParams map[*Capacity]string

	// item-months costed: for the first time, and again under a scale (the
	// sensitivity); the break-even views' modelling is counted in beRun
	costed, recosted int64
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
	m := &model{d: d, h: h, places: places, esc: map[string][]decimal.Decimal{},
		units: map[string][]decimal.Decimal{}, blocks: map[string][]int64{}, pre: map[string]*preInv{},
		ucoef: map[string][]*big.Int{}, unitsF: map[string][]float64{}, amounts: map[int64]decimal.Decimal{},
		sl: map[string]*slCap{}, erlang: map[erlangKey]*erlangTable{}}
	m.labels = make([]string, h)
	m.cal = make([]int, h+1)
	m.vol = make([]decimal.Decimal, h+1)
	m.period = make([]int, h+1)
	for i := 1; i <= h; i++ {
		m.period[i] = i
		if d.Escalation != EscalationMonthly {
			m.period[i] = (i - 1) / 12
		}
	}
	m.growth = m.factors(d.Volume.Growth)
	for i := 1; i <= h; i++ {
		c := (mo - 1 + i - 1) % 12
		yy := y + (mo-1+i-1)/12
		m.cal[i] = c
		m.labels[i-1] = fmt.Sprintf("%04d-%02d", yy, c+1)
		g, se := m.growth[i], season(d, c)
		switch {
		case i > 1 && g == m.growth[i-1] && se == season(d, m.cal[i-1]):
			m.vol[i] = m.vol[i-1] // same factors (decimals are immutable)
		case g.Equal(one) && se.Equal(one):
			m.vol[i] = d.Volume.Monthly
		default:
			m.vol[i] = d.Volume.Monthly.Mul(g).Mul(se)
		}
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

// minor rounds an amount to the currency's minor unit, half away from zero,
// and returns it in minor units.
func (m *model) minor(x decimal.Decimal) int64 {
	r := x.Round(m.places)
	if r.NumDigits() > maxDigits {
		m.over = true
		return 0
	}
	return r.CoefficientInt64()
}

// ten returns 10^n.
func (m *model) ten(n int) *big.Int {
	for len(m.pow10) <= n {
		m.pow10 = append(m.pow10, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(len(m.pow10))), nil))
	}
	return m.pow10[n]
}

// mulRound returns (ca × 10^ea) × (cb × 10^eb) rounded half away from zero
// to the minor unit, in minor units: the same as minor(a.Mul(b)) without
// allocating, for the inner loops.
func (m *model) mulRound(ca *big.Int, ea int32, cb *big.Int, eb int32) int64 {
	p := &m.t1
	p.Mul(ca, cb)
	shift := int(ea + eb + m.places) // exponent of p in minor units
	if shift >= 0 {
		p.Mul(p, m.ten(shift))
	} else {
		d := m.ten(-shift)
		p.QuoRem(p, d, &m.t2)
		// half away from zero: |2r| ≥ d moves one away from zero
		m.t2.Abs(&m.t2)
		m.t2.Lsh(&m.t2, 1)
		if m.t2.Cmp(d) >= 0 {
			if ca.Sign()*cb.Sign() < 0 {
				p.Sub(p, bigOne)
			} else {
				p.Add(p, bigOne)
			}
		}
	}
	if p.CmpAbs(m.ten(maxDigits)) >= 0 {
		m.over = true
		return 0
	}
	return p.Int64()
}

// amount converts minor units back to a decimal amount. Amounts repeat
// month after month, so the (immutable) decimals are shared.
func (m *model) amount(v int64) decimal.Decimal {
	if d, ok := m.amounts[v]; ok {
		return d
	}
	d := decimal.New(v, -m.places)
	m.amounts[v] = d
	return d
}

// scale multiplies the drivers of the sensitivity analysis; the zero value
// is not valid, use unscaled.
type scale struct {
	volume    decimal.Decimal // base volume
	price     decimal.Decimal // tier prices, fixed_monthly, minimum_charge, setup and exit fees
	personnel decimal.Decimal // amount of every personnel line
	fx        decimal.Decimal // fx_rate
	aht       decimal.Decimal // every capacity's aht_minutes (per-block lines and pricing)
}

var unscaled = scale{volume: one, price: one, personnel: one, fx: one, aht: one}

// blockSpec is a block as an exact ratio: block = den / num units; or,
// when sl is set, a capacity staffed to a service level (no block: heads
// come from spec §8).
type blockSpec struct {
	num, den decimal.Decimal
	key      string
	sl       *slCap
	rf       float64 // num / den as a double, when computed
}

// specOf returns the block of a block_size or a capacity whose aht_minutes
// is multiplied by aht (the risk driver; 1 leaves it).
func specOf(size *decimal.Decimal, c *Capacity, aht decimal.Decimal) blockSpec {
	b := blockSpec{num: one}
	if size != nil {
		b.den = *size
	} else {
		// block = occupancy × (1 − shrinkage) × paid_hours × 60 / aht
		b.num, b.den = c.AHTMinutes, c.Occupancy.Mul(one.Sub(c.Shrinkage)).Mul(c.PaidHours).Mul(sixty)
		if !aht.Equal(one) {
			b.num = b.num.Mul(aht)
		}
	}
	b.key = b.num.String() + "/" + b.den.String()
	return b
}

// spec returns the block of a block_size or capacity with every
// aht_minutes multiplied by aht (the sensitivity's driver); a service-level
// capacity is prepared once per multiplier.
func (m *model) spec(size *decimal.Decimal, c *Capacity, aht decimal.Decimal) blockSpec {
	if size != nil || c == nil {
		return specOf(size, c, one)
	}
	a := c.AHTMinutes
	if !aht.Equal(one) {
		a = a.Mul(aht)
	}
	sk := specKey{c, ""} // most lookups are at 1: no string to build
	if !aht.Equal(one) {
		sk.aht = aht.String()
	}
	if b, ok := m.specs[sk]; ok {
		return b // a capacity's key is long to build: once per multiplier
	}
	var b blockSpec
	if !c.Staffed() {
		b = specOf(nil, c, aht)
		b.rf = b.num.InexactFloat64() / b.den.InexactFloat64()
	} else {
		var proto *slCap
		if !aht.Equal(one) {
			proto = m.spec(nil, c, one).sl
		}
		params, ok := m.slParams[c]
		if !ok {
			params = slParams(c)
			if m.slParams == nil {
				m.slParams = map[*Capacity]string{}
			}
			m.slParams[c] = params
		}
		key := "sl|" + a.String() + params
		s := m.sl[key]
		if s == nil {
			s = newSlCap(c, a, m.erlang, proto)
			m.sl[key] = s
		}
		b = blockSpec{key: key, sl: s}
	}
	if m.specs == nil {
		m.specs = map[specKey]blockSpec{}
	}
	m.specs[sk] = b
	return b
}

// ratio is 1 / block as a double (blocks per unit), for screening.
func (b blockSpec) ratio() float64 {
	if b.rf == 0 {
		return b.num.InexactFloat64() / b.den.InexactFloat64()
	}
	return b.rf
}

// specKey is a capacity at an AHT multiplier.
type specKey struct {
	c   *Capacity
	aht string
}

// ceilBlocks returns ceil(u / block) exactly, with the spec's tolerance: a
// volume within 1e-9 × max(1, b) above a block multiple b counts as b.
func ceilBlocks(u decimal.Decimal, b blockSpec) int64 {
	if u.Sign() <= 0 {
		return 0
	}
	num := u.Mul(b.num)
	q, r := num.QuoRem(b.den, 0)
	n := q.IntPart()
	if r.Sign() == 0 {
		return n
	}
	// u − q·block = r / num; snap down when r ≤ 1e-9 × max(num, q × den).
	lim := b.num
	if qd := q.Mul(b.den); qd.GreaterThan(lim) {
		lim = qd
	}
	if r.LessThanOrEqual(lim.Mul(snapScale)) {
		return n
	}
	return n + 1
}

// unitsOf returns U_m = V_m × volume scale × share for months 0..H, cached.
func (m *model) unitsOf(share, vol decimal.Decimal) []decimal.Decimal {
	key := share.String() + "|" + vol.String()
	if u, ok := m.units[key]; ok {
		return u
	}
	u := make([]decimal.Decimal, m.h+1)
	uf := make([]float64, m.h+1)
	f := share.Mul(vol)
	unit := f.Equal(one)
	for i := 1; i <= m.h; i++ {
		switch {
		case i > 1 && m.vol[i] == m.vol[i-1]:
			u[i], uf[i] = u[i-1], uf[i-1]
			continue
		case unit:
			u[i] = m.vol[i]
		default:
			u[i] = m.vol[i].Mul(f)
		}
		uf[i] = u[i].InexactFloat64()
	}
	m.units[key] = u
	m.unitsF[key] = uf
	return u
}

// unitsFloat returns unitsOf as doubles (for screening only, never for
// money).
func (m *model) unitsFloat(share, vol decimal.Decimal) []float64 {
	m.unitsOf(share, vol)
	return m.unitsF[share.String()+"|"+vol.String()]
}

// unitsCoef returns the coefficients and exponents of unitsOf, for
// mulRound, cached.
func (m *model) unitsCoef(share, vol decimal.Decimal) ([]*big.Int, []int32) {
	key := share.String() + "|" + vol.String()
	u := m.unitsOf(share, vol)
	c, ok := m.ucoef[key]
	e := make([]int32, len(u))
	for i, v := range u {
		e[i] = v.Exponent()
	}
	if ok {
		return c, e
	}
	c = make([]*big.Int, len(u))
	for i, v := range u {
		c[i] = v.Coefficient()
	}
	m.ucoef[key] = c
	return c, e
}

// blocksOf returns ceil(U_m / block) for months 0..H, cached: lines that
// share a capacity (agents, attrition, seats) count blocks once.
func (m *model) blocksOf(b blockSpec, share, vol decimal.Decimal) []int64 {
	key := b.key + "|" + share.String() + "|" + vol.String()
	if n, ok := m.blocks[key]; ok {
		return n
	}
	u := m.unitsOf(share, vol)
	uf := m.unitsFloat(share, vol)
	ratio := b.num.InexactFloat64() / b.den.InexactFloat64()
	n := make([]int64, m.h+1)
	for i := 1; i <= m.h; i++ {
		if i > 1 && u[i].Equal(u[i-1]) {
			n[i] = n[i-1]
			continue
		}
		if b.sl != nil {
			n[i] = b.sl.heads(u[i], uf[i])
			continue
		}
		// Far from a block multiple the double ratio has the right ceiling;
		// near one (or for huge counts) decide exactly.
		r := uf[i] * ratio
		if fl := math.Floor(r); r < 1e12 && r-fl > 1e-6 && r-fl < 1-1e-6 {
			n[i] = int64(fl) + 1
			continue
		}
		n[i] = ceilBlocks(u[i], b)
	}
	m.blocks[key] = n
	return n
}

// snap returns b when x is within 1e-9 × max(1, |b|) of b, else x. xf and
// bf are x and b as doubles, to skip the exact test when clearly apart.
func snap(x, b decimal.Decimal, xf, bf float64) decimal.Decimal {
	if math.Abs(xf-bf) > 1e-6*math.Max(1, math.Abs(bf)) {
		return x
	}
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
// own tier).
func tierUsage(p *Pricing, q decimal.Decimal, qf float64) decimal.Decimal {
	return newTiers(p).usage(q, qf)
}

// tiers is a pricing's tier table prepared for many look-ups: the bounds as
// decimals and doubles, and the graduated charge of every full bracket
// below each tier.
type tiers struct {
	allUnits bool
	upTo     []decimal.Decimal // bound of tier j; unused on the last
	upToF    []float64
	lower    []decimal.Decimal // bound of the tier below (0 for the first)
	base     []decimal.Decimal // graduated charge of all units up to lower[j]
	price    []decimal.Decimal
}

func newTiers(p *Pricing) *tiers {
	t := &tiers{allUnits: p.TierMode == TierModeAllUnits}
	base, lower := decimal.Zero, decimal.Zero
	for _, tr := range p.Tiers {
		t.lower = append(t.lower, lower)
		t.base = append(t.base, base)
		t.price = append(t.price, tr.Price)
		if tr.UpTo == nil {
			t.upTo = append(t.upTo, decimal.Zero)
			t.upToF = append(t.upToF, math.Inf(1))
			continue
		}
		t.upTo = append(t.upTo, *tr.UpTo)
		t.upToF = append(t.upToF, tr.UpTo.InexactFloat64())
		base = base.Add(tr.UpTo.Sub(lower).Mul(tr.Price))
		lower = *tr.UpTo
	}
	return t
}

// usage returns the charge of q units (qf is q as a double): each bound
// within the spec's tolerance of q snaps q onto it, then the tier of q is
// found (a bound belongs to its own tier) by doubles where they are clearly
// apart and exactly where close.
func (t *tiers) usage(q decimal.Decimal, qf float64) decimal.Decimal {
	last := len(t.price) - 1
	j := last
	for k := 0; k < last; k++ {
		b := t.upToF[k]
		if math.Abs(qf-b) <= 1e-6*math.Max(1, math.Abs(b)) {
			q = snap(q, t.upTo[k], qf, b)
			if q.LessThanOrEqual(t.upTo[k]) {
				j = k
				break
			}
			continue
		}
		if qf < b {
			j = k
			break
		}
	}
	if t.allUnits {
		return q.Mul(t.price[j])
	}
	return t.base[j].Add(q.Sub(t.lower[j]).Mul(t.price[j]))
}

// preInvoice returns, for months 0..H, the invoice before fx and the price
// multiplier: (max(tier(max(q, minimum_units)), minimum_charge) +
// fixed_monthly) × escalation factor, in the quote currency, unrounded;
// zero before go-live. Scaling every price by k scales this by k exactly,
// so the sensitivity reuses it. Cached by option and volume scale.
func (m *model) preInvoice(o *Option, vol, aht decimal.Decimal) *preInv {
	key := o.ID + "|" + vol.String() + "|" + aht.String()
	if x, ok := m.pre[key]; ok {
		return x
	}
	p := o.Pricing
	out := make([]decimal.Decimal, m.h+1)
	var uf []float64
	esc := m.factors(p.Escalation)
	var u []decimal.Decimal
	var n []int64
	if p.Per == PricingPerBlock {
		n = m.blocksOf(m.spec(p.BlockSize, p.Capacity, aht), o.VolumeShare, vol)
	} else {
		u = m.unitsOf(o.VolumeShare, vol)
		uf = m.unitsFloat(o.VolumeShare, vol)
	}
	from := max(p.FromMonth, 1)
	tt := newTiers(p)
	minUnits := p.MinimumUnits.InexactFloat64()
	factor := p.UnitFactor.InexactFloat64()
	var lastQ, lastUsage decimal.Decimal
	haveLast := false
	for i := from; i <= m.h; i++ {
		var q decimal.Decimal
		var qf float64
		if n != nil {
			q, qf = decimal.NewFromInt(n[i]), float64(n[i])
		} else {
			q, qf = u[i].Mul(p.UnitFactor), uf[i]*factor
		}
		var usage decimal.Decimal
		if haveLast && q.Equal(lastQ) {
			usage = lastUsage
			if i > from && m.period[i] == m.period[i-1] && esc[i] == esc[i-1] {
				out[i] = out[i-1]
				continue
			}
		} else {
			lastQ = q
			usage = monthUsage(p, tt, q, qf, minUnits)
			lastUsage, haveLast = usage, true
		}
		out[i] = usage.Mul(esc[i])
	}
	x := &preInv{d: out, c: make([]*big.Int, len(out)), e: make([]int32, len(out))}
	for i, v := range out {
		x.c[i], x.e[i] = v.Coefficient(), v.Exponent()
	}
	m.pre[key] = x
	return x
}

// monthUsage is one month's charge before escalation, fx and the price
// multiplier, for q billed units (qf its double, minUnits the minimum's):
// max(tier(max(q, minimum_units)), minimum_charge) + fixed_monthly.
func monthUsage(p *Pricing, tt *tiers, q decimal.Decimal, qf, minUnits float64) decimal.Decimal {
	q = snap(q, p.MinimumUnits, qf, minUnits)
	if !(qf > minUnits*(1+1e-6)+1) && q.LessThan(p.MinimumUnits) {
		q, qf = p.MinimumUnits, minUnits
	}
	usage := tt.usage(q, qf)
	if usage.LessThan(p.MinimumCharge) {
		usage = p.MinimumCharge
	}
	return usage.Add(p.FixedMonthly)
}

// preInv is a pre-invoice with each month's coefficient and exponent, for
// mulRound.
type preInv struct {
	d []decimal.Decimal
	c []*big.Int
	e []int32
}

// invoice returns I_m for months 0..H in minor units of the evaluation
// currency: the pre-invoice × price multiplier × fx_rate, rounded once.
func (m *model) invoice(o *Option, s scale) []int64 {
	x := m.preInvoice(o, s.volume, s.aht)
	f := o.Pricing.FXRate.Mul(s.fx).Mul(s.price)
	fc, fe := f.Coefficient(), f.Exponent()
	out := make([]int64, m.h+1)
	for i, v := range x.d {
		if i == 0 || v.IsZero() {
			continue
		}
		if i > 1 && x.e[i] == x.e[i-1] && x.c[i].Cmp(x.c[i-1]) == 0 {
			out[i] = out[i-1]
			continue
		}
		out[i] = m.mulRound(x.c[i], x.e[i], fc, fe)
	}
	return out
}

// costItem is one row of an option's monthly table: a cost line, the vendor
// invoice, or the setup or exit fee.
type costItem struct {
	name     string
	category string
	monthly  []int64 // 0..H, minor units, each rounded
	oneTime  bool    // apart from the run rate in the cash by fiscal year
}

// optionCost is the costing of one option under one scale.
type optionCost struct {
	items   []costItem
	invoice []int64 // I_m as billed, 0..H; nil without pricing
	total   []int64 // Σ items per month
}

// oneTime reports whether line l is a one-time cost for the cash by fiscal
// year: a one_time line, or a transition line whose window ends before the
// last month H (parallel running, a stranded lease), which a budget holder
// does not carry into the run rate.
func oneTime(l *Line, h int) bool {
	return l.Basis == BasisOneTime || l.ToMonth != nil && *l.ToMonth < h
}

// lineShare is the volume share a line sees.
func lineShare(o *Option, l *Line) decimal.Decimal {
	if l.VolumeShare != nil {
		return *l.VolumeShare
	}
	return o.VolumeShare
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

// line returns a cost line's rounded amounts for months 0..H: amount ×
// quantity × escalation factor, rounded per month. inv is the option's
// invoice (for share_of_vendor lines).
func (m *model) line(o *Option, l *Line, s scale, inv []int64) []int64 {
	out := make([]int64, m.h+1)
	amount := l.Amount
	if l.Category == CategoryPersonnel && !s.personnel.Equal(one) {
		amount = amount.Mul(s.personnel)
	}
	switch l.Basis {
	case BasisOneTime:
		if l.Month != nil && *l.Month >= 0 && *l.Month <= m.h {
			out[*l.Month] = m.minor(amount)
		}
		return out
	case BasisShareOfVendor:
		if inv == nil {
			return out
		}
		ac, ae := amount.Coefficient(), amount.Exponent()
		for i := 1; i <= m.h; i++ {
			if !inWindow(l, i) || inv[i] == 0 {
				continue
			}
			if i > 1 && inv[i] == inv[i-1] && inWindow(l, i-1) {
				out[i] = out[i-1]
				continue
			}
			m.t3.SetInt64(inv[i])
			out[i] = m.mulRound(ac, ae, &m.t3, -m.places)
		}
		return out
	}
	esc := m.factors(l.Escalation)
	share := lineShare(o, l)
	var uc []*big.Int
	var ue []int32
	var n []int64
	switch l.Basis {
	case BasisPerUnit:
		uc, ue = m.unitsCoef(share, s.volume)
	case BasisPerBlock:
		n = m.blocksOf(m.spec(l.BlockSize, l.Capacity, s.aht), share, s.volume)
	}
	period := -1
	var ae decimal.Decimal // amount × escalation factor of the period
	var aec *big.Int
	var aee int32
	// the rounded amount of the last few quantities of this period: block
	// counts repeat month after month
	var memo [4]struct {
		q, v int64
		ok   bool
	}
	for i := 1; i <= m.h; i++ {
		if !inWindow(l, i) {
			continue
		}
		if m.period[i] != period {
			period = m.period[i]
			ae = amount.Mul(esc[i])
			aec, aee = ae.Coefficient(), ae.Exponent()
			memo = [4]struct {
				q, v int64
				ok   bool
			}{}
		}
		switch l.Basis {
		case BasisFixed:
			if !memo[0].ok {
				memo[0].v, memo[0].ok = m.minor(ae), true
			}
			out[i] = memo[0].v
		case BasisPerUnit:
			out[i] = m.mulRound(aec, aee, uc[i], ue[i])
		case BasisPerBlock:
			slot := &memo[n[i]&3]
			if !slot.ok || slot.q != n[i] {
				m.t3.SetInt64(n[i])
				slot.q, slot.v, slot.ok = n[i], m.mulRound(aec, aee, &m.t3, 0), true
			}
			out[i] = slot.v
		}
	}
	return out
}

// fee returns a one-month fee × price multiplier × fx_rate in month mo.
func (m *model) fee(x decimal.Decimal, p *Pricing, s scale, mo int) []int64 {
	f := make([]int64, m.h+1)
	f[mo] = m.minor(x.Mul(s.price).Mul(p.FXRate).Mul(s.fx))
	return f
}

// affected reports whether a line's amounts change under scale s, so the
// sensitivity can reuse the unscaled amounts of every other line. inv says
// whether the option's invoice changes.
func affected(l *Line, s scale, inv bool) bool {
	if l.Category == CategoryPersonnel && !s.personnel.Equal(one) {
		return true
	}
	switch l.Basis {
	case BasisShareOfVendor:
		return inv
	case BasisPerUnit:
		return !s.volume.Equal(one)
	case BasisPerBlock:
		return !s.volume.Equal(one) || (l.Capacity != nil && !s.aht.Equal(one))
	}
	return false
}

// cost computes every item of option o under scale s. When ref (the
// unscaled costing of o) is given, items the scale does not touch are
// shared with it rather than computed again.
//
// The item-months it computes are counted (costed, or recosted under a
// scale); a first amount too large to cost exactly records its path
// (overAt); a cancelled request (stop) leaves the remaining lines at zero,
// for the caller to give up.
func (m *model) cost(o *Option, s scale, ref *optionCost) *optionCost {
	c := &optionCost{}
	h := int64(m.h + 1)
	count := func() {
		if ref == nil {
			m.costed += h
		} else {
			m.recosted += h
		}
	}
	// at records where the first amount too large to cost was found
	// (line ≥ 0: that cost line's amount); paths are built only then.
	at := func(line int, field string) {
		if m.over && m.overAt == "" {
			if line >= 0 {
				field = indexPath(".lines", line) + ".amount"
			}
			m.overAt = m.optionPath(o) + field
		}
	}
	pricingChanged := ref == nil || !s.volume.Equal(one) || !s.price.Equal(one) || !s.fx.Equal(one) ||
		(o.Pricing != nil && o.Pricing.Capacity != nil && !s.aht.Equal(one))
	if o.Pricing != nil {
		if pricingChanged {
			c.invoice = m.invoice(o, s)
			count()
			at(-1, ".pricing")
		} else {
			c.invoice = ref.invoice
		}
	}
	for i := range o.Lines {
		l := &o.Lines[i]
		if ref != nil && !affected(l, s, pricingChanged && o.Pricing != nil) {
			c.items = append(c.items, ref.items[i])
			continue
		}
		once := oneTime(l, m.h)
		if m.halted() {
			c.items = append(c.items, costItem{name: l.Name, category: l.Category, oneTime: once})
			continue
		}
		c.items = append(c.items, costItem{name: l.Name, category: l.Category, monthly: m.line(o, l, s, c.invoice), oneTime: once})
		count()
		at(i, "")
	}
	if p := o.Pricing; p != nil {
		c.items = append(c.items, costItem{name: "Vendor invoice", category: CategoryVendor, monthly: c.invoice})
		if !p.SetupFee.IsZero() {
			c.items = append(c.items, costItem{name: "Setup fee", category: CategoryVendor, monthly: m.fee(p.SetupFee, p, s, 0), oneTime: true})
			count()
			at(-1, ".pricing.setup_fee")
		}
		if !p.ExitFee.IsZero() {
			c.items = append(c.items, costItem{name: "Exit fee", category: CategoryVendor, monthly: m.fee(p.ExitFee, p, s, m.h), oneTime: true})
			count()
			at(-1, ".pricing.exit_fee")
		}
	}
	c.total = make([]int64, m.h+1)
	for _, it := range c.items {
		for i, v := range it.monthly {
			c.total[i] += v
		}
	}
	// Amounts are ≥ 0 and each month's total is far inside int64; their
	// sum over the horizon is checked in floating point, which is exact
	// enough for a bound.
	var t float64
	for _, v := range c.total {
		t += float64(v)
	}
	if t > maxTotal && !m.over {
		m.over = true
		at(-1, "")
	}
	return c
}

// halted reports whether the request was cancelled.
func (m *model) halted() bool {
	if m.stop == nil {
		return false
	}
	if !m.stopped && m.stop() {
		m.stopped = true
	}
	return m.stopped
}

// optionPath returns the JSON path of option o: options[i].
func (m *model) optionPath(o *Option) string {
	for i := range m.d.Options {
		if &m.d.Options[i] == o {
			return indexPath("options", i)
		}
	}
	return "options"
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

// sum returns Σ x over all months (TCO) in minor units.
func sum(x []int64) int64 {
	var t int64
	for _, v := range x {
		t += v
	}
	return t
}

// discounting holds the discount factors of months 0..H as exact decimals
// of their doubles, and as integer coefficients on one common exponent so
// that a present value is a sum of integer products.
type discounting struct {
	f   []float64
	dec []decimal.Decimal
	c   []*big.Int
	e   int32
}

func newDiscounting(f []float64) *discounting {
	d := &discounting{f: f, dec: decimals(f), c: make([]*big.Int, len(f))}
	for _, v := range d.dec {
		d.e = min(d.e, v.Exponent())
	}
	ten := big.NewInt(10)
	for i, v := range d.dec {
		c := v.Coefficient()
		d.c[i] = c.Mul(c, new(big.Int).Exp(ten, big.NewInt(int64(v.Exponent()-d.e)), nil))
	}
	return d
}

// presentValue returns Σ x_m × df_m in currency units, unrounded: exact
// products of the rounded monthly amounts (minor units) and the decimal
// values of the double-precision discount factors.
func (m *model) presentValue(x []int64, df *discounting) decimal.Decimal {
	var acc, t big.Int
	for i, v := range x {
		if v != 0 {
			t.SetInt64(v)
			t.Mul(&t, df.c[i])
			acc.Add(&acc, &t)
		}
	}
	return decimal.NewFromBigInt(&acc, df.e-m.places)
}

// decimals converts discount factors to decimals (the shortest decimal that
// reads back as the same double).
func decimals(f []float64) []decimal.Decimal {
	out := make([]decimal.Decimal, len(f))
	for i, v := range f {
		out[i] = decimal.NewFromFloat(v)
	}
	return out
}
