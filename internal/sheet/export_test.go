package sheet

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"vendorcompare/internal/tco"
)

// calc recalculates a cell with excelize's engine and returns its value
// rounded to places.
func calc(t *testing.T, f *excelize.File, sheet, cell string, places int32) decimal.Decimal {
	t.Helper()
	v, err := f.CalcCellValue(sheet, cell, excelizeRaw)
	if err != nil {
		t.Fatalf("calc %s!%s: %v", sheet, cell, err)
	}
	d, err := decimal.NewFromString(v)
	if err != nil {
		t.Fatalf("calc %s!%s = %q: %v", sheet, cell, v, err)
	}
	return d.Round(places)
}

// formulaOf returns a cell's formula, failing when it has none.
func formulaOf(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	fx, err := f.GetCellFormula(sheet, cell)
	if err != nil || fx == "" {
		t.Fatalf("%s!%s has no formula (%v)", sheet, cell, err)
	}
	return fx
}

// checkExport recalculates every total of the exported workbook and compares
// it with the comparison, to the cent; it returns how many figures it
// checked.
func checkExport(t *testing.T, d *tco.Document, c *tco.Comparison) int {
	t.Helper()
	data, err := ExportXLSX(d, c, testAbout)
	if err != nil {
		t.Fatalf("ExportXLSX: %v", err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p := c.Places
	h := len(c.Months)
	checked := 0
	eq := func(what, sheet, cell string, want decimal.Decimal) {
		t.Helper()
		checked++
		if got := calc(t, f, sheet, cell, p); !got.Equal(want) {
			t.Errorf("%s (%s!%s = %s): %s, want %s", what, sheet, cell, formulaOf(t, f, sheet, cell), got.StringFixed(p), want.StringFixed(p))
		}
	}
	// The Summary's rows by option name (the names are neutralised).
	rows, err := f.GetRows(sheetSummary)
	if err != nil {
		t.Fatal(err)
	}
	sumRow := map[string]int{}
	for i, r := range rows {
		if i >= summaryHeader && len(r) > 1 {
			sumRow[r[sumOption-1]] = i + 1
		}
	}
	for _, o := range c.Options {
		s := o.ID
		n := len(o.Lines)
		total := col(optFirstLine + n)
		totals := optFirstRow + h + 1
		for m := 0; m <= h; m++ {
			cell := fmt.Sprintf("%s%d", total, optFirstRow+m)
			formulaOf(t, f, s, cell)
			eq(fmt.Sprintf("%s month %d total", s, m), s, cell, o.Monthly[m].Total.Value)
		}
		for j, l := range o.Lines {
			eq(s+" "+l.Name+" total", s, fmt.Sprintf("%s%d", col(optFirstLine+j), totals), l.Total)
		}
		eq(s+" TCO", s, fmt.Sprintf("%s%d", total, totals), o.TCO.Value)
		eq(s+" PV", s, fmt.Sprintf("%s%d", total, totals+1), o.PV.Value)
		if fx := formulaOf(t, f, s, fmt.Sprintf("%s%d", total, totals+1)); !strings.HasPrefix(fx, "ROUND(SUMPRODUCT(") {
			t.Errorf("%s PV formula %q", s, fx)
		}
		for k, cat := range tco.Categories {
			eq(s+" "+cat, s, fmt.Sprintf("C%d", totals+4+k), o.ByCategory[cat].Value)
		}
		eq(s+" all categories", s, fmt.Sprintf("C%d", totals+4+len(tco.Categories)), o.TCO.Value)

		r := sumRow[Neutralise(o.Name)]
		if r == 0 {
			t.Fatalf("%s is not on the Summary", o.Name)
		}
		cell := func(c int) string { return name(c, r) }
		eq(s+" summary TCO", sheetSummary, cell(sumTCO), o.TCO.Value)
		eq(s+" summary PV", sheetSummary, cell(sumPV), o.PV.Value)
		eq(s+" summary TCO savings", sheetSummary, cell(sumSavTCO), o.Savings.TCO.Value)
		eq(s+" summary PV savings", sheetSummary, cell(sumSavPV), o.Savings.PV.Value)
		for _, fc := range []int{sumTCO, sumPV, sumSavTCO, sumSavPV, sumSavTCOPct} {
			formulaOf(t, f, sheetSummary, cell(fc))
		}
		if o.Savings.TCOPct != nil {
			got := calc(t, f, sheetSummary, cell(sumSavTCOPct), 10)
			if want := decimal.NewFromFloat(*o.Savings.TCOPct).Round(10); !got.Sub(want).Abs().LessThan(decimal.New(1, -9)) {
				t.Errorf("%s savings %%: %s, want %s", s, got, want)
			}
		}
		if o.Rank != nil {
			if v, _ := f.GetCellValue(sheetSummary, cell(sumRank)); v != fmt.Sprint(*o.Rank) {
				t.Errorf("%s rank %q, want %d", s, v, *o.Rank)
			}
		}
	}
	return checked
}

func TestExportXLSX(t *testing.T) {
	t.Parallel()
	t.Run("E2", func(t *testing.T) {
		d := loadDoc(t, "e2.json")
		c := compare(t, d)
		n := checkExport(t, d, c)
		// the spec's figures, so a bug in both engine and export cannot hide
		if v := result(t, c, "in-house"); v.TCO.String() != "4531012.08" || v.PV.String() != "4026911.71" {
			t.Errorf("in-house %s / %s", v.TCO, v.PV)
		}
		if v := result(t, c, "vendor-a"); v.Savings.TCO.String() != "459844.72" || v.Savings.PV.String() != "371320.41" {
			t.Errorf("vendor-a savings %s / %s", v.Savings.TCO, v.Savings.PV)
		}
		t.Logf("%d figures recalculated equal to the cent", n)
	})
	t.Run("Demo", func(t *testing.T) {
		d := decodeDoc(t, demoDoc)
		c := compare(t, d)
		n := checkExport(t, d, c)
		t.Logf("%d figures recalculated equal to the cent", n)
	})
	t.Run("Sample", func(t *testing.T) {
		d := loadDoc(t, "sample.json")
		checkExport(t, d, compare(t, d))
	})
}

func TestExportNeutralises(t *testing.T) {
	t.Parallel()
	d := decodeDoc(t, demoDoc)
	c := compare(t, d)
	data, err := ExportXLSX(d, c, testAbout)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// "=Cheap Co" and its "@Oversight" line are text, prefixed, not formulas.
	rows, _ := f.GetRows(sheetSummary)
	found := false
	for _, r := range rows {
		for _, v := range r {
			if strings.Contains(v, "Cheap Co") {
				found = true
				if v != "'=Cheap Co" {
					t.Errorf("summary cell %q", v)
				}
			}
		}
	}
	if !found {
		t.Error("=Cheap Co is not on the Summary")
	}
	if v, _ := f.GetCellValue("cheap-co", name(optFirstLine, optHeaderRow)); v != "'@Oversight" {
		t.Errorf("line header %q", v)
	}
	if fx, _ := f.GetCellFormula("cheap-co", "A1"); fx != "" {
		t.Errorf("the option name became a formula: %q", fx)
	}

	out, err := ExportCSV(c, CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	h := len(c.Months)
	if len(recs) != 1+len(c.Options)*(h+1) {
		t.Fatalf("%d records, want %d", len(recs), 1+len(c.Options)*(h+1))
	}
	// the in-house option staffs its capacities: a last column of heads
	if got := strings.Join(recs[0], ","); got != "option,name,month,label,personnel,technology,operations,external,vendor,total,heads" {
		t.Errorf("header %q", got)
	}
	for _, r := range recs[1:] {
		for i, v := range r {
			if i == 10 { // heads: whole numbers or nothing (checked below)
				if _, err := strconv.ParseInt(v, 10, 64); err != nil && v != "" {
					t.Fatalf("heads %q in %v", v, r)
				}
				continue
			}
			if i >= 4 { // amounts: plain numbers with the minor unit's digits
				if _, err := decimal.NewFromString(v); err != nil || strings.HasPrefix(v, "'") || !strings.Contains(v, ".") || len(v)-strings.IndexByte(v, '.') != 3 {
					t.Fatalf("amount %q in %v", v, r)
				}
				continue
			}
			if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
				t.Fatalf("unneutralised %q in %v", v, r)
			}
		}
	}
	// every CSV row adds up and matches the comparison
	for _, o := range c.Options {
		for _, r := range recs[1:] {
			if r[0] != o.ID {
				continue
			}
			var m int
			fmt.Sscan(r[2], &m)
			sum := decimal.Zero
			for _, v := range r[4:9] {
				sum = sum.Add(dec(t, v))
			}
			if !sum.Equal(dec(t, r[9])) || !sum.Equal(o.Monthly[m].Total.Value) {
				t.Errorf("%s month %d: categories %s, total %s, want %s", o.ID, m, sum, r[9], o.Monthly[m].Total)
			}
			// heads: the comparison's staffing, summed over the capacities
			want := ""
			if m > 0 && len(o.Staffing) > 0 {
				var n int64
				for _, st := range o.Staffing {
					n += st.Heads[m-1]
				}
				want = strconv.FormatInt(n, 10)
			}
			if r[10] != want {
				t.Errorf("%s month %d: heads %q, want %q", o.ID, m, r[10], want)
			}
		}
	}
	if recs[1+3*(h+1)][1] != "'=Cheap Co" {
		t.Errorf("csv name %q", recs[1+3*(h+1)][1])
	}
}

func TestNeutralise(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"=1+2": "'=1+2", "+cmd": "'+cmd", "-2+3": "'-2+3", "@SUM(A1)": "'@SUM(A1)", "\tx": "'\tx", "\rx": "'\rx",
		"Vendor A": "Vendor A", "": "", "'=x": "'=x", "1-2": "1-2",
	} {
		if got := Neutralise(in); got != want {
			t.Errorf("Neutralise(%q) = %q, want %q", in, got, want)
		}
		if in != "" && unNeutralise(Neutralise(in)) != in && in != "'=x" {
			t.Errorf("unNeutralise(Neutralise(%q)) = %q", in, unNeutralise(Neutralise(in)))
		}
	}
}

func TestSafeFilename(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Tier-1 customer service 2027.xlsx": "Tier-1_customer_service_2027.xlsx",
		`../../etc/passwd`:                  "etc_passwd",
		"Évaluation «2027»; rm -rf.csv":     "valuation_2027_rm_-rf.csv",
		"\"quoted\"\r\nX-Header: 1.xlsx":    "quoted_X-Header_1.xlsx",
		"":                                  "export",
		"...":                               "export",
		".hidden":                           "hidden",
		strings.Repeat("a", 300) + ".xlsx":  strings.Repeat("a", 95) + ".xlsx",
	} {
		got := SafeFilename(in)
		if got != want {
			t.Errorf("SafeFilename(%q) = %q, want %q", in, got, want)
		}
		for _, r := range got {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_.", r)) {
				t.Errorf("SafeFilename(%q) = %q has %q", in, got, r)
			}
		}
	}
}
