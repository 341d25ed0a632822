package tco

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/rand"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// e4Capacity is worked example E4's capacity (spec §8): 80/20, AHT 6
// minutes, occupancy at most 0.85, shrinkage 0.3, 168 paid hours, 260 open
// hours, 30-minute intervals, with the given profile.
func e4Capacity(profile ...int64) Capacity {
	d := decimal.RequireFromString
	open := d("260")
	c := Capacity{AHTMinutes: d("6"), Occupancy: d("0.85"), Shrinkage: d("0.3"), PaidHours: d("168"),
		ServiceLevel: &ServiceLevel{Target: d("0.8"), Seconds: d("20")}, OpenHours: &open, IntervalMinutes: 30}
	for _, w := range profile {
		c.Profile = append(c.Profile, decimal.NewFromInt(w))
	}
	return c
}

var e4Profile = []int64{1, 2, 3, 4, 4, 3, 3, 4, 4, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1}

// TestStaffE4 reproduces worked example E4 to the digits the spec prints.
func TestStaffE4(t *testing.T) {
	t.Parallel()
	rows := []struct {
		u          int64
		a, erl     string // to the spec's digits
		n          int
		hours, ppl string
		heads      int64
	}{
		{0, "0", "0", 0, "0", "0", 0},
		{1, "0.0019", "0.0004", 1, "260", "2.2109", 3},
		{12000, "23.077", "4.6154", 8, "2080", "17.6871", 18},
		{20000, "38.462", "7.6923", 11, "2860", "24.3197", 25},
		{25000, "48.077", "9.6154", 13, "3380", "28.7415", 29},
	}
	for _, r := range rows {
		p, err := Staff(e4Capacity(1), decimal.NewFromInt(r.u))
		if err != nil {
			t.Fatal(err)
		}
		if p.OpenDays == nil || *p.OpenDays != 520 {
			t.Errorf("U %d: open days %v, want 520", r.u, p.OpenDays)
		}
		it := p.Intervals[0]
		places := func(s string) int32 {
			if i := len(s) - 1 - slices.Index([]byte(s), '.'); slices.Contains([]byte(s), '.') {
				return int32(i)
			}
			return 0
		}
		got := func(x float64, like string) string {
			return decimal.NewFromFloat(x).StringFixed(places(like))
		}
		if got(it.Contacts, r.a) != r.a || got(it.Erlangs, r.erl) != r.erl || it.Agents != r.n {
			t.Errorf("U %d: a %s A %s N %d, want %s %s %d", r.u, got(it.Contacts, r.a), got(it.Erlangs, r.erl), it.Agents, r.a, r.erl, r.n)
		}
		if p.AgentHours.String() != r.hours || p.People.StringFixed(places(r.ppl)) != r.ppl || p.Heads != r.heads {
			t.Errorf("U %d: agent hours %s people %s heads %d, want %s %s %d", r.u, p.AgentHours, p.People, p.Heads, r.hours, r.ppl, r.heads)
		}
	}

	t.Run("SL9to11", func(t *testing.T) {
		// at U = 20,000: A = 20000 / 520 × 6 / 30
		a, _ := new(big.Rat).SetFrac64(20000*6, 520*30).Float64()
		tab := &erlangTable{erlangKey: erlangKey{aht: 6, occ: 0.85, target: 0.8, secs: 20}}
		for n, want := range map[int]string{9: "0.477149", 10: "0.697449", 11: "0.833050"} {
			if got := decimal.NewFromFloat(tab.sl(n, a)).StringFixed(6); got != want {
				t.Errorf("SL(%d) = %s, want %s", n, got, want)
			}
		}
		if a/9 <= 0.85 {
			t.Errorf("9 agents should fail the occupancy cap: %v", a/9)
		}
		if tab.direct(a) != 11 {
			t.Errorf("agents %d, want 11", tab.direct(a))
		}
		wl, _ := Staff(e4Capacity(1), decimal.NewFromInt(20000))
		if wl.WorkloadHeads != 21 {
			t.Errorf("workload heads %d, want 21 (20,000 / 999.6)", wl.WorkloadHeads)
		}
	})

	t.Run("Profile", func(t *testing.T) {
		p, err := Staff(e4Capacity(e4Profile...), decimal.NewFromInt(20000))
		if err != nil {
			t.Fatal(err)
		}
		want := []int{6, 11, 15, 19, 19, 15, 15, 19, 19, 15, 11, 11, 6, 6, 6, 6, 6, 6, 6, 6}
		var got []int
		for _, it := range p.Intervals {
			got = append(got, it.Agents)
		}
		if !slices.Equal(got, want) {
			t.Errorf("agents by interval %v, want %v", got, want)
		}
		if *p.OpenDays != 26 || p.AgentHours.String() != "2899" || p.People.String() != "24.6514" || p.Heads != 25 {
			t.Errorf("D %v agent hours %s people %s heads %d, want 26 2899 24.6514 25", *p.OpenDays, p.AgentHours, p.People, p.Heads)
		}
	})

	t.Run("Textbook", func(t *testing.T) {
		// 100 contacts in 30 minutes at AHT 3 minutes: A = 10 Erlangs
		tab := &erlangTable{erlangKey: erlangKey{aht: 3, occ: 0.85, target: 0.8, secs: 20}}
		if s := decimal.NewFromFloat(tab.sl(13, 10)).StringFixed(4); s != "0.7956" {
			t.Errorf("SL(13) = %s, want 0.7956", s)
		}
		if s := decimal.NewFromFloat(tab.sl(14, 10)).StringFixed(4); s != "0.8884" {
			t.Errorf("SL(14) = %s, want 0.8884", s)
		}
		if n := tab.direct(10); n != 14 {
			t.Errorf("agents %d, want 14", n)
		}
	})

	t.Run("Costing", func(t *testing.T) {
		// the same heads stand on a per_block line of a document
		d := readDoc(t, "e2.json")
		c := e4Capacity(e4Profile...)
		d.Options[0].Lines[0].Capacity = &c
		for k := range d.Options[0].Lines {
			if l := &d.Options[0].Lines[k]; l.Capacity != nil {
				l.Capacity = &c
			}
		}
		cmp, err := Compare(d, CompareOptions{SkipAnalysis: true})
		if err != nil {
			t.Fatal(err)
		}
		st := cmp.Options[0].Staffing
		if len(st) == 0 || st[0].Method != MethodServiceLevel || st[0].Heads[0] != 25 || st[0].Source != "lines[0]" {
			t.Fatalf("staffing %+v, want service_level heads 25 on lines[0]", st)
		}
		if got := cmp.Options[0].Lines[0].Monthly[1].String(); got != "97500" {
			t.Errorf("agents month 1 %s, want 25 × 3,900 = 97500", got)
		}
	})
}

// refAgents is spec §8 step 3 written plainly (the recursion from scratch
// for every N), independent of the engine's table.
func refAgents(a, aht, occ, target, secs float64) int {
	if a <= 0 {
		return 0
	}
	for n := 1; ; n++ {
		N := float64(n)
		if !(N > a) || a/N > occ+1e-12 {
			continue
		}
		b := 1.0
		for i := 1; i <= n; i++ {
			b = a * b / (float64(i) + a*b)
		}
		c := N * b / (N - a*(1-b))
		if 1-c*math.Exp(-(N-a)*secs/(aht*60)) >= target-1e-12 {
			return n
		}
	}
}

// refHeads is spec §8 steps 1–5 for volume u, with exact traffic.
func refHeads(c *Capacity, u decimal.Decimal) int64 {
	if u.Sign() <= 0 {
		return 0
	}
	f := func(x decimal.Decimal) float64 { return x.InexactFloat64() }
	sum := decimal.Zero
	for _, w := range c.Profile {
		sum = sum.Add(w)
	}
	k := decimal.NewFromInt(int64(len(c.Profile)))
	var n int64
	for _, w := range c.Profile {
		if w.Sign() == 0 {
			continue
		}
		r := new(big.Rat).Quo(u.Mul(w).Mul(c.AHTMinutes).Mul(k).Rat(), c.OpenHours.Mul(sixty).Mul(sum).Rat())
		a, _ := r.Float64()
		n += int64(refAgents(a, f(c.AHTMinutes), f(c.Occupancy), f(c.ServiceLevel.Target), f(c.ServiceLevel.Seconds)))
	}
	people := new(big.Rat).Quo(decimal.NewFromInt(n).Mul(*c.OpenHours).Rat(), k.Mul(c.PaidHours).Mul(one.Sub(c.Shrinkage)).Rat())
	fl := new(big.Int).Quo(people.Num(), people.Denom())
	rest := new(big.Rat).Sub(people, new(big.Rat).SetInt(fl))
	tol := new(big.Rat).SetFloat64(1e-9)
	if fl.Sign() > 0 {
		tol.Mul(tol, new(big.Rat).SetInt(fl))
	}
	h := fl.Int64()
	if rest.Sign() > 0 && rest.Cmp(tol) > 0 {
		h++
	}
	return h
}

// randomCapacity is a service-level capacity a planner might enter.
func randomCapacity(r *rand.Rand) Capacity {
	dec := func(x float64, places int32) decimal.Decimal { return decimal.NewFromFloat(x).Round(places) }
	interval := []int{15, 30, 60}[r.Intn(3)]
	k := 1 + r.Intn(1440/interval)
	if r.Intn(3) == 0 {
		k = 1 + r.Intn(4)
	}
	open := dec(20+r.Float64()*700, 1)
	c := Capacity{AHTMinutes: dec(0.5+r.Float64()*15, 2), Occupancy: dec(0.6+r.Float64()*0.4, 2),
		Shrinkage: dec(r.Float64()*0.5, 2), PaidHours: dec(120+r.Float64()*60, 1),
		ServiceLevel: &ServiceLevel{Target: dec(0.5+r.Float64()*0.49, 2), Seconds: decimal.NewFromInt(int64(r.Intn(120)))},
		OpenHours:    &open, IntervalMinutes: interval}
	if c.Occupancy.IsZero() {
		c.Occupancy = decimal.NewFromInt(1)
	}
	for range k {
		w := decimal.NewFromInt(int64(r.Intn(10)))
		c.Profile = append(c.Profile, w)
	}
	c.Profile[r.Intn(k)] = decimal.NewFromInt(int64(1 + r.Intn(10)))
	return c
}

// TestStaffProperties: heads never fall as volume rises, and the engine's
// table gives the heads of the plain reference at every volume.
func TestStaffProperties(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewSource(15))
	checked := 0
	for trial := range 60 {
		c := randomCapacity(r)
		if _, err := Staff(c, decimal.Zero); err != nil {
			t.Fatalf("trial %d: capacity invalid: %v", trial, err)
		}
		s := newSlCap(&c, c.AHTMinutes, map[erlangKey]*erlangTable{}, nil)
		top := 1 + r.Float64()*60000
		var us []decimal.Decimal
		for range 40 {
			us = append(us, decimal.NewFromFloat(r.Float64()*top).Round(int32(r.Intn(3))))
		}
		slices.SortFunc(us, func(a, b decimal.Decimal) int { return a.Cmp(b) })
		prev := int64(-1)
		for _, u := range us {
			h := s.heads(u, u.InexactFloat64())
			if want := refHeads(&c, u); h != want {
				t.Fatalf("trial %d U %s: heads %d, reference %d (capacity %+v)", trial, u, h, want, c)
			}
			if h < prev {
				t.Fatalf("trial %d: heads fell from %d to %d at U %s", trial, prev, h, u)
			}
			prev = h
			checked++
		}
	}
	t.Logf("%d volumes checked", checked)
}

// TestStaffAnyTarget: with a target any staffing meets, each interval gets
// N_k = max(⌊A_k⌋ + 1, ⌈A_k / occupancy⌉).
func TestStaffAnyTarget(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewSource(16))
	checked := 0
	for trial := range 200 {
		c := randomCapacity(r)
		c.ServiceLevel.Target = decimal.New(1, -15)
		u := decimal.NewFromFloat(r.Float64() * 50000).Round(2)
		p, err := Staff(c, u)
		if err != nil {
			t.Fatal(err)
		}
		sum := decimal.Zero
		for _, w := range c.Profile {
			sum = sum.Add(w)
		}
		for k, it := range p.Intervals {
			w := c.Profile[k]
			if w.IsZero() {
				if it.Agents != 0 {
					t.Errorf("trial %d interval %d: no contacts, %d agents", trial, k, it.Agents)
				}
				continue
			}
			a := new(big.Rat).Quo(u.Mul(w).Mul(c.AHTMinutes).Mul(decimal.NewFromInt(int64(len(c.Profile)))).Rat(),
				c.OpenHours.Mul(sixty).Mul(sum).Rat())
			af, _ := a.Float64()
			byOcc := new(big.Rat).Quo(a, c.Occupancy.Rat())
			fo, _ := byOcc.Float64()
			if math.Abs(fo-math.Round(fo)) < 1e-9*math.Max(1, fo) || u.IsZero() {
				continue // on the cap: the spec's tolerance decides
			}
			want := max(int(math.Floor(af))+1, int(math.Ceil(fo)))
			if it.Agents != want {
				t.Errorf("trial %d interval %d: A %v, %d agents, want %d", trial, k, af, it.Agents, want)
			}
			checked++
		}
	}
	t.Logf("%d intervals checked", checked)
}

// TestStaffValidation: every problem of the service-level fields at once,
// each at its path.
func TestStaffValidation(t *testing.T) {
	t.Parallel()
	doc := func(capacity string) []byte {
		return []byte(fmt.Sprintf(`{"name":"x","currency":"USD","start":"2027-01","horizon_months":12,
			"volume":{"unit":"contact","monthly":20000},"baseline":"a",
			"options":[{"id":"a","name":"A","lines":[{"name":"Agents","category":"personnel","basis":"per_block","amount":3900,"capacity":%s}]},
			           {"id":"b","name":"B","lines":[]}]}`, capacity))
	}
	const p = "options[0].lines[0].capacity"
	cases := []struct {
		name, capacity string
		want           map[string]string
	}{
		{"ErrEveryField", `{"aht_minutes":6,"occupancy":0.85,"shrinkage":0.3,"paid_hours":168,
			"service_level":{"target":1,"seconds":-1},"open_hours":0,"interval_minutes":20,"profile":[-1,0]}`,
			map[string]string{p + ".service_level.target": "less than 1", p + ".service_level.seconds": "≥ 0",
				p + ".open_hours": "greater than 0", p + ".interval_minutes": "15, 30 or 60",
				p + ".profile[0]": "≥ 0", p + ".profile": "greater than 0"}},
		{"ErrWithoutServiceLevel", `{"aht_minutes":6,"occupancy":0.85,"shrinkage":0.3,"paid_hours":168,
			"open_hours":260,"interval_minutes":30,"profile":[1]}`,
			map[string]string{p + ".open_hours": "only allowed with service_level", p + ".interval_minutes": "only allowed with service_level",
				p + ".profile": "only allowed with service_level"}},
		{"ErrOpenHoursMissing", `{"aht_minutes":6,"occupancy":0.85,"shrinkage":0.3,"paid_hours":168,
			"service_level":{"target":0.8}}`,
			map[string]string{p + ".open_hours": "is required", p + ".service_level.seconds": "is required"}},
		{"ErrLongerThanADay", `{"aht_minutes":6,"occupancy":0.85,"shrinkage":0.3,"paid_hours":168,
			"service_level":{"target":0.8,"seconds":20},"open_hours":260,"interval_minutes":60,"profile":[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]}`,
			map[string]string{p + ".profile": "more than a day"}},
		{"ErrUnknownField", `{"aht_minutes":6,"occupancy":0.85,"shrinkage":0.3,"paid_hours":168,
			"service_level":{"target":0.8,"seconds":20,"secs":3},"open_hours":260}`,
			map[string]string{p + ".service_level.secs": "unknown field"}},
		{"OK", `{"aht_minutes":6,"occupancy":0.85,"shrinkage":0.3,"paid_hours":168,
			"service_level":{"target":0.8,"seconds":20},"open_hours":260}`, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Decode(doc(tc.capacity))
			if tc.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				c := d.Options[0].Lines[0].Capacity
				if c.IntervalMinutes != 30 || len(c.Profile) != 1 || !c.Profile[0].Equal(one) {
					t.Errorf("defaults: interval %d profile %v, want 30 and [1]", c.IntervalMinutes, c.Profile)
				}
				return
			}
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("Decode: %v, want Errors", err)
			}
			fields := errs.Fields()
			for path, words := range tc.want {
				if !hasField(errs, path, words) {
					t.Errorf("no problem at %s saying %q; got %v", path, words, fields)
				}
			}
			if len(fields) != len(tc.want) {
				t.Errorf("problems %v, want exactly %d", fields, len(tc.want))
			}
		})
	}
}

// slRandomDocument is a small evaluation whose in-house baseline staffs to
// a service level, against a vendor billing per contact or per FTE (on its
// own service-level capacity), with costs of similar size so that the
// winner changes in range.
func slRandomDocument(r *rand.Rand) *Document {
	d := decimal.RequireFromString
	dec := func(x float64, places int32) decimal.Decimal { return decimal.NewFromFloat(x).Round(places) }
	c1 := randomCapacity(r)
	c1.Profile = c1.Profile[:min(len(c1.Profile), 1+r.Intn(24))]
	c1.Profile[0] = decimal.NewFromInt(int64(1 + r.Intn(5)))
	vol := dec(500+r.Float64()*30000, 0)
	doc := &Document{Name: "sl", Currency: "USD", Start: "2027-01", HorizonMonths: 1 + r.Intn(24),
		DiscountRate: dec(r.Float64()*0.1, 3), Timing: TimingEnd, Escalation: EscalationAnniversary,
		Volume:   Volume{Unit: "contact", Monthly: vol, Growth: dec(r.Float64()*0.1, 2), Seasonality: ones(12)},
		Baseline: "in-house",
		Price:    Price{Weight: d("0.4"), Basis: PriceBasisPV, Formula: FormulaAnchored, FullAt: d("0.7"), ZeroAt: d("1.3")}}
	if r.Intn(2) == 0 {
		doc.Volume.Seasonality[r.Intn(12)] = d("1.2")
	}
	base := Option{ID: "in-house", Name: "In-house", VolumeShare: one, Lines: []Line{
		{Name: "Agents", Category: CategoryPersonnel, Basis: BasisPerBlock, Amount: dec(2000+r.Float64()*3000, 0), Capacity: &c1, Escalation: d("0.03")},
		{Name: "Seats", Category: CategoryTechnology, Basis: BasisPerBlock, Amount: d("180"), Capacity: &c1},
		{Name: "Facilities", Category: CategoryOperations, Basis: BasisFixed, Amount: dec(r.Float64()*20000, 0)},
	}}
	// the vendor's price a contact is near the in-house cost a contact
	p, _ := Staff(c1, vol)
	perContact := base.Lines[0].Amount.Add(d("180")).Mul(decimal.NewFromInt(p.Heads)).Div(vol.Add(one)).InexactFloat64()
	pricing := &Pricing{Currency: "USD", FXRate: one, Per: PricingPerUnit, UnitFactor: one, TierMode: TierModeGraduated,
		Tiers: []Tier{{Price: dec(perContact*(0.7+r.Float64()*0.6), 3)}}, FromMonth: 1}
	if r.Intn(2) == 0 {
		c2 := randomCapacity(r)
		c2.Profile = c1.Profile
		c2.OpenHours = c1.OpenHours
		p2, _ := Staff(c2, vol)
		pricing.Per = PricingPerBlock
		pricing.Capacity = &c2
		price := base.Lines[0].Amount.Mul(decimal.NewFromInt(p.Heads + 1)).Div(decimal.NewFromInt(p2.Heads + 1)).InexactFloat64()
		pricing.Tiers = []Tier{{Price: dec(price*(0.8+r.Float64()*0.4), 0)}}
		pricing.MinimumUnits = decimal.NewFromInt(int64(r.Intn(3)))
	}
	vendor := Option{ID: "vendor", Name: "Vendor", VolumeShare: one, Pricing: pricing,
		Lines: []Line{{Name: "Governance", Category: CategoryPersonnel, Basis: BasisShareOfVendor, Amount: d("0.05")}}}
	doc.Options = []Option{base, vendor}
	return doc
}

// TestBreakEvenServiceLevel: break-even with service-level heads tiles the
// range, every interval's winner is the direct costing's, and every
// boundary is confirmed by direct costing 0.01 units on both sides; the
// volume's tipping point is the horizon boundary nearest to 1.
func TestBreakEvenServiceLevel(t *testing.T) {
	t.Parallel()
	boundaries := 0
	for seed := int64(1); seed <= 30; seed++ {
		r := rand.New(rand.NewSource(seed))
		d := slRandomDocument(r)
		if err := d.Validate(); err != nil {
			t.Fatalf("seed %d: invalid: %v", seed, err)
		}
		v := d.Volume.Monthly.InexactFloat64()
		be := breakEven(d, 1, 3*v)
		if be == nil {
			t.Fatalf("seed %d: nil", seed)
		}
		names := map[int8]string{beBaseline: d.Baseline, beTie: WinnerTie, beOption: "vendor"}
		for _, view := range []struct {
			name    string
			horizon bool
			got     []Interval
		}{{"monthly", false, be.Monthly}, {"horizon", true, be.Horizon}} {
			where := fmt.Sprintf("seed %d %s", seed, view.name)
			beCheckTiling(t, where, view.got, 3*v)
			beCheckWinners(t, where, d, 1, view.horizon, view.got)
			for j := 1; j < len(view.got); j++ {
				l, rt := view.got[j-1], view.got[j]
				if l.To-l.From < 0.02 || rt.To-rt.From < 0.02 || l.Winner == WinnerTie || rt.Winner == WinnerTie {
					continue
				}
				b := rt.From
				if c := beDirectClass(d, 1, b-0.01, view.horizon); names[c] != l.Winner {
					t.Errorf("%s: boundary %v: direct costing at %v says %s, want %s", where, b, b-0.01, names[c], l.Winner)
				}
				if c := beDirectClass(d, 1, b+0.01, view.horizon); names[c] != rt.Winner {
					t.Errorf("%s: boundary %v: direct costing at %v says %s, want %s", where, b, b+0.01, names[c], rt.Winner)
				}
				boundaries++
			}
		}
		beCheckTipping(t, fmt.Sprintf("seed %d", seed), d, 1, v)
	}
	if boundaries < 20 {
		t.Errorf("only %d boundaries checked: the documents should cross more", boundaries)
	}
	t.Logf("%d boundaries confirmed on both sides", boundaries)
}

// ahtEngines keeps one engine a document: its caches make the grid cheap.
var ahtEngines = map[*Document]*engine{}

// ahtSavings is option i's savings on the price basis from the full
// rounded model with every aht_minutes multiplied by k.
func ahtSavings(t *testing.T, d *Document, i int, k float64) float64 {
	e := ahtEngines[d]
	if e == nil {
		var err error
		if e, err = newEngine(d, nil); err != nil {
			t.Fatal(err)
		}
		ahtEngines[d] = e
	}
	s := unscaled
	s.aht = decimal.NewFromFloat(k)
	base := e.m.cost(&d.Options[e.base], s, nil)
	opt := e.m.cost(&d.Options[i], s, nil)
	return e.total(base, d.Price.Basis).Sub(e.total(opt, d.Price.Basis)).InexactFloat64()
}

// TestAHTTipping: the aht driver's tipping point is where direct costing
// sees the savings change sign (0.001 on each side), and no change lies
// nearer to 1 on a 0.01 grid; without one, the grid sees none.
func TestAHTTipping(t *testing.T) {
	t.Parallel()
	docs := map[string]*Document{"e2": readDoc(t, "e2.json")}
	for seed := int64(1); seed <= 12; seed++ {
		docs[fmt.Sprintf("seed %d", seed)] = slRandomDocument(rand.New(rand.NewSource(100 + seed)))
	}
	tipped := 0
	for name, d := range docs {
		c, err := Compare(d, CompareOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var row *Sensitivity
		for j := range c.Options[1].Sensitivity {
			if s := &c.Options[1].Sensitivity[j]; s.Driver == DriverAHT {
				row = s
			}
		}
		if row == nil {
			t.Fatalf("%s: no aht row in %+v", name, c.Options[1].Sensitivity)
		}
		s1 := ahtSavings(t, d, 1, 1)
		if lo := ahtSavings(t, d, 1, 0.8); decimal.NewFromFloat(lo).StringFixed(2) != row.Low.String() {
			t.Errorf("%s: low %s, direct %v", name, row.Low, lo)
		}
		sign := func(x float64) int {
			return map[bool]int{true: -1, false: 1}[x < 0] * map[bool]int{true: 0, false: 1}[x == 0]
		}
		tp := row.TippingPoint
		// the grid between 1 and the tipping point (or all of (0, 3])
		for k := 0.01; k <= 3.0001; k += 0.01 {
			if tp != nil && math.Abs(k-1) >= math.Abs(*tp-1)-0.0015 {
				continue
			}
			if s := ahtSavings(t, d, 1, k); sign(s) != sign(s1) {
				t.Errorf("%s: savings at k %.2f are %v (at 1: %v), tipping point %s", name, k, s, s1, beFmt(tp))
				break
			}
		}
		if tp == nil || *tp == 1 {
			continue
		}
		dir := math.Copysign(1, *tp-1)
		near, far := ahtSavings(t, d, 1, *tp-dir*0.001), ahtSavings(t, d, 1, *tp+dir*0.001)
		if sign(near) != sign(s1) || sign(far) == sign(s1) {
			t.Errorf("%s: tipping %v: savings %v before and %v after (at 1: %v)", name, *tp, near, far, s1)
		}
		tipped++
	}
	if tipped < 3 {
		t.Errorf("only %d documents tip: the test should see more", tipped)
	}
	t.Logf("%d of %d documents tip", tipped, len(docs))
}

// TestBudgetServiceLevel: a document whose staffing to a service level is
// too much work (a long profile, a long horizon, a large centre) is
// refused before any costing, at a service-level capacity, saying what to
// lower; the same document without service levels is compared.
func TestBudgetServiceLevel(t *testing.T) {
	t.Parallel()
	profile := make([]int64, 96)
	for k := range profile {
		profile[k] = int64(1 + k%7)
	}
	big := func() *Document {
		d := largeDocument()
		d.HorizonMonths = 240
		d.Volume.Monthly = decimal.NewFromInt(400_000)
		return d
	}
	d := withServiceLevel(big(), profile)
	for i := range d.Options {
		for k := range d.Options[i].Lines {
			if c := d.Options[i].Lines[k].Capacity; c != nil {
				c.IntervalMinutes = 15
			}
		}
		if p := d.Options[i].Pricing; p != nil && p.Capacity != nil {
			p.Capacity.IntervalMinutes = 15
		}
	}
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	c, done, err := compareCounted(d, CompareOptions{})
	var errs Errors
	if !errors.As(err, &errs) || c != nil {
		t.Fatalf("Compare: %v, want Errors", err)
	}
	if done.Units() != 0 {
		t.Errorf("work done before refusing: %+v", done)
	}
	found := false
	for _, f := range errs {
		found = found || (len(f.Path) > 9 && f.Path[len(f.Path)-9:] == ".capacity" &&
			hasField(errs, f.Path, "service level", "fewer intervals", "horizon_months"))
	}
	if !found {
		t.Errorf("problems %v: want one at a capacity naming the service level and what to lower", errs)
	}
	if err := Check(d); !errors.As(err, &errs) {
		t.Errorf("Check: %v, want the same refusal", err)
	}
	if w := Estimate(big(), CompareOptions{}); len(w.Budget(big())) > 0 {
		t.Errorf("without service levels the document is within the budget, got %v", w.Budget(big()))
	}
}

// TestCapacityWarnings: the comparison warns when options' capacities
// differ in service level, AHT or open hours, naming each option's values,
// and not when they agree or only one option has a capacity.
func TestCapacityWarnings(t *testing.T) {
	t.Parallel()
	with := func(base, vendor *Capacity) []string {
		d := readDoc(t, "e2.json")
		for k := range d.Options[0].Lines {
			if d.Options[0].Lines[k].Capacity != nil {
				d.Options[0].Lines[k].Capacity = base
			}
		}
		if vendor != nil {
			p := d.Options[1].Pricing
			p.Per, p.Capacity, p.UnitFactor = PricingPerBlock, vendor, one
			p.Tiers = []Tier{{Price: decimal.NewFromInt(4000)}}
		}
		c, err := Compare(d, CompareOptions{SkipAnalysis: true})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, w := range c.Warnings {
			if len(w) > 30 && w[:30] == "options' capacities differ in " {
				out = append(out, w)
			}
		}
		return out
	}
	a, b := e4Capacity(1), e4Capacity(1)
	if w := with(&a, &b); len(w) != 0 {
		t.Errorf("same capacities: %v", w)
	}
	if w := with(&a, nil); len(w) != 0 {
		t.Errorf("one option with capacities: %v", w)
	}
	b.ServiceLevel = &ServiceLevel{Target: decimal.RequireFromString("0.9"), Seconds: decimal.NewFromInt(30)}
	b.AHTMinutes = decimal.RequireFromString("6.5")
	open := decimal.NewFromInt(300)
	b.OpenHours = &open
	w := with(&a, &b)
	want := []string{"service level (in-house 80% in 20 s; vendor-a 90% in 30 s)", "AHT (in-house 6 min; vendor-a 6.5 min)", "open hours (in-house 260 h; vendor-a 300 h)"}
	if len(w) != 3 {
		t.Fatalf("warnings %v, want 3", w)
	}
	for i := range want {
		if !strings.Contains(w[i], want[i]) {
			t.Errorf("warning %q does not say %q", w[i], want[i])
		}
	}
	wl := a
	wl.ServiceLevel, wl.OpenHours, wl.IntervalMinutes, wl.Profile = nil, nil, 0, nil
	if w := with(&wl, &a); len(w) != 1 || !strings.Contains(w[0], "workload (no service level)") {
		t.Errorf("workload against service level: %v", w)
	}
	wl2 := wl
	wl2.AHTMinutes = decimal.RequireFromString("6.8")
	if w := with(&wl, &wl2); len(w) != 0 {
		t.Errorf("workload capacities only (a document from before §8): %v", w)
	}
}

// TestStaffThresholdBrackets: every threshold the table finds (by the
// reciprocal recursion and secant steps) brackets the crossing of the
// spec-order service level: n agents meet the target just below t[n] and
// not just above u[n] (unless the occupancy cap or N > A ends them there), the bracket is
// at most 1e-12 wide almost always, and no threshold takes more than
// thresholdEvals service levels (the budget's bound).
func TestStaffThresholdBrackets(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewSource(8))
	wide, total := 0, 0
	for trial := range 40 {
		key := erlangKey{aht: 0.2 + r.Float64()*50, occ: 0.5 + r.Float64()*0.5,
			target: 0.01 + r.Float64()*0.98, secs: float64(r.Intn(120))}
		if trial == 0 {
			key = erlangKey{aht: 6, occ: 0.85, target: 0.8, secs: 20}
		}
		tab := &erlangTable{erlangKey: key}
		tab.extend(1)
		for n := 1; n <= 150; n++ {
			steps := tab.steps
			lo, hi := tab.threshold(n)
			if evals := (tab.steps - steps) / int64(n); evals > thresholdEvals {
				t.Fatalf("%+v n %d: %d service levels", key, n, evals)
			}
			if lo < tab.t[n-1] || hi < lo {
				t.Fatalf("%+v n %d: bracket [%g, %g] below t[n-1] %g", key, n, lo, hi, tab.t[n-1])
			}
			// the reciprocal recursion may differ from the spec's order
			// in the last bits, right at the crossing: a hair inside
			if lo > 0 && !tab.meets(n, lo*(1-1e-13)) {
				t.Fatalf("%+v n %d: %d agents do not staff t[n] = %.17g", key, n, n, lo)
			}
			if hi > lo && tab.meets(n, hi*(1+1e-13)) {
				t.Fatalf("%+v n %d: %d agents staff u[n] = %.17g", key, n, n, hi)
			}
			if hi-lo > 1e-12*hi {
				wide++
			}
			total++
			if len(tab.t) == n {
				tab.t, tab.u = append(tab.t, lo), append(tab.u, hi)
			}
		}
	}
	if wide*100 > total {
		t.Errorf("%d of %d brackets wider than 1e-12", wide, total)
	}
}
