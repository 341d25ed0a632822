package sheet

import (
	"bytes"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"vendorcompare/internal/report"
	"vendorcompare/internal/tco"
)

// TestExportRisk: a comparison with risk gets a Risk sheet holding its runs,
// seed, drivers and each option's percentiles and shares as values, equal to
// the comparison's; one without risk has no such sheet.
func TestExportRisk(t *testing.T) {
	t.Parallel()
	d := loadDoc(t, "sample.json")
	d.Risk = &tco.Risk{Runs: 400, Seed: 12, Drivers: tco.RiskDrivers{
		Volume: &tco.Triangular{Low: decimal.RequireFromString("0.8"), Mode: decimal.NewFromInt(1), High: decimal.RequireFromString("1.3")},
		FXRate: &tco.Triangular{Low: decimal.RequireFromString("0.85"), Mode: decimal.NewFromInt(1), High: decimal.RequireFromString("1.15")}}}
	c, err := tco.Compare(d, tco.CompareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := ExportXLSX(d, c, About{ExportedAt: time.Unix(0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b), excelizeRaw)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Contains(got, "Risk") || got[len(got)-1] != "About" {
		t.Fatalf("sheets %v", got)
	}
	rows, err := f.GetRows("Risk")
	if err != nil {
		t.Fatal(err)
	}
	find := func(first string) []string {
		for _, r := range rows {
			if len(r) > 0 && r[0] == first {
				return r
			}
		}
		t.Fatalf("no row %q in %v", first, rows)
		return nil
	}
	if r := find("Runs"); r[1] != "400" {
		t.Errorf("runs %v", r)
	}
	if r := find("Seed"); r[1] != "12" {
		t.Errorf("seed %v", r)
	}
	if r := find("Volume"); r[1] != "0.8" || r[3] != "1.3" {
		t.Errorf("volume driver %v", r)
	}
	if r := find("Personnel costs"); r[1] != "fixed at 1" {
		t.Errorf("personnel driver %v", r)
	}
	for _, o := range c.Options {
		r := find(o.Name)
		want := []string{o.Risk.Savings.P10.String(), o.Risk.Savings.P50.String(), o.Risk.Savings.P90.String(), o.Risk.Savings.Mean.String()}
		for j, w := range want {
			if !dec(t, r[1+j]).Equal(dec(t, w)) {
				t.Errorf("%s column %d: %s, want %s", o.ID, 2+j, r[1+j], w)
			}
		}
		if dec(t, r[5]).InexactFloat64() != o.Risk.PSaves || dec(t, r[7]).InexactFloat64() != o.Risk.PFirst {
			t.Errorf("%s shares %v, want %v and %v", o.ID, r[5:], o.Risk.PSaves, o.Risk.PFirst)
		}
		if math.Abs(dec(t, r[6]).InexactFloat64()-report.SamplingError(o.Risk.PSaves, 400)) > 1e-12 {
			t.Errorf("%s sampling error %s", o.ID, r[6])
		}
	}

	// without risk: no Risk sheet
	d.Risk = nil
	c, _ = tco.Compare(d, tco.CompareOptions{})
	b, err = ExportXLSX(d, c, About{ExportedAt: time.Unix(0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	f2, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f2.Close()
	if slices.Contains(f2.GetSheetList(), "Risk") {
		t.Error("a comparison without risk has a Risk sheet")
	}
}
