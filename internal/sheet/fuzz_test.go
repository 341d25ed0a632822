package sheet

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/tco"
)

// checkParsed holds for every result of an import: an option only without
// error, and one that the engine accepts and costs; otherwise problems that
// each say something, or one of the package's errors.
func checkParsed(t *testing.T, d *tco.Document, o *tco.Option, err error) {
	t.Helper()
	if err == nil {
		if o == nil {
			t.Fatal("no option and no error")
		}
		if _, cerr := tco.Compare(withOption(d, o), tco.CompareOptions{SkipAnalysis: true}); cerr != nil {
			t.Fatalf("an accepted bid does not cost: %v\n%+v", cerr, o)
		}
		return
	}
	if o != nil {
		t.Fatalf("an option with an error: %v", err)
	}
	var pe Errors
	switch {
	case errors.As(err, &pe):
		if len(pe) == 0 || len(pe) > maxProblems+1 {
			t.Fatalf("%d problems", len(pe))
		}
		for _, p := range pe {
			if p.Message == "" || p.Row < 0 || p.Column < 0 {
				t.Fatalf("bad problem %+v", p)
			}
		}
	case errors.Is(err, ErrNotSpreadsheet), errors.Is(err, ErrTooLarge):
	default:
		t.Fatalf("unexpected error %v", err)
	}
}

// fuzzDoc is a small evaluation, so that costing an accepted bid is cheap
// and the fuzzer spends its time in the parsers.
const fuzzDoc = `{"name": "fuzz", "currency": "USD", "start": "2027-11", "horizon_months": 3,
  "discount_rate": 0.08, "volume": {"unit": "contact", "monthly": 20000},
  "baseline": "in-house",
  "criteria": [{"key": "csat", "name": "CSAT", "weight": 60, "scale": 10, "minimum": 5},
               {"key": "security", "name": "Security", "weight": 40, "scale": 10}],
  "options": [
    {"id": "in-house", "name": "In-house", "lines": [{"name": "Facilities", "category": "operations", "basis": "fixed", "amount": 25000}]},
    {"id": "vendor-a", "name": "Vendor A", "pricing": {"tiers": [{"price": 5}]}}]}`

func FuzzParseBidCSV(f *testing.F) {
	d := decodeDoc(f, fuzzDoc)
	f.Add([]byte(vendorACSV))
	f.Add([]byte("pricing,vendor_name,X\ntier,,1\n"))
	f.Add([]byte("pricing,vendor_name,X\npricing,per,block\npricing,block_size,1031.5\ntier,10,3900\ntier,,3500\n"))
	f.Add([]byte("pricing,vendor_name,\"a,b\"\ntier,1e3,5\ntier,,4%\nline,L,external,one_time,1,0\nscore,csat,10\n"))
	f.Add([]byte("pricing,vendor_name,X\ntier,,1\nline,x,personnel,per_block,1,,,,,0\nscore,\"a \"\"b\",1\n"))
	f.Add([]byte("\"unterminated\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		o, err := ParseBidCSV(bytes.NewReader(data), d)
		checkParsed(t, d, o, err)
	})
}

// FuzzParseRow fuzzes the row parsers of both formats: the row is split
// into cells on tabs (keeping quotes and commas inside a cell) and read as a
// CSV record, as a Pricing answer, as a tier row, as a row of the Lines
// sheet and as a Quality answer, and each reading is built into an option;
// the first cell alone is parsed as a number both ways.
func FuzzParseRow(f *testing.F) {
	d := decodeDoc(f, fuzzDoc)
	for _, s := range []string{
		"pricing\tper\tunit", "tier\t10000\t5.00", "tier\t\t4.00",
		"line\tGovernance\tpersonnel\tshare_of_vendor\t0.05",
		"line\tLease\toperations\tfixed\t5000\t\t2\t3\t3%\t",
		"score\tcsat\t8", "0.63000000000000012", "1.5E-2", "-0", "1e-400", "99999999999999.99",
		"=HYPERLINK(\"x\")\tpersonnel\tper_block\t1\t\t\t\t\t12.5",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, row string) {
		cells := strings.Split(row, "\t")
		for _, fromSheet := range []bool{false, true} {
			if v, msg := parseNumber(strings.TrimSpace(cells[0]), fromSheet); msg == "" {
				if v.Abs().GreaterThanOrEqual(decimal.New(1, 15)) || v.Exponent() < -maxFraction {
					t.Fatalf("parseNumber(%q, %v) = %s out of bounds", cells[0], fromSheet, v)
				}
			}
		}
		if n, msg := parseWhole(strings.TrimSpace(cells[0]), true); msg == "" && (n > maxMonthWritten || n < -maxMonthWritten) {
			t.Fatalf("parseWhole(%q) = %d", cells[0], n)
		}

		// As a CSV record, after a valid name and tier.
		raw := newRawBid(false)
		seen := map[string]int{}
		parseRecord(raw, []string{"pricing", "vendor_name", "Fuzz"}, 1, true, seen)
		parseRecord(raw, []string{"tier", "", "1"}, 2, false, seen)
		parseRecord(raw, append([]string(nil), cells...), 3, false, seen)
		o, err := build(raw, d)
		checkParsed(t, d, o, err)

		// As rows of the form's sheets.
		grid := func(row int, cells []string) [][]string {
			g := make([][]string, row)
			g[row-1] = cells
			return g
		}
		raw = newRawBid(true)
		pg := make([][]string, tierFirstRow+maxFormTiers)
		for i, fl := range pricingFields {
			pg[pricingFirstRow+i-1] = []string{fl.label, fl.key, ""}
		}
		pg[pricingFirstRow-1][answerCol-1] = "Fuzz"
		pg[pricingRow("per")-1][answerCol-1] = cells[0]
		pg[tierFirstRow-1] = append([]string{"1"}, cells...)
		readPricing(raw, pg)
		lg := grid(linesFirstRow, cells)
		lg[linesHeaderRow-1] = lineHeaders[:]
		readLines(raw, lg)
		qg := grid(qualityFirstRow, cells)
		qg[qualityHeaderRow-1] = qualityHeaders
		readQuality(raw, qg)
		o, err = build(raw, d)
		checkParsed(t, d, o, err)
	})
}
