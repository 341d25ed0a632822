package report

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/tco"
)

func TestOneDecimal(t *testing.T) {
	t.Parallel()
	for in, want := range map[float64]string{76.55: "76.6", 76.5473: "76.5", 84: "84.0", 0.05: "0.1", -2.25: "-2.3"} {
		if got := oneDecimal(in); got != want {
			t.Errorf("oneDecimal(%v) = %q, want %q", in, got, want)
		}
	}
}

func TestTipping(t *testing.T) {
	t.Parallel()
	f := func(v float64) *float64 { return &v }
	for _, tc := range []struct {
		name string
		sign int
		tp   *float64
		want string
	}{
		{"Rise", 1, f(1.112), "Vendor A stops saving money if its prices rise 11.2%."},
		{"Fall", 1, f(0.77), "Vendor A stops saving money if its prices fall 23.0%."},
		{"Starts", -1, f(0.85), "Vendor A starts saving money if its prices fall 15.0%."},
		{"Never", 1, nil, "Vendor A keeps saving money with its prices anywhere from 0 to 3 times today's."},
		{"NeverSaves", -1, nil, "Vendor A saves no money with its prices anywhere from 0 to 3 times today's."},
		{"Even", 0, f(1), "Vendor A breaks even as quoted: any change in its prices tips the balance."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Tipping("Vendor A", tc.sign, tc.tp, tco.DriverVendorPrice); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

// e3 is a hand-made comparison shaped like spec example E3, so the words
// are checked without the engine.
func e3() (*tco.Document, *tco.Comparison) {
	m := func(s string) tco.Money { return tco.Money{Value: decimal.RequireFromString(s), Places: 2} }
	one, two := 1, 2
	q, p, s := 70.0, 78.75, 76.25
	pct := 0.1724
	tp := 1.208
	zero := 0
	never := (*int)(nil)
	min := decimal.NewFromInt(5)
	doc := &tco.Document{
		Name:     "E3 several break-evens",
		Price:    tco.Price{Basis: tco.PriceBasisTCO},
		Criteria: []tco.Criterion{{Key: "csat", Name: "CSAT", Minimum: &min}},
		Options: []tco.Option{
			{ID: "in-house", Scores: map[string]decimal.Decimal{"csat": decimal.NewFromInt(7)}},
			{ID: "vendor", Scores: map[string]decimal.Decimal{"csat": decimal.NewFromInt(8)}},
			{ID: "cheap", Scores: map[string]decimal.Decimal{"csat": decimal.NewFromInt(4)}},
		},
	}
	c := &tco.Comparison{
		Currency: "USD", Baseline: "in-house", Unit: "contact",
		Months: []string{"2027-01", "2027-12"},
		Options: []tco.OptionResult{
			{ID: "in-house", Name: "In-house", TCO: m("174000"), PV: m("174000"), Status: tco.StatusRanked, Rank: &two,
				Payback: tco.Payback{TCO: &zero, PV: &zero}, Quality: &q, PriceScore: &p, Score: &s},
			{ID: "vendor", Name: "Vendor", TCO: m("144000"), PV: m("144000"), Status: tco.StatusRanked, Rank: &one,
				Savings: tco.Savings{TCO: m("30000"), PV: m("30000"), TCOPct: &pct, PVPct: &pct},
				Payback: tco.Payback{TCO: &zero, PV: never}, Quality: &q, PriceScore: &p, Score: &s,
				BreakEven: &tco.BreakEven{
					Monthly: []tco.Interval{
						{From: 0, To: 1000, Winner: "in-house"}, {From: 1000, To: 3750, Winner: "vendor"},
						{From: 3750, To: 4000, Winner: "in-house"}, {From: 4000, To: 4416.67, Winner: "vendor"},
						{From: 4416.67, To: 5000, Winner: "in-house"}, {From: 5000, To: 5083.33, Winner: "vendor"},
						{From: 5083.33, To: 6000, Winner: "in-house"},
					},
					Horizon: []tco.Interval{{From: 0, To: 6000, Winner: "vendor"}},
				},
				Sensitivity: []tco.Sensitivity{{Driver: tco.DriverVendorPrice, Low: m("58800"), High: m("1200"), TippingPoint: &tp}}},
			{ID: "cheap", Name: "Cheap & Co", TCO: m("100000"), PV: m("100000"), Status: tco.StatusKnockedOut,
				KnockedOutBy: []string{"csat"}, Missing: []string{"security"}},
		},
		Warnings: []string{"price scores use lowest_ratio"},
	}
	return doc, c
}

func TestText(t *testing.T) {
	t.Parallel()
	doc, c := e3()
	var b bytes.Buffer
	if err := Text(&b, doc, c); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"E3 several break-evens",
		"Currency USD; 2 months, 2027-01 to 2027-12; baseline In-house; demand in contacts.",
		"174,000.00", "144,000.00", "30,000.00", "17.2%", "month 0", "never",
		"76.3", "70.0", "78.8", // scores to one decimal, half away from zero
		"COST PER CONTACT",
		"monthly view: In-house wins from 0 to 1,000 contacts/month; Vendor wins from 1,000 to 3,750; " +
			"In-house wins from 3,750 to 4,000; Vendor wins from 4,000 to 4,416.67; In-house wins from 4,416.67 to 5,000; " +
			"Vendor wins from 5,000 to 5,083.33; In-house wins from 5,083.33 to 6,000.",
		"horizon view: Vendor wins over the whole range, 0 to 6,000 contacts/month.",
		"Sensitivity of the savings on TCO (USD), 30,000.00 today:",
		"×1.208",
		"Vendor stops saving money if its prices rise 20.8%.",
		"Cheap & Co is knocked out: CSAT (csat) scored 4, below the minimum 5.",
		"Cheap & Co is incomplete: no score for security.",
		"- price scores use lowest_ratio",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	// Ranked options first, by rank; the rest after them.
	v, ih, ch := strings.Index(out, "1  Vendor (vendor)"), strings.Index(out, "2  In-house (in-house, baseline)"), strings.Index(out, "—  Cheap & Co")
	if v < 0 || ih < 0 || ch < 0 || !(v < ih && ih < ch) {
		t.Errorf("ranking order wrong:\n%s", out)
	}
	for i, line := range strings.Split(out, "\n") {
		if strings.TrimRight(line, " ") != line {
			t.Errorf("line %d has trailing spaces: %q", i+1, line)
		}
	}
}

func TestJSONKeepsAmpersand(t *testing.T) {
	t.Parallel()
	_, c := e3()
	b, err := JSON(c)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(`"name":"Cheap & Co"`)) || !bytes.HasSuffix(b, []byte("}\n")) {
		t.Errorf("JSON %.200s…", b)
	}
}

func TestRiskWords(t *testing.T) {
	t.Parallel()
	if got := HowSure("Vendor A", 0.91, 0.64, 2000); got != "Vendor A saves money in 91% of 2,000 simulated futures and comes out first in 64%." {
		t.Errorf("HowSure: %q", got)
	}
	if got := HowSure("B", 0.9996, 0.004, 5000); got != "B saves money in 100.0% of 5,000 simulated futures and comes out first in 0.4%." {
		t.Errorf("HowSure near the ends: %q", got)
	}
	// the figure: about ±2 points at 90% confidence for 2,000 runs
	for _, tc := range []struct {
		p    float64
		n    int
		want string
	}{{0.5, 2000, "50% ±1.8"}, {0.91, 2000, "91% ±1.1"}, {0, 2000, "0% ±0.1"}, {1, 100, "100% ±2.6"}, {0.5, 20000, "50% ±0.6"}} {
		if got := Share(tc.p, tc.n); got != tc.want {
			t.Errorf("Share(%v, %d) = %q, want %q", tc.p, tc.n, got, tc.want)
		}
	}
	// the margin shrinks about as 1/√n: 4 times the runs, half the margin
	if a, b := SamplingError(0.3, 1000), SamplingError(0.3, 4000); b > a/2*1.03 || b < a/2*0.97 {
		t.Errorf("margins %v at 1,000 runs and %v at 4,000", a, b)
	}
}

func TestTextRisk(t *testing.T) {
	t.Parallel()
	d, err := tco.Decode([]byte(`{"name": "Risky", "currency": "USD", "start": "2027-01", "horizon_months": 12,
	 "volume": {"unit": "contact", "monthly": 1000}, "baseline": "b",
	 "risk": {"runs": 2000, "seed": 3, "drivers": {"volume": {"low": 0.5, "mode": 1, "high": 1.5}}},
	 "options": [
	  {"id": "b", "name": "In-house", "lines": [{"name": "u", "category": "operations", "basis": "per_unit", "amount": 5}]},
	  {"id": "v", "name": "Vendor A", "pricing": {"tiers": [{"price": 3}], "fixed_monthly": 2000}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	c, err := tco.Compare(d, tco.CompareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := Text(&b, d, c); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	k := c.Options[1].Risk
	for _, want := range []string{
		"How sure: 2,000 simulated futures (seed 3), savings on PV (USD)",
		"P10", "RANKS FIRST", amount(k.Savings.P50),
		HowSure("Vendor A", k.PSaves, k.PFirst, 2000),
		Share(k.PSaves, 2000),
		"drawn independently of one another",
		"±1.8 points at most with 2,000 runs",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	// without risk, no section
	d.Risk = nil
	c, _ = tco.Compare(d, tco.CompareOptions{})
	b.Reset()
	_ = Text(&b, d, c)
	if strings.Contains(b.String(), "How sure") {
		t.Error("a report without risk has a risk section")
	}
}

// TestTextStaffing: a document staffed to a service level gets the
// staffing table (the heads of E4's profile: 25); one without keeps its
// report as before, with no such table.
func TestTextStaffing(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../store/testdata/service_level.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := tco.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	c, err := tco.Compare(doc, tco.CompareOptions{SkipAnalysis: true})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := Text(&b, doc, c); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"Staffing (heads a month, before minimum units)", "In-house  Agents           service level       25    25  Jan 2027", "per-FTE pricing"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	doc3, c3 := e3()
	b.Reset()
	if err := Text(&b, doc3, c3); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "Staffing") {
		t.Errorf("a document without a service level got a staffing table:\n%s", b.String())
	}
}

// TestTextPluralUnits: the report writes the demand unit in the plural by
// the shared rule (words.Plural): a company unit is "companies", never
// "companys"; a box unit "boxes".
func TestTextPluralUnits(t *testing.T) {
	t.Parallel()
	for unit, want := range map[string]string{"company": "companies", "box": "boxes", "contact": "contacts", "person": "people"} {
		doc, c := e3()
		c.Unit = unit
		var b bytes.Buffer
		if err := Text(&b, doc, c); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		for _, s := range []string{"demand in " + want + ".", "0 to 1,000 " + want + "/month", "Break-even volumes (" + want + "/month)"} {
			if !strings.Contains(out, s) {
				t.Errorf("unit %q: report lacks %q:\n%s", unit, s, out)
			}
		}
		if wrong := unit + "s"; wrong != want && strings.Contains(out, wrong) {
			t.Errorf("unit %q: report says %q", unit, wrong)
		}
	}
}
