package ui

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"vendorcompare/internal/evaluation"
	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
	"vendorcompare/internal/web/edge"
)

// wsOptionPage is the data of templates/workspace_option.html: one
// option's quote, cost lines, staffing helper and rounds.
type wsOptionPage struct {
	*wsBase
	Option      *store.Option
	IsBaseline  bool
	HasPricing  bool
	Quote       *form // option fields and pricing
	Tiers       []wsTierRow
	VendorName  string
	Vendors     []choice
	NewVendor   *form
	Groups      []wsLineGroup
	Line        *form // add or edit a cost line
	LineID      int64 // the line being edited, 0 for a new one
	Staff       *wsStaffing
	Rounds      []wsRoundRow
	RoundsNote  string
	Round       *form  // the new-round form, or the round being edited
	RoundID     int64  // the round being edited, 0 for a new one
	RoundSeq    int    // … and its number
	RoundDanger *form  // why a round was not deleted
	Danger      *form  // problems of a delete
	Share       string // the option's volume share, in words

	Kinds, Pers, TierModes, Categories, LineBases, Labels, Currencies []choice
}

// BlankTier is the tier row the page's JavaScript copies to add a tier
// (it numbers the row and its ids).
func (p *wsOptionPage) BlankTier() wsTierRow {
	return wsTierRow{UpToID: "f-tier-new-up_to", PriceID: "f-tier-new-price", RowHeadID: "tier-new"}
}

// wsTierRow is one row of the tier table as typed.
type wsTierRow struct {
	N                          int
	UpTo, Price                string
	UpToError, PriceError      string
	UpToID, PriceID, RowHeadID string
}

// wsLineGroup is the cost lines of one category.
type wsLineGroup struct {
	Category string
	Label    string
	Lines    []wsLineRow
}

// wsLineRow is one cost line in the table.
type wsLineRow struct {
	store.Line
	Amount  string // in the currency, or a share of the invoice
	Basis   string // in words
	Details []string
	Editing bool
}

// wsRoundRow is one round in the history.
type wsRoundRow struct {
	store.Round
	Current bool
	Cost    *evaluation.RoundCost // nil when the evaluation cannot be compared
}

// wsOptionForms are the forms of the option page after a failed POST; nil
// ones show their stored or default values.
type wsOptionForms struct {
	Quote     *form
	Tiers     []wsTierRow
	Line      *form
	LineID    int64
	NewVendor *form
	Round     *form
	RoundID   int64
	// RoundDanger is the refusal of a round's delete.
	RoundDanger *form
	Danger      *form
}

// lineBases are the bases a cost line may have, in words.
var lineBases = []choice{
	{tco.BasisFixed, "Fixed per month"}, {tco.BasisPerUnit, "Per unit of volume"},
	{tco.BasisPerBlock, "Per block (people, seats)"}, {tco.BasisOneTime, "One time"},
	{tco.BasisShareOfVendor, "Share of the vendor invoice"},
}

// lineCategories are the categories a cost line may have, in words.
var lineCategories = []choice{
	{tco.CategoryPersonnel, "Personnel"}, {tco.CategoryTechnology, "Technology"},
	{tco.CategoryOperations, "Operations"}, {tco.CategoryExternal, "External"},
}

// roundLabels are the labels of a quote round.
var roundLabels = []choice{{store.LabelRevised, "Revised offer"}, {store.LabelBestAndFinal, "Best and final offer"}, {store.LabelInitial, "Initial offer"}}

// basisLabel is a line basis in words.
func basisLabel(b string) string {
	for _, c := range lineBases {
		if c.Value == b {
			return c.Label
		}
	}
	return b
}

// wsLoadOption reads the option in the path; an option of another
// evaluation is not found.
func (u *Handlers) wsLoadOption(c echo.Context) (*wsBase, *store.Option, error) {
	oid, err := edge.ID(c, "option")
	if err != nil {
		return nil, nil, err
	}
	b, err := u.wsLoad(c, "option-"+strconv.FormatInt(oid, 10))
	if err != nil {
		return nil, nil, err
	}
	i := optionIndex(b.Options, oid)
	if i < 0 {
		return nil, nil, store.ErrNotFound
	}
	return b, &b.Options[i], nil
}

// OptionURL is the option page's path.
func OptionURL(evalID, optionID int64) string {
	return fmt.Sprintf("/evaluations/%d/workspace/options/%d", evalID, optionID)
}

// Option shows one option: GET /evaluations/:id/workspace/options/:option.
// ?line=ID opens a line in the line form; ?st_…= runs the staffing helper
// and ?use_staffing=1 copies its capacity into the line form.
func (u *Handlers) Option(c echo.Context) error {
	b, o, err := u.wsLoadOption(c)
	if err != nil {
		return err
	}
	fs := wsOptionForms{}
	if lid, _ := strconv.ParseInt(c.QueryParam("line"), 10, 64); lid > 0 {
		for _, l := range o.Lines {
			if l.ID == lid {
				fs.Line, fs.LineID = newForm(LineValues(l)), l.ID
			}
		}
		if fs.Line == nil {
			return store.ErrNotFound
		}
	}
	if rid, _ := strconv.ParseInt(c.QueryParam("round"), 10, 64); rid > 0 {
		r, err := u.store.GetRound(c.Request().Context(), rid)
		if errors.Is(err, store.ErrNotFound) || err == nil && r.OptionID != o.ID {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		fs.Round, fs.RoundID = newForm(roundValues(r)), r.ID
	}
	return u.wsShowOption(c, http.StatusOK, b, o, fs)
}

// roundValues fills the round form with a stored round.
func roundValues(r *store.Round) url.Values {
	return url.Values{"r_label": {r.Label}, "r_received": {r.Received}, "r_notes": {r.Notes},
		"version": {strconv.FormatInt(r.Version, 10)}}
}

// QuoteValues fills the quote form with the stored option.
func QuoteValues(o *store.Option, cur string) url.Values {
	v := url.Values{"name": {o.Name}, "slug": {o.Slug}, "kind": {o.Kind}, "volume_share": {o.VolumeShare.String()},
		"version": {strconv.FormatInt(o.Version, 10)}}
	if o.VendorID != nil {
		v.Set("vendor_id", strconv.FormatInt(*o.VendorID, 10))
	}
	p := o.Pricing
	if p == nil {
		p = &tco.Pricing{Currency: cur, FXRate: decimal.NewFromInt(1), Per: tco.PricingPerUnit, UnitFactor: decimal.NewFromInt(1),
			TierMode: tco.TierModeGraduated, FromMonth: 1}
	}
	v.Set("p_currency", p.Currency)
	v.Set("p_fx_rate", p.FXRate.String())
	v.Set("p_per", p.Per)
	v.Set("p_unit_factor", p.UnitFactor.String())
	v.Set("p_block_size", decString(p.BlockSize))
	if c := p.Capacity; c != nil {
		v.Set("p_cap_aht_minutes", c.AHTMinutes.String())
		v.Set("p_cap_occupancy", c.Occupancy.String())
		v.Set("p_cap_shrinkage", c.Shrinkage.String())
		v.Set("p_cap_paid_hours", c.PaidHours.String())
	}
	v.Set("p_tier_mode", p.TierMode)
	for name, d := range map[string]decimal.Decimal{"p_fixed_monthly": p.FixedMonthly, "p_minimum_units": p.MinimumUnits,
		"p_minimum_charge": p.MinimumCharge, "p_escalation": p.Escalation, "p_setup_fee": p.SetupFee, "p_exit_fee": p.ExitFee} {
		v.Set(name, d.String())
	}
	v.Set("p_from_month", strconv.Itoa(max(p.FromMonth, 1)))
	return v
}

// tierRows makes the tier table from typed or stored values, with
// blank rows to add more without JavaScript.
func tierRows(upTo, price []string, errs map[string]string, blank int) []wsTierRow {
	var rows []wsTierRow
	for i := range max(len(upTo), len(price)) {
		var up, pr string
		if i < len(upTo) {
			up = upTo[i]
		}
		if i < len(price) {
			pr = price[i]
		}
		rows = append(rows, wsTierRow{UpTo: up, Price: pr})
	}
	for range blank {
		rows = append(rows, wsTierRow{})
	}
	for i := range rows {
		r := &rows[i]
		r.N = i + 1
		r.UpToID, r.PriceID, r.RowHeadID = fmt.Sprintf("f-tier-%d-up_to", i), fmt.Sprintf("f-tier-%d-price", i), fmt.Sprintf("tier-%d", i)
		r.UpToError, r.PriceError = errs[fmt.Sprintf("tier_up_to.%d", i)], errs[fmt.Sprintf("tier_price.%d", i)]
	}
	return rows
}

// LineValues fills the line form with a stored line.
func LineValues(l store.Line) url.Values {
	v := url.Values{"l_name": {l.Name}, "l_category": {l.Category}, "l_basis": {l.Basis}, "l_amount": {l.Amount.String()},
		"l_escalation": {l.Escalation.String()}, "l_block_size": {decString(l.BlockSize)},
		"l_month": {intString(l.Month)}, "l_from_month": {intString(l.FromMonth)}, "l_to_month": {intString(l.ToMonth)},
		"l_volume_share": {decString(l.VolumeShare)}, "version": {strconv.FormatInt(l.Version, 10)}}
	if c := l.Capacity; c != nil {
		v.Set("l_cap_aht_minutes", c.AHTMinutes.String())
		v.Set("l_cap_occupancy", c.Occupancy.String())
		v.Set("l_cap_shrinkage", c.Shrinkage.String())
		v.Set("l_cap_paid_hours", c.PaidHours.String())
		capSLValues(v, "l_cap_", c)
	}
	if l.Escalation.IsZero() {
		v.Set("l_escalation", "")
	}
	return v
}

// wsShowOption renders the option page with the forms in fs.
func (u *Handlers) wsShowOption(c echo.Context, status int, b *wsBase, o *store.Option, fs wsOptionForms) error {
	ctx := c.Request().Context()
	p := &wsOptionPage{wsBase: b, Option: o, IsBaseline: o.Slug == b.Eval.Baseline,
		HasPricing: o.Pricing != nil || o.Kind == tco.KindVendor,
		Quote:      fs.Quote, Tiers: fs.Tiers, Line: fs.Line, LineID: fs.LineID, NewVendor: fs.NewVendor, Round: fs.Round, RoundID: fs.RoundID, RoundDanger: fs.RoundDanger, Danger: fs.Danger,
		Kinds: kinds, Pers: []choice{{tco.PricingPerUnit, "Per unit of volume"}, {tco.PricingPerBlock, "Per block (per FTE)"}},
		TierModes:  []choice{{tco.TierModeGraduated, "Graduated (like tax brackets)"}, {tco.TierModeAllUnits, "All units at the reached tier"}},
		Categories: lineCategories, LineBases: lineBases, Labels: roundLabels, Currencies: currencyChoices(b.Eval.Currency),
		Share: formatPct(o.VolumeShare)}
	if p.Quote == nil {
		p.Quote = newForm(QuoteValues(o, b.Eval.Currency))
	}
	if p.Tiers == nil {
		var up, pr []string
		if o.Pricing != nil {
			for _, t := range o.Pricing.Tiers {
				up, pr = append(up, decString(t.UpTo)), append(pr, t.Price.String())
			}
		}
		p.Tiers = tierRows(up, pr, nil, 1)
	}
	if p.NewVendor == nil {
		p.NewVendor = newForm(nil)
	}
	if p.Round == nil {
		p.Round = newForm(url.Values{"r_label": {store.LabelRevised}})
	}
	if p.Danger == nil {
		p.Danger = newForm(nil)
	}
	if p.RoundDanger == nil {
		p.RoundDanger = newForm(nil)
	}
	var err error
	if p.Vendors, err = u.vendorChoices(ctx); err != nil {
		return err
	}
	if o.VendorID != nil {
		for _, v := range p.Vendors {
			if v.Value == strconv.FormatInt(*o.VendorID, 10) {
				p.VendorName = v.Label
			}
		}
	}
	p.Staff = staffingFrom(c.QueryParams(), b, o)
	if p.Line == nil {
		p.Line = newForm(url.Values{"l_category": {tco.CategoryPersonnel}, "l_basis": {tco.BasisFixed}})
		if c.QueryParam("use_staffing") == "1" && p.Staff.OK {
			p.Line.Values = url.Values{"l_name": {"Agents"}, "l_category": {tco.CategoryPersonnel}, "l_basis": {tco.BasisPerBlock},
				"l_cap_aht_minutes": {p.Staff.Form.Get("st_aht")}, "l_cap_occupancy": {p.Staff.Form.Get("st_occupancy")},
				"l_cap_shrinkage": {p.Staff.Form.Get("st_shrinkage")}, "l_cap_paid_hours": {p.Staff.Form.Get("st_paid_hours")}}
			fillServiceLevel(p.Line.Values, p.Staff)
			p.Line.Message = "The staffing helper filled the capacity: enter the monthly cost of one agent and save."
		}
	}
	p.Groups = u.lineGroups(b, o, p.LineID)
	p.Rounds, p.RoundsNote, err = u.roundRows(ctx, b.ID, o)
	if err != nil {
		return err
	}
	for _, r := range p.Rounds {
		if r.ID == p.RoundID {
			p.RoundSeq = r.Seq
		}
	}
	return u.wsRender(c, status, "workspace_option", o.Name, b, p)
}

// lineGroups arranges an option's lines by category, in category order.
func (u *Handlers) lineGroups(b *wsBase, o *store.Option, editing int64) []wsLineGroup {
	var out []wsLineGroup
	for _, cat := range lineCategories {
		g := wsLineGroup{Category: cat.Value, Label: cat.Label}
		for _, l := range o.Lines {
			if l.Category != cat.Value {
				continue
			}
			g.Lines = append(g.Lines, lineRow(b, l, editing))
		}
		out = append(out, g)
	}
	return out
}

// lineRow writes a line's basis-dependent details in words.
func lineRow(b *wsBase, l store.Line, editing int64) wsLineRow {
	r := wsLineRow{Line: l, Basis: basisLabel(l.Basis), Amount: formatMoney(b.Currency, l.Amount, -1), Editing: l.ID == editing}
	unit := b.Eval.Volume.Unit
	switch l.Basis {
	case tco.BasisShareOfVendor:
		r.Amount = formatPct(l.Amount) + " of the invoice"
	case tco.BasisPerUnit:
		r.Amount += " per " + unit
	case tco.BasisPerBlock:
		r.Amount += " per block"
		if l.BlockSize != nil {
			r.Details = append(r.Details, fmt.Sprintf("block of %s %s", formatNumber(*l.BlockSize, 2), evaluation.PluralUnit(unit)))
		}
		if c := l.Capacity; c != nil {
			r.Details = append(r.Details, fmt.Sprintf("capacity: AHT %s min, occupancy %s, shrinkage %s, %s paid h → %s %s per person",
				formatNumber(c.AHTMinutes, 2), formatNumber(c.Occupancy, 3), formatNumber(c.Shrinkage, 3),
				formatNumber(c.PaidHours, 3), formatNumber(c.Block(), 2), evaluation.PluralUnit(unit)))
		}
	case tco.BasisOneTime:
		if l.Month != nil {
			r.Details = append(r.Details, fmt.Sprintf("in month %d", *l.Month))
		}
	}
	if l.FromMonth != nil || l.ToMonth != nil {
		r.Details = append(r.Details, fmt.Sprintf("months %s to %s", orText(l.FromMonth, "1"), orText(l.ToMonth, strconv.Itoa(b.Eval.HorizonMonths))))
	}
	if !l.Escalation.IsZero() {
		r.Details = append(r.Details, "escalates "+formatPct(l.Escalation)+" a year")
	}
	if l.VolumeShare != nil {
		r.Details = append(r.Details, "sees "+formatPct(*l.VolumeShare)+" of demand")
	}
	return r
}

// orText is *n as text, or def.
func orText(n *int, def string) string {
	if n == nil {
		return def
	}
	return strconv.Itoa(*n)
}

// roundRows lists an option's rounds with their totals; the note says why
// totals are missing.
func (u *Handlers) roundRows(ctx context.Context, evalID int64, o *store.Option) ([]wsRoundRow, string, error) {
	rounds, err := u.store.ListRounds(ctx, o.ID)
	if err != nil {
		return nil, "", err
	}
	rows := make([]wsRoundRow, len(rounds))
	for i, r := range rounds {
		rows[i] = wsRoundRow{Round: r, Current: r.ID == o.RoundID}
	}
	cmp, err := u.eval.CompareRounds(ctx, evalID, o.ID)
	if errors.Is(err, store.ErrInvalid) {
		return rows, "Totals per round appear once the evaluation can be compared.", nil
	}
	if err != nil {
		return nil, "", err
	}
	for i := range rows {
		for j := range cmp.Rounds {
			if cmp.Rounds[j].RoundID == rows[i].ID {
				rows[i].Cost = &cmp.Rounds[j]
			}
		}
	}
	return rows, "", nil
}

// quoteFields maps an option's document paths (after "options[i].") to the
// quote form's fields.
var quoteFields = map[string]string{
	"id": "slug", "name": "name", "kind": "kind", "volume_share": "volume_share",
	"pricing": "p_per", "pricing.currency": "p_currency", "pricing.fx_rate": "p_fx_rate", "pricing.per": "p_per",
	"pricing.unit_factor": "p_unit_factor", "pricing.block_size": "p_block_size",
	"pricing.capacity": "p_cap_aht_minutes", "pricing.capacity.aht_minutes": "p_cap_aht_minutes",
	"pricing.capacity.occupancy": "p_cap_occupancy", "pricing.capacity.shrinkage": "p_cap_shrinkage",
	"pricing.capacity.paid_hours": "p_cap_paid_hours", "pricing.tier_mode": "p_tier_mode",
	"pricing.fixed_monthly": "p_fixed_monthly", "pricing.minimum_units": "p_minimum_units",
	"pricing.minimum_charge": "p_minimum_charge", "pricing.escalation": "p_escalation",
	"pricing.setup_fee": "p_setup_fee", "pricing.exit_fee": "p_exit_fee", "pricing.from_month": "p_from_month",
	"pricing.tiers": "tiers",
}

// tierPath matches a tier's path after "options[i].".
var tierPath = regexp.MustCompile(`^pricing\.tiers\[(\d+)\](?:\.(up_to|price))?$`)

// quoteField maps an option's path to its quote form field, tiers
// included: "options[1].pricing.tiers[2].up_to" → "tier_up_to.2".
func quoteField(idx int) func(string) string {
	prefix := fmt.Sprintf("options[%d].", idx)
	return func(p string) string {
		rest, ok := strings.CutPrefix(p, prefix)
		if !ok {
			return ""
		}
		if f, ok := quoteFields[rest]; ok {
			return f
		}
		if m := tierPath.FindStringSubmatch(rest); m != nil {
			field := m[2]
			if field == "" {
				field = "price"
			}
			return "tier_" + field + "." + m[1]
		}
		return ""
	}
}

// wsPositive reads a rate that defaults to 1 (the store reads 0 as "not
// given", so a typed 0 is refused here rather than silently made 1).
func wsPositive(f *form, name string) decimal.Decimal {
	d := wsDecOr(f, name, decimal.NewFromInt(1))
	if _, bad := f.Errors[name]; !bad && d.Sign() <= 0 {
		f.Fail(name, "must be greater than 0")
	}
	return d
}

// wsFXRate reads an exchange rate: blank is 0, "not given", which the
// store reads as 1 for a quote in the evaluation's currency and refuses,
// at the field, for a quote in another (a rate is never guessed); a typed
// rate must be greater than 0.
func wsFXRate(f *form, name string) decimal.Decimal {
	if f.Get(name) == "" {
		return decimal.Zero
	}
	return wsPositive(f, name)
}

// parseTiers reads the tier table: rows with both cells blank are dropped;
// the typed rows come back compacted for a re-render.
func parseTiers(f *form) ([]tco.Tier, []string, []string) {
	ups, prices := f.Values["tier_up_to"], f.Values["tier_price"]
	var tiers []tco.Tier
	var keptUp, keptPrice []string
	for i := range max(len(ups), len(prices)) {
		var up, pr string
		if i < len(ups) {
			up = strings.TrimSpace(ups[i])
		}
		if i < len(prices) {
			pr = strings.TrimSpace(prices[i])
		}
		if up == "" && pr == "" {
			continue
		}
		k := len(tiers)
		keptUp, keptPrice = append(keptUp, up), append(keptPrice, pr)
		t := tco.Tier{}
		if up != "" {
			d, ok := parseDec(up)
			if !ok {
				f.Fail(fmt.Sprintf("tier_up_to.%d", k), "must be a number of billed units, such as 10000")
			}
			t.UpTo = &d
		}
		if pr == "" {
			f.Fail(fmt.Sprintf("tier_price.%d", k), "is required")
		} else if d, ok := parseDec(pr); !ok {
			f.Fail(fmt.Sprintf("tier_price.%d", k), "must be a price, such as 4.50")
		} else {
			t.Price = d
		}
		tiers = append(tiers, t)
	}
	if len(tiers) == 0 {
		f.Fail("tiers", "enter at least one tier: a price, with no upper bound on the last")
	}
	return tiers, keptUp, keptPrice
}

// parseCapacity reads the four capacity fields with prefix; all blank is
// nil.
func parseCapacity(f *form, prefix string) *tco.Capacity {
	names := []string{prefix + "aht_minutes", prefix + "occupancy", prefix + "shrinkage", prefix + "paid_hours"}
	any := false
	for _, n := range names {
		if f.Get(n) != "" {
			any = true
		}
	}
	if !any {
		return nil
	}
	c := &tco.Capacity{AHTMinutes: wsDec(f, names[0]), Occupancy: wsDec(f, names[1]), Shrinkage: wsDec(f, names[2]), PaidHours: wsDec(f, names[3])}
	parseServiceLevel(f, prefix, c)
	return c
}

// keepStaffing carries a stored capacity's service-level settings (spec §8:
// target, open hours, interval, profile) over to one read from a form that
// has fields for the four workload figures only, so saving the form never
// silently drops them.
func keepStaffing(parsed, stored *tco.Capacity) {
	if parsed == nil || stored == nil {
		return
	}
	parsed.ServiceLevel, parsed.OpenHours = stored.ServiceLevel, stored.OpenHours
	parsed.IntervalMinutes, parsed.Profile = stored.IntervalMinutes, stored.Profile
}

// SaveOption saves an option's fields and, for a vendor quote, its
// pricing and tiers (the lines are kept): POST …/options/:option.
func (u *Handlers) SaveOption(c echo.Context) error {
	b, o, err := u.wsLoadOption(c)
	if err != nil {
		return err
	}
	f, err := postedForm(c)
	if err != nil {
		return err
	}
	in := store.OptionInput{Slug: f.Get("slug"), Name: f.Get("name"), Kind: f.Get("kind"), VendorID: wsVendorID(f, "vendor_id")}
	share := wsDecOr(f, "volume_share", decimal.NewFromInt(1))
	in.VolumeShare = &share
	var tiersUp, tiersPrice []string
	hasPricing := o.Pricing != nil || o.Kind == tco.KindVendor
	var pricing *tco.Pricing
	if hasPricing {
		pricing = &tco.Pricing{Currency: strings.ToUpper(f.Get("p_currency")), Per: f.Get("p_per"), TierMode: f.Get("p_tier_mode"),
			FXRate: wsFXRate(f, "p_fx_rate"), UnitFactor: wsPositive(f, "p_unit_factor")}
		if pricing.Per == tco.PricingPerBlock {
			// blocks are counted from demand: the unit factor is 1 (its
			// field is hidden for per-block pricing)
			pricing.UnitFactor = decimal.NewFromInt(1)
			pricing.BlockSize = wsDecPtr(f, "p_block_size")
			pricing.Capacity = parseCapacity(f, "p_cap_")
			if o.Pricing != nil {
				keepStaffing(pricing.Capacity, o.Pricing.Capacity)
			}
		}
		zero := decimal.Zero
		pricing.FixedMonthly = wsDecOr(f, "p_fixed_monthly", zero)
		pricing.MinimumUnits = wsDecOr(f, "p_minimum_units", zero)
		pricing.MinimumCharge = wsDecOr(f, "p_minimum_charge", zero)
		pricing.Escalation = wsDecOr(f, "p_escalation", zero)
		pricing.SetupFee = wsDecOr(f, "p_setup_fee", zero)
		pricing.ExitFee = wsDecOr(f, "p_exit_fee", zero)
		if m := wsInt(f, "p_from_month"); m != nil {
			pricing.FromMonth = *m
		}
		pricing.Tiers, tiersUp, tiersPrice = parseTiers(f)
	}
	show := func(status int) error {
		if hasPricing {
			return u.wsShowOption(c, status, b, o, wsOptionForms{Quote: f, Tiers: tierRows(tiersUp, tiersPrice, f.Errors, 1)})
		}
		return u.wsShowOption(c, status, b, o, wsOptionForms{Quote: f})
	}
	ctx, failed := checkContext(c, f)
	if hasPricing {
		// The lines stay as they are: read them at the last moment.
		cur, err := u.store.GetOption(ctx, o.ID)
		if err != nil {
			return err
		}
		in.Quote = &store.Quote{Pricing: pricing, Lines: cur.Quote().Lines}
	}
	_, err = u.store.UpdateOption(ctx, wsActor(c), o.ID, wsVersion(f), in)
	if failed {
		f.FromError(err, quoteField(optionIndex(b.Options, o.ID)))
		f.Message = "Nothing was saved. Please correct the fields marked below."
		return show(http.StatusUnprocessableEntity)
	}
	if wsConflict(b, err, "option", OptionURL(b.ID, o.ID)) {
		return show(http.StatusConflict)
	}
	if errors.Is(err, store.ErrConflict) {
		f.Fail("slug", "another option of this evaluation already has this id, or the vendor is gone")
		f.Message = "Nothing was saved."
		return show(http.StatusConflict)
	}
	if f.FromError(err, quoteField(optionIndex(b.Options, o.ID))) {
		return show(http.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	return wsRedirect(c, b, OptionURL(b.ID, o.ID), "option", "summary")
}

// DeleteOption deletes an option with its rounds, lines and scores: POST
// …/options/:option/delete.
func (u *Handlers) DeleteOption(c echo.Context) error {
	b, o, err := u.wsLoadOption(c)
	if err != nil {
		return err
	}
	f, err := postedForm(c)
	if err != nil {
		return err
	}
	err = u.store.DeleteOption(c.Request().Context(), wsActor(c), o.ID, wsVersion(f))
	if wsConflict(b, err, "option", OptionURL(b.ID, o.ID)) {
		return u.wsShowOption(c, http.StatusConflict, b, o, wsOptionForms{})
	}
	if f.FromError(err, func(string) string { return "" }) {
		f.Message = "The option was not deleted: the evaluation needs it."
		return u.wsShowOption(c, http.StatusUnprocessableEntity, b, o, wsOptionForms{Danger: f})
	}
	if err != nil {
		return err
	}
	return wsRedirect(c, b, fmt.Sprintf("/evaluations/%d/workspace", b.ID), "option-deleted", "summary")
}

// CreateVendorLink adds a vendor to the directory and links the option
// to it: POST …/options/:option/vendor.
func (u *Handlers) CreateVendorLink(c echo.Context) error {
	b, o, err := u.wsLoadOption(c)
	if err != nil {
		return err
	}
	f, err := postedForm(c)
	if err != nil {
		return err
	}
	in := store.VendorInput{Name: f.Get("v_name"), Contact: f.Get("v_contact"), Email: f.Get("v_email")}
	if in.Name == "" {
		f.Fail("v_name", "is required")
	}
	// the store checks the address too, so one answer names both problems
	if f.HasErrors() {
		_, err := u.store.CreateVendor(store.DryRun(c.Request().Context()), wsActor(c), in)
		f.FromError(err, func(p string) string {
			return map[string]string{"name": "v_name", "contact": "v_contact", "email": "v_email"}[p]
		})
		f.Message = "Nothing was saved. Please correct the fields marked below."
		return u.wsShowOption(c, http.StatusUnprocessableEntity, b, o, wsOptionForms{NewVendor: f})
	}
	if wsVersion(f) != o.Version {
		wsSetConflict(b, "option", OptionURL(b.ID, o.ID))
		return u.wsShowOption(c, http.StatusConflict, b, o, wsOptionForms{NewVendor: f})
	}
	ctx := c.Request().Context()
	vendor, err := u.store.CreateVendor(ctx, wsActor(c), in)
	if f.FromError(err, func(p string) string {
		return map[string]string{"name": "v_name", "contact": "v_contact", "email": "v_email"}[p]
	}) {
		return u.wsShowOption(c, http.StatusUnprocessableEntity, b, o, wsOptionForms{NewVendor: f})
	}
	if errors.Is(err, store.ErrConflict) {
		f.Fail("v_name", "a vendor with this name is already in the directory: pick it in the list above")
		f.Message = "Nothing was saved."
		return u.wsShowOption(c, http.StatusConflict, b, o, wsOptionForms{NewVendor: f})
	}
	if err != nil {
		return err
	}
	_, err = u.store.UpdateOption(ctx, wsActor(c), o.ID, o.Version, store.OptionInput{Slug: o.Slug, Name: o.Name, Kind: o.Kind,
		VolumeShare: &o.VolumeShare, VendorID: &vendor.ID})
	if wsConflict(b, err, "option", OptionURL(b.ID, o.ID)) {
		return u.wsShowOption(c, http.StatusConflict, b, o, wsOptionForms{NewVendor: f})
	}
	if err != nil {
		return err
	}
	return wsRedirect(c, b, OptionURL(b.ID, o.ID), "vendor", "quote")
}

// CreateRound starts a new round from a copy of the current quote: POST
// …/options/:option/rounds.
func (u *Handlers) CreateRound(c echo.Context) error {
	b, o, err := u.wsLoadOption(c)
	if err != nil {
		return err
	}
	f, err := postedForm(c)
	if err != nil {
		return err
	}
	in := store.RoundInput{Label: f.Get("r_label"), Received: f.Get("r_received"), Notes: f.Get("r_notes")}
	_, err = u.store.CreateRound(confirmedCtx(c, f), wsActor(c), o.ID, in)
	if f.FromError(err, func(p string) string {
		return map[string]string{"label": "r_label", "received": "r_received", "notes": "r_notes"}[p]
	}) {
		return u.wsShowOption(c, http.StatusUnprocessableEntity, b, o, wsOptionForms{Round: f})
	}
	if err != nil {
		return err
	}
	return wsRedirect(c, b, OptionURL(b.ID, o.ID), "round", "quote")
}

// roundFields maps a round's request paths to the round form's fields.
var roundFields = map[string]string{"label": "r_label", "received": "r_received", "notes": "r_notes"}

// wsFindRound reads the round in the path; a round of another option is
// not found.
func (u *Handlers) wsFindRound(c echo.Context, o *store.Option) (*store.Round, error) {
	rid, err := edge.ID(c, "round")
	if err != nil {
		return nil, err
	}
	r, err := u.store.GetRound(c.Request().Context(), rid)
	if err != nil {
		return nil, err
	}
	if r.OptionID != o.ID {
		return nil, store.ErrNotFound
	}
	return r, nil
}

// SaveRound saves a round's label, date received and notes (its quote is
// edited above, as the current quote): POST …/options/:option/rounds/:round.
func (u *Handlers) SaveRound(c echo.Context) error {
	b, o, err := u.wsLoadOption(c)
	if err != nil {
		return err
	}
	r, err := u.wsFindRound(c, o)
	if err != nil {
		return err
	}
	f, err := postedForm(c)
	if err != nil {
		return err
	}
	forms := wsOptionForms{Round: f, RoundID: r.ID}
	in := store.RoundInput{Label: f.Get("r_label"), Received: f.Get("r_received"), Notes: f.Get("r_notes")}
	_, err = u.store.UpdateRound(c.Request().Context(), wsActor(c), r.ID, wsVersion(f), in)
	if wsConflict(b, err, "round", fmt.Sprintf("%s?round=%d#round-form", OptionURL(b.ID, o.ID), r.ID)) {
		return u.wsShowOption(c, http.StatusConflict, b, o, forms)
	}
	if f.FromError(err, func(p string) string { return roundFields[p] }) {
		return u.wsShowOption(c, http.StatusUnprocessableEntity, b, o, forms)
	}
	if err != nil {
		return err
	}
	return wsRedirect(c, b, OptionURL(b.ID, o.ID), "round-saved", "rounds")
}

// DeleteRound deletes a round; when it was the current one the round
// before it becomes current. An option's only round stays (409 with a
// message saying what to do instead): POST …/rounds/:round/delete.
func (u *Handlers) DeleteRound(c echo.Context) error {
	b, o, err := u.wsLoadOption(c)
	if err != nil {
		return err
	}
	r, err := u.wsFindRound(c, o)
	if err != nil {
		return err
	}
	f, err := postedForm(c)
	if err != nil {
		return err
	}
	err = u.store.DeleteRound(c.Request().Context(), wsActor(c), r.ID, wsVersion(f))
	if wsConflict(b, err, "round", OptionURL(b.ID, o.ID)+"#rounds") {
		return u.wsShowOption(c, http.StatusConflict, b, o, wsOptionForms{})
	}
	if errors.Is(err, store.ErrConflict) {
		// The store refuses to delete an option's only round.
		d := newForm(nil)
		d.Message = fmt.Sprintf("Round %d was not deleted: it is the only quote of %s.", r.Seq, o.Name)
		d.Other = tco.Errors{{Message: "An option keeps at least one round. Start a new round first, " +
			"or delete the option itself at the bottom of this page."}}
		return u.wsShowOption(c, http.StatusConflict, b, o, wsOptionForms{RoundDanger: d})
	}
	if err != nil {
		return err
	}
	return wsRedirect(c, b, OptionURL(b.ID, o.ID), "round-deleted", "rounds")
}
