package sheet

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"maps"
	"slices"
	"strings"
	"testing"

	"vendorcompare/internal/tco"
)

// sameCosting checks that two options cost the same month by month and in
// total.
func sameCosting(t *testing.T, got, want *tco.OptionResult) {
	t.Helper()
	if got.TCO.String() != want.TCO.String() || got.PV.String() != want.PV.String() {
		t.Errorf("%s: TCO %s PV %s, want %s and %s (as %s)", got.ID, got.TCO, got.PV, want.TCO, want.PV, want.ID)
	}
	if len(got.Monthly) != len(want.Monthly) {
		t.Fatalf("%s: %d months, want %d", got.ID, len(got.Monthly), len(want.Monthly))
	}
	for m := range got.Monthly {
		if g, w := got.Monthly[m].Total.String(), want.Monthly[m].Total.String(); g != w {
			t.Errorf("%s month %d: %s, want %s", got.ID, m, g, w)
		}
	}
	if got.Quality == nil || want.Quality == nil || *got.Quality != *want.Quality {
		t.Errorf("%s: quality %v, want %v", got.ID, got.Quality, want.Quality)
	}
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	e2 := loadDoc(t, "e2.json")
	want := result(t, compare(t, e2), "vendor-a")
	if want.TCO.String() != "4071167.36" || want.PV.String() != "3655591.30" {
		t.Fatalf("e2 vendor-a costs %s / %s: the engine's figures moved", want.TCO, want.PV)
	}

	t.Run("OK", func(t *testing.T) {
		f := openForm(t, e2)
		fillVendorA(t, f)
		data := save(t, f)
		// As a new quote beside vendor-a: its id is made unique.
		o, err := ParseBidForm(bytes.NewReader(data), int64(len(data)), e2, Check{})
		if err != nil {
			t.Fatalf("ParseBidForm: %v", err)
		}
		if o.ID != "vendor-a-2" || o.Name != "Vendor A" || o.Kind != tco.KindVendor {
			t.Errorf("id %q name %q kind %q", o.ID, o.Name, o.Kind)
		}
		c := compare(t, withOption(e2, o))
		sameCosting(t, result(t, c, "vendor-a-2"), want)

		// In place of vendor-a: the same comparison as the API's quote.
		without := withoutOption(e2, "vendor-a")
		o, err = ParseBid(bytes.NewReader(data), -1, without, Check{})
		if err != nil {
			t.Fatalf("ParseBid: %v", err)
		}
		if o.ID != "vendor-a" {
			t.Errorf("id %q, want vendor-a", o.ID)
		}
		got := result(t, compare(t, withOption(without, o)), "vendor-a")
		sameCosting(t, got, want)
		if got.Score == nil || *got.Score != *want.Score || *got.Rank != 1 {
			t.Errorf("score %v rank %v, want %v rank 1", got.Score, got.Rank, want.Score)
		}
	})

	t.Run("CSV", func(t *testing.T) {
		without := withoutOption(e2, "vendor-a")
		o, err := ParseBidCSV(strings.NewReader(vendorACSV), without)
		if err != nil {
			t.Fatalf("ParseBidCSV: %v", err)
		}
		sameCosting(t, result(t, compare(t, withOption(without, o)), "vendor-a"), want)
		// ParseBid sniffs text as CSV.
		o2, err := ParseBid(strings.NewReader(vendorACSV), int64(len(vendorACSV)), without, Check{})
		if err != nil || o2.ID != o.ID {
			t.Fatalf("ParseBid of the CSV: %v %v", o2, err)
		}
	})

	t.Run("ExcelNoise", func(t *testing.T) {
		// Excel stores 4.5 computed as 4.4999999999999991 or 0.63 as
		// 0.63000000000000012: read back at a double's 15 digits.
		f := openForm(t, e2)
		fillVendorA(t, f)
		// excelize itself writes at most 15 digits: store Excel's text.
		if err := f.SetCellDefault(sheetPricing, "C22", "4.4999999999999991"); err != nil {
			t.Fatal(err)
		}
		if err := f.SetCellDefault(sheetPricing, answer(t, "escalation"), "3.0000000000000002E-2"); err != nil {
			t.Fatal(err)
		}
		data := save(t, f)
		o, err := ParseBidForm(bytes.NewReader(data), -1, withoutOption(e2, "vendor-a"), Check{})
		if err != nil {
			t.Fatal(err)
		}
		if p := o.Pricing; p.Tiers[1].Price.String() != "4.5" || p.Escalation.String() != "0.03" {
			t.Errorf("price %s escalation %s, want 4.5 and 0.03", p.Tiers[1].Price, p.Escalation)
		}
	})
}

func TestFormLayout(t *testing.T) {
	t.Parallel()
	e2 := loadDoc(t, "e2.json")
	f := openForm(t, e2)
	// Forecast: every month's demand and the horizon.
	if v, _ := f.GetCellValue(sheetForecast, "B5"); v != "36" {
		t.Errorf("horizon cell %q", v)
	}
	for _, tc := range []struct{ cell, want string }{{"A8", "1"}, {"B8", "2027-01"}, {"C8", "20000"}, {"B43", "2029-12"}, {"C43", "20000"}} {
		if v, _ := f.GetCellValue(sheetForecast, tc.cell, excelizeRaw); v != tc.want {
			t.Errorf("Forecast!%s = %q, want %q", tc.cell, v, tc.want)
		}
	}
	if v, err := f.CalcCellValue(sheetForecast, "C44", excelizeRaw); err != nil || v != "720000" {
		t.Errorf("Forecast total %q %v, want 720000", v, err)
	}
	// Quality: one answer row per criterion, key and scale locked.
	for i, c := range e2.Criteria {
		if v, _ := f.GetCellValue(sheetQuality, name(1, qualityFirstRow+i)); v != c.Key {
			t.Errorf("Quality row %d key %q, want %q", qualityFirstRow+i, v, c.Key)
		}
	}
	// Protection: every sheet protected, only the answer cells unlocked.
	for _, s := range f.GetSheetList() {
		ws, err := f.GetSheetProtection(s)
		// protected as BidForm protects: selecting allowed, nothing else
		if err != nil || !ws.SelectLockedCells || !ws.SelectUnlockedCells || ws.InsertRows || ws.DeleteRows || ws.FormatCells {
			t.Errorf("sheet %s not protected: %v", s, err)
		}
	}
	unlocked := func(sheet, cell string) bool {
		id, err := f.GetCellStyle(sheet, cell)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		return st.Protection != nil && !st.Protection.Locked
	}
	for _, c := range [][2]string{{sheetPricing, "C4"}, {sheetPricing, "C17"}, {sheetPricing, "B21"}, {sheetPricing, "C30"}, {sheetLines, "A4"}, {sheetLines, "I23"}, {sheetQuality, "D4"}, {sheetQuality, "D5"}} {
		if !unlocked(c[0], c[1]) {
			t.Errorf("%s!%s is locked; it is an answer cell", c[0], c[1])
		}
	}
	for _, c := range [][2]string{{sheetPricing, "B4"}, {sheetPricing, "A21"}, {sheetPricing, "C31"}, {sheetLines, "A3"}, {sheetLines, "A24"}, {sheetQuality, "A4"}, {sheetQuality, "C4"}, {sheetQuality, "D6"}, {sheetForecast, "C8"}} {
		if unlocked(c[0], c[1]) {
			t.Errorf("%s!%s is unlocked; only answer cells are", c[0], c[1])
		}
	}
	// Data validation: lists for the model and tier mode, months within 1..H.
	dvs, err := f.GetDataValidations(sheetPricing)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]string{}
	for _, dv := range dvs {
		found[dv.Sqref] = dv.Type + " " + dv.Operator + " " + dv.Formula1 + " " + dv.Formula2
	}
	for cell, want := range map[string]string{
		"C7": `list  "unit,block" `, "C10": `list  "graduated,all_units" `, "C17": "whole between 1 36",
		"C6": "decimal greaterThan 0 0", "C11": "decimal greaterThanOrEqual 0 0",
	} {
		if got := found[cell]; got != want {
			t.Errorf("validation of Pricing!%s = %q, want %q", cell, got, want)
		}
	}
	// The marker sheet is very hidden.
	if vis, _ := f.GetSheetVisible(sheetMarker); vis {
		t.Error("the marker sheet is visible")
	}
}

// mustProblems checks err is Errors naming exactly the given places, in
// order, and returns it.
func mustProblems(t *testing.T, o *tco.Option, err error, want ...string) Errors {
	t.Helper()
	if o != nil {
		t.Errorf("an option was returned with problems: %+v", o)
	}
	var pe Errors
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T), want Errors", err, err)
	}
	var got []string
	for _, p := range pe {
		got = append(got, p.Where())
	}
	if strings.Join(got, " | ") != strings.Join(want, " | ") {
		t.Errorf("problems at\n %s\nwant\n %s\nall: %s", strings.Join(got, " | "), strings.Join(want, " | "), pe.Error())
	}
	return pe
}

func TestParseBidFormErrors(t *testing.T) {
	t.Parallel()
	e2 := loadDoc(t, "e2.json")
	t.Run("Several", func(t *testing.T) {
		f := openForm(t, e2)
		fillVendorA(t, f)
		set(t, f, sheetPricing, answer(t, "per"), "per-seat")        // unknown model
		set(t, f, sheetPricing, answer(t, "fixed_monthly"), "2,000") // not a number
		set(t, f, sheetPricing, "B22", 9000)                         // bounds do not increase
		set(t, f, sheetPricing, "C22", -4.5)                         // negative price
		set(t, f, sheetLines, "B8", "vendor")                        // not a line category
		set(t, f, sheetLines, "F8", 40)                              // past the horizon
		set(t, f, sheetQuality, "D4", 11)                            // above the scale of 10
		data := save(t, f)
		o, err := ParseBidForm(bytes.NewReader(data), -1, e2, Check{})
		pe := mustProblems(t, o, err,
			"Pricing!C7", "Pricing!C11", "Pricing!B22", "Pricing!C22", "Lines!B8", "Lines!F8", "Lines!G8", "Quality!D4")
		for _, want := range []string{
			`Pricing!C7: must be unit or block (found "per-seat")`,
			`Pricing!C11: must be a number, such as 1234.50 or 3% (found "2,000")`,
			`Pricing!B22: must be greater than the previous tier's bound (10000) (found "9000")`,
			`Pricing!C22: must be ≥ 0 (found "-4.5")`,
			`Lines!F8: must be between 1 and 36 (the horizon) (found "40")`,
			`Lines!G8: must not be before the From month (40) (found "12")`,
			`Quality!D4: must be at most the criterion's scale (10) (found "11")`,
		} {
			if !strings.Contains(pe.Error(), want) {
				t.Errorf("report lacks %q:\n%s", want, strings.Join(pe.Lines(), "\n"))
			}
		}
	})
	t.Run("ErrTierOrder", func(t *testing.T) {
		f := openForm(t, e2)
		fillVendorA(t, f)
		set(t, f, sheetPricing, "B23", 30000) // a bound on the last tier
		set(t, f, sheetPricing, "B22", 10000) // equal to the one before
		data := save(t, f)
		o, err := ParseBidForm(bytes.NewReader(data), -1, e2, Check{})
		pe := mustProblems(t, o, err, "Pricing!B22", "Pricing!B23")
		if !strings.Contains(pe[1].Message, "left out on the last tier") {
			t.Errorf("B23: %s", pe[1].Message)
		}
	})
	t.Run("ErrBlank", func(t *testing.T) {
		// A blank form: the name and a price are what is missing.
		f := openForm(t, e2)
		data := save(t, f)
		o, err := ParseBidForm(bytes.NewReader(data), -1, e2, Check{})
		mustProblems(t, o, err, "Pricing!C4", "Pricing!C21")
	})
	t.Run("ErrLayoutChanged", func(t *testing.T) {
		f := openForm(t, e2)
		fillVendorA(t, f)
		set(t, f, sheetPricing, "B7", "model")
		data := save(t, f)
		o, err := ParseBidForm(bytes.NewReader(data), -1, e2, Check{})
		mustProblems(t, o, err, "Pricing!B7")
	})
	t.Run("ErrOtherEvaluation", func(t *testing.T) {
		other := *e2
		other.HorizonMonths = 24
		f := openForm(t, &other)
		fillVendorA(t, f)
		data := save(t, f)
		o, err := ParseBidForm(bytes.NewReader(data), -1, e2, Check{})
		if o != nil || !errors.Is(err, ErrNotBidForm) || !strings.Contains(err.Error(), "over 24 months") {
			t.Fatalf("got %v, %v; want ErrNotBidForm naming the horizon", o, err)
		}
	})
	t.Run("ErrNotOurWorkbook", func(t *testing.T) {
		f := openForm(t, e2)
		set(t, f, sheetMarker, "A1", "something else")
		data := save(t, f)
		if _, err := ParseBidForm(bytes.NewReader(data), -1, e2, Check{}); !errors.Is(err, ErrNotBidForm) {
			t.Fatalf("got %v, want ErrNotBidForm", err)
		}
	})
}

func TestParseBidCSVErrors(t *testing.T) {
	t.Parallel()
	e2 := loadDoc(t, "e2.json")
	bad := "section,key,value\n" +
		"pricing,vendor_name,Vendor B\n" +
		"pricing,per,seat\n" + // row 3: unknown model
		"pricing,colour,blue\n" + // row 4: unknown key
		"pricing,per,unit\n" + // row 5: given twice
		"tier,20000,5\n" +
		"tier,10000,-1\n" + // row 7: bound down, negative price
		"tier,,4\n" +
		"line,Governance,personnel,share_of_vendor,lots\n" + // row 9: not a number
		"score,csat,12\n" + // row 10: above the scale
		"score,speed,3\n" + // row 11: not a criterion
		"bonus,1,2\n" // row 12: unknown section
	o, err := ParseBidCSV(strings.NewReader(bad), e2)
	pe := mustProblems(t, o, err, "row 3, column 3", "row 4, column 2", "row 5, column 2",
		"row 7, column 2", "row 7, column 3", "row 9, column 5", "row 10, column 3", "row 11, column 3", "row 12, column 1")
	if !strings.Contains(pe.Error(), `row 7, column 2: must be greater than the previous tier's bound (20000) (found "10000")`) {
		t.Errorf("report: %s", strings.Join(pe.Lines(), "\n"))
	}

	t.Run("ErrMissingName", func(t *testing.T) {
		o, err := ParseBidCSV(strings.NewReader("tier,,4\n"), e2)
		pe := mustProblems(t, o, err, "")
		if pe[0].String() != "pricing,vendor_name: is required" {
			t.Errorf("got %q", pe[0])
		}
	})
	t.Run("ErrSyntax", func(t *testing.T) {
		o, err := ParseBidCSV(strings.NewReader("pricing,vendor_name,\"Vendor\n"), e2)
		mustProblems(t, o, err, "row 1")
	})
}

func TestNotSpreadsheet(t *testing.T) {
	t.Parallel()
	e2 := loadDoc(t, "e2.json")
	var zipped bytes.Buffer
	zw := zip.NewWriter(&zipped)
	fw, _ := zw.Create("hello.txt")
	io.WriteString(fw, "not a workbook")
	zw.Close()
	for _, tc := range []struct {
		name string
		data []byte
		fn   func(io.Reader, int64) error
	}{
		{"PDF", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00"), nil},
		{"PNG", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), nil},
		{"XLS", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00\x00"), nil},
		{"ZipNotXLSX", zipped.Bytes(), nil},
		{"Empty", nil, nil},
		{"CSVToFormReader", []byte("pricing,vendor_name,X\n"), func(r io.Reader, n int64) error { _, err := ParseBidForm(r, n, e2, Check{}); return err }},
		{"BinaryToCSVReader", []byte("a,b\x00c"), func(r io.Reader, n int64) error { _, err := ParseBidCSV(r, e2); return err }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fn := tc.fn
			if fn == nil {
				fn = func(r io.Reader, n int64) error { _, err := ParseBid(r, n, e2, Check{}); return err }
			}
			err := fn(bytes.NewReader(tc.data), int64(len(tc.data)))
			if !errors.Is(err, ErrNotSpreadsheet) {
				t.Fatalf("got %v, want ErrNotSpreadsheet", err)
			}
		})
	}
	if _, err := ParseBid(bytes.NewReader([]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")), -1, e2, Check{}); !strings.Contains(err.Error(), ".xls") {
		t.Errorf("an .xls is not named: %v", err)
	}
}

func TestLimits(t *testing.T) {
	t.Parallel()
	e2 := loadDoc(t, "e2.json")
	t.Run("DeclaredSize", func(t *testing.T) {
		_, err := ParseBid(strings.NewReader("x"), MaxUpload+1, e2, Check{})
		if !errors.Is(err, ErrTooLarge) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ActualSize", func(t *testing.T) {
		big := io.MultiReader(strings.NewReader("pricing,vendor_name,X\n"), io.LimitReader(zeroReader{}, MaxUpload))
		_, err := ParseBidCSV(big, e2)
		if !errors.Is(err, ErrTooLarge) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("CSVRows", func(t *testing.T) {
		csv := vendorACSV + strings.Repeat("# padding\n", 10) + strings.Repeat("\"#\"\n", MaxCSVRows)
		_, err := ParseBidCSV(strings.NewReader(csv), withoutOption(e2, "vendor-a"))
		if !errors.Is(err, ErrTooLarge) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("SheetRows", func(t *testing.T) {
		f := openForm(t, e2)
		fillVendorA(t, f)
		set(t, f, sheetLines, name(1, MaxSheetRows+5), "x")
		data := save(t, f)
		_, err := ParseBidForm(bytes.NewReader(data), -1, e2, Check{})
		if !errors.Is(err, ErrTooLarge) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("UnzipBomb", func(t *testing.T) {
		f := openForm(t, e2)
		fillVendorA(t, f)
		form := save(t, f)
		zr, err := zip.NewReader(bytes.NewReader(form), int64(len(form)))
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		zw := zip.NewWriter(&out)
		for _, zf := range zr.File {
			w, _ := zw.CreateHeader(&zip.FileHeader{Name: zf.Name, Method: zip.Deflate})
			r, _ := zf.Open()
			io.Copy(w, r)
			r.Close()
		}
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: "xl/media/pad.bin", Method: zip.Deflate})
		io.Copy(w, io.LimitReader(zeroReader{}, MaxUnzip+1))
		zw.Close()
		if out.Len() > MaxUpload {
			t.Fatalf("the bomb is %d bytes: it should pass the upload limit", out.Len())
		}
		_, err = ParseBidForm(bytes.NewReader(out.Bytes()), int64(out.Len()), e2, Check{})
		if !errors.Is(err, ErrTooLarge) {
			t.Fatalf("got %v", err)
		}
	})
}

// zeroReader reads zeros forever.
type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestParseNumber(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in        string
		fromSheet bool
		want, msg string
	}{
		{"1234.50", false, "1234.5", ""},
		{"-0.05", false, "-0.05", ""},
		{".5", false, "0.5", ""},
		{"3%", false, "0.03", ""},
		{"1.005", false, "1.005", ""},
		{"0.63000000000000012", true, "0.63", ""},
		{"1.5E-2", true, "0.015", ""},
		{"1e400", true, "", "is too large"},
		{"1000000000000000", false, "", "is too large"},
		{"0.1234567890123456", false, "", "must have at most 15 decimal places"},
		{"1,000", false, "", msgNumber},
		{"NaN", true, "", msgNumber},
		{"Inf", true, "", msgNumber},
		{"0x10", false, "", msgNumber},
		{"$5", false, "", msgNumber},
		{"1_000", false, "", msgNumber},
		{"-", false, "", msgNumber},
		{".", false, "", msgNumber},
		{"%", false, "", msgNumber},
	} {
		got, msg := parseNumber(tc.in, tc.fromSheet)
		if msg != tc.msg || (msg == "" && got.String() != tc.want) {
			t.Errorf("parseNumber(%q, %v) = %s, %q; want %s, %q", tc.in, tc.fromSheet, got, msg, tc.want, tc.msg)
		}
	}
}

// TestRoundTripEveryQuote fills the form with each vendor quote of the demo
// (per-block pricing in another currency, all-units tiers, minimums, fixed
// and exit fees, a late go-live, a unit factor) and checks each imports to a
// quote that costs exactly as the original.
func TestRoundTripEveryQuote(t *testing.T) {
	t.Parallel()
	d := decodeDoc(t, demoDoc)
	c := compare(t, d)
	n := 0
	for i := range d.Options {
		o := &d.Options[i]
		if o.Pricing == nil {
			continue
		}
		n++
		t.Run(o.ID, func(t *testing.T) {
			without := withoutOption(d, o.ID)
			f := openForm(t, without)
			fillFrom(t, f, without, o)
			data := save(t, f)
			got, err := ParseBidForm(bytes.NewReader(data), int64(len(data)), without, Check{})
			if err != nil {
				t.Fatalf("ParseBidForm: %v", err)
			}
			got.ID = o.ID // the caller's choice; the slug of "=Cheap Co" is cheap-co
			sameCosting(t, result(t, compare(t, withOption(without, got)), o.ID), result(t, c, o.ID))
		})
	}
	if n != 2 {
		t.Fatalf("%d quotes in the demo, want 2", n)
	}
}

func TestQuotedCriterionKey(t *testing.T) {
	t.Parallel()
	// A criterion key the engine quotes in its paths ("scores[\"csat score\"]")
	// still maps back to its answer cell.
	e2 := loadDoc(t, "e2.json")
	d := *e2
	d.Criteria = slices.Clone(e2.Criteria)
	d.Criteria[0].Key = "csat score"
	d.Options = slices.Clone(e2.Options)
	for i := range d.Options {
		s := maps.Clone(d.Options[i].Scores)
		s["csat score"] = s["csat"]
		delete(s, "csat")
		d.Options[i].Scores = s
	}
	f := openForm(t, &d)
	fillVendorA(t, f)
	set(t, f, sheetQuality, "D4", -1)
	data := save(t, f)
	o, err := ParseBidForm(bytes.NewReader(data), -1, &d, Check{})
	pe := mustProblems(t, o, err, "Quality!D4")
	if pe[0].Message != `must be ≥ 0 (found "-1")` {
		t.Errorf("message %q", pe[0].Message)
	}
}
