package sheet

import (
	"fmt"
	"math"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"vendorcompare/internal/tco"
)

// xw writes a workbook and keeps the first error, so that a long run of
// cell writes reads as a list and is checked once.
type xw struct {
	f   *excelize.File
	err error
}

func (w *xw) keep(err error) {
	if w.err == nil && err != nil {
		w.err = err
	}
}

// name returns the A1 name of a 1-based column and row.
func name(col, row int) string {
	s, _ := excelize.CoordinatesToCellName(col, row)
	return s
}

// str writes a text cell, neutralised.
func (w *xw) str(sheet string, col, row int, s string) {
	w.keep(w.f.SetCellStr(sheet, name(col, row), Neutralise(s)))
}

// num writes a number cell.
func (w *xw) num(sheet string, col, row int, v any) {
	w.keep(w.f.SetCellValue(sheet, name(col, row), v))
}

// formula writes a formula cell ("SUM(C5:C9)", no leading '=').
func (w *xw) formula(sheet string, col, row int, fx string) {
	w.keep(w.f.SetCellFormula(sheet, name(col, row), fx))
}

// style applies a style to a rectangle of cells.
func (w *xw) style(sheet string, col1, row1, col2, row2, id int) {
	w.keep(w.f.SetCellStyle(sheet, name(col1, row1), name(col2, row2), id))
}

// newStyle registers a style; 0 after an error.
func (w *xw) newStyle(s *excelize.Style) int {
	id, err := w.f.NewStyle(s)
	w.keep(err)
	return id
}

// width sets the width of columns col1..col2.
func (w *xw) width(sheet string, col1, col2 int, width float64) {
	a, _ := excelize.ColumnNumberToName(col1)
	b, _ := excelize.ColumnNumberToName(col2)
	w.keep(w.f.SetColWidth(sheet, a, b, width))
}

// validate adds a data validation to a range; set configures it.
func (w *xw) validate(sheet, sqref, title, msg string, set func(dv *excelize.DataValidation) error) {
	dv := excelize.NewDataValidation(true)
	dv.Sqref = sqref
	w.keep(set(dv))
	dv.SetError(excelize.DataValidationErrorStyleStop, title, msg)
	w.keep(w.f.AddDataValidation(sheet, dv))
}

func (w *xw) list(sheet, sqref string, items ...string) {
	w.validate(sheet, sqref, "Choose from the list", "Use one of: "+strings.Join(items, ", "), func(dv *excelize.DataValidation) error {
		return dv.SetDropList(items)
	})
}

func (w *xw) decimal(sheet, sqref string, op excelize.DataValidationOperator, lo, hi float64, msg string) {
	w.validate(sheet, sqref, "Invalid number", msg, func(dv *excelize.DataValidation) error {
		return dv.SetRange(lo, hi, excelize.DataValidationTypeDecimal, op)
	})
}

func (w *xw) whole(sheet, sqref string, lo, hi int) {
	w.validate(sheet, sqref, "Invalid month", fmt.Sprintf("A whole month from %d to %d.", lo, hi), func(dv *excelize.DataValidation) error {
		return dv.SetRange(lo, hi, excelize.DataValidationTypeWhole, excelize.DataValidationOperatorBetween)
	})
}

func (w *xw) textLen(sheet, sqref string, lo, hi int, msg string) {
	w.validate(sheet, sqref, "Invalid text", msg, func(dv *excelize.DataValidation) error {
		return dv.SetRange(lo, hi, excelize.DataValidationTypeTextLength, excelize.DataValidationOperatorBetween)
	})
}

// protect locks a sheet: only cells styled unlocked can be edited, and
// rows and columns cannot be added, removed or moved; they can be resized,
// so that a vendor can read a long note or widen an answer. No password: it
// prevents accidents, and import checks the layout anyway.
func (w *xw) protect(sheet string) {
	w.keep(w.f.ProtectSheet(sheet, &excelize.SheetProtectionOptions{SelectLockedCells: true, SelectUnlockedCells: true,
		FormatColumns: true, FormatRows: true}))
}

// wrapHeight sets a row's height for text of n characters wrapped in a
// column width characters wide, at 15 points a line.
func (w *xw) wrapHeight(sheet string, row, n int, width float64) {
	lines := math.Ceil(float64(n) * 1.1 / width)
	if lines > 1 {
		w.keep(w.f.SetRowHeight(sheet, row, 15*lines))
	}
}

// recalcOnLoad asks the spreadsheet application to calculate every formula
// when it opens the file, whatever the cached values say.
func (w *xw) recalcOnLoad() {
	yes, auto := true, "auto"
	w.keep(w.f.SetCalcProps(&excelize.CalcPropsOptions{FullCalcOnLoad: &yes, CalcMode: &auto, FullPrecision: &yes}))
}

// formStyles are the bid form's cell styles.
type formStyles struct {
	title, header, wrap, info, number, pct                int
	ansText, ansNumber, ansPct, ansWhole, ansList, demand int
}

func (w *xw) formStyles() formStyles {
	yellow := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFF2A8"}}
	box := []excelize.Border{{Type: "left", Color: "999999", Style: 1}, {Type: "right", Color: "999999", Style: 1}, {Type: "top", Color: "999999", Style: 1}, {Type: "bottom", Color: "999999", Style: 1}}
	open := &excelize.Protection{Locked: false}
	pct, dem := "0.00%", "#,##0.##"
	answer := func(numFmt int, custom *string) int {
		return w.newStyle(&excelize.Style{Fill: yellow, Border: box, Protection: open, NumFmt: numFmt, CustomNumFmt: custom})
	}
	return formStyles{
		title:     w.newStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}),
		header:    w.newStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9D9D9"}}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}),
		wrap:      w.newStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}),
		info:      w.newStyle(&excelize.Style{Font: &excelize.Font{Italic: true, Color: "555555"}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}),
		number:    w.newStyle(&excelize.Style{NumFmt: 0}),
		pct:       w.newStyle(&excelize.Style{CustomNumFmt: &pct}),
		ansText:   answer(49, nil), // "@": a name like 0012 stays text
		ansNumber: answer(0, nil),
		ansPct:    answer(0, &pct),
		ansWhole:  answer(1, nil),
		ansList:   answer(0, nil),
		demand:    w.newStyle(&excelize.Style{CustomNumFmt: &dem}),
	}
}

// BidForm returns the XLSX bid form of evaluation d for vendors to fill in:
// instructions, the volume forecast, the pricing and cost-line answers and
// one answer cell per quality criterion, with data validation and every
// sheet protected but its yellow answer cells. The hidden marker ties the
// form to evaluation o and to d's forecast (ForecastOf), which import checks.
// d must be valid: the forecast is costed by the engine.
func BidForm(d *tco.Document, o Origin) ([]byte, error) {
	c, err := tco.Compare(d, tco.CompareOptions{SkipAnalysis: true})
	if err != nil {
		return nil, fmt.Errorf("bid form: cost the forecast: %w", err)
	}
	fc, err := ForecastOf(d)
	if err != nil {
		return nil, fmt.Errorf("bid form: %w", err)
	}
	f := excelize.NewFile()
	defer f.Close()
	w := &xw{f: f}
	w.keep(f.SetSheetName("Sheet1", sheetInstructions))
	for _, s := range []string{sheetForecast, sheetStaffing, sheetPricing, sheetLines, sheetQuality, sheetMarker} {
		_, err := f.NewSheet(s)
		w.keep(err)
	}
	st := w.formStyles()
	for _, s := range f.GetSheetList() {
		w.protect(s) // before the Forecast sheet's stream writes its protection
		if s != sheetMarker {
			w.printSetup(s, 0, 0, 0)
		}
	}
	writeInstructions(w, st, d)
	writeForecast(w, st, d, c)
	writeStaffing(w, st, d)
	writePricing(w, st, d)
	writeLines(w, st, d)
	writeQuality(w, st, d)
	writeMarker(w, d, o, fc)
	w.keep(f.SetSheetVisible(sheetMarker, false, true))
	w.recalcOnLoad()
	w.keep(f.ProtectWorkbook(&excelize.WorkbookProtectionOptions{LockStructure: true}))
	f.SetActiveSheet(0)
	if w.err != nil {
		return nil, fmt.Errorf("bid form: %w", w.err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("bid form: write: %w", err)
	}
	return buf.Bytes(), nil
}

// writeInstructions explains the form.
func writeInstructions(w *xw, st formStyles, d *tco.Document) {
	s := sheetInstructions
	esc := "in steps, at each 12 months (months 13, 25…)"
	if d.Escalation == tco.EscalationMonthly {
		esc = "smoothly, compounding monthly"
	}
	unit, cur, h := d.Volume.Unit, d.Currency, d.HorizonMonths
	lines := []string{
		"How to fill in this form",
		"1. Fill in only the yellow cells. Every other cell is locked so that the form can be read back automatically: do not add, remove or move rows, columns or sheets. Save the file as .xlsx and send it back.",
		fmt.Sprintf("2. Forecast: the buyer's demand per month, counted in %q units, over %d months from %s. Price against it; it is not a commitment.", unit, h, d.Start),
		fmt.Sprintf("3. Pricing: your name and the quote currency (ISO 4217, e.g. USD). If it is not %s, give the exchange rate: %s per 1 unit of your currency; if it is %s the rate is 1. Every amount on the Pricing sheet is in the quote currency.", cur, cur, cur),
		fmt.Sprintf("4. Pricing model: 'unit' prices each billed unit, where billed units = demand × 'Billed units per demand unit' (for example 6.5 minutes per %s). 'block' prices blocks such as FTEs: blocks = demand ÷ block size, rounded up; the factor is then 1.", unit),
		"5. Tiers: up to 10 rows, in increasing order. Every tier but the last has an 'up to' bound in billed units per month, larger than the one before; leave the last tier's bound empty. Tier mode 'graduated' prices each unit at the tier it falls in (like tax brackets); 'all_units' prices every unit of the month at the tier the month's total falls in (a bound belongs to its own tier).",
		"6. Minimums: 'Minimum billed units' bills at least that many units a month; 'Minimum monthly charge' is the least usage charge a month, before the fixed monthly fee.",
		fmt.Sprintf("7. Escalation is an annual rate (type 3%% or 0.03) applied %s, counted from month 1. The setup fee falls at signing (month 0), the exit fee in month %d; neither escalates. Your invoice starts in the go-live month (1 to %d).", esc, h, h),
		fmt.Sprintf("8. Lines (optional): other costs the buyer carries with your offer, in %s: for example governance as a share of your invoice (basis share_of_vendor, amount 0.05 = 5%%) or one-off transition costs (basis one_time, with the month 0 to %d). Category: personnel, technology, operations or external. Basis fixed, per_unit (per %s), per_block (give a block size), one_time or share_of_vendor. From and to month (1 to %d) limit a recurring line to a window.", cur, h, unit, h),
		"9. Quality: give a score for each criterion, from 0 to its scale.",
		"10. When the form is read back, every problem is reported with its cell, for example Pricing!C7, so that it can be fixed and sent again.",
	}
	if b := tco.BuyerStaffing(d); b != nil {
		lines = append(lines, fmt.Sprintf("11. Service level: the buyer staffs to %s (the Service level sheet, locked). To price per FTE, set the pricing model to 'block', leave the block size empty and give your handling time, occupancy, shrinkage and paid hours there: the FTEs billed each month are the heads that service level needs with your figures (Erlang C, interval by interval), not a number you choose.", b.ServiceLevelWords()))
	}
	w.str(s, 1, 1, "Bid form: "+d.Name)
	w.style(s, 1, 1, 1, 1, st.title)
	for i, l := range lines {
		w.str(s, 1, 3+i, l)
		w.wrapHeight(s, 3+i, len([]rune(l)), 120)
	}
	w.style(s, 1, 3, 1, 3, st.header)
	w.style(s, 1, 4, 1, 2+len(lines), st.wrap)
	r := 4 + len(lines)
	for i, kv := range [][2]string{{"Evaluation currency", cur}, {"Demand unit", unit}, {"Horizon (months)", fmt.Sprint(h)}, {"First month", d.Start}} {
		w.str(s, 1, r+i, kv[0]+": "+kv[1])
	}
	w.width(s, 1, 1, 120)
}

// writeForecast writes months 1..H with their labels and demand, and
// their total as a formula with its value cached.
func writeForecast(w *xw, st formStyles, d *tco.Document, c *tco.Comparison) {
	g := newGrid()
	g.str(1, 1, "Volume forecast")
	g.style(1, 1, 1, 1, st.title)
	for i, kv := range [][2]string{{"Unit", d.Volume.Unit}, {"Currency", d.Currency}, {"First month", d.Start}} {
		g.str(1, 2+i, kv[0])
		g.str(2, 2+i, kv[1])
	}
	g.str(1, 5, "Horizon (months)")
	g.num(2, 5, d.HorizonMonths)
	hr := forecastHeaderRow
	for i, h := range []string{"Month", "Label", "Demand (" + d.Volume.Unit + " per month)"} {
		g.str(i+1, hr, h)
	}
	g.style(1, hr, 3, hr, st.header)
	for m := 1; m <= len(c.Months); m++ {
		v, _ := c.Volume[m-1].Float64()
		g.num(1, hr+m, m)
		g.str(2, hr+m, c.Months[m-1])
		g.num(3, hr+m, v)
	}
	last := hr + len(c.Months)
	g.str(2, last+1, "Total")
	total, _ := c.Total.Float64()
	g.formula(3, last+1, fmt.Sprintf("SUM(C%d:C%d)", hr+1, last), total)
	g.style(3, hr+1, 3, last+1, st.demand)
	g.width(1, 1, 18)
	g.width(2, 3, 18)
	g.wrapRow(hr)
	g.flush(w, sheetForecast, nil)
}

// writePricing writes the pricing answers and the tier table.
func writePricing(w *xw, st formStyles, d *tco.Document) {
	s := sheetPricing
	h := d.HorizonMonths
	w.str(s, 1, 1, "Pricing")
	w.style(s, 1, 1, 1, 1, st.title)
	w.str(s, 1, 2, "Fill in the yellow cells. Amounts are in the quote currency, per month unless said otherwise.")
	for i, t := range []string{"Field", "Key", "Your answer", "Notes"} {
		w.str(s, i+1, 3, t)
	}
	w.style(s, 1, 3, 4, 3, st.header)
	defaults := map[string]any{
		"currency": d.Currency, "fx_rate": 1, "per": tco.PricingPerUnit, "unit_factor": 1,
		"tier_mode": tco.TierModeGraduated, "fixed_monthly": 0, "minimum_units": 0, "minimum_charge": 0,
		"escalation": 0, "setup_fee": 0, "exit_fee": 0, "from_month": 1,
	}
	for i, fl := range pricingFields {
		row := pricingFirstRow + i
		ref := name(answerCol, row)
		w.str(s, 1, row, fl.label)
		w.str(s, keyCol, row, fl.key)
		w.str(s, 4, row, fl.help)
		if v, ok := defaults[fl.key]; ok {
			if t, isText := v.(string); isText {
				w.str(s, answerCol, row, t)
			} else {
				w.num(s, answerCol, row, v)
			}
		}
		switch fl.kind {
		case kindText:
			w.style(s, answerCol, row, answerCol, row, st.ansText)
			w.textLen(s, ref, 1, 200, "1 to 200 characters.")
		case kindCurrency:
			w.style(s, answerCol, row, answerCol, row, st.ansText)
			w.textLen(s, ref, 3, 3, "A three-letter ISO 4217 code, such as USD.")
		case kindNumber:
			w.style(s, answerCol, row, answerCol, row, st.ansNumber)
			w.decimal(s, ref, excelize.DataValidationOperatorGreaterThanOrEqual, 0, 0, "A number, 0 or more.")
		case kindPositive:
			w.style(s, answerCol, row, answerCol, row, st.ansNumber)
			w.decimal(s, ref, excelize.DataValidationOperatorGreaterThan, 0, 0, "A number greater than 0.")
		case kindRate:
			w.style(s, answerCol, row, answerCol, row, st.ansPct)
			w.decimal(s, ref, excelize.DataValidationOperatorGreaterThan, -1, 0, "An annual rate greater than -100%, such as 3%.")
		case kindMonth:
			w.style(s, answerCol, row, answerCol, row, st.ansWhole)
			w.whole(s, ref, 1, h)
		case kindPer:
			w.style(s, answerCol, row, answerCol, row, st.ansList)
			w.list(s, ref, tco.PricingPerUnit, tco.PricingPerBlock)
		case kindTierMode:
			w.style(s, answerCol, row, answerCol, row, st.ansList)
			w.list(s, ref, tco.TierModeGraduated, tco.TierModeAllUnits)
		}
	}
	w.style(s, 1, pricingFirstRow, 1, pricingFirstRow+len(pricingFields)-1, st.wrap)
	w.style(s, 4, pricingFirstRow, 4, pricingFirstRow+len(pricingFields)-1, st.info)
	for i, fl := range pricingFields {
		w.wrapHeight(s, pricingFirstRow+i, max(len(fl.help)*30/90, len(fl.label)), 30)
	}

	w.str(s, 1, tierHeaderRow-1, "Price tiers (in billed units per month; leave the last tier's bound empty)")
	for i, t := range []string{"Tier", "Up to (billed units a month)", "Price per billed unit", "Notes"} {
		w.str(s, i+1, tierHeaderRow, t)
	}
	w.style(s, 1, tierHeaderRow, 4, tierHeaderRow, st.header)
	w.keep(w.f.SetRowHeight(s, tierHeaderRow, 30)) // the headers wrap to two lines
	last := tierFirstRow + maxFormTiers - 1
	for k := range maxFormTiers {
		w.num(s, 1, tierFirstRow+k, k+1)
	}
	w.str(s, 4, tierFirstRow, "A single price: leave 'up to' empty on tier 1.")
	w.style(s, tierUpToCol, tierFirstRow, tierPriceCol, last, st.ansNumber)
	w.decimal(s, fmt.Sprintf("%s:%s", name(tierUpToCol, tierFirstRow), name(tierUpToCol, last)),
		excelize.DataValidationOperatorGreaterThan, 0, 0, "A bound greater than 0, larger than the tier before.")
	w.decimal(s, fmt.Sprintf("%s:%s", name(tierPriceCol, tierFirstRow), name(tierPriceCol, last)),
		excelize.DataValidationOperatorGreaterThanOrEqual, 0, 0, "A price, 0 or more.")
	w.width(s, 1, 1, 30)
	w.width(s, 2, 3, 22)
	w.width(s, 4, 4, 90)
}

// writeLines writes the optional cost-line table.
func writeLines(w *xw, st formStyles, d *tco.Document) {
	s := sheetLines
	h := d.HorizonMonths
	w.str(s, 1, 1, "Other costs the buyer carries with this offer (optional)")
	w.style(s, 1, 1, 1, 1, st.title)
	w.str(s, 1, 2, fmt.Sprintf("Amounts in %s. See the Instructions sheet, point 8.", d.Currency))
	for c, t := range lineHeaders {
		w.str(s, c+1, linesHeaderRow, t)
	}
	w.style(s, 1, linesHeaderRow, lineColumns, linesHeaderRow, st.header)
	w.keep(w.f.SetRowHeight(s, linesHeaderRow, 30)) // the headers wrap to two lines
	first, last := linesFirstRow, linesFirstRow+maxFormLines-1
	col := func(c int) string { return fmt.Sprintf("%s:%s", name(c+1, first), name(c+1, last)) }
	w.style(s, lineName+1, first, lineName+1, last, st.ansText)
	w.style(s, lineCategory+1, first, lineBasis+1, last, st.ansList)
	w.style(s, lineAmount+1, first, lineAmount+1, last, st.ansNumber)
	w.style(s, lineMonth+1, first, lineTo+1, last, st.ansWhole)
	w.style(s, lineEscalation+1, first, lineEscalation+1, last, st.ansPct)
	w.style(s, lineBlockSize+1, first, lineBlockSize+1, last, st.ansNumber)
	w.textLen(s, col(lineName), 1, 200, "1 to 200 characters.")
	w.list(s, col(lineCategory), tco.LineCategories...)
	w.list(s, col(lineBasis), tco.BasisFixed, tco.BasisPerUnit, tco.BasisPerBlock, tco.BasisOneTime, tco.BasisShareOfVendor)
	w.decimal(s, col(lineAmount), excelize.DataValidationOperatorGreaterThanOrEqual, 0, 0, "An amount, 0 or more (a fraction such as 0.05 for share_of_vendor).")
	w.whole(s, col(lineMonth), 0, h)
	w.whole(s, col(lineFrom), 1, h)
	w.whole(s, col(lineTo), 1, h)
	w.decimal(s, col(lineEscalation), excelize.DataValidationOperatorGreaterThan, -1, 0, "An annual rate greater than -100%, such as 3%.")
	w.decimal(s, col(lineBlockSize), excelize.DataValidationOperatorGreaterThan, 0, 0, "A block size greater than 0.")
	w.width(s, 1, 1, 30)
	w.width(s, 2, lineColumns, 16)
}

// writeQuality writes one answer row per criterion.
func writeQuality(w *xw, st formStyles, d *tco.Document) {
	s := sheetQuality
	w.str(s, 1, 1, "Quality")
	w.style(s, 1, 1, 1, 1, st.title)
	w.str(s, 1, 2, "Give a score for each criterion, from 0 to its scale.")
	for i, t := range qualityHeaders {
		w.str(s, i+1, qualityHeaderRow, t)
	}
	w.style(s, 1, qualityHeaderRow, len(qualityHeaders), qualityHeaderRow, st.header)
	if len(d.Criteria) == 0 {
		w.str(s, 1, qualityFirstRow+1, "This evaluation has no quality criteria: nothing to fill in here.")
	}
	for i, c := range d.Criteria {
		row := qualityFirstRow + i
		scale, _ := c.Scale.Float64()
		w.str(s, qualityKeyCol, row, c.Key)
		w.str(s, 2, row, c.Name)
		w.num(s, 3, row, scale)
		w.style(s, qualityScoreCol, row, qualityScoreCol, row, st.ansNumber)
		w.decimal(s, name(qualityScoreCol, row), excelize.DataValidationOperatorBetween, 0, scale,
			fmt.Sprintf("A score from 0 to %s.", c.Scale))
	}
	w.width(s, 1, 1, 16)
	w.width(s, 2, 2, 40)
	w.width(s, 3, 4, 16)
}

// writeStaffing writes the Service level sheet: the buyer's service level,
// open hours, interval and profile (locked: the buyer's values govern),
// and the vendor's per-FTE figures as answers, prefilled with the buyer's
// own. Without a service level it says so and asks for nothing.
func writeStaffing(w *xw, st formStyles, d *tco.Document) {
	s := sheetStaffing
	w.str(s, 1, 1, "Service level")
	w.style(s, 1, 1, 1, 1, st.title)
	w.width(s, 1, 1, 34)
	w.width(s, 2, 3, 22)
	w.width(s, 4, 4, 80)
	b := tco.BuyerStaffing(d)
	if b == nil {
		w.str(s, 1, 2, "This evaluation sets no service level: price per FTE with a block size (Pricing sheet), the demand one FTE handles a month.")
		return
	}
	w.str(s, 1, 2, "The buyer's service level (locked): per-FTE bids are staffed to it, interval by interval (Erlang C), with your figures below.")
	for i, t := range []string{"Field", "Key", "Value", "Notes"} {
		w.str(s, i+1, 3, t)
	}
	w.style(s, 1, 3, 4, 3, st.header)
	vals := []any{b.ServiceLevel.Target.InexactFloat64(), b.ServiceLevel.Seconds.InexactFloat64(),
		b.OpenHours.InexactFloat64(), b.IntervalMinutes, len(b.Profile)}
	for i, fl := range staffFields {
		row := staffFirstRow + i
		w.str(s, 1, row, fl.label)
		w.str(s, keyCol, row, fl.key)
		w.num(s, answerCol, row, vals[i])
		w.str(s, 4, row, fl.help)
	}
	w.style(s, answerCol, staffFirstRow, answerCol, staffFirstRow, st.pct)
	w.style(s, 4, staffFirstRow, 4, staffFirstRow+len(staffFields)-1, st.info)

	w.str(s, 1, staffAnswerHeader-1, "Your per-FTE figures: used only when you price per FTE (pricing model 'block', block size empty)")
	for i, t := range []string{"Field", "Key", "Your answer", "Notes"} {
		w.str(s, i+1, staffAnswerHeader, t)
	}
	w.style(s, 1, staffAnswerHeader, 4, staffAnswerHeader, st.header)
	defaults := map[string]decimal.Decimal{"aht_minutes": b.AHTMinutes, "occupancy": b.Occupancy, "shrinkage": b.Shrinkage, "paid_hours": b.PaidHours}
	for i, fl := range capacityFields {
		row := staffAnswerRow + i
		ref := name(answerCol, row)
		w.str(s, 1, row, fl.label)
		w.str(s, keyCol, row, fl.key)
		w.str(s, 4, row, fl.help)
		w.num(s, answerCol, row, defaults[fl.key].InexactFloat64())
		switch fl.key {
		case "occupancy":
			w.style(s, answerCol, row, answerCol, row, st.ansPct)
			w.decimal(s, ref, excelize.DataValidationOperatorBetween, 0.0001, 1, "A share from 0% (excluded) to 100%, such as 85%.")
		case "shrinkage":
			w.style(s, answerCol, row, answerCol, row, st.ansPct)
			w.decimal(s, ref, excelize.DataValidationOperatorBetween, 0, 0.9999, "A share from 0% to 100% (excluded), such as 30%.")
		default:
			w.style(s, answerCol, row, answerCol, row, st.ansNumber)
			w.decimal(s, ref, excelize.DataValidationOperatorGreaterThan, 0, 0, "A number greater than 0.")
		}
	}
	w.style(s, 4, staffAnswerRow, 4, staffAnswerRow+len(capacityFields)-1, st.info)

	w.str(s, 1, staffProfileHeader-1, "The day's profile (the buyer's): how a day's demand spreads over its open intervals")
	for i, t := range []string{"Interval", "Weight", "Share of the day"} {
		w.str(s, i+1, staffProfileHeader, t)
	}
	w.style(s, 1, staffProfileHeader, 3, staffProfileHeader, st.header)
	sum := decimal.Zero
	for _, x := range b.Profile {
		sum = sum.Add(x)
	}
	for k, x := range b.Profile {
		row := staffProfileRow + k
		w.num(s, 1, row, k+1)
		w.num(s, 2, row, x.InexactFloat64())
		w.num(s, 3, row, x.Div(sum).InexactFloat64())
	}
	last := staffProfileRow + len(b.Profile) - 1
	w.style(s, 3, staffProfileRow, 3, last, st.pct)
}
