package sheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"vendorcompare/internal/tco"
)

var (
	zipMagic = []byte("PK\x03\x04")
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1} // .xls, encrypted .xlsx
	utf8BOM  = []byte{0xEF, 0xBB, 0xBF}
)

// ParseBid reads an uploaded bid of size bytes (-1 when unknown) for
// evaluation d, whichever its format: an XLSX bid form (sniffed by its ZIP
// signature) or CSV text in the package's layout. See ParseBidForm.
func ParseBid(r io.Reader, size int64, d *tco.Document, chk Check) (*tco.Option, error) {
	data, err := readUpload(r, size)
	if err != nil {
		return nil, err
	}
	if bytes.HasPrefix(data, zipMagic) {
		return parseForm(data, d, chk)
	}
	if isText(data) {
		return parseCSV(data, d)
	}
	return nil, notSpreadsheet(data)
}

// ParseBidForm reads a filled bid form (BidForm) of size bytes (-1 when
// unknown) for evaluation d and returns the vendor's quote as an option:
// pricing, cost lines and scores, Kind vendor, Name the vendor's name and ID
// its slug, made unique among d's options (a caller recording a new round
// of an existing quote sets ID itself). Every problem is returned at once as
// Errors, each at its cell; the option is returned only when the evaluation
// with it added passes the engine's validation. A file that is not an XLSX
// workbook is ErrNotSpreadsheet, a workbook that is not a bid form
// ErrNotBidForm, a form of another evaluation or forecast than chk and d
// name a *MismatchError (unless chk.Confirm), one past the limits
// ErrTooLarge.
func ParseBidForm(r io.Reader, size int64, d *tco.Document, chk Check) (*tco.Option, error) {
	data, err := readUpload(r, size)
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(data, zipMagic) {
		return nil, notSpreadsheet(data)
	}
	return parseForm(data, d, chk)
}

// ParseBidCSV reads a CSV bid in the package's layout (see the package
// comment) for evaluation d, like ParseBidForm; problems name their row and
// column.
func ParseBidCSV(r io.Reader, d *tco.Document) (*tco.Option, error) {
	data, err := readUpload(r, -1)
	if err != nil {
		return nil, err
	}
	if !isText(data) {
		return nil, notSpreadsheet(data)
	}
	return parseCSV(data, d)
}

// readUpload reads at most MaxUpload bytes.
func readUpload(r io.Reader, size int64) ([]byte, error) {
	if size > MaxUpload {
		return nil, fmt.Errorf("%w: %d bytes, the limit is %d MiB", ErrTooLarge, size, MaxUpload>>20)
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxUpload+1))
	if err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	if len(data) > MaxUpload {
		return nil, fmt.Errorf("%w: the limit is %d MiB", ErrTooLarge, MaxUpload>>20)
	}
	if len(data) == 0 {
		return nil, fmt.Errorf("%w: the file is empty", ErrNotSpreadsheet)
	}
	return data, nil
}

// isText reports whether data is UTF-8 text without NUL bytes: a CSV
// candidate.
func isText(data []byte) bool {
	data = bytes.TrimPrefix(data, utf8BOM)
	return utf8.Valid(data) && bytes.IndexByte(data, 0) < 0
}

// notSpreadsheet explains why data is not accepted.
func notSpreadsheet(data []byte) error {
	if bytes.HasPrefix(data, oleMagic) {
		return fmt.Errorf("%w (this looks like an old .xls or a password-protected workbook: save it as .xlsx without a password)", ErrNotSpreadsheet)
	}
	return ErrNotSpreadsheet
}

// odsMime is the first entry of an OpenDocument spreadsheet's ZIP: the
// entry "mimetype", stored uncompressed, holding this text.
const odsMime = "application/vnd.oasis.opendocument.spreadsheet"

// errODS is an OpenDocument spreadsheet, LibreOffice's own format.
var errODS = fmt.Errorf("%w: this is an OpenDocument spreadsheet (.ods): save it as .xlsx (in LibreOffice: File › Save As, file type \"Excel 2007-365 (.xlsx)\", Use Excel 2007-365!) and upload that file", ErrNotSpreadsheet)

// parseForm reads the bid form's answers into a rawBid and builds it.
func parseForm(data []byte, d *tco.Document, chk Check) (*tco.Option, error) {
	if bytes.Contains(data[:min(len(data), 200)], []byte(odsMime)) {
		return nil, errODS
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: MaxUnzip, UnzipXMLSizeLimit: MaxUnzipXML, RawCellValue: true,
	})
	if err != nil {
		if strings.Contains(err.Error(), "unzip size") {
			return nil, fmt.Errorf("%w: the workbook unpacks to more than %d MiB", ErrTooLarge, MaxUnzip>>20)
		}
		return nil, fmt.Errorf("%w: the file is a ZIP archive but not an .xlsx workbook; open it in Excel or LibreOffice and save it as .xlsx", ErrNotSpreadsheet)
	}
	defer f.Close()
	if err := checkMarker(f, d, chk); err != nil {
		return nil, err
	}
	raw := newRawBid(true)
	// the Service level sheet came with issue 15: a form without it
	// (made before) has no per-FTE figures
	if g, err := readGrid(f, sheetStaffing); err == nil {
		readStaffing(raw, g)
	} else if errors.Is(err, ErrTooLarge) {
		return nil, err
	}
	grids := map[string][][]string{}
	for _, name := range []string{sheetPricing, sheetLines, sheetQuality} {
		g, err := readGrid(f, name)
		if err != nil {
			if errors.Is(err, ErrTooLarge) {
				return nil, err
			}
			raw.errs = append(raw.errs, Problem{Sheet: name, Message: "the sheet is missing: download a fresh bid form"})
			continue
		}
		grids[name] = g
	}
	if g, ok := grids[sheetPricing]; ok {
		readPricing(raw, g)
	}
	if g, ok := grids[sheetLines]; ok {
		readLines(raw, g)
	}
	if g, ok := grids[sheetQuality]; ok {
		readQuality(raw, g)
	}
	return build(raw, d)
}

// readGrid reads a sheet's stored values, row by row, at most MaxSheetRows.
func readGrid(f *excelize.File, name string) ([][]string, error) {
	rows, err := f.Rows(name)
	if err != nil {
		return nil, fmt.Errorf("read sheet %s: %w", name, err)
	}
	defer rows.Close()
	var g [][]string
	for rows.Next() {
		if len(g) >= MaxSheetRows {
			return nil, fmt.Errorf("%w: sheet %s has more than %d rows", ErrTooLarge, name, MaxSheetRows)
		}
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fmt.Errorf("read sheet %s: %w", name, err)
		}
		if len(cols) > 64 { // the form has at most 9 columns: ignore the rest
			cols = cols[:64]
		}
		g = append(g, cols)
	}
	if err := rows.Error(); err != nil {
		return nil, fmt.Errorf("read sheet %s: %w", name, err)
	}
	return g, nil
}

// cell returns the trimmed value at a 1-based row and column, "" if absent.
func cell(g [][]string, row, col int) string {
	if row < 1 || row > len(g) || col < 1 || col > len(g[row-1]) {
		return ""
	}
	return strings.TrimSpace(g[row-1][col-1])
}

// at reads a cell of a sheet's grid as a val.
func at(g [][]string, sheet string, row, col int) val {
	return val{s: cell(g, row, col), at: loc{sheet, row, col}}
}

// layoutChanged is the problem of a locked cell that does not hold what the
// form wrote there.
func layoutChanged(sheet string, row, col int, want string) Problem {
	return loc{sheet, row, col}.problem(fmt.Sprintf("the form's layout was changed (expected %q here): download a fresh bid form", want))
}

// layoutChangedFound is layoutChanged quoting what the cell holds.
func layoutChangedFound(g [][]string, sheet string, row, col int, want string) Problem {
	p := layoutChanged(sheet, row, col, want)
	if v := cell(g, row, col); v != "" {
		p.Message += found(v)
	} else {
		p.Message += " (the cell is empty)"
	}
	return p
}

// readPricing reads the Pricing sheet's fields and tiers.
func readPricing(raw *rawBid, g [][]string) {
	for i, fl := range pricingFields {
		row := pricingFirstRow + i
		if k := cell(g, row, keyCol); k != fl.key {
			raw.errs = append(raw.errs, layoutChangedFound(g, sheetPricing, row, keyCol, fl.key))
		}
		raw.fields[fl.key] = at(g, sheetPricing, row, answerCol)
	}
	raw.tierAt = loc{sheetPricing, tierFirstRow, tierPriceCol}
	for k := range maxFormTiers {
		row := tierFirstRow + k
		t := rawTier{upTo: at(g, sheetPricing, row, tierUpToCol), price: at(g, sheetPricing, row, tierPriceCol)}
		if t.upTo.s == "" && t.price.s == "" {
			continue
		}
		raw.tiers = append(raw.tiers, t)
	}
}

// readStaffing reads the vendor's per-FTE figures from the Service level
// sheet, when it asks for them (an evaluation with a service level).
func readStaffing(raw *rawBid, g [][]string) {
	if cell(g, staffFirstRow, keyCol) == "" && cell(g, staffAnswerRow, keyCol) == "" {
		return // no service level: the sheet asks for nothing
	}
	for i, fl := range staffFields {
		if row := staffFirstRow + i; cell(g, row, keyCol) != fl.key {
			raw.errs = append(raw.errs, layoutChangedFound(g, sheetStaffing, row, keyCol, fl.key))
		}
	}
	for i, fl := range capacityFields {
		row := staffAnswerRow + i
		if k := cell(g, row, keyCol); k != fl.key {
			raw.errs = append(raw.errs, layoutChangedFound(g, sheetStaffing, row, keyCol, fl.key))
		}
		raw.capacity[fl.key] = at(g, sheetStaffing, row, answerCol)
	}
}

// readLines reads the Lines sheet's filled rows.
func readLines(raw *rawBid, g [][]string) {
	for c := range lineColumns {
		if h := cell(g, linesHeaderRow, c+1); h != lineHeaders[c] {
			raw.errs = append(raw.errs, layoutChangedFound(g, sheetLines, linesHeaderRow, c+1, lineHeaders[c]))
		}
	}
	raw.linesAt = loc{sheetLines, linesFirstRow, 1}
	for k := range maxFormLines {
		row := linesFirstRow + k
		var l rawLine
		empty := true
		for c := range lineColumns {
			l[c] = at(g, sheetLines, row, c+1)
			empty = empty && l[c].s == ""
		}
		if !empty {
			raw.lines = append(raw.lines, l)
		}
	}
}

// readQuality reads the Quality sheet: a criterion key in column A and the
// score in column D, from the first row until the keys end.
func readQuality(raw *rawBid, g [][]string) {
	if h := cell(g, qualityHeaderRow, qualityScoreCol); h != qualityHeaders[qualityScoreCol-1] {
		raw.errs = append(raw.errs, layoutChangedFound(g, sheetQuality, qualityHeaderRow, qualityScoreCol, qualityHeaders[qualityScoreCol-1]))
	}
	for row := qualityFirstRow; row <= len(g); row++ {
		key := at(g, sheetQuality, row, qualityKeyCol)
		key.s = unNeutralise(key.s)
		if key.s == "" {
			break
		}
		raw.scores = append(raw.scores, rawScore{key: key, score: at(g, sheetQuality, row, qualityScoreCol)})
	}
}

// parseCSV reads a CSV bid into a rawBid and builds it.
func parseCSV(data []byte, d *tco.Document) (*tco.Option, error) {
	raw, err := readCSV(data)
	if err != nil {
		return nil, err
	}
	return build(raw, d)
}

// readCSV reads every row of a CSV bid.
func readCSV(data []byte) (*rawBid, error) {
	data = bytes.TrimPrefix(data, utf8BOM)
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	raw := newRawBid(false)
	raw.sep = detectSeparator(data)
	r.Comma = raw.sep
	formSheet := false
	seen := map[string]int{}
	first := true
	for n := 0; ; n++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, Errors{{Row: pe.StartLine, Message: "is not valid CSV: " + pe.Err.Error()}}
			}
			return nil, fmt.Errorf("read csv: %w", err)
		}
		if n >= MaxCSVRows {
			return nil, fmt.Errorf("%w: more than %d rows", ErrTooLarge, MaxCSVRows)
		}
		row, _ := r.FieldPos(0)
		formSheet = formSheet || isFormSheetRow(rec)
		if parseRecord(raw, rec, row, first, seen) {
			first = false
		}
	}
	if formSheet {
		// A sheet of the bid form saved as CSV: one message, not one per row.
		return nil, Errors{{Message: "this is a sheet of the bid form saved as CSV, which keeps one sheet only and loses the form's marker: upload the filled bid form itself, the .xlsx file"}}
	}
	return raw, nil
}

// isFormSheetRow reports whether a CSV row is a row of one of the bid
// form's sheets: a title, a header row or a Pricing answer row.
func isFormSheetRow(rec []string) bool {
	get := func(i int) string {
		if i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	title := strings.Join(rec, "") == get(0) // a title: the first cell only
	switch get(0) {
	case "How to fill in this form", "Volume forecast", "Pricing", "Quality":
		if title {
			return true
		}
	}
	if strings.HasPrefix(get(0), "Bid form: ") || strings.HasPrefix(get(0), "Other costs the buyer carries") {
		return true
	}
	if get(0) == "Field" && get(1) == "Key" && get(2) == "Your answer" {
		return true
	}
	if get(0) == lineHeaders[0] && get(1) == lineHeaders[1] && get(2) == lineHeaders[2] {
		return true
	}
	if get(0) == qualityHeaders[0] && get(1) == qualityHeaders[1] {
		return true
	}
	for _, f := range pricingFields {
		if get(0) == f.label && get(1) == f.key {
			return true
		}
	}
	return false
}

// csvSections are the first cells a CSV bid row may have.
const csvSections = "pricing, capacity, tier, line or score"

// parseRecord reads one CSV row (a record whose first line is row) into
// raw; first says it is the file's first row, which may be a header; seen
// maps pricing keys to the row that gave them. It reports whether the row
// had content (it was not blank or a comment).
func parseRecord(raw *rawBid, rec []string, row int, first bool, seen map[string]int) bool {
	for i := range rec {
		rec[i] = strings.TrimSpace(rec[i])
	}
	get := func(i int) val {
		v := val{at: loc{row: row, col: i + 1}}
		if i < len(rec) {
			v.s = rec[i]
		}
		return v
	}
	problem := func(col int, msg string) { raw.errs = append(raw.errs, loc{row: row, col: col}.problem(msg)) }
	// extra reports non-empty cells past the row's last column.
	extra := func(last int, form string) {
		for i := last + 1; i < len(rec); i++ {
			if rec[i] != "" {
				problem(i+1, "unexpected value: a row is "+form+found(rec[i]))
				return
			}
		}
	}
	if strings.Join(rec, "") == "" || strings.HasPrefix(rec[0], "#") {
		return false
	}
	section := keyword(rec[0])
	if first && section == "section" {
		return true
	}
	switch section {
	case "pricing":
		key := keyword(get(1).s)
		if pricingRow(key) == 0 {
			problem(2, fmt.Sprintf("unknown pricing key %q: use %s", get(1).s, pricingKeyList()))
			return true
		}
		if r, dup := seen[key]; dup {
			problem(2, fmt.Sprintf("pricing,%s is given twice (also row %d)", key, r))
			return true
		}
		seen[key] = row
		raw.fields[key] = get(2)
		extra(2, "pricing,KEY,VALUE")
	case "capacity":
		key := keyword(get(1).s)
		if capacityRow(key) == 0 {
			problem(2, fmt.Sprintf("unknown capacity key %q: use %s", get(1).s, capacityKeyList()))
			return true
		}
		if r, dup := seen["capacity."+key]; dup {
			problem(2, fmt.Sprintf("capacity,%s is given twice (also row %d)", key, r))
			return true
		}
		seen["capacity."+key] = row
		raw.capacity[key] = get(2)
		extra(2, "capacity,KEY,VALUE")
	case "tier":
		t := rawTier{upTo: get(1), price: get(2)}
		if len(raw.tiers) == 0 {
			raw.tierAt = t.price.at
		}
		raw.tiers = append(raw.tiers, t)
		extra(2, "tier,UP_TO,PRICE")
	case "line":
		var l rawLine
		for c := range lineColumns {
			l[c] = get(c + 1)
		}
		if len(raw.lines) == 0 {
			raw.linesAt = l[lineName].at
		}
		raw.lines = append(raw.lines, l)
		extra(lineColumns, "line,NAME,CATEGORY,BASIS,AMOUNT,MONTH,FROM_MONTH,TO_MONTH,ESCALATION,BLOCK_SIZE")
	case "score":
		s := rawScore{key: get(1), score: get(2)}
		if s.key.s == "" {
			problem(2, "the criterion key is required")
			return true
		}
		if s.score.s == "" {
			problem(3, "the score is required")
			return true
		}
		raw.scores = append(raw.scores, s)
		extra(2, "score,KEY,SCORE")
	default:
		problem(1, fmt.Sprintf("unknown section %q: use %s", rec[0], csvSections))
	}
	return true
}

// pricingKeyList lists the pricing keys for a message.
func pricingKeyList() string {
	keys := make([]string, len(pricingFields))
	for i, f := range pricingFields {
		keys[i] = f.key
	}
	return strings.Join(keys, ", ")
}

// capacityKeyList lists the capacity keys for a message.
func capacityKeyList() string {
	keys := make([]string, len(capacityFields))
	for i, f := range capacityFields {
		keys[i] = f.key
	}
	return strings.Join(keys, ", ")
}
