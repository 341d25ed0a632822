package tco

import (
	"testing"

	"github.com/shopspring/decimal"
)

// weekday48 is a typical weekday in 30-minute intervals over 24 hours:
// quiet nights, a morning peak at 10:00 and an afternoon peak at 14:30.
var weekday48 = []int64{
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4, 6, 8,
	10, 12, 13, 14, 13, 11, 10, 11, 12, 13, 14, 13, 12, 11, 10, 9, 8, 7,
	6, 5, 4, 4, 3, 3, 2, 2, 2, 1, 1, 1,
}

// withServiceLevel staffs every capacity of d to 80/20 over the given
// profile, 30-minute intervals, open the profile's hours every day of a
// 30.4-day month.
func withServiceLevel(d *Document, profile []int64) *Document {
	open := decimal.NewFromFloat(float64(len(profile)) / 2 * 30.4)
	sl := func(c *Capacity) *Capacity {
		if c == nil {
			return nil
		}
		cc := *c
		cc.ServiceLevel = &ServiceLevel{Target: decimal.RequireFromString("0.8"), Seconds: decimal.NewFromInt(20)}
		cc.OpenHours, cc.IntervalMinutes = &open, 30
		cc.Profile = nil
		for _, w := range profile {
			cc.Profile = append(cc.Profile, decimal.NewFromInt(w))
		}
		return &cc
	}
	for i := range d.Options {
		o := &d.Options[i]
		for k := range o.Lines {
			o.Lines[k].Capacity = sl(o.Lines[k].Capacity)
		}
		if o.Pricing != nil {
			o.Pricing.Capacity = sl(o.Pricing.Capacity)
		}
	}
	return d
}

// e2ServiceLevel is e2 (36 months) staffed to 80/20 over E4's 20-interval
// profile.
func e2ServiceLevel(b testing.TB) *Document {
	d := withServiceLevel(readDoc(b, "e2.json"), e4Profile)
	if err := d.Validate(); err != nil {
		b.Fatal(err)
	}
	return d
}

// BenchmarkStaffE2Profile20 is Compare of a 36-month document with a
// 20-interval profile, break-even and sensitivity included (issue 15:
// under 5 ms).
func BenchmarkStaffE2Profile20(b *testing.B) {
	benchCompare(b, e2ServiceLevel(b), CompareOptions{})
}

// BenchmarkStaffLargeProfile48 is Compare of largeDocument (12 options ×
// 120 months × 10 lines) with every capacity staffed to 80/20 over a
// 48-interval profile, break-even and sensitivity (the aht tipping point
// included) counted (issue 15: under 100 ms).
func BenchmarkStaffLargeProfile48(b *testing.B) {
	d := withServiceLevel(largeDocument(), weekday48)
	if err := d.Validate(); err != nil {
		b.Fatal(err)
	}
	benchCompare(b, d, CompareOptions{})
}

// TestStaffLargeProfile48 checks the benchmark's document compares within
// the budget, with service-level staffing and an aht row for every option.
func TestStaffLargeProfile48(t *testing.T) {
	t.Parallel()
	d := withServiceLevel(largeDocument(), weekday48)
	w := Estimate(d, CompareOptions{})
	c, done, err := compareCounted(d, CompareOptions{})
	if err != nil {
		t.Fatalf("Compare: %v (estimate %+v, %d units)", err, w, w.Units())
	}
	t.Logf("estimate %d units (staffing %d), done %d (staffing %d)", w.Units(), w.Staffing, done.Units(), done.Staffing)
	for _, o := range c.Options[1:] {
		found := false
		for _, s := range o.Sensitivity {
			found = found || s.Driver == DriverAHT
		}
		if !found || o.BreakEven == nil {
			t.Errorf("%s: aht row %v, break-even %v", o.ID, found, o.BreakEven != nil)
		}
	}
	if s := c.Options[0].Staffing; len(s) == 0 || s[0].Method != MethodServiceLevel {
		t.Errorf("baseline staffing %+v", s)
	}
}
