package tco

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// StaffingPlan is one capacity staffed for one month's volume: the answer
// of POST /api/v1/staffing, the workspace's staffing helper and the CLI. A
// workload capacity has no intervals and no service level.
type StaffingPlan struct {
	Method string `json:"method"` // workload or service_level
	Units  Number `json:"units"`  // U, the month's volume
	// OpenDays is D = open_hours × 60 / (interval_minutes × K); null for
	// a workload capacity.
	OpenDays  *float64        `json:"open_days"`
	Intervals []IntervalStaff `json:"intervals"`
	// AgentHours is D × Σ N_k × interval_minutes / 60 (service level) or
	// people × paid_hours × (1 − shrinkage) (workload), to 4 decimals.
	AgentHours Number `json:"agent_hours"`
	People     Number `json:"people"` // to 4 decimals
	Heads      int64  `json:"heads"`  // by the capacity's own method
	// WorkloadHeads is ceil(U / block) with §1's workload block, for
	// comparison: what the service level costs is Heads − WorkloadHeads.
	WorkloadHeads int64 `json:"workload_heads"`
	// ServiceLevel is the achieved service level weighted by contacts
	// (Σ a_k × SL_k / Σ a_k); Occupancy is Σ A_k / Σ N_k. Null for a
	// workload capacity or no volume.
	ServiceLevel *float64 `json:"service_level"`
	Occupancy    *float64 `json:"occupancy"`
}

// IntervalStaff is one interval of a day: contacts a_k, traffic A_k in
// Erlangs, agents N_k, and the service level and occupancy they achieve
// (null when the interval has no contacts).
type IntervalStaff struct {
	Contacts     float64  `json:"contacts"`
	Erlangs      float64  `json:"erlangs"`
	Agents       int      `json:"agents"`
	ServiceLevel *float64 `json:"service_level"`
	Occupancy    *float64 `json:"occupancy"`
}

// Staff staffs capacity c for units a month (spec §8; §1's workload block
// without a service level). The capacity is checked as in a document, with
// paths under "capacity"; units must be ≥ 0 (path "units").
func Staff(c Capacity, units decimal.Decimal) (*StaffingPlan, error) {
	v := &docValidator{}
	v.capacity("capacity", &c)
	v.nonNegative("units", units)
	if len(v.errs) > 0 {
		return nil, v.errs
	}
	four := func(x decimal.Decimal) Number { return Number{x.Round(4)} }
	plan := &StaffingPlan{Method: MethodWorkload, Units: Number{units}, Intervals: []IntervalStaff{}}
	wl := specOf(nil, &c, one)
	plan.WorkloadHeads = ceilBlocks(units, wl)
	if !c.Staffed() {
		people := units.Mul(wl.num).DivRound(wl.den, 16)
		plan.People = four(people)
		plan.AgentHours = four(people.Mul(c.PaidHours).Mul(one.Sub(c.Shrinkage)))
		plan.Heads = plan.WorkloadHeads
		return plan, nil
	}
	plan.Method = MethodServiceLevel
	s := newSlCap(&c, c.AHTMinutes, map[erlangKey]*erlangTable{}, nil)
	days := c.OpenHours.Mul(sixty).InexactFloat64() / float64(c.IntervalMinutes*len(c.Profile))
	plan.OpenDays = &days
	var sumN int64
	var sumA, sumAN, sumSL float64
	for _, w := range c.Profile {
		var it IntervalStaff
		if w.Sign() > 0 && units.Sign() > 0 {
			g := &slGroup{w: w}
			a := s.traffic(units, g)
			n, near := s.tab.agents(a)
			if near {
				n = s.tab.direct(a)
			}
			it.Erlangs, it.Agents = a, n
			it.Contacts = a * float64(c.IntervalMinutes) / s.tab.aht
			sl := s.tab.sl(n, a)
			occ := a / float64(n)
			it.ServiceLevel, it.Occupancy = &sl, &occ
			sumN += int64(n)
			sumA += a
			sumAN += it.Contacts
			sumSL += it.Contacts * sl
		}
		plan.Intervals = append(plan.Intervals, it)
	}
	hours := c.OpenHours.Mul(decimal.NewFromInt(sumN)).DivRound(decimal.NewFromInt(int64(len(c.Profile))), 16)
	plan.AgentHours = four(hours)
	plan.People = four(hours.DivRound(c.PaidHours.Mul(one.Sub(c.Shrinkage)), 16))
	plan.Heads = s.headsOf(sumN)
	if sumN > 0 {
		sl, occ := sumSL/sumAN, sumA/float64(sumN)
		if !math.IsNaN(sl) {
			plan.ServiceLevel = &sl
		}
		plan.Occupancy = &occ
	}
	return plan, nil
}

// capacityWarnings says where options' capacities are not on one footing
// (issue 15): heads staffed to different service levels, AHT or open hours
// are not comparable, and a per-FTE bid priced on other assumptions than
// the buyer's is not the same bid. One warning a dimension, naming each
// option's values; options without a capacity take no part, and documents
// with no service level at all get none (they compare as before §8).
func capacityWarnings(d *Document) []string {
	type dims struct{ sl, aht, open []string }
	per := make([]dims, len(d.Options))
	var ids []string
	add := func(i int, c *Capacity) {
		v := &per[i]
		sl, open := "workload (no service level)", "" // open hours only where staffed to a service level
		if c.Staffed() {
			sl = c.ServiceLevel.Target.Mul(hundred).String() + "% in " + c.ServiceLevel.Seconds.String() + " s"
			open = c.OpenHours.String() + " h"
		}
		for _, x := range []struct {
			s   *[]string
			val string
		}{{&v.sl, sl}, {&v.aht, c.AHTMinutes.String() + " min"}, {&v.open, open}} {
			if x.val != "" && !slices.Contains(*x.s, x.val) {
				*x.s = append(*x.s, x.val)
			}
		}
	}
	for i := range d.Options {
		o := &d.Options[i]
		for k := range o.Lines {
			if l := &o.Lines[k]; l.Basis == BasisPerBlock && l.Capacity != nil && l.BlockSize == nil {
				add(i, l.Capacity)
			}
		}
		if p := o.Pricing; p != nil && p.Per == PricingPerBlock && p.Capacity != nil && p.BlockSize == nil {
			add(i, p.Capacity)
		}
		ids = append(ids, o.ID)
	}
	// a document without service levels compares as it always did
	staffed := false
	for _, v := range per {
		staffed = staffed || slices.ContainsFunc(v.sl, func(s string) bool { return s != "workload (no service level)" })
	}
	if !staffed {
		return nil
	}
	var out []string
	check := func(what string, get func(dims) []string, why string) {
		var parts []string
		var first []string
		differ := false
		for i, v := range per {
			vals := get(v)
			if len(vals) == 0 {
				continue
			}
			slices.Sort(vals)
			if first == nil {
				first = vals
			} else if !slices.Equal(first, vals) {
				differ = true
			}
			parts = append(parts, ids[i]+" "+strings.Join(vals, ", "))
		}
		if differ {
			out = append(out, "options' capacities differ in "+what+" ("+strings.Join(parts, "; ")+"): "+why)
		}
	}
	check("service level", func(v dims) []string { return v.sl }, "their heads are staffed to different standards, so their costs are not on one footing")
	check("AHT", func(v dims) []string { return v.aht }, "a shorter handling time needs fewer heads; make sure each reflects the same work")
	check("open hours", func(v dims) []string { return v.open }, "heads staffed for fewer open hours cover less of the week")
	return out
}

// StaffingRequest is the body of POST /api/v1/staffing: a capacity and a
// month's volume.
type StaffingRequest struct {
	Capacity Capacity        `json:"capacity"`
	Units    decimal.Decimal `json:"units"`
}

// DecodeStaffing reads a StaffingRequest as Decode reads a document:
// exact numbers, unknown fields refused, the capacity's defaults applied,
// and every problem at once at its path; then staffs it (Staff).
func DecodeStaffing(data []byte) (*StaffingPlan, error) {
	root, err := parseJSON(data)
	if err != nil {
		return nil, err
	}
	r := &docReader{}
	o, ok := r.object("", root, "capacity", "units")
	var c *Capacity
	var units decimal.Decimal
	if ok {
		if cv := o.required("capacity"); cv != nil {
			c = r.capacity("capacity", cv)
		}
		units = o.reqDec("units")
	}
	if len(r.errs) > 0 {
		return nil, r.errs
	}
	if c == nil {
		return nil, Errors{{Path: "capacity", Message: "is required"}}
	}
	return Staff(*c, units)
}

// BuyerStaffing returns the capacity whose service level the buyer sets
// (issue 15: one footing): the baseline's first capacity staffed to a
// service level (its per-block lines in order, then its per-block
// pricing), else the first such capacity of any option in document
// order; nil when no capacity has a service level. Bid forms show its
// service level, open hours, interval and profile locked, and per-FTE bids
// are staffed to them. The returned capacity is a copy.
func BuyerStaffing(d *Document) *Capacity {
	find := func(o *Option) *Capacity {
		for k := range o.Lines {
			if l := &o.Lines[k]; l.Basis == BasisPerBlock && l.BlockSize == nil && l.Capacity.Staffed() {
				return l.Capacity
			}
		}
		if p := o.Pricing; p != nil && p.Per == PricingPerBlock && p.BlockSize == nil && p.Capacity.Staffed() {
			return p.Capacity
		}
		return nil
	}
	var c *Capacity
	if b := d.Option(d.Baseline); b != nil {
		c = find(b)
	}
	for i := 0; c == nil && i < len(d.Options); i++ {
		c = find(&d.Options[i])
	}
	if c == nil {
		return nil
	}
	cp := *c
	sl := *c.ServiceLevel
	cp.ServiceLevel = &sl
	if c.OpenHours != nil {
		open := *c.OpenHours
		cp.OpenHours = &open
	}
	cp.Profile = slices.Clone(c.Profile)
	return &cp
}

// WithServiceLevel returns c staffed to the service level, open hours,
// interval and profile of buyer (BuyerStaffing): a per-FTE bid's own
// productivity (AHT, occupancy, shrinkage, paid hours) on the buyer's
// standard.
func (c Capacity) WithServiceLevel(buyer *Capacity) Capacity {
	sl := *buyer.ServiceLevel
	c.ServiceLevel = &sl
	open := *buyer.OpenHours
	c.OpenHours = &open
	c.IntervalMinutes = buyer.IntervalMinutes
	c.Profile = slices.Clone(buyer.Profile)
	return c
}

// ServiceLevelWords says a staffed capacity's standard in words: "80% in
// 20 s, 260 open hours a month, 30-minute intervals, a profile of 20
// intervals"; "" without a service level.
func (c *Capacity) ServiceLevelWords() string {
	if !c.Staffed() {
		return ""
	}
	k := len(c.Profile)
	profile := "a flat profile"
	if k > 1 {
		profile = "a profile of " + strconv.Itoa(k) + " intervals"
	}
	open := ""
	if c.OpenHours != nil {
		open = c.OpenHours.String()
	}
	return c.ServiceLevel.Target.Mul(hundred).String() + "% in " + c.ServiceLevel.Seconds.String() + " s, " +
		open + " open hours a month, " + strconv.Itoa(c.IntervalMinutes) + "-minute intervals, " + profile
}
