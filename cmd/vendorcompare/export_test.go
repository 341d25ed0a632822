package main

import (
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

func TestExport(t *testing.T) {
	dir := dataWithE2(t)

	t.Run("XLSX", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "finance.xlsx")
		out, errOut, err := runCmd(t, nil, "export", "-data", dir, "-evaluation", "1", "-format", "xlsx", "-o", path)
		if err != nil || !strings.HasPrefix(out, "wrote "+path+" (") {
			t.Fatalf("export: %v, stdout %q, stderr %q", err, out, errOut)
		}
		f, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if got := f.GetSheetList(); strings.Join(got, ",") != "Summary,in-house,vendor-a,Staffing,Cash by fiscal year,About" {
			t.Errorf("sheets %v", got)
		}
		// The Summary's TCO of vendor-a, recalculated from the monthly cells.
		rows, _ := f.GetRows("Summary")
		found := false
		for i, row := range rows {
			for j, v := range row {
				if v != "Vendor A" {
					continue
				}
				for k := j + 1; k < len(row); k++ {
					cell, _ := excelize.CoordinatesToCellName(k+1, i+1)
					if fx, _ := f.GetCellFormula("Summary", cell); fx == "" {
						continue
					}
					v, err := f.CalcCellValue("Summary", cell, excelize.Options{RawCellValue: true})
					if err != nil {
						t.Fatal(err)
					}
					if d, err := decimal.NewFromString(v); err == nil && d.Round(2).String() == "4071167.36" {
						found = true
					}
				}
			}
		}
		if !found {
			t.Error("no formula on the Summary recalculates to vendor-a's TCO 4071167.36")
		}
	})

	t.Run("CSVStdout", func(t *testing.T) {
		out, _, err := runCmd(t, nil, "export", "-data", dir, "-evaluation", "1", "-format", "csv", "-o", "-")
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 1+2*37 || strings.Join(recs[0][:4], ",") != "option,name,month,label" {
			t.Fatalf("%d rows, header %v", len(recs), recs[0])
		}
		total := slices.Index(recs[0], "total")
		sum := decimal.Zero
		for _, r := range recs[1:] {
			if r[0] == "vendor-a" {
				sum = sum.Add(decimal.RequireFromString(r[total]))
			}
		}
		if sum.StringFixed(2) != "4071167.36" {
			t.Errorf("vendor-a's monthly totals add up to %s", sum.StringFixed(2))
		}
	})

	t.Run("CSVSemicolonBOM", func(t *testing.T) {
		out, _, err := runCmd(t, nil, "export", "-data", dir, "-evaluation", "1", "-format", "csv", "-sep", "semicolon", "-bom", "-o", "-")
		if err != nil {
			t.Fatal(err)
		}
		body, ok := strings.CutPrefix(out, "\ufeff")
		if !ok {
			t.Fatalf("no byte-order mark: %.40q", out)
		}
		r := csv.NewReader(strings.NewReader(body))
		r.Comma = ';'
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		total := slices.Index(recs[0], "total")
		sum := decimal.Zero
		for _, rec := range recs[1:] {
			if rec[0] == "vendor-a" {
				sum = sum.Add(decimal.RequireFromString(strings.Replace(rec[total], ",", ".", 1)))
			}
		}
		if sum.StringFixed(2) != "4071167.36" {
			t.Errorf("vendor-a's monthly totals add up to %s", sum.StringFixed(2))
		}
		if _, _, err := runCmd(t, nil, "export", "-data", dir, "-evaluation", "1", "-format", "csv", "-sep", "tab", "-o", "-"); err == nil {
			t.Error("-sep tab was accepted")
		}
	})

	t.Run("JSONEqualsCompare", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "c.json")
		if _, _, err := runCmd(t, nil, "export", "-data", dir, "-evaluation", "1", "-format", "json", "-o", path); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		want, _, err := runCmd(t, nil, "compare", "-json", e2Path)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Error("the JSON export differs from compare -json of the same document")
		}
	})

	t.Run("DefaultName", func(t *testing.T) {
		t.Chdir(t.TempDir())
		out, _, err := runCmd(t, nil, "export", "-data", dir, "-evaluation", "1", "-format", "csv")
		const name = "E2_36-month_outsourcing_decision-comparison.csv"
		if err != nil || !strings.HasPrefix(out, "wrote "+name+" (") {
			t.Fatalf("export: %v, stdout %q", err, out)
		}
		if _, err := os.Stat(name); err != nil {
			t.Error(err)
		}
	})

	t.Run("Errors", func(t *testing.T) {
		for _, tc := range []struct {
			name  string
			args  []string
			usage bool
			want  string
		}{
			{"NoEvaluation", []string{"-data", dir, "-o", "-", "-format", "csv"}, true, "-evaluation"},
			{"BadFormat", []string{"-data", dir, "-evaluation", "1", "-format", "pdf"}, true, "must be xlsx, csv, json or text"},
			{"XLSXToStdout", []string{"-data", dir, "-evaluation", "1", "-o", "-"}, true, "binary"},
			{"UnknownEvaluation", []string{"-data", dir, "-evaluation", "9", "-format", "csv", "-o", "-"}, false, "evaluation not found"},
			{"NoDatabase", []string{"-data", t.TempDir(), "-evaluation", "1", "-o", "-", "-format", "json"}, false, "no database"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, _, err := runCmd(t, nil, append([]string{"export"}, tc.args...)...)
				var u usageError
				if err == nil || errors.As(err, &u) != tc.usage || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("err %v (usage %v), want %q", err, errors.As(err, &u), tc.want)
				}
			})
		}
	})
}
