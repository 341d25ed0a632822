package sheet

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"vendorcompare/internal/tco"
)

// LibreOffice headless is the spreadsheet client of these tests (Debian's
// libreoffice-calc-nogui). They run under CI=true or with -tags
// libreoffice; they skip with a message when soffice is missing on a
// developer machine, and fail under CI=true, where .ci/run installs it.

// soffice returns the LibreOffice binary: $SOFFICE, or soffice on the PATH.
func soffice(t *testing.T) string {
	t.Helper()
	// half a minute of CPU on two cores: `go test ./...` stays quick, CI
	// (CI=true, .ci/run) and -tags libreoffice run them
	if !libreOfficeTag && os.Getenv("CI") != "true" {
		t.Skip("LibreOffice client test: run with -tags libreoffice (CI=true runs it)")
	}
	if p := os.Getenv("SOFFICE"); p != "" {
		// a SOFFICE that names no program is a missing LibreOffice, not a crash later
		if _, err := exec.LookPath(p); err == nil {
			return p
		}
		if os.Getenv("CI") == "true" {
			t.Fatalf("SOFFICE=%q is not a program: the LibreOffice tests must run on CI", p)
		}
		t.Skipf("SOFFICE=%q is not a program: skipping the LibreOffice tests", p)
	}
	if p, err := exec.LookPath("soffice"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/bin/soffice"); err == nil {
		return "/usr/bin/soffice"
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("LibreOffice (soffice) not found: install libreoffice-calc-nogui; the spreadsheet tests must run on CI")
	}
	t.Skip("LibreOffice (soffice) not found: install libreoffice-calc-nogui (or set SOFFICE) to run the LibreOffice tests")
	return ""
}

// recalcProfile is a LibreOffice user profile that recalculates every
// formula of an OOXML file on load (OOXMLRecalcMode 0, "always"), instead
// of trusting the cached values: so the figures read back are LibreOffice's
// own.
const recalcProfile = `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
`

// convert opens each file in LibreOffice headless with the recalculating
// profile and saves it as format ("xlsx", "csv"…) into a new folder; it
// returns the converted files by input name.
func convert(t *testing.T, format string, files map[string][]byte) map[string][]byte {
	t.Helper()
	bin := soffice(t)
	dir := t.TempDir()
	profile := filepath.Join(dir, "profile")
	if err := os.MkdirAll(filepath.Join(profile, "user"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(profile, "user", "registrymodifications.xcu"), []byte(recalcProfile), 0o600); err != nil {
		t.Fatal(err)
	}
	in, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	os.Mkdir(in, 0o700)
	args := []string{"-env:UserInstallation=file://" + profile, "--headless", "--norestore", "--convert-to", format, "--outdir", out}
	for name, data := range files {
		p := filepath.Join(in, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, p)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	msg, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("soffice --convert-to %s: %v\n%s", format, err, msg)
	}
	got := map[string][]byte{}
	for name := range files {
		p := filepath.Join(out, strings.TrimSuffix(name, filepath.Ext(name))+"."+format)
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatalf("LibreOffice wrote no %s: %v\n%s", p, err, msg)
		}
		got[name] = data
	}
	return got
}

// formulaCells lists every formula cell of a workbook with its cached
// value, by sheet and cell.
func formulaCells(t *testing.T, data []byte) map[string]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	for _, s := range f.GetSheetList() {
		rows, err := f.GetRows(s, excelizeRaw)
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c := range row {
				ref := name(c+1, r+1)
				if fx, _ := f.GetCellFormula(s, ref); fx != "" {
					out[s+"!"+ref] = row[c]
				}
			}
		}
	}
	return out
}

// valuesOf reads the stored values of the given cells.
func valuesOf(t *testing.T, data []byte, cells map[string]string) map[string]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	for at := range cells {
		s, ref, _ := strings.Cut(at, "!")
		v, err := f.GetCellValue(s, ref, excelizeRaw)
		if err != nil {
			t.Fatalf("%s: %v", at, err)
		}
		out[at] = v
	}
	return out
}

// zeroCache rewrites a workbook with every formula's cached value set to
// 0: what LibreOffice then shows it can only have calculated.
func zeroCache(t *testing.T, data []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	cached := regexp.MustCompile(`(</f>)<v>[^<]*</v>`)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, zf := range zr.File {
		r, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r)
		r.Close()
		if strings.HasPrefix(zf.Name, "xl/worksheets/") {
			b = cached.ReplaceAll(b, []byte("$1<v>0</v>"))
			b = bytes.ReplaceAll(b, []byte(` t="str"><f>`), []byte(`><f>`))
		}
		w, _ := zw.Create(zf.Name)
		w.Write(b)
	}
	zw.Close()
	return buf.Bytes()
}

// close reports whether two cell values agree: equal numbers to 1e-9
// relative (a discount factor), or equal text.
func close(a, b string) bool {
	if a == b {
		return true
	}
	x, e1 := decimal.NewFromString(a)
	y, e2 := decimal.NewFromString(b)
	if e1 != nil || e2 != nil {
		return false
	}
	fx, fy := x.InexactFloat64(), y.InexactFloat64()
	return math.Abs(fx-fy) <= 1e-9*math.Max(1, math.Max(math.Abs(fx), math.Abs(fy)))
}

// TestExportInLibreOffice opens the finance workbook in LibreOffice, which
// recalculates every formula on load, and finds each formula's value equal
// to the cached value the application wrote and, for every money figure,
// to the comparison's to the cent. A copy with every cache zeroed proves
// that the values are LibreOffice's own.
func TestExportInLibreOffice(t *testing.T) {
	d := decodeDoc(t, demoDoc)
	c := compare(t, d)
	data, err := ExportXLSX(d, c, testAbout)
	if err != nil {
		t.Fatal(err)
	}
	cells := formulaCells(t, data)
	for at, v := range cells {
		if v == "" { // readers that do not recalculate would see a blank
			t.Errorf("%s: a formula without a cached value", at)
		}
	}
	zeroed := zeroCache(t, data)
	if z := formulaCells(t, zeroed); z[sheetSummary+"!"+name(sumTCO, summaryHeader+1)] != "0" {
		t.Fatalf("the zeroed copy still caches %q", z[sheetSummary+"!"+name(sumTCO, summaryHeader+1)])
	}
	lo := convert(t, "xlsx", map[string][]byte{"export.xlsx": data, "zeroed.xlsx": zeroed})
	for _, name := range []string{"export.xlsx", "zeroed.xlsx"} {
		got := valuesOf(t, lo[name], cells)
		bad := 0
		for at, want := range cells {
			if !close(got[at], want) {
				if bad++; bad <= 10 {
					t.Errorf("%s %s: LibreOffice %q, cached %q", name, at, got[at], want)
				}
			}
		}
		if bad > 0 {
			t.Fatalf("%s: %d of %d formula cells differ", name, bad, len(cells))
		}
		t.Logf("%s: %d formula cells, LibreOffice's values equal the cached ones", name, len(cells))
	}
	// The money figures, to the cent, against the comparison.
	f, err := excelize.OpenReader(bytes.NewReader(lo["zeroed.xlsx"]))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	checked := 0
	cent := func(what, sheet, ref string, want decimal.Decimal) {
		t.Helper()
		v, _ := f.GetCellValue(sheet, ref, excelizeRaw)
		got, err := decimal.NewFromString(v)
		if err != nil || !got.Round(c.Places).Equal(want) {
			t.Errorf("%s (%s!%s): LibreOffice %q, the comparison %s", what, sheet, ref, v, want.StringFixed(c.Places))
		}
		checked++
	}
	sumRows, _ := f.GetRows(sheetSummary)
	for _, o := range c.Options {
		h := len(c.Months)
		total := col(optFirstLine + len(o.Lines))
		totals := optFirstRow + h + 1
		for m := 0; m <= h; m++ {
			cent(fmt.Sprintf("%s month %d", o.ID, m), o.ID, fmt.Sprintf("%s%d", total, optFirstRow+m), o.Monthly[m].Total.Value)
		}
		cent(o.ID+" TCO", o.ID, fmt.Sprintf("%s%d", total, totals), o.TCO.Value)
		cent(o.ID+" PV", o.ID, fmt.Sprintf("%s%d", total, totals+1), o.PV.Value)
		for k, cat := range tco.Categories {
			cent(o.ID+" "+cat, o.ID, fmt.Sprintf("C%d", totals+4+k), o.ByCategory[cat].Value)
		}
		for i, r := range sumRows {
			if i >= summaryHeader && len(r) > 1 && r[sumOption-1] == Neutralise(o.Name) {
				cent(o.ID+" summary TCO", sheetSummary, name(sumTCO, i+1), o.TCO.Value)
				cent(o.ID+" summary PV", sheetSummary, name(sumPV, i+1), o.PV.Value)
				cent(o.ID+" summary TCO savings", sheetSummary, name(sumSavTCO, i+1), o.Savings.TCO.Value)
				cent(o.ID+" summary PV savings", sheetSummary, name(sumSavPV, i+1), o.Savings.PV.Value)
			}
		}
	}
	t.Logf("%d money figures recalculated by LibreOffice equal the comparison to the cent", checked)
}

// TestBidFormSavedByLibreOffice fills the bid form, has LibreOffice open
// and save it as .xlsx (its own writer: styles, protection, the very
// hidden marker, numbers as it stores them), and imports that file: the
// same quote as the engine's vendor-a, to the cent.
func TestBidFormSavedByLibreOffice(t *testing.T) {
	e2 := loadDoc(t, "e2.json")
	without := withoutOption(e2, "vendor-a")
	o := Origin{EvaluationID: 9, Name: e2.Name, Created: time.Date(2027, 1, 5, 8, 0, 0, 0, time.UTC)}
	form, err := BidForm(e2, o)
	if err != nil {
		t.Fatal(err)
	}
	f := openFormBytes(t, form)
	fillVendorA(t, f)
	// a date typed into go-live, in a second copy
	g := openFormBytes(t, form)
	fillVendorA(t, g)
	set(t, g, sheetPricing, answer(t, "from_month"), time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC))
	lo := convert(t, "xlsx", map[string][]byte{"filled.xlsx": save(t, f), "dated.xlsx": save(t, g)})

	saved := lo["filled.xlsx"]
	if bytes.Equal(saved, save(t, f)) {
		t.Fatal("LibreOffice returned the file unchanged")
	}
	opt, err := ParseBidForm(bytes.NewReader(saved), int64(len(saved)), without, Check{Origin: o})
	if err != nil {
		t.Fatalf("the form saved by LibreOffice: %v", err)
	}
	want := result(t, compare(t, e2), "vendor-a")
	sameCosting(t, result(t, compare(t, withOption(without, opt)), opt.ID), want)

	_, err = ParseBidForm(bytes.NewReader(lo["dated.xlsx"]), -1, without, Check{Origin: o})
	pe := mustProblems(t, nil, err, "Pricing!C17")
	if !strings.Contains(pe[0].Message, "is a date") || !strings.Contains(pe[0].Message, "2027-03 is month 3") {
		t.Errorf("a date saved by LibreOffice: %s", pe[0].Message)
	}
}

// TestServiceLevelInLibreOffice: a per-FTE bid form on the buyer's service
// level, filled and saved by LibreOffice, imports staffed to that service
// level with the vendor's figures; the finance export's heads survive
// LibreOffice's recalculation as the values they are.
func TestServiceLevelInLibreOffice(t *testing.T) {
	full := slDoc(t)
	without := withoutOption(full, "vendor-a")
	form, err := BidForm(full, Origin{})
	if err != nil {
		t.Fatal(err)
	}
	f := openFormBytes(t, form)
	fillPerFTE(t, f)
	want, err := ParseBidForm(bytes.NewReader(save(t, f)), -1, without, Check{})
	if err != nil {
		t.Fatal(err)
	}
	d := withOption(full, want)
	c := compare(t, d)
	export, err := ExportXLSX(d, c, About{})
	if err != nil {
		t.Fatal(err)
	}
	lo := convert(t, "xlsx", map[string][]byte{"filled.xlsx": save(t, f), "export.xlsx": export})

	got, err := ParseBidForm(bytes.NewReader(lo["filled.xlsx"]), -1, without, Check{})
	if err != nil {
		t.Fatalf("the form saved by LibreOffice: %v", err)
	}
	gc, wc := got.Pricing.Capacity, want.Pricing.Capacity
	if gc == nil || !gc.Staffed() || !gc.AHTMinutes.Equal(wc.AHTMinutes) || !gc.Occupancy.Equal(wc.Occupancy) ||
		!gc.Shrinkage.Equal(wc.Shrinkage) || !gc.PaidHours.Equal(wc.PaidHours) || !gc.ServiceLevel.Target.Equal(wc.ServiceLevel.Target) {
		t.Fatalf("capacity after LibreOffice %+v, want %+v", gc, wc)
	}
	sameCosting(t, result(t, compare(t, withOption(without, got)), got.ID), result(t, c, want.ID))

	x, err := excelize.OpenReader(bytes.NewReader(lo["export.xlsx"]))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	col, checked := headsFirstCol, 0
	for _, r := range c.Options {
		for _, s := range r.Staffing {
			for m, h := range s.Heads {
				ref := name(col, headsFirstRow+m)
				if v, _ := x.GetCellValue(sheetHeads, ref, excelizeRaw); v != fmt.Sprint(h) {
					t.Fatalf("%s!%s after LibreOffice = %q, want %d", sheetHeads, ref, v, h)
				}
				checked++
			}
			col++
		}
	}
	if note, _ := x.GetCellValue(sheetHeads, "A2"); !strings.Contains(note, "Erlang C") {
		t.Errorf("note after LibreOffice %q", note)
	}
	t.Logf("%d heads checked after LibreOffice", checked)
}
