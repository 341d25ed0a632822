package tco

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// maxMateriality bounds materiality: a tenth of the baseline's cost is
// already a difference a board would call material.
var maxMateriality = decimal.RequireFromString("0.1")

// Bounds of the calendar.
const (
	maxHorizon = 600 // months: 50 years
)

// Validate checks every rule of spec section 1 on a fully specified
// document (as Decode returns it, or as built in Go) and returns Errors
// holding every problem at once, each at its JSON path, or nil.
func (d *Document) Validate() error {
	v := &docValidator{}
	v.document(d)
	return v.errs.err()
}

// ParseMonth reads a month written YYYY-MM (years 0001..9999).
func ParseMonth(s string) (year, month int, err error) {
	if len(s) != 7 || s[4] != '-' {
		return 0, 0, fmt.Errorf("month %q: want YYYY-MM", s)
	}
	for i := 0; i < len(s); i++ {
		if i != 4 && (s[i] < '0' || s[i] > '9') {
			return 0, 0, fmt.Errorf("month %q: want YYYY-MM", s)
		}
	}
	year, _ = strconv.Atoi(s[:4])
	month, _ = strconv.Atoi(s[5:])
	if year < 1 {
		return 0, 0, fmt.Errorf("month %q: year 0000 does not exist", s)
	}
	if month < 1 || month > 12 {
		return 0, 0, fmt.Errorf("month %q: month must be 01 to 12", s)
	}
	return year, month, nil
}

// docValidator collects rule violations. failed holds the paths Decode
// already reported: a problem at or under one of them, or depending on one,
// is a consequence and is dropped.
type docValidator struct {
	errs   Errors
	failed []string
	set    map[string]bool
}

// blocked reports whether path is, or lies under, a path that failed to
// decode. It checks the path's ancestors against a set, so the cost does not
// grow with the number of failures.
func (v *docValidator) blocked(path string) bool {
	if len(v.failed) == 0 {
		return false
	}
	if v.set == nil {
		v.set = make(map[string]bool, len(v.failed))
		for _, f := range v.failed {
			v.set[f] = true
		}
	}
	if v.set[path] {
		return true
	}
	for i := len(path) - 1; i > 0; i-- {
		if (path[i] == '.' || path[i] == '[') && v.set[path[:i]] {
			return true
		}
	}
	return false
}

// add records a problem at path unless it, or a path it depends on, failed
// to decode.
func (v *docValidator) add(path, msg string, deps ...string) {
	if v.blocked(path) {
		return
	}
	for _, d := range deps {
		if v.blocked(d) {
			return
		}
	}
	v.errs.add(path, msg)
}

// orList writes "a, b or c".
func orList(s []string) string {
	if len(s) == 1 {
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

// enum checks that a required value is one of allowed.
func (v *docValidator) enum(path, val string, allowed ...string) {
	switch {
	case val == "":
		v.add(path, "is required")
	case !slices.Contains(allowed, val):
		v.add(path, "must be "+orList(allowed))
	}
}

// text checks a required name of at most max characters.
func (v *docValidator) text(path, s string, max int) {
	switch {
	case strings.TrimSpace(s) == "":
		v.add(path, "is required")
	case utf8.RuneCountInString(s) > max:
		v.add(path, fmt.Sprintf("must be at most %d characters", max))
	}
}

// currency checks an ISO 4217 code.
func (v *docValidator) currency(path, code string) {
	if code == "" {
		v.add(path, "is required")
		return
	}
	if _, ok := MinorUnit(code); ok {
		return
	}
	if _, ok := MinorUnit(strings.ToUpper(code)); ok {
		v.add(path, fmt.Sprintf("must be upper case: %q", strings.ToUpper(code)))
		return
	}
	v.add(path, fmt.Sprintf("unknown currency %q: use an active ISO 4217 code such as USD, EUR or CNY", code))
}

var (
	valZero     = decimal.Zero
	valOne      = decimal.NewFromInt(1)
	valMinusOne = decimal.NewFromInt(-1)
)

// nonNegative checks x ≥ 0.
func (v *docValidator) nonNegative(path string, x decimal.Decimal) {
	if x.LessThan(valZero) {
		v.add(path, "must be ≥ 0")
	}
}

// positive checks x > 0.
func (v *docValidator) positive(path string, x decimal.Decimal) {
	if !x.GreaterThan(valZero) {
		v.add(path, "must be greater than 0")
	}
}

// fraction checks 0 ≤ x ≤ 1.
func (v *docValidator) fraction(path string, x decimal.Decimal) {
	if x.LessThan(valZero) || x.GreaterThan(valOne) {
		v.add(path, "must be between 0 and 1")
	}
}

// rate checks an annual rate of escalation or growth: > −1.
func (v *docValidator) rate(path string, x decimal.Decimal) {
	if !x.GreaterThan(valMinusOne) {
		v.add(path, "must be greater than -1")
	}
}

// document checks the evaluation.
func (v *docValidator) document(d *Document) {
	v.text("name", d.Name, maxNameRunes)
	if f := d.FiscalYearStart; f != nil && (*f < 1 || *f > 12) {
		v.add("fiscal_year_start", "must be a calendar month from 1 (January) to 12 (December)")
	}
	if m := d.Materiality; m != nil && (m.LessThan(valZero) || m.GreaterThan(maxMateriality)) {
		v.add("materiality", "must be between 0 and 0.1 (a share of the baseline's cost)")
	}
	v.currency("currency", d.Currency)
	if d.Start == "" {
		v.add("start", "is required")
	} else if _, _, err := ParseMonth(d.Start); err != nil {
		v.add("start", "must be a month written YYYY-MM, such as 2027-01")
	}
	hOK := d.HorizonMonths >= 1 && d.HorizonMonths <= maxHorizon
	if !hOK {
		v.add("horizon_months", fmt.Sprintf("must be between 1 and %d months", maxHorizon))
	}
	if d.DiscountRate.LessThan(valZero) {
		v.add("discount_rate", "must be ≥ 0")
	} else if !d.DiscountRate.LessThan(valOne) {
		v.add("discount_rate", "must be less than 1: it is an annual rate, 0.08 is 8%")
	}
	v.enum("timing", d.Timing, TimingEnd, TimingMid, TimingBegin)
	v.enum("escalation", d.Escalation, EscalationAnniversary, EscalationMonthly)
	v.volume(&d.Volume)
	keysOK := v.criteria(d.Criteria)
	v.price(&d.Price)

	switch {
	case len(d.Options) < 2:
		v.add("options", "must have at least 2 options: the baseline and one to compare with it")
	case len(d.Options) > maxOptions:
		v.add("options", fmt.Sprintf("must have at most %d options", maxOptions))
	}
	crit := make(map[string]int, len(d.Criteria))
	for i, c := range d.Criteria {
		if _, dup := crit[c.Key]; !dup {
			crit[c.Key] = i
		}
	}
	ids := make(map[string]int, len(d.Options))
	idPaths := []string{"options"}
	for i := range d.Options {
		idPaths = append(idPaths, indexPath("options", i)+".id")
		v.option(d, i, ids, crit, keysOK, hOK)
	}
	if d.Risk != nil {
		v.risk(d.Risk)
	}
	if d.Baseline == "" {
		v.add("baseline", "is required")
	} else if d.Option(d.Baseline) == nil {
		v.add("baseline", fmt.Sprintf("must name an option: no option has the id %q", d.Baseline), idPaths...)
	}
}

// volume checks the demand forecast.
func (v *docValidator) volume(vol *Volume) {
	if strings.TrimSpace(vol.Unit) == "" {
		v.add("volume.unit", "is required")
	}
	v.nonNegative("volume.monthly", vol.Monthly)
	v.rate("volume.growth", vol.Growth)
	if len(vol.Seasonality) != seasonalMonths {
		v.add("volume.seasonality", fmt.Sprintf("must have exactly %d values, January to December", seasonalMonths))
		return
	}
	for i, s := range vol.Seasonality {
		v.nonNegative(indexPath("volume.seasonality", i), s)
	}
}

// criteria checks the quality criteria. It reports whether every key is
// valid: when one is not, a score's key cannot be judged against them.
func (v *docValidator) criteria(cs []Criterion) (keysOK bool) {
	keysOK = true
	if len(cs) > maxCriteria {
		v.add("criteria", fmt.Sprintf("must have at most %d criteria", maxCriteria))
	}
	keys := make(map[string]int, len(cs))
	for i, c := range cs {
		p := indexPath("criteria", i)
		switch j, dup := keys[c.Key]; {
		case strings.TrimSpace(c.Key) == "":
			v.add(p+".key", "is required")
			keysOK = false
		case utf8.RuneCountInString(c.Key) > maxKeyRunes:
			v.add(p+".key", fmt.Sprintf("must be at most %d characters", maxKeyRunes))
			keysOK = false
		case dup:
			v.add(p+".key", fmt.Sprintf("duplicate key %q (also criteria[%d].key)", c.Key, j), indexPath("criteria", j)+".key")
			keysOK = false
		default:
			keys[c.Key] = i
		}
		v.text(p+".name", c.Name, maxNameRunes)
		v.positive(p+".weight", c.Weight)
		v.positive(p+".scale", c.Scale)
		if c.Minimum != nil {
			if c.Minimum.LessThan(valZero) {
				v.add(p+".minimum", "must be ≥ 0")
			} else if c.Scale.GreaterThan(valZero) && c.Minimum.GreaterThan(c.Scale) {
				v.add(p+".minimum", fmt.Sprintf("must be at most the scale (%s)", c.Scale), p+".scale")
			}
		}
	}
	return keysOK
}

// price checks the price scoring settings.
func (v *docValidator) price(p *Price) {
	v.fraction("price.weight", p.Weight)
	v.enum("price.basis", p.Basis, PriceBasisPV, PriceBasisTCO)
	v.enum("price.formula", p.Formula, FormulaAnchored, FormulaLowestRatio)
	if !p.FullAt.LessThan(p.ZeroAt) {
		v.add("price.full_at", fmt.Sprintf("must be less than zero_at (%s)", p.ZeroAt), "price.zero_at")
	}
}

// validID reports whether id is 1..64 of a-z, 0-9, - and _.
func validID(id string) bool {
	if len(id) < 1 || len(id) > 64 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// option checks option i: ids maps the ids seen so far to their index, crit
// maps criterion keys to theirs; keysOK says those keys are valid, so a
// score's key can be judged; hOK says the horizon is valid, so month ranges
// can be checked.
func (v *docValidator) option(d *Document, i int, ids, crit map[string]int, keysOK, hOK bool) {
	o := &d.Options[i]
	p := indexPath("options", i)
	switch j, dup := ids[o.ID]; {
	case o.ID == "":
		v.add(p+".id", "is required")
	case !validID(o.ID):
		v.add(p+".id", "must be 1 to 64 characters of a-z, 0-9, - and _")
	case dup:
		v.add(p+".id", fmt.Sprintf("duplicate id %q (also options[%d].id)", o.ID, j), indexPath("options", j)+".id")
	default:
		ids[o.ID] = i
	}
	v.text(p+".name", o.Name, maxNameRunes)
	if o.Kind != "" && o.Kind != KindInHouse && o.Kind != KindVendor && o.Kind != KindImprovement {
		v.add(p+".kind", "must be in_house, vendor or improvement, or left out")
	}
	v.fraction(p+".volume_share", o.VolumeShare)
	if len(o.Lines) > maxLines {
		v.add(p+".lines", fmt.Sprintf("must have at most %d lines per option", maxLines))
	}
	for j := range o.Lines {
		v.line(d, o, p, indexPath(p+".lines", j), &o.Lines[j], hOK)
	}
	if o.Pricing != nil {
		v.pricing(d, p+".pricing", o.Pricing, hOK)
	}
	keys := make([]string, 0, len(o.Scores))
	for k := range o.Scores {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var critPaths []string
	for _, k := range keys {
		sp := FieldPath(p+".scores", k)
		s := o.Scores[k]
		ci, ok := crit[k]
		if !ok {
			if !keysOK {
				continue
			}
			if critPaths == nil {
				critPaths = []string{"criteria"}
				for c := range d.Criteria {
					critPaths = append(critPaths, indexPath("criteria", c)+".key")
				}
			}
			v.add(sp, fmt.Sprintf("unknown criterion %q", k), critPaths...)
			continue
		}
		scale := d.Criteria[ci].Scale
		if s.LessThan(valZero) {
			v.add(sp, "must be ≥ 0")
		} else if scale.GreaterThan(valZero) && s.GreaterThan(scale) {
			v.add(sp, fmt.Sprintf("must be at most the criterion's scale (%s)", scale), indexPath("criteria", ci)+".scale")
		}
	}
}

// blockSpec checks that exactly one of block_size and capacity is given,
// and each is valid; where says on what ("on a per_block line").
func (v *docValidator) blockSpec(p string, size *decimal.Decimal, c *Capacity, where string) {
	switch {
	case size == nil && c == nil:
		v.add(p+".block_size", "is required "+where+" (or give capacity)", p+".capacity")
	case size != nil && c != nil:
		v.add(p+".capacity", "give block_size or capacity, not both", p+".block_size")
	}
	if size != nil {
		v.positive(p+".block_size", *size)
	}
	if c != nil {
		v.capacity(p+".capacity", c)
	}
}

// capacity checks staffing parameters.
func (v *docValidator) capacity(p string, c *Capacity) {
	v.positive(p+".aht_minutes", c.AHTMinutes)
	if !c.Occupancy.GreaterThan(valZero) || c.Occupancy.GreaterThan(valOne) {
		v.add(p+".occupancy", "must be greater than 0 and at most 1")
	}
	if c.Shrinkage.LessThan(valZero) || !c.Shrinkage.LessThan(valOne) {
		v.add(p+".shrinkage", "must be at least 0 and less than 1")
	}
	v.positive(p+".paid_hours", c.PaidHours)
	if c.ServiceLevel == nil {
		// the service-level fields mean nothing without a target: an
		// analyst who gave them expects them to count
		const why = "is only allowed with service_level (staffing to a service level, spec §8)"
		if c.OpenHours != nil {
			v.add(p+".open_hours", why)
		}
		if c.IntervalMinutes != 0 {
			v.add(p+".interval_minutes", why)
		}
		if c.Profile != nil {
			v.add(p+".profile", why)
		}
		return
	}
	sl := c.ServiceLevel
	if !sl.Target.GreaterThan(valZero) || !sl.Target.LessThan(valOne) {
		v.add(p+".service_level.target", "must be greater than 0 and less than 1 (0.8 is 80% of contacts answered in time)")
	}
	v.nonNegative(p+".service_level.seconds", sl.Seconds)
	switch {
	case c.OpenHours == nil:
		v.add(p+".open_hours", "is required with service_level: the hours a month the queue is open")
	case !c.OpenHours.GreaterThan(valZero):
		v.add(p+".open_hours", "must be greater than 0")
	}
	intervalOK := c.IntervalMinutes == 15 || c.IntervalMinutes == 30 || c.IntervalMinutes == 60
	if !intervalOK {
		v.add(p+".interval_minutes", "must be 15, 30 or 60")
	}
	pp := p + ".profile"
	switch k := len(c.Profile); {
	case k == 0:
		v.add(pp, "must have at least one weight (one interval a day)")
	case k > maxProfile:
		v.add(pp, fmt.Sprintf("must have at most %d weights", maxProfile))
	case intervalOK && k*c.IntervalMinutes > 24*60:
		v.add(pp, fmt.Sprintf("has %d intervals of %d minutes: more than a day (%d at most)", k, c.IntervalMinutes, 24*60/c.IntervalMinutes),
			p+".interval_minutes")
	}
	positive := false
	for i, w := range c.Profile {
		if w.Sign() < 0 {
			v.add(indexPath(pp, i), "must be ≥ 0")
		}
		positive = positive || w.Sign() > 0
	}
	if len(c.Profile) > 0 && !positive {
		v.add(pp, "must have at least one weight greater than 0: a queue that is open takes contacts in some interval")
	}
}

// line checks one cost line of option o at path p.
func (v *docValidator) line(d *Document, o *Option, op, p string, l *Line, hOK bool) {
	v.text(p+".name", l.Name, maxNameRunes)
	switch {
	case l.Category == "":
		v.add(p+".category", "is required")
	case l.Category == CategoryVendor:
		v.add(p+".category", "must be "+orList(LineCategories)+" (vendor is the invoice's own category)")
	case !slices.Contains(LineCategories, l.Category):
		v.add(p+".category", "must be "+orList(LineCategories))
	}
	v.enum(p+".basis", l.Basis, BasisFixed, BasisPerUnit, BasisPerBlock, BasisOneTime, BasisShareOfVendor)
	v.nonNegative(p+".amount", l.Amount)
	v.rate(p+".escalation", l.Escalation)
	if (l.Basis == BasisOneTime || l.Basis == BasisShareOfVendor) && !l.Escalation.IsZero() {
		v.add(p+".escalation", escalationNotAllowed(l.Basis))
	}
	if l.Basis == BasisPerBlock {
		v.blockSpec(p, l.BlockSize, l.Capacity, "on a per_block line")
	} else {
		if l.BlockSize != nil {
			v.add(p+".block_size", "is only allowed on a per_block line")
		}
		if l.Capacity != nil {
			v.add(p+".capacity", "is only allowed on a per_block line")
		}
	}
	h := d.HorizonMonths
	if l.Basis == BasisOneTime {
		switch {
		case l.Month == nil:
			v.add(p+".month", "is required on a one_time line: the month it falls in, 0 to the horizon")
		case hOK && (*l.Month < 0 || *l.Month > h):
			v.add(p+".month", fmt.Sprintf("must be between 0 and %d (the horizon)", h))
		}
		if l.FromMonth != nil {
			v.add(p+".from_month", "is not allowed on a one_time line: it falls in its month only")
		}
		if l.ToMonth != nil {
			v.add(p+".to_month", "is not allowed on a one_time line: it falls in its month only")
		}
	} else {
		if l.Month != nil {
			v.add(p+".month", "is only allowed on a one_time line (use from_month and to_month for a window)")
		}
		if hOK && l.FromMonth != nil && (*l.FromMonth < 1 || *l.FromMonth > h) {
			v.add(p+".from_month", fmt.Sprintf("must be between 1 and %d (the horizon)", h))
		}
		if hOK && l.ToMonth != nil && (*l.ToMonth < 1 || *l.ToMonth > h) {
			v.add(p+".to_month", fmt.Sprintf("must be between 1 and %d (the horizon)", h))
		} else if l.FromMonth != nil && l.ToMonth != nil && *l.ToMonth < *l.FromMonth {
			v.add(p+".to_month", fmt.Sprintf("must not be before from_month (%d)", *l.FromMonth), p+".from_month")
		}
	}
	if l.VolumeShare != nil {
		v.fraction(p+".volume_share", *l.VolumeShare)
	}
	if l.Basis == BasisShareOfVendor {
		if o.Pricing == nil {
			v.add(p+".basis", "share_of_vendor is only allowed on an option with pricing", op+".pricing")
		}
		if l.Amount.GreaterThan(valOne) {
			v.add(p+".amount", "must be a fraction of the invoice between 0 and 1 (0.05 is 5%)")
		}
	}
}

// pricing checks a vendor's invoice model at path p.
func (v *docValidator) pricing(d *Document, p string, pr *Pricing, hOK bool) {
	if pr.Currency != d.Currency { // the same code is judged at "currency"
		v.currency(p+".currency", pr.Currency)
	}
	if !pr.FXRate.GreaterThan(valZero) && pr.Currency != d.Currency && pr.Currency != "" {
		// Never defaulted (to 1 or anything): a left-out rate reaches a
		// Go-built document as 0 and is refused here with what it means.
		v.add(p+".fx_rate", fmt.Sprintf("is required when the quote's currency (%s) differs from the evaluation's (%s): %s per 1 %s, greater than 0",
			pr.Currency, d.Currency, d.Currency, pr.Currency))
	} else if !pr.FXRate.GreaterThan(valZero) {
		v.add(p+".fx_rate", "must be greater than 0")
	} else if pr.Currency == d.Currency && !pr.FXRate.Equal(valOne) {
		v.add(p+".fx_rate", fmt.Sprintf("must be 1 when the quote is in the evaluation's currency (%s)", d.Currency),
			"currency", p+".currency")
	}
	v.enum(p+".per", pr.Per, PricingPerUnit, PricingPerBlock)
	v.positive(p+".unit_factor", pr.UnitFactor)
	switch pr.Per {
	case PricingPerBlock:
		v.blockSpec(p, pr.BlockSize, pr.Capacity, "when per is block")
		if pr.UnitFactor.GreaterThan(valZero) && !pr.UnitFactor.Equal(valOne) {
			v.add(p+".unit_factor", "must be 1 when per is block: blocks are counted from demand")
		}
	case PricingPerUnit:
		if pr.BlockSize != nil {
			v.add(p+".block_size", "is only allowed when per is block")
		}
		if pr.Capacity != nil {
			v.add(p+".capacity", "is only allowed when per is block")
		}
	}
	tp := p + ".tiers"
	switch {
	case len(pr.Tiers) == 0:
		v.add(tp, "must have at least one tier")
	case len(pr.Tiers) > maxTiers:
		v.add(tp, fmt.Sprintf("must have at most %d tiers", maxTiers))
	}
	var prev *decimal.Decimal
	for k, t := range pr.Tiers {
		kp := indexPath(tp, k)
		if k == len(pr.Tiers)-1 {
			if t.UpTo != nil {
				v.add(kp+".up_to", "must be left out on the last tier: it has no upper bound")
			}
		} else {
			switch {
			case t.UpTo == nil:
				v.add(kp+".up_to", "is required on every tier but the last")
			case !t.UpTo.GreaterThan(valZero):
				v.add(kp+".up_to", "must be greater than 0")
			case prev != nil && !t.UpTo.GreaterThan(*prev):
				v.add(kp+".up_to", fmt.Sprintf("must be greater than the previous tier's up_to (%s)", prev.String()),
					indexPath(tp, k-1)+".up_to")
			}
			prev = t.UpTo
		}
		v.nonNegative(kp+".price", t.Price)
	}
	v.enum(p+".tier_mode", pr.TierMode, TierModeGraduated, TierModeAllUnits)
	v.nonNegative(p+".fixed_monthly", pr.FixedMonthly)
	v.nonNegative(p+".minimum_units", pr.MinimumUnits)
	v.nonNegative(p+".minimum_charge", pr.MinimumCharge)
	v.rate(p+".escalation", pr.Escalation)
	v.nonNegative(p+".setup_fee", pr.SetupFee)
	v.nonNegative(p+".exit_fee", pr.ExitFee)
	if hOK && (pr.FromMonth < 1 || pr.FromMonth > d.HorizonMonths) {
		v.add(p+".from_month", fmt.Sprintf("must be between 1 and %d (the horizon)", d.HorizonMonths))
	}
}

// Bounds of a risk block (spec §9).
const (
	MinRuns = 100
	MaxRuns = 20000
)

// maxMultiplier is the top of a driver's range (spec §9).
var maxMultiplier = decimal.NewFromInt(3)

// risk checks the Monte Carlo settings.
func (v *docValidator) risk(k *Risk) {
	if k.Runs < MinRuns || k.Runs > MaxRuns {
		v.add("risk.runs", fmt.Sprintf("must be a whole number from %d to %d", MinRuns, MaxRuns))
	}
	if k.Seed < 0 || k.Seed > maxSeed {
		v.add("risk.seed", "must be a whole number from 0 to 9007199254740991 (2^53 − 1)")
	}
	for _, dr := range k.Drivers.list() {
		if dr.t == nil {
			continue
		}
		p := "risk.drivers." + dr.name
		t := dr.t
		for _, f := range []struct {
			name string
			x    decimal.Decimal
		}{{"low", t.Low}, {"mode", t.Mode}, {"high", t.High}} {
			if f.x.LessThan(valZero) || f.x.GreaterThan(maxMultiplier) {
				v.add(p+"."+f.name, "must be a multiplier from 0 to 3 (1 is the document's own value)")
			}
		}
		if t.Mode.LessThan(t.Low) {
			v.add(p+".mode", fmt.Sprintf("must be at least low (%s)", t.Low), p+".low")
		}
		if t.High.LessThan(t.Mode) {
			v.add(p+".high", fmt.Sprintf("must be at least mode (%s)", t.Mode), p+".mode")
		} else if t.High.LessThan(t.Low) {
			v.add(p+".high", fmt.Sprintf("must be at least low (%s)", t.Low), p+".low")
		}
	}
}
