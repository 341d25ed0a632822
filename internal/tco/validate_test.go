package tco

import (
	"slices"
	"sort"
	"testing"

	"github.com/shopspring/decimal"
)

// dtDecPtr returns a pointer to a decimal literal.
func dtDecPtr(s string) *decimal.Decimal { d := dtDec(s); return &d }

// dtIntPtr returns a pointer to n.
func dtIntPtr(n int) *int { return &n }

// TestValidateGoDocument checks Validate on documents built in Go, where no
// decoder has applied defaults or checked presence.
func TestValidateGoDocument(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		edit  func(d *Document)
		paths []string
	}{
		{name: "OK", edit: func(*Document) {}},
		{name: "ErrTimingEmpty", edit: func(d *Document) { d.Timing = "" }, paths: []string{"timing"}},
		{name: "ErrEscalationOnOneTime", edit: func(d *Document) { d.Options[1].Lines[1].Escalation = dtDec("0.03") },
			paths: []string{"options[1].lines[1].escalation"}},
		{name: "ErrEscalationOnShare", edit: func(d *Document) { d.Options[1].Lines[0].Escalation = dtDec("0.03") },
			paths: []string{"options[1].lines[0].escalation"}},
		{name: "ErrSeasonalityMissing", edit: func(d *Document) { d.Volume.Seasonality = nil }, paths: []string{"volume.seasonality"}},
		{name: "ErrPriceZero", edit: func(d *Document) { d.Price = Price{} },
			paths: []string{"price.basis", "price.formula", "price.full_at"}},
		{name: "ErrPricingZero", edit: func(d *Document) {
			d.Options[1].Pricing = &Pricing{Tiers: []Tier{{Price: dtDec("1")}}}
		}, paths: []string{"options[1].pricing.currency", "options[1].pricing.from_month", "options[1].pricing.fx_rate", "options[1].pricing.per",
			"options[1].pricing.tier_mode", "options[1].pricing.unit_factor"}},
		{name: "ErrFXNotOne", edit: func(d *Document) { d.Options[1].Pricing.FXRate = dtDec("7.1") },
			paths: []string{"options[1].pricing.fx_rate"}},
		{name: "ErrTierOrder", edit: func(d *Document) {
			d.Options[1].Pricing.Tiers = []Tier{{UpTo: dtDecPtr("10000"), Price: dtDec("5")}, {UpTo: dtDecPtr("9999.99"), Price: dtDec("4")}, {Price: dtDec("3")}}
		}, paths: []string{"options[1].pricing.tiers[1].up_to"}},
		{name: "ErrWindow", edit: func(d *Document) {
			l := &d.Options[1].Lines[2]
			l.FromMonth, l.ToMonth = dtIntPtr(6), dtIntPtr(5)
		}, paths: []string{"options[1].lines[2].to_month"}},
		{name: "ErrOneTimeWindow", edit: func(d *Document) {
			l := &d.Options[1].Lines[1]
			l.FromMonth, l.ToMonth, l.Month = dtIntPtr(1), dtIntPtr(2), nil
		}, paths: []string{"options[1].lines[1].from_month", "options[1].lines[1].month", "options[1].lines[1].to_month"}},
		{name: "ErrHorizonSkipsMonthRanges", edit: func(d *Document) {
			d.HorizonMonths = 0
			d.Options[1].Lines[1].Month = dtIntPtr(99)
		}, paths: []string{"horizon_months"}},
		{name: "ErrScoresUnknown", edit: func(d *Document) {
			d.Options[0].Scores = map[string]decimal.Decimal{"zeta": dtDec("1"), "alpha": dtDec("1"), "csat": dtDec("10.01")}
		}, paths: []string{"options[0].scores.alpha", "options[0].scores.csat", "options[0].scores.zeta"}},
		{name: "ErrCapacityBounds", edit: func(d *Document) {
			c := d.Options[0].Lines[0].Capacity
			c.Occupancy, c.Shrinkage, c.PaidHours, c.AHTMinutes = dtDec("1.01"), dtDec("-0.1"), dtDec("0"), dtDec("-6")
		}, paths: []string{"options[0].lines[0].capacity.aht_minutes", "options[0].lines[0].capacity.occupancy",
			"options[0].lines[0].capacity.paid_hours", "options[0].lines[0].capacity.shrinkage"}},
		{name: "ErrCapacityOnFixed", edit: func(d *Document) {
			d.Options[0].Lines[1].Capacity = d.Options[0].Lines[0].Capacity
		}, paths: []string{"options[0].lines[1].capacity"}},
		{name: "ErrTooManyOptions", edit: func(d *Document) {
			for i := 0; len(d.Options) <= maxOptions; i++ {
				o := d.Options[1]
				o.ID = "copy-" + string(rune('a'+i%26)) + string(rune('a'+i/26))
				o.Pricing = nil
				o.Lines = nil
				d.Options = append(d.Options, o)
			}
		}, paths: []string{"options"}},
		{name: "ErrTooManyTiers", edit: func(d *Document) {
			var ts []Tier
			for i := 1; i <= maxTiers; i++ {
				ts = append(ts, Tier{UpTo: dtDecPtr(decimal.NewFromInt(int64(i)).String()), Price: dtDec("1")})
			}
			d.Options[1].Pricing.Tiers = append(ts, Tier{Price: dtDec("1")})
		}, paths: []string{"options[1].pricing.tiers"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := dtDecode(t, []byte(dtBaseDoc))
			tt.edit(d)
			got := dtPaths(t, d.Validate())
			want := append([]string(nil), tt.paths...)
			sort.Strings(want)
			if !slices.Equal(got, want) {
				t.Fatalf("paths = %q, want %q\nerr: %v", got, want, d.Validate())
			}
		})
	}
}

// TestValidateZeroDocument checks that an empty document reports each
// required field, and nothing panics.
func TestValidateZeroDocument(t *testing.T) {
	t.Parallel()
	err := (&Document{}).Validate()
	got := dtPaths(t, err)
	want := []string{"baseline", "currency", "escalation", "horizon_months", "name", "options",
		"price.basis", "price.formula", "price.full_at", "start", "timing", "volume.seasonality", "volume.unit"}
	if !slices.Equal(got, want) {
		t.Fatalf("paths = %q\nwant %q", got, want)
	}
	f := err.(Errors).Fields()
	if f["name"] != "is required" || f["options"] != "must have at least 2 options: the baseline and one to compare with it" {
		t.Errorf("messages = %v", f)
	}
}

func TestValidateExamples(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"e2.json", "e3.json", "sample.json"} {
		d := dtDecode(t, dtRead(t, name))
		if err := d.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestParseMonth(t *testing.T) {
	t.Parallel()
	for in, want := range map[string][2]int{"2027-01": {2027, 1}, "1999-12": {1999, 12}, "0001-06": {1, 6}} {
		y, m, err := ParseMonth(in)
		if err != nil || y != want[0] || m != want[1] {
			t.Errorf("ParseMonth(%q) = %d, %d, %v", in, y, m, err)
		}
	}
	for _, in := range []string{"", "2027", "2027-1", "2027-00", "2027-13", "27-01", "2027/01", "2027-01-01", "0000-01", "２０２７-01", "+027-01", "2027--1"} {
		if _, _, err := ParseMonth(in); err == nil {
			t.Errorf("ParseMonth(%q): no error", in)
		}
	}
}

func TestMinorUnit(t *testing.T) {
	t.Parallel()
	for code, want := range map[string]int32{
		"USD": 2, "EUR": 2, "CNY": 2, "JPY": 0, "KRW": 0, "CLP": 0, "BHD": 3, "KWD": 3, "TND": 3,
		"CLF": 4, "UYW": 4, "XOF": 0, "SLE": 2, "ZWG": 2, "XCG": 2, "VED": 2,
	} {
		if got, ok := MinorUnit(code); !ok || got != want {
			t.Errorf("MinorUnit(%q) = %d, %v; want %d", code, got, ok, want)
		}
	}
	for _, code := range []string{"", "usd", "XYZ", "XAU", "XXX", "XTS", "XDR", "HRK", "US"} {
		if _, ok := MinorUnit(code); ok {
			t.Errorf("MinorUnit(%q) is known", code)
		}
	}
	if len(minorUnits) < 150 {
		t.Errorf("only %d currencies", len(minorUnits))
	}
}
