package tco

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// fiscalDoc is worked by hand: five months, November 2027 to March 2028.
// The vendor pays per month (0..5):
//
//	one-time: 50 (one_time line) + 7 (setup fee) in month 0; the transition
//	          line (to_month 2) 20 in months 1 and 2; the exit fee 3 in month 5
//	run rate: invoice 10 + governance 1 in months 1..5; a late line
//	          (months 4..5, ending at H, so run rate) 5
//
// TCO 57 + 31 + 31 + 11 + 16 + 19 = 165.
const fiscalDoc = `{"name":"fy","currency":"USD","start":"2027-11","horizon_months":5%s,
 "volume":{"unit":"contact","monthly":0},"baseline":"b","options":[
 {"id":"b","name":"B","lines":[{"name":"f","category":"operations","basis":"fixed","amount":100}]},
 {"id":"v","name":"V","pricing":{"tiers":[{"price":0}],"fixed_monthly":10,"setup_fee":7,"exit_fee":3},
  "lines":[
   {"name":"once","category":"external","basis":"one_time","amount":50,"month":0},
   {"name":"parallel","category":"personnel","basis":"fixed","amount":20,"to_month":2},
   {"name":"late","category":"operations","basis":"fixed","amount":5,"from_month":4,"to_month":5},
   {"name":"governance","category":"personnel","basis":"share_of_vendor","amount":0.1}]}]}`

func TestCashByFiscalYearHand(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		setting string
		want    string // label from–to one-time run total; …
	}{
		{"", "FY2027 2027-11–2027-12 97.00 22.00 119.00; FY2028 2028-01–2028-03 3.00 43.00 46.00"},
		{`,"fiscal_year_start":2`, "FY2027/28 2027-11–2028-01 97.00 33.00 130.00; FY2028/29 2028-02–2028-03 3.00 32.00 35.00"},
		{`,"fiscal_year_start":12`, "FY2026/27 2027-11–2027-11 77.00 11.00 88.00; FY2027/28 2027-12–2028-03 23.00 54.00 77.00"},
	} {
		c := mustCompare(t, mustDoc(t, fmt.Sprintf(fiscalDoc, tc.setting)))
		v := result(t, c, "v")
		eqMoney(t, "tco", v.TCO, "165.00")
		var got []string
		for _, y := range v.CashByFiscalYear {
			got = append(got, fmt.Sprintf("%s %s–%s %s %s %s", y.Label, y.From, y.To, y.OneTime, y.RunRate, y.Total))
		}
		if g := strings.Join(got, "; "); g != tc.want {
			t.Errorf("fiscal_year_start %q:\n got %s\nwant %s", tc.setting, g, tc.want)
		}
		b := result(t, c, "b").CashByFiscalYear
		if b[0].OneTime.String() != "0.00" || b[len(b)-1].OneTime.String() != "0.00" {
			t.Errorf("baseline has no one-time costs: %+v", b)
		}
	}
}

// TestCashByFiscalYearSums is a property test over random documents and
// fiscal year starts: the years tile the horizon in order, each year's
// one-time and run-rate add up to its total, the totals to the TCO, and the
// one-time costs to the lines the export marks one-time.
func TestCashByFiscalYearSums(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewSource(27))
	for n := 0; n < 100; n++ {
		d := genDoc(r, 3)
		fs := 1 + r.Intn(12)
		d.FiscalYearStart = &fs
		c, err := Compare(d, CompareOptions{SkipAnalysis: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range c.Options {
			years := o.CashByFiscalYear
			if years[0].From != c.Months[0] || years[len(years)-1].To != c.Months[len(c.Months)-1] {
				t.Fatalf("case %d %s: years %s..%s do not span %s..%s", n, o.ID, years[0].From, years[len(years)-1].To, c.Months[0], c.Months[len(c.Months)-1])
			}
			var sum, once, lineOnce decimal.Decimal
			for i, y := range years {
				if !y.OneTime.Value.Add(y.RunRate.Value).Equal(y.Total.Value) {
					t.Fatalf("case %d %s %s: %s + %s ≠ %s", n, o.ID, y.Label, y.OneTime, y.RunRate, y.Total)
				}
				if i > 0 && years[i-1].To >= y.From {
					t.Fatalf("case %d %s: years overlap or are out of order: %+v", n, o.ID, years)
				}
				fy, fm, _ := ParseMonth(y.From)
				ty, tm, _ := ParseMonth(y.To)
				if want := FiscalLabel(FiscalYearOf(fy, fm, fs), fs); y.Label != want || FiscalYearOf(ty, tm, fs) != FiscalYearOf(fy, fm, fs) {
					t.Fatalf("case %d: %s..%s labelled %q, want %q within one fiscal year", n, y.From, y.To, y.Label, want)
				}
				sum = sum.Add(y.Total.Value)
				once = once.Add(y.OneTime.Value)
			}
			for _, l := range o.Lines {
				if l.OneTime {
					lineOnce = lineOnce.Add(l.Total)
				}
			}
			if !sum.Equal(o.TCO.Value) || !once.Equal(lineOnce) {
				t.Fatalf("case %d %s (fiscal start %d): years add up to %s (TCO %s), one-time %s (lines %s)", n, o.ID, fs, sum, o.TCO, once, lineOnce)
			}
		}
	}
}

// TestReadingSettings: fiscal_year_start and materiality decode, default
// when absent (and then stay out of an export), round-trip, and every bad
// value is reported at once with its path.
func TestReadingSettings(t *testing.T) {
	t.Parallel()
	d := mustDoc(t, fmt.Sprintf(fiscalDoc, ""))
	if d.FiscalYearStart != nil || d.Materiality != nil || d.FiscalStart() != 1 || !d.MaterialityShare().Equal(dec("0.005")) {
		t.Errorf("defaults: %v %v → %d %s", d.FiscalYearStart, d.Materiality, d.FiscalStart(), d.MaterialityShare())
	}
	if b, _ := json.Marshal(d); strings.Contains(string(b), "fiscal_year_start") || strings.Contains(string(b), "materiality") {
		t.Errorf("a document without the settings exports them: %s", b)
	}
	d = mustDoc(t, fmt.Sprintf(fiscalDoc, `,"fiscal_year_start":4,"materiality":"0.01"`))
	if d.FiscalStart() != 4 || !d.MaterialityShare().Equal(dec("0.01")) {
		t.Errorf("set: %d %s", d.FiscalStart(), d.MaterialityShare())
	}
	b, _ := json.Marshal(d)
	if again := mustDoc(t, string(b)); again.FiscalStart() != 4 || !again.MaterialityShare().Equal(dec("0.01")) {
		t.Errorf("round trip lost the settings: %s", b)
	}
	for _, bad := range []struct{ js, path string }{
		{`,"fiscal_year_start":0,"materiality":-0.001`, "fiscal_year_start materiality"},
		{`,"fiscal_year_start":13,"materiality":0.2`, "fiscal_year_start materiality"},
		{`,"fiscal_year_start":1.5,"materiality":"x"`, "fiscal_year_start materiality"},
	} {
		_, err := Decode([]byte(fmt.Sprintf(fiscalDoc, bad.js)))
		var paths []string
		if fe, ok := err.(Errors); ok {
			for _, e := range fe.Sorted() {
				paths = append(paths, e.Path)
			}
		}
		if strings.Join(paths, " ") != bad.path {
			t.Errorf("%s: errors at %v (%v), want %s", bad.js, paths, err, bad.path)
		}
	}
}
