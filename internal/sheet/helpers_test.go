package sheet

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"vendorcompare/internal/tco"
)

// excelizeRaw reads stored values, without number formats.
var excelizeRaw = excelize.Options{RawCellValue: true}

// loadDoc decodes an engine test document.
func loadDoc(t testing.TB, name string) *tco.Document {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "tco", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	d, err := tco.Decode(data)
	if err != nil {
		t.Fatalf("decode %s: %v", name, err)
	}
	return d
}

// decodeDoc decodes a document written in a test.
func decodeDoc(t testing.TB, js string) *tco.Document {
	t.Helper()
	d, err := tco.Decode([]byte(js))
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return d
}

// compare costs a document without the analysis.
func compare(t testing.TB, d *tco.Document) *tco.Comparison {
	t.Helper()
	c, err := tco.Compare(d, tco.CompareOptions{SkipAnalysis: true})
	if err != nil {
		t.Fatalf("compare: %v", err)
	}
	return c
}

// result returns the comparison's result of an option.
func result(t testing.TB, c *tco.Comparison, id string) *tco.OptionResult {
	t.Helper()
	for i := range c.Options {
		if c.Options[i].ID == id {
			return &c.Options[i]
		}
	}
	t.Fatalf("no option %q in the comparison", id)
	return nil
}

// withoutOption returns a copy of d without the option id.
func withoutOption(d *tco.Document, id string) *tco.Document {
	cp := *d
	cp.Options = slices.DeleteFunc(slices.Clone(d.Options), func(o tco.Option) bool { return o.ID == id })
	return &cp
}

// withOption returns a copy of d with o added.
func withOption(d *tco.Document, o *tco.Option) *tco.Document {
	cp := *d
	cp.Options = append(slices.Clone(d.Options), *o)
	return &cp
}

// openForm generates the bid form of d and opens it for filling in.
func openForm(t testing.TB, d *tco.Document) *excelize.File {
	t.Helper()
	data, err := BidForm(d, Origin{})
	if err != nil {
		t.Fatalf("BidForm: %v", err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("open form: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// set writes a value into a cell, failing the test on error.
func set(t testing.TB, f *excelize.File, sheet, cell string, v any) {
	t.Helper()
	if err := f.SetCellValue(sheet, cell, v); err != nil {
		t.Fatalf("set %s!%s: %v", sheet, cell, err)
	}
}

// answer returns the Pricing answer cell of a key.
func answer(t testing.TB, key string) string {
	t.Helper()
	r := pricingRow(key)
	if r == 0 {
		t.Fatalf("no pricing key %q", key)
	}
	return name(answerCol, r)
}

// fillVendorA fills the form as vendor-a of e2 answers it.
func fillVendorA(t testing.TB, f *excelize.File) {
	t.Helper()
	p := sheetPricing
	set(t, f, p, answer(t, "vendor_name"), "Vendor A")
	set(t, f, p, answer(t, "currency"), "USD")
	set(t, f, p, answer(t, "fx_rate"), 1)
	set(t, f, p, answer(t, "per"), "unit")
	set(t, f, p, answer(t, "unit_factor"), 1)
	set(t, f, p, answer(t, "tier_mode"), "graduated")
	set(t, f, p, answer(t, "escalation"), 0.03)
	set(t, f, p, answer(t, "setup_fee"), 40000)
	set(t, f, p, answer(t, "from_month"), 1)
	set(t, f, p, "B21", 10000)
	set(t, f, p, "C21", 5)
	set(t, f, p, "B22", 20000)
	set(t, f, p, "C22", 4.5)
	set(t, f, p, "C23", 4)
	l := sheetLines
	for i, row := range [][]any{
		{"Governance", "personnel", "share_of_vendor", 0.05},
		{"Vendor selection", "external", "one_time", 34200, 0},
		{"Parallel running", "operations", "one_time", 122160, 1},
		{"Severance", "personnel", "one_time", 120000, 1},
		{"Stranded lease", "operations", "fixed", 5000, nil, 2, 12},
	} {
		for c, v := range row {
			if v != nil {
				set(t, f, l, name(c+1, linesFirstRow+i), v)
			}
		}
	}
	set(t, f, sheetQuality, "D4", 8)
	set(t, f, sheetQuality, "D5", 9)
}

// save writes a workbook to bytes.
func save(t testing.TB, f *excelize.File) []byte {
	t.Helper()
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// dec parses a decimal in a test.
func dec(t testing.TB, s string) decimal.Decimal {
	t.Helper()
	d, err := decimal.NewFromString(s)
	if err != nil {
		t.Fatalf("decimal %q: %v", s, err)
	}
	return d
}

// vendorACSV is vendor-a of e2 in the CSV layout.
const vendorACSV = "\ufeffsection,key,value\n" +
	"# vendor-a of e2\n" +
	"pricing,vendor_name,Vendor A\n" +
	"pricing,currency,USD\n" +
	"pricing,fx_rate,1\n" +
	"pricing,per,unit\n" +
	"pricing,tier_mode,graduated\n" +
	"pricing,escalation,3%\n" +
	"pricing,setup_fee,40000.00\n" +
	"tier,10000,5.00\n" +
	"tier,20000,4.50\n" +
	"tier,,4.00\n" +
	"\n" +
	"line,Governance,personnel,share_of_vendor,0.05\n" +
	"line,Vendor selection,external,one_time,34200,0\n" +
	"line,Parallel running,operations,one_time,122160,1\n" +
	"line,Severance,personnel,one_time,120000,1\n" +
	"line,Stranded lease,operations,fixed,5000,,2,12\n" +
	"score,csat,8\n" +
	"score,security,9\n"

// demoDoc is a demo-like evaluation with several options: a quote in
// another currency priced per block with all-units tiers, minimums, a
// fixed fee, an exit fee and a late go-live; a chatbot improvement with a
// volume share; growth, seasonality, mid-month timing and monthly
// escalation.
const demoDoc = `{
  "name": "Demo: customer service 2027",
  "currency": "CNY", "start": "2027-04", "horizon_months": 30,
  "discount_rate": 0.095, "timing": "mid", "escalation": "monthly",
  "volume": {"unit": "contact", "monthly": 18500, "growth": 0.04,
             "seasonality": [1.1,1,1,0.95,0.9,0.9,0.85,0.9,1,1.05,1.1,1.25]},
  "baseline": "in-house",
  "criteria": [{"key": "csat", "name": "Customer satisfaction", "weight": 3, "scale": 10, "minimum": 5},
               {"key": "security", "name": "Security", "weight": 2, "scale": 5}],
  "price": {"weight": 0.5, "basis": "tco", "formula": "lowest_ratio"},
  "options": [
    {"id": "in-house", "name": "In-house", "kind": "in_house",
     "lines": [
       {"name": "Agents", "category": "personnel", "basis": "per_block", "amount": 9100.37,
        "capacity": {"aht_minutes": 6.5, "occupancy": 0.82, "shrinkage": 0.33, "paid_hours": 168}, "escalation": 0.035},
       {"name": "Licences", "category": "technology", "basis": "per_unit", "amount": 0.173, "escalation": 0.02},
       {"name": "Rent", "category": "operations", "basis": "fixed", "amount": 61000.5}
     ],
     "scores": {"csat": 7, "security": 4}},
    {"id": "bpo-east", "name": "BPO East", "kind": "vendor",
     "pricing": {"currency": "USD", "fx_rate": 7.1234, "per": "block", "block_size": 1200,
                 "tiers": [{"up_to": 10, "price": 2900}, {"price": 2750.55}],
                 "tier_mode": "all_units", "fixed_monthly": 1500, "minimum_units": 12,
                 "minimum_charge": 30000, "escalation": 0.025, "setup_fee": 8000, "exit_fee": 12345.67,
                 "from_month": 3},
     "lines": [
       {"name": "Governance", "category": "personnel", "basis": "share_of_vendor", "amount": 0.045},
       {"name": "Parallel running", "category": "operations", "basis": "fixed", "amount": 250000, "from_month": 1, "to_month": 2},
       {"name": "Legal", "category": "external", "basis": "one_time", "amount": 55555.55, "month": 0}
     ],
     "scores": {"csat": 8, "security": 5}},
    {"id": "chatbot", "name": "Chatbot + in-house", "kind": "improvement", "volume_share": 0.7,
     "lines": [
       {"name": "Agents", "category": "personnel", "basis": "per_block", "amount": 9100.37,
        "capacity": {"aht_minutes": 6.5, "occupancy": 0.82, "shrinkage": 0.33, "paid_hours": 168}, "escalation": 0.035},
       {"name": "Licences", "category": "technology", "basis": "per_unit", "amount": 0.173, "escalation": 0.02},
       {"name": "Rent", "category": "operations", "basis": "fixed", "amount": 61000.5},
       {"name": "Bot conversations", "category": "technology", "basis": "per_unit", "amount": 0.31, "volume_share": 1},
       {"name": "Bot build", "category": "external", "basis": "one_time", "amount": 180000, "month": 1}
     ],
     "scores": {"csat": 6, "security": 4}},
    {"id": "cheap-co", "name": "=Cheap Co", "kind": "vendor",
     "pricing": {"per": "unit", "unit_factor": 6.5, "tiers": [{"price": 0.61}], "escalation": 0.05},
     "lines": [{"name": "@Oversight", "category": "personnel", "basis": "share_of_vendor", "amount": 0.08}],
     "scores": {"csat": 4, "security": 3}}
  ]
}`

// fillFrom fills the form with any option's pricing, lines and scores, as a
// vendor would type them (numbers as numbers, choices as text).
func fillFrom(t testing.TB, f *excelize.File, d *tco.Document, o *tco.Option) {
	t.Helper()
	num := func(x decimal.Decimal) float64 { return x.InexactFloat64() }
	p := sheetPricing
	pr := o.Pricing
	set(t, f, p, answer(t, "vendor_name"), o.Name)
	set(t, f, p, answer(t, "currency"), pr.Currency)
	set(t, f, p, answer(t, "fx_rate"), num(pr.FXRate))
	set(t, f, p, answer(t, "per"), pr.Per)
	set(t, f, p, answer(t, "unit_factor"), num(pr.UnitFactor))
	if pr.BlockSize != nil {
		set(t, f, p, answer(t, "block_size"), num(*pr.BlockSize))
	}
	set(t, f, p, answer(t, "tier_mode"), pr.TierMode)
	for k, v := range map[string]decimal.Decimal{
		"fixed_monthly": pr.FixedMonthly, "minimum_units": pr.MinimumUnits, "minimum_charge": pr.MinimumCharge,
		"escalation": pr.Escalation, "setup_fee": pr.SetupFee, "exit_fee": pr.ExitFee,
	} {
		set(t, f, p, answer(t, k), num(v))
	}
	set(t, f, p, answer(t, "from_month"), pr.FromMonth)
	for k, tier := range pr.Tiers {
		if tier.UpTo != nil {
			set(t, f, p, name(tierUpToCol, tierFirstRow+k), num(*tier.UpTo))
		}
		set(t, f, p, name(tierPriceCol, tierFirstRow+k), num(tier.Price))
	}
	for j, l := range o.Lines {
		row := linesFirstRow + j
		set(t, f, sheetLines, name(lineName+1, row), l.Name)
		set(t, f, sheetLines, name(lineCategory+1, row), l.Category)
		set(t, f, sheetLines, name(lineBasis+1, row), l.Basis)
		set(t, f, sheetLines, name(lineAmount+1, row), num(l.Amount))
		for c, m := range map[int]*int{lineMonth: l.Month, lineFrom: l.FromMonth, lineTo: l.ToMonth} {
			if m != nil {
				set(t, f, sheetLines, name(c+1, row), *m)
			}
		}
		if !l.Escalation.IsZero() {
			set(t, f, sheetLines, name(lineEscalation+1, row), num(l.Escalation))
		}
		if l.BlockSize != nil {
			set(t, f, sheetLines, name(lineBlockSize+1, row), num(*l.BlockSize))
		}
	}
	for i, c := range d.Criteria {
		if s, ok := o.Scores[c.Key]; ok {
			set(t, f, sheetQuality, name(qualityScoreCol, qualityFirstRow+i), num(s))
		}
	}
}

// openFormBytes opens a workbook for editing in a test.
func openFormBytes(t testing.TB, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("open workbook: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// testAbout is the About of an export in a test: a fixed clock.
var testAbout = About{ExportedAt: time.Date(2027, 2, 15, 9, 30, 0, 0, time.UTC), By: "cfo@example.com", EvaluationID: 4, Version: 17,
	Rounds: map[string]string{"vendor-a": "round 2 of 2, best_and_final, received 2027-02-14"}}
