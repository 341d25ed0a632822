package sheet

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/tco"
)

// val is one answer as written, trimmed, with where it came from.
type val struct {
	s  string
	at loc
}

// rawLine is one cost line's cells.
type rawLine [lineColumns]val

// rawTier is one tier row.
type rawTier struct{ upTo, price val }

// rawScore is one quality answer.
type rawScore struct{ key, score val }

// rawBid is a bid as read from a form or a CSV, before any value is
// interpreted: both readers fill it, and build turns it into an option.
type rawBid struct {
	fromSheet bool           // values are stored spreadsheet values
	sep       rune           // a CSV's separator: ';' means a decimal comma
	fields    map[string]val // pricing keys, vendor_name included
	capacity  map[string]val // per-FTE figures (capacityFields), when given
	tiers     []rawTier
	lines     []rawLine
	scores    []rawScore
	tierAt    loc // where the tier table is, for "must have at least one tier"
	linesAt   loc
	errs      Errors // problems found while reading
}

func newRawBid(fromSheet bool) *rawBid {
	return &rawBid{fromSheet: fromSheet, sep: ',', fields: map[string]val{}, capacity: map[string]val{}}
}

// builder turns a rawBid into an option, recording every problem and, for
// every engine path it sets, the place it came from.
type builder struct {
	raw  *rawBid
	doc  *tco.Document
	errs Errors
	locs map[string]loc // option-relative engine path → place
	bad  map[loc]bool   // places that already have a problem
	vals map[loc]string // every value read, by place, to quote in messages
}

// fail records a problem at a place, quoting the value found there.
func (b *builder) fail(at loc, msg string) {
	if v := b.vals[at]; v != "" && !strings.Contains(msg, "(found ") {
		msg += found(v)
	}
	b.errs = append(b.errs, at.problem(msg))
	b.bad[at] = true
}

// index records every value of raw by its place.
func (b *builder) index() {
	add := func(v val) {
		if v.at != (loc{}) {
			b.vals[v.at] = v.s
		}
	}
	for _, v := range b.raw.fields {
		add(v)
	}
	for _, v := range b.raw.capacity {
		add(v)
	}
	for _, t := range b.raw.tiers {
		add(t.upTo)
		add(t.price)
	}
	for _, l := range b.raw.lines {
		for _, v := range l {
			add(v)
		}
	}
	for _, s := range b.raw.scores {
		add(s.key)
		add(s.score)
	}
}

// number reads an optional number; ok is false when blank or wrong.
func (b *builder) number(v val, path string) (decimal.Decimal, bool) {
	b.locs[path] = v.at
	if v.s == "" {
		return decimal.Zero, false
	}
	s, msg := v.s, ""
	if !b.raw.fromSheet {
		s, msg = localNumber(s, b.raw.sep)
	}
	var d decimal.Decimal
	if msg == "" {
		d, msg = parseNumber(s, b.raw.fromSheet)
	}
	if msg != "" {
		b.fail(v.at, msg)
		return decimal.Zero, false
	}
	return d, true
}

// numberOr reads an optional number with a default.
func (b *builder) numberOr(v val, path string, def decimal.Decimal) decimal.Decimal {
	if d, ok := b.number(v, path); ok {
		return d
	}
	return def
}

// month reads an optional whole month.
func (b *builder) month(v val, path string) *int {
	b.locs[path] = v.at
	if v.s == "" {
		return nil
	}
	if msg, ok := dateMessage(v.s, b.raw.fromSheet, b.doc); ok {
		b.fail(v.at, msg)
		return nil
	}
	s, msg := v.s, ""
	if !b.raw.fromSheet {
		s, msg = localNumber(s, b.raw.sep)
	}
	var m int
	if msg == "" {
		m, msg = parseWhole(s, b.raw.fromSheet)
	}
	if msg != "" {
		b.fail(v.at, msg)
		return nil
	}
	return &m
}

var one = decimal.NewFromInt(1)

// build interprets the raw bid for document d. It returns the option and
// every problem: its own (values that are not numbers, missing names) and the
// engine's validation of d with the option added, mapped back to places.
func build(raw *rawBid, d *tco.Document) (*tco.Option, error) {
	b := &builder{raw: raw, doc: d, locs: map[string]loc{}, bad: map[loc]bool{}, vals: map[loc]string{}}
	b.index()
	for _, p := range raw.errs {
		b.errs = append(b.errs, p)
		b.bad[loc{p.Sheet, p.Row, p.Column}] = true
	}
	f := raw.fields
	name := f["vendor_name"]
	b.locs["id"], b.locs["name"] = name.at, name.at
	if strings.ContainsFunc(name.s, unicode.IsControl) {
		b.fail(name.at, "must not contain control characters")
	}
	o := &tco.Option{
		ID: tco.Slug(name.s, "vendor", func(id string) bool { return d.Option(id) != nil }), Name: name.s, Kind: tco.KindVendor,
		VolumeShare: one, Scores: map[string]decimal.Decimal{}, Lines: []tco.Line{},
	}
	b.locs["volume_share"], b.locs["kind"] = name.at, name.at

	p := &tco.Pricing{
		Currency: strings.ToUpper(f["currency"].s),
		Per:      keyword(f["per"].s), TierMode: keyword(f["tier_mode"].s),
		FromMonth: 1,
	}
	b.locs["pricing"] = f["vendor_name"].at
	for _, k := range []string{"currency", "per", "tier_mode"} {
		b.locs["pricing."+k] = f[k].at
	}
	if p.Currency == "" {
		p.Currency = d.Currency
	}
	if p.Per == "" {
		p.Per = tco.PricingPerUnit
	}
	if p.TierMode == "" {
		p.TierMode = tco.TierModeGraduated
	}
	// A blank rate is 1 only for a quote in the evaluation's currency; in
	// another it is never guessed, and validation asks for it at its cell.
	fx := decimal.Zero
	if p.Currency == d.Currency {
		fx = one
	}
	p.FXRate = b.numberOr(f["fx_rate"], "pricing.fx_rate", fx)
	p.UnitFactor = b.numberOr(f["unit_factor"], "pricing.unit_factor", one)
	if bs, ok := b.number(f["block_size"], "pricing.block_size"); ok {
		p.BlockSize = &bs
	}
	b.locs["pricing.capacity"] = f["block_size"].at
	b.perFTE(p)
	p.FixedMonthly = b.numberOr(f["fixed_monthly"], "pricing.fixed_monthly", decimal.Zero)
	p.MinimumUnits = b.numberOr(f["minimum_units"], "pricing.minimum_units", decimal.Zero)
	p.MinimumCharge = b.numberOr(f["minimum_charge"], "pricing.minimum_charge", decimal.Zero)
	p.Escalation = b.numberOr(f["escalation"], "pricing.escalation", decimal.Zero)
	p.SetupFee = b.numberOr(f["setup_fee"], "pricing.setup_fee", decimal.Zero)
	p.ExitFee = b.numberOr(f["exit_fee"], "pricing.exit_fee", decimal.Zero)
	if m := b.month(f["from_month"], "pricing.from_month"); m != nil {
		p.FromMonth = *m
	}
	b.locs["pricing.tiers"] = raw.tierAt
	p.Tiers = []tco.Tier{}
	for _, t := range raw.tiers {
		k := len(p.Tiers)
		tp := "pricing.tiers[" + strconv.Itoa(k) + "]"
		if k == 0 {
			b.locs["pricing.tiers"] = t.price.at
		}
		var tier tco.Tier
		if u, ok := b.number(t.upTo, tp+".up_to"); ok {
			tier.UpTo = &u
		} else if t.upTo.s != "" {
			// unreadable bound: keep a placeholder so later tiers are not
			// blamed for a missing one
			z := decimal.Zero
			tier.UpTo = &z
		}
		if t.price.s == "" {
			b.locs[tp+".price"] = t.price.at
			b.fail(t.price.at, "the tier's price is required")
		} else {
			tier.Price = b.numberOr(t.price, tp+".price", decimal.Zero)
		}
		p.Tiers = append(p.Tiers, tier)
	}
	o.Pricing = p

	b.locs["lines"] = raw.linesAt
	for _, l := range raw.lines {
		j := len(o.Lines)
		lp := "lines[" + strconv.Itoa(j) + "]"
		for c := range lineColumns {
			b.locs[lp+"."+lineKeys[c]] = l[c].at
		}
		b.locs[lp] = l[lineName].at
		b.locs[lp+".capacity"] = l[lineBlockSize].at
		b.locs[lp+".volume_share"] = l[lineName].at
		line := tco.Line{Name: l[lineName].s, Category: keyword(l[lineCategory].s), Basis: keyword(l[lineBasis].s)}
		switch {
		case line.Name == "":
			b.fail(l[lineName].at, "the line's name is required")
			line.Name = "line " + strconv.Itoa(j+1)
		case strings.ContainsFunc(line.Name, unicode.IsControl):
			b.fail(l[lineName].at, "must not contain control characters")
		}
		if l[lineAmount].s == "" {
			b.fail(l[lineAmount].at, "the line's amount is required")
		}
		line.Amount = b.numberOr(l[lineAmount], lp+".amount", decimal.Zero)
		line.Month = b.month(l[lineMonth], lp+".month")
		line.FromMonth = b.month(l[lineFrom], lp+".from_month")
		line.ToMonth = b.month(l[lineTo], lp+".to_month")
		line.Escalation = b.numberOr(l[lineEscalation], lp+".escalation", decimal.Zero)
		if bs, ok := b.number(l[lineBlockSize], lp+".block_size"); ok {
			line.BlockSize = &bs
		}
		o.Lines = append(o.Lines, line)
	}

	seen := map[string]loc{}
	for _, s := range raw.scores {
		key := s.key.s
		if key == "" || s.score.s == "" {
			continue
		}
		path := scorePath(key)
		if first, dup := seen[key]; dup {
			b.fail(s.key.at, fmt.Sprintf("criterion %q is scored twice (also %s)", key, first.problem("").Where()))
			continue
		}
		seen[key] = s.key.at
		b.locs[path] = s.score.at
		if v, ok := b.number(s.score, path); ok {
			o.Scores[key] = v
		}
	}

	// The engine's rules, on the evaluation with this bid added.
	cp := *d
	cp.Options = append(slices.Clone(d.Options), *o)
	prefix := "options[" + strconv.Itoa(len(d.Options)) + "]"
	if err := cp.Validate(); err != nil {
		var te tco.Errors
		if !errors.As(err, &te) {
			return nil, fmt.Errorf("validate bid: %w", err)
		}
		for _, fe := range te {
			b.engineProblem(prefix, fe)
		}
	}
	if len(b.errs) > 0 {
		return nil, b.errs.sort()
	}
	return o, nil
}

// engineProblem maps one engine problem to the place its value came from:
// the exact path, else its nearest parent that has a place. A problem of
// the evaluation itself is reported without a place.
func (b *builder) engineProblem(prefix string, fe tco.FieldError) {
	rel, ok := strings.CutPrefix(fe.Path, prefix)
	fe.Message = pageWords.Replace(fe.Message)
	if !ok || (rel != "" && rel[0] != '.' && rel[0] != '[') {
		// a rule of the evaluation as a whole (too many options, say)
		b.errs = append(b.errs, Problem{Message: "the evaluation with this bid: " + fe.Message})
		return
	}
	rel = strings.TrimPrefix(rel, ".")
	for path := rel; ; {
		if at, ok := b.locs[path]; ok {
			if at == (loc{}) { // a CSV key that was left out: name it
				b.errs = append(b.errs, Problem{Message: csvName(rel) + ": " + fe.Message})
				return
			}
			if !b.bad[at] { // one problem a place: the first says what to fix
				b.fail(at, fe.Message)
			}
			return
		}
		i := strings.LastIndexAny(path, ".[")
		if i <= 0 {
			break
		}
		path = path[:i]
	}
	b.errs = append(b.errs, Problem{Message: formWords(rel) + ": " + fe.Message})
}

// scorePath is the engine's path of a score under an option, quoted as the
// engine quotes keys that are not plain.
func scorePath(key string) string {
	for _, c := range key {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return "scores[" + strconv.Quote(key) + "]"
		}
	}
	return "scores." + key
}

// csvName names an option-relative engine path as the CSV writes it:
// "pricing.fx_rate" is "pricing,fx_rate".
func csvName(path string) string {
	if path == "id" || path == "name" {
		return "pricing,vendor_name"
	}
	if k, ok := strings.CutPrefix(path, "pricing."); ok && !strings.ContainsAny(k, ".[") {
		return "pricing," + k
	}
	return path
}

// perFTE staffs a per-FTE bid (per block, no block size) to the buyer's
// service level (tco.BuyerStaffing) with the vendor's figures: the buyer's
// values govern, so the service level, open hours, interval and profile
// are the evaluation's, never the form's. Without a buyer's service level,
// or with a block size, the figures are not used.
func (b *builder) perFTE(p *tco.Pricing) {
	buyer := tco.BuyerStaffing(b.doc)
	if buyer == nil || p.Per != tco.PricingPerBlock || p.BlockSize != nil {
		return
	}
	given := false
	for _, v := range b.raw.capacity {
		given = given || v.s != ""
	}
	if !given {
		return // validation asks for a block size or a capacity
	}
	var c tco.Capacity
	for _, fl := range capacityFields {
		v := b.raw.capacity[fl.key]
		path := "pricing.capacity." + fl.key
		if v.s == "" {
			b.locs[path] = v.at
			if v.at != (loc{}) {
				b.fail(v.at, "is required to price per FTE")
			} else {
				b.errs = append(b.errs, Problem{Message: "capacity," + fl.key + ": is required to price per FTE"})
			}
			continue
		}
		x := b.numberOr(v, path, decimal.Zero)
		switch fl.key {
		case "aht_minutes":
			c.AHTMinutes = x
		case "occupancy":
			c.Occupancy = x
		case "shrinkage":
			c.Shrinkage = x
		case "paid_hours":
			c.PaidHours = x
		}
	}
	c = c.WithServiceLevel(buyer)
	p.Capacity = &c
}
