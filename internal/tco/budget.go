package tco

import (
	"fmt"
	"math"
	"strconv"
	"strings"
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
)

// Weights of the work units, about nanoseconds on the project's machine
// under load: an item-month costed (exact big-integer rounding, the decimal
// result and its JSON), an item-month the analysis costs again or models, a
// break-even event.
const (
	unitsItem     = 500
	unitsAnalysis = 100
	unitsEvent    = 18
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
	// Runs is the risk runs of spec §9 (not implemented yet: 0). Each run
	// costs every option again, so it multiplies ItemMonths in Units.
	Runs int64 `json:"runs"`

	// for the message: the events by the path of the block or pricing
	// that makes them, and the break-even range
	eventsAt map[string]int64
	max      float64 // top of the break-even range
	maxGiven bool    // break_even_max came with the request
}

// Units is the weighted total that MaxWork bounds.
func (w Work) Units() int64 {
	return w.ItemMonths*(1+w.Runs)*unitsItem + w.Analysis*unitsAnalysis + w.Events*unitsEvent
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
	h := int64(d.HorizonMonths) + 1
	var w Work
	base := 0
	for i := range d.Options {
		w.ItemMonths += itemsOf(&d.Options[i]) * h
		if d.Options[i].ID == d.Baseline {
			base = i
		}
	}
	// Risk runs (spec §9) will be read from the document here.
	if o.SkipAnalysis || len(d.Options) < 2 {
		return w
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
	horizons := int64(1)
	if max != 3*v || max <= 0 {
		horizons = 2
	}
	ev := newEventCounter(d)
	baseH, baseM := ev.option(bl, max, true), ev.option(bl, max, false)
	var baseT optEvents
	if horizons == 2 {
		baseT = ev.option(bl, 3*v, true)
	}
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
		oh, om := ev.option(op, max, true), ev.option(op, max, false)
		w.addEvents(baseH, oh, baseM, om)
		if horizons == 2 {
			w.addEvents(baseT, ev.option(op, 3*v, true))
		}
	}
	w.Analysis += 5 * itemsOf(bl) * h // the baseline's volume and personnel scenarios
	return w
}

// addEvents adds the events of views, by path.
func (w *Work) addEvents(views ...optEvents) {
	for _, e := range views {
		w.Events += e.n
		for at, n := range e.by {
			if w.eventsAt == nil {
				w.eventsAt = map[string]int64{}
			}
			w.eventsAt[at] += n
		}
	}
}

// topEvents returns the path that makes the most events, and their number
// (the first path in order on a tie, so the message is stable).
func (w Work) topEvents() (string, int64) {
	at, n := "options", int64(0)
	for p, k := range w.eventsAt {
		if k > n || k == n && p < at {
			at, n = p, k
		}
	}
	return at, n
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
			what, len(d.Options), d.HorizonMonths+1, grouped(w.ItemMonths), grouped(w.Analysis)))
	}
	events := func(what string) {
		at, n := w.topEvents()
		lower := "raise the block size (block_size, or the capacity's volume per person), or lower volume.monthly (break-even and the volume's tipping point run to 3 × volume.monthly) or the break_even_max asked for"
		if w.maxGiven {
			lower = "raise the block size (block_size, or the capacity's volume per person), or lower break_even_max or volume.monthly (the volume's tipping point runs to 3 × volume.monthly)"
		}
		if strings.HasSuffix(at, ".tiers") {
			lower = "use fewer tiers, or lower horizon_months (every month with its own demand has its own tier boundaries)"
		}
		errs.add(at, fmt.Sprintf("%s: break-even over volumes 0 to %s (%s a month) would walk %s block and tier boundaries, %s of them of this one; %s",
			what, grouped(int64(math.Ceil(w.max))), d.Volume.Unit, grouped(w.Events), grouped(n), lower))
		if w.maxGiven && w.max > 3*d.Volume.Monthly.InexactFloat64() {
			errs.add("break_even_max", fmt.Sprintf("is too large for this document: break-even would walk %s block and tier boundaries, at most %s are allowed; lower it", grouped(w.Events), grouped(MaxEvents)))
		}
	}
	switch u := w.Units(); {
	case w.ItemMonths > MaxItemMonths:
		size(fmt.Sprintf("is too large to compare: more than the %s amounts one comparison may cost", grouped(MaxItemMonths)))
	case w.Events > MaxEvents:
		events(fmt.Sprintf("makes too many break-even boundaries (at most %s)", grouped(MaxEvents)))
	case u > MaxWork && w.Events*unitsEvent > u/2:
		events(fmt.Sprintf("would take too long to compare (%s work units, at most %s)", grouped(u), grouped(MaxWork)))
	case u > MaxWork:
		size(fmt.Sprintf("would take too long to compare (%s work units, at most %s)", grouped(u), grouped(MaxWork)))
	}
	return errs
}

// grouped writes n with thousands separators: 16,777,216.
func grouped(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}

// eventCounter counts the break-even events of options' views the way the
// views merge their terms: per-block lines with the same block and share
// in months with the same demand factor make one term.
type eventCounter struct {
	d     *Document
	h     int
	cls   []int     // class of month m's demand factor (index m, 1..H)
	vol   []float64 // demand factor of each class
	first []int     // first month of each class
}

func newEventCounter(d *Document) *eventCounter {
	c := newBeContext(d)
	ec := &eventCounter{d: d, h: d.HorizonMonths, cls: make([]int, d.HorizonMonths+1)}
	seen := map[float64]int{}
	for m := 1; m <= ec.h; m++ {
		f := c.vol[m]
		k, ok := seen[f]
		if !ok {
			k = len(ec.vol)
			seen[f] = k
			ec.vol = append(ec.vol, f)
			ec.first = append(ec.first, m)
		}
		ec.cls[m] = k
	}
	return ec
}

// optEvents is the events of one option's terms in one view, by the path
// of the block or pricing that makes them.
type optEvents struct {
	n  int64
	by map[string]int64
}

func (e *optEvents) add(n int64, at string) {
	if n == 0 {
		return
	}
	e.n += n
	if e.by == nil {
		e.by = map[string]int64{}
	}
	e.by[at] += n
}

// steps is the events of a term of one block per step over [0, max):
// ceil(max × a / block), plus one for the rounding of the step.
func steps(max, a, block float64) int64 {
	if max <= 0 || a <= 0 || block <= 0 {
		return 0
	}
	n := math.Ceil(max*a/block) + 1
	if n > 1<<62 || math.IsNaN(n) {
		return 1 << 62
	}
	return int64(n)
}

// option counts option o's events in the horizon view (horizon) or the
// monthly view over [0, top].
func (e *eventCounter) option(o *Option, top float64, horizon bool) optEvents {
	var out optEvents
	if top <= 0 {
		return out
	}
	p := indexPath("options", e.optionIndex(o))
	share := o.VolumeShare.InexactFloat64()
	// Per-block lines with one block and share make one term in each
	// class of months (same demand factor) in which one of them runs; the
	// monthly view has one month, H, at factor 1.
	type group struct {
		block, share float64
	}
	marked := map[group][]bool{}
	paths := map[group]string{}
	vols := e.vol
	if !horizon {
		vols = []float64{1}
	}
	for li := range o.Lines {
		l := &o.Lines[li]
		if l.Basis != BasisPerBlock || l.Amount.IsZero() {
			continue
		}
		g := group{beBlock(l.BlockSize, l.Capacity), share}
		if l.VolumeShare != nil {
			g.share = l.VolumeShare.InexactFloat64()
		}
		if g.block <= 0 || g.share <= 0 {
			continue
		}
		lp := indexPath(p+".lines", li)
		if l.BlockSize != nil {
			lp += ".block_size"
		} else {
			lp += ".capacity"
		}
		if !horizon && !beInWindow(l, e.h) {
			continue
		}
		set, ok := marked[g]
		if !ok {
			set = make([]bool, len(vols))
			marked[g] = set
			paths[g] = lp
		}
		if !horizon {
			set[0] = true // the monthly view: month H at factor 1
			continue
		}
		from, to := 1, e.h
		if l.FromMonth != nil {
			from = *l.FromMonth
		}
		if l.ToMonth != nil {
			to = *l.ToMonth
		}
		if from <= 1 && to >= e.h {
			for k := range set {
				set[k] = true
			}
			continue
		}
		for m := max(from, 1); m <= min(to, e.h); m++ {
			set[e.cls[m]] = true
		}
	}
	for g, set := range marked {
		var n int64
		for k, in := range set {
			if in {
				n += steps(top, g.share*vols[k], g.block)
			}
		}
		out.add(n, paths[g])
	}
	pr := o.Pricing
	if pr == nil {
		return out
	}
	block := 0.0
	if pr.Per == PricingPerBlock {
		block = beBlock(pr.BlockSize, pr.Capacity)
	}
	pieces := int64(2*len(pr.Tiers) + 2) // a per-unit invoice's breakpoints
	at := p + ".pricing"
	switch {
	case pr.Per == PricingPerBlock && pr.BlockSize != nil:
		at += ".block_size"
	case pr.Per == PricingPerBlock:
		at += ".capacity"
	default:
		at += ".tiers"
	}
	var n int64
	count := func(a float64) {
		if a <= 0 {
			return
		}
		if pr.Per == PricingPerBlock {
			n += steps(top, a, block)
		} else {
			n += pieces
		}
	}
	if !horizon {
		count(share)
	} else {
		seen := make([]bool, len(e.vol))
		for m := max(pr.FromMonth, 1); m <= e.h; m++ {
			if k := e.cls[m]; !seen[k] {
				seen[k] = true
				count(share * e.vol[k])
			}
		}
	}
	out.add(n, at)
	return out
}

// optionIndex returns the index of o in the document.
func (e *eventCounter) optionIndex(o *Option) int {
	for i := range e.d.Options {
		if &e.d.Options[i] == o {
			return i
		}
	}
	return 0
}
