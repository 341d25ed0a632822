package ui

import (
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/tco"
)

// The staffing helper's service-level mode (issue 15, spec §8): the
// workload figures plus a target and its seconds, open hours from days a
// week × hours a day × 52 / 12, an interval and an intraday profile, staffed
// by tco.Staff (the one implementation the API and the CLI use) beside the
// workload method's heads.

// wsServiceLevel is the helper's answer in service-level mode.
type wsServiceLevel struct {
	Heads, WorkloadHeads int64
	Extra                int64  // heads the service level costs over the workload method
	Achieved, Occupancy  string // "83.3%"
	OpenHours            string // "216.67"
	Intervals            int
	DayHours             string // the profile's span: K × interval, in hours
	Peak                 int    // most agents in an interval
	Sentence             string
	Chart                template.JS // JSON for the chart of agents by interval
}

// profilePresets are the helper's intraday profiles by name, each a
// function of the intervals a day.
var profilePresets = map[string]func(k int) []int{
	"flat": func(k int) []int {
		out := make([]int, k)
		for i := range out {
			out[i] = 1
		}
		return out
	},
	// a typical weekday: a morning peak about a quarter into the day and a
	// lower afternoon one at two thirds, quieter at the ends
	"weekday": func(k int) []int {
		out := make([]int, k)
		for i := range out {
			x := (float64(i) + 0.5) / float64(k)
			w := 2 + 10*math.Exp(-math.Pow((x-0.25)/0.1, 2)) + 8*math.Exp(-math.Pow((x-0.65)/0.12, 2))
			out[i] = int(math.Round(w))
		}
		return out
	},
}

// profileSplit separates a pasted column of counts: new lines, tabs,
// commas, semicolons or spaces.
var profileSplit = regexp.MustCompile(`[\s,;]+`)

// slDefaults start the service-level mode: 80/20, five days of ten hours,
// 30-minute intervals, a typical weekday.
var slDefaults = url.Values{"st_target": {"80%"}, "st_seconds": {"20"}, "st_days": {"5"}, "st_day_hours": {"10"}, "st_interval": {"30"}, "st_preset": {"weekday"}}

// slFields are the service-level mode's fields.
var slFields = []string{"st_mode", "st_target", "st_seconds", "st_days", "st_day_hours", "st_interval", "st_profile", "st_preset"}

// serviceLevelMode reads the service-level fields of the helper's form
// (already holding valid workload figures s) and staffs the capacity; it
// records problems on the form and returns nil when there are any.
func serviceLevelMode(f *form, s staffing) *wsServiceLevel {
	for k, d := range slDefaults {
		if f.Get(k) == "" && (k != "st_preset" || f.Get("st_profile") == "") {
			f.Values[k] = d
		}
	}
	target := wsDec(f, "st_target")
	seconds := wsDec(f, "st_seconds")
	days, hours := wsDec(f, "st_days"), wsDec(f, "st_day_hours")
	if _, bad := f.Errors["st_days"]; !bad && (days.Sign() <= 0 || days.GreaterThan(decimal.NewFromInt(7))) {
		f.Fail("st_days", "must be more than 0 and at most 7 days a week")
	}
	if _, bad := f.Errors["st_day_hours"]; !bad && (hours.Sign() <= 0 || hours.GreaterThan(decimal.NewFromInt(24))) {
		f.Fail("st_day_hours", "must be more than 0 and at most 24 hours a day")
	}
	interval, err := strconv.Atoi(f.Get("st_interval"))
	if err != nil || (interval != 15 && interval != 30 && interval != 60) {
		f.Fail("st_interval", "must be 15, 30 or 60 minutes")
		interval = 30
	}
	// the profile: typed or pasted counts, else a preset over the day
	var profile []decimal.Decimal
	if raw := f.Get("st_profile"); raw != "" {
		for i, p := range profileSplit.Split(raw, -1) {
			if p == "" {
				continue
			}
			d, err := decimal.NewFromString(p)
			if err != nil || d.Sign() < 0 {
				f.Fail("st_profile", fmt.Sprintf("value %d (%q) is not a count of 0 or more: paste one number an interval", i+1, p))
				break
			}
			profile = append(profile, d)
		}
	} else if gen, ok := profilePresets[f.Get("st_preset")]; ok && hours.Sign() > 0 {
		k := int(hours.Mul(decimal.NewFromInt(60)).Div(decimal.NewFromInt(int64(interval))).Ceil().IntPart())
		for _, w := range gen(max(1, min(k, 1440/interval))) {
			profile = append(profile, decimal.NewFromInt(int64(w)))
		}
		parts := make([]string, len(profile))
		for i, w := range profile {
			parts[i] = w.String()
		}
		f.Values.Set("st_profile", strings.Join(parts, " "))
	}
	if f.HasErrors() {
		return nil
	}
	open := days.Mul(hours).Mul(decimal.NewFromInt(52)).DivRound(decimal.NewFromInt(12), 2)
	c := tco.Capacity{AHTMinutes: s.AHT, Occupancy: s.Occupancy, Shrinkage: s.Shrinkage, PaidHours: s.PaidHours,
		ServiceLevel: &tco.ServiceLevel{Target: target, Seconds: seconds}, OpenHours: &open, IntervalMinutes: interval, Profile: profile}
	plan, err := tco.Staff(c, s.Volume)
	if err != nil {
		// the engine's own rules, on the fields they came from
		f.FromError(err, func(path string) string {
			switch {
			case strings.Contains(path, "target"):
				return "st_target"
			case strings.Contains(path, "seconds"):
				return "st_seconds"
			case strings.Contains(path, "profile"):
				return "st_profile"
			case strings.Contains(path, "interval"):
				return "st_interval"
			case strings.Contains(path, "open_hours"):
				return "st_day_hours"
			}
			return "st_volume"
		})
		if !f.HasErrors() {
			f.Fail("st_profile", err.Error())
		}
		return nil
	}
	r := &wsServiceLevel{Heads: plan.Heads, WorkloadHeads: plan.WorkloadHeads, Extra: plan.Heads - plan.WorkloadHeads,
		OpenHours: formatNumber(open, 2), Intervals: len(profile),
		DayHours: formatNumber(decimal.NewFromInt(int64(len(profile)*interval)).DivRound(decimal.NewFromInt(60), 2), 2)}
	pct := func(x *float64) string {
		if x == nil {
			return "—"
		}
		return strconv.FormatFloat(*x*100, 'f', 1, 64) + "%"
	}
	r.Achieved, r.Occupancy = pct(plan.ServiceLevel), pct(plan.Occupancy)
	agents := make([]int, len(plan.Intervals))
	for i, it := range plan.Intervals {
		agents[i] = it.Agents
		r.Peak = max(r.Peak, it.Agents)
	}
	r.Sentence = fmt.Sprintf("%s in %s s over %s open hours a month (%s days × %s h × 52 ÷ 12), %d intervals of %d minutes: %d heads, %d more than the %d of the average workload",
		target.Mul(decimal.NewFromInt(100)).String()+"%", seconds.String(), r.OpenHours, days.String(), hours.String(), len(profile), interval,
		plan.Heads, r.Extra, plan.WorkloadHeads)
	chart, _ := json.Marshal(map[string]any{"interval": interval, "agents": agents})
	r.Chart = template.JS(chart)
	return r
}

// slLabels name the service-level fields in error summaries.
var slLabels = map[string]string{
	"st_target": "Service level target", "st_seconds": "Answered within (seconds)", "st_days": "Open days a week",
	"st_day_hours": "Open hours a day", "st_interval": "Interval", "st_profile": "Intraday profile",
	"l_cap_sl_target": "Service level target", "l_cap_sl_seconds": "Answered within (seconds)",
	"l_cap_open_hours": "Open hours a month", "l_cap_interval": "Interval", "l_cap_profile": "Intraday profile",
}

func init() {
	for k, v := range slLabels {
		wsLabels[k] = v
	}
}

// slValues starts the helper in service-level mode from a stored staffed
// capacity: its open hours as five days a week.
func slValues(v url.Values, c *tco.Capacity) {
	if !c.Staffed() {
		return
	}
	v.Set("st_mode", tco.MethodServiceLevel)
	v.Set("st_target", c.ServiceLevel.Target.Mul(decimal.NewFromInt(100)).String()+"%")
	v.Set("st_seconds", c.ServiceLevel.Seconds.String())
	v.Set("st_days", "5")
	v.Set("st_day_hours", c.OpenHours.Mul(decimal.NewFromInt(12)).DivRound(decimal.NewFromInt(52*5), 2).String())
	v.Set("st_interval", strconv.Itoa(c.IntervalMinutes))
	v.Set("st_profile", joinDecimals(c.Profile))
}

// joinDecimals writes a profile as the helper and the line form show it.
func joinDecimals(ds []decimal.Decimal) string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = d.String()
	}
	return strings.Join(parts, " ")
}

// capSLValues fills a capacity form's service-level fields.
func capSLValues(v url.Values, prefix string, c *tco.Capacity) {
	if !c.Staffed() {
		return
	}
	v.Set(prefix+"sl_target", c.ServiceLevel.Target.Mul(decimal.NewFromInt(100)).String()+"%")
	v.Set(prefix+"sl_seconds", c.ServiceLevel.Seconds.String())
	v.Set(prefix+"open_hours", c.OpenHours.String())
	v.Set(prefix+"interval", strconv.Itoa(c.IntervalMinutes))
	v.Set(prefix+"profile", joinDecimals(c.Profile))
}

// fillServiceLevel carries the helper's service level to the line form.
func fillServiceLevel(v url.Values, s *wsStaffing) {
	if s == nil || s.SL == nil {
		return
	}
	f := s.Form
	v.Set("l_cap_sl_target", f.Get("st_target"))
	v.Set("l_cap_sl_seconds", f.Get("st_seconds"))
	v.Set("l_cap_open_hours", s.SL.OpenHours)
	v.Set("l_cap_interval", f.Get("st_interval"))
	v.Set("l_cap_profile", f.Get("st_profile"))
}

// parseServiceLevel reads a capacity form's service-level fields (prefix
// "l_cap_"): a target makes the capacity staffed to a service level; the
// other fields without one are ignored (the engine would refuse them).
func parseServiceLevel(f *form, prefix string, c *tco.Capacity) {
	if f.Get(prefix+"sl_target") == "" {
		return
	}
	target := wsDec(f, prefix+"sl_target")
	seconds := wsDecOr(f, prefix+"sl_seconds", decimal.Zero)
	c.ServiceLevel = &tco.ServiceLevel{Target: target, Seconds: seconds}
	open := wsDec(f, prefix+"open_hours")
	c.OpenHours = &open
	c.IntervalMinutes = 30
	if s := f.Get(prefix + "interval"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			f.Fail(prefix+"interval", "must be 15, 30 or 60 minutes")
		}
		c.IntervalMinutes = n
	}
	for i, p := range profileSplit.Split(f.Get(prefix+"profile"), -1) {
		if p == "" {
			continue
		}
		d, err := decimal.NewFromString(p)
		if err != nil {
			f.Fail(prefix+"profile", fmt.Sprintf("value %d (%q) is not a number: one weight an interval", i+1, p))
			return
		}
		c.Profile = append(c.Profile, d)
	}
	if len(c.Profile) == 0 {
		c.Profile = []decimal.Decimal{decimal.NewFromInt(1)}
	}
}

// The helper's choices.
var (
	staffModes     = []choice{{tco.MethodWorkload, "Average workload"}, {tco.MethodServiceLevel, "Service level (Erlang C)"}}
	staffIntervals = []choice{{"15", "15 minutes"}, {"30", "30 minutes"}, {"60", "60 minutes"}}
)

// Modes, Intervals are the helper's select options.
func (s *wsStaffing) Modes() []choice     { return staffModes }
func (s *wsStaffing) Intervals() []choice { return staffIntervals }
