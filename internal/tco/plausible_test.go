package tco

import (
	"slices"
	"strings"
	"testing"
)

// plDoc is E2 with three more vendor quotes, B, C and D, in the same unit
// as Vendor A and in EUR at 1.1 USD per EUR (4.51 USD a contact), so that prices and rates have
// others to be compared with. It has no finding.
func plDoc(t *testing.T) *Document {
	t.Helper()
	d := dtDecode(t, dtRead(t, "e2.json"))
	for _, id := range []string{"vendor-b", "vendor-c", "vendor-d"} {
		o := d.Options[1]
		o.ID, o.Name = id, id
		p := *o.Pricing
		p.Currency, p.FXRate = "EUR", dtDec("1.1")
		p.Tiers = []Tier{{Price: dtDec("4.1")}}
		o.Pricing = &p
		o.Lines = nil
		d.Options = append(d.Options, o)
	}
	if err := d.Validate(); err != nil {
		t.Fatalf("plDoc: %v", err)
	}
	return d
}

// TestImplausible holds every range just inside (no finding) and just
// outside (one finding at the path, whose message names the value).
func TestImplausible(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		edit func(d *Document)
		path string // "" when the document stays plausible
		code string
		says string // a part of the message
	}{
		{name: "OK", edit: func(*Document) {}},
		{name: "EscalationAt25", edit: func(d *Document) { d.Options[1].Pricing.Escalation = dtDec("0.25") }},
		{name: "ErrEscalationAbove25", edit: func(d *Document) { d.Options[1].Pricing.Escalation = dtDec("0.2501") },
			path: "options[1].pricing.escalation", code: FindingEscalation, says: "25.01% a year"},
		{name: "ErrEscalation300", edit: func(d *Document) { d.Options[0].Lines[5].Escalation = dtDec("3") },
			path: "options[0].lines[5].escalation", code: FindingEscalation, says: `300% a year for the line "Facilities"`},
		{name: "EscalationAtMinus10", edit: func(d *Document) { d.Options[0].Lines[0].Escalation = dtDec("-0.1") }},
		{name: "ErrEscalationBelowMinus10", edit: func(d *Document) { d.Options[0].Lines[0].Escalation = dtDec("-0.1001") },
			path: "options[0].lines[0].escalation", code: FindingEscalation, says: "-10.01% a year"},
		{name: "FXRateNearOne", edit: func(d *Document) {
			for i := 2; i <= 4; i++ {
				d.Options[i].Pricing.FXRate = dtDec("1.0001")
			}
		}},
		{name: "ErrFXRateOne", edit: func(d *Document) {
			for i := 2; i <= 4; i++ {
				d.Options[i].Pricing.FXRate = dtDec("1.0001")
			}
			d.Options[2].Pricing.FXRate = dtDec("1")
		}, path: "options[2].pricing.fx_rate", code: FindingFXRateOne, says: "exactly 1 between EUR and USD"},
		{name: "FXRateHalfAbove", edit: func(d *Document) { d.Options[3].Pricing.FXRate = dtDec("1.65") }},
		{name: "ErrFXRateMoreThanHalfAbove", edit: func(d *Document) { d.Options[3].Pricing.FXRate = dtDec("1.6501") },
			path: "options[3].pricing.fx_rate", code: FindingFXRateFar, says: "1.6501 USD per 1 EUR"},
		{name: "FXRateHalfBelow", edit: func(d *Document) { d.Options[3].Pricing.FXRate = dtDec("0.55") }},
		{name: "ErrFXRateInverse", edit: func(d *Document) { d.Options[3].Pricing.FXRate = dtDec("0.5499") },
			path: "options[3].pricing.fx_rate", code: FindingFXRateFar, says: "inverse rate"},
		{name: "DemandAtLimit", edit: func(d *Document) { d.Volume.Monthly = dtDec("1000000000") }},
		{name: "ErrDemandAbove", edit: func(d *Document) { d.Volume.Monthly = dtDec("1000000000.01") },
			path: "volume.monthly", code: FindingDemand, says: "1,000,000,000.01 contacts a month"},
		{name: "ErrDemandAboveCompanies", edit: func(d *Document) { d.Volume.Monthly, d.Volume.Unit = dtDec("1000000000.01"), "company" },
			path: "volume.monthly", code: FindingDemand, says: "1,000,000,000.01 companies a month"},
		{name: "ErrPriceAboveTenTimesBoxes", edit: func(d *Document) {
			d.Volume.Unit = "box"
			d.Options[3].Pricing.Tiers[0].Price = dtDec("41.01")
		}, path: "options[3].pricing.tiers[0].price", code: FindingUnitPrice, says: "45.111 USD per box"},
		{name: "GrowthAt100", edit: func(d *Document) { d.Volume.Growth = dtDec("1") }},
		{name: "ErrGrowthAbove100", edit: func(d *Document) { d.Volume.Growth = dtDec("1.0001") },
			path: "volume.growth", code: FindingGrowth, says: "100.01% a year"},
		{name: "PriceTenTimes", edit: func(d *Document) { d.Options[3].Pricing.Tiers[0].Price = dtDec("41") }},
		{name: "ErrPriceAboveTenTimes", edit: func(d *Document) { d.Options[3].Pricing.Tiers[0].Price = dtDec("41.01") },
			path: "options[3].pricing.tiers[0].price", code: FindingUnitPrice, says: "45.111 USD per contact"},
		{name: "PriceTenth", edit: func(d *Document) { d.Options[3].Pricing.Tiers[0].Price = dtDec("0.41") }},
		{name: "ErrPriceBelowTenth", edit: func(d *Document) { d.Options[3].Pricing.Tiers[0].Price = dtDec("0.4099") },
			path: "options[3].pricing.tiers[0].price", code: FindingUnitPrice, says: "0.45089 USD per contact"},
		{name: "PriceOtherUnit", edit: func(d *Document) {
			d.Options[3].Pricing.Tiers[0].Price = dtDec("45.11")
			d.Options[3].Pricing.UnitFactor = dtDec("6.5") // per minute: a unit of its own
		}},
		{name: "HorizonAt240", edit: func(d *Document) { d.HorizonMonths = 240 }},
		{name: "ErrHorizonAbove240", edit: func(d *Document) { d.HorizonMonths = 241 },
			path: "horizon_months", code: FindingHorizon, says: "241 months"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := plDoc(t)
			tt.edit(d)
			got := Implausible(d)
			if tt.path == "" {
				if len(got) != 0 {
					t.Fatalf("findings %+v, want none", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("findings %+v, want one at %s", got, tt.path)
			}
			f := got[0]
			if f.Path != tt.path || f.Code != tt.code || !strings.Contains(f.Message, tt.says) {
				t.Errorf("finding %+v, want %s %s saying %q", f, tt.path, tt.code, tt.says)
			}
		})
	}
}

// TestImplausibleTiers finds the tier the forecast falls in: Vendor A's
// 20,000 contacts a month are in its second tier (4.50).
func TestImplausibleTiers(t *testing.T) {
	t.Parallel()
	d := plDoc(t)
	d.Options[1].Pricing.Tiers[1].Price = dtDec("45.5")
	got := Implausible(d)
	if len(got) != 1 || got[0].Path != "options[1].pricing.tiers[1].price" {
		t.Fatalf("findings %+v, want one at tier 1's price", got)
	}
}

// TestImplausibleInvalid runs on documents Validate refuses without
// failing: missing pricing parts, no options, zero rates.
func TestImplausibleInvalid(t *testing.T) {
	t.Parallel()
	d := plDoc(t)
	d.Options[1].Pricing.Tiers = nil
	d.Options[2].Pricing.FXRate = dtDec("0")
	d.Options[3].Pricing.Per = PricingPerBlock
	d.Volume.Unit = ""
	_ = Implausible(d)
	if got := Implausible(&Document{}); len(got) != 0 {
		t.Errorf("empty document: %+v", got)
	}
	if got := Implausible(nil); got != nil {
		t.Errorf("nil document: %+v", got)
	}
}

// TestCompareWarnsImplausible: a comparison never refuses an implausible
// value; it lists the finding in warnings, path first.
func TestCompareWarnsImplausible(t *testing.T) {
	t.Parallel()
	d := plDoc(t)
	d.Options[1].Pricing.Escalation = dtDec("3")
	c, err := Compare(d, CompareOptions{SkipAnalysis: true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(c.Warnings, func(w string) bool {
		return strings.HasPrefix(w, "options[1].pricing.escalation: an escalation of 300% a year")
	}) {
		t.Errorf("warnings %q lack the escalation finding", c.Warnings)
	}
}

// TestValidateFXRateRequired: a Go-built quote in another currency whose
// rate was left out (0) is refused with what the rate means, never costed
// at 1.
func TestValidateFXRateRequired(t *testing.T) {
	t.Parallel()
	d := plDoc(t)
	d.Options[2].Pricing.FXRate = dtDec("0")
	err := d.Validate()
	fe, _ := err.(Errors)
	if len(fe) != 1 || fe[0].Path != "options[2].pricing.fx_rate" || !strings.Contains(fe[0].Message, "is required when the quote's currency (EUR) differs from the evaluation's (USD)") {
		t.Fatalf("Validate = %v", err)
	}
}
