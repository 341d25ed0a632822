package sheet

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"

	"vendorcompare/internal/report/words"
)

// Limits on uploads. They bound memory and time whatever the input.
const (
	MaxUpload    = 5 << 20  // bytes of an uploaded file
	MaxUnzip     = 32 << 20 // bytes of an XLSX once unzipped, all parts
	MaxUnzipXML  = 8 << 20  // bytes of one worksheet or the shared strings kept in memory
	MaxSheetRows = 1000     // rows read from one sheet
	MaxCSVRows   = 1000     // rows of a CSV bid
)

var (
	// ErrNotSpreadsheet is returned for a file that is neither an XLSX
	// workbook nor CSV text.
	ErrNotSpreadsheet = errors.New("not a spreadsheet: upload the XLSX bid form or a CSV file in the bid layout")
	// ErrNotBidForm is returned for an XLSX workbook that is not our bid form,
	// or one made for another evaluation.
	ErrNotBidForm = errors.New("not this evaluation's bid form")
	// ErrTooLarge is returned when an upload passes one of the limits.
	ErrTooLarge = errors.New("file too large")
)

// Problem is one thing wrong with an uploaded bid, at the place it came from:
// a sheet and cell of the bid form (Sheet "Pricing", Cell "C7"), or a row and
// column of a CSV (Sheet empty). Row and Column are 1-based; 0 when unknown.
type Problem struct {
	Sheet   string `json:"sheet,omitempty"`
	Cell    string `json:"cell,omitempty"`
	Row     int    `json:"row,omitempty"`
	Column  int    `json:"column,omitempty"`
	Message string `json:"message"`
}

// Where names the place: "Pricing!C7", "row 7, column 3", "row 7" or "".
func (p Problem) Where() string {
	switch {
	case p.Sheet != "" && p.Cell != "":
		return p.Sheet + "!" + p.Cell
	case p.Sheet != "":
		return p.Sheet
	case p.Row > 0 && p.Column > 0:
		return fmt.Sprintf("row %d, column %d", p.Row, p.Column)
	case p.Row > 0:
		return fmt.Sprintf("row %d", p.Row)
	}
	return ""
}

// String renders the problem as "Pricing!C7: tier bounds must increase".
func (p Problem) String() string {
	if w := p.Where(); w != "" {
		return w + ": " + p.Message
	}
	return p.Message
}

// Errors is every problem of an uploaded bid at once; it is the error of
// ParseBid, ParseBidForm and ParseBidCSV for a bid that is readable but wrong.
type Errors []Problem

// Error lists the problems, separated by "; ".
func (e Errors) Error() string {
	s := make([]string, len(e))
	for i, p := range e {
		s[i] = p.String()
	}
	return strings.Join(s, "; ")
}

// Lines returns each problem rendered on its own, in order.
func (e Errors) Lines() []string {
	s := make([]string, len(e))
	for i, p := range e {
		s[i] = p.String()
	}
	return s
}

// sheetOrder orders problems by sheet as the form shows them.
var sheetOrder = map[string]int{sheetInstructions: 1, sheetForecast: 2, sheetPricing: 3, sheetLines: 4, sheetQuality: 5, sheetMarker: 6}

// sort orders problems by sheet, row and column, and drops exact repeats.
func (e Errors) sort() Errors {
	sort.SliceStable(e, func(i, j int) bool {
		a, b := e[i], e[j]
		if a.Sheet != b.Sheet {
			return sheetOrder[a.Sheet] < sheetOrder[b.Sheet]
		}
		if a.Row != b.Row {
			return a.Row < b.Row
		}
		return a.Column < b.Column
	})
	out := e[:0]
	for i, p := range e {
		if i > 0 && p == e[i-1] {
			continue
		}
		out = append(out, p)
	}
	if len(out) > maxProblems {
		n := len(out) - maxProblems
		out = append(out[:maxProblems:maxProblems], Problem{Message: "and " + words.Count(n, "more problem")})
	}
	return out
}

// maxProblems caps a report: past it the file is likely not a bid at all.
const maxProblems = 100

// loc is where a value came from: a cell of a sheet, or (sheet empty) a CSV
// row and column. The zero loc is nowhere in particular.
type loc struct {
	sheet    string
	row, col int
}

// problem builds a Problem at l.
func (l loc) problem(msg string) Problem {
	p := Problem{Sheet: l.sheet, Row: l.row, Column: l.col, Message: msg}
	if l.sheet != "" && l.row > 0 && l.col > 0 {
		p.Cell, _ = excelize.CoordinatesToCellName(l.col, l.row)
	}
	return p
}
