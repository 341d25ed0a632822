package sheet

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"vendorcompare/internal/tco"
)

// TestExportMarginAndCash: the workbook's cash by fiscal year (fiscal
// years from April, so the first year is the horizon's first quarter)
// recalculates to the comparison's one-time, run-rate and total of every
// option and year, to the cent, and the years of each option add up to its
// TCO; the Summary's price gap to the first recalculates to versus_first's,
// and its score gap and weight flip are the application's.
func TestExportMarginAndCash(t *testing.T) {
	t.Parallel()
	d := decodeDoc(t, demoDoc)
	april := 4
	d.FiscalYearStart = &april
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
	if list := f.GetSheetList(); list[len(list)-2] != sheetCash || list[len(list)-1] != sheetAbout {
		t.Errorf("sheets %v: want %q just before %q", list, sheetCash, sheetAbout)
	}
	rows, err := f.GetRows(sheetCash)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	row := cashHeader + 1
	for _, i := range rankOrder(c) {
		o := &c.Options[i]
		sum := decimal.Zero
		for k, y := range o.CashByFiscalYear {
			yy, mm, _ := tco.ParseMonth(c.Months[0])
			if want := tco.FiscalLabel(tco.FiscalYearOf(yy, mm, april), april); k == 0 && (y.Label != want || y.From != c.Months[0]) {
				t.Errorf("%s: first year %s from %s, want %s from %s (April to March)", o.ID, y.Label, y.From, want, c.Months[0])
			}
			r := rows[row-1]
			if r[cashYear-1] != y.Label || r[cashFrom-1] != y.From || r[cashTo-1] != y.To {
				t.Fatalf("row %d = %v, want %s %s..%s of %s", row, r, y.Label, y.From, y.To, o.ID)
			}
			for _, x := range []struct {
				col  int
				want tco.Money
			}{{cashOnce, y.OneTime}, {cashRun, y.RunRate}, {cashTotal, y.Total}} {
				formulaOf(t, f, sheetCash, name(x.col, row))
				if got := calc(t, f, sheetCash, name(x.col, row), c.Places); !got.Equal(x.want.Value) {
					t.Errorf("%s %s column %d: %s = %s, want %s", o.ID, y.Label, x.col, formulaOf(t, f, sheetCash, name(x.col, row)), got, x.want)
				}
				checked++
			}
			sum = sum.Add(calc(t, f, sheetCash, name(cashTotal, row), c.Places))
			row++
		}
		if !sum.Equal(o.TCO.Value) {
			t.Errorf("%s: the years add up to %s, TCO %s", o.ID, sum, o.TCO)
		}
	}
	t.Logf("%d fiscal-year figures recalculated equal to the cent", checked)

	sumRows, _ := f.GetRows(sheetSummary)
	gaps := 0
	for k, r := range sumRows {
		if k < summaryHeader || len(r) < sumOption {
			continue
		}
		for _, o := range c.Options {
			if Neutralise(o.Name) != r[sumOption-1] {
				continue
			}
			cell := func(cc int) string { return name(cc, k+1) }
			if o.VersusFirst == nil {
				if v, _ := f.GetCellValue(sheetSummary, cell(sumPriceGap)); v != "" {
					t.Errorf("%s has no versus_first but a price gap %q", o.ID, v)
				}
				continue
			}
			gaps++
			if got := calc(t, f, sheetSummary, cell(sumPriceGap), c.Places); !got.Equal(o.VersusFirst.PriceGap.Value) {
				t.Errorf("%s price gap %s, want %s", o.ID, got, o.VersusFirst.PriceGap)
			}
			raw, _ := f.GetCellValue(sheetSummary, cell(sumFlip), excelizeRaw)
			if w := o.VersusFirst.WeightFlip; w == nil && raw != "none in 0..1" || w != nil && !close(raw, fmt.Sprint(*w)) {
				t.Errorf("%s weight flip %q, want %v", o.ID, raw, w)
			}
		}
	}
	if gaps == 0 {
		t.Error("no option with a gap to the first on the Summary")
	}
}
