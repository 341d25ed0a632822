package tco

import (
	"fmt"
	"slices"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/report/words"
)

// The plausible ranges of values that are valid but most likely typed
// wrong (a 3 that a spreadsheet turned into 300%, a yearly volume typed as
// monthly, a price per hundred units). Outside them a stored write needs
// an explicit confirmation and a comparison warns; README.md has the table.
var (
	// MaxEscalation and MinEscalation bound an annual price or cost escalation.
	MaxEscalation = decimal.RequireFromString("0.25")
	MinEscalation = decimal.RequireFromString("-0.10")
	// MaxDemand is the highest base demand a month, in units.
	MaxDemand = decimal.NewFromInt(1_000_000_000)
	// MaxGrowth is the highest annual demand growth.
	MaxGrowth = decimal.NewFromInt(1)
	// PriceRatio: a unit price more than PriceRatio times, or under
	// 1/PriceRatio of, the median of the other quotes in the same unit.
	PriceRatio = decimal.NewFromInt(10)
	// FXDeviation: a rate more than this share away from the median rate of
	// the other quotes in the same currency.
	FXDeviation = decimal.RequireFromString("0.5")
)

// MaxPlausibleHorizon is the longest plausible horizon, in months (20
// years; the engine accepts up to 600).
const MaxPlausibleHorizon = 240

// Finding codes: what kind of implausible value a Finding is.
const (
	FindingEscalation = "escalation"
	FindingFXRateOne  = "fx_rate_one"
	FindingFXRateFar  = "fx_rate_far"
	FindingDemand     = "demand"
	FindingGrowth     = "growth"
	FindingUnitPrice  = "unit_price"
	FindingHorizon    = "horizon"
)

// Finding is one value that is valid but implausible, at its document path,
// with a message that says what was found and why it looks wrong.
type Finding struct {
	Path    string `json:"path"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Findings is every implausible value of a document, in document order.
type Findings []Finding

// Errors returns the findings as field problems (for a 422 body or a form).
func (fs Findings) Errors() Errors {
	out := make(Errors, len(fs))
	for i, f := range fs {
		out[i] = FieldError{Path: f.Path, Message: f.Message}
	}
	return out
}

// Warnings returns the findings as a comparison's warnings: "path: message".
func (fs Findings) Warnings() []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Path + ": " + f.Message
	}
	return out
}

// Implausible returns every value of d outside its plausible range (the
// variables above), each at its JSON path. It never fails: a value that is
// missing or invalid (Validate's business) is skipped, so it may run on any
// document, valid or not. It is the one check behind the confirmation of
// stored writes and the warnings of a comparison.
func Implausible(d *Document) Findings {
	if d == nil {
		return nil
	}
	var fs Findings
	add := func(path, code, msg string) { fs = append(fs, Finding{Path: path, Code: code, Message: msg}) }
	if d.HorizonMonths > MaxPlausibleHorizon {
		add("horizon_months", FindingHorizon, fmt.Sprintf(
			"a horizon of %d months (%s years) is longer than %d months (%d years): outsourcing contracts and the forecasts behind them rarely run that long; was a number of days or years meant?",
			d.HorizonMonths, decimal.NewFromInt(int64(d.HorizonMonths)).DivRound(decimal.NewFromInt(12), 1).String(),
			MaxPlausibleHorizon, MaxPlausibleHorizon/12))
	}
	unit := words.Plural(d.Volume.Unit)
	if d.Volume.Monthly.GreaterThan(MaxDemand) {
		add("volume.monthly", FindingDemand, fmt.Sprintf(
			"a demand of %s %s a month is more than %s: check the unit and that a yearly figure or a misplaced decimal point did not slip in",
			words.Group(d.Volume.Monthly.String()), unit, words.Group(MaxDemand.String())))
	}
	if d.Volume.Growth.GreaterThan(MaxGrowth) {
		add("volume.growth", FindingGrowth, fmt.Sprintf(
			"demand growth of %s a year is more than %s: a rate is a fraction (0.05 is 5%%), and a spreadsheet turns a typed 3 into 300%%",
			percent(d.Volume.Growth), percent(MaxGrowth)))
	}
	for i := range d.Options {
		o := &d.Options[i]
		op := indexPath("options", i)
		for k := range o.Lines {
			l := &o.Lines[k]
			if l.Basis == BasisOneTime || l.Basis == BasisShareOfVendor {
				continue // not escalated: Validate refuses a rate there
			}
			escalationFinding(add, indexPath(op+".lines", k)+".escalation", "the line "+quoteName(l.Name), l.Escalation)
		}
		if p := o.Pricing; p != nil {
			escalationFinding(add, op+".pricing.escalation", "the price", p.Escalation)
			if d.Currency != "" && p.Currency != d.Currency && p.FXRate.Equal(decimal.NewFromInt(1)) {
				add(op+".pricing.fx_rate", FindingFXRateOne, fmt.Sprintf(
					"an exchange rate of exactly 1 between %s and %s: that is the prefilled or default value, rarely a real rate; enter %s per 1 %s",
					p.Currency, d.Currency, d.Currency, p.Currency))
			}
		}
	}
	fxFindings(d, add)
	priceFindings(d, add, unit)
	return fs
}

// escalationFinding checks one annual escalation rate.
func escalationFinding(add func(path, code, msg string), path, what string, e decimal.Decimal) {
	switch {
	case e.GreaterThan(MaxEscalation):
		add(path, FindingEscalation, fmt.Sprintf(
			"an escalation of %s a year for %s is more than %s: a rate is a fraction (0.03 is 3%%), and a spreadsheet turns a typed 3 into 300%%",
			percent(e), what, percent(MaxEscalation)))
	case e.LessThan(MinEscalation):
		add(path, FindingEscalation, fmt.Sprintf(
			"an escalation of %s a year for %s is a fall of more than %s a year: prices and wages seldom fall that fast; check the sign and that the rate is a fraction (0.03 is 3%%)",
			percent(e), what, percent(MinEscalation.Neg())))
	}
}

// fxFindings compares each quote's rate with the median rate of the other
// quotes in the same currency.
func fxFindings(d *Document, add func(path, code, msg string)) {
	rates := map[string][]int{} // currency → options quoting in it
	for i := range d.Options {
		p := d.Options[i].Pricing
		if p == nil || p.Currency == d.Currency || !p.FXRate.IsPositive() {
			continue
		}
		rates[p.Currency] = append(rates[p.Currency], i)
	}
	for cur, idx := range rates {
		for _, i := range idx {
			var others []decimal.Decimal
			for _, j := range idx {
				if j != i {
					others = append(others, d.Options[j].Pricing.FXRate)
				}
			}
			if len(others) == 0 {
				continue
			}
			m := median(others)
			r := d.Options[i].Pricing.FXRate
			lo, hi := m.Mul(decimal.NewFromInt(1).Sub(FXDeviation)), m.Mul(decimal.NewFromInt(1).Add(FXDeviation))
			if r.GreaterThanOrEqual(lo) && r.LessThanOrEqual(hi) {
				continue
			}
			add(indexPath("options", i)+".pricing.fx_rate", FindingFXRateFar, fmt.Sprintf(
				"an exchange rate of %s %s per 1 %s is more than %s away from the %s the other quotes in %s use (their median): check that it is not the inverse rate (1 / %s = %s)",
				r.String(), d.Currency, cur, percent(FXDeviation), m.String(), cur, r.String(), decimal.NewFromInt(1).DivRound(r, 4).String()))
		}
	}
}

// priceFindings compares each quote's unit price with the median of the
// other quotes billed in the same unit (the same per and unit_factor), all
// in the evaluation's currency. A quote's unit price is the price of the
// tier that the forecast's base monthly volume falls in; quotes priced at
// 0 (a fixed fee only) are left out.
func priceFindings(d *Document, add func(path, code, msg string), unit string) {
	type quote struct {
		opt, tier int
		price     decimal.Decimal // in the evaluation currency
	}
	groups := map[string][]quote{}
	var keys []string
	for i := range d.Options {
		o := &d.Options[i]
		p := o.Pricing
		if p == nil || len(p.Tiers) == 0 || !p.FXRate.IsPositive() {
			continue
		}
		k := tierAt(p, billed(d, o, p))
		price := p.Tiers[k].Price.Mul(p.FXRate)
		if !price.IsPositive() {
			continue
		}
		key := p.Per + " " + p.UnitFactor.String()
		if _, ok := groups[key]; !ok {
			keys = append(keys, key)
		}
		groups[key] = append(groups[key], quote{opt: i, tier: k, price: price})
	}
	for _, key := range keys {
		qs := groups[key]
		for _, q := range qs {
			var others []decimal.Decimal
			for _, o := range qs {
				if o.opt != q.opt {
					others = append(others, o.price)
				}
			}
			if len(others) == 0 {
				continue
			}
			m := median(others)
			ratio := q.price.Div(m)
			var how string
			switch {
			case ratio.GreaterThan(PriceRatio):
				how = fmt.Sprintf("%s× the median", ratio.Round(1).String())
			case ratio.LessThan(decimal.NewFromInt(1).Div(PriceRatio)):
				how = fmt.Sprintf("1/%s of the median", decimal.NewFromInt(1).Div(ratio).Round(1).String())
			default:
				continue
			}
			p := d.Options[q.opt].Pricing
			per := "per " + words.Singular(unit)
			if p.Per == PricingPerBlock {
				per = "per person-month"
			} else if !p.UnitFactor.Equal(decimal.NewFromInt(1)) {
				per = fmt.Sprintf("per billed unit (%s per %s)", p.UnitFactor.String(), words.Singular(unit))
			}
			add(fmt.Sprintf("options[%d].pricing.tiers[%d].price", q.opt, q.tier), FindingUnitPrice, fmt.Sprintf(
				"a price of %s %s %s is %s of the other quotes priced the same way (%s %s): check the decimal point, the currency and the unit",
				q.price.String(), d.Currency, per, how, m.Round(4).String(), d.Currency))
		}
	}
}

// billed is the quantity a quote bills in a month of base demand, before
// minimums: units × unit_factor, or people when priced per block.
func billed(d *Document, o *Option, p *Pricing) decimal.Decimal {
	u := d.Volume.Monthly.Mul(o.VolumeShare)
	if p.Per != PricingPerBlock {
		return u.Mul(p.UnitFactor)
	}
	var block decimal.Decimal
	switch {
	case p.BlockSize != nil:
		block = *p.BlockSize
	case p.Capacity != nil && p.Capacity.AHTMinutes.IsPositive():
		block = p.Capacity.Block()
	}
	if !block.IsPositive() {
		return decimal.Zero
	}
	return u.DivRound(block, 16).Ceil()
}

// tierAt is the index of the tier that q billed units fall in.
func tierAt(p *Pricing, q decimal.Decimal) int {
	for k, t := range p.Tiers {
		if t.UpTo == nil || q.LessThanOrEqual(*t.UpTo) {
			return k
		}
	}
	return len(p.Tiers) - 1
}

// median of a non-empty list: the middle value, or the mean of the two.
func median(xs []decimal.Decimal) decimal.Decimal {
	s := slices.Clone(xs)
	slices.SortFunc(s, func(a, b decimal.Decimal) int { return a.Cmp(b) })
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return s[n/2-1].Add(s[n/2]).Div(decimal.NewFromInt(2))
}

// percent writes a rate as a percentage: 0.25 → "25%", -0.1 → "-10%".
func percent(r decimal.Decimal) string { return r.Mul(hundred).String() + "%" }

// quoteName is a line's name for a message, quoted.
func quoteName(n string) string { return `"` + n + `"` }
