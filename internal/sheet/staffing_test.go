package sheet

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"vendorcompare/internal/tco"
)

// e4Weights is spec §8's 20-interval profile of worked example E4.
var e4Weights = []int64{1, 2, 3, 4, 4, 3, 3, 4, 4, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1}

// slDoc is e2 with its in-house agents staffed to 80/20 over
// 260 open hours and E4's profile: the buyer's service level.
func slDoc(t testing.TB) *tco.Document {
	t.Helper()
	d := loadDoc(t, "e2.json")
	open := decimal.NewFromInt(260)
	for i := range d.Options {
		for k := range d.Options[i].Lines {
			l := &d.Options[i].Lines[k]
			if l.Capacity == nil {
				continue
			}
			c := *l.Capacity
			c.ServiceLevel = &tco.ServiceLevel{Target: decimal.RequireFromString("0.8"), Seconds: decimal.NewFromInt(20)}
			c.OpenHours, c.IntervalMinutes = &open, 30
			for _, w := range e4Weights {
				c.Profile = append(c.Profile, decimal.NewFromInt(w))
			}
			l.Capacity = &c
		}
	}
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	return d
}

// fillPerFTE fills the form as a per-FTE vendor: 4,300 an FTE a month,
// its own handling time and productivity.
func fillPerFTE(t testing.TB, f *excelize.File) {
	t.Helper()
	p := sheetPricing
	set(t, f, p, answer(t, "vendor_name"), "Vendor B")
	set(t, f, p, answer(t, "per"), "block")
	set(t, f, p, answer(t, "tier_mode"), "all_units")
	set(t, f, p, "C21", 4300)
	s := sheetStaffing
	set(t, f, s, name(answerCol, capacityRow("aht_minutes")), 5.5)
	set(t, f, s, name(answerCol, capacityRow("occupancy")), 0.88)
	set(t, f, s, name(answerCol, capacityRow("shrinkage")), 0.32)
	set(t, f, s, name(answerCol, capacityRow("paid_hours")), 160)
	set(t, f, sheetQuality, "D4", 7)
	set(t, f, sheetQuality, "D5", 8)
}

// TestBidFormServiceLevel: the form shows the buyer's service level
// locked and asks for the vendor's per-FTE figures; import staffs a
// per-FTE bid to the buyer's service level with them, whatever the locked
// cells were changed to, and bills the heads it needs.
func TestBidFormServiceLevel(t *testing.T) {
	t.Parallel()
	d := slDoc(t)
	f := openForm(t, d)
	s := sheetStaffing
	for cell, want := range map[string]string{"B4": "service_level_target", "C4": "0.8", "C5": "20", "C6": "260", "C7": "30", "C8": "20",
		"B12": "aht_minutes", "C12": "6", "C13": "0.85", "C14": "0.3", "C15": "173.333", "A19": "1", "B22": "4", "A38": "20", "B38": "1"} {
		if v, _ := f.GetCellValue(s, cell, excelizeRaw); v != want {
			t.Errorf("%s!%s = %q, want %q", s, cell, v, want)
		}
	}
	unlocked := func(cell string) bool {
		id, _ := f.GetCellStyle(s, cell)
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		return st.Protection != nil && !st.Protection.Locked
	}
	for _, c := range []string{"C4", "C5", "C6", "C7", "C8", "B12", "B19", "C38"} {
		if unlocked(c) {
			t.Errorf("%s!%s is unlocked: the buyer's fields are locked", s, c)
		}
	}
	for _, c := range []string{"C12", "C13", "C14", "C15"} {
		if !unlocked(c) {
			t.Errorf("%s!%s is locked: it is an answer cell", s, c)
		}
	}
	if ws, err := f.GetSheetProtection(s); err != nil || ws.InsertRows || ws.FormatCells {
		t.Errorf("the Service level sheet is not protected: %v", err)
	}
	ins, _ := f.GetCellValue(sheetInstructions, "A14")
	if !strings.Contains(ins, "80% in 20 s, 260 open hours a month, 30-minute intervals, a profile of 20 intervals") {
		t.Errorf("instructions do not name the service level: %q", ins)
	}

	fillPerFTE(t, f)
	// someone lifted the protection and changed the buyer's target: the
	// buyer's values govern
	set(t, f, s, "C4", 0.5)
	data := save(t, f)
	without := withoutOption(d, "vendor-a")
	o, err := ParseBidForm(bytes.NewReader(data), int64(len(data)), without, Check{})
	if err != nil {
		t.Fatalf("ParseBidForm: %v", err)
	}
	c := o.Pricing.Capacity
	if c == nil || !c.Staffed() || o.Pricing.BlockSize != nil {
		t.Fatalf("per-FTE bid without a staffed capacity: %+v", o.Pricing)
	}
	buyer := tco.BuyerStaffing(d)
	if !c.ServiceLevel.Target.Equal(buyer.ServiceLevel.Target) || !c.OpenHours.Equal(*buyer.OpenHours) ||
		c.IntervalMinutes != 30 || len(c.Profile) != 20 || !c.Profile[3].Equal(decimal.NewFromInt(4)) {
		t.Errorf("capacity not on the buyer's service level: %+v", c)
	}
	if !c.AHTMinutes.Equal(decimal.RequireFromString("5.5")) || !c.Occupancy.Equal(decimal.RequireFromString("0.88")) ||
		!c.Shrinkage.Equal(decimal.RequireFromString("0.32")) || !c.PaidHours.Equal(decimal.NewFromInt(160)) {
		t.Errorf("the vendor's figures were not read: %+v", c)
	}
	// billed for the heads that service level needs, month by month
	cmp := compare(t, withOption(without, o))
	r := result(t, cmp, o.ID)
	if len(r.Staffing) != 1 || r.Staffing[0].Source != "pricing" || r.Staffing[0].Method != tco.MethodServiceLevel {
		t.Fatalf("staffing %+v", r.Staffing)
	}
	for m, h := range r.Staffing[0].Heads {
		plan, err := tco.Staff(*c, cmp.Volume[m].Decimal)
		if err != nil {
			t.Fatal(err)
		}
		if h != plan.Heads {
			t.Fatalf("month %d: %d heads, tco.Staff says %d", m+1, h, plan.Heads)
		}
	}
}

// TestBidFormServiceLevelProblems: a missing figure is named at its cell;
// a per-unit bid or one with a block size ignores the figures; a CSV bid
// gives them in a capacity section.
func TestBidFormServiceLevelProblems(t *testing.T) {
	t.Parallel()
	full := slDoc(t)
	d := withoutOption(full, "vendor-a")
	f := openForm(t, full)
	fillPerFTE(t, f)
	set(t, f, sheetStaffing, "C15", "")
	set(t, f, sheetStaffing, "C12", "fast")
	_, err := ParseBidForm(bytes.NewReader(save(t, f)), -1, d, Check{})
	pe := mustProblems(t, nil, err, "Service level!C12", "Service level!C15")
	if !strings.Contains(pe[1].Message, "required to price per FTE") {
		t.Errorf("missing paid hours: %s", pe[1].Message)
	}

	g := openForm(t, full)
	fillPerFTE(t, g)
	set(t, g, sheetPricing, answer(t, "block_size"), 1000)
	o, err := ParseBidForm(bytes.NewReader(save(t, g)), -1, d, Check{})
	if err != nil {
		t.Fatal(err)
	}
	if o.Pricing.Capacity != nil || o.Pricing.BlockSize == nil {
		t.Errorf("a block size prices by it: %+v", o.Pricing)
	}

	csv := "pricing,vendor_name,Vendor C\npricing,per,block\ntier,,4300\ncapacity,aht_minutes,5.5\ncapacity,occupancy,88%\ncapacity,shrinkage,0.32\ncapacity,paid_hours,160\n"
	o, err = ParseBidCSV(strings.NewReader(csv), d)
	if err != nil {
		t.Fatal(err)
	}
	if c := o.Pricing.Capacity; c == nil || !c.Staffed() || !c.Occupancy.Equal(decimal.RequireFromString("0.88")) {
		t.Errorf("CSV per-FTE bid: %+v", o.Pricing.Capacity)
	}
	_, err = ParseBidCSV(strings.NewReader(csv+"capacity,speed,3\ncapacity,aht_minutes,6\n"), d)
	pe = mustProblems(t, nil, err, "row 8, column 2", "row 9, column 2")
	if !strings.Contains(pe[0].Message, "unknown capacity key") || !strings.Contains(pe[1].Message, "given twice") {
		t.Errorf("CSV capacity problems: %v", pe)
	}
}

// TestBidFormServiceLevelChanged: a form priced against another service
// level than the evaluation's now is refused with a message naming both,
// in the style of the forecast tie, and read (staffed to the evaluation's)
// once confirmed. A form of an evaluation without a service level keeps
// no per-FTE figures.
func TestBidFormServiceLevelChanged(t *testing.T) {
	t.Parallel()
	full := slDoc(t)
	f := openForm(t, full)
	fillPerFTE(t, f)
	data := save(t, f)
	d := withoutOption(full, "vendor-a")
	for k := range d.Options[0].Lines {
		if c := d.Options[0].Lines[k].Capacity; c.Staffed() {
			c.ServiceLevel = &tco.ServiceLevel{Target: decimal.RequireFromString("0.9"), Seconds: decimal.NewFromInt(30)}
		}
	}
	_, err := ParseBidForm(bytes.NewReader(data), -1, d, Check{})
	var me *MismatchError
	if !errors.As(err, &me) {
		t.Fatalf("want a mismatch, got %v", err)
	}
	for _, want := range []string{"priced against service level 80% in 20 s", "this evaluation's is 90% in 30 s", "confirm to import"} {
		if !strings.Contains(me.Msg, want) {
			t.Errorf("message %q lacks %q", me.Msg, want)
		}
	}
	if strings.Contains(me.Msg, "forecast") {
		t.Errorf("the forecast did not change: %q", me.Msg)
	}
	o, err := ParseBidForm(bytes.NewReader(data), -1, d, Check{Confirm: true})
	if err != nil {
		t.Fatal(err)
	}
	if c := o.Pricing.Capacity; !c.ServiceLevel.Target.Equal(decimal.RequireFromString("0.9")) {
		t.Errorf("confirmed: staffed to %s, want the evaluation's 0.9", c.ServiceLevel.Target)
	}

	g := openForm(t, loadDoc(t, "e2.json"))
	if v, _ := g.GetCellValue(sheetStaffing, "A2"); !strings.Contains(v, "sets no service level") {
		t.Errorf("without a service level: %q", v)
	}
	if v, _ := g.GetCellValue(sheetStaffing, "C12"); v != "" {
		t.Errorf("without a service level the form asks for figures: %q", v)
	}
}

// TestExportHeads: the finance export has the heads of every capacity by
// month as values, each column saying how it was staffed, and the note
// that says how they were computed.
func TestExportHeads(t *testing.T) {
	t.Parallel()
	full := slDoc(t)
	f := openForm(t, full)
	fillPerFTE(t, f)
	o, err := ParseBidForm(bytes.NewReader(save(t, f)), -1, withoutOption(full, "vendor-a"), Check{})
	if err != nil {
		t.Fatal(err)
	}
	d := withOption(full, o)
	c := compare(t, d)
	data, err := ExportXLSX(d, c, About{})
	if err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	note, _ := x.GetCellValue(sheetHeads, "A2")
	if !strings.Contains(note, "not formulas") || !strings.Contains(note, "Erlang C") {
		t.Errorf("note %q", note)
	}
	col := headsFirstCol
	for _, r := range c.Options {
		for _, s := range r.Staffing {
			how, _ := x.GetCellValue(sheetHeads, name(col, headsHowRow))
			if s.Method == tco.MethodServiceLevel && !strings.HasPrefix(how, "service level 80% in 20 s") {
				t.Errorf("%s %s: staffed by %q", r.ID, s.Source, how)
			}
			for m, h := range s.Heads {
				ref := name(col, headsFirstRow+m)
				if fx, _ := x.GetCellFormula(sheetHeads, ref); fx != "" {
					t.Fatalf("%s is a formula %q: heads are values", ref, fx)
				}
				if v, _ := x.GetCellValue(sheetHeads, ref, excelizeRaw); v != decimal.NewFromInt(h).String() {
					t.Fatalf("%s!%s = %q, want %d", sheetHeads, ref, v, h)
				}
			}
			col++
		}
	}
	if col == headsFirstCol+0 {
		t.Fatal("no staffing columns")
	}
	if src, _ := x.GetCellValue(sheetHeads, name(col-1, headsSourceRow)); src != "per-FTE invoice" {
		t.Errorf("last column is %q, want the per-FTE invoice", src)
	}
}
