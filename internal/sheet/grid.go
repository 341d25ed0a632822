package sheet

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// grid collects one sheet's cells and writes them through excelize's
// StreamWriter, the one excelize writer that stores a formula together with
// its cached value (<f> and a numeric <v>; SetCellFormula keeps the value
// as text, and every SetCell* removes the formula). Readers that do not
// recalculate (previews, Power Query, pandas) then see the application's
// figures. The grid also knows the used range, for a correct <dimension>.
type grid struct {
	cells  map[int]map[int]*excelize.Cell // row → column → cell
	widths map[int]float64                // column → width in characters
	height map[int]float64                // row → height in points
	maxRow int
	maxCol int
}

func newGrid() *grid {
	return &grid{cells: map[int]map[int]*excelize.Cell{}, widths: map[int]float64{}, height: map[int]float64{}}
}

func (g *grid) at(col, row int) *excelize.Cell {
	r := g.cells[row]
	if r == nil {
		r = map[int]*excelize.Cell{}
		g.cells[row] = r
	}
	c := r[col]
	if c == nil {
		c = &excelize.Cell{}
		r[col] = c
	}
	g.maxRow, g.maxCol = max(g.maxRow, row), max(g.maxCol, col)
	return c
}

// str writes a text cell, neutralised.
func (g *grid) str(col, row int, s string) { g.at(col, row).Value = Neutralise(s) }

// num writes a number cell.
func (g *grid) num(col, row int, v any) { g.at(col, row).Value = v }

// formula writes a formula ("SUM(C5:C9)", no '=') with the value the
// application computed for it, cached in the file; value nil leaves the
// cache empty.
func (g *grid) formula(col, row int, fx string, value any) {
	c := g.at(col, row)
	c.Formula, c.Value = fx, value
}

// style applies a style to a rectangle of cells (creating empty ones).
func (g *grid) style(col1, row1, col2, row2, id int) {
	for r := row1; r <= row2; r++ {
		for c := col1; c <= col2; c++ {
			g.at(c, r).StyleID = id
		}
	}
}

// width sets the width of columns col1..col2.
func (g *grid) width(col1, col2 int, w float64) {
	for c := col1; c <= col2; c++ {
		g.widths[c] = w
	}
}

// fit widens column col to its longest text (between lo and hi
// characters), so that names and headers are not cut off.
func (g *grid) fit(col int, lo, hi float64) {
	w := lo
	for _, r := range g.cells {
		if c := r[col]; c != nil {
			if s, ok := c.Value.(string); ok && c.Formula == "" {
				w = max(w, float64(len([]rune(s)))+2)
			}
		}
	}
	g.widths[col] = min(w, hi)
}

// wrapRow sets a row's height so that its wrapped text shows in full: the
// longest cell's text over its column's width, at 15 points a line.
func (g *grid) wrapRow(row int) {
	lines := 1.0
	for col, c := range g.cells[row] {
		s, ok := c.Value.(string)
		if !ok {
			continue
		}
		w := g.widths[col]
		if w <= 0 {
			w = 9
		}
		n := 0.0
		for _, part := range strings.Split(s, "\n") {
			// a character is about one unit of width; words wrap early
			n += math.Max(1, math.Ceil(float64(len([]rune(part)))*1.1/w))
		}
		lines = max(lines, n)
	}
	if lines > 1 {
		g.height[row] = 15 * lines
	}
}

// ref is the used range, "A1:O12".
func (g *grid) ref() string {
	return "A1:" + name(max(g.maxCol, 1), max(g.maxRow, 1))
}

// flush writes the grid to sheet through a StreamWriter; panes, when set,
// freeze the top-left corner. Sheet properties and the dimension are set
// before the stream starts, because the stream writes them first.
func (g *grid) flush(w *xw, sheet string, panes *excelize.Panes) {
	if w.err != nil {
		return
	}
	w.keep(w.f.SetSheetDimension(sheet, g.ref()))
	sw, err := w.f.NewStreamWriter(sheet)
	if err != nil {
		w.keep(err)
		return
	}
	cols := make([]int, 0, len(g.widths))
	for c := range g.widths {
		cols = append(cols, c)
	}
	slices.Sort(cols)
	for _, c := range cols {
		w.keep(sw.SetColWidth(c, c, g.widths[c]))
	}
	if panes != nil {
		w.keep(sw.SetPanes(panes))
	}
	rows := make([]int, 0, len(g.cells))
	for r := range g.cells {
		rows = append(rows, r)
	}
	slices.Sort(rows)
	for _, r := range rows {
		vals := make([]any, g.maxCol)
		for c, cell := range g.cells[r] {
			vals[c-1] = *cell
		}
		var opts []excelize.RowOpts
		if h := g.height[r]; h > 0 {
			opts = append(opts, excelize.RowOpts{Height: h})
		}
		w.keep(sw.SetRow(name(1, r), vals, opts...))
	}
	w.keep(sw.Flush())
}

// printSetup makes a sheet print landscape on pages one wide (as many
// tall as needed), repeating rows firstRow..lastRow (and columns A..lastCol
// when lastCol > 0) on every page. It must run before the sheet's stream
// starts: the fit-to-page flag is written first.
func (w *xw) printSetup(sheet string, firstRow, lastRow, lastCol int) {
	yes, landscape, one, zero := true, "landscape", 1, 0
	w.keep(w.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &yes}))
	w.keep(w.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: &landscape, FitToWidth: &one, FitToHeight: &zero}))
	q := "'" + strings.ReplaceAll(sheet, "'", "''") + "'"
	titles := ""
	if lastCol > 0 {
		titles = q + "!$A:$" + col(lastCol)
	}
	if lastRow > 0 {
		if titles != "" {
			titles += ","
		}
		titles += q + "!$" + strconv.Itoa(firstRow) + ":$" + strconv.Itoa(lastRow)
	}
	if titles != "" {
		w.keep(w.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: titles, Scope: sheet}))
	}
}
