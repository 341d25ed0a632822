package tco

import (
	"fmt"
	"math"
	"math/rand"
	"os"
	"reflect"
	"slices"
	"testing"

	"github.com/shopspring/decimal"
)

// beDecode decodes a document (with defaults) or fails the test.
func beDecode(t testing.TB, data []byte) *Document {
	t.Helper()
	d, err := Decode(data)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return d
}

// beOptionIndex is the index of option id.
func beOptionIndex(t testing.TB, d *Document, id string) int {
	t.Helper()
	for i := range d.Options {
		if d.Options[i].ID == id {
			return i
		}
	}
	t.Fatalf("no option %q", id)
	return -1
}

// beIv is an Interval literal.
func beIv(from, to float64, winner string) Interval {
	return Interval{From: from, To: to, Winner: winner}
}

func beCheckIntervals(t *testing.T, view string, got, want []Interval) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %v\nwant %v", view, got, want)
	}
}

// beDoc is a one-or-two-line document for hand cases: the baseline
// "in-house" and the option "vendor", each given as JSON option fields.
func beDoc(extra, base, vendor string) []byte {
	return fmt.Appendf(nil, `{"name": "hand case", "currency": "USD", "start": "2027-01",
	  "horizon_months": 12, "volume": {"unit": "contact", "monthly": 1000}, "baseline": "in-house" %s,
	  "options": [{"id": "in-house", "name": "In-house", %s},
	              {"id": "vendor", "name": "Vendor", %s}]}`, extra, base, vendor)
}

func TestBreakEvenE3(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/e3.json")
	if err != nil {
		t.Fatal(err)
	}
	d := beDecode(t, data)
	be := breakEven(d, beOptionIndex(t, d, "vendor"), 6000)
	want := []Interval{
		beIv(0, 1000, "in-house"),
		beIv(1000, 3750, "vendor"), // tie at 3750 is a boundary
		beIv(3750, 4000, "in-house"),
		beIv(4000, 4416.67, "vendor"),
		beIv(4416.67, 5000, "in-house"),
		beIv(5000, 5083.33, "vendor"),
		beIv(5083.33, 6000, "in-house"),
	}
	beCheckIntervals(t, "monthly", be.Monthly, want)
	// The horizon view: 12 identical months (no growth, seasonality,
	// escalation, one-time items or fees) and r = 0, so the pv total is 12 ×
	// the month and every crossing is where the monthly view has it.
	beCheckIntervals(t, "horizon", be.Horizon, want)

	t.Run("Discounted", func(t *testing.T) {
		// Discounting scales every month of both options by the same factor:
		// the crossings cannot move.
		d := beDecode(t, data)
		d.DiscountRate = decimal.RequireFromString("0.08")
		be := breakEven(d, 1, 6000)
		beCheckIntervals(t, "horizon", be.Horizon, want)
	})

	t.Run("SetupFee", func(t *testing.T) {
		// A 12,000 setup fee is 1,000 a month over the 12 months: per month
		// the vendor costs max(6v, 12,000) + 1,000 against 6,500 + 4,000 a
		// block. (0, 1000]: 13,000 vs 10,500, in-house; (1000, 2000]: 13,000
		// vs 14,500, vendor; (2000, 3000]: 6v + 1,000 < 18,500 below
		// 2,916.67; (3000, 4000]: < 22,500 below 3,583.33; (4000, 5000]:
		// < 26,500 below 4,250; (5000, 6000]: < 30,500 only below 4,916.67,
		// so in-house wins all of (4250, 6000].
		d := beDecode(t, data)
		d.Options[1].Pricing.SetupFee = decimal.NewFromInt(12000)
		be := breakEven(d, 1, 6000)
		beCheckIntervals(t, "monthly", be.Monthly, want) // fees are not monthly costs
		beCheckIntervals(t, "horizon", be.Horizon, []Interval{
			beIv(0, 1000, "in-house"),
			beIv(1000, 2916.67, "vendor"),
			beIv(2916.67, 3000, "in-house"),
			beIv(3000, 3583.33, "vendor"),
			beIv(3583.33, 4000, "in-house"),
			beIv(4000, 4250, "vendor"),
			beIv(4250, 6000, "in-house"),
		})
	})

	t.Run("MaxZero", func(t *testing.T) {
		// At v = 0: in-house 6,500 (no block), vendor the 12,000 minimum.
		be := breakEven(d, 1, 0)
		beCheckIntervals(t, "monthly", be.Monthly, []Interval{beIv(0, 0, "in-house")})
		beCheckIntervals(t, "horizon", be.Horizon, []Interval{beIv(0, 0, "in-house")})
	})

	t.Run("Tipping", func(t *testing.T) {
		// V = 2000 (vendor cheaper); the nearest sign change is at 1000.
		if k := volumeTipping(d, 1); k == nil || *k != 0.5 {
			t.Errorf("tipping = %v, want 0.5", beFmt(k))
		}
	})
}

func beFmt(k *float64) string {
	if k == nil {
		return "nil"
	}
	return fmt.Sprint(*k)
}

func TestBreakEvenTiers(t *testing.T) {
	t.Parallel()
	// Baseline 4,000 + 2v a month. Vendor: 6 per unit up to 1,000, then 4.
	// Graduated: 6v to 1,000 (cheaper while 4v < 4,000), then 2,000 + 4v,
	// dearer than 4,000 + 2v for v > 1,000: the crossing is exactly on the
	// tier bound. All units: 4v above 1,000, cheaper until 4v = 4,000 + 2v
	// at 2,000, so the tie at 1,000 is touched, not crossed, and vanishes.
	base := `"lines": [{"name": "Fixed", "category": "operations", "basis": "fixed", "amount": 4000},
	                   {"name": "Variable", "category": "operations", "basis": "per_unit", "amount": 2}]`
	for _, tc := range []struct {
		mode string
		want []Interval
	}{
		{"graduated", []Interval{beIv(0, 1000, "vendor"), beIv(1000, 3000, "in-house")}},
		{"all_units", []Interval{beIv(0, 2000, "vendor"), beIv(2000, 3000, "in-house")}},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			d := beDecode(t, beDoc("", base, `"pricing": {"tier_mode": "`+tc.mode+`",
			  "tiers": [{"up_to": 1000, "price": 6}, {"price": 4}]}`))
			be := breakEven(d, 1, 3000)
			beCheckIntervals(t, "monthly", be.Monthly, tc.want)
			beCheckIntervals(t, "horizon", be.Horizon, tc.want)
		})
	}

	t.Run("AllUnitsCliff", func(t *testing.T) {
		// Baseline 5v; all units 6 up to 1,000 then 4: the vendor is dearer
		// up to and including the bound (q = 1,000 is in the first tier) and
		// cheaper right after it: the crossing is the jump at 1,000.
		d := beDecode(t, beDoc("",
			`"lines": [{"name": "Variable", "category": "operations", "basis": "per_unit", "amount": 5}]`,
			`"pricing": {"tier_mode": "all_units", "tiers": [{"up_to": 1000, "price": 6}, {"price": 4}]}`))
		want := []Interval{beIv(0, 1000, "in-house"), beIv(1000, 3000, "vendor")}
		be := breakEven(d, 1, 3000)
		beCheckIntervals(t, "monthly", be.Monthly, want)
		beCheckIntervals(t, "horizon", be.Horizon, want)
	})

	t.Run("UnitFactor", func(t *testing.T) {
		// 6.5 billed minutes a contact at 1 a minute up to 6,500 minutes
		// (1,000 contacts), then 0.5: the bound is at 1,000 contacts. Against
		// 5v: 6.5v > 5v to 1,000; then 6,500 + 3.25(v − 1,000) = 3,250 +
		// 3.25v < 5v from 1,857.14.
		d := beDecode(t, beDoc("",
			`"lines": [{"name": "Variable", "category": "operations", "basis": "per_unit", "amount": 5}]`,
			`"pricing": {"unit_factor": 6.5, "tiers": [{"up_to": 6500, "price": 1}, {"price": 0.5}]}`))
		want := []Interval{beIv(0, 1857.14, "in-house"), beIv(1857.14, 3000, "vendor")}
		beCheckIntervals(t, "monthly", breakEven(d, 1, 3000).Monthly, want)
	})
}

func TestBreakEvenMinimums(t *testing.T) {
	t.Parallel()
	perUnit3 := `"lines": [{"name": "Variable", "category": "operations", "basis": "per_unit", "amount": 3}]`
	t.Run("MinimumUnits", func(t *testing.T) {
		// Vendor 2 per unit, at least 1,000 units: max(2v, 2,000) against 3v
		// crosses inside the minimum, at 2,000 / 3.
		d := beDecode(t, beDoc("", perUnit3, `"pricing": {"tiers": [{"price": 2}], "minimum_units": 1000}`))
		want := []Interval{beIv(0, 666.67, "in-house"), beIv(666.67, 3000, "vendor")}
		be := breakEven(d, 1, 3000)
		beCheckIntervals(t, "monthly", be.Monthly, want)
		beCheckIntervals(t, "horizon", be.Horizon, want)
	})
	t.Run("MinimumCharge", func(t *testing.T) {
		// Minimum units 1,000 (usage ≥ 2,000) under a 3,000 minimum charge:
		// the invoice is 3,000 up to 1,500 units, then 2v; against 3v the
		// crossing is at 1,000, in the charge's flat stretch.
		d := beDecode(t, beDoc("", perUnit3,
			`"pricing": {"tiers": [{"price": 2}], "minimum_units": 1000, "minimum_charge": 3000}`))
		want := []Interval{beIv(0, 1000, "in-house"), beIv(1000, 3000, "vendor")}
		beCheckIntervals(t, "monthly", breakEven(d, 1, 3000).Monthly, want)
	})
	t.Run("MinimumChargeKink", func(t *testing.T) {
		// Baseline 1,500 + v touches max(2v, 3,000) exactly where usage
		// meets the charge, at 1,500: below, 1,500 + v < 3,000; above, the
		// vendor's 2v grows faster. The tie is touched, not crossed, so it is
		// no boundary and in-house wins the whole range.
		d := beDecode(t, beDoc("",
			`"lines": [{"name": "Fixed", "category": "operations", "basis": "fixed", "amount": 1500},
			           {"name": "Variable", "category": "operations", "basis": "per_unit", "amount": 1}]`,
			`"pricing": {"tiers": [{"price": 2}], "minimum_charge": 3000}`))
		want := []Interval{beIv(0, 3000, "in-house")}
		beCheckIntervals(t, "monthly", breakEven(d, 1, 3000).Monthly, want)
	})
}

func TestBreakEvenTie(t *testing.T) {
	t.Parallel()
	perUnit5 := `"lines": [{"name": "Variable", "category": "operations", "basis": "per_unit", "amount": 5}]`
	t.Run("Stretch", func(t *testing.T) {
		// Vendor 5 per unit with a 5,000 minimum against 5v: the minimum
		// loses below 1,000, and from 1,000 on both cost exactly the same.
		d := beDecode(t, beDoc("", perUnit5, `"pricing": {"tiers": [{"price": 5}], "minimum_charge": 5000}`))
		want := []Interval{beIv(0, 1000, "in-house"), beIv(1000, 3000, WinnerTie)}
		be := breakEven(d, 1, 3000)
		beCheckIntervals(t, "monthly", be.Monthly, want)
		beCheckIntervals(t, "horizon", be.Horizon, want)
		if k := volumeTipping(d, 1); k == nil || *k != 1 {
			t.Errorf("tipping = %s, want 1 (savings 0 at k = 1)", beFmt(k))
		}
	})
	t.Run("Everywhere", func(t *testing.T) {
		d := beDecode(t, beDoc("", perUnit5, `"pricing": {"tiers": [{"price": 5}]}`))
		want := []Interval{beIv(0, 3000, WinnerTie)}
		be := breakEven(d, 1, 3000)
		beCheckIntervals(t, "monthly", be.Monthly, want)
		beCheckIntervals(t, "horizon", be.Horizon, want)
		beCheckIntervals(t, "max 0", breakEven(d, 1, 0).Monthly, []Interval{beIv(0, 0, WinnerTie)})
	})
}

func TestBreakEvenPerBlockPricing(t *testing.T) {
	t.Parallel()
	// Per-FTE pricing: 450 per block of 100 contacts against 5v. In each
	// block (100k, 100(k+1)] the vendor's flat 450(k+1) beats 5v from
	// 90(k+1) on, so the winner alternates: in-house to 90, vendor to 100,
	// in-house to 180, vendor to 200, in-house to 270, vendor to 300.
	d := beDecode(t, beDoc("",
		`"lines": [{"name": "Variable", "category": "operations", "basis": "per_unit", "amount": 5}]`,
		`"pricing": {"per": "block", "block_size": 100, "tiers": [{"price": 450}]}`))
	want := []Interval{
		beIv(0, 90, "in-house"), beIv(90, 100, "vendor"),
		beIv(100, 180, "in-house"), beIv(180, 200, "vendor"),
		beIv(200, 270, "in-house"), beIv(270, 300, "vendor"),
	}
	be := breakEven(d, 1, 300)
	beCheckIntervals(t, "monthly", be.Monthly, want)
	beCheckIntervals(t, "horizon", be.Horizon, want)

	t.Run("Capacity", func(t *testing.T) {
		// One FTE handles 0.85 × (1 − 0.3) × 173.333 × 60 / 6 = 1,031.33135
		// contacts; 4,000 an FTE against 4 a contact crosses at the block
		// boundary from above: vendor dearer inside the first FTE until
		// 1,000, cheaper from 1,000 to 1,031.33, dearer after the jump.
		d := beDecode(t, beDoc("",
			`"lines": [{"name": "Variable", "category": "operations", "basis": "per_unit", "amount": 4}]`,
			`"pricing": {"per": "block", "capacity": {"aht_minutes": 6, "occupancy": 0.85,
			  "shrinkage": 0.30, "paid_hours": 173.333}, "tiers": [{"price": 4000}]}`))
		want := []Interval{beIv(0, 1000, "in-house"), beIv(1000, 1031.33, "vendor"), beIv(1031.33, 1500, "in-house")}
		beCheckIntervals(t, "monthly", breakEven(d, 1, 1500).Monthly, want)
	})
}

func TestBreakEvenHorizon(t *testing.T) {
	t.Parallel()
	// Two months from December: seasonality doubles December's demand.
	// Baseline 100 a month fixed; vendor 1 per unit with a 50 setup fee.
	// Monthly view (month 2, January, seasonality ignored): 100 vs v → 100.
	// Horizon (tco): 200 vs 50 + 2v (Dec) + v (Jan) → 50.
	d := beDecode(t, []byte(`{"name": "horizon", "currency": "USD", "start": "2027-12", "horizon_months": 2,
	  "volume": {"unit": "contact", "monthly": 100, "seasonality": [1,1,1,1,1,1,1,1,1,1,1,2]},
	  "baseline": "in-house", "price": {"basis": "tco"},
	  "options": [{"id": "in-house", "name": "In-house",
	                "lines": [{"name": "Fixed", "category": "operations", "basis": "fixed", "amount": 100}]},
	              {"id": "vendor", "name": "Vendor", "pricing": {"tiers": [{"price": 1}], "setup_fee": 50}}]}`))
	be := breakEven(d, 1, 300)
	beCheckIntervals(t, "monthly", be.Monthly, []Interval{beIv(0, 100, "vendor"), beIv(100, 300, "in-house")})
	beCheckIntervals(t, "horizon", be.Horizon, []Interval{beIv(0, 50, "vendor"), beIv(50, 300, "in-house")})
	if k := volumeTipping(d, 1); k == nil || *k != 0.5 {
		t.Errorf("tipping = %s, want 0.5", beFmt(k))
	}
}

func TestBreakEvenVolumeTipping(t *testing.T) {
	t.Parallel()
	t.Run("TieToLower", func(t *testing.T) {
		// Baseline 50 + v; vendor all units 2 to 150, then 0.5. Savings 50 −
		// v are negative on (50, 150] and positive after the cliff: sign
		// changes at k = 0.5 and k = 1.5, equally far from 1.
		d := beDecode(t, beDoc("",
			`"lines": [{"name": "Fixed", "category": "operations", "basis": "fixed", "amount": 50},
			           {"name": "Variable", "category": "operations", "basis": "per_unit", "amount": 1}]`,
			`"pricing": {"tier_mode": "all_units", "tiers": [{"up_to": 150, "price": 2}, {"price": 0.5}]}`))
		d.Volume.Monthly = decimal.NewFromInt(100)
		if k := volumeTipping(d, 1); k == nil || *k != 0.5 {
			t.Errorf("tipping = %s, want 0.5", beFmt(k))
		}
	})
	t.Run("Never", func(t *testing.T) {
		d := beDecode(t, beDoc("",
			`"lines": [{"name": "Fixed", "category": "operations", "basis": "fixed", "amount": 50},
			           {"name": "Variable", "category": "operations", "basis": "per_unit", "amount": 1}]`,
			`"pricing": {"tiers": [{"price": 1}]}`))
		if k := volumeTipping(d, 1); k != nil {
			t.Errorf("tipping = %s, want nil", beFmt(k))
		}
	})
	t.Run("AtBlockJump", func(t *testing.T) {
		// 450 per FTE of 100 against 5v with V = 100: the vendor's jump at
		// exactly v = 100 is a sign change at k = 1 although savings there
		// are 50, not 0.
		d := beDecode(t, beDoc("",
			`"lines": [{"name": "Variable", "category": "operations", "basis": "per_unit", "amount": 5}]`,
			`"pricing": {"per": "block", "block_size": 100, "tiers": [{"price": 450}]}`))
		d.Volume.Monthly = decimal.NewFromInt(100)
		if k := volumeTipping(d, 1); k == nil || *k != 1 {
			t.Errorf("tipping = %s, want 1", beFmt(k))
		}
	})
	t.Run("Rounded", func(t *testing.T) {
		// 3v against 2,000 + v, V = 900: crossing at 1,000, k = 1.111.
		d := beDecode(t, beDoc("",
			`"lines": [{"name": "Variable", "category": "operations", "basis": "per_unit", "amount": 3}]`,
			`"lines": [{"name": "Fixed", "category": "operations", "basis": "fixed", "amount": 2000},
			           {"name": "Variable", "category": "operations", "basis": "per_unit", "amount": 1}]`))
		d.Volume.Monthly = decimal.NewFromInt(900)
		if k := volumeTipping(d, 1); k == nil || *k != 1.111 {
			t.Errorf("tipping = %s, want 1.111", beFmt(k))
		}
	})
	t.Run("ZeroVolume", func(t *testing.T) {
		data, err := os.ReadFile("testdata/e3.json")
		if err != nil {
			t.Fatal(err)
		}
		d := beDecode(t, data)
		d.Volume.Monthly = decimal.Zero
		if k := volumeTipping(d, 1); k != nil {
			t.Errorf("tipping = %s, want nil", beFmt(k))
		}
		d = beDecode(t, beDoc("",
			`"lines": [{"name": "Fixed", "category": "operations", "basis": "fixed", "amount": 10}]`,
			`"lines": [{"name": "Fixed", "category": "operations", "basis": "fixed", "amount": 10}]`))
		d.Volume.Monthly = decimal.Zero
		if k := volumeTipping(d, 1); k == nil || *k != 1 {
			t.Errorf("tipping = %s, want 1", beFmt(k))
		}
	})
}

// Property tests: random small documents, both views checked against a
// direct costing written independently of the solver.

// beSeeds is the number of random documents; 6,000 also pass (raise it
// locally for a longer search).
var beSeeds = int64(300)

func TestBreakEvenProperties(t *testing.T) {
	t.Parallel()
	cases, checked := 0, 0
	for seed := int64(1); seed <= beSeeds; seed++ {
		r := rand.New(rand.NewSource(seed))
		d := beRandomDocument(r)
		if err := d.Validate(); err != nil {
			t.Fatalf("seed %d: generated document is invalid: %v", seed, err)
		}
		v := d.Volume.Monthly.InexactFloat64()
		for i := range d.Options {
			if d.Options[i].ID == d.Baseline {
				continue
			}
			max := 3 * v
			switch r.Intn(4) {
			case 0:
				max = r.Float64() * 3 * v
			case 1:
				max = math.Round(r.Float64()*300) / 100 // tiny ranges
			}
			be := breakEven(d, i, max)
			if be == nil {
				t.Fatalf("seed %d option %d: nil", seed, i)
			}
			cases++
			for _, view := range []struct {
				name    string
				horizon bool
				got     []Interval
			}{{"monthly", false, be.Monthly}, {"horizon", true, be.Horizon}} {
				where := fmt.Sprintf("seed %d option %d %s max %v", seed, i, view.name, max)
				beCheckTiling(t, where, view.got, max)
				checked += beCheckWinners(t, where, d, i, view.horizon, view.got)
			}
			// the tipping point is the horizon boundary nearest to k = 1
			if v > 0 {
				beCheckTipping(t, fmt.Sprintf("seed %d option %d", seed, i), d, i, v)
			}
		}
	}
	t.Logf("%d comparisons, %d interval midpoints checked", cases, checked)
}

// beCheckTipping checks volumeTipping against the boundaries of the horizon
// view over [0, 3V] (rounded to 0.01 units, so k is compared within that
// rounding and k's own).
func beCheckTipping(t *testing.T, where string, d *Document, opt int, v float64) {
	t.Helper()
	k := volumeTipping(d, opt)
	h := breakEven(d, opt, 3*v).Horizon
	var want *float64
	for j := 1; j < len(h); j++ {
		b := h[j].From / v
		if want == nil || math.Abs(b-1) < math.Abs(*want-1) {
			want = &b
		}
	}
	if beDirectClass(d, opt, v, true) == beTie {
		one := 1.0
		want = &one
	}
	switch {
	case k == nil && want == nil:
	case k == nil || want == nil:
		t.Errorf("%s: tipping %s, horizon boundaries give %s", where, beFmt(k), beFmt(want))
	case math.Abs(*k-*want) > 0.0005+0.005/v+1e-9:
		t.Errorf("%s: tipping %v, horizon boundaries give %v", where, *k, *want)
	}
}

// beCheckTiling checks that intervals tile [0, max] in order, with rounded
// boundaries, and that neighbours differ.
func beCheckTiling(t *testing.T, where string, got []Interval, max float64) {
	t.Helper()
	if len(got) == 0 {
		t.Errorf("%s: no intervals", where)
		return
	}
	top := math.Floor(max*100+0.5+1e-9) / 100
	if got[0].From != 0 || got[len(got)-1].To != top {
		t.Errorf("%s: %v does not span [0, %v]", where, got, top)
	}
	for j, x := range got {
		if x.To <= x.From && !(len(got) == 1 && top == 0) {
			t.Errorf("%s: empty interval %v in %v", where, x, got)
		}
		for _, b := range []float64{x.From, x.To} {
			if c := b * 100; math.Abs(c-math.Round(c)) > 1e-6 {
				t.Errorf("%s: boundary %v not rounded to 0.01", where, b)
			}
		}
		if j > 0 {
			if x.From != got[j-1].To {
				t.Errorf("%s: gap or overlap between %v and %v", where, got[j-1], x)
			}
			if x.Winner == got[j-1].Winner {
				t.Errorf("%s: neighbours %v and %v share a winner", where, got[j-1], x)
			}
		}
	}
}

// beCheckWinners checks each interval at least 0.02 wide at a point near
// its middle against the direct costing. The point is on an odd half cent
// (c + 0.005): a stretch dropped by rounding (it rounds to zero width) can
// never contain such a point, while it could contain a whole cent.
func beCheckWinners(t *testing.T, where string, d *Document, opt int, horizon bool, got []Interval) int {
	t.Helper()
	n := 0
	names := map[int8]string{beBaseline: d.Baseline, beTie: WinnerTie, beOption: d.Options[opt].ID}
	for _, x := range got {
		if x.To-x.From < 0.02-1e-9 {
			continue
		}
		p := math.Floor((x.From+x.To)/2*100)/100 + 0.005
		if c := beDirectClass(d, opt, p, horizon); names[c] != x.Winner {
			t.Errorf("%s: at %v direct costing says %s, interval %v", where, p, names[c], x)
		}
		n++
	}
	return n
}

// beDirectClass is the winner at volume v by direct costing.
func beDirectClass(d *Document, opt int, v float64, horizon bool) int8 {
	b := beDirectCost(d, d.Option(d.Baseline), v, horizon)
	o := beDirectCost(d, &d.Options[opt], v, horizon)
	tol := 1e-9 * math.Max(1, math.Max(math.Abs(b), math.Abs(o)))
	switch {
	case b-o > tol:
		return beOption
	case o-b > tol:
		return beBaseline
	}
	return beTie
}

// beDirectCost costs option o at volume v, unrounded, by plain loops: the
// horizon view is the price-basis total of months 0..H with the base
// volume v, the monthly view one steady month H.
func beDirectCost(d *Document, o *Option, v float64, horizon bool) float64 {
	f := func(x decimal.Decimal) float64 { return x.InexactFloat64() }
	h := d.HorizonMonths
	monthly := d.Escalation == EscalationMonthly
	esc := func(e float64, m int) float64 {
		if !horizon {
			return 1
		}
		if monthly {
			return math.Pow(1+e, float64(m-1)/12)
		}
		return math.Pow(1+e, math.Floor(float64(m-1)/12))
	}
	_, startMonth, _ := ParseMonth(d.Start)
	demand := func(m int) float64 {
		if !horizon {
			return v
		}
		return v * esc(f(d.Volume.Growth), m) * f(d.Volume.Seasonality[(startMonth+m-2)%12])
	}
	weight := func(m int) float64 {
		r := f(d.DiscountRate)
		if !horizon || m == 0 || d.Price.Basis == PriceBasisTCO {
			return 1
		}
		t := float64(m)
		switch d.Timing {
		case TimingMid:
			t -= 0.5
		case TimingBegin:
			t -= 1
		}
		return math.Pow(1+r, -t/12)
	}
	inWindow := func(l *Line, m int) bool {
		return (l.FromMonth == nil || m >= *l.FromMonth) && (l.ToMonth == nil || m <= *l.ToMonth)
	}
	blockOf := func(size *decimal.Decimal, c *Capacity) float64 {
		if size != nil {
			return f(*size)
		}
		return f(c.Block())
	}
	within := func(x, b float64) bool { return math.Abs(x-b) <= 1e-9*math.Max(1, math.Abs(b)) }
	ceilBlocks := func(u, block float64) float64 {
		n := math.Ceil(u / block)
		if n > 0 && within(u, (n-1)*block) {
			n--
		}
		return n
	}
	// heads of a block_size or capacity: a service-level capacity by the
	// plain reference of spec §8
	heads := func(u float64, size *decimal.Decimal, c *Capacity) float64 {
		if c.Staffed() {
			return float64(refHeads(c, decimal.NewFromFloat(u)))
		}
		return ceilBlocks(u, blockOf(size, c))
	}
	usage := func(p *Pricing, q float64) float64 {
		if p.TierMode == TierModeAllUnits {
			for _, tr := range p.Tiers {
				if tr.UpTo == nil || q <= f(*tr.UpTo) || within(q, f(*tr.UpTo)) {
					return q * f(tr.Price)
				}
			}
		}
		sum, lo := 0.0, 0.0
		for _, tr := range p.Tiers {
			hi := math.Inf(1)
			if tr.UpTo != nil {
				hi = f(*tr.UpTo)
			}
			if q <= lo {
				break
			}
			sum += (math.Min(q, hi) - lo) * f(tr.Price)
			lo = hi
		}
		return sum
	}
	share := f(o.VolumeShare)

	first, last := 0, h
	if !horizon {
		first = h
	}
	total := 0.0
	for m := first; m <= last; m++ {
		cost := 0.0
		if horizon && m == 0 && o.Pricing != nil {
			cost += f(o.Pricing.SetupFee) * f(o.Pricing.FXRate)
		}
		if horizon && m == h && o.Pricing != nil {
			cost += f(o.Pricing.ExitFee) * f(o.Pricing.FXRate)
		}
		invoice := 0.0
		if p := o.Pricing; p != nil && m >= 1 && m >= p.FromMonth {
			u := demand(m) * share
			var q float64
			if p.Per == PricingPerBlock {
				q = heads(u, p.BlockSize, p.Capacity)
			} else {
				q = u * f(p.UnitFactor)
			}
			q = math.Max(q, f(p.MinimumUnits))
			invoice = (math.Max(usage(p, q), f(p.MinimumCharge)) + f(p.FixedMonthly)) * esc(f(p.Escalation), m) * f(p.FXRate)
			cost += invoice
		}
		for li := range o.Lines {
			l := &o.Lines[li]
			amount := f(l.Amount)
			if l.Basis == BasisOneTime {
				if horizon && l.Month != nil && *l.Month == m {
					cost += amount
				}
				continue
			}
			if m == 0 || !inWindow(l, m) {
				continue
			}
			ls := share
			if l.VolumeShare != nil {
				ls = f(*l.VolumeShare)
			}
			u := demand(m) * ls
			e := esc(f(l.Escalation), m)
			switch l.Basis {
			case BasisFixed:
				cost += amount * e
			case BasisPerUnit:
				cost += amount * u * e
			case BasisPerBlock:
				cost += amount * heads(u, l.BlockSize, l.Capacity) * e
			case BasisShareOfVendor:
				cost += amount * invoice
			}
		}
		total += cost * weight(m)
	}
	return total
}

// beRandomDocument is a small valid document whose options' costs are of
// similar size, so that crossings, blocks, tiers and minimums are in range.
func beRandomDocument(r *rand.Rand) *Document {
	dec := func(x float64) decimal.Decimal { return decimal.NewFromFloat(x).Round(4) }
	decp := func(x float64) *decimal.Decimal { v := dec(x); return &v }
	intp := func(x int) *int { return &x }
	pick := func(s ...string) string { return s[r.Intn(len(s))] }
	h := 1 + r.Intn(24)
	v := float64(100 + r.Intn(4900))
	seas := make([]decimal.Decimal, 12)
	for i := range seas {
		seas[i] = decimal.NewFromInt(1)
		if r.Intn(2) == 0 {
			seas[i] = dec(0.5 + r.Float64())
		}
	}
	d := &Document{
		Name: "random", Currency: "USD",
		Start:         fmt.Sprintf("2027-%02d", 1+r.Intn(12)),
		HorizonMonths: h,
		DiscountRate:  dec(r.Float64() * 0.2),
		Timing:        pick(TimingEnd, TimingMid, TimingBegin),
		Escalation:    pick(EscalationAnniversary, EscalationMonthly),
		Volume: Volume{Unit: "contact", Monthly: decimal.NewFromFloat(v),
			Growth: dec([]float64{0, 0, 0.05, -0.1, 0.2}[r.Intn(5)]), Seasonality: seas},
		Baseline: "opt0",
		Criteria: []Criterion{},
		Price: Price{Weight: dec(0.4), Basis: pick(PriceBasisPV, PriceBasisTCO), Formula: FormulaAnchored,
			FullAt: dec(0.7), ZeroAt: dec(1.3)},
	}
	capacity := func() *Capacity {
		return &Capacity{AHTMinutes: dec(float64(3 + r.Intn(10))), Occupancy: dec(0.6 + 0.4*r.Float64()),
			Shrinkage: dec(0.4 * r.Float64()), PaidHours: dec(float64(20 + r.Intn(160)))}
	}
	block := func() (*decimal.Decimal, *Capacity) {
		if r.Intn(2) == 0 {
			return decp(v / float64(1+r.Intn(8)) * (0.5 + r.Float64())), nil
		}
		return nil, capacity()
	}
	window := func(l *Line) {
		if r.Intn(3) == 0 {
			from := 1 + r.Intn(h)
			l.FromMonth, l.ToMonth = intp(from), intp(from+r.Intn(h-from+1))
		}
	}
	nopt := 2 + r.Intn(2)
	for i := range nopt {
		o := Option{ID: fmt.Sprintf("opt%d", i), Name: fmt.Sprintf("Option %d", i),
			VolumeShare: decimal.NewFromInt(1), Lines: []Line{}, Scores: map[string]decimal.Decimal{}}
		if r.Intn(3) == 0 {
			o.VolumeShare = dec(0.5 + 0.5*r.Float64())
		}
		if i > 0 && r.Intn(5) > 0 {
			p := &Pricing{Currency: "USD", FXRate: decimal.NewFromInt(1), Per: PricingPerUnit,
				UnitFactor: decimal.NewFromInt(1), TierMode: pick(TierModeGraduated, TierModeAllUnits),
				Escalation: dec([]float64{0, 0.03}[r.Intn(2)]), FromMonth: 1 + r.Intn(h)}
			if r.Intn(4) == 0 {
				p.Currency, p.FXRate = "EUR", dec(0.5+r.Float64())
			}
			unit := 1.0 // billed units per contact
			if r.Intn(3) == 0 {
				p.Per = PricingPerBlock
				p.BlockSize, p.Capacity = block()
				unit = 1 / v * float64(2+r.Intn(6))
			} else if r.Intn(3) == 0 {
				p.UnitFactor = dec(0.5 + 6*r.Float64())
				unit = p.UnitFactor.InexactFloat64()
			}
			nt := 1 + r.Intn(3)
			bound, prev := 0.0, 0.0
			for j := range nt {
				t := Tier{Price: dec((1 + 5*r.Float64()) / unit)}
				if j < nt-1 {
					bound += (0.2 + r.Float64()) * v * unit
					bound = math.Max(math.Ceil(bound), prev+1)
					prev = bound
					t.UpTo = decp(bound)
				}
				p.Tiers = append(p.Tiers, t)
			}
			if r.Intn(3) == 0 {
				p.MinimumUnits = dec(math.Ceil(r.Float64() * 1.5 * v * unit))
			}
			if r.Intn(3) == 0 {
				p.MinimumCharge = dec(r.Float64() * 6 * v)
			}
			if r.Intn(2) == 0 {
				p.FixedMonthly = dec(r.Float64() * v)
			}
			if r.Intn(2) == 0 {
				p.SetupFee = dec(r.Float64() * 3 * v)
			}
			if r.Intn(3) == 0 {
				p.ExitFee = dec(r.Float64() * 3 * v)
			}
			o.Pricing = p
		}
		nl := r.Intn(5)
		if o.Pricing == nil {
			nl++
		}
		for j := range nl {
			l := Line{Name: fmt.Sprintf("Line %d", j), Category: CategoryOperations}
			bases := []string{BasisFixed, BasisPerUnit, BasisPerBlock, BasisPerBlock, BasisOneTime}
			if o.Pricing != nil {
				bases = append(bases, BasisShareOfVendor)
			}
			l.Basis = bases[r.Intn(len(bases))]
			switch l.Basis {
			case BasisFixed:
				l.Amount = dec(r.Float64() * 3 * v)
			case BasisPerUnit:
				l.Amount = dec(r.Float64() * 4)
			case BasisPerBlock:
				l.BlockSize, l.Capacity = block()
				l.Amount = dec(r.Float64() * 2 * v)
				if l.Capacity != nil {
					l.Amount = dec(r.Float64() * 4 * l.Capacity.Block().InexactFloat64())
				}
			case BasisOneTime:
				l.Amount = dec(r.Float64() * 5 * v)
				l.Month = intp(r.Intn(h + 1))
			case BasisShareOfVendor:
				l.Amount = dec(r.Float64() * 0.2)
			}
			if l.Basis != BasisOneTime && l.Basis != BasisShareOfVendor {
				l.Escalation = dec([]float64{0, 0.03, 0.1}[r.Intn(3)])
				if r.Intn(4) == 0 {
					l.VolumeShare = decp(r.Float64())
				}
			}
			if l.Basis != BasisOneTime {
				window(&l)
			}
			o.Lines = append(o.Lines, l)
		}
		if i > 0 && r.Intn(4) == 0 {
			// the baseline's lines again: coinciding breakpoints and ties
			o.Lines = append(o.Lines, d.Options[0].Lines...)
			if r.Intn(2) == 0 {
				o.Lines = slices.Clone(d.Options[0].Lines)
				o.VolumeShare = d.Options[0].VolumeShare
				o.Pricing = nil
			}
		}
		d.Options = append(d.Options, o)
	}
	return d
}

func TestBreakEvenE2(t *testing.T) {
	t.Parallel()
	// The realistic example: capacity blocks, a 12-agent supervisor block,
	// graduated tiers, governance as a share of the invoice, one-time and
	// transition lines, pv at 8% with escalation. No hand figures exist for
	// its intervals, so each is checked against the direct costing.
	data, err := os.ReadFile("testdata/e2.json")
	if err != nil {
		t.Fatal(err)
	}
	d := beDecode(t, data)
	opt := beOptionIndex(t, d, "vendor-a")
	for _, max := range []float64{60000, 200000} {
		be := breakEven(d, opt, max)
		for _, view := range []struct {
			name    string
			horizon bool
			got     []Interval
		}{{"monthly", false, be.Monthly}, {"horizon", true, be.Horizon}} {
			where := fmt.Sprintf("%s max %v", view.name, max)
			beCheckTiling(t, where, view.got, max)
			if n := beCheckWinners(t, where, d, opt, view.horizon, view.got); n == 0 {
				t.Errorf("%s: nothing checked", where)
			}
		}
	}
	// As the spec's section 7 response shows: the vendor wins everywhere
	// (at v = 0 in-house still pays facilities for 36 months, far more than
	// the vendor's one-time and transition costs; at volume its tiers and
	// 5% governance stay below the in-house cost per contact).
	be := breakEven(d, opt, 60000)
	want := []Interval{beIv(0, 60000, "vendor-a")}
	beCheckIntervals(t, "monthly", be.Monthly, want)
	beCheckIntervals(t, "horizon", be.Horizon, want)
	if k := volumeTipping(d, opt); k != nil {
		t.Errorf("tipping = %v, want nil (savings never change sign)", *k)
	}
	beCheckTipping(t, "e2", d, opt, 20000)
}

func TestBreakEvenRangeTooLarge(t *testing.T) {
	t.Parallel()
	// 10^12 contacts a month against blocks of 1,000 would be billions of
	// breakpoints: no answer rather than minutes of work.
	data, err := os.ReadFile("testdata/e3.json")
	if err != nil {
		t.Fatal(err)
	}
	d := beDecode(t, data)
	if be := breakEven(d, 1, 1e12); be != nil {
		t.Errorf("got %v, want nil", be)
	}
	if be := breakEven(d, 1, math.Inf(1)); be != nil {
		t.Errorf("got %v for an infinite range, want nil", be)
	}
}
