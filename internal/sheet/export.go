package sheet

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"vendorcompare/internal/report/words"
	"vendorcompare/internal/tco"
)

// The finance workbook's layout.
const (
	sheetSummary = "Summary"
	sheetAbout   = "About"
	// Summary: the settings the option sheets' formulas read.
	summaryRateRow  = 4 // B4: annual discount rate
	summaryShiftRow = 5 // B5: timing shift in months
	summaryHeader   = 8 // ranking header; options follow
	// Option sheets.
	optCategoryRow = 3 // each line column's category, for SUMIF
	optHeaderRow   = 4
	optFirstRow    = 5 // month 0
	optFirstLine   = 3 // column C: the first cost line
)

// Summary columns (1-based).
const (
	sumRank = iota + 1
	sumOption
	sumStatus
	sumTCO
	sumPV
	sumSavTCO
	sumSavTCOPct
	sumSavPV
	sumSavPVPct
	sumPaybackTCO
	sumPaybackPV
	sumQuality
	sumPrice
	sumScore
	sumSheet
	sumScoreGap // spec section 10, after the older columns so their places stay
	sumPriceGap
	sumFlip
)

var summaryHeaders = []string{"Rank", "Option", "Status", "TCO", "PV", "Savings (TCO)", "Savings % (TCO)",
	"Savings (PV)", "Savings % (PV)", "Payback month (nominal)", "Payback month (discounted)",
	"Quality", "Price score", "Combined score", "Monthly table",
	"Score gap to the first", "Price gap to the first (price basis)", "Weight flip: price weight at which it overtakes the first"}

// optionSheet is where one option's table lies, for the formulas that
// refer to it.
type optionSheet struct {
	name               string
	res                *tco.OptionResult
	lines              int // cost-line columns
	total, df, disc    int // columns
	last, totals, pvAt int // rows: month H, the totals row, the PV row
	catFirst           int // first row of the category subtotals
}

// ref returns a quoted absolute reference to a cell of the sheet.
func (o *optionSheet) ref(col, row int) string {
	c, _ := excelize.ColumnNumberToName(col)
	return fmt.Sprintf("'%s'!$%s$%d", strings.ReplaceAll(o.name, "'", "''"), c, row)
}

// col returns a column's letters.
func col(c int) string {
	s, _ := excelize.ColumnNumberToName(c)
	return s
}

// exportStyles are the finance workbook's cell styles.
type exportStyles struct {
	title, header, note, money, moneyBold, df, pct, score, bold int
}

func (w *xw) exportStyles(places int32) exportStyles {
	money := "#,##0"
	if places > 0 {
		money += "." + strings.Repeat("0", int(places))
	}
	dfFmt, pctFmt, scoreFmt := "0.0000000000", "0.00%", "0.00"
	return exportStyles{
		title:     w.newStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}),
		header:    w.newStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9D9D9"}}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}),
		note:      w.newStyle(&excelize.Style{Font: &excelize.Font{Italic: true, Color: "555555"}}),
		money:     w.newStyle(&excelize.Style{CustomNumFmt: &money}),
		moneyBold: w.newStyle(&excelize.Style{CustomNumFmt: &money, Font: &excelize.Font{Bold: true}}),
		df:        w.newStyle(&excelize.Style{CustomNumFmt: &dfFmt}),
		pct:       w.newStyle(&excelize.Style{CustomNumFmt: &pctFmt}),
		score:     w.newStyle(&excelize.Style{CustomNumFmt: &scoreFmt}),
		bold:      w.newStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}),
	}
}

// About is what the finance workbook says about itself on its About sheet
// and in its properties: when and by whom it was exported, the stored
// evaluation (id and version) and each option's quote round.
type About struct {
	ExportedAt   time.Time
	By           string            // who exported it (an e-mail address)
	EvaluationID int64             // 0 outside a store
	Version      int64             // the evaluation's version
	Rounds       map[string]string // option id → its quote round in words
	// Decision is the evaluation's decision in force, in words; nil
	// outside a store. Finance files the workbook with what was decided.
	Decision *DecisionNote
}

// DecisionNote is a recorded decision as the About sheet states it.
type DecisionNote struct {
	Status    string // "Awarded to Vendor A", or "No decision yet" (then the rest is empty)
	By, At    string // who recorded it and when, as the pages say it
	Rationale string
	Earlier   int // how many earlier decisions it supersedes
}

// App names the application in workbook properties.
const App = "vendorcompare"

// ExportXLSX writes comparison c of evaluation d as a workbook finance can
// audit: a Summary sheet with the ranking, one sheet per option with its
// monthly table (months 0..H down, each cost line across, as the rounded
// amounts the engine costed), and an About sheet (a). Every total is a live
// formula over those cells: the per-month Total (SUM), the discount factor
// (1+r)^-(t/12) read from the Summary's rate and timing cells, the
// discounted cost, the column totals (SUM), PV (ROUND of SUMPRODUCT to the
// currency's minor unit), the category subtotals (SUMIF), and on the
// Summary TCO, PV and savings referring to the option sheets. When options
// use capacities, a Staffing sheet gives their heads by month as values
// (Erlang C is not a spreadsheet formula) with a note saying how they were
// computed. Each formula
// carries the application's own figure as its cached value, so readers that
// do not recalculate see it; recalculated, the workbook gives the same
// figures to the cent. Text cells are neutralised. Every sheet prints
// landscape, one page wide, its header repeated.
func ExportXLSX(d *tco.Document, c *tco.Comparison, a About) ([]byte, error) {
	if d == nil || c == nil {
		return nil, fmt.Errorf("export xlsx: a document and its comparison are required")
	}
	f := excelize.NewFile()
	defer f.Close()
	w := &xw{f: f}
	w.keep(f.SetSheetName("Sheet1", sheetSummary))
	st := w.exportStyles(c.Places)

	used := map[string]bool{strings.ToLower(sheetSummary): true, strings.ToLower(sheetAbout): true, strings.ToLower(sheetCash): true}
	if c.RiskRuns > 0 {
		used[strings.ToLower(sheetRisk)] = true
	}
	heads := hasHeads(c)
	if heads {
		used[strings.ToLower(sheetHeads)] = true
	}
	sheets := make([]*optionSheet, len(c.Options))
	for i := range c.Options {
		o := &optionSheet{name: sheetName(c.Options[i].ID, used), res: &c.Options[i]}
		_, err := f.NewSheet(o.name)
		w.keep(err)
		sheets[i] = o
	}
	if heads {
		_, err := f.NewSheet(sheetHeads)
		w.keep(err)
	}
	_, err := f.NewSheet(sheetCash)
	w.keep(err)
	if c.RiskRuns > 0 {
		_, err := f.NewSheet(sheetRisk)
		w.keep(err)
	}
	_, err = f.NewSheet(sheetAbout)
	w.keep(err)
	writeSummary(w, st, d, c, sheets)
	for _, o := range sheets {
		writeOptionSheet(w, st, d, c, o)
	}
	if heads {
		writeHeads(w, st, d, c)
	}
	writeCash(w, st, d, c, sheets)
	if c.RiskRuns > 0 {
		writeRisk(w, st, d, c)
	}
	writeAbout(w, st, d, c, a)
	writeProps(w, d, a)
	w.recalcOnLoad()
	f.SetActiveSheet(0)
	if w.err != nil {
		return nil, fmt.Errorf("export xlsx: %w", w.err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("export xlsx: write: %w", err)
	}
	return buf.Bytes(), nil
}

// writeProps names the application, the evaluation and the export's time
// in the workbook's properties (excelize's own defaults say "xuri", 2006).
func writeProps(w *xw, d *tco.Document, a About) {
	at := a.ExportedAt.UTC().Format(time.RFC3339)
	by := a.By
	if by == "" {
		by = App
	}
	w.keep(w.f.SetDocProps(&excelize.DocProperties{
		Creator: App, LastModifiedBy: by, Created: at, Modified: at,
		Title: Neutralise(d.Name), Subject: "Comparison of " + Neutralise(d.Name),
		Description: "Exported by " + App + " on " + a.ExportedAt.UTC().Format("2006-01-02") + "; see the About sheet.",
		Category:    "vendor comparison",
	}))
	w.keep(w.f.SetAppProps(&excelize.AppProperties{Application: App, Company: ""}))
}

// sheetName makes a unique, valid sheet name of an option id: at most 31
// characters, none of : \ / ? * [ ], not starting or ending with '.
func sheetName(id string, used map[string]bool) string {
	s := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]'`, r) || r < 0x20 {
			return '_'
		}
		return r
	}, id)
	if r := []rune(s); len(r) > 28 {
		s = string(r[:28])
	}
	if s == "" {
		s = "option"
	}
	base := s
	for n := 2; used[strings.ToLower(s)]; n++ {
		s = base + "~" + strconv.Itoa(n)
	}
	used[strings.ToLower(s)] = true
	return s
}

// float converts an exact amount for a cell; amounts of at most 15
// significant digits (every rounded amount below 1e13 with cents) convert
// exactly to the decimal they print as.
func float(x decimal.Decimal) float64 { return x.InexactFloat64() }

// timingShift is the months a month's cash flow is discounted less than
// its number: end 0, mid 0.5, begin 1.
func timingShift(d *tco.Document) float64 {
	switch d.Timing {
	case tco.TimingMid:
		return 0.5
	case tco.TimingBegin:
		return 1
	}
	return 0
}

// timingWords says when in a month its cost is discounted.
func timingWords(d *tco.Document) string {
	switch d.Timing {
	case tco.TimingMid:
		return "middle"
	case tco.TimingBegin:
		return "beginning"
	}
	return "end"
}

// layout fixes where an option sheet's table lies, for its own formulas and
// the Summary's references to it.
func (o *optionSheet) layout(h int) {
	o.lines = len(o.res.Lines)
	o.total = optFirstLine + o.lines
	o.df, o.disc = o.total+1, o.total+2
	o.last = optFirstRow + h
	o.totals = o.last + 1
	o.pvAt = o.totals + 1
	o.catFirst = o.pvAt + 3
}

// writeOptionSheet writes one option's monthly table and its formulas,
// each with the application's value cached.
func writeOptionSheet(w *xw, st exportStyles, d *tco.Document, c *tco.Comparison, o *optionSheet) {
	s, r := o.name, o.res
	h := len(c.Months)
	g := newGrid()

	g.str(1, 1, r.Name)
	g.style(1, 1, 1, 1, st.title)
	g.str(1, 2, fmt.Sprintf("Amounts in %s, each rounded as the application rounds it; totals, discounting, PV and subtotals are formulas.", c.Currency))
	g.style(1, 2, 1, 2, st.note)
	g.str(2, optCategoryRow, "Category")
	g.str(1, optHeaderRow, "Month")
	g.str(2, optHeaderRow, "Label")
	for j, l := range r.Lines {
		g.str(optFirstLine+j, optCategoryRow, l.Category)
		g.str(optFirstLine+j, optHeaderRow, l.Name)
	}
	g.str(o.total, optHeaderRow, "Total")
	g.str(o.df, optHeaderRow, "Discount factor")
	g.str(o.disc, optHeaderRow, "Discounted cost")

	lastLine := col(o.total - 1)
	rate := fmt.Sprintf("%s!$B$%d", sheetSummary, summaryRateRow)
	shift := fmt.Sprintf("%s!$B$%d", sheetSummary, summaryShiftRow)
	rf, sh := float(d.DiscountRate), timingShift(d)
	discSum := 0.0
	for m := 0; m <= h; m++ {
		row := optFirstRow + m
		g.num(1, row, m)
		label := "signing"
		if m > 0 {
			label = c.Months[m-1]
		}
		g.str(2, row, label)
		for j, l := range r.Lines {
			g.num(optFirstLine+j, row, float(l.Monthly[m]))
		}
		total := float(r.Monthly[m].Total.Value)
		if o.lines > 0 {
			g.formula(o.total, row, fmt.Sprintf("SUM(C%d:%s%d)", row, lastLine, row), total)
		} else {
			g.formula(o.total, row, "0", 0)
		}
		// month 0 is not discounted, whatever the timing
		df := 1.0
		if m > 0 {
			df = math.Pow(1+rf, -(float64(m)-sh)/12)
		}
		g.formula(o.df, row, fmt.Sprintf("IF(A%d=0,1,(1+%s)^(-(A%d-%s)/12))", row, rate, row, shift), df)
		g.formula(o.disc, row, fmt.Sprintf("%s%d*%s%d", col(o.total), row, col(o.df), row), total*df)
		discSum += total * df
	}
	g.str(2, o.totals, "Total")
	for j, l := range r.Lines {
		cc := optFirstLine + j
		g.formula(cc, o.totals, fmt.Sprintf("SUM(%s%d:%s%d)", col(cc), optFirstRow, col(cc), o.last), float(l.Total))
	}
	g.formula(o.total, o.totals, fmt.Sprintf("SUM(%s%d:%s%d)", col(o.total), optFirstRow, col(o.total), o.last), float(r.TCO.Value))
	g.formula(o.disc, o.totals, fmt.Sprintf("SUM(%s%d:%s%d)", col(o.disc), optFirstRow, col(o.disc), o.last), discSum)
	g.str(2, o.pvAt, "PV")
	g.formula(o.total, o.pvAt, fmt.Sprintf("ROUND(SUMPRODUCT(%s%d:%s%d,%s%d:%s%d),%d)",
		col(o.total), optFirstRow, col(o.total), o.last, col(o.df), optFirstRow, col(o.df), o.last, c.Places), float(r.PV.Value))
	g.style(optFirstLine, optFirstRow, o.total, o.pvAt, st.money)
	g.style(o.disc, optFirstRow, o.disc, o.totals, st.money)
	g.style(o.df, optFirstRow, o.df, o.last, st.df)
	g.style(2, o.totals, o.disc, o.pvAt, st.moneyBold)
	g.style(1, optHeaderRow, o.disc, optHeaderRow, st.header)

	g.str(2, o.catFirst-1, "Category subtotals")
	g.style(2, o.catFirst-1, 3, o.catFirst-1, st.header)
	for k, cat := range tco.Categories {
		row := o.catFirst + k
		g.str(2, row, cat)
		v := float(r.ByCategory[cat].Value)
		if o.lines > 0 {
			g.formula(3, row, fmt.Sprintf("SUMIF($C$%d:$%s$%d,B%d,$C$%d:$%s$%d)",
				optCategoryRow, lastLine, optCategoryRow, row, o.totals, lastLine, o.totals), v)
		} else {
			g.formula(3, row, "0", 0)
		}
	}
	end := o.catFirst + len(tco.Categories)
	g.str(2, end, "All categories")
	g.formula(3, end, fmt.Sprintf("SUM(C%d:C%d)", o.catFirst, end-1), float(r.TCO.Value))
	g.style(3, o.catFirst, 3, end, st.money)

	g.width(1, 1, 8)
	g.fit(2, 14, 40)
	g.width(optFirstLine, o.disc, 16)
	g.wrapRow(optHeaderRow)
	w.printSetup(s, optCategoryRow, optHeaderRow, 2)
	g.flush(w, s, &excelize.Panes{Freeze: true, XSplit: 2, YSplit: optHeaderRow, TopLeftCell: name(3, optFirstRow), ActivePane: "bottomRight",
		Selection: []excelize.Selection{{SQRef: name(3, optFirstRow), ActiveCell: name(3, optFirstRow), Pane: "bottomRight"}}})
}

// rankOrder returns the options' indices: ranked options by rank, then the
// others in document order.
func rankOrder(c *tco.Comparison) []int {
	var ranked, rest []int
	for i, o := range c.Options {
		if o.Rank != nil {
			ranked = append(ranked, i)
		} else {
			rest = append(rest, i)
		}
	}
	for a := 1; a < len(ranked); a++ { // insertion sort: a handful of options
		for b := a; b > 0 && *c.Options[ranked[b]].Rank < *c.Options[ranked[b-1]].Rank; b-- {
			ranked[b], ranked[b-1] = ranked[b-1], ranked[b]
		}
	}
	return append(ranked, rest...)
}

// writeSummary writes the settings and the ranking.
func writeSummary(w *xw, st exportStyles, d *tco.Document, c *tco.Comparison, sheets []*optionSheet) {
	s := sheetSummary
	h := len(c.Months)
	for _, o := range sheets {
		o.layout(h)
	}
	g := newGrid()
	g.str(1, 1, "Comparison: "+d.Name)
	g.style(1, 1, 1, 1, st.title)
	g.str(1, 2, "Currency")
	g.str(2, 2, c.Currency)
	g.str(1, 3, "Baseline")
	var base *tco.OptionResult
	for i, o := range c.Options {
		if o.ID == c.Baseline {
			g.str(2, 3, o.Name)
			base = &c.Options[i]
		}
	}
	g.str(1, summaryRateRow, "Discount rate (annual, effective)")
	g.num(2, summaryRateRow, float(d.DiscountRate))
	g.style(2, summaryRateRow, 2, summaryRateRow, st.pct)
	g.str(1, summaryShiftRow, "Timing shift (months)")
	g.num(2, summaryShiftRow, timingShift(d))
	g.str(3, summaryShiftRow, "end 0, mid 0.5, begin 1: month m is discounted over m minus this many months")
	g.str(1, 6, "TCO, PV and savings are formulas over each option's sheet; the scores and payback months are the application's.")
	g.style(1, 6, 1, 6, st.note)

	for i, hd := range summaryHeaders {
		g.str(i+1, summaryHeader, hd)
	}
	order := rankOrder(c)
	baseRow, firstRow := 0, 0
	for k, i := range order {
		if c.Options[i].ID == c.Baseline {
			baseRow = summaryHeader + 1 + k
		}
		if r := c.Options[i].Rank; r != nil && *r == 1 {
			firstRow = summaryHeader + 1 + k
		}
	}
	for k, i := range order {
		row := summaryHeader + 1 + k
		o, sh := &c.Options[i], sheets[i]
		if o.Rank != nil {
			g.num(sumRank, row, *o.Rank)
		}
		g.str(sumOption, row, o.Name)
		g.str(sumStatus, row, status(o))
		g.formula(sumTCO, row, sh.ref(sh.total, sh.totals), float(o.TCO.Value))
		g.formula(sumPV, row, sh.ref(sh.total, sh.pvAt), float(o.PV.Value))
		if baseRow > 0 && base != nil {
			sav := func(vc, sc, pc int, saving, baseValue decimal.Decimal, pct *float64) {
				g.formula(sc, row, fmt.Sprintf("$%s$%d-%s%d", col(vc), baseRow, col(vc), row), float(saving))
				var share any = ""
				if !baseValue.IsZero() {
					if pct != nil {
						share = *pct
					} else {
						share = float(saving) / float(baseValue)
					}
				}
				g.formula(pc, row, fmt.Sprintf(`IF($%s$%d=0,"",%s%d/$%s$%d)`, col(vc), baseRow, col(sc), row, col(vc), baseRow), share)
			}
			sav(sumTCO, sumSavTCO, sumSavTCOPct, o.Savings.TCO.Value, base.TCO.Value, o.Savings.TCOPct)
			sav(sumPV, sumSavPV, sumSavPVPct, o.Savings.PV.Value, base.PV.Value, o.Savings.PVPct)
		}
		month := func(cc int, p *int) {
			if p == nil {
				g.str(cc, row, "never")
				return
			}
			g.num(cc, row, *p)
		}
		month(sumPaybackTCO, o.Payback.TCO)
		month(sumPaybackPV, o.Payback.PV)
		score := func(cc int, p *float64) {
			if p != nil {
				g.num(cc, row, *p)
			}
		}
		score(sumQuality, o.Quality)
		score(sumPrice, o.PriceScore)
		score(sumScore, o.Score)
		// HYPERLINK rather than a cell hyperlink: the stream writer has none
		g.formula(sumSheet, row, fmt.Sprintf(`HYPERLINK("#%s","%s")`, strings.ReplaceAll(sh.ref(1, 1), `"`, `""`), strings.ReplaceAll(sh.name, `"`, `""`)), sh.name)
		if firstRow > 0 {
			versusFirst(g, st, d, o, row, firstRow)
		}
	}
	last := summaryHeader + len(order)
	g.style(1, summaryHeader, len(summaryHeaders), summaryHeader, st.header)
	g.style(sumTCO, summaryHeader+1, sumPV, last, st.money)
	g.style(sumSavTCO, summaryHeader+1, sumSavTCO, last, st.money)
	g.style(sumSavPV, summaryHeader+1, sumSavPV, last, st.money)
	g.style(sumSavTCOPct, summaryHeader+1, sumSavTCOPct, last, st.pct)
	g.style(sumSavPVPct, summaryHeader+1, sumSavPVPct, last, st.pct)
	g.style(sumQuality, summaryHeader+1, sumScore, last, st.score)
	g.style(sumScoreGap, summaryHeader+1, sumScoreGap, last, st.score)
	g.style(sumPriceGap, summaryHeader+1, sumPriceGap, last, st.money)
	g.width(1, 1, 34)
	g.width(3, len(summaryHeaders), 16)
	g.fit(sumOption, 28, 60)
	g.fit(sumStatus, 16, 50)
	g.wrapRow(summaryHeader)
	w.printSetup(s, summaryHeader, summaryHeader, 0)
	g.flush(w, s, nil)
}

// writeAbout writes the About sheet: where the workbook comes from.
func writeAbout(w *xw, st exportStyles, d *tco.Document, c *tco.Comparison, a About) {
	g := newGrid()
	g.str(1, 1, "About this workbook")
	g.style(1, 1, 1, 1, st.title)
	fc, err := ForecastOf(d)
	w.keep(err)
	by := a.By
	if by == "" {
		by = "(not recorded)"
	}
	rows := [][2]string{
		{"Exported at", a.ExportedAt.UTC().Format("2006-01-02 15:04:05 UTC")},
		{"Exported by", by},
		{"Application", App},
		{"Evaluation", d.Name},
		{"Evaluation id", strconv.FormatInt(a.EvaluationID, 10)},
		{"Evaluation version", strconv.FormatInt(a.Version, 10)},
		{"Currency", c.Currency},
		{"Forecast", fc.Summary},
		{"Forecast id", fc.Short()},
		{"Discount rate", d.DiscountRate.Shift(2).String() + "% a year, each month's cost at its " + timingWords(d)},
		{"Price escalation", d.Escalation},
	}
	wrapAt := 0
	if dn := a.Decision; dn != nil {
		rows = append(rows, [2]string{"Decision", dn.Status})
		if dn.By != "" {
			rows = append(rows, [2]string{"Decided by", dn.By}, [2]string{"Decided at", dn.At}, [2]string{"Rationale", dn.Rationale})
			wrapAt = 2 + len(rows)
			if dn.Earlier > 0 {
				rows = append(rows, [2]string{"Earlier decisions", words.Count(dn.Earlier, "earlier decision") + ", superseded"})
			}
		}
	}
	for i, kv := range rows {
		g.str(1, 3+i, kv[0])
		g.str(2, 3+i, kv[1])
	}
	g.style(1, 3, 1, 2+len(rows), st.bold)
	if wrapAt > 0 { // a rationale runs to paragraphs
		g.style(2, wrapAt, 2, wrapAt, w.newStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}))
	}
	hr := 4 + len(rows)
	for i, h := range []string{"Option", "Kind", "Quote round"} {
		g.str(1+i, hr, h)
	}
	g.style(1, hr, 3, hr, st.header)
	for k, o := range c.Options {
		round := a.Rounds[o.ID]
		if round == "" {
			round = "—"
		}
		g.str(1, hr+1+k, o.Name)
		g.str(2, hr+1+k, o.Kind)
		g.str(3, hr+1+k, round)
	}
	note := hr + 2 + len(c.Options)
	g.str(1, note, "Figures are the application's, each rounded as it rounds them; the formulas recalculate them to the cent.")
	g.style(1, note, 1, note, st.note)
	g.fit(1, 22, 60)
	g.fit(2, 30, 90)
	g.fit(3, 20, 60)
	w.printSetup(sheetAbout, hr, hr, 0)
	g.flush(w, sheetAbout, nil)
}

// status says an option's standing in words.
func status(o *tco.OptionResult) string {
	switch o.Status {
	case tco.StatusKnockedOut:
		return "knocked out by " + strings.Join(o.KnockedOutBy, ", ")
	case tco.StatusIncomplete:
		return "incomplete: no score for " + strings.Join(o.Missing, ", ")
	}
	return o.Status
}

// CSVOptions choose the CSV dialect. The default is RFC 4180: commas, a
// decimal point, no byte-order mark.
type CSVOptions struct {
	// Semicolon separates values with ';' and writes amounts with a
	// decimal comma, as Excel and LibreOffice read CSV in European locales.
	Semicolon bool
	// BOM starts the file with a UTF-8 byte-order mark, without which Excel
	// reads UTF-8 as the locale's code page ("Société" → "SociÃ©tÃ©").
	BOM bool
}

// ExportCSV writes the monthly tables of comparison c: one row per option
// and month 0..H with the columns option (id), name, month, label ("signing"
// for month 0, else YYYY-MM), each cost category in tco.Categories order and
// total, amounts with the currency's minor-unit digits, in the dialect o
// chooses. When some option staffs capacities (spec §8) a last column,
// heads, gives the heads its capacities staff that month, summed over them:
// values the engine computed (Erlang C is not a spreadsheet formula), empty
// for month 0 and for options without capacities. Text values are
// neutralised; amounts are plain numbers.
func ExportCSV(c *tco.Comparison, o CSVOptions) ([]byte, error) {
	if c == nil {
		return nil, fmt.Errorf("export csv: a comparison is required")
	}
	var buf bytes.Buffer
	if o.BOM {
		buf.Write(utf8BOM)
	}
	cw := csv.NewWriter(&buf)
	amount := func(x decimal.Decimal) string { return x.StringFixed(c.Places) }
	if o.Semicolon {
		cw.Comma = ';'
		amount = func(x decimal.Decimal) string { return strings.Replace(x.StringFixed(c.Places), ".", ",", 1) }
	}
	head := append(append([]string{"option", "name", "month", "label"}, tco.Categories...), "total")
	heads := hasHeads(c)
	if heads {
		head = append(head, "heads")
	}
	if err := cw.Write(head); err != nil {
		return nil, fmt.Errorf("export csv: %w", err)
	}
	for _, opt := range c.Options {
		for _, mc := range opt.Monthly {
			label := "signing"
			if mc.Month > 0 && mc.Month <= len(c.Months) {
				label = c.Months[mc.Month-1]
			}
			rec := []string{Neutralise(opt.ID), Neutralise(opt.Name), strconv.Itoa(mc.Month), Neutralise(label)}
			for _, cat := range tco.Categories {
				rec = append(rec, amount(mc.ByCategory[cat].Value))
			}
			rec = append(rec, amount(mc.Total.Value))
			if heads {
				rec = append(rec, headsIn(opt.Staffing, mc.Month))
			}
			if err := cw.Write(rec); err != nil {
				return nil, fmt.Errorf("export csv: %w", err)
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return nil, fmt.Errorf("export csv: %w", err)
	}
	return buf.Bytes(), nil
}

// headsIn is the heads an option's capacities staff in month m (1..H),
// summed over them; "" for month 0 or an option without capacities.
func headsIn(st []tco.Staffing, m int) string {
	if m < 1 || len(st) == 0 {
		return ""
	}
	var n int64
	for _, s := range st {
		if m <= len(s.Heads) {
			n += s.Heads[m-1]
		}
	}
	return strconv.FormatInt(n, 10)
}
