package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/tco"
)

// margin writes the margin of the decision (spec section 10): who ranks
// first, and for each ranked option after it what separates the two and
// the price weight at which it would overtake the first, in a leader's
// words: "Vendor B is EUR 216,027.73 cheaper on PV but scores 7.0 points
// lower on quality (1.5 points behind overall); Vendor B would overtake
// Vendor A if price weighed more than 50.7% instead of 40%."
func (r *textReport) margin() {
	ranked := []*tco.OptionResult{}
	for _, o := range r.ordered() {
		if o.Rank != nil {
			ranked = append(ranked, o)
		}
	}
	if len(ranked) == 0 {
		return
	}
	first := ranked[0]
	r.printf("\nMargin of the decision\n")
	head := fmt.Sprintf("%s ranks first", first.Name)
	if first.Score != nil {
		head += " with a combined score of " + score(first.Score)
	}
	if cheapest := r.cheapest(ranked); cheapest != first {
		head += fmt.Sprintf("; it is not the cheapest: %s costs least on %s", cheapest.Name, r.basisWord())
	}
	r.printf("  %s.\n", head)
	for _, o := range ranked[1:] {
		if o.VersusFirst != nil {
			r.printf("  %s\n", r.versus(first, o))
		}
	}
}

// basisWord is the price basis as a reader says it: PV or TCO.
func (r *textReport) basisWord() string { return strings.ToUpper(r.basis()) }

// cheapest returns the ranked option with the lowest total on the price
// basis (the first of equals in rank order).
func (r *textReport) cheapest(ranked []*tco.OptionResult) *tco.OptionResult {
	total := func(o *tco.OptionResult) decimal.Decimal {
		if r.basis() == tco.PriceBasisTCO {
			return o.TCO.Value
		}
		return o.PV.Value
	}
	best := ranked[0]
	for _, o := range ranked[1:] {
		if total(o).LessThan(total(best)) {
			best = o
		}
	}
	return best
}

// versus is the sentence of one option against the first.
func (r *textReport) versus(first, o *tco.OptionResult) string {
	v := o.VersusFirst
	gap := v.PriceGap
	var price string
	switch s := gap.Value.Sign(); {
	case s < 0:
		price = fmt.Sprintf("is %s cheaper on %s", money(r.c.Currency, tco.Money{Value: gap.Value.Neg(), Places: gap.Places}), r.basisWord())
	case s > 0:
		price = fmt.Sprintf("costs %s more on %s", money(r.c.Currency, gap), r.basisWord())
	default:
		price = "costs the same on " + r.basisWord()
	}
	out := o.Name + " " + price
	if first.Quality != nil && o.Quality != nil {
		dq := *o.Quality - *first.Quality
		var q string
		switch {
		case oneDecimal(dq) == "0.0", oneDecimal(dq) == "-0.0":
			q = "scores the same on quality"
		case dq < 0:
			q = fmt.Sprintf("scores %s points lower on quality", oneDecimal(-dq))
		default:
			q = fmt.Sprintf("scores %s points higher on quality", oneDecimal(dq))
		}
		// "but" when price and quality pull opposite ways
		conj := "and"
		if (gap.Value.Sign() < 0 && dq < 0) || (gap.Value.Sign() > 0 && dq > 0) {
			conj = "but"
		}
		out += " " + conj + " " + q
	}
	if v.ScoreGap != nil {
		out += fmt.Sprintf(" (%s points behind overall)", oneDecimal(*v.ScoreGap))
	}
	out += "; "
	switch {
	case v.WeightFlip != nil:
		w := *v.WeightFlip
		side := "more"
		today := ""
		if r.d != nil {
			w0, _ := r.d.Price.Weight.Float64()
			if w < w0 {
				side = "less"
			}
			today = " instead of " + r.d.Price.Weight.Mul(decimal.NewFromInt(100)).String() + "%"
		}
		out += fmt.Sprintf("it would overtake %s if price weighed %s than %s%%%s.", first.Name, side, oneDecimal(w*100), today)
	case first.Quality != nil && o.Quality != nil && first.PriceScore != nil && o.PriceScore != nil:
		out += fmt.Sprintf("no price weight from 0%% to 100%% would put %s ahead of %s.", o.Name, first.Name)
	default:
		out += "the price weight does not change their order."
	}
	return out
}

// cash writes each option's cash by fiscal year, one-time costs apart from
// the run rate: what a budget holder asks first.
func (r *textReport) cash() {
	title := fmt.Sprintf("\nCash by fiscal year (%s", r.c.Currency)
	if r.d != nil {
		title += "; fiscal years begin in " + time.Month(r.d.FiscalStart()).String()
	}
	r.printf("%s; one-time: one_time lines, setup and exit fees, lines that end before the last month)\n", title)
	t := newTable([]string{"OPTION", "YEAR", "MONTHS", "ONE-TIME", "RUN RATE", "TOTAL"},
		[]bool{false, false, false, true, true, true})
	rows := 0
	for _, o := range r.ordered() {
		for k, y := range o.CashByFiscalYear {
			name := ""
			if k == 0 {
				name = r.label(o)
			}
			t.add(name, y.Label, y.From+" to "+y.To, amount(y.OneTime), amount(y.RunRate), amount(y.Total))
			rows++
		}
	}
	if rows == 0 {
		return
	}
	t.write(&r.buf, "  ")
}

// view writes one break-even view as told for reading (alternations below
// materiality about even) and, when that differs, the exact intervals
// after it; without a reading, the exact intervals.
func (r *textReport) view(name string, exact []tco.Interval, rd []tco.Reading, threshold tco.Money, of string) {
	if rd == nil {
		r.printf("    %s view: %s\n", name, r.intervals(exact))
		return
	}
	iv := make([]tco.Interval, len(rd))
	even := false
	for k, s := range rd {
		iv[k] = tco.Interval{From: s.From, To: s.To, Winner: s.Winner}
		even = even || s.Winner == tco.AboutEven
	}
	r.printf("    %s view: %s\n", name, r.intervals(iv))
	if !even {
		return
	}
	share := ""
	if r.d != nil {
		share = fmt.Sprintf(", %s%% of %s's %s", r.d.MaterialityShare().Mul(decimal.NewFromInt(100)).String(), r.winner(r.c.Baseline), of)
	}
	r.printf("      (about even: the costs differ by less than %s%s; exact: %s)\n",
		money(r.c.Currency, threshold), share, strings.TrimSuffix(r.intervals(exact), "."))
}

// steadyMonth names the base of the monthly view's materiality: the
// baseline's steady month at volume.monthly.
func (r *textReport) steadyMonth() string {
	if r.d == nil {
		return "steady month"
	}
	return fmt.Sprintf("steady month at a demand of %s", volume(r.d.Volume.Monthly.InexactFloat64()))
}
