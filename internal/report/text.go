package report

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/report/words"
	"vendorcompare/internal/tco"
)

// Text writes a comparison as a plain-text report for the terminal: the
// ranking with scores, the costs with savings and payback, warnings, why
// options are not ranked, and for each option its break-even intervals and
// sensitivity tipping points in words.
//
// d is the document that was compared; it gives the evaluation's name, the
// price basis and the criteria behind knock-outs. It may be nil, in which
// case those details are left out and savings are read on the PV basis.
func Text(w io.Writer, d *tco.Document, c *tco.Comparison) error {
	r := textReport{d: d, c: c, names: make(map[string]string, len(c.Options))}
	for _, o := range c.Options {
		r.names[o.ID] = o.Name
	}
	r.header()
	r.ranking()
	r.margin()
	r.costs()
	r.staffing()
	r.cash()
	r.notices()
	r.risk()
	for i := range c.Options {
		r.analysis(&c.Options[i])
	}
	if _, err := w.Write(r.buf.Bytes()); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// textReport accumulates the report in memory so that it is written once.
type textReport struct {
	d     *tco.Document
	c     *tco.Comparison
	names map[string]string // option id → name
	buf   bytes.Buffer
}

func (r *textReport) printf(format string, args ...any) { fmt.Fprintf(&r.buf, format, args...) }

// basis is the price basis the savings of the sensitivity are counted on.
func (r *textReport) basis() string {
	if r.d != nil && r.d.Price.Basis == tco.PriceBasisTCO {
		return tco.PriceBasisTCO
	}
	return tco.PriceBasisPV
}

// label names an option for tables: "Vendor A (vendor-a)", with the baseline
// marked.
func (r *textReport) label(o *tco.OptionResult) string {
	if o.ID == r.c.Baseline {
		return fmt.Sprintf("%s (%s, baseline)", o.Name, o.ID)
	}
	return fmt.Sprintf("%s (%s)", o.Name, o.ID)
}

// winner names the winner of a break-even interval.
func (r *textReport) winner(id string) string {
	if n, ok := r.names[id]; ok {
		return n
	}
	return id
}

func (r *textReport) header() {
	if r.d != nil && r.d.Name != "" {
		r.printf("%s\n", r.d.Name)
	}
	var span string
	switch n := len(r.c.Months); n {
	case 0:
		span = "no months"
	case 1:
		span = "1 month, " + r.c.Months[0]
	default:
		span = fmt.Sprintf("%d months, %s to %s", n, r.c.Months[0], r.c.Months[n-1])
	}
	r.printf("Currency %s; %s; baseline %s; demand in %s.\n",
		r.c.Currency, span, r.winner(r.c.Baseline), words.Plural(r.unit()))
}

// unit is the unit of demand, singular.
func (r *textReport) unit() string {
	if r.c.Unit != "" {
		return r.c.Unit
	}
	if r.d != nil {
		return r.d.Volume.Unit
	}
	return ""
}

// ordered returns the options ranked first, by rank, then the others in
// document order.
func (r *textReport) ordered() []*tco.OptionResult {
	out := make([]*tco.OptionResult, 0, len(r.c.Options))
	for i := range r.c.Options {
		out = append(out, &r.c.Options[i])
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Rank, out[j].Rank
		switch {
		case a != nil && b != nil:
			return *a < *b
		default:
			return a != nil && b == nil
		}
	})
	return out
}

func (r *textReport) ranking() {
	r.printf("\nRanking\n")
	t := newTable([]string{"RANK", "OPTION", "STATUS", "SCORE", "QUALITY", "PRICE SCORE"},
		[]bool{true, false, false, true, true, true})
	for _, o := range r.ordered() {
		rank := none
		if o.Rank != nil {
			rank = fmt.Sprint(*o.Rank)
		}
		t.add(rank, r.label(o), strings.ReplaceAll(o.Status, "_", " "), score(o.Score), score(o.Quality), score(o.PriceScore))
	}
	t.write(&r.buf, "  ")
}

func (r *textReport) costs() {
	r.printf("\nCosts (%s)\n", r.c.Currency)
	perUnit := "COST PER " + strings.ToUpper(r.unit())
	if r.unit() == "" {
		perUnit = "COST PER UNIT"
	}
	t := newTable([]string{"OPTION", "TCO", "PV", perUnit, "SAVINGS TCO", "%", "SAVINGS PV", "%", "PAYBACK", "DISCOUNTED PAYBACK"},
		[]bool{false, true, true, true, true, true, true, true, false, false})
	for _, o := range r.ordered() {
		cpu := none
		if o.CostPerUnit != nil {
			cpu = amount(*o.CostPerUnit)
		}
		t.add(r.label(o), amount(o.TCO), amount(o.PV), cpu,
			amount(o.Savings.TCO), percent(o.Savings.TCOPct),
			amount(o.Savings.PV), percent(o.Savings.PVPct),
			month(o.Payback.TCO), month(o.Payback.PV))
	}
	t.write(&r.buf, "  ")
}

// notices lists the warnings and why options are not ranked.
func (r *textReport) notices() {
	if len(r.c.Warnings) > 0 {
		r.printf("\nWarnings\n")
		for _, w := range r.c.Warnings {
			r.printf("  - %s\n", w)
		}
	}
	var reasons []string
	for _, o := range r.ordered() {
		if len(o.KnockedOutBy) > 0 {
			parts := make([]string, len(o.KnockedOutBy))
			for i, k := range o.KnockedOutBy {
				parts[i] = r.below(o.ID, k)
			}
			reasons = append(reasons, fmt.Sprintf("%s is knocked out: %s.", o.Name, strings.Join(parts, "; ")))
		}
		if len(o.Missing) > 0 {
			parts := make([]string, len(o.Missing))
			for i, k := range o.Missing {
				parts[i] = r.criterion(k)
			}
			reasons = append(reasons, fmt.Sprintf("%s is incomplete: no score for %s.", o.Name, strings.Join(parts, ", ")))
		}
	}
	if len(reasons) > 0 {
		r.printf("\nNot ranked\n")
		for _, s := range reasons {
			r.printf("  - %s\n", s)
		}
	}
}

// risk writes the Monte Carlo of spec §9: each option's savings
// percentiles and how often it saves money and ranks first, each share with
// its sampling error, in a table and in words, and that the drivers are
// independent.
func (r *textReport) risk() {
	if r.c.RiskRuns == 0 {
		return
	}
	n := r.c.RiskRuns
	r.printf("\nHow sure: %s simulated futures (seed %d), savings on %s (%s)\n", words.Int(int64(n)), r.c.RiskSeed, strings.ToUpper(r.basis()), r.c.Currency)
	t := newTable([]string{"OPTION", "P10", "P50", "P90", "MEAN", "SAVES MONEY", "RANKS FIRST"},
		[]bool{false, true, true, true, true, true, true})
	var sentences []string
	for _, o := range r.ordered() {
		k := o.Risk
		if k == nil {
			continue
		}
		t.add(r.label(o), amount(k.Savings.P10), amount(k.Savings.P50), amount(k.Savings.P90), amount(k.Savings.Mean),
			Share(k.PSaves, n), Share(k.PFirst, n))
		if o.ID != r.c.Baseline {
			sentences = append(sentences, HowSure(o.Name, k.PSaves, k.PFirst, n))
		}
	}
	t.write(&r.buf, "  ")
	for _, s := range sentences {
		r.printf("  %s\n", s)
	}
	r.printf("  %s\n", RiskNote(n))
}

// SamplingError is how far, at 90% confidence, the long-run share may lie
// from a share p seen in n simulated futures: the farther end of the Wilson
// score interval from p, which stays honest at 0 and 1 (about ±1.8 points
// at p = 0.5 and 2,000 runs, ±2.6 at 100% of 100 runs).
func SamplingError(p float64, n int) float64 {
	if n <= 0 {
		return 0
	}
	const z = 1.6448536269514722 // the normal distribution's 95th percentile
	fn := float64(n)
	center := (p + z*z/(2*fn)) / (1 + z*z/fn)
	half := z / (1 + z*z/fn) * math.Sqrt(p*(1-p)/fn+z*z/(4*fn*fn))
	return math.Max(p-(center-half), center+half-p)
}

// Share writes a share of simulated futures with its sampling error:
// "91% ±1.1".
func Share(p float64, n int) string {
	return fmt.Sprintf("%s%% ±%s", wholeOrOne(p*100), oneDecimal(SamplingError(p, n)*100))
}

// SharePct writes a share of simulated futures as HowSure does: "64%",
// "99.6%" near the ends.
func SharePct(p float64) string { return wholeOrOne(p*100) + "%" }

// wholeOrOne writes a percentage to a whole number, or to one decimal
// below 1% and above 99% (where "0%" and "100%" would overstate).
func wholeOrOne(pct float64) string {
	if (pct > 0 && pct < 1) || (pct > 99 && pct < 100) {
		return oneDecimal(pct)
	}
	return decimal.NewFromFloat(pct).Round(0).String()
}

// HowSure puts an option's risk in words: "Vendor A saves money in 91% of
// 2,000 simulated futures and comes out first in 64%."
func HowSure(name string, pSaves, pFirst float64, n int) string {
	return fmt.Sprintf("%s saves money in %s%% of %s simulated futures and comes out first in %s%%.",
		name, wholeOrOne(pSaves*100), words.Int(int64(n)), wholeOrOne(pFirst*100))
}

// RiskNote says how precise the shares are and what the simulation
// assumes.
func RiskNote(n int) string {
	return fmt.Sprintf("Each share is within ± its sampling error of the long-run share at 90%% confidence (±%s points at most with %s runs). "+
		"The drivers are drawn independently of one another: a future where volume and wages rise together is no likelier than their chances multiplied.",
		oneDecimal(SamplingError(0.5, n)*100), words.Int(int64(n)))
}

// criterion names a criterion by its key: "CSAT (csat)".
func (r *textReport) criterion(key string) string {
	if r.d != nil {
		for _, c := range r.d.Criteria {
			if c.Key == key && c.Name != "" && c.Name != key {
				return fmt.Sprintf("%s (%s)", c.Name, key)
			}
		}
	}
	return key
}

// below explains a knock-out: "CSAT (csat) scored 4 below the minimum 5".
func (r *textReport) below(optionID, key string) string {
	if r.d == nil {
		return r.criterion(key) + " below its minimum"
	}
	var got, min string
	if o := r.d.Option(optionID); o != nil {
		if s, ok := o.Scores[key]; ok {
			got = s.String()
		}
	}
	for _, c := range r.d.Criteria {
		if c.Key == key && c.Minimum != nil {
			min = c.Minimum.String()
		}
	}
	if got == "" || min == "" {
		return r.criterion(key) + " below its minimum"
	}
	return fmt.Sprintf("%s scored %s, below the minimum %s", r.criterion(key), got, min)
}

// analysis writes an option's break-even intervals and sensitivity; the
// baseline has neither.
func (r *textReport) analysis(o *tco.OptionResult) {
	if o.BreakEven == nil && len(o.Sensitivity) == 0 {
		return
	}
	r.printf("\n%s against %s\n", o.Name, r.winner(r.c.Baseline))
	if o.BreakEven != nil {
		r.printf("  Break-even volumes (%s/month):\n", words.Plural(r.unit()))
		be := o.BreakEven
		if rd := be.Reading; rd != nil {
			r.view("monthly", be.Monthly, rd.Monthly, rd.MonthlyThreshold, r.steadyMonth())
			r.view("horizon", be.Horizon, rd.Horizon, rd.HorizonThreshold, r.basisWord())
		} else {
			r.view("monthly", be.Monthly, nil, tco.Money{}, "")
			r.view("horizon", be.Horizon, nil, tco.Money{}, "")
		}
	}
	if len(o.Sensitivity) > 0 {
		r.sensitivity(o)
	}
}

// intervals puts winner intervals in words: "In-house wins from 0 to 1,000
// contacts/month; Vendor A wins from 1,000 to 3,750; …".
func (r *textReport) intervals(iv []tco.Interval) string {
	if len(iv) == 0 {
		return "no volumes to compare."
	}
	unit := " " + words.Plural(r.unit()) + "/month"
	if len(iv) == 1 {
		i := iv[0]
		if i.Winner == tco.WinnerTie {
			return fmt.Sprintf("both cost the same over the whole range, %s to %s%s.", volume(i.From), volume(i.To), unit)
		}
		if i.Winner == tco.AboutEven {
			return fmt.Sprintf("about even over the whole range, %s to %s%s.", volume(i.From), volume(i.To), unit)
		}
		return fmt.Sprintf("%s wins over the whole range, %s to %s%s.", r.winner(i.Winner), volume(i.From), volume(i.To), unit)
	}
	parts := make([]string, len(iv))
	for k, i := range iv {
		u := ""
		if k == 0 {
			u = unit
		}
		if i.Winner == tco.WinnerTie {
			parts[k] = fmt.Sprintf("both cost the same from %s to %s%s", volume(i.From), volume(i.To), u)
			continue
		}
		if i.Winner == tco.AboutEven {
			parts[k] = fmt.Sprintf("about even from %s to %s%s", volume(i.From), volume(i.To), u)
			continue
		}
		parts[k] = fmt.Sprintf("%s wins from %s to %s%s", r.winner(i.Winner), volume(i.From), volume(i.To), u)
	}
	return strings.Join(parts, "; ") + "."
}

// Driver is how a sensitivity driver reads: its label for a table, and its
// subject in a sentence with the verbs for a rise and a fall.
type Driver struct{ Label, Subject, Rise, Fall string }

// drivers are the words of each engine driver. The personnel driver scales
// the personnel lines of the baseline and of the option alike.
var drivers = map[string]Driver{
	tco.DriverVolume:       {"Volume", "volume", "rises", "falls"},
	tco.DriverVendorPrice:  {"Vendor prices", "its prices", "rise", "fall"},
	tco.DriverPersonnel:    {"Personnel costs", "personnel costs", "rise", "fall"},
	tco.DriverDiscountRate: {"Discount rate", "the discount rate", "rises", "falls"},
	tco.DriverFXRate:       {"Exchange rate", "the exchange rate", "rises", "falls"},
	tco.DriverAHT:          {"Handle time", "handle time", "rises", "falls"},
}

// DriverWords returns the words of a sensitivity driver (the driver's own
// name for one the engine adds later).
func DriverWords(driver string) Driver {
	if d, ok := drivers[driver]; ok {
		return d
	}
	return Driver{driver, driver, "rises", "falls"}
}

func (r *textReport) sensitivity(o *tco.OptionResult) {
	basis := r.basis()
	saving := o.Savings.PV
	if basis == tco.PriceBasisTCO {
		saving = o.Savings.TCO
	}
	r.printf("  Sensitivity of the savings on %s (%s), %s today:\n", strings.ToUpper(basis), r.c.Currency, amount(saving))
	t := newTable([]string{"DRIVER", "AT -20%", "AT +20%", "TIPPING POINT"}, []bool{false, true, true, true})
	var sentences []string
	for _, s := range o.Sensitivity {
		d := DriverWords(s.Driver)
		tp := none
		if s.TippingPoint != nil {
			tp = fmt.Sprintf("×%.3f", *s.TippingPoint)
		}
		t.add(strings.ToLower(d.Label), amount(s.Low), amount(s.High), tp)
		sentences = append(sentences, Tipping(o.Name, saving.Value.Sign(), s.TippingPoint, s.Driver))
	}
	t.write(&r.buf, "    ")
	for _, s := range sentences {
		r.printf("    %s\n", s)
	}
}

// Tipping puts a driver's tipping point in words: "Vendor A stops saving
// money if its prices rise 11.2%". sign is the sign of today's savings; tp
// the multiplier the engine found (nil: none in [0, 3]).
func Tipping(name string, sign int, tp *float64, driver string) string {
	return tipping(name, sign, tp, DriverWords(driver))
}

func tipping(name string, sign int, tp *float64, d Driver) string {
	subject, rise, fall := d.Subject, d.Rise, d.Fall
	if tp == nil {
		if sign > 0 {
			return fmt.Sprintf("%s keeps saving money with %s anywhere from 0 to 3 times today's.", name, subject)
		}
		return fmt.Sprintf("%s saves no money with %s anywhere from 0 to 3 times today's.", name, subject)
	}
	change := *tp - 1
	if sign == 0 || change == 0 {
		return fmt.Sprintf("%s breaks even as quoted: any change in %s tips the balance.", name, subject)
	}
	verb := rise
	if change < 0 {
		verb = fall
	}
	outcome := "stops saving money"
	if sign < 0 {
		outcome = "starts saving money"
	}
	return fmt.Sprintf("%s %s if %s %s %s%%.", name, outcome, subject, verb, oneDecimal(math.Abs(change)*100))
}

// table is a set of aligned columns, some of them right-aligned (numbers).
type table struct {
	head  []string
	right []bool
	rows  [][]string
}

func newTable(head []string, right []bool) *table { return &table{head: head, right: right} }

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

// write aligns the columns with text/tabwriter. A right-aligned column is
// padded on the left to its widest cell first, since tabwriter aligns every
// column of a writer the same way.
func (t *table) write(w io.Writer, indent string) {
	all := append([][]string{t.head}, t.rows...)
	widths := make([]int, len(t.head))
	for _, row := range all {
		for i, c := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, row := range all {
		cells := make([]string, len(row))
		for i, c := range row {
			if t.right[i] {
				c = strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c)) + c
			}
			cells[i] = c
		}
		fmt.Fprintln(tw, indent+strings.Join(cells, "\t"))
	}
	tw.Flush() // writes to a bytes.Buffer, which does not fail
}

// staffing lists the heads each capacity needs (spec §8) when any option
// staffs to a service level: by source, method, the first month's heads
// and the peak. Documents without a service level read as before.
func (r *textReport) staffing() {
	any := false
	for _, o := range r.c.Options {
		for _, s := range o.Staffing {
			any = any || s.Method == tco.MethodServiceLevel
		}
	}
	if !any {
		return
	}
	r.printf("\nStaffing (heads a month, before minimum units)\n")
	t := newTable([]string{"OPTION", "CAPACITY", "METHOD", "MONTH 1", "PEAK", "PEAK MONTH"}, []bool{false, false, false, true, true, false})
	for _, o := range r.ordered() {
		for _, s := range o.Staffing {
			if len(s.Heads) == 0 {
				continue
			}
			peak, at := s.Heads[0], 0
			for i, h := range s.Heads {
				if h > peak {
					peak, at = h, i
				}
			}
			method := "workload"
			if s.Method == tco.MethodServiceLevel {
				method = "service level"
			}
			label := ""
			if at < len(r.c.Months) {
				label = words.Month(r.c.Months[at])
			}
			t.add(o.Name, r.source(o, s.Source), method, strconv.FormatInt(s.Heads[0], 10), strconv.FormatInt(peak, 10), label)
		}
	}
	t.write(&r.buf, "  ")
}

// source names a capacity's source by its line's name ("Agents") or
// "per-FTE pricing".
func (r *textReport) source(o *tco.OptionResult, src string) string {
	if src == "pricing" {
		return "per-FTE pricing"
	}
	if r.d != nil {
		if opt := r.d.Option(o.ID); opt != nil {
			var k int
			if _, err := fmt.Sscanf(src, "lines[%d]", &k); err == nil && k >= 0 && k < len(opt.Lines) {
				return opt.Lines[k].Name
			}
		}
	}
	return src
}
