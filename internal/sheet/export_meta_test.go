package sheet

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// openBytes opens a workbook read back in a test.
func openBytes(t *testing.T, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// Issue 11, "Spreadsheets as finance and vendors use them": every formula
// has the application's value cached, the sheets' dimensions are their
// used ranges, an About sheet and the workbook's properties say where the
// file comes from, and every sheet prints landscape, one page wide, its
// header repeated.
func TestExportWorkbookFinish(t *testing.T) {
	t.Parallel()
	d := decodeDoc(t, demoDoc)
	c := compare(t, d)
	data, err := ExportXLSX(d, c, testAbout)
	if err != nil {
		t.Fatal(err)
	}
	f := openBytes(t, data)

	t.Run("CachedValues", func(t *testing.T) {
		o := result(t, c, "bpo-east")
		h := len(c.Months)
		total := col(optFirstLine + len(o.Lines))
		for ref, want := range map[string]string{
			total + itoaT(optFirstRow+h+1): o.TCO.Value.String(),
			total + itoaT(optFirstRow+h+2): o.PV.Value.String(),
			"C" + itoaT(optFirstRow+h+5):   o.ByCategory["personnel"].Value.String(),
		} {
			if fx, _ := f.GetCellFormula("bpo-east", ref); fx == "" {
				t.Errorf("bpo-east!%s has no formula", ref)
			}
			if v, _ := f.GetCellValue("bpo-east", ref, excelizeRaw); v != want {
				t.Errorf("bpo-east!%s caches %q, want %q", ref, v, want)
			}
		}
		n := 0
		for at, v := range formulaCells(t, data) {
			n++
			if v == "" {
				t.Errorf("%s: no cached value", at)
			}
		}
		if n < 400 {
			t.Errorf("only %d formula cells", n)
		}
	})

	t.Run("Dimensions", func(t *testing.T) {
		for _, s := range f.GetSheetList() {
			rows, _ := f.GetRows(s)
			cols := 0
			for _, r := range rows {
				cols = max(cols, len(r))
			}
			if dim, _ := f.GetSheetDimension(s); dim != "A1:"+name(cols, len(rows)) {
				t.Errorf("%s: dimension %q, used range A1:%s", s, dim, name(cols, len(rows)))
			}
		}
	})

	t.Run("About", func(t *testing.T) {
		if got := f.GetSheetList(); got[0] != sheetSummary || got[len(got)-1] != sheetAbout {
			t.Errorf("sheets %v", got)
		}
		rows, _ := f.GetRows(sheetAbout)
		var all []string
		for _, r := range rows {
			all = append(all, strings.Join(r, " | "))
		}
		text := strings.Join(all, "\n")
		for _, want := range []string{
			"Exported at | 2027-02-15 09:30:00 UTC", "Exported by | cfo@example.com", "Application | vendorcompare",
			"Evaluation id | 4", "Evaluation version | 17",
			"Forecast | contact: 15,879.94 to 24,687.13 a month", "Discount rate | 9.5% a year, each month's cost at its middle", "over 30 months from 2027-04, in CNY",
			"Option | Kind | Quote round", "BPO East | vendor | —",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("About lacks %q:\n%s", want, text)
			}
		}
		p, err := f.GetDocProps()
		if err != nil {
			t.Fatal(err)
		}
		if p.Creator != "vendorcompare" || p.LastModifiedBy != "cfo@example.com" || !strings.HasPrefix(p.Created, "2027-02-15T09:30:00") ||
			!strings.HasPrefix(p.Modified, "2027-02-15") || p.Title != "Demo: customer service 2027" {
			t.Errorf("properties %+v", p)
		}
		if a, _ := f.GetAppProps(); a.Application != "vendorcompare" {
			t.Errorf("application %q", a.Application)
		}
	})

	t.Run("Print", func(t *testing.T) {
		titles := map[string]string{}
		for _, dn := range f.GetDefinedName() {
			if dn.Name == "_xlnm.Print_Titles" {
				titles[dn.Scope] = dn.RefersTo
			}
		}
		for _, s := range f.GetSheetList() {
			pl, err := f.GetPageLayout(s)
			if err != nil {
				t.Fatal(err)
			}
			if pl.Orientation == nil || *pl.Orientation != "landscape" || pl.FitToWidth == nil || *pl.FitToWidth != 1 || pl.FitToHeight == nil || *pl.FitToHeight != 0 {
				t.Errorf("%s: page layout %+v", s, pl)
			}
			if sp, _ := f.GetSheetProps(s); sp.FitToPage == nil || !*sp.FitToPage {
				t.Errorf("%s: not fit to page", s)
			}
			if titles[s] == "" {
				t.Errorf("%s: no print titles", s)
			}
		}
		if titles["bpo-east"] != "'bpo-east'!$A:$B,'bpo-east'!$3:$4" || titles[sheetSummary] != "'Summary'!$8:$8" {
			t.Errorf("print titles %v", titles)
		}
	})

	t.Run("NotCutOff", func(t *testing.T) {
		// the option names fit their column, the wrapped headers their row
		w, _ := f.GetColWidth(sheetSummary, col(sumOption))
		for _, o := range c.Options {
			if float64(len(o.Name)) > w {
				t.Errorf("%q is wider than its column (%.0f)", o.Name, w)
			}
		}
		if h, _ := f.GetRowHeight(sheetSummary, summaryHeader); h < 30 {
			t.Errorf("summary header row %.0f points: its headers wrap", h)
		}
	})
}

func itoaT(n int) string { return strconv.Itoa(n) }

// The CSV dialects: RFC 4180 by default; ';' with a decimal comma; a BOM.
func TestExportCSVDialects(t *testing.T) {
	t.Parallel()
	d := decodeDoc(t, demoDoc)
	c := compare(t, d)
	plain, _ := ExportCSV(c, CSVOptions{})
	eu, err := ExportCSV(c, CSVOptions{Semicolon: true, BOM: true})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.HasPrefix(plain, utf8BOM) || !bytes.HasPrefix(eu, utf8BOM) {
		t.Fatal("the byte-order mark is wrong")
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(eu, utf8BOM)))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want, _ := csv.NewReader(bytes.NewReader(plain)).ReadAll()
	if len(recs) != len(want) {
		t.Fatalf("%d records, want %d", len(recs), len(want))
	}
	for i := range want {
		for j := range want[i] {
			if got := strings.Replace(recs[i][j], ",", ".", 1); got != want[i][j] && j >= 4 {
				t.Fatalf("record %d field %d: %q, want %q", i, j, recs[i][j], want[i][j])
			}
		}
	}
	if !strings.Contains(string(eu), ";61000,50;") && !strings.Contains(string(eu), "0,00") {
		t.Errorf("no decimal comma: %.200s", eu)
	}
	// read back by the bid reader's own separator detection
	if detectSeparator(bytes.TrimPrefix(eu, utf8BOM)) != ';' || detectSeparator(plain) != ',' {
		t.Error("separator detection")
	}
}

// The bid form: instructions readable (rows high enough for their wrapped
// text), rows and columns resizable on the protected sheets, the forecast's
// total cached, every sheet printing landscape one page wide.
func TestBidFormFinish(t *testing.T) {
	t.Parallel()
	e2 := loadDoc(t, "e2.json")
	f := openForm(t, e2)
	for row := 4; row <= 12; row++ {
		v, _ := f.GetCellValue(sheetInstructions, name(1, row))
		h, _ := f.GetRowHeight(sheetInstructions, row)
		if need := 15 * float64(int(float64(len(v))*1.1/120)+1); len(v) > 120 && h < need-15 {
			t.Errorf("Instructions row %d: %.0f points for %d characters", row, h, len(v))
		}
	}
	for _, s := range []string{sheetInstructions, sheetForecast, sheetPricing, sheetLines, sheetQuality} {
		p, err := f.GetSheetProtection(s)
		if err != nil {
			t.Fatal(err)
		}
		if !p.FormatRows || !p.FormatColumns || p.InsertRows || p.DeleteRows {
			t.Errorf("%s protection %+v", s, p)
		}
		if pl, _ := f.GetPageLayout(s); pl.Orientation == nil || *pl.Orientation != "landscape" {
			t.Errorf("%s: not landscape", s)
		}
	}
	if v, _ := f.GetCellValue(sheetForecast, "C44", excelizeRaw); v != "720000" {
		t.Errorf("forecast total caches %q", v)
	}
}
