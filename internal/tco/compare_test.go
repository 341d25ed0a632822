package tco

import (
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// mustDoc decodes a JSON document or fails the test.
func mustDoc(t testing.TB, js string) *Document {
	t.Helper()
	d, err := Decode([]byte(js))
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return d
}

func readDoc(t testing.TB, name string) *Document {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return mustDoc(t, string(b))
}

func mustCompare(t testing.TB, d *Document) *Comparison {
	t.Helper()
	c, err := Compare(d, CompareOptions{})
	if err != nil {
		t.Fatalf("compare: %v", err)
	}
	return c
}

func result(t testing.TB, c *Comparison, id string) *OptionResult {
	t.Helper()
	for i := range c.Options {
		if c.Options[i].ID == id {
			return &c.Options[i]
		}
	}
	t.Fatalf("no option %q", id)
	return nil
}

func eqMoney(t *testing.T, what string, got Money, want string) {
	t.Helper()
	if got.String() != want {
		t.Errorf("%s = %s, want %s", what, got, want)
	}
}

func near(t *testing.T, what string, got *float64, want, tol float64) {
	t.Helper()
	if got == nil {
		t.Errorf("%s = null, want %v", what, want)
		return
	}
	if math.Abs(*got-want) > tol {
		t.Errorf("%s = %v, want %v ± %v", what, *got, want, tol)
	}
}

func lineMonth(t *testing.T, r *OptionResult, name string, m int) string {
	t.Helper()
	for _, l := range r.Lines {
		if l.Name == name {
			return l.Monthly[m].StringFixed(2)
		}
	}
	t.Fatalf("no line %q", name)
	return ""
}

// TestE1 checks the one-month worked example of spec §6.
func TestE1(t *testing.T) {
	t.Parallel()
	c := mustCompare(t, readDoc(t, "e2.json"))
	in := result(t, c, "in-house")
	for _, tc := range []struct{ line, want string }{
		{"Agents", "78000.00"}, {"Supervisors", "11700.00"}, {"Attrition", "3500.00"},
		{"Agent seats", "3600.00"}, {"Supervisor seats", "360.00"}, {"Facilities", "25000.00"},
	} {
		if got := lineMonth(t, in, tc.line, 1); got != tc.want {
			t.Errorf("month 1 %s = %s, want %s", tc.line, got, tc.want)
		}
	}
	eqMoney(t, "in-house month 1", in.Monthly[1].Total, "122160.00")

	va := result(t, c, "vendor-a")
	if got := lineMonth(t, va, "Vendor invoice", 2); got != "95000.00" {
		t.Errorf("invoice month 2 = %s, want 95000.00", got)
	}
	if got := lineMonth(t, va, "Governance", 2); got != "4750.00" {
		t.Errorf("governance month 2 = %s, want 4750.00", got)
	}
	// recurring saving of month 2 (month 1 carries one-time items; month 2
	// carries the stranded lease, so take invoice + governance directly).
	rec := in.Monthly[2].Total.Value.Sub(decimal.RequireFromString("95000").Add(decimal.RequireFromString("4750")))
	if rec.StringFixed(2) != "22410.00" {
		t.Errorf("recurring saving = %s, want 22410.00", rec.StringFixed(2))
	}

	// The tier figures of E1, graduated and all-units, at 20,000 and 20,001.
	p := &Pricing{Tiers: []Tier{{UpTo: dptr("10000"), Price: dec("5")}, {UpTo: dptr("20000"), Price: dec("4.5")}, {Price: dec("4")}}}
	for _, tc := range []struct {
		mode, q, want string
	}{
		{TierModeGraduated, "20000", "95000"}, {TierModeAllUnits, "20000", "90000"},
		{TierModeGraduated, "20001", "95004"}, {TierModeAllUnits, "20001", "80004"},
		{TierModeAllUnits, "10000", "50000"}, {TierModeGraduated, "10000", "50000"},
		{TierModeAllUnits, "10000.0000000001", "50000.0000000005"}, // within 1e-9 of the bound: counts as the bound
		{TierModeGraduated, "0", "0"},
	} {
		p.TierMode = tc.mode
		got := tierUsage(p, dec(tc.q), dec(tc.q).InexactFloat64())
		if tc.q == "10000.0000000001" {
			if !got.Equal(dec("50000")) {
				t.Errorf("%s at %s = %s, want 50000 (snapped)", tc.mode, tc.q, got)
			}
			continue
		}
		if !got.Equal(dec(tc.want)) {
			t.Errorf("%s at %s = %s, want %s", tc.mode, tc.q, got, tc.want)
		}
	}
}

// TestE2 checks the 36-month worked example of spec §6 to the cent.
func TestE2(t *testing.T) {
	t.Parallel()
	c := mustCompare(t, readDoc(t, "e2.json"))
	in, va := result(t, c, "in-house"), result(t, c, "vendor-a")

	eqMoney(t, "in-house month 25", in.Monthly[25].Total, "129599.54")
	for _, tc := range []struct{ line, want string }{
		{"Agents", "82750.20"}, {"Supervisors", "12412.53"}, {"Attrition", "3713.15"}, {"Facilities", "26522.50"},
	} {
		if got := lineMonth(t, in, tc.line, 25); got != tc.want {
			t.Errorf("month 25 %s = %s, want %s", tc.line, got, tc.want)
		}
	}
	seats := dec(lineMonth(t, in, "Agent seats", 25)).Add(dec(lineMonth(t, in, "Supervisor seats", 25)))
	if seats.StringFixed(2) != "4201.16" {
		t.Errorf("month 25 seats = %s, want 4201.16", seats.StringFixed(2))
	}
	eqMoney(t, "vendor month 0", va.Monthly[0].Total, "74200.00")
	eqMoney(t, "vendor month 0 vendor", va.Monthly[0].ByCategory["vendor"], "40000.00")
	eqMoney(t, "vendor month 0 external", va.Monthly[0].ByCategory["external"], "34200.00")

	eqMoney(t, "in-house TCO", in.TCO, "4531012.08")
	eqMoney(t, "vendor TCO", va.TCO, "4071167.36")
	eqMoney(t, "TCO saving", va.Savings.TCO, "459844.72")
	eqMoney(t, "in-house PV", in.PV, "4026911.71")
	eqMoney(t, "vendor PV", va.PV, "3655591.30")
	eqMoney(t, "PV saving", va.Savings.PV, "371320.41")
	near(t, "tco_pct", va.Savings.TCOPct, 0.1015, 0.00005)
	near(t, "pv_pct", va.Savings.PVPct, 0.0922, 0.00005)
	if va.Payback.TCO == nil || *va.Payback.TCO != 17 {
		t.Errorf("nominal payback = %v, want 17", va.Payback.TCO)
	}
	if va.Payback.PV == nil || *va.Payback.PV != 18 {
		t.Errorf("discounted payback = %v, want 18", va.Payback.PV)
	}
	near(t, "in-house quality", in.Quality, 74.0, 1e-9)
	near(t, "vendor quality", va.Quality, 84.0, 1e-9)
	near(t, "in-house price score", in.PriceScore, 50.0, 1e-9)
	near(t, "vendor price score", va.PriceScore, 65.37, 0.005)
	near(t, "in-house combined", in.Score, 64.4, 1e-9)
	near(t, "vendor combined", va.Score, 76.55, 0.005)
	if va.Rank == nil || *va.Rank != 1 || in.Rank == nil || *in.Rank != 2 {
		t.Errorf("ranks: vendor %v, in-house %v; want 1, 2", va.Rank, in.Rank)
	}
	if in.Payback.TCO == nil || *in.Payback.TCO != 0 || !in.Savings.TCO.Value.IsZero() {
		t.Errorf("baseline must have zero savings and payback 0, got %v %v", in.Savings.TCO, in.Payback.TCO)
	}
	if in.BreakEven != nil || len(in.Sensitivity) != 0 {
		t.Error("the baseline has no break-even and no sensitivity")
	}
	if va.CostPerUnit == nil || va.CostPerUnit.String() != "5.6544" {
		t.Errorf("cost per unit = %v, want 5.6544", va.CostPerUnit)
	}
	if va.BreakEven == nil || len(va.Sensitivity) == 0 {
		t.Fatal("vendor must have break-even and sensitivity")
	}
}

// TestE2JSON checks the wire format of spec §7.
func TestE2JSON(t *testing.T) {
	t.Parallel()
	c := mustCompare(t, readDoc(t, "e2.json"))
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got["currency"] != "USD" || got["baseline"] != "in-house" {
		t.Errorf("header: %v %v", got["currency"], got["baseline"])
	}
	if n := len(got["months"].([]any)); n != 36 {
		t.Errorf("months: %d", n)
	}
	if got["months"].([]any)[0] != "2027-01" || got["months"].([]any)[35] != "2029-12" {
		t.Errorf("month labels: %v", got["months"])
	}
	opts := got["options"].([]any)
	va := opts[1].(map[string]any)
	for k, want := range map[string]any{"tco": "4071167.36", "pv": "3655591.30", "status": "ranked", "rank": 1.0, "cost_per_unit": "5.6544"} {
		if va[k] != want {
			t.Errorf("%s = %v, want %v", k, va[k], want)
		}
	}
	bc := va["by_category"].(map[string]any)
	if len(bc) != 5 || bc["technology"] != "0.00" {
		t.Errorf("by_category: %v", bc)
	}
	in := opts[0].(map[string]any)
	if in["break_even"] != nil {
		t.Errorf("baseline break_even = %v", in["break_even"])
	}
	if !strings.Contains(string(b), `"knocked_out_by":[]`) || !strings.Contains(string(b), `"warnings":[]`) {
		t.Error("empty lists must be [] not null")
	}
}

// TestRankReversal checks the rank-reversal example of spec §6: lowest_ratio
// reverses A and B when C is added; anchored never does.
func TestRankReversal(t *testing.T) {
	t.Parallel()
	doc := func(formula string, withC bool) string {
		opt := func(id string, q int, total int) string {
			return `{"id":"` + id + `","name":"` + id + `","lines":[{"name":"x","category":"operations","basis":"fixed","amount":` + itoa(total) + `}],"scores":{"q":` + itoa(q) + `}}`
		}
		opts := opt("a", 8, 100) + "," + opt("b", 7, 80)
		if withC {
			opts += "," + opt("c", 3, 50)
		}
		return `{"name":"r","currency":"USD","start":"2027-01","horizon_months":1,"volume":{"unit":"contact","monthly":0},
		"baseline":"a","criteria":[{"key":"q","name":"Q","weight":1}],
		"price":{"weight":0.4,"basis":"tco","formula":"` + formula + `"},"options":[` + opts + `]}`
	}
	c := mustCompare(t, mustDoc(t, doc("lowest_ratio", false)))
	near(t, "A", result(t, c, "a").Score, 80.0, 1e-9)
	near(t, "B", result(t, c, "b").Score, 82.0, 1e-9)
	if *result(t, c, "b").Rank != 1 {
		t.Error("B must rank first before C is added")
	}
	if len(c.Warnings) == 0 || !strings.Contains(c.Warnings[0], "lowest_ratio") {
		t.Errorf("lowest_ratio must warn, got %v", c.Warnings)
	}
	c = mustCompare(t, mustDoc(t, doc("lowest_ratio", true)))
	near(t, "A", result(t, c, "a").Score, 68.0, 1e-9)
	near(t, "B", result(t, c, "b").Score, 67.0, 1e-9)
	near(t, "C", result(t, c, "c").Score, 58.0, 1e-9)
	if *result(t, c, "a").Rank != 1 || *result(t, c, "b").Rank != 2 || *result(t, c, "c").Rank != 3 {
		t.Error("with C, A must rank first, B second, C third")
	}
	for _, withC := range []bool{false, true} {
		c = mustCompare(t, mustDoc(t, doc("anchored", withC)))
		if *result(t, c, "a").Rank > *result(t, c, "b").Rank != (*result(t, c, "a").Score < *result(t, c, "b").Score) {
			t.Error("rank must follow score")
		}
		// anchored never warns of reversal; C's total (half A's) lies
		// beyond full_at, which §10 says in one warning naming C
		want := 0
		if withC {
			want = 1
		}
		if len(c.Warnings) != want || withC && !strings.Contains(c.Warnings[0], "price score of c (c) is clamped at 100") {
			t.Errorf("anchored warnings %q, want %d (C clamped)", c.Warnings, want)
		}
	}
	a1 := mustCompare(t, mustDoc(t, doc("anchored", false)))
	a2 := mustCompare(t, mustDoc(t, doc("anchored", true)))
	if (*result(t, a1, "a").Rank < *result(t, a1, "b").Rank) != (*result(t, a2, "a").Rank < *result(t, a2, "b").Rank) {
		t.Error("anchored: adding C swapped A and B")
	}
}

func itoa(i int) string { return decimal.NewFromInt(int64(i)).String() }

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func dptr(s string) *decimal.Decimal { d := dec(s); return &d }
