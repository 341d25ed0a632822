package sheet

import (
	"archive/zip"
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

// Issue 11, defect 7: messages that help. Each subtest failed on the code
// before the fix (a .ods got "…not a readable XLSX workbook: EOF", a
// semicolon CSV "row 1: is not valid CSV", a form sheet saved as CSV one
// "unknown section" a row, a date in go-live "must be between 1 and 36").
func TestHelpfulMessages(t *testing.T) {
	t.Parallel()
	e2 := loadDoc(t, "e2.json")
	without := withoutOption(e2, "vendor-a")
	want := result(t, compare(t, e2), "vendor-a")

	t.Run("ODS", func(t *testing.T) {
		// An OpenDocument file starts with its stored "mimetype" entry.
		var buf bytes.Buffer
		z := zip.NewWriter(&buf)
		w, err := z.CreateHeader(&zip.FileHeader{Name: "mimetype", Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(odsMime))
		c, _ := z.Create("content.xml")
		c.Write([]byte("<office:document-content/>"))
		z.Close()
		_, err = ParseBid(bytes.NewReader(buf.Bytes()), -1, e2, Check{})
		if !errors.Is(err, ErrNotSpreadsheet) || !strings.Contains(err.Error(), "(.ods): save it as .xlsx") {
			t.Fatalf("got %v", err)
		}
	})

	t.Run("SemicolonCSV", func(t *testing.T) {
		// As Excel or LibreOffice in a German locale saves vendor-a.
		eu := "section;key;value\n" +
			"pricing;vendor_name;Vendor A\npricing;currency;USD\npricing;fx_rate;1\n" +
			"pricing;per;unit\npricing;tier_mode;graduated\n" +
			"pricing;escalation;3%\npricing;setup_fee;40.000,00\n" +
			"tier;10.000;5,00\ntier;20000;4,5\ntier;;4\n" +
			"line;Governance;personnel;share_of_vendor;0,05\n" +
			"line;Vendor selection;external;one_time;34.200;0\n" +
			"line;Parallel running;operations;one_time;\"122.160,00\";1\n" +
			"line;Severance;personnel;one_time;120 000;1\n" +
			"line;Stranded lease;operations;fixed;5000;;2;12\n" +
			"score;csat;8\nscore;security;9\n"
		o, err := ParseBidCSV(strings.NewReader(eu), without)
		if err != nil {
			t.Fatalf("ParseBidCSV: %v", err)
		}
		sameCosting(t, result(t, compare(t, withOption(without, o)), "vendor-a"), want)

		// A decimal point where the comma is the mark is not guessed at.
		_, err = ParseBidCSV(strings.NewReader(strings.Replace(eu, "tier;20000;4,5", "tier;20000;4.5", 1)), without)
		pe := mustProblems(t, nil, err, "row 10, column 3")
		if m := pe[0].Message; !strings.Contains(m, "decimal mark is a comma: write 4,5") || !strings.Contains(m, `found "4.5"`) {
			t.Errorf("message %q", m)
		}
	})

	t.Run("CommaCSVQuotedThousands", func(t *testing.T) {
		bid := strings.Replace(vendorACSV, "pricing,setup_fee,40000.00", `pricing,setup_fee,"40,000.00"`, 1)
		o, err := ParseBidCSV(strings.NewReader(bid), without)
		if err != nil {
			t.Fatalf("ParseBidCSV: %v", err)
		}
		sameCosting(t, result(t, compare(t, withOption(without, o)), "vendor-a"), want)
		_, err = ParseBidCSV(strings.NewReader(strings.Replace(vendorACSV, "tier,20000,4.50", `tier,20000,"4,50"`, 1)), without)
		pe := mustProblems(t, nil, err, "row 11, column 3")
		if m := pe[0].Message; !strings.Contains(m, "decimal point") || !strings.Contains(m, `found "4,50"`) {
			t.Errorf("message %q", m)
		}
	})

	t.Run("FormSheetAsCSV", func(t *testing.T) {
		// The Pricing sheet as LibreOffice saves it as CSV.
		sheetCSV := "Pricing,,,\n" +
			"Fill in the yellow cells. Amounts are in the quote currency; per month unless said otherwise.,,,\n" +
			"Field,Key,Your answer,Notes\n" +
			"Vendor name,vendor_name,Vendor A,\"Your company's name, as the quote should be shown.\"\n" +
			"Quote currency,currency,USD,\"ISO 4217 code of the prices below, e.g. USD, EUR, CNY.\"\n" +
			strings.Repeat("x,y,1,note\n", 30)
		_, err := ParseBidCSV(strings.NewReader(sheetCSV), e2)
		var pe Errors
		if !errors.As(err, &pe) || len(pe) != 1 || !strings.Contains(pe[0].Message, "saved as CSV") || !strings.Contains(pe[0].Message, "upload the filled bid form itself, the .xlsx file") {
			t.Fatalf("got %v", err)
		}
		// A CSV bid whose section is capitalised is still a bid.
		if _, err := ParseBidCSV(strings.NewReader(strings.ReplaceAll(vendorACSV, "\npricing,", "\nPricing,")), without); err != nil {
			t.Fatalf("capitalised sections: %v", err)
		}
	})

	t.Run("DateInGoLive", func(t *testing.T) {
		f := openForm(t, e2)
		fillVendorA(t, f)
		set(t, f, sheetPricing, answer(t, "from_month"), time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC))
		set(t, f, sheetLines, "G8", time.Date(2031, 2, 1, 0, 0, 0, 0, time.UTC))
		data := save(t, f)
		_, err := ParseBidForm(bytes.NewReader(data), -1, without, Check{})
		pe := mustProblems(t, nil, err, "Pricing!C17", "Lines!G8")
		if m := pe[0].Message; !strings.Contains(m, "is a date") || !strings.Contains(m, "2027-03 is month 3") || !strings.Contains(m, "found") {
			t.Errorf("C17: %q", m)
		}
		if m := pe[1].Message; !strings.Contains(m, "2031-02 would be month 50, after the horizon's last month (36)") {
			t.Errorf("G8: %q", m)
		}
		// In a CSV, as people type dates.
		for _, typed := range []string{"2027-03", "2027-03-01", "01.03.2027", "15/3/2027", "Mar 2027"} {
			bid := strings.Replace(vendorACSV, "pricing,setup_fee,40000.00\n", "pricing,setup_fee,40000.00\npricing,from_month,"+typed+"\n", 1)
			_, err := ParseBidCSV(strings.NewReader(bid), without)
			pe := mustProblems(t, nil, err, "row 10, column 3")
			if m := pe[0].Message; !strings.Contains(m, "2027-03 is month 3") || !strings.Contains(m, typed) {
				t.Errorf("%s: %q", typed, m)
			}
		}
	})

	t.Run("PageWords", func(t *testing.T) {
		f := openForm(t, e2)
		fillVendorA(t, f)
		set(t, f, sheetPricing, answer(t, "per"), "block")
		set(t, f, sheetPricing, answer(t, "unit_factor"), 2)
		set(t, f, sheetPricing, answer(t, "block_size"), 1000)
		data := save(t, f)
		_, err := ParseBidForm(bytes.NewReader(data), -1, without, Check{})
		pe := mustProblems(t, nil, err, "Pricing!C8")
		if m := pe[0].Message; m != `must be 1 when the pricing model is block: blocks are counted from demand (found "2")` {
			t.Errorf("C8: %q", m)
		}
		for _, p := range pe {
			for _, internal := range []string{"zero_at", "per is", "up_to", "options:", "options["} {
				if strings.Contains(p.Message, internal) {
					t.Errorf("%s names %q", p, internal)
				}
			}
		}
	})
}
