package evaluation

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/report"
	"vendorcompare/internal/tco"
)

// First is the dashboard's first screen: what a leader with thirty seconds
// asks, each answered in a sentence and a few figures (issue 14, spec §10).
// Answers are in screen order; another answer (risk's "how sure") is
// appended to the slice and takes the next place on the screen.
type First struct {
	Headline string // who wins and by how much, and whether it is the cheapest
	Answers  []FirstAnswer
}

// FirstAnswer is one question of the first screen and its answer.
type FirstAnswer struct {
	Key      string // "who", "why", "change": the element id on the page
	Question string
	Lead     string        // the answer in one sentence
	Figures  []FirstFigure // the figures behind it
	Table    *FirstTable   // a side-by-side comparison, when the answer has one
	Points   []string      // further sentences, most important first
	Cautions []string      // what qualifies the answer (a clamped price score)
}

// FirstFigure is a labelled figure: "Savings (PV)" "€800K".
type FirstFigure struct {
	Label, Value string
	Tone         string // "saving", "loss" or "" (the sign classes of app.css)
}

// FirstTable is a small table of figures: Head[0] names the row labels.
type FirstTable struct {
	Head []string
	Rows [][]string
}

// PairStory is an option's break-even against the baseline told for
// reading: alternations whose cost difference stays below the
// evaluation's materiality read "about even" (tco.ReadIntervals); the
// exact intervals stay in BreakEven.Pairs.
type PairStory struct {
	Name             string
	Monthly, Horizon string
	Even             string // what "about even" means here, when a view has it
}

// first builds the first screen and the break-even stories; rows are in
// document order.
func (d *Dashboard) first(rows []*OptionRow) {
	f := &First{}
	d.First = f
	ranked := d.ranked()
	who := FirstAnswer{Key: "who", Question: "Who wins, and by how much?"}
	if d.Winner == nil {
		f.Headline = d.Sentence
		who.Lead = d.Sentence
		who.Points = d.Notes
		f.Answers = append(f.Answers, who)
		d.stories(rows)
		return
	}
	w := d.Winner
	var second *OptionRow
	if len(ranked) > 1 {
		second = ranked[1]
	}
	f.Headline = d.headline(w, second, ranked)
	who.Lead = f.Headline
	who.Figures = d.whoFigures(w, second)
	f.Answers = append(f.Answers, who)
	if second != nil {
		f.Answers = append(f.Answers, d.why(w, second))
	} else {
		why := FirstAnswer{Key: "why", Question: "Why " + sentenceName(w.Name) + "?",
			Lead: sentenceName(w.Name) + " is the only option that can be ranked: there is nothing to weigh it against."}
		why.Points = d.Notes
		why.Cautions = d.clamped()
		f.Answers = append(f.Answers, why)
	}
	f.Answers = append(f.Answers, d.change(w, ranked))
	d.stories(rows)
}

// ranked is the ranked options in rank order.
func (d *Dashboard) ranked() []*OptionRow {
	var out []*OptionRow
	for _, r := range d.Rows {
		if r.Status == tco.StatusRanked && r.Rank != nil {
			out = append(out, r)
		}
	}
	return out
}

// money is an amount for a sentence: "€216K".
func (d *Dashboard) money(x any) string { return report.MoneyShort(d.Currency, x) }

// points is a score difference in words: "7 points", "1.5 points",
// "less than 0.1 points".
func points(x float64) string {
	s := report.Number(math.Abs(x), 1)
	switch s {
	case "0":
		return "less than 0.1 points"
	case "1":
		return "1 point"
	}
	return s + " points"
}

// weightPct is a price weight in words: 0.4 → "40%", 0.5066 → "50.7%".
func weightPct(w float64) string { return report.Number(w*100, 1) + "%" }

// cheapest is the ranked option with the lowest total on the price basis
// (the first of equals in rank order).
func cheapest(ranked []*OptionRow) *OptionRow {
	var best *OptionRow
	for _, r := range ranked {
		if best == nil || r.Cost.Value.LessThan(best.Cost.Value) {
			best = r
		}
	}
	return best
}

// headline says who wins and by how much, and when the winner is not the
// cheapest ranked option, which one is and by how much.
func (d *Dashboard) headline(w, second *OptionRow, ranked []*OptionRow) string {
	name := sentenceName(w.Name)
	months := len(d.Cmp.Months)
	var s string
	if w.Baseline {
		s = fmt.Sprintf("Keep %s: it ranks first", name)
		if second != nil && second.VersusFirst != nil && second.VersusFirst.ScoreGap != nil {
			s += fmt.Sprintf(", %s ahead of %s", points(*second.VersusFirst.ScoreGap), sentenceName(second.Name))
		}
		s += "."
	} else {
		s = fmt.Sprintf("%s is recommended: it %s over %d months", name, d.savesWords(w), months)
		if second != nil && second.VersusFirst != nil && second.VersusFirst.ScoreGap != nil {
			s += fmt.Sprintf(" and leads %s by %s", sentenceName(second.Name), points(*second.VersusFirst.ScoreGap))
		}
		s += "."
	}
	if c := cheapest(ranked); c != nil && c != w {
		gap := w.Cost.Value.Sub(c.Cost.Value)
		s += fmt.Sprintf(" It is not the cheapest: %s costs %s less on %s.", sentenceName(c.Name), d.money(gap), d.Basis)
	}
	return s
}

// savesWords is "saves €800K (15.1%) on PV" or "costs €12K (0.3%) more on PV".
func (d *Dashboard) savesWords(r *OptionRow) string {
	switch r.Savings.Value.Sign() {
	case 1:
		return fmt.Sprintf("saves %s (%s) on %s", d.money(r.Savings), report.Pct(r.SavePct), d.Basis)
	case -1:
		pct := ""
		if r.SavePct != nil {
			pct = " (" + report.Pct(math.Abs(*r.SavePct)) + ")"
		}
		return fmt.Sprintf("costs %s%s more than %s on %s", d.money(r.Savings.Value.Abs()), pct, d.baselineName(), d.Basis)
	}
	return "costs the same as " + d.baselineName()
}

// baselineName is the baseline's name in a sentence.
func (d *Dashboard) baselineName() string {
	for _, r := range d.Rows {
		if r.Baseline {
			return sentenceName(r.Name)
		}
	}
	return "the baseline"
}

func (d *Dashboard) whoFigures(w, second *OptionRow) []FirstFigure {
	var out []FirstFigure
	if !w.Baseline {
		out = append(out,
			FirstFigure{Label: "Savings (" + d.Basis + ")", Value: d.money(w.Savings), Tone: signTone(w.Savings.Value)},
			FirstFigure{Label: "Of " + d.baselineName() + "'s " + d.Basis, Value: report.Pct(w.SavePct), Tone: signTone(w.Savings.Value)},
			FirstFigure{Label: "Pays back", Value: w.Payback})
	} else {
		out = append(out, FirstFigure{Label: d.Basis + " total", Value: d.money(w.Cost)})
	}
	out = append(out, FirstFigure{Label: "Combined score", Value: report.Score(w.Score)})
	if second != nil && second.VersusFirst != nil && second.VersusFirst.ScoreGap != nil {
		out = append(out, FirstFigure{Label: "Lead over " + sentenceName(second.Name), Value: report.Number(*second.VersusFirst.ScoreGap, 1) + " pts"})
	}
	return out
}

func signTone(x decimal.Decimal) string {
	switch x.Sign() {
	case 1:
		return "saving"
	case -1:
		return "loss"
	}
	return ""
}

// why is the margin between the winner and the runner-up (spec §10): what
// each is better at, and the price weight at which the order flips.
func (d *Dashboard) why(w, o *OptionRow) FirstAnswer {
	wn, on := sentenceName(w.Name), sentenceName(o.Name)
	a := FirstAnswer{Key: "why", Question: fmt.Sprintf("Why %s over %s?", wn, on)}
	v := o.VersusFirst
	gap := v.PriceGap.Value
	var price string
	switch gap.Sign() {
	case -1:
		price = fmt.Sprintf("is %s cheaper on %s", d.money(gap.Abs()), d.Basis)
	case 1:
		price = fmt.Sprintf("costs %s more on %s", d.money(gap), d.Basis)
	default:
		price = "costs the same on " + d.Basis
	}
	s := on + " " + price
	if w.Quality != nil && o.Quality != nil {
		dq := *o.Quality - *w.Quality
		q := "scores the same on quality"
		if report.Number(math.Abs(dq), 1) != "0" {
			if dq < 0 {
				q = "scores " + points(dq) + " lower on quality"
			} else {
				q = "scores " + points(dq) + " higher on quality"
			}
		}
		conj := "and"
		if (gap.Sign() < 0 && dq < 0) || (gap.Sign() > 0 && dq > 0) {
			conj = "but"
		}
		s += " " + conj + " " + q
	}
	if v.ScoreGap != nil {
		s += fmt.Sprintf(" (%s behind overall)", points(*v.ScoreGap))
	}
	a.Lead = s + "."
	if p := d.flipWords(w, o); p != "" {
		a.Points = append(a.Points, p)
	}
	a.Table = &FirstTable{Head: []string{"", wn, on}, Rows: [][]string{
		{d.Basis + " total", report.Money(d.Currency, w.Cost, 0), report.Money(d.Currency, o.Cost, 0)},
		{"Quality", report.Score(w.Quality), report.Score(o.Quality)},
		{"Price score", report.Score(w.PriceScore), report.Score(o.PriceScore)},
		{"Combined", report.Score(w.Score), report.Score(o.Score)},
	}}
	a.Points = append(a.Points, d.cheaperOut(w)...)
	a.Cautions = d.clamped()
	return a
}

// cheaperOut says which options that cannot be ranked cost less than the
// winner, and why they are out: the question a CFO asks next.
func (d *Dashboard) cheaperOut(w *OptionRow) []string {
	var out []string
	for _, x := range d.Rows {
		if x.Status == tco.StatusRanked || !x.Cost.Value.LessThan(w.Cost.Value) {
			continue
		}
		verb := "is knocked out"
		if x.Status == tco.StatusIncomplete {
			verb = "is not ranked yet"
		}
		why := ""
		for _, e := range d.Excluded {
			if e.Name == x.Name {
				why = ": " + strings.Join(e.Reasons, "; ")
			}
		}
		out = append(out, fmt.Sprintf("%s would cost %s less on %s but %s%s.", sentenceName(x.Name), d.money(w.Cost.Value.Sub(x.Cost.Value)), d.Basis, verb, why))
	}
	return out
}

// flipWords is the weight flip of o against the first in words: "Vendor B
// would overtake Vendor A if price weighed more than 50.7% instead of
// 40%"; "" when o has no versus_first.
func (d *Dashboard) flipWords(w, o *OptionRow) string {
	v := o.VersusFirst
	if v == nil {
		return ""
	}
	wn, on := sentenceName(w.Name), sentenceName(o.Name)
	today := d.Doc.Price.Weight.InexactFloat64()
	switch {
	case v.WeightFlip != nil:
		side := "more"
		if *v.WeightFlip < today {
			side = "less"
		}
		return fmt.Sprintf("%s would overtake %s if price weighed %s than %s instead of %s.", on, wn, side, weightPct(*v.WeightFlip), weightPct(today))
	case w.Quality != nil && o.Quality != nil && w.PriceScore != nil && o.PriceScore != nil:
		return fmt.Sprintf("No price weight from 0%% to 100%% would put %s ahead of %s.", on, wn)
	}
	return "The price weight does not change their order."
}

// clamped says in words which ranked options' anchored price scores are
// held at 0 or 100 (spec §10's warning): beyond an anchor a cheaper or
// dearer offer no longer moves the score, so price stops counting between
// them. Recomputed from the totals as the engine does.
func (d *Dashboard) clamped() []string {
	p := d.Doc.Price
	var base *OptionRow
	for _, r := range d.Rows {
		if r.Baseline {
			base = r
		}
	}
	if p.Formula != tco.FormulaAnchored || base == nil || base.Cost.Value.Sign() <= 0 || p.ZeroAt.Equal(p.FullAt) {
		return nil
	}
	var out []string
	hundred := decimal.NewFromInt(100)
	for _, r := range d.ranked() {
		ratio := r.Cost.Value.Div(base.Cost.Value)
		s := p.ZeroAt.Sub(ratio).Div(p.ZeroAt.Sub(p.FullAt))
		share := report.Number(ratio.Mul(hundred), 1) + "%"
		switch {
		case s.GreaterThan(decimal.NewFromInt(1)):
			out = append(out, fmt.Sprintf("Price stops counting for %s: its %s is %s of %s's, below the %s that already scores 100, so its price score is held at 100 and being cheaper earns it nothing more.",
				sentenceName(r.Name), d.Basis, share, d.baselineName(), report.Number(p.FullAt.Mul(hundred), 1)+"%"))
		case s.Sign() < 0:
			out = append(out, fmt.Sprintf("Price stops counting for %s: its %s is %s of %s's, above the %s that scores 0, so its price score is held at 0 and costing more loses it nothing more.",
				sentenceName(r.Name), d.Basis, share, d.baselineName(), report.Number(p.ZeroAt.Mul(hundred), 1)+"%"))
		}
	}
	return out
}

// change is what would change the answer: the nearest weight flip, the
// featured option's tipping points nearest first (spec §5), and the
// volumes at which it stops being cheaper than the baseline.
func (d *Dashboard) change(w *OptionRow, ranked []*OptionRow) FirstAnswer {
	a := FirstAnswer{Key: "change", Question: "What would change the answer?"}
	// the ranked option whose weight flip is nearest today's weight
	today := d.Doc.Price.Weight.InexactFloat64()
	var flip *OptionRow
	for _, r := range ranked[min(1, len(ranked)):] {
		if v := r.VersusFirst; v != nil && v.WeightFlip != nil {
			if flip == nil || math.Abs(*v.WeightFlip-today) < math.Abs(*flip.VersusFirst.WeightFlip-today) {
				flip = r
			}
		}
	}
	featured := w
	if w.Baseline {
		featured = d.bestAlternative()
	}
	type tip struct {
		s    tco.Sensitivity
		dist float64
	}
	var tips []tip
	if featured != nil {
		for _, s := range featured.Sensitivity {
			if s.TippingPoint != nil {
				tips = append(tips, tip{s, math.Abs(*s.TippingPoint - 1)})
			}
		}
	}
	slices.SortStableFunc(tips, func(x, y tip) int { return cmp.Compare(x.dist, y.dist) })
	var sentences []string
	if flip != nil {
		side := "more"
		if *flip.VersusFirst.WeightFlip < today {
			side = "less"
		}
		sentences = append(sentences, fmt.Sprintf("Price weighing %s than %s instead of %s would put %s ahead of %s.",
			side, weightPct(*flip.VersusFirst.WeightFlip), weightPct(today), sentenceName(flip.Name), sentenceName(w.Name)))
		a.Figures = append(a.Figures, FirstFigure{Label: "Price weight that flips it", Value: weightPct(*flip.VersusFirst.WeightFlip) + " (today " + weightPct(today) + ")"})
	}
	for i, t := range tips {
		if i == 3 { // the nearest three; the tornado below has every driver
			break
		}
		sentences = append(sentences, report.Tipping(sentenceName(featured.Name), featured.Savings.Value.Sign(), t.s.TippingPoint, t.s.Driver))
		if i == 0 {
			dw := report.DriverWords(t.s.Driver)
			a.Figures = append(a.Figures, FirstFigure{Label: "Nearest tipping point", Value: dw.Label + " " + signedPct(*t.s.TippingPoint-1)})
		}
	}
	if featured != nil && featured.BreakEven != nil && featured.BreakEven.Reading != nil {
		if rd := featured.BreakEven.Reading.Monthly; len(rd) > 1 {
			sentences = append(sentences, "By volume: "+d.story(rd)+" (forecast "+report.Number(d.BreakEven.Forecast, 0)+").")
		}
	}
	switch {
	case len(sentences) == 0 && featured != nil && len(featured.Sensitivity) == 0:
		// not "nothing would change it": the analysis did not run
		a.Lead = fmt.Sprintf("No tipping points were computed for %s.", sentenceName(featured.Name))
	case len(sentences) == 0 && featured != nil:
		a.Lead = fmt.Sprintf("Nothing within reach: %s keeps its place whatever the price weight, and no driver from 0 to 3 times today's changes whether it saves money.", sentenceName(featured.Name))
	case len(sentences) == 0:
		a.Lead = "There is no alternative to test the answer against."
	default:
		a.Lead, a.Points = sentences[0], sentences[1:]
	}
	return a
}

// signedPct is a change as a signed percentage: 0.188 → "+18.8%".
func signedPct(x float64) string {
	s := report.Number(math.Abs(x)*100, 1) + "%"
	if x < 0 {
		return "−" + s
	}
	return "+" + s
}

// stories tells each option's break-even against the baseline for
// reading (tco.ReadIntervals with the evaluation's materiality).
func (d *Dashboard) stories(rows []*OptionRow) {
	share := report.Number(d.Doc.MaterialityShare().Mul(decimal.NewFromInt(100)), 2) + "%"
	for _, r := range rows {
		if r.BreakEven == nil || r.BreakEven.Reading == nil {
			continue
		}
		rd := r.BreakEven.Reading
		p := PairStory{Name: r.Name, Monthly: d.story(rd.Monthly) + ".", Horizon: "Over the horizon: " + d.story(rd.Horizon) + "."}
		if d.story(rd.Monthly) == d.story(rd.Horizon) {
			p.Monthly, p.Horizon = d.story(rd.Monthly)+", month by month and over the horizon.", ""
		}
		var even []string
		if hasEven(rd.Monthly) {
			even = append(even, fmt.Sprintf("%s a month in the monthly view (%s of %s's steady month)", report.Money(d.Currency, rd.MonthlyThreshold, 0), share, d.baselineName()))
		}
		if hasEven(rd.Horizon) {
			even = append(even, fmt.Sprintf("%s over the horizon (%s of its %s)", report.Money(d.Currency, rd.HorizonThreshold, 0), share, d.Basis))
		}
		if len(even) > 0 {
			p.Even = "About even: the costs differ by less than " + strings.Join(even, " and ") + "."
		}
		d.Stories = append(d.Stories, p)
	}
}

func hasEven(rd []tco.Reading) bool {
	return slices.ContainsFunc(rd, func(x tco.Reading) bool { return x.Winner == tco.AboutEven })
}

// story tells a break-even reading in a sentence: "In-house today is
// cheaper up to 7,643 contacts a month; about even from 7,643 to 9,342;
// Chatbot is cheaper above 9,342". Volumes are whole units unless two
// bounds would then read the same.
func (d *Dashboard) story(rd []tco.Reading) string { return d.storyOf(rd, "cheaper") }

// storyOf is story with the winner's word: "cheaper" against the
// baseline, "cheapest" among every option.
func (d *Dashboard) storyOf(rd []tco.Reading, word string) string {
	unit := " " + d.Unit + " a month"
	who := func(id string) string {
		switch id {
		case tco.WinnerTie:
			return "both cost the same"
		case tco.AboutEven:
			return "about even"
		}
		for _, r := range d.Rows {
			if r.ID == id {
				return sentenceName(r.Name) + " is " + word
			}
		}
		return id
	}
	places := int32(0)
	for _, x := range rd {
		if report.Number(x.From, 0) == report.Number(x.To, 0) {
			places = 2
		}
	}
	num := func(v float64) string { return report.Number(v, places) }
	if len(rd) == 0 {
		return "not computed"
	}
	if len(rd) == 1 {
		return fmt.Sprintf("%s over the whole range, %s to %s%s", who(rd[0].Winner), num(rd[0].From), num(rd[0].To), unit)
	}
	parts := make([]string, len(rd))
	for i, x := range rd {
		switch {
		case i == 0:
			parts[i] = fmt.Sprintf("%s up to %s%s", who(x.Winner), num(x.To), unit)
		case i == len(rd)-1:
			parts[i] = fmt.Sprintf("%s above %s", who(x.Winner), num(x.From))
		default:
			parts[i] = fmt.Sprintf("%s from %s to %s", who(x.Winner), num(x.From), num(x.To))
		}
	}
	s := strings.Join(parts, "; ")
	return strings.ToUpper(s[:1]) + s[1:]
}
