package sheet

import (
	"bytes"
	"strings"
	"testing"
)

// TestFXRateNeverDefaulted (issue 11 defect 3): a bid in another currency
// whose rate is left blank is refused at the rate's place, in the form and
// in a CSV, never read as 1:1; in the evaluation's currency a blank rate
// is 1.
func TestFXRateNeverDefaulted(t *testing.T) {
	t.Parallel()
	e2 := loadDoc(t, "e2.json") // in USD
	t.Run("ErrForm", func(t *testing.T) {
		f := openForm(t, e2)
		fillVendorA(t, f)
		set(t, f, sheetPricing, answer(t, "currency"), "EUR")
		set(t, f, sheetPricing, answer(t, "fx_rate"), "")
		o, err := ParseBidForm(bytes.NewReader(save(t, f)), -1, e2, Check{})
		pe := mustProblems(t, o, err, "Pricing!"+answer(t, "fx_rate"))
		if !strings.Contains(pe[0].Message, "is required when the quote's currency (EUR) differs from the evaluation's (USD)") {
			t.Errorf("message %q", pe[0].Message)
		}
	})
	t.Run("ErrCSV", func(t *testing.T) {
		csv := "pricing,vendor_name,Vendor B\npricing,currency,EUR\ntier,,4\n"
		o, err := ParseBidCSV(strings.NewReader(csv), e2)
		pe := mustProblems(t, o, err, "")
		if !strings.Contains(pe[0].String(), "pricing,fx_rate: is required when the quote's currency (EUR) differs") {
			t.Errorf("got %q", pe[0])
		}
	})
	t.Run("SameCurrency", func(t *testing.T) {
		o, err := ParseBidCSV(strings.NewReader("pricing,vendor_name,Vendor B\ntier,,4\n"), e2)
		if err != nil || !o.Pricing.FXRate.Equal(one) {
			t.Fatalf("got %+v, %v; want a rate of 1", o, err)
		}
	})
}
