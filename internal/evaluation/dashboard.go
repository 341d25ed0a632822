package evaluation

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/report"
	"vendorcompare/internal/report/words"
	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
)

// Dashboard is the comparison of one evaluation arranged for leaders: the
// view model of the web app's dashboard and board pack. Values are shared
// with the cache: callers must not change them.
type Dashboard struct {
	ID       int64
	Eval     *store.Evaluation
	Doc      *tco.Document
	Cmp      *tco.Comparison
	Currency string
	Basis    string // "PV" or "TCO": what price scores and savings use
	Unit     string // the demand unit, plural ("contacts")
	// Decision is the latest decision recorded on the evaluation, if any
	// (decisions.go); the store's fingerprint moves with it, so it is
	// kept with the cached dashboard.
	Decision *store.Decision
	// HowSure is the "how sure" panel (howsure.go), set per request on a
	// copy by the page: the simulation may be made after the dashboard.
	HowSure *HowSure

	Sentence string // the recommendation, one sentence
	First    *First // the first screen's answers (first.go)
	Stories  []PairStory
	Winner   *OptionRow
	Excluded []excludedOption
	Notes    []string // a sentence per knock-out or gap, under the recommendation

	Rows       []*OptionRow // the ranking table, ranked first
	DocRows    []*OptionRow // the same in document order (the column order of the per-option tables)
	Categories []string     // cost categories with any cost, display order

	Cumulative cumulativeTable
	Savings    cumulativeTable // cumulative savings against the baseline, by month and option (savings.go)
	BreakEven  breakEvenView
	Tornado    *tornadoView
	OtherTips  []tornadoView // the other options' tipping points
	Rounds     []roundsView
	Charts     chartData
	Warnings   []string

	curves []*tco.CostCurve // each option's monthly cost against volume, by document order
}

// OptionRow is one option in the ranking table.
type OptionRow struct {
	*tco.OptionResult
	StoreID  int64
	Colour   int
	Short    string // a short name for chart labels
	Baseline bool
	Savings  tco.Money // on the price basis
	SavePct  *float64
	Cost     tco.Money // total on the price basis
	Payback  string
	Cats     []tco.Money // by Categories
}

// First reports whether the option is ranked first.
func (r *OptionRow) First() bool { return r.Rank != nil && *r.Rank == 1 }

// excludedOption is an option that cannot be ranked, with why.
type excludedOption struct {
	Name    string
	Status  string
	Reasons []string
}

// cumulativeTable is the cumulative cost by month (rows) and option.
type cumulativeTable struct {
	Labels []string
	Rows   [][]decimal.Decimal // [month][option]
}

// breakEvenView is the break-even chart's numbers.
type breakEvenView struct {
	Forecast float64
	Max      float64
	Samples  []breakEvenSample // the table under the chart
	Bands    []band
	Pairs    []pairIntervals // each option against the baseline (the engine's)
	// Reading is Bands told for reading with the evaluation's materiality
	// (savings.go); Threshold the monthly cost difference below which the
	// cheapest options read about even.
	Reading   []tco.Reading
	Threshold float64
	// Crossings are the chart's numbered crossings, by volume (charts.go).
	Crossings []Crossing
}

type breakEvenSample struct {
	Volume   float64
	Share    string // "100% of forecast"
	Costs    []float64
	Cheapest string
}

// band is a stretch of volumes where one option is the cheapest.
type band struct {
	From, To float64
	Winner   string
	Colour   int
	Index    int // the cheapest option's index in document order; -1 none
}

// pairIntervals is an option's break-even against the baseline in words.
type pairIntervals struct {
	Name    string
	Monthly string
	Horizon string
}

// tornadoView is one option's sensitivity.
type tornadoView struct {
	Name    string
	Base    tco.Money
	Drivers []driverRow
}

type driverRow struct {
	Label     string
	Low, High tco.Money
	Tipping   string // "×1.188" or "—"
	Words     string
}

// roundsView is a vendor's rounds side by side, and what changed.
type roundsView struct {
	Name    string
	Colour  int
	Rounds  []RoundCost
	Changes [][]string // per round, what changed against the previous
	Summary string
}

// chartData travels to static/js/charts.js as JSON.
type chartData struct {
	Currency string         `json:"currency"`
	Unit     string         `json:"unit"`
	Charts   map[string]any `json:"charts"`
}

// Dashboard loads, costs (with break-even and sensitivity) and arranges
// evaluation id for the dashboard and the board pack. An unchanged
// evaluation's dashboard is built once: it is kept in the cache by the
// store's fingerprint, which moves with every change inside the
// evaluation and with a new decision. An evaluation the engine cannot
// cost yet is its tco.Errors.
func (s *Service) Dashboard(ctx context.Context, id int64) (*Dashboard, error) {
	fp, err := s.fingerprint(ctx, id)
	if err != nil {
		return nil, err
	}
	k := key{fp: fp, what: "dashboard"}
	if fp != "" {
		if v, ok := s.cache.get(k); ok {
			return v.(*Dashboard), nil
		}
	}
	e, err := s.st.GetEvaluation(ctx, id)
	if err != nil {
		return nil, err
	}
	doc, err := s.st.Document(ctx, id, nil)
	if err != nil {
		return nil, err
	}
	// The API's default comparison (and kept with it), but without the
	// risk runs: the page renders without waiting for them, and the
	// simulation is made apart, once per version (Risk).
	o := tco.CompareOptions{SkipRisk: doc.Risk != nil}
	var ck *key
	if fp != "" {
		ck = &key{fp: fp, what: comparisonWhat(nil, o)}
	}
	cmp, err := s.compare(ctx, ck, doc, o)
	if err != nil {
		return nil, err
	}
	opts, err := s.st.ListOptions(ctx, id)
	if err != nil {
		return nil, err
	}
	d := buildDashboard(e, doc, trimmed(cmp), opts)
	if err := s.addRounds(ctx, d, opts); err != nil {
		return nil, err
	}
	d.trim()
	// The newest decision is part of the fingerprint: kept with the rest.
	if d.Decision, err = s.st.LatestDecision(ctx, id); err != nil {
		return nil, err
	}
	if fp != "" {
		s.cache.put(k, d, memSize(d))
	}
	return d, nil
}

// trimmed is cmp without what the built dashboard does not need and its
// cache entry would only hold: each option's monthly rows and cost lines
// (the cumulative table, charts and rounds are made from them first; the
// pages show none). With 50 options of 175 lines over 600 months that is
// millions of decimals. cmp itself is shared and left as it is.
func trimmed(cmp *tco.Comparison) *tco.Comparison {
	c := *cmp
	c.Options = append([]tco.OptionResult(nil), cmp.Options...)
	return &c
}

// trim drops what the built dashboard no longer needs and its cache entry
// would only hold: each option's monthly rows and cost lines (the
// cumulative table, charts and rounds were made from them; the pages
// show none). With 50 options of 175 lines over 600 months that is
// millions of decimals.
func (d *Dashboard) trim() {
	for i := range d.Cmp.Options {
		d.Cmp.Options[i].Monthly = nil
		d.Cmp.Options[i].Lines = nil
	}
}

// buildDashboard arranges a comparison for the page; pure, so the tests
// and the benchmark call it directly.
func buildDashboard(e *store.Evaluation, doc *tco.Document, cmp *tco.Comparison, opts []store.Option) *Dashboard {
	d := &Dashboard{ID: e.ID, Eval: e, Doc: doc, Cmp: cmp, Currency: cmp.Currency, Basis: "PV",
		Unit: PluralUnit(doc.Volume.Unit), Warnings: cmp.Warnings}
	if doc.Price.Basis == tco.PriceBasisTCO {
		d.Basis = "TCO"
	}
	storeID := map[string]int64{}
	for _, o := range opts {
		storeID[o.Slug] = o.ID
	}
	// categories with any cost
	for _, cat := range tco.Categories {
		for _, r := range cmp.Options {
			if !r.ByCategory[cat].Value.IsZero() {
				d.Categories = append(d.Categories, cat)
				break
			}
		}
	}
	rows := make([]*OptionRow, len(cmp.Options))
	for i := range cmp.Options {
		r := &cmp.Options[i]
		row := &OptionRow{OptionResult: r, StoreID: storeID[r.ID], Colour: i % chartColours, Short: shortName(r.Name), Baseline: r.ID == cmp.Baseline}
		row.Cost, row.Savings, row.SavePct = r.PV, r.Savings.PV, r.Savings.PVPct
		if d.Basis == "TCO" {
			row.Cost, row.Savings, row.SavePct = r.TCO, r.Savings.TCO, r.Savings.TCOPct
		}
		row.Payback = PaybackText(r.Payback.TCO, cmp.Months)
		for _, cat := range d.Categories {
			row.Cats = append(row.Cats, r.ByCategory[cat])
		}
		rows[i] = row
	}
	d.Rows, d.DocRows = orderRows(rows), rows
	d.recommend(doc)
	d.cumulative(rows)
	d.savings(rows)
	d.breakEven(doc, rows)
	d.readBands(rows)
	d.tornado(rows)
	d.first(rows)
	d.charts(rows)
	return d
}

// orderRows sorts ranked options by rank, then the unranked (incomplete,
// then knocked out), keeping document order within each group.
func orderRows(rows []*OptionRow) []*OptionRow {
	out := append([]*OptionRow(nil), rows...)
	group := func(r *OptionRow) int {
		switch r.Status {
		case tco.StatusRanked:
			return 0
		case tco.StatusIncomplete:
			return 1
		default:
			return 2
		}
	}
	sort.SliceStable(out, func(a, b int) bool {
		ga, gb := group(out[a]), group(out[b])
		if ga != gb {
			return ga < gb
		}
		if ga == 0 && out[a].Rank != nil && out[b].Rank != nil {
			return *out[a].Rank < *out[b].Rank
		}
		return false
	})
	return out
}

// shortName is the part of an option's name before a colon ("Vendor B:
// Lisboa…" → "Vendor B"), cut to 28 characters, for chart labels.
func shortName(name string) string {
	if i := strings.Index(name, ":"); i > 0 {
		name = name[:i]
	}
	if r := []rune(name); len(r) > 28 {
		name = strings.TrimSpace(string(r[:27])) + "…"
	}
	return name
}

// sentenceName is how a sentence names an option: the part before a colon
// ("Vendor B: Lisboa…" → "Vendor B"), else the whole name.
func sentenceName(name string) string {
	if i := strings.Index(name, ":"); i > 0 {
		return name[:i]
	}
	return name
}

// PluralUnit is the demand unit in the plural by the one rule of
// report/words: "contact" → "contacts", "box" → "boxes", "company" →
// "companies".
func PluralUnit(u string) string { return words.Plural(u) }

// PaybackText puts a payback month in words: "Feb 2028 (month 14)",
// "from the start", "never".
func PaybackText(p *int, months []string) string {
	switch {
	case p == nil:
		return "never"
	case *p == 0:
		return "from the start"
	case *p-1 < len(months):
		return fmt.Sprintf("%s (month %d)", words.Month(months[*p-1]), *p)
	}
	return fmt.Sprintf("month %d", *p)
}

// recommend writes the one-sentence recommendation and the notes on the
// options that cannot be ranked.
func (d *Dashboard) recommend(doc *tco.Document) {
	ranked := 0
	for _, r := range d.Rows {
		if r.Status == tco.StatusRanked {
			ranked++
			if r.Rank != nil && *r.Rank == 1 && d.Winner == nil {
				d.Winner = r
			}
		}
	}
	for _, r := range d.Rows {
		if r.Status == tco.StatusRanked {
			continue
		}
		x := excludedOption{Name: r.Name, Status: r.Status}
		for _, k := range r.KnockedOutBy {
			x.Reasons = append(x.Reasons, knockOutReason(doc, r.ID, k))
		}
		if len(r.Missing) > 0 {
			names := make([]string, len(r.Missing))
			for i, k := range r.Missing {
				names[i] = criterionName(doc, k)
			}
			x.Reasons = append(x.Reasons, "no score yet for "+strings.Join(names, ", "))
		}
		d.Excluded = append(d.Excluded, x)
		verb := "is knocked out"
		if r.Status == tco.StatusIncomplete {
			verb = "is not ranked yet"
		}
		d.Notes = append(d.Notes, fmt.Sprintf("%s %s: %s.", sentenceName(r.Name), verb, strings.Join(x.Reasons, "; ")))
	}
	months := len(d.Cmp.Months)
	w := d.Winner
	switch {
	case w == nil:
		d.Sentence = fmt.Sprintf("No option can be ranked yet: %d of %d %s knocked out or missing scores.", len(d.Excluded), len(d.Rows), words.Agree(len(d.Excluded), "is", "are"))
	case w.Baseline:
		best := d.bestAlternative()
		if best == nil {
			d.Sentence = fmt.Sprintf("Keep %s: it ranks first, and no alternative can be ranked yet.", w.Name)
			break
		}
		d.Sentence = fmt.Sprintf("Keep %s — rank 1 of %d%s; the best alternative, %s, %s over %d months.",
			w.Name, ranked, qualityText(w.Quality), sentenceName(best.Name), savesText(d.Currency, d.Basis, best), months)
	default:
		d.Sentence = fmt.Sprintf("%s %s over %d months%s — rank 1 of %d.",
			w.Name, savesText(d.Currency, d.Basis, w), months, qualityText(w.Quality), ranked)
	}
}

// bestAlternative is the ranked option after the baseline with the best
// rank, or nil.
func (d *Dashboard) bestAlternative() *OptionRow {
	for _, r := range d.Rows {
		if r.Status == tco.StatusRanked && !r.Baseline {
			return r
		}
	}
	return nil
}

// qualityText is " at quality 84" (nothing without criteria).
func qualityText(q *float64) string {
	if q == nil {
		return ""
	}
	return " at quality " + strconv.FormatFloat(math.Round(*q*10)/10, 'f', -1, 64)
}

// savesText is "saves 18.2% (PV €3.1M)" or "costs 4.0% more (PV €0.2M)".
func savesText(cur, basis string, r *OptionRow) string {
	amount := report.MoneyShort(cur, r.Savings.Value.Abs())
	label := amount
	if basis == "PV" {
		label = "PV " + amount
	}
	switch s := r.Savings.Value.Sign(); {
	case s > 0:
		return fmt.Sprintf("saves %s (%s)", report.Pct(r.SavePct), label)
	case s < 0:
		pct := "more"
		if r.SavePct != nil {
			pct = report.Pct(math.Abs(*r.SavePct)) + " more"
		}
		return fmt.Sprintf("costs %s (%s)", pct, label)
	}
	return "costs the same as the baseline"
}

// criterionName is a criterion's name, or its key.
func criterionName(doc *tco.Document, key string) string {
	for _, k := range doc.Criteria {
		if k.Key == key && k.Name != "" {
			return k.Name
		}
	}
	return key
}

// knockOutReason is "Information security scored 6, below the minimum 7".
func knockOutReason(doc *tco.Document, optionID, key string) string {
	name := criterionName(doc, key)
	o := doc.Option(optionID)
	for _, k := range doc.Criteria {
		if k.Key == key && k.Minimum != nil && o != nil {
			if s, ok := o.Scores[key]; ok {
				return fmt.Sprintf("%s scored %s, below the minimum %s", name, s.String(), k.Minimum.String())
			}
		}
	}
	return name + " is below its minimum"
}

// cumulative fills the cumulative cost table (month 0 is "Start").
func (d *Dashboard) cumulative(rows []*OptionRow) {
	h := len(d.Cmp.Months)
	d.Cumulative.Labels = make([]string, h+1)
	d.Cumulative.Labels[0] = "Start"
	for i, m := range d.Cmp.Months {
		d.Cumulative.Labels[i+1] = words.Month(m)
	}
	d.Cumulative.Rows = make([][]decimal.Decimal, h+1)
	sums := make([]decimal.Decimal, len(rows))
	for m := 0; m <= h; m++ {
		d.Cumulative.Rows[m] = make([]decimal.Decimal, len(rows))
		for i, r := range rows {
			if m < len(r.Monthly) {
				sums[i] = sums[i].Add(r.Monthly[m].Total.Value)
			}
			d.Cumulative.Rows[m][i] = sums[i]
		}
	}
}

// breakEvenSamples is how many volumes the break-even curves are drawn at.
const breakEvenSamples = 120

// breakEven computes the monthly cost curves against volume, the bands
// where each option is the cheapest, and the engine's pairwise intervals.
func (d *Dashboard) breakEven(doc *tco.Document, rows []*OptionRow) {
	f := doc.Volume.Monthly.InexactFloat64()
	max := 3 * f
	if max <= 0 {
		max = 1
	}
	be := &d.BreakEven
	be.Forecast, be.Max = f, max
	n := len(rows)
	// eligible options for the bands: everything not knocked out
	eligible := make([]bool, n)
	curves := make([]*tco.CostCurve, n)
	for i, r := range rows {
		eligible[i] = r.Status != tco.StatusKnockedOut
		curves[i] = tco.NewCostCurve(doc, i)
	}
	d.curves = curves
	cheapest := func(v float64) int {
		best, bestCost := -1, math.Inf(1)
		for i := range rows {
			if !eligible[i] {
				continue
			}
			// a near tie keeps the earlier option, as the engine's tolerance does
			if c := curves[i].At(v); best < 0 || c < bestCost-1e-9*math.Max(1, math.Abs(bestCost)) {
				best, bestCost = i, c
			}
		}
		return best
	}
	step := max / breakEvenSamples
	prev := cheapest(0)
	from := 0.0
	for k := 1; k <= breakEvenSamples; k++ {
		v := float64(k) * step
		w := cheapest(v)
		if w == prev {
			continue
		}
		// bisect the change between the two samples
		lo, hi := v-step, v
		for it := 0; it < 40 && hi-lo > 0.005; it++ {
			mid := (lo + hi) / 2
			if cheapest(mid) == prev {
				lo = mid
			} else {
				hi = mid
			}
		}
		be.Bands = append(be.Bands, d.newBand(rows, from, hi, prev))
		from, prev = hi, w
	}
	be.Bands = append(be.Bands, d.newBand(rows, from, max, prev))

	for _, share := range []float64{0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 2, 2.5, 3} {
		v := f * share
		s := breakEvenSample{Volume: v, Share: fmt.Sprintf("%.0f%% of forecast", share*100)}
		s.Costs = make([]float64, n)
		for i := range rows {
			s.Costs[i] = curves[i].At(v)
		}
		if w := cheapest(v); w >= 0 {
			s.Cheapest = sentenceName(rows[w].Name)
		}
		be.Samples = append(be.Samples, s)
	}
	for _, r := range rows {
		if r.BreakEven == nil {
			continue
		}
		be.Pairs = append(be.Pairs, pairIntervals{
			Name:    r.Name,
			Monthly: d.intervals(r.BreakEven.Monthly),
			Horizon: d.intervals(r.BreakEven.Horizon),
		})
	}
}

func (d *Dashboard) newBand(rows []*OptionRow, from, to float64, w int) band {
	b := band{From: from, To: to, Winner: "no eligible option", Colour: 7, Index: w}
	if w >= 0 {
		b.Winner, b.Colour = rows[w].Name, rows[w].Colour
	}
	return b
}

// intervals puts the engine's winner intervals in words.
func (d *Dashboard) intervals(iv []tco.Interval) string {
	name := func(id string) string {
		if id == tco.WinnerTie {
			return "both cost the same"
		}
		for _, r := range d.Rows {
			if r.ID == id {
				return sentenceName(r.Name) + " is cheaper"
			}
		}
		return id
	}
	if len(iv) == 0 {
		return "not computed"
	}
	if len(iv) == 1 {
		return name(iv[0].Winner) + " over the whole range"
	}
	parts := make([]string, len(iv))
	for i, in := range iv {
		parts[i] = fmt.Sprintf("%s from %s to %s", name(in.Winner), report.Number(in.From, 2), report.Number(in.To, 2))
	}
	return strings.Join(parts, "; ")
}

// tornado picks the option the chart shows (the winner, else the best
// alternative) and writes every option's tipping points in words.
func (d *Dashboard) tornado(rows []*OptionRow) {
	featured := d.Winner
	if featured == nil || featured.Baseline {
		featured = d.bestAlternative()
	}
	for _, r := range d.Rows {
		if r.Baseline || len(r.Sensitivity) == 0 {
			continue
		}
		t := tornadoView{Name: r.Name, Base: r.Savings}
		for _, s := range r.Sensitivity {
			dr := driverRow{Label: report.DriverWords(s.Driver).Label, Low: s.Low, High: s.High, Tipping: report.Dash,
				Words: report.Tipping(sentenceName(r.Name), r.Savings.Value.Sign(), s.TippingPoint, s.Driver)}
			if s.TippingPoint != nil {
				dr.Tipping = "×" + strconv.FormatFloat(*s.TippingPoint, 'f', 3, 64)
			}
			t.Drivers = append(t.Drivers, dr)
		}
		if r == featured {
			tv := t
			d.Tornado = &tv
			continue
		}
		d.OtherTips = append(d.OtherTips, t)
	}
	if d.Tornado == nil && len(d.OtherTips) > 0 {
		d.Tornado = &d.OtherTips[0]
		d.OtherTips = d.OtherTips[1:]
	}
}

// addRounds compares the rounds of every vendor option that has more than
// one, and says what each round changed in the quote. The rounds are
// costed by costRounds, the one round costing (CompareRounds uses it too),
// from the document already loaded; the current round is the comparison
// already made.
func (s *Service) addRounds(ctx context.Context, d *Dashboard, opts []store.Option) error {
	colour := map[string]int{}
	for _, r := range d.Rows {
		colour[r.ID] = r.Colour
	}
	for _, o := range opts {
		if o.Kind != tco.KindVendor {
			continue
		}
		rounds, err := s.st.ListRounds(ctx, o.ID)
		if err != nil {
			return err
		}
		if len(rounds) < 2 {
			continue
		}
		costs, err := s.costRounds(ctx, d.Doc, d.Cmp, o, rounds)
		if err != nil {
			return err
		}
		v := roundsView{Name: o.Name, Colour: colour[o.Slug], Rounds: costs, Changes: make([][]string, len(rounds))}
		for i := 1; i < len(rounds); i++ {
			v.Changes[i] = quoteChanges(d.Currency, &rounds[i-1], &rounds[i])
		}
		first, last := costs[0], costs[len(costs)-1]
		diff := last.TCO.Value.Sub(first.TCO.Value)
		v.Summary = fmt.Sprintf("From the %s to the %s offer the %d-month total went from %s to %s (%s%s).",
			RoundLabel(first.Label), RoundLabel(last.Label), len(d.Cmp.Months),
			report.Money(d.Currency, first.TCO, 0), report.Money(d.Currency, last.TCO, 0),
			signWord(diff), report.MoneyShort(d.Currency, diff.Abs()))
		d.Rounds = append(d.Rounds, v)
	}
	d.roundsCharts()
	return nil
}

func signWord(x decimal.Decimal) string {
	switch x.Sign() {
	case -1:
		return "down "
	case 1:
		return "up "
	}
	return "unchanged "
}

// RoundLabel is a round label in words.
func RoundLabel(l string) string {
	switch l {
	case store.LabelBestAndFinal:
		return "best-and-final"
	case store.LabelInitial:
		return "initial"
	case store.LabelRevised:
		return "revised"
	}
	return l
}

// quoteChanges lists what a round changed in the quote against the
// previous one: pricing fields, tiers, and lines added, removed or
// re-priced.
func quoteChanges(cur string, a, b *store.Round) []string {
	var out []string
	m := func(x decimal.Decimal) string { return report.Money(cur, x, -1) }
	field := func(label string, x, y decimal.Decimal, f func(decimal.Decimal) string) {
		if !x.Equal(y) {
			out = append(out, fmt.Sprintf("%s %s → %s", label, f(x), f(y)))
		}
	}
	num := func(x decimal.Decimal) string { return report.Number(x, 4) }
	pct := func(x decimal.Decimal) string { return report.Pct(x) }
	if pa, pb := a.Pricing, b.Pricing; pa != nil && pb != nil {
		qm := func(x decimal.Decimal) string { return report.Money(pb.Currency, x, -1) }
		if pa.Per != pb.Per {
			out = append(out, fmt.Sprintf("pricing per %s → per %s", pa.Per, pb.Per))
		}
		field("setup fee", pa.SetupFee, pb.SetupFee, qm)
		field("exit fee", pa.ExitFee, pb.ExitFee, qm)
		field("fixed monthly fee", pa.FixedMonthly, pb.FixedMonthly, qm)
		field("minimum charge", pa.MinimumCharge, pb.MinimumCharge, qm)
		field("minimum units", pa.MinimumUnits, pb.MinimumUnits, num)
		field("annual escalation", pa.Escalation, pb.Escalation, pct)
		field("fx rate", pa.FXRate, pb.FXRate, num)
		if len(pa.Tiers) == len(pb.Tiers) {
			for i := range pa.Tiers {
				field(fmt.Sprintf("tier %d price", i+1), pa.Tiers[i].Price, pb.Tiers[i].Price, qm)
				ua, ub := pa.Tiers[i].UpTo, pb.Tiers[i].UpTo
				if (ua == nil) != (ub == nil) || (ua != nil && !ua.Equal(*ub)) {
					out = append(out, fmt.Sprintf("tier %d bound changed", i+1))
				}
			}
		} else {
			out = append(out, fmt.Sprintf("%d tiers → %d tiers", len(pa.Tiers), len(pb.Tiers)))
		}
		if pa.FromMonth != pb.FromMonth {
			out = append(out, fmt.Sprintf("go-live month %d → %d", pa.FromMonth, pb.FromMonth))
		}
	}
	old := map[string]tco.Line{}
	for _, l := range a.Lines {
		old[l.Name] = l.Line
	}
	seen := map[string]bool{}
	for _, l := range b.Lines {
		seen[l.Name] = true
		o, ok := old[l.Name]
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("new line “%s” (%s)", l.Name, m(l.Amount)))
		case !o.Amount.Equal(l.Amount):
			out = append(out, fmt.Sprintf("“%s” %s → %s", l.Name, m(o.Amount), m(l.Amount)))
		}
	}
	for _, l := range a.Lines {
		if !seen[l.Name] {
			out = append(out, fmt.Sprintf("line “%s” removed", l.Name))
		}
	}
	if len(out) == 0 {
		out = append(out, "no change to the quote")
	}
	return out
}
