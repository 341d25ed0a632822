package tco

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// dtBaseDoc is a small valid document the table tests break one way at a
// time. Indices used below: options[0] is the in-house baseline with
// lines[0] per_block (capacity) and lines[1] fixed; options[1] is the vendor
// with pricing, lines[0] share_of_vendor, lines[1] one_time, lines[2] a
// fixed line with a window.
const dtBaseDoc = `{
 "name": "Base", "currency": "USD", "start": "2027-01", "horizon_months": 36,
 "discount_rate": 0.08,
 "volume": {"unit": "contact", "monthly": 20000},
 "baseline": "in-house",
 "criteria": [{"key": "csat", "name": "CSAT", "weight": 60, "scale": 10, "minimum": 5},
              {"key": "security", "name": "Security", "weight": 40}],
 "options": [
  {"id": "in-house", "name": "In-house", "kind": "in_house",
   "lines": [
     {"name": "Agents", "category": "personnel", "basis": "per_block", "amount": 3900,
      "capacity": {"aht_minutes": 6, "occupancy": 0.85, "shrinkage": 0.3, "paid_hours": 173.333}, "escalation": 0.03},
     {"name": "Facilities", "category": "operations", "basis": "fixed", "amount": 25000}
   ],
   "scores": {"csat": 7, "security": 8}},
  {"id": "vendor-a", "name": "Vendor A", "kind": "vendor",
   "pricing": {"tiers": [{"up_to": 10000, "price": 5}, {"up_to": 20000, "price": 4.5}, {"price": 4}], "setup_fee": 40000},
   "lines": [
     {"name": "Governance", "category": "personnel", "basis": "share_of_vendor", "amount": 0.05},
     {"name": "Severance", "category": "personnel", "basis": "one_time", "amount": 120000, "month": 1},
     {"name": "Lease", "category": "operations", "basis": "fixed", "amount": 5000, "from_month": 2, "to_month": 12}
   ],
   "scores": {"csat": 8, "security": 9}}
 ]
}`

// dtRead reads a file of testdata/.
func dtRead(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// dtDecode decodes data and fails the test on any error.
func dtDecode(t *testing.T, data []byte) *Document {
	t.Helper()
	d, err := Decode(data)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	return d
}

// dtDec parses a decimal literal for comparisons.
func dtDec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// dtEq fails unless got equals want exactly.
func dtEq(t *testing.T, what string, got decimal.Decimal, want string) {
	t.Helper()
	if !got.Equal(dtDec(want)) {
		t.Errorf("%s = %s, want %s", what, got, want)
	}
}

func TestDecodeE2(t *testing.T) {
	t.Parallel()
	d := dtDecode(t, dtRead(t, "e2.json"))
	if d.Name != "E2 36-month outsourcing decision" || d.Currency != "USD" || d.Start != "2027-01" || d.HorizonMonths != 36 {
		t.Errorf("header = %q %q %q %d", d.Name, d.Currency, d.Start, d.HorizonMonths)
	}
	dtEq(t, "discount_rate", d.DiscountRate, "0.08")
	if d.Timing != TimingEnd || d.Escalation != EscalationAnniversary {
		t.Errorf("timing, escalation = %q, %q", d.Timing, d.Escalation)
	}
	dtEq(t, "volume.monthly", d.Volume.Monthly, "20000")
	dtEq(t, "volume.growth (default)", d.Volume.Growth, "0")
	if len(d.Volume.Seasonality) != 12 {
		t.Fatalf("seasonality has %d values, want the default 12", len(d.Volume.Seasonality))
	}
	for _, s := range d.Volume.Seasonality {
		dtEq(t, "seasonality", s, "1")
	}
	if len(d.Criteria) != 2 || d.Criteria[0].Minimum == nil || d.Criteria[1].Minimum != nil {
		t.Fatalf("criteria = %+v", d.Criteria)
	}
	dtEq(t, "criteria[0].minimum", *d.Criteria[0].Minimum, "5")
	dtEq(t, "criteria[1].scale", d.Criteria[1].Scale, "10")
	dtEq(t, "price.weight", d.Price.Weight, "0.4")
	dtEq(t, "price.full_at (default)", d.Price.FullAt, "0.7")
	dtEq(t, "price.zero_at (default)", d.Price.ZeroAt, "1.3")
	if d.Price.Basis != PriceBasisPV || d.Price.Formula != FormulaAnchored {
		t.Errorf("price = %+v", d.Price)
	}

	in := d.Option("in-house")
	if in == nil || len(in.Lines) != 6 {
		t.Fatalf("in-house = %+v", in)
	}
	dtEq(t, "in-house volume_share (default)", in.VolumeShare, "1")
	agents := in.Lines[0]
	if agents.Capacity == nil || agents.BlockSize != nil {
		t.Fatalf("agents = %+v", agents)
	}
	dtEq(t, "paid_hours", agents.Capacity.PaidHours, "173.333")
	dtEq(t, "shrinkage", agents.Capacity.Shrinkage, "0.30")
	dtEq(t, "agents escalation", agents.Escalation, "0.03")
	if in.Lines[1].BlockSize == nil {
		t.Fatal("supervisors: no block_size")
	}
	dtEq(t, "block_size", *in.Lines[1].BlockSize, "12375.9762")
	if in.Lines[1].BlockSize.String() != "12375.9762" {
		t.Errorf("block_size text = %s", in.Lines[1].BlockSize)
	}
	dtEq(t, "scores.security", in.Scores["security"], "8")

	v := d.Option("vendor-a")
	if v == nil || v.Pricing == nil {
		t.Fatalf("vendor-a = %+v", v)
	}
	p := v.Pricing
	if p.Currency != "USD" || p.Per != PricingPerUnit || p.TierMode != TierModeGraduated || p.FromMonth != 1 {
		t.Errorf("pricing = %+v", p)
	}
	dtEq(t, "fx_rate", p.FXRate, "1")
	dtEq(t, "unit_factor (default)", p.UnitFactor, "1")
	dtEq(t, "setup_fee", p.SetupFee, "40000")
	dtEq(t, "exit_fee (default)", p.ExitFee, "0")
	dtEq(t, "minimum_charge (default)", p.MinimumCharge, "0")
	if len(p.Tiers) != 3 || p.Tiers[0].UpTo == nil || p.Tiers[2].UpTo != nil {
		t.Fatalf("tiers = %+v", p.Tiers)
	}
	dtEq(t, "tiers[1].price", p.Tiers[1].Price, "4.5")
	dtEq(t, "tiers[1].up_to", *p.Tiers[1].UpTo, "20000")
	sel := v.Lines[1]
	if sel.Basis != BasisOneTime || sel.Month == nil || *sel.Month != 0 || sel.FromMonth != nil {
		t.Errorf("vendor selection = %+v", sel)
	}
	dtEq(t, "one_time escalation", sel.Escalation, "0")
	lease := v.Lines[4]
	if lease.FromMonth == nil || *lease.FromMonth != 2 || lease.ToMonth == nil || *lease.ToMonth != 12 {
		t.Errorf("lease window = %v..%v", lease.FromMonth, lease.ToMonth)
	}
}

func TestDecodeE3Defaults(t *testing.T) {
	t.Parallel()
	d := dtDecode(t, dtRead(t, "e3.json"))
	dtEq(t, "discount_rate", d.DiscountRate, "0")
	if d.Timing != TimingEnd || d.Escalation != EscalationAnniversary {
		t.Errorf("timing, escalation = %q, %q", d.Timing, d.Escalation)
	}
	if len(d.Criteria) != 0 {
		t.Errorf("criteria = %+v", d.Criteria)
	}
	if want := defaultPrice(); !d.Price.Weight.Equal(want.Weight) || d.Price.Basis != PriceBasisPV ||
		d.Price.Formula != FormulaAnchored || !d.Price.FullAt.Equal(want.FullAt) || !d.Price.ZeroAt.Equal(want.ZeroAt) {
		t.Errorf("price = %+v, want the defaults", d.Price)
	}
	in := d.Options[0]
	if in.Kind != "" || in.Pricing != nil {
		t.Errorf("in-house = %+v", in)
	}
	dtEq(t, "fixed escalation (default)", in.Lines[0].Escalation, "0")
	v := d.Options[1]
	if v.Pricing == nil {
		t.Fatal("vendor has no pricing")
	}
	p := v.Pricing
	if p.Currency != "USD" {
		t.Errorf("pricing currency = %q, want the evaluation's", p.Currency)
	}
	dtEq(t, "fx_rate (default)", p.FXRate, "1")
	dtEq(t, "minimum_charge", p.MinimumCharge, "12000")
	dtEq(t, "minimum_units (default)", p.MinimumUnits, "0")
	dtEq(t, "escalation (default)", p.Escalation, "0")
	dtEq(t, "fixed_monthly (default)", p.FixedMonthly, "0")
	if len(p.Tiers) != 1 || p.Tiers[0].UpTo != nil {
		t.Errorf("tiers = %+v", p.Tiers)
	}
	if len(v.Lines) != 0 || len(v.Scores) != 0 {
		t.Errorf("vendor lines, scores = %v, %v", v.Lines, v.Scores)
	}
}

func TestDecodeSample(t *testing.T) {
	t.Parallel()
	d := dtDecode(t, dtRead(t, "sample.json"))
	if d.Currency != "CNY" {
		t.Errorf("currency = %q", d.Currency)
	}
	dtEq(t, "growth", d.Volume.Growth, "0.05")
	if d.Criteria[0].Minimum == nil || d.Criteria[1].Minimum != nil {
		t.Errorf("minimums = %v, %v", d.Criteria[0].Minimum, d.Criteria[1].Minimum)
	}
	p := d.Option("vendor-a").Pricing
	if p.Currency != "USD" {
		t.Errorf("quote currency = %q", p.Currency)
	}
	dtEq(t, "fx_rate", p.FXRate, "7.1")
	dtEq(t, "tiers[0].price", p.Tiers[0].Price, "0.70")
	dtEq(t, "tiers[2].price", p.Tiers[2].Price, "0.56")
	dtEq(t, "fixed_monthly", p.FixedMonthly, "2000")
	sev := d.Option("vendor-a").Lines[1]
	if sev.Month == nil || *sev.Month != 1 {
		t.Errorf("severance month = %v", sev.Month)
	}
}

// TestDecodeExact checks that numbers keep their exact decimal value and
// that a number and a decimal string decode alike.
func TestDecodeExact(t *testing.T) {
	t.Parallel()
	doc := strings.Replace(dtBaseDoc, `"amount": 25000}`, `"amount": 1.005}`, 1)
	d := dtDecode(t, []byte(doc))
	got := d.Options[0].Lines[1].Amount
	if !got.Equal(dtDec("1.005")) || got.String() != "1.005" {
		t.Errorf("1.005 decoded as %s", got)
	}

	asString := dtDecode(t, []byte(strings.Replace(dtBaseDoc, `"amount": 25000}`, `"amount": "1234.50"}`, 1)))
	asNumber := dtDecode(t, []byte(strings.Replace(dtBaseDoc, `"amount": 25000}`, `"amount": 1234.5}`, 1)))
	a, b := asString.Options[0].Lines[1].Amount, asNumber.Options[0].Lines[1].Amount
	if !a.Equal(b) || !a.Equal(dtDec("1234.5")) {
		t.Errorf(`"1234.50" = %s, 1234.5 = %s`, a, b)
	}

	// Exponents and strings are read exactly too.
	for in, want := range map[string]string{
		`1e3`: "1000", `"2.5E-1"`: "0.25", `0.1`: "0.1", `"-0"`: "0", `123456789012345.5`: "123456789012345.5",
		`"0.000000000000001"`: "0.000000000000001", `1.50000000000000000000`: "1.5",
	} {
		d := dtDecode(t, []byte(strings.Replace(dtBaseDoc, `"monthly": 20000`, `"monthly": `+in, 1)))
		if !d.Volume.Monthly.Equal(dtDec(want)) {
			t.Errorf("%s decoded as %s, want %s", in, d.Volume.Monthly, want)
		}
	}
	// A whole number may be written 36.0 or "36".
	for _, in := range []string{`36.0`, `"36"`, `3.6e1`} {
		d := dtDecode(t, []byte(strings.Replace(dtBaseDoc, `"horizon_months": 36`, `"horizon_months": `+in, 1)))
		if d.HorizonMonths != 36 {
			t.Errorf("horizon %s = %d", in, d.HorizonMonths)
		}
	}
}

// TestDecodeNullIsAbsent checks that null takes the default.
func TestDecodeNullIsAbsent(t *testing.T) {
	t.Parallel()
	doc := strings.Replace(dtBaseDoc, `"discount_rate": 0.08,`,
		`"discount_rate": null, "timing": null, "escalation": null, "price": null,`, 1)
	doc = strings.Replace(doc, `"scores": {"csat": 7, "security": 8}`, `"scores": {"csat": null, "security": 8}`, 1)
	d := dtDecode(t, []byte(doc))
	if !d.DiscountRate.IsZero() || d.Timing != TimingEnd || d.Escalation != EscalationAnniversary || !d.Price.FullAt.Equal(dtDec("0.7")) {
		t.Errorf("defaults not applied: %+v", d)
	}
	if _, ok := d.Options[0].Scores["csat"]; ok {
		t.Errorf("null score kept: %v", d.Options[0].Scores)
	}
}

func TestDecodeMalformed(t *testing.T) {
	t.Parallel()
	for name, in := range map[string]string{
		"Empty":      ``,
		"Spaces":     "  \n ",
		"Syntax":     `{"name": }`,
		"Truncated":  `{"name": "x"`,
		"Trailing":   `{"name": "x"} {}`,
		"TrailingX":  `{"name": "x"}x`,
		"Array":      `[{"name": "x"}]`,
		"String":     `"doc"`,
		"Null":       `null`,
		"BadNumber":  `{"horizon_months": 01}`,
		"KeyNoColon": `{"name" "x"}`,
		"Deep":       `{"a":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Decode([]byte(in))
			var m *MalformedError
			if !errors.As(err, &m) {
				t.Fatalf("err = %#v, want *MalformedError", err)
			}
			if m.Offset < 0 || m.Offset > int64(len(in)) {
				t.Errorf("offset %d outside the input", m.Offset)
			}
			if !strings.Contains(m.Error(), "offset") {
				t.Errorf("message %q has no offset", m.Error())
			}
		})
	}
	if _, err := Decode(append([]byte("\xEF\xBB\xBF"), dtBaseDoc...)); err != nil {
		t.Errorf("byte order mark: %v", err)
	}
	_, err := Decode([]byte("\xEF\xBB\xBF\xEF\xBB\xBF{}"))
	var bom *MalformedError
	if !errors.As(err, &bom) || bom.Offset != 3 {
		t.Errorf("second byte order mark: %v, want offset 3", err)
	}
	_, err = Decode([]byte(`{"name": "x"}  {}`))
	var m *MalformedError
	if !errors.As(err, &m) || m.Offset != 15 {
		t.Errorf("trailing data: %v, want offset 15", err)
	}
}

// dtEdit changes the base document, given as generic JSON.
type dtEdit func(doc map[string]any)

// dtAt walks a generic JSON value by keys and indices.
func dtAt(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			v = v.(map[string]any)[k]
		case int:
			v = v.([]any)[k]
		}
	}
	return v
}

// dtObj walks to an object.
func dtObj(v any, path ...any) map[string]any { return dtAt(v, path...).(map[string]any) }

// dtBuild applies an edit to the base document.
func dtBuild(t *testing.T, e dtEdit) []byte {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal([]byte(dtBaseDoc), &doc); err != nil {
		t.Fatal(err)
	}
	if e != nil {
		e(doc)
	}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// dtPaths returns the sorted distinct paths of an Errors.
func dtPaths(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("err = %#v, want Errors", err)
	}
	var out []string
	for _, e := range es {
		if e.Message == "" {
			t.Errorf("%s: empty message", e.Path)
		}
		if !slices.Contains(out, e.Path) {
			out = append(out, e.Path)
		}
	}
	sort.Strings(out)
	return out
}

func TestDecodeErrors(t *testing.T) {
	t.Parallel()
	tiers := func(ts ...any) dtEdit {
		return func(d map[string]any) { dtObj(d, "options", 1, "pricing")["tiers"] = ts }
	}
	tier := func(upTo, price any) map[string]any {
		m := map[string]any{"price": price}
		if upTo != nil {
			m["up_to"] = upTo
		}
		return m
	}
	set := func(v any, path ...any) dtEdit {
		return func(d map[string]any) {
			dtObj(d, path[:len(path)-1]...)[path[len(path)-1].(string)] = v
		}
	}
	del := func(path ...any) dtEdit {
		return func(d map[string]any) { delete(dtObj(d, path[:len(path)-1]...), path[len(path)-1].(string)) }
	}
	line := func(o, l int, key string, v any) dtEdit { return set(v, "options", o, "lines", l, key) }
	both := func(es ...dtEdit) dtEdit {
		return func(d map[string]any) {
			for _, e := range es {
				e(d)
			}
		}
	}

	tests := []struct {
		name  string
		edit  dtEdit
		raw   string // used instead of dtEdit when set
		paths []string
	}{
		{name: "OK"},
		{name: "OKNullOptional", edit: set(nil, "timing")},
		{name: "OKSeasonality", edit: set([]any{1, 1, 1, 1, 1, 1, 0.5, 0.5, 1, 1, 1.2, "1.3"}, "volume", "seasonality")},
		{name: "OKFXRate", edit: both(set("EUR", "options", 1, "pricing", "currency"), set("1.08", "options", 1, "pricing", "fx_rate"))},

		{name: "ErrUnknownField", edit: line(0, 0, "escalaton", 0.03), paths: []string{"options[0].lines[0].escalaton"}},
		{name: "ErrUnknownTopField", edit: set("x", "horizon"), paths: []string{"horizon"}},
		{name: "ErrUnknownScoreKeyQuoted", edit: set(5, "options", 0, "scores", "a b"), paths: []string{`options[0].scores["a b"]`}},
		{name: "ErrDuplicateField", raw: strings.Replace(dtBaseDoc, `"name": "Base",`, `"name": "Base", "name": "Again",`, 1), paths: []string{"name"}},
		{name: "ErrMissingName", edit: del("name"), paths: []string{"name"}},
		{name: "ErrEmptyName", edit: set("  ", "name"), paths: []string{"name"}},
		{name: "ErrLongName", edit: set(strings.Repeat("é", 201), "name"), paths: []string{"name"}},
		{name: "ErrNameType", edit: set(5, "name"), paths: []string{"name"}},
		{name: "ErrMissingVolume", edit: del("volume"), paths: []string{"volume"}},
		{name: "ErrMissingUnit", edit: del("volume", "unit"), paths: []string{"volume.unit"}},
		{name: "ErrMissingMonthly", edit: del("volume", "monthly"), paths: []string{"volume.monthly"}},
		{name: "ErrNegativeMonthly", edit: set(-1, "volume", "monthly"), paths: []string{"volume.monthly"}},
		{name: "ErrGrowth", edit: set(-1, "volume", "growth"), paths: []string{"volume.growth"}},
		{name: "ErrSeasonalityLength", edit: set([]any{1, 1}, "volume", "seasonality"), paths: []string{"volume.seasonality"}},
		{name: "ErrSeasonalityValue", edit: set([]any{1, 1, 1, -1, 1, 1, 1, 1, 1, 1, 1, "x"}, "volume", "seasonality"), paths: []string{"volume.seasonality[11]", "volume.seasonality[3]"}},
		{name: "ErrCurrency", edit: set("XYZ", "currency"), paths: []string{"currency"}},
		{name: "ErrCurrencyLower", edit: set("usd", "currency"), paths: []string{"currency"}},
		{name: "ErrStart", edit: set("2027-13", "start"), paths: []string{"start"}},
		{name: "ErrStartFormat", edit: set("2027/01", "start"), paths: []string{"start"}},
		{name: "ErrHorizonRange", edit: set(601, "horizon_months"), paths: []string{"horizon_months"}},
		{name: "ErrHorizonZero", edit: set(0, "horizon_months"), paths: []string{"horizon_months"}},
		{name: "ErrHorizonNotWhole", edit: set(12.5, "horizon_months"), paths: []string{"horizon_months"}},
		{name: "ErrHorizonType", edit: set("thirty", "horizon_months"), paths: []string{"horizon_months"}},
		{name: "ErrDiscountRate", edit: set(1, "discount_rate"), paths: []string{"discount_rate"}},
		{name: "ErrDiscountRateNegative", edit: set(-0.01, "discount_rate"), paths: []string{"discount_rate"}},
		{name: "ErrTiming", edit: set("middle", "timing"), paths: []string{"timing"}},
		{name: "ErrEscalationMode", edit: set("yearly", "escalation"), paths: []string{"escalation"}},
		{name: "ErrBaseline", edit: set("nobody", "baseline"), paths: []string{"baseline"}},
		{name: "ErrBaselineMissing", edit: del("baseline"), paths: []string{"baseline"}},
		{name: "ErrBaselineAfterBadID", edit: set(7, "options", 0, "id"), paths: []string{"options[0].id"}},
		{name: "ErrOneOption", edit: func(d map[string]any) { d["options"] = d["options"].([]any)[:1] }, paths: []string{"options"}},
		{name: "ErrOptionsType", edit: set("x", "options"), paths: []string{"options"}},
		{name: "ErrOptionType", edit: func(d map[string]any) { dtAt(d, "options").([]any)[1] = "vendor" }, paths: []string{"options[1]"}},
		{name: "ErrDuplicateID", edit: set("in-house", "options", 1, "id"), paths: []string{"options[1].id"}},
		{name: "ErrBadID", edit: set("In House", "options", 1, "id"), paths: []string{"options[1].id"}},
		{name: "ErrOptionName", edit: del("options", 1, "name"), paths: []string{"options[1].name"}},
		{name: "ErrKind", edit: set("outsourcer", "options", 1, "kind"), paths: []string{"options[1].kind"}},
		{name: "ErrVolumeShare", edit: set(1.5, "options", 1, "volume_share"), paths: []string{"options[1].volume_share"}},

		{name: "ErrCriterionKeyDuplicate", edit: set("csat", "criteria", 1, "key"), paths: []string{"criteria[1].key"}},
		{name: "ErrCriterionKeyEmpty", edit: set("", "criteria", 1, "key"), paths: []string{"criteria[1].key"}},
		{name: "ErrCriterionName", edit: del("criteria", 0, "name"), paths: []string{"criteria[0].name"}},
		{name: "ErrCriterionWeight", edit: set(0, "criteria", 0, "weight"), paths: []string{"criteria[0].weight"}},
		{name: "ErrCriterionWeightMissing", edit: del("criteria", 0, "weight"), paths: []string{"criteria[0].weight"}},
		{name: "ErrCriterionScale", edit: set(-10, "criteria", 1, "scale"), paths: []string{"criteria[1].scale"}},
		{name: "ErrCriterionMinimum", edit: set(11, "criteria", 0, "minimum"), paths: []string{"criteria[0].minimum"}},
		{name: "ErrScoreAboveScale", edit: set(11, "options", 0, "scores", "csat"), paths: []string{"options[0].scores.csat"}},
		{name: "ErrScoreNegative", edit: set(-1, "options", 1, "scores", "security"), paths: []string{"options[1].scores.security"}},
		{name: "ErrScoreUnknownCriterion", edit: set(5, "options", 0, "scores", "foo"), paths: []string{"options[0].scores.foo"}},
		{name: "ErrScoreType", edit: set(true, "options", 0, "scores", "csat"), paths: []string{"options[0].scores.csat"}},
		{name: "ErrScoreAfterBadCriterion", edit: both(set(5, "criteria", 1, "key"), set(5, "options", 0, "scores", "csat")),
			paths: []string{"criteria[1].key"}}, // the scores' keys are not judged against a broken key
		{name: "ErrPriceWeight", edit: set(map[string]any{"weight": 1.5}, "price"), paths: []string{"price.weight"}},
		{name: "ErrPriceAnchors", edit: set(map[string]any{"full_at": 1.3, "zero_at": 0.7}, "price"), paths: []string{"price.full_at"}},
		{name: "ErrPriceBasis", edit: set(map[string]any{"basis": "npv", "formula": "lowest"}, "price"), paths: []string{"price.basis", "price.formula"}},

		{name: "ErrLineName", edit: line(0, 1, "name", ""), paths: []string{"options[0].lines[1].name"}},
		{name: "ErrLineCategory", edit: line(0, 1, "category", "vendor"), paths: []string{"options[0].lines[1].category"}},
		{name: "ErrLineBasis", edit: line(0, 1, "basis", "monthly"), paths: []string{"options[0].lines[1].basis"}},
		{name: "ErrLineAmountMissing", edit: del("options", 0, "lines", 1, "amount"), paths: []string{"options[0].lines[1].amount"}},
		{name: "ErrLineAmountNegative", edit: line(0, 1, "amount", -5), paths: []string{"options[0].lines[1].amount"}},
		{name: "ErrLineEscalation", edit: line(0, 1, "escalation", -1), paths: []string{"options[0].lines[1].escalation"}},
		{name: "ErrEscalationOnOneTime", edit: line(1, 1, "escalation", 0), paths: []string{"options[1].lines[1].escalation"}},
		{name: "ErrEscalationOnShare", edit: line(1, 0, "escalation", 0.03), paths: []string{"options[1].lines[0].escalation"}},
		{name: "ErrMonthOnFixed", edit: line(0, 1, "month", 3), paths: []string{"options[0].lines[1].month"}},
		{name: "ErrOneTimeNoMonth", edit: del("options", 1, "lines", 1, "month"), paths: []string{"options[1].lines[1].month"}},
		{name: "ErrOneTimeMonthRange", edit: line(1, 1, "month", 37), paths: []string{"options[1].lines[1].month"}},
		{name: "ErrOneTimeWindow", edit: line(1, 1, "from_month", 2), paths: []string{"options[1].lines[1].from_month"}},
		{name: "ErrMonthNotWhole", edit: line(1, 1, "month", 1.5), paths: []string{"options[1].lines[1].month"}},
		{name: "ErrWindowOrder", edit: both(line(1, 2, "from_month", 5), line(1, 2, "to_month", 3)), paths: []string{"options[1].lines[2].to_month"}},
		{name: "ErrWindowRange", edit: both(line(1, 2, "from_month", 0), line(1, 2, "to_month", 40)), paths: []string{"options[1].lines[2].from_month", "options[1].lines[2].to_month"}},
		{name: "ErrPerBlockNoBlock", edit: del("options", 0, "lines", 0, "capacity"), paths: []string{"options[0].lines[0].block_size"}},
		{name: "ErrPerBlockBoth", edit: line(0, 0, "block_size", 1000), paths: []string{"options[0].lines[0].capacity"}},
		{name: "ErrBlockSizeZero", edit: both(del("options", 0, "lines", 0, "capacity"), line(0, 0, "block_size", 0)), paths: []string{"options[0].lines[0].block_size"}},
		{name: "ErrBlockSizeOnFixed", edit: line(0, 1, "block_size", 10), paths: []string{"options[0].lines[1].block_size"}},
		{name: "ErrCapacityType", edit: line(0, 0, "capacity", 5), paths: []string{"options[0].lines[0].capacity"}},
		{name: "ErrCapacity", edit: line(0, 0, "capacity", map[string]any{"aht_minutes": 0, "occupancy": 0, "shrinkage": 1}),
			paths: []string{"options[0].lines[0].capacity.aht_minutes", "options[0].lines[0].capacity.occupancy",
				"options[0].lines[0].capacity.paid_hours", "options[0].lines[0].capacity.shrinkage"}},
		{name: "ErrLineVolumeShare", edit: line(0, 1, "volume_share", -0.1), paths: []string{"options[0].lines[1].volume_share"}},
		{name: "ErrShareWithoutPricing", edit: line(0, 1, "basis", "share_of_vendor"), paths: []string{"options[0].lines[1].amount", "options[0].lines[1].basis"}},
		{name: "ErrShareFraction", edit: line(1, 0, "amount", 5), paths: []string{"options[1].lines[0].amount"}},
		{name: "ErrLinesTooMany", edit: func(d map[string]any) {
			ls := make([]any, 501)
			for i := range ls {
				ls[i] = map[string]any{"name": "x", "category": "operations", "basis": "fixed", "amount": 1}
			}
			dtObj(d, "options", 0)["lines"] = ls
		}, paths: []string{"options[0].lines"}},

		{name: "ErrPricingType", edit: set(5, "options", 1, "pricing"), paths: []string{"options[1].pricing"}},
		{name: "ErrPricingCurrency", edit: both(set("EURO", "options", 1, "pricing", "currency"), set(1.1, "options", 1, "pricing", "fx_rate")), paths: []string{"options[1].pricing.currency"}},
		{name: "ErrFXRequired", edit: set("EUR", "options", 1, "pricing", "currency"), paths: []string{"options[1].pricing.fx_rate"}},
		{name: "ErrFXNotOne", edit: set(2, "options", 1, "pricing", "fx_rate"), paths: []string{"options[1].pricing.fx_rate"}},
		{name: "ErrFXZero", edit: both(set("EUR", "options", 1, "pricing", "currency"), set(0, "options", 1, "pricing", "fx_rate")), paths: []string{"options[1].pricing.fx_rate"}},
		{name: "ErrPer", edit: set("seat", "options", 1, "pricing", "per"), paths: []string{"options[1].pricing.per"}},
		{name: "ErrPerBlockNoSize", edit: set("block", "options", 1, "pricing", "per"), paths: []string{"options[1].pricing.block_size"}},
		{name: "ErrPerBlockUnitFactor", edit: both(set("block", "options", 1, "pricing", "per"), set(100, "options", 1, "pricing", "block_size"), set(2, "options", 1, "pricing", "unit_factor")), paths: []string{"options[1].pricing.unit_factor"}},
		{name: "ErrBlockSizePerUnit", edit: set(100, "options", 1, "pricing", "block_size"), paths: []string{"options[1].pricing.block_size"}},
		{name: "ErrUnitFactor", edit: set(0, "options", 1, "pricing", "unit_factor"), paths: []string{"options[1].pricing.unit_factor"}},
		{name: "ErrTiersMissing", edit: del("options", 1, "pricing", "tiers"), paths: []string{"options[1].pricing.tiers"}},
		{name: "ErrTiersEmpty", edit: tiers(), paths: []string{"options[1].pricing.tiers"}},
		{name: "ErrTierOrder", edit: tiers(tier(10000, 5), tier(10000, 4.5), tier(nil, 4)), paths: []string{"options[1].pricing.tiers[1].up_to"}},
		{name: "ErrTierUpToMissing", edit: tiers(tier(nil, 5), tier(nil, 4)), paths: []string{"options[1].pricing.tiers[0].up_to"}},
		{name: "ErrTierUpToZero", edit: tiers(tier(0, 5), tier(nil, 4)), paths: []string{"options[1].pricing.tiers[0].up_to"}},
		{name: "ErrTierLastBounded", edit: tiers(tier(10000, 5), tier(20000, 4)), paths: []string{"options[1].pricing.tiers[1].up_to"}},
		{name: "ErrTierPrice", edit: tiers(tier(10000, -5), tier(nil, 4)), paths: []string{"options[1].pricing.tiers[0].price"}},
		{name: "ErrTierPriceMissing", edit: tiers(map[string]any{"up_to": 1000}, tier(nil, 4)), paths: []string{"options[1].pricing.tiers[0].price"}},
		{name: "ErrTierOrderAfterBadUpTo", edit: tiers(tier("x", 5), tier(10, 4), tier(nil, 3)), paths: []string{"options[1].pricing.tiers[0].up_to"}},
		{name: "ErrTierMode", edit: set("all", "options", 1, "pricing", "tier_mode"), paths: []string{"options[1].pricing.tier_mode"}},
		{name: "ErrPricingMoney", edit: both(set(-1, "options", 1, "pricing", "fixed_monthly"), set(-1, "options", 1, "pricing", "minimum_units"),
			set(-1, "options", 1, "pricing", "minimum_charge"), set(-1, "options", 1, "pricing", "setup_fee"), set(-1, "options", 1, "pricing", "exit_fee"),
			set(-2, "options", 1, "pricing", "escalation"), set(0, "options", 1, "pricing", "from_month")),
			paths: []string{"options[1].pricing.escalation", "options[1].pricing.exit_fee", "options[1].pricing.fixed_monthly",
				"options[1].pricing.from_month", "options[1].pricing.minimum_charge", "options[1].pricing.minimum_units", "options[1].pricing.setup_fee"}},
		{name: "ErrFromMonthAfterHorizon", edit: set(37, "options", 1, "pricing", "from_month"), paths: []string{"options[1].pricing.from_month"}},

		{name: "ErrNaN", edit: line(0, 1, "amount", "NaN"), paths: []string{"options[0].lines[1].amount"}},
		{name: "ErrInfinity", edit: line(0, 1, "amount", "-Infinity"), paths: []string{"options[0].lines[1].amount"}},
		{name: "ErrTooLarge", raw: strings.Replace(dtBaseDoc, `"amount": 25000}`, `"amount": 1e15}`, 1), paths: []string{"options[0].lines[1].amount"}},
		{name: "ErrHugeExponent", raw: strings.Replace(dtBaseDoc, `"amount": 25000}`, `"amount": 1e999999999999}`, 1), paths: []string{"options[0].lines[1].amount"}},
		{name: "ErrTooPrecise", edit: line(0, 1, "amount", "0.1234567890123456"), paths: []string{"options[0].lines[1].amount"}},
		{name: "ErrThousands", edit: line(0, 1, "amount", "1,234.50"), paths: []string{"options[0].lines[1].amount"}},
		{name: "ErrAmountType", edit: line(0, 1, "amount", []any{1}), paths: []string{"options[0].lines[1].amount"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := []byte(tt.raw)
			if tt.raw == "" {
				data = dtBuild(t, tt.edit)
			}
			d, err := Decode(data)
			got := dtPaths(t, err)
			want := append([]string(nil), tt.paths...)
			sort.Strings(want)
			if !slices.Equal(got, want) {
				t.Fatalf("paths = %q, want %q\nerr: %v", got, want, err)
			}
			if err == nil && d == nil {
				t.Fatal("nil document without error")
			}
			if err != nil && d != nil {
				t.Fatal("document returned with an error")
			}
		})
	}
}

// TestDecodeAllAtOnce checks that mistakes all over a document are reported
// together, decoding and validation problems alike.
func TestDecodeAllAtOnce(t *testing.T) {
	t.Parallel()
	data := dtBuild(t, func(d map[string]any) {
		delete(d, "name")
		d["currency"] = "usd"
		d["horizon_months"] = 0
		dtObj(d, "volume")["seasonality"] = []any{1, 1}
		dtObj(d, "criteria", 1)["weight"] = -1
		dtObj(d, "options", 0, "lines", 0)["escalaton"] = 0.03
		dtObj(d, "options", 0, "scores")["csat"] = 11
		dtObj(d, "options", 1, "lines", 1)["escalation"] = 0
		dtObj(d, "options", 1, "pricing")["tiers"] = []any{
			map[string]any{"up_to": 10000, "price": -1}, map[string]any{"up_to": 5000, "price": 4}, map[string]any{"price": 3},
		}
	})
	_, err := Decode(data)
	want := []string{
		"criteria[1].weight", "currency", "horizon_months", "name",
		"options[0].lines[0].escalaton", "options[0].scores.csat", "options[1].lines[1].escalation",
		"options[1].pricing.tiers[0].price", "options[1].pricing.tiers[1].up_to", "volume.seasonality",
	}
	if got := dtPaths(t, err); !slices.Equal(got, want) {
		t.Fatalf("paths = %q\nwant %q", got, want)
	}
	fields := err.(Errors).Fields()
	for path, msg := range map[string]string{
		"name":                              "is required",
		"options[1].pricing.tiers[0].price": "must be ≥ 0",
		"options[1].pricing.tiers[1].up_to": "must be greater than the previous tier's up_to (10000)",
		"options[0].lines[0].escalaton":     `unknown field (did you mean "escalation"?)`,
		"options[0].scores.csat":            "must be at most the criterion's scale (10)",
		"options[1].lines[1].escalation":    "is not allowed on a one_time line: one-time items are not escalated",
		"criteria[1].weight":                "must be greater than 0",
		"volume.seasonality":                "must have exactly 12 values, January to December, not 2",
		"horizon_months":                    "must be between 1 and 600 months",
		"currency":                          `must be upper case: "USD"`,
	} {
		if fields[path] != msg {
			t.Errorf("%s: %q, want %q", path, fields[path], msg)
		}
	}
}

// TestDecodeMessages checks the wording of a few messages users see.
func TestDecodeMessages(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		edit dtEdit
		path string
		want string
	}{
		{func(d map[string]any) { dtObj(d, "options", 0, "scores")["foo"] = 1 }, "options[0].scores.foo", `unknown criterion "foo"`},
		{func(d map[string]any) { d["baseline"] = "x" }, "baseline", `must name an option: no option has the id "x"`},
		{func(d map[string]any) { dtObj(d, "volume")["monthly"] = "1e15" }, "volume.monthly", "must be less than 1e15 in magnitude"},
		{func(d map[string]any) { dtObj(d, "volume")["monthly"] = "0.0000000000000001" }, "volume.monthly", "must have at most 15 digits after the decimal point"},
		{func(d map[string]any) { dtObj(d, "volume")["monthly"] = "NaN" }, "volume.monthly", "must be a finite number: NaN and Infinity are not allowed"},
		{func(d map[string]any) { dtObj(d, "options", 1, "lines", 0)["amount"] = 2 }, "options[1].lines[0].amount", "must be a fraction of the invoice between 0 and 1 (0.05 is 5%)"},
		{func(d map[string]any) { dtObj(d, "options", 1, "pricing")["currency"] = "CNY" }, "options[1].pricing.fx_rate", "is required when the quote's currency (CNY) differs from the evaluation's (USD): USD per 1 CNY"},
		{func(d map[string]any) { d["horizon_months"] = true }, "horizon_months", "must be a number or a decimal string, not a boolean"},
	} {
		_, err := Decode(dtBuild(t, tt.edit))
		var es Errors
		if !errors.As(err, &es) {
			t.Fatalf("err = %v", err)
		}
		if got := es.Fields()[tt.path]; got != tt.want {
			t.Errorf("%s: %q, want %q (all: %v)", tt.path, got, tt.want, err)
		}
	}
}

// TestLineMarshalRoundTrip checks that an exported document reads back:
// the zero escalation of one_time and share_of_vendor lines is left out.
func TestLineMarshalRoundTrip(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"e2.json", "e3.json", "sample.json"} {
		d := dtDecode(t, dtRead(t, name))
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		d2 := dtDecode(t, b)
		b2, _ := json.Marshal(d2)
		if string(b) != string(b2) {
			t.Errorf("%s: round trip changed the document:\n%s\n%s", name, b, b2)
		}
	}
	one := Line{Name: "x", Category: CategoryExternal, Basis: BasisOneTime, Amount: dtDec("1")}
	b, _ := json.Marshal(one)
	if strings.Contains(string(b), "escalation") {
		t.Errorf("one_time line marshals escalation: %s", b)
	}
	fixed := Line{Name: "x", Category: CategoryExternal, Basis: BasisFixed, Amount: dtDec("1")}
	b, _ = json.Marshal(fixed)
	if !strings.Contains(string(b), `"escalation":"0"`) {
		t.Errorf("fixed line lost its escalation: %s", b)
	}
}

// TestDecodeFullDoc checks the fuzz seed that sets every field: it is
// valid, and every field is read.
func TestDecodeFullDoc(t *testing.T) {
	t.Parallel()
	d := dtDecode(t, []byte(fuzzFullDoc))
	if d.HorizonMonths != 24 || d.Timing != TimingMid || d.Escalation != EscalationMonthly || d.Price.Formula != FormulaLowestRatio {
		t.Errorf("header = %d %q %q %q", d.HorizonMonths, d.Timing, d.Escalation, d.Price.Formula)
	}
	dtEq(t, "seasonality[2]", d.Volume.Seasonality[2], "1.1")
	dtEq(t, "growth", d.Volume.Growth, "-0.1")
	a, b := d.Options[0], d.Options[1]
	dtEq(t, "a.volume_share", a.VolumeShare, "0.7")
	if a.Lines[0].VolumeShare == nil || a.Lines[1].BlockSize == nil || *a.Lines[0].ToMonth != 24 {
		t.Errorf("a.lines = %+v", a.Lines)
	}
	p := b.Pricing
	if p.Per != PricingPerBlock || p.Capacity == nil || p.TierMode != TierModeAllUnits || p.FromMonth != 24 || p.Currency != "GBP" {
		t.Errorf("pricing = %+v", p)
	}
	dtEq(t, "fx_rate", p.FXRate, "1.17")
	dtEq(t, "aht", p.Capacity.AHTMinutes, "4.5")
	for what, got := range map[string]decimal.Decimal{"fixed_monthly": p.FixedMonthly, "minimum_units": p.MinimumUnits,
		"minimum_charge": p.MinimumCharge, "setup_fee": p.SetupFee, "exit_fee": p.ExitFee} {
		if got.IsZero() {
			t.Errorf("%s not read", what)
		}
	}
	if b.Scores == nil || len(b.Scores) != 0 {
		t.Errorf("b.scores = %v", b.Scores)
	}
}
