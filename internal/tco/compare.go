package tco

import (
	"cmp"
	"context"
	"fmt"
	"math/big"
	"slices"
	"sort"

	"github.com/shopspring/decimal"
)

var hundred = decimal.NewFromInt(100)

// MaxIntervals caps the winner intervals of one break-even view: more are
// of no use to a reader and would make the answer huge (a block of 1 unit
// against a price of 1 a unit alternates at every unit).
const MaxIntervals = 1000

// Compare costs every option of the document month by month and returns the
// comparison of spec section 7: totals, present values, savings, payback,
// scores and ranking, and (unless o.SkipAnalysis) break-even intervals and
// sensitivity. An invalid document returns Errors.
//
// Before any costing the work is counted from the document (Estimate) and a
// document over the budget (budget.go) returns Errors naming what to lower;
// a document with an amount too large to cost exactly returns Errors at its
// path. A cancelled o.Context stops the work, inside an option too, and
// Compare returns its error.
func Compare(d *Document, o CompareOptions) (*Comparison, error) {
	c, _, err := compareCounted(d, o)
	return c, err
}

// compareCounted is Compare that also returns the work it did, counted as
// Estimate counts it (for the budget's tests).
func compareCounted(d *Document, o CompareOptions) (*Comparison, Work, error) {
	if err := d.Validate(); err != nil {
		return nil, Work{}, err
	}
	if o.BreakEvenMax != nil && o.BreakEvenMax.Sign() < 0 {
		return nil, Work{}, Errors{{Path: "break_even_max", Message: "must be ≥ 0"}}
	}
	if errs := checkOverrides(d, o); len(errs) > 0 {
		return nil, Work{}, errs
	}
	w, bc := estimate(d, o)
	if errs := w.Budget(d); len(errs) > 0 {
		return nil, Work{}, errs
	}
	e, err := newEngine(d, o.Context)
	if err != nil {
		return nil, Work{}, err
	}
	e.bc = bc
	c, err := e.compare(o)
	return c, e.work(), err
}

// Check reports every reason Compare would refuse the document with the
// default options: a broken rule, a comparison over the work budget, an
// amount too large to cost exactly; nil when it can be compared. It costs
// the document (without break-even and sensitivity), so a store can refuse
// to keep what could not be compared.
func Check(d *Document) error {
	if err := d.Validate(); err != nil {
		return err
	}
	if errs := Estimate(d, CompareOptions{}).Budget(d); len(errs) > 0 {
		return errs
	}
	_, err := newEngine(d, nil)
	return err
}

// engine holds one document's model and the costing of its options.
type engine struct {
	d     *Document
	ctx   context.Context // nil: never stopped
	run   *beRun          // break-even's way to stop and count of work: &runv
	runv  beRun
	bc    *beContext // break-even's view of the document, shared by options (nil: each builds one)
	m     *model
	base  int // index of the baseline option
	df    *discounting
	costs []*optionCost
	scen  map[string]*optionCost   // the baseline under sensitivity scales, by driver and multiplier
	rates map[float64]*discounting // discounting at a multiple of the rate, shared by options
	// ahtBase is the baseline's change of cost at an aht multiplier, for
	// every option's tipping point (aht.go)
	ahtBase  map[float64]float64
	ahtSpecs map[ahtSpecKey]blockSpec
	capKeys  map[*Capacity]string // ahtTerms' keys of capacities
}

func newEngine(d *Document, ctx context.Context) (*engine, error) {
	m, err := newModel(d)
	if err != nil {
		return nil, err
	}
	r, _ := d.DiscountRate.Float64()
	e := &engine{d: d, ctx: ctx, m: m, df: newDiscounting(discount(r, d.Timing, m.h))}
	e.run = &e.runv
	if ctx != nil {
		e.run.stop = func() bool { return ctx.Err() != nil }
		m.stop = e.run.halt
	}
	for i := range d.Options {
		if d.Options[i].ID == d.Baseline {
			e.base = i
		}
		e.costs = append(e.costs, m.cost(&d.Options[i], unscaled, nil))
		if m.over {
			return nil, tooLarge(m.overAt)
		}
		if err := e.interrupted(); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// tooLarge is the problem of an amount the engine cannot cost exactly.
func tooLarge(path string) Errors {
	return Errors{{Path: path, Message: fmt.Sprintf("is too large to cost exactly: a month's amount would have more than %d digits in minor units (cents), or an option's total over the horizon more than %s; lower it", maxDigits, maxTotalText)}}
}

// interrupted returns the context's error once the request is cancelled or
// past its deadline.
func (e *engine) interrupted() error {
	if e.ctx == nil {
		return nil
	}
	return e.ctx.Err()
}

// work returns the work done so far, counted as Estimate counts it.
func (e *engine) work() Work {
	return Work{ItemMonths: e.m.costed, Analysis: e.m.recosted + e.run.modelled, Events: e.run.events,
		Staffing: e.staffed()}
}

// staffed counts the staffing to a service level done so far as
// Work.Staffing counts it: intervals staffed, and a tenth of the recursion
// steps of the agents' tables (the costing's and break-even's).
func (e *engine) staffed() int64 {
	var n, steps int64
	for _, s := range e.m.sl {
		n += s.steps
	}
	for _, t := range e.m.erlang {
		steps += t.steps
	}
	if e.bc != nil {
		for _, t := range e.bc.erlang {
			steps += t.steps
		}
	}
	return n + steps/10
}

// total returns an option's rounded total on a basis (tco or pv).
func (e *engine) total(c *optionCost, basis string) decimal.Decimal {
	if basis == PriceBasisTCO {
		return e.m.amount(sum(c.total))
	}
	return e.pv(c.total, e.df)
}

// pv returns the present value of monthly amounts, rounded once to the
// minor unit.
func (e *engine) pv(x []int64, df *discounting) decimal.Decimal {
	return e.m.presentValue(x, df).Round(e.m.places)
}

func (e *engine) money(x decimal.Decimal) Money { return Money{Value: x, Places: e.m.places} }

func (e *engine) compare(o CompareOptions) (*Comparison, error) {
	d, m := e.d, e.m
	c := &Comparison{
		Currency: d.Currency, Baseline: d.Baseline, Months: m.labels,
		Volume: make([]Number, m.h), Unit: d.Volume.Unit, Places: m.places,
		// The values a stored write would ask to confirm: a comparison
		// never refuses them, it says what looks wrong.
		Warnings: append(Implausible(d).Warnings(), capacityWarnings(d)...),
	}
	for i := 1; i <= m.h; i++ {
		c.Volume[i-1] = Number{m.vol[i]}
		c.Total = c.Total.Add(m.vol[i])
	}
	bc := e.costs[e.base]
	baseTCO, basePV := e.m.amount(sum(bc.total)), e.pv(bc.total, e.df)
	for i := range d.Options {
		opt := &d.Options[i]
		oc := e.costs[i]
		r := OptionResult{ID: opt.ID, Name: opt.Name, Kind: opt.Kind, KnockedOutBy: []string{}, Missing: []string{}, Sensitivity: []Sensitivity{}}
		tco := m.amount(sum(oc.total))
		pv := e.pv(oc.total, e.df)
		r.TCO, r.PV = e.money(tco), e.money(pv)
		byCat := map[string]int64{}
		for _, it := range oc.items {
			t := sum(it.monthly)
			byCat[it.category] += t
			lc := LineCost{Name: it.name, Category: it.category, Monthly: make([]decimal.Decimal, m.h+1), Total: m.amount(t), OneTime: it.oneTime}
			for mo, v := range it.monthly {
				lc.Monthly[mo] = m.amount(v)
			}
			r.Lines = append(r.Lines, lc)
		}
		r.ByCategory = map[string]Money{}
		for _, cat := range Categories {
			r.ByCategory[cat] = e.money(m.amount(byCat[cat]))
		}
		r.Monthly = make([]MonthCost, m.h+1)
		for mo := 0; mo <= m.h; mo++ {
			cats := map[string]int64{}
			for _, it := range oc.items {
				if v := it.monthly[mo]; v != 0 {
					cats[it.category] += v
				}
			}
			mc := MonthCost{Month: mo, Total: e.money(m.amount(oc.total[mo])), ByCategory: make(map[string]Money, len(cats))}
			for cat, v := range cats {
				if v != 0 {
					mc.ByCategory[cat] = e.money(m.amount(v))
				}
			}
			r.Monthly[mo] = mc
		}
		if c.Total.Sign() > 0 {
			f := e.money(tco.DivRound(c.Total, 4))
			f.Places = 4
			r.CostPerUnit = &f
		}
		r.Savings = Savings{TCO: e.money(baseTCO.Sub(tco)), PV: e.money(basePV.Sub(pv))}
		r.Savings.TCOPct = fraction(baseTCO.Sub(tco), baseTCO)
		r.Savings.PVPct = fraction(basePV.Sub(pv), basePV)
		r.Payback = e.payback(bc, oc)
		r.CashByFiscalYear = e.fiscalYears(oc)
		r.Staffing = e.staffing(opt)
		c.Options = append(c.Options, r)
	}
	sc := e.score(c)
	if !o.SkipAnalysis {
		max := d.Volume.Monthly.Mul(decimal.NewFromInt(3))
		if o.BreakEvenMax != nil {
			max = *o.BreakEvenMax
		}
		mx, _ := max.Float64()
		for i := range d.Options {
			if i == e.base {
				continue
			}
			if err := e.interrupted(); err != nil {
				return nil, err
			}
			be, tip := breakEvenAndTip(d, i, mx, e.run, e.bc)
			if err := e.interrupted(); err != nil {
				return nil, err // the views were given up half-way
			}
			switch {
			case be == nil:
				c.Warnings = append(c.Warnings, fmt.Sprintf("break-even of %s is not given: the volume range 0 to %s holds too many block and tier boundaries to solve; choose a smaller break_even_max", d.Options[i].ID, max.String()))
			case len(be.Monthly) > MaxIntervals || len(be.Horizon) > MaxIntervals:
				c.Warnings = append(c.Warnings, fmt.Sprintf("break-even of %s is not given: the winner changes more than %d times between 0 and %s; choose a smaller break_even_max", d.Options[i].ID, MaxIntervals, max.String()))
				be = nil
			}
			if be != nil {
				be.Reading = e.reading(i, mx, be)
			}
			c.Options[i].BreakEven = be
			c.Options[i].Sensitivity = e.sensitivity(i, tip)
			if err := e.interrupted(); err != nil {
				return nil, err
			}
			if e.m.over {
				// a driver at 1.2 pushed an amount past what can be costed
				// exactly: those figures are not given, and scenarios
				// cached while it happened are dropped
				e.m.over, e.m.overAt = false, ""
				clear(e.scen)
				c.Options[i].Sensitivity = []Sensitivity{}
				c.Warnings = append(c.Warnings, fmt.Sprintf("sensitivity of %s is not given: with a driver at 1.2 its amounts are too large to cost exactly", d.Options[i].ID))
			}
		}
	}
	if runs, seed := riskSettings(d, o); runs > 0 && o.simulates() {
		if err := e.risk(c, sc, runs, seed, o.Workers); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// fraction returns a/b as a float, nil when b is zero.
func fraction(a, b decimal.Decimal) *float64 {
	if b.IsZero() {
		return nil
	}
	f, _ := a.DivRound(b, 12).Float64()
	return &f
}

// Change is the relative change from was to now, (now − was) / was, nil
// when was is 0: a round's TCO against the round before it.
func Change(was, now decimal.Decimal) *float64 { return fraction(now.Sub(was), was) }

// payback returns the earliest month p in 0..H from which the cumulative
// savings (baseline minus option) stay ≥ 0 through H; nil when they end
// below 0. Nominal uses the rounded monthly amounts; discounted sums the
// discounted monthly savings unrounded.
func (e *engine) payback(base, opt *optionCost) Payback {
	h := e.m.h
	nom := make([]int, h+1)
	disc := make([]int, h+1)
	var cn int64
	var cd, t big.Int
	for i := 0; i <= h; i++ {
		s := base.total[i] - opt.total[i]
		cn += s
		if s != 0 {
			t.SetInt64(s)
			cd.Add(&cd, t.Mul(&t, e.df.c[i]))
		}
		nom[i], disc[i] = cmp.Compare(cn, 0), cd.Sign()
	}
	return Payback{TCO: paybackMonth(nom), PV: paybackMonth(disc)}
}

// paybackMonth takes the signs of the cumulative savings of months 0..H.
func paybackMonth(sign []int) *int {
	h := len(sign) - 1
	if sign[h] < 0 {
		return nil
	}
	p := 0
	for i := h; i >= 0; i-- {
		if sign[i] < 0 {
			p = i + 1
			break
		}
	}
	return &p
}

// score fills quality, status, price score, combined score and rank (spec
// section 3). Scores are unrounded.
func (e *engine) score(c *Comparison) *scoring {
	d := e.d
	totals := make([]decimal.Decimal, len(d.Options))
	for i := range d.Options {
		totals[i] = e.total(e.costs[i], d.Price.Basis)
	}
	sc := e.scoring(c)
	if d.Price.Formula == FormulaLowestRatio {
		c.Warnings = append(c.Warnings, "price.formula is lowest_ratio: each price score depends on the lowest bid, so adding or removing a bid can reverse the ranking of two others; anchored does not")
	}
	ps, warning := sc.priceScores(totals)
	if warning != "" {
		c.Warnings = append(c.Warnings, warning)
	}
	combined := sc.combined(ps)
	ranked := slices.Clone(sc.ranked)
	sort.SliceStable(ranked, func(a, b int) bool { return sc.before(ranked[a], ranked[b], combined, totals) })
	for i := range d.Options {
		c.Options[i].PriceScore = ps[i]
	}
	for n, i := range ranked {
		rank := n + 1
		c.Options[i].Rank = &rank
		c.Options[i].Score = combined[i]
	}
	e.margin(c, ranked, totals)
	return sc
}

// scoring is what the scores of spec §3 need besides the totals: quality
// and status do not depend on them, so a risk run (§9) ranks its own
// totals with the comparison's scoring.
type scoring struct {
	d        *Document
	base     int
	ranked   []int  // the ranked options, in document order
	isRanked []bool // by option
	quality  []*float64
	weight   float64
}

// scoring fills each option's quality, status, missing and knocked-out
// criteria, and returns them for ranking.
func (e *engine) scoring(c *Comparison) *scoring {
	d := e.d
	sc := &scoring{d: d, base: e.base, ranked: []int{}, isRanked: make([]bool, len(d.Options)), quality: make([]*float64, len(d.Options))}
	sc.weight, _ = d.Price.Weight.Float64()
	var sumW decimal.Decimal
	for _, k := range d.Criteria {
		sumW = sumW.Add(k.Weight)
	}
	for i := range d.Options {
		opt, r := &d.Options[i], &c.Options[i]
		q := decimal.Zero
		for _, k := range d.Criteria {
			s, ok := opt.Scores[k.Key]
			if !ok {
				r.Missing = append(r.Missing, k.Key)
				continue
			}
			if k.Minimum != nil && s.LessThan(*k.Minimum) {
				r.KnockedOutBy = append(r.KnockedOutBy, k.Key)
			}
			q = q.Add(k.Weight.Mul(s).Div(k.Scale))
		}
		if len(d.Criteria) > 0 && len(r.Missing) == 0 {
			f, _ := q.Mul(hundred).Div(sumW).Float64()
			r.Quality = &f
		}
		switch {
		case len(r.KnockedOutBy) > 0:
			r.Status = StatusKnockedOut
		case len(r.Missing) > 0:
			r.Status = StatusIncomplete
		default:
			r.Status = StatusRanked
			sc.ranked = append(sc.ranked, i)
			sc.isRanked[i] = true
		}
		sc.quality[i] = r.Quality
	}
	return sc
}

// priceScores returns each option's price score from the totals on the
// price basis (nil where none), and a warning when no option gets one.
func (sc *scoring) priceScores(totals []decimal.Decimal) ([]*float64, string) {
	d := sc.d
	out := make([]*float64, len(d.Options))
	switch d.Price.Formula {
	case FormulaLowestRatio:
		if len(sc.ranked) == 0 {
			return out, ""
		}
		pmin := totals[sc.ranked[0]]
		for _, i := range sc.ranked {
			if totals[i].LessThan(pmin) {
				pmin = totals[i]
			}
		}
		if pmin.Sign() <= 0 {
			return out, "price scores are not given: the lowest " + d.Price.Basis + " total among ranked options is not above 0, so the combined score is the quality"
		}
		for _, i := range sc.ranked {
			f, _ := hundred.Mul(pmin).Div(totals[i]).Float64()
			out[i] = &f
		}
	default:
		pb := totals[sc.base]
		if pb.Sign() <= 0 {
			return out, "price scores are not given: the baseline's " + d.Price.Basis + " total is not above 0, so the combined score is the quality"
		}
		full, zero := d.Price.FullAt, d.Price.ZeroAt
		for i := range d.Options {
			x := totals[i].Div(pb)
			s := zero.Sub(x).Div(zero.Sub(full))
			if s.Sign() < 0 {
				s = decimal.Zero
			} else if s.GreaterThan(one) {
				s = one
			}
			f, _ := s.Mul(hundred).Float64()
			out[i] = &f
		}
	}
	return out, ""
}

// combined returns each option's combined score from its price score.
func (sc *scoring) combined(ps []*float64) []*float64 {
	out := make([]*float64, len(ps))
	for i := range ps {
		var s *float64
		q := sc.quality[i]
		switch {
		case ps[i] != nil && q != nil:
			v := sc.weight*(*ps[i]) + (1-sc.weight)*(*q)
			s = &v
		case ps[i] != nil && len(sc.d.Criteria) == 0:
			v := *ps[i]
			s = &v
		case q != nil:
			v := *q
			s = &v
		}
		out[i] = s
	}
	return out
}

// before reports whether ranked option i ranks above ranked option j:
// higher combined score, then the lower total, then the id.
func (sc *scoring) before(i, j int, combined []*float64, totals []decimal.Decimal) bool {
	si, sj := combined[i], combined[j]
	if si != nil && sj != nil && *si != *sj {
		return *si > *sj
	}
	if (si == nil) != (sj == nil) {
		return si != nil
	}
	if c := totals[i].Cmp(totals[j]); c != 0 {
		return c < 0
	}
	return sc.d.Options[i].ID < sc.d.Options[j].ID
}

// first returns the option that ranks first with these totals, or −1 when
// none is ranked.
func (sc *scoring) first(totals []decimal.Decimal) int {
	ps, _ := sc.priceScores(totals)
	combined := sc.combined(ps)
	best := -1
	for _, i := range sc.ranked {
		if best < 0 || sc.before(i, best, combined, totals) {
			best = i
		}
	}
	return best
}

// staffing returns the heads of every capacity option o uses, lines in
// document order then pricing (spec §8): the block counts its costing used.
func (e *engine) staffing(o *Option) []Staffing {
	m := e.m
	out := []Staffing{}
	add := func(src string, c *Capacity, share decimal.Decimal, in func(int) bool) {
		n := m.blocksOf(m.spec(nil, c, one), share, one)
		heads := make([]int64, m.h)
		for i := 1; i <= m.h; i++ {
			if in(i) {
				heads[i-1] = n[i]
			}
		}
		method := MethodWorkload
		if c.Staffed() {
			method = MethodServiceLevel
		}
		out = append(out, Staffing{Source: src, Method: method, Heads: heads})
	}
	for k := range o.Lines {
		l := &o.Lines[k]
		if l.Basis != BasisPerBlock || l.Capacity == nil || l.BlockSize != nil {
			continue
		}
		add(indexPath("lines", k), l.Capacity, lineShare(o, l), func(i int) bool { return inWindow(l, i) })
	}
	if p := o.Pricing; p != nil && p.Per == PricingPerBlock && p.Capacity != nil && p.BlockSize == nil {
		add("pricing", p.Capacity, o.VolumeShare, func(i int) bool { return i >= p.FromMonth })
	}
	return out
}
