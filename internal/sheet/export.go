package sheet

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"vendorcompare/internal/tco"
)

// The finance workbook's layout.
const (
	sheetSummary = "Summary"
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
)

var summaryHeaders = []string{"Rank", "Option", "Status", "TCO", "PV", "Savings (TCO)", "Savings % (TCO)",
	"Savings (PV)", "Savings % (PV)", "Payback month (nominal)", "Payback month (discounted)",
	"Quality", "Price score", "Combined score", "Monthly table"}

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

// ExportXLSX writes comparison c of evaluation d as a workbook finance can
// audit: a Summary sheet with the ranking, and one sheet per option with its
// monthly table (months 0..H down, each cost line across, as the rounded
// amounts the engine costed). Every total is a live formula over those
// cells: the per-month Total (SUM), the discount factor (1+r)^-(t/12) read
// from the Summary's rate and timing cells, the discounted cost, the column
// totals (SUM), PV (ROUND of SUMPRODUCT to the currency's minor unit), the
// category subtotals (SUMIF), and on the Summary TCO, PV and savings
// referring to the option sheets. Recalculated, the workbook gives the
// comparison's own figures to the cent. Text cells are neutralised.
func ExportXLSX(d *tco.Document, c *tco.Comparison) ([]byte, error) {
	if d == nil || c == nil {
		return nil, fmt.Errorf("export xlsx: a document and its comparison are required")
	}
	f := excelize.NewFile()
	defer f.Close()
	w := &xw{f: f}
	w.keep(f.SetSheetName("Sheet1", sheetSummary))
	st := w.exportStyles(c.Places)

	used := map[string]bool{strings.ToLower(sheetSummary): true}
	sheets := make([]*optionSheet, len(c.Options))
	for i := range c.Options {
		o := &optionSheet{name: sheetName(c.Options[i].ID, used), res: &c.Options[i]}
		_, err := f.NewSheet(o.name)
		w.keep(err)
		writeOptionSheet(w, st, c, o)
		sheets[i] = o
	}
	writeSummary(w, st, d, c, sheets)
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

// writeOptionSheet writes one option's monthly table and its formulas.
func writeOptionSheet(w *xw, st exportStyles, c *tco.Comparison, o *optionSheet) {
	s, r := o.name, o.res
	h := len(c.Months)
	o.lines = len(r.Lines)
	o.total = optFirstLine + o.lines
	o.df, o.disc = o.total+1, o.total+2
	o.last = optFirstRow + h
	o.totals = o.last + 1
	o.pvAt = o.totals + 1
	o.catFirst = o.pvAt + 3

	w.str(s, 1, 1, r.Name)
	w.style(s, 1, 1, 1, 1, st.title)
	w.str(s, 1, 2, fmt.Sprintf("Amounts in %s, each rounded as the application rounds it; totals, discounting, PV and subtotals are formulas.", c.Currency))
	w.style(s, 1, 2, 1, 2, st.note)
	w.str(s, 2, optCategoryRow, "Category")
	w.str(s, 1, optHeaderRow, "Month")
	w.str(s, 2, optHeaderRow, "Label")
	for j, l := range r.Lines {
		w.str(s, optFirstLine+j, optCategoryRow, l.Category)
		w.str(s, optFirstLine+j, optHeaderRow, l.Name)
	}
	w.str(s, o.total, optHeaderRow, "Total")
	w.str(s, o.df, optHeaderRow, "Discount factor")
	w.str(s, o.disc, optHeaderRow, "Discounted cost")
	w.style(s, 1, optHeaderRow, o.disc, optHeaderRow, st.header)

	lastLine := col(o.total - 1)
	rate := fmt.Sprintf("%s!$B$%d", sheetSummary, summaryRateRow)
	shift := fmt.Sprintf("%s!$B$%d", sheetSummary, summaryShiftRow)
	for m := 0; m <= h; m++ {
		row := optFirstRow + m
		w.num(s, 1, row, m)
		label := "signing"
		if m > 0 {
			label = c.Months[m-1]
		}
		w.str(s, 2, row, label)
		for j, l := range r.Lines {
			w.num(s, optFirstLine+j, row, float(l.Monthly[m]))
		}
		if o.lines > 0 {
			w.formula(s, o.total, row, fmt.Sprintf("SUM(C%d:%s%d)", row, lastLine, row))
		} else {
			w.formula(s, o.total, row, "0")
		}
		// month 0 is not discounted, whatever the timing
		w.formula(s, o.df, row, fmt.Sprintf("IF(A%d=0,1,(1+%s)^(-(A%d-%s)/12))", row, rate, row, shift))
		w.formula(s, o.disc, row, fmt.Sprintf("%s%d*%s%d", col(o.total), row, col(o.df), row))
	}
	w.str(s, 2, o.totals, "Total")
	for cc := optFirstLine; cc <= o.disc; cc++ {
		if cc == o.df {
			continue
		}
		w.formula(s, cc, o.totals, fmt.Sprintf("SUM(%s%d:%s%d)", col(cc), optFirstRow, col(cc), o.last))
	}
	w.str(s, 2, o.pvAt, "PV")
	w.formula(s, o.total, o.pvAt, fmt.Sprintf("ROUND(SUMPRODUCT(%s%d:%s%d,%s%d:%s%d),%d)",
		col(o.total), optFirstRow, col(o.total), o.last, col(o.df), optFirstRow, col(o.df), o.last, c.Places))
	w.style(s, optFirstLine, optFirstRow, o.total, o.pvAt, st.money)
	w.style(s, o.disc, optFirstRow, o.disc, o.totals, st.money)
	w.style(s, o.df, optFirstRow, o.df, o.last, st.df)
	w.style(s, 2, o.totals, o.disc, o.pvAt, st.moneyBold)

	w.str(s, 2, o.catFirst-1, "Category subtotals")
	w.style(s, 2, o.catFirst-1, 3, o.catFirst-1, st.header)
	for k, cat := range tco.Categories {
		row := o.catFirst + k
		w.str(s, 2, row, cat)
		if o.lines > 0 {
			w.formula(s, 3, row, fmt.Sprintf("SUMIF($C$%d:$%s$%d,B%d,$C$%d:$%s$%d)",
				optCategoryRow, lastLine, optCategoryRow, row, o.totals, lastLine, o.totals))
		} else {
			w.formula(s, 3, row, "0")
		}
	}
	end := o.catFirst + len(tco.Categories)
	w.str(s, 2, end, "All categories")
	w.formula(s, 3, end, fmt.Sprintf("SUM(C%d:C%d)", o.catFirst, end-1))
	w.style(s, 3, o.catFirst, 3, end, st.money)

	w.width(s, 1, 1, 8)
	w.width(s, 2, 2, 14)
	w.width(s, optFirstLine, o.disc, 16)
	w.keep(w.f.SetPanes(s, &excelize.Panes{Freeze: true, XSplit: 2, YSplit: optHeaderRow, TopLeftCell: name(3, optFirstRow), ActivePane: "bottomRight"}))
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
	w.str(s, 1, 1, "Comparison: "+d.Name)
	w.style(s, 1, 1, 1, 1, st.title)
	w.str(s, 1, 2, "Currency")
	w.str(s, 2, 2, c.Currency)
	w.str(s, 1, 3, "Baseline")
	for _, o := range c.Options {
		if o.ID == c.Baseline {
			w.str(s, 2, 3, o.Name)
		}
	}
	shift := 0.0
	switch d.Timing {
	case tco.TimingMid:
		shift = 0.5
	case tco.TimingBegin:
		shift = 1
	}
	w.str(s, 1, summaryRateRow, "Discount rate (annual, effective)")
	w.num(s, 2, summaryRateRow, float(d.DiscountRate))
	w.style(s, 2, summaryRateRow, 2, summaryRateRow, st.pct)
	w.str(s, 1, summaryShiftRow, "Timing shift (months)")
	w.num(s, 2, summaryShiftRow, shift)
	w.str(s, 3, summaryShiftRow, "end 0, mid 0.5, begin 1: month m is discounted over m minus this many months")
	w.str(s, 1, 6, "TCO, PV and savings are formulas over each option's sheet; the scores and payback months are the application's.")
	w.style(s, 1, 6, 1, 6, st.note)

	for i, h := range summaryHeaders {
		w.str(s, i+1, summaryHeader, h)
	}
	w.style(s, 1, summaryHeader, len(summaryHeaders), summaryHeader, st.header)
	order := rankOrder(c)
	baseRow := 0
	for k, i := range order {
		if c.Options[i].ID == c.Baseline {
			baseRow = summaryHeader + 1 + k
		}
	}
	for k, i := range order {
		row := summaryHeader + 1 + k
		o, sh := &c.Options[i], sheets[i]
		if o.Rank != nil {
			w.num(s, sumRank, row, *o.Rank)
		}
		w.str(s, sumOption, row, o.Name)
		w.str(s, sumStatus, row, status(o))
		w.formula(s, sumTCO, row, sh.ref(sh.total, sh.totals))
		w.formula(s, sumPV, row, sh.ref(sh.total, sh.pvAt))
		if baseRow > 0 {
			sav := func(vc, sc, pc int) {
				w.formula(s, sc, row, fmt.Sprintf("$%s$%d-%s%d", col(vc), baseRow, col(vc), row))
				w.formula(s, pc, row, fmt.Sprintf(`IF($%s$%d=0,"",%s%d/$%s$%d)`, col(vc), baseRow, col(sc), row, col(vc), baseRow))
			}
			sav(sumTCO, sumSavTCO, sumSavTCOPct)
			sav(sumPV, sumSavPV, sumSavPVPct)
		}
		month := func(cc int, p *int) {
			if p == nil {
				w.str(s, cc, row, "never")
				return
			}
			w.num(s, cc, row, *p)
		}
		month(sumPaybackTCO, o.Payback.TCO)
		month(sumPaybackPV, o.Payback.PV)
		score := func(cc int, p *float64) {
			if p != nil {
				w.num(s, cc, row, *p)
			}
		}
		score(sumQuality, o.Quality)
		score(sumPrice, o.PriceScore)
		score(sumScore, o.Score)
		w.str(s, sumSheet, row, sh.name)
		w.keep(w.f.SetCellHyperLink(s, name(sumSheet, row), sh.ref(1, 1), "Location"))
	}
	last := summaryHeader + len(order)
	w.style(s, sumTCO, summaryHeader+1, sumPV, last, st.money)
	w.style(s, sumSavTCO, summaryHeader+1, sumSavTCO, last, st.money)
	w.style(s, sumSavPV, summaryHeader+1, sumSavPV, last, st.money)
	w.style(s, sumSavTCOPct, summaryHeader+1, sumSavTCOPct, last, st.pct)
	w.style(s, sumSavPVPct, summaryHeader+1, sumSavPVPct, last, st.pct)
	w.style(s, sumQuality, summaryHeader+1, sumScore, last, st.score)
	w.width(s, 1, 1, 34)
	w.width(s, 2, 2, 28)
	w.width(s, 3, len(summaryHeaders), 16)
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

// ExportCSV writes the monthly tables of comparison c: one row per option
// and month 0..H with the columns option (id), name, month, label ("signing"
// for month 0, else YYYY-MM), each cost category in tco.Categories order and
// total, amounts with the currency's minor-unit digits. Text values are
// neutralised; amounts are plain numbers.
func ExportCSV(c *tco.Comparison) ([]byte, error) {
	if c == nil {
		return nil, fmt.Errorf("export csv: a comparison is required")
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	head := append([]string{"option", "name", "month", "label"}, tco.Categories...)
	if err := cw.Write(append(head, "total")); err != nil {
		return nil, fmt.Errorf("export csv: %w", err)
	}
	for _, o := range c.Options {
		for _, mc := range o.Monthly {
			label := "signing"
			if mc.Month > 0 && mc.Month <= len(c.Months) {
				label = c.Months[mc.Month-1]
			}
			rec := []string{Neutralise(o.ID), Neutralise(o.Name), strconv.Itoa(mc.Month), Neutralise(label)}
			for _, cat := range tco.Categories {
				rec = append(rec, mc.ByCategory[cat].Value.StringFixed(c.Places))
			}
			rec = append(rec, mc.Total.Value.StringFixed(c.Places))
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
