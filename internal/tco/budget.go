package tco

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/report/words"
)

// The work budget. Costing is linear in options × months × items, but the
// analysis can be asked for far more: break-even walks every block
// boundary between 0 and break_even_max, and a 2.6 KB document (block_size
// 1, 5.6M contacts a month) once took 15 s and 800 MB. So before anything is
// costed, the work a comparison would do is counted from the document alone
// (Estimate, O(options × lines + months)) and a document over the budget is
// refused with Errors naming what to lower. The bounds keep every accepted
// document under 2 s and 200 MB on one core (BENCHMARKS.md).

// Bounds of one comparison's work.
const (
	// MaxItemMonths bounds the costed amounts: every cost line, invoice and
	// fee of every option, each month 0..H. Each is kept as an int64, a
	// decimal and part of the JSON, so this is mostly a bound on memory
	// (about 160 bytes each at the peak).
	MaxItemMonths = 1_000_000
	// MaxEvents bounds the block and tier boundaries break-even walks,
	// over every option and both views (about 20 ns each).
	MaxEvents = 1 << 24
	// MaxWork bounds the weighted sum Work.Units: under a second of one
	// core on the project's machine, 1.5 s with 15 others sharing its two
	// cores, decoding and encoding included (BENCHMARKS.md).
	MaxWork = 700_000_000
	// MaxRiskWork bounds the risk runs (spec §9), RiskUnits: about 6 s of
	// one core, so 3 s of the project's two (the interactive
	// bound for the large document at 1,000 runs, BENCHMARKS.md).
	MaxRiskWork = 6_000_000_000
)

// Weights of the work units, about nanoseconds on the project's machine
// under load: an item-month costed (exact big-integer rounding, the decimal
// result and its JSON), an item-month the analysis costs again or models, a
// break-even event.
const (
	unitsItem     = 500
	unitsAnalysis = 100
	unitsEvent    = 18
	// an item-month of a risk run: estimated in doubles (13 ns on the
	// large document, 46 ns with a small one's fixed costs a run), with
	// room for amounts that take the exact path; the request's deadline
	// stops a document whose every amount does (1 to 2 µs each)
	unitsRun      = 100
	unitsStaffing = 10
)

// Work is what comparing a document costs, counted from the document
// before any costing (Estimate) or, in tests, while costing.
type Work struct {
	// ItemMonths is every cost line, invoice and fee of every option
	// (counted whether or not it is zero), times the months 0..H.
	ItemMonths int64 `json:"item_months"`
	// Analysis is the item-months sensitivity costs again (each driver at
	// 0.8 and 1.2, the baseline's scenarios shared) and the break-even
	// views model (the baseline's and the option's lines, every month).
	Analysis int64 `json:"analysis"`
	// Events is the block and tier boundaries the break-even views walk.
	Events int64 `json:"events"`
	// Runs is the risk runs of spec §9 (0 without risk, or when the
	// analysis is skipped). Each run costs every option again: RiskUnits.
	Runs      int64 `json:"runs"`
	runsGiven bool  // the runs came with the request, not the document
	// RunStaffing is what each risk run staffs to a service level, counted
	// as Staffing is: every service-level capacity staffs each demand
	// class's volume again at the run's volume and AHT, and with an AHT
	// that varies tables its agents again (a run's AHT is its own).
	RunStaffing int64 `json:"run_staffing"`
	// Staffing is the intervals staffed to a service level (spec §8):
	// the profile's length for every month's volume of every
	// service-level capacity, in the costing and in each analysis
	// scenario, plus a tenth of the Erlang B recursion steps of the
	// agents' threshold tables.
	Staffing int64 `json:"staffing"`

	// for the message: the block or pricing that makes the most events,
	// and the break-even range
	eventsAt evSource
	eventsN  int64
	max      float64 // top of the break-even range
	maxGiven bool    // break_even_max came with the request
	staffAt  string  // the service-level capacity that staffs most
}

// Units is the weighted total that MaxWork bounds: the comparison without
// its risk runs.
func (w Work) Units() int64 {
	return w.ItemMonths*unitsItem + w.Analysis*unitsAnalysis + w.Events*unitsEvent +
		w.Staffing*unitsStaffing
}

// RiskUnits is the weighted work of the risk runs that MaxRiskWork bounds:
// runs × what each costs (its item-months and its staffing).
func (w Work) RiskUnits() int64 {
	return w.Runs * w.runUnits()
}

// runUnits is the weighted work of one risk run.
func (w Work) runUnits() int64 {
	return w.ItemMonths*unitsRun + w.RunStaffing*unitsStaffing
}

// itemsOf is the costed items of an option: its lines, and the invoice,
// setup fee and exit fee when it has pricing.
func itemsOf(o *Option) int64 {
	n := int64(len(o.Lines))
	if o.Pricing != nil {
		n += 3
	}
	return n
}

// Estimate counts the work of Compare(d, o) from the document alone. The
// document must be valid. Every count is an upper bound of the work the
// engine then does (the budget fuzz test holds them against it).
func Estimate(d *Document, o CompareOptions) Work {
	w, _ := estimate(d, o)
	return w
}

// estimate is Estimate that also returns the break-even context it built
// (nil when it built none), for the analysis to reuse.
func estimate(d *Document, o CompareOptions) (Work, *beContext) {
	h := int64(d.HorizonMonths) + 1
	var w Work
	base := 0
	for i := range d.Options {
		w.ItemMonths += itemsOf(&d.Options[i]) * h
		if d.Options[i].ID == d.Baseline {
			base = i
		}
	}
	if runs, _ := riskSettings(d, o); runs > 0 && o.simulates() {
		w.Runs, w.runsGiven = int64(runs), o.Runs != nil
		w.RunStaffing = runStaffing(d)
	}
	if o.SkipAnalysis || len(d.Options) < 2 || w.ItemMonths > MaxItemMonths {
		w.Staffing, w.staffAt = staffingWork(d, base, 0, false)
		return w, nil // refused already when over: no need to count more
	}
	bl := &d.Options[base]
	v := d.Volume.Monthly.InexactFloat64()
	max := 3 * v
	if o.BreakEvenMax != nil {
		max = o.BreakEvenMax.InexactFloat64()
		w.maxGiven = true
	}
	w.max = max
	// breakEvenAndTip builds the horizon view once when the range is the
	// tipping point's own (3 × volume), else once for each.
	vw := views{monthly: max, horizons: []float64{max}}
	if max != 3*v || max <= 0 {
		vw.horizons = append(vw.horizons, 3*v)
	}
	horizons := int64(len(vw.horizons))
	c := newBeContext(d)
	ev := counters.Get().(*eventCounter)
	defer func() {
		ev.d, ev.c = nil, nil // keep no document alive in the pool
		clear(ev.bounders)
		counters.Put(ev)
	}()
	ev.init(d, c)
	c.classes = len(ev.vol)
	baseN, baseTop, baseTopN := ev.option(base, vw)
	for i := range d.Options {
		if i == base {
			continue
		}
		op := &d.Options[i]
		// sensitivity: the volume at 0.8 and 1.2, the vendor price,
		// personnel and fx rate also at 0 (their tipping points), each
		// re-costing the option (the baseline's scenarios once, below)
		w.Analysis += 11 * itemsOf(op) * h
		// break-even: both options' lines and invoices in every month of
		// each view
		lines := int64(len(bl.Lines)+len(op.Lines)) + 2
		w.Analysis += (horizons*h + 1) * lines
		// the discount rate's tipping point evaluates the savings at some
		// 500 rates, a multiply-add a month each
		w.Analysis += 8 * h
		n, top, topN := ev.option(i, vw)
		w.Events += baseN + n
		if topN > w.eventsN {
			w.eventsAt, w.eventsN = top, topN
		}
	}
	// the baseline's terms are in every option's views
	if k := baseTopN * int64(len(d.Options)-1); k > w.eventsN {
		w.eventsAt, w.eventsN = baseTop, k
	}
	w.Analysis += 5 * itemsOf(bl) * h // the baseline's volume and personnel scenarios
	w.Staffing, w.staffAt = staffingWork(d, base, max, true)
	return w, c
}

// staffingWork counts the staffing to a service level of a comparison
// (Work.Staffing) and names the capacity that staffs most. Each
// service-level capacity (per option, by parameters and share) staffs
// each month's volume once per costing, at most: in the costing, the
// volume and aht drivers at 0.8 and 1.2 and the aht tipping point's
// evaluations (which cost the baseline's capacities too), and its agents'
// thresholds are tabled up to the busiest interval at the top of the
// range (3 × the peak volume, or break_even_max).
func staffingWork(d *Document, base int, top float64, analysis bool) (int64, string) {
	peak := demandPeak(d)
	v := d.Volume.Monthly.InexactFloat64() * peak
	top = math.Max(top*peak, 3*v)
	// months of one demand factor share their volume, so their staffing
	classes := float64(countClasses(d))
	type src struct {
		key   string
		path  string
		cost  float64 // intervals staffed in one scenario
		table float64 // recursion steps / 10 of its agents' table
	}
	srcs := make([][]src, len(d.Options))
	tables := map[erlangKey]float64{} // the busiest interval's agents, by table
	for i := range d.Options {
		o := &d.Options[i]
		eachStaffed(o, func(c *Capacity, share decimal.Decimal, path string) {
			u := v * share.InexactFloat64()
			if analysis {
				u = top * share.InexactFloat64()
			}
			nmax, _ := slBound(c, u)
			tk := erlangKey{c.AHTMinutes.InexactFloat64(), c.Occupancy.InexactFloat64(),
				c.ServiceLevel.Target.InexactFloat64(), c.ServiceLevel.Seconds.InexactFloat64()}
			tables[tk] = math.Max(tables[tk], nmax)
			key := slKey(c, one) + "|" + share.String()
			for _, s := range srcs[i] {
				if s.key == key {
					return // lines on one capacity share its staffing
				}
			}
			srcs[i] = append(srcs[i], src{key, indexPath("options", i) + path, float64(len(c.Profile)) * classes, tableBound(nmax) / 10})
		})
	}
	total, most, at := 0.0, 0.0, ""
	note := func(s src, times float64) {
		total += s.cost * times
		if s.cost*times > most {
			most, at = s.cost*times, s.path
		}
	}
	// tables: the costing's, break-even's and the aht driver's at 0.8
	// and 1.2, by parameters; the tipping point's searches below
	scenarios := 1.0
	if analysis {
		scenarios = 4
	}
	for _, n := range tables {
		total += scenarios * tableBound(n) / 10
	}
	for i := range d.Options {
		for _, s := range srcs[i] {
			note(s, 1)
			if !analysis {
				continue
			}
			if i == base {
				note(s, 4) // the baseline's driver scenarios, shared
				continue
			}
			// its scenarios and tipping point, with the baseline's: each
			// AHT the search tries tables the agents again and reads the
			// heads of every month's volume from their breakpoints
			note(s, 4)
			search := append([]src{s}, srcs[base]...)
			for _, b := range search {
				total += ahtMaxEvals * (b.table + b.cost)
			}
		}
	}
	if total > 1<<60 || math.IsNaN(total) {
		total = 1 << 60
	}
	return int64(math.Ceil(total)), at
}

// demandPeak is the busiest month's demand factor: growth to the last
// month, and the top season.
func demandPeak(d *Document) float64 {
	peak := 1.0
	if g := d.Volume.Growth.InexactFloat64(); g > 0 {
		peak = math.Pow(1+g, math.Ceil(float64(d.HorizonMonths)/12))
	}
	season := 1.0
	if len(d.Volume.Seasonality) > 0 {
		season = 0
		for _, x := range d.Volume.Seasonality {
			season = math.Max(season, x.InexactFloat64())
		}
	}
	return peak * season
}

// eachStaffed calls f for every capacity of option o staffed to a service
// level (its per-block lines' and its per-block pricing's), with the share
// of the volume it staffs and its path under the option.
func eachStaffed(o *Option, f func(c *Capacity, share decimal.Decimal, path string)) {
	for k := range o.Lines {
		if l := &o.Lines[k]; l.Basis == BasisPerBlock && l.Capacity.Staffed() {
			f(l.Capacity, lineShare(o, l), indexPath(".lines", k)+".capacity")
		}
	}
	if p := o.Pricing; p != nil && p.Per == PricingPerBlock && p.Capacity.Staffed() {
		f(p.Capacity, o.VolumeShare, ".pricing.capacity")
	}
}

// runStaffing counts what one risk run staffs to a service level
// (Work.RunStaffing): each service-level capacity of each option (lines on
// one capacity and share once) staffs the profile's intervals for every
// demand class, and, when the aht driver varies, tables its agents up to
// the busiest interval at the mean volume and AHT drawn. The mean, not the
// top: the budget bounds all the runs together, and the table's bound is
// already pessimistic (a document of 96 intervals, 120 months and volume
// and AHT drawn from 0.5/1/3 tables in 0.25 ms a run, counted as 0.8 ms; at
// the top draws it would be counted as 16 ms).
func runStaffing(d *Document) int64 {
	if d.Risk == nil {
		return 0
	}
	mean := func(t *Triangular) float64 {
		if t == nil {
			return 1
		}
		return (t.Low.InexactFloat64() + t.Mode.InexactFloat64() + t.High.InexactFloat64()) / 3
	}
	dr := d.Risk.Drivers
	ahtVaries := dr.AHT != nil && !(dr.AHT.Low.Equal(dr.AHT.Mode) && dr.AHT.Mode.Equal(dr.AHT.High))
	// the busiest month at the mean volume and AHT drawn: the workload is
	// volume × AHT, so the AHT's multiplier stands in the volume's place
	v := d.Volume.Monthly.InexactFloat64() * demandPeak(d) * mean(dr.Volume) * mean(dr.AHT)
	classes := float64(countClasses(d))
	total := 0.0
	for i := range d.Options {
		o := &d.Options[i]
		seen := map[string]bool{}
		eachStaffed(o, func(c *Capacity, share decimal.Decimal, _ string) {
			key := slKey(c, one) + "|" + share.String()
			if seen[key] {
				return
			}
			seen[key] = true
			total += float64(len(c.Profile)) * classes
			if ahtVaries {
				nmax, _ := slBound(c, v*share.InexactFloat64())
				total += tableBound(nmax) / 10
			}
		})
	}
	if total > 1<<50 || math.IsNaN(total) {
		return 1 << 50
	}
	return int64(math.Ceil(total))
}

// Budget returns the problems of a document whose comparison would do more
// work than the bounds allow, each naming what to lower; nil when it is
// within them. The messages name the fields to lower at their paths: the
// horizon and the number of options and lines for the costing, the block
// that break-even walks most and the range (volume.monthly, or the
// request's break_even_max) for the events.
func (w Work) Budget(d *Document) Errors {
	var errs Errors
	size := func(what string) {
		errs.add("options", fmt.Sprintf("%s (%d options with their cost lines and invoices × %d months: %s amounts costed, %s costed again or modelled by the analysis); lower horizon_months, or the number of options or cost lines",
			what, len(d.Options), d.HorizonMonths+1, words.Int(w.ItemMonths), words.Int(w.Analysis)))
	}
	events := func(what string) {
		at, n := w.eventsAt.path(d), w.eventsN
		lower := "raise the block size (block_size, or the capacity's volume per person), or lower volume.monthly (break-even and the volume's tipping point run to 3 × volume.monthly) or the break_even_max asked for"
		if w.maxGiven {
			lower = "raise the block size (block_size, or the capacity's volume per person), or lower break_even_max or volume.monthly (the volume's tipping point runs to 3 × volume.monthly)"
		}
		if strings.HasSuffix(at, ".tiers") {
			lower = "use fewer tiers, or lower horizon_months (every month with its own demand has its own tier boundaries)"
		}
		errs.add(at, fmt.Sprintf("%s: break-even over volumes 0 to %s (%s a month) would walk %s block and tier boundaries, %s of them of this one; %s",
			what, words.Int(int64(math.Ceil(w.max))), d.Volume.Unit, words.Int(w.Events), words.Int(n), lower))
		if w.maxGiven && w.max > 3*d.Volume.Monthly.InexactFloat64() {
			errs.add("break_even_max", fmt.Sprintf("is too large for this document: break-even would walk %s block and tier boundaries, at most %s are allowed; lower it", words.Int(w.Events), words.Int(MaxEvents)))
		}
	}
	switch u := w.Units(); {
	case w.ItemMonths > MaxItemMonths:
		size(fmt.Sprintf("is too large to compare: more than the %s amounts one comparison may cost", words.Int(MaxItemMonths)))
	case u > MaxWork && w.Staffing*unitsStaffing > u/2:
		errs.add(w.staffAt, fmt.Sprintf("would take too long to compare (%s work units, at most %s): staffing to a service level interval by interval would staff %s intervals (the profile's intervals × %d months, for the costing and each analysis scenario, with the agents of the busiest interval tabled); use fewer intervals (a shorter profile, or 60-minute intervals), lower horizon_months, or lower volume.monthly",
			words.Int(u), words.Int(MaxWork), words.Int(w.Staffing), d.HorizonMonths+1))
	case w.Events > MaxEvents:
		events(fmt.Sprintf("makes too many break-even boundaries (at most %s)", words.Int(MaxEvents)))
	case u > MaxWork && w.Events*unitsEvent > u/2:
		events(fmt.Sprintf("would take too long to compare (%s work units, at most %s)", words.Int(u), words.Int(MaxWork)))
	case u > MaxWork:
		size(fmt.Sprintf("would take too long to compare (%s work units, at most %s)", words.Int(u), words.Int(MaxWork)))
	}
	if r := w.RiskUnits(); r > MaxRiskWork && w.ItemMonths <= MaxItemMonths {
		p := "risk.runs"
		if w.runsGiven {
			p = "runs"
		}
		most := MaxRiskWork / w.runUnits()
		each := words.Int(w.ItemMonths) + " amounts costed"
		lower := "lower horizon_months, or the number of options or cost lines"
		if w.RunStaffing*unitsStaffing > w.ItemMonths*unitsRun {
			each = fmt.Sprintf("%s intervals staffed to a service level and %s amounts costed", words.Int(w.RunStaffing), words.Int(w.ItemMonths))
			lower = "use fewer intervals (a shorter profile, or 60-minute intervals) or lower horizon_months"
		}
		msg := fmt.Sprintf("are too many for this evaluation: %s runs × %s each would take too long (%s work units, at most %s)",
			words.Int(w.Runs), each, words.Int(r), words.Int(MaxRiskWork))
		if most >= MinRuns {
			msg += fmt.Sprintf("; at most %s runs here", words.Int(most))
		} else {
			msg += "; even the fewest runs (100) are too many: " + lower
		}
		errs.add(p, msg)
	}
	return errs
}

// evSource is what makes break-even events: per-block line line of
// option opt (its block_size or capacity), or with line −1 its pricing.
type evSource struct {
	opt, line int32
}

// path returns the JSON path of the block or pricing.
func (e evSource) path(d *Document) string {
	if e.opt < 0 || int(e.opt) >= len(d.Options) {
		return "options"
	}
	o := &d.Options[e.opt]
	p := indexPath("options", int(e.opt))
	if e.line >= 0 && int(e.line) < len(o.Lines) {
		p = indexPath(p+".lines", int(e.line))
		if o.Lines[e.line].BlockSize != nil {
			return p + ".block_size"
		}
		return p + ".capacity"
	}
	if pr := o.Pricing; pr != nil {
		switch {
		case pr.Per == PricingPerBlock && pr.BlockSize != nil:
			return p + ".pricing.block_size"
		case pr.Per == PricingPerBlock:
			return p + ".pricing.capacity"
		}
		return p + ".pricing.tiers"
	}
	return p
}

// eventCounter counts the break-even events of options' views the way the
// views merge their terms: per-block lines with the same block and share
// in months with the same demand factor make one term.
type eventCounter struct {
	d      *Document
	c      *beContext // shared with the break-even views that follow
	h      int
	cls    []int     // class of month m's demand factor (index m, 1..H)
	vol    []float64 // demand factor of each class
	groups []evGroup
	marks  []bool // len(vol) a group, in the order of groups
	seen   []bool // len(vol)
	// bounders reads each service-level capacity once
	bounders map[*Capacity]*slBounder
}

// counters keeps event counters (their scratch) between comparisons, so
// counting a typical comparison allocates nothing.
var counters = sync.Pool{New: func() any { return new(eventCounter) }}

// evGroup is the per-block lines of one option with one block and share.
type evGroup struct {
	block, share float64
	src          evSource
	monthly      bool // one of them runs in month H
}

// init prepares the counter for document d.
func (ec *eventCounter) init(d *Document, c *beContext) {
	ec.d, ec.c, ec.h = d, c, d.HorizonMonths
	if ec.bounders == nil {
		ec.bounders = map[*Capacity]*slBounder{}
	}
	clear(ec.bounders)
	ec.cls = slices.Grow(ec.cls[:0], ec.h+1)[:ec.h+1]
	ec.vol = ec.vol[:0]
	for m := 1; m <= ec.h; m++ {
		f := c.vol[m]
		k := len(ec.vol)
		// months of one factor are usually neighbours, or a season apart
		for j := len(ec.vol) - 1; j >= 0; j-- {
			if ec.vol[j] == f {
				k = j
				break
			}
		}
		if k == len(ec.vol) {
			ec.vol = append(ec.vol, f)
		}
		ec.cls[m] = k
	}
}

// views lists the ranges of an option's views: the monthly view's top and
// the horizon views' tops (one, or two when the tipping point has its own).
type views struct {
	monthly  float64
	horizons []float64
}

// steps is the events of a term of one block per step over [0, max):
// ceil(max × a / block), plus one for the rounding of the step.
func steps(max, a, block float64) int64 {
	if max <= 0 || a <= 0 || block <= 0 {
		return 0
	}
	n := math.Ceil(max*a/block) + 1
	if n > 1<<50 || math.IsNaN(n) {
		return 1 << 50
	}
	return int64(n)
}

// option counts the events of option i in all of its views, and returns
// them with the source that makes most of them.
func (e *eventCounter) option(i int, vw views) (total int64, top evSource, topN int64) {
	o := &e.d.Options[i]
	share := o.VolumeShare.InexactFloat64()
	nc := len(e.vol)
	e.groups = e.groups[:0]
	var slN int64 // service-level lines: heads breakpoints, at most the heads at the top
	for li := range o.Lines {
		l := &o.Lines[li]
		if l.Basis != BasisPerBlock || l.Amount.IsZero() {
			continue
		}
		if l.Capacity.Staffed() {
			ls := share
			if l.VolumeShare != nil {
				ls = l.VolumeShare.InexactFloat64()
			}
			n := e.slEvents(l.Capacity, vw.monthly*ls)
			seen := map[int]bool{}
			for m := 1; m <= e.h; m++ {
				if c := e.cls[m]; beInWindow(l, m) && !seen[c] {
					seen[c] = true
					for _, top := range vw.horizons {
						n += e.slEvents(l.Capacity, top*ls*e.vol[c])
					}
				}
			}
			slN += n
			if n > topN {
				top, topN = evSource{int32(i), int32(li)}, n
			}
			continue
		}
		g := evGroup{block: beBlock(l.BlockSize, l.Capacity), share: share, src: evSource{int32(i), int32(li)}}
		if l.VolumeShare != nil {
			g.share = l.VolumeShare.InexactFloat64()
		}
		if g.block <= 0 || g.share <= 0 {
			continue
		}
		k := 0
		for k < len(e.groups) && (e.groups[k].block != g.block || e.groups[k].share != g.share) {
			k++
		}
		if k == len(e.groups) {
			e.groups = append(e.groups, g)
			if need := len(e.groups) * nc; need > len(e.marks) {
				e.marks = append(e.marks, make([]bool, need-len(e.marks))...)
			}
			clear(e.marks[k*nc : (k+1)*nc])
		}
		if beInWindow(l, e.h) {
			e.groups[k].monthly = true
		}
		set := e.marks[k*nc : (k+1)*nc]
		from, to := 1, e.h
		if l.FromMonth != nil {
			from = *l.FromMonth
		}
		if l.ToMonth != nil {
			to = *l.ToMonth
		}
		for m := max(from, 1); m <= min(to, e.h); m++ {
			set[e.cls[m]] = true
		}
	}
	total += slN
	note := func(n int64, src evSource) {
		total += n
		if n > topN {
			top, topN = src, n
		}
	}
	for k, g := range e.groups {
		var n int64
		if g.monthly {
			n += steps(vw.monthly, g.share, g.block)
		}
		for c, in := range e.marks[k*nc : (k+1)*nc] {
			if in {
				for _, top := range vw.horizons {
					n += steps(top, g.share*e.vol[c], g.block)
				}
			}
		}
		note(n, g.src)
	}
	pr := o.Pricing
	if pr == nil {
		return total, top, topN
	}
	block := 0.0
	if pr.Per == PricingPerBlock {
		block = beBlock(pr.BlockSize, pr.Capacity)
	}
	pieces := int64(2*len(pr.Tiers) + 2) // a per-unit invoice's breakpoints
	count := func(top, a float64) int64 {
		switch {
		case a <= 0 || top <= 0:
			return 0
		case pr.Per == PricingPerBlock && pr.Capacity.Staffed():
			return e.slEvents(pr.Capacity, top*a)
		case pr.Per == PricingPerBlock:
			return steps(top, a, block)
		}
		return pieces
	}
	n := count(vw.monthly, share)
	if len(e.seen) < nc {
		e.seen = make([]bool, nc)
	}
	seen := e.seen[:nc]
	clear(seen)
	for m := max(pr.FromMonth, 1); m <= e.h; m++ {
		if c := e.cls[m]; !seen[c] { // a class counts once
			seen[c] = true
			for _, top := range vw.horizons {
				n += count(top, share*e.vol[c])
			}
		}
	}
	note(n, evSource{int32(i), -1})
	return total, top, topN
}

// slEvents bounds the heads breakpoints of a service-level capacity up to
// volume u: heads rise by at least one at each.
func (e *eventCounter) slEvents(c *Capacity, u float64) int64 {
	if u <= 0 {
		return 0
	}
	b := e.bounders[c]
	if b == nil {
		b = newSlBounder(c)
		e.bounders[c] = b
	}
	_, h := b.bound(u)
	if h > 1<<50 || math.IsNaN(h) {
		return 1 << 50
	}
	return int64(h) + 1
}

// countClasses is the number of distinct demand factors of months 1..H
// (growth × seasonality): months of one factor have one volume.
func countClasses(d *Document) int {
	c := newBeContext(d)
	seen := map[float64]bool{}
	for m := 1; m <= d.HorizonMonths; m++ {
		seen[c.vol[m]] = true
	}
	return len(seen)
}
