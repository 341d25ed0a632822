package ui

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"vendorcompare/internal/evaluation"
	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
	"vendorcompare/internal/web/edge"
)

// The workspace: where procurement builds an evaluation in forms. Every
// page shares a header, a section navigation and the comparison summary
// panel (wsBase), so every save shows the new figures at once.
// Its routes are in the route table (routes.go).

// wsBase is what every workspace page shows around its forms.
type wsBase struct {
	ID       int64
	Eval     *store.Evaluation
	Options  []store.Option
	Section  string // "overview", "settings", "criteria", or "option-ID"
	Summary  *wsSummary
	Notice   string // after a redirect: what was saved
	Conflict string // a stale version: what changed
	Reload   string // the URL that shows the current values
	Currency string
	Unit     string // the demand unit, plural

	ids    map[string]string // field name → input id, where it is not "f-"+name
	labels map[string]string // field name → label, for fields wsLabels does not know
}

// Baseline returns the baseline option, or nil.
func (b *wsBase) Baseline() *store.Option {
	for i := range b.Options {
		if b.Options[i].Slug == b.Eval.Baseline {
			return &b.Options[i]
		}
	}
	return nil
}

// KindLabel is an option kind in words, for the templates.
func (b *wsBase) KindLabel(k string) string { return kindLabel(k) }

// wsSummary is the comparison summary panel: the figures of every option
// as they are stored now.
type wsSummary struct {
	Currency string
	Basis    string // "PV" or "TCO"
	Rows     []wsSummaryRow
	Problems []tco.FieldError // why there is no comparison yet
	Fixes    []docFix         // … each linked to its field
	Warnings []string
	Compared bool // the rows carry the change made by the last save
}

// wsSummaryRow is one option in the summary panel.
type wsSummaryRow struct {
	Slug     string
	Name     string
	StoreID  int64
	Baseline bool
	Rank     *int
	RankN    int // the rank, 0 when not ranked
	Status   string
	Reason   string
	TCO, PV  tco.Money
	Savings  tco.Money // on the price basis
	SavePct  *float64
	Payback  string
	Score    *float64
	Quality  *float64
	// Change is the TCO's change made by the save just done ("+€7,200",
	// "unchanged", "new"); ChangeClass colours it.
	Change, ChangeClass string
}

// wsLoad reads the evaluation in the path, its options and the summary.
func (u *Handlers) wsLoad(c echo.Context, section string) (*wsBase, error) {
	id, err := edge.ID(c, "id")
	if err != nil {
		return nil, err
	}
	ctx := c.Request().Context()
	e, err := u.store.GetEvaluation(ctx, id)
	if err != nil {
		return nil, err
	}
	opts, err := u.store.ListOptions(ctx, id)
	if err != nil {
		return nil, err
	}
	b := &wsBase{ID: id, Eval: e, Options: opts, Section: section, Currency: e.Currency,
		Unit: evaluation.PluralUnit(e.Volume.Unit), Notice: savedNotice(c.QueryParam("saved"))}
	if b.Summary, err = u.wsSummarize(ctx, id, opts); err != nil {
		return nil, err
	}
	if b.Notice != "" {
		b.Summary.changes(c.QueryParam("was"))
	}
	return b, nil
}

// changes fills each row's change of TCO against was, the figures before
// a save ("slug:tco,…", as wsRedirect writes them); malformed parts are
// ignored, an option missing from was is new.
func (s *wsSummary) changes(was string) {
	if was == "" || len(s.Rows) == 0 {
		return
	}
	before := map[string]decimal.Decimal{}
	for _, part := range strings.Split(was, ",") {
		slug, v, ok := strings.Cut(part, ":")
		if d, good := parseDec(v); ok && good {
			before[slug] = d
		}
	}
	if len(before) == 0 {
		return
	}
	s.Compared = true
	for i := range s.Rows {
		r := &s.Rows[i]
		old, ok := before[r.Slug]
		switch {
		case !ok:
			r.Change, r.ChangeClass = "new", "muted"
		case !r.TCO.Value.Equal(old):
			d := r.TCO.Value.Sub(old)
			r.Change = formatMoney(s.Currency, d, 0)
			if d.Sign() > 0 {
				r.Change, r.ChangeClass = "+"+r.Change, "loss"
			} else {
				r.ChangeClass = "saving"
			}
		default:
			r.Change, r.ChangeClass = "unchanged", "muted"
		}
	}
}

// savedNotice is the notice after a successful save (the redirect's
// ?saved=); unknown values show nothing.
func savedNotice(what string) string {
	m := map[string]string{
		"settings": "Settings saved.", "option": "Option saved.", "line": "Cost line saved.",
		"line-deleted": "Cost line deleted.", "option-added": "Option added: now enter its quote below.",
		"option-deleted": "Option deleted.", "improvement": "Baseline copied as an improvement option: check the contained share, add the automation's own costs, and score it under Criteria & scores.",
		"vendor": "Vendor added to the directory and linked.", "round": "New round started from the current quote: edit it below.",
		"round-saved": "Round saved.", "round-deleted": "Round deleted: the latest remaining round is the current quote.",
		"self-confirmed": "The vendor's own score is now the option's score.", "self-overridden": "Your score replaces the vendor's own.",
		"criterion": "Criterion saved.", "criterion-deleted": "Criterion deleted.", "scores": "Scores saved.",
		"risk": "Risk settings saved: the dashboard's “how sure” panel simulates them.", "risk-removed": "Risk settings removed.",
	}
	if s, ok := m[what]; ok {
		return s + " The comparison below shows the new figures."
	}
	return ""
}

// wsSummarize costs the stored evaluation (without break-even and
// sensitivity: the panel needs totals only). A document the engine cannot
// compare yet is not an error: the panel lists why.
func (u *Handlers) wsSummarize(ctx context.Context, id int64, opts []store.Option) (*wsSummary, error) {
	doc, err := u.store.Document(ctx, id, nil)
	if err != nil {
		return nil, err
	}
	sum := &wsSummary{Currency: doc.Currency, Basis: "PV"}
	if doc.Price.Basis == tco.PriceBasisTCO {
		sum.Basis = "TCO"
	}
	if err := doc.Validate(); err != nil {
		var fe tco.Errors
		if !errors.As(err, &fe) {
			return nil, err
		}
		return u.wsProblems(ctx, id, opts, sum, fe)
	}
	cmp, err := u.eval.Compare(ctx, doc, tco.CompareOptions{SkipAnalysis: true})
	if err != nil {
		var fe tco.Errors
		if errors.As(err, &fe) {
			return u.wsProblems(ctx, id, opts, sum, fe)
		}
		return nil, err
	}
	sum.Currency, sum.Warnings = cmp.Currency, cmp.Warnings
	storeID := map[string]int64{}
	for _, o := range opts {
		storeID[o.Slug] = o.ID
	}
	for _, r := range cmp.Options {
		row := wsSummaryRow{Slug: r.ID, Name: r.Name, StoreID: storeID[r.ID], Baseline: r.ID == cmp.Baseline,
			Rank: r.Rank, Status: r.Status, TCO: r.TCO, PV: r.PV, Score: r.Score, Quality: r.Quality,
			Savings: r.Savings.PV, SavePct: r.Savings.PVPct}
		if sum.Basis == "TCO" {
			row.Savings, row.SavePct = r.Savings.TCO, r.Savings.TCOPct
		}
		row.Payback = evaluation.PaybackText(r.Payback.TCO, cmp.Months)
		if r.Rank != nil {
			row.RankN = *r.Rank
		}
		switch {
		case len(r.KnockedOutBy) > 0:
			row.Reason = "below the minimum on " + strings.Join(r.KnockedOutBy, ", ")
		case len(r.Missing) > 0:
			row.Reason = "no score on " + strings.Join(r.Missing, ", ")
		}
		sum.Rows = append(sum.Rows, row)
	}
	sort.SliceStable(sum.Rows, func(a, b int) bool {
		ra, rb := sum.Rows[a].Rank, sum.Rows[b].Rank
		switch {
		case ra != nil && rb != nil:
			return *ra < *rb
		case ra != nil:
			return true
		}
		return false
	})
	return sum, nil
}

// wsProblems fills the panel with the problems that keep the evaluation
// from being compared, each linked to the field that fixes it.
func (u *Handlers) wsProblems(ctx context.Context, id int64, opts []store.Option, sum *wsSummary, fe tco.Errors) (*wsSummary, error) {
	crits, err := u.store.ListCriteria(ctx, id)
	if err != nil {
		return nil, err
	}
	sum.Problems, sum.Fixes = fe, docFixes(id, opts, crits, fe)
	return sum, nil
}

// wsRender draws a workspace page; title is the page's own part.
func (u *Handlers) wsRender(c echo.Context, status int, page, title string, b *wsBase, data any) error {
	return u.render(c, status, page, view{Title: title + " · " + b.Eval.Name, Nav: "evaluations", Data: data})
}

// wsRedirect answers a successful save: back to the section, with a
// notice naming what was saved and an anchor.
//
// The query also carries each option's TCO before the save ("was"), so the
// summary can show what the save changed.
func wsRedirect(c echo.Context, b *wsBase, path, saved, anchor string) error {
	u := path + "?saved=" + url.QueryEscape(saved)
	if b != nil && b.Summary != nil && len(b.Summary.Rows) > 0 {
		var was []string
		for _, r := range b.Summary.Rows {
			was = append(was, r.Slug+":"+r.TCO.Value.String())
		}
		u += "&was=" + url.QueryEscape(strings.Join(was, ","))
	}
	if anchor != "" {
		u += "#" + anchor
	}
	return c.Redirect(http.StatusSeeOther, u)
}

// wsConflict fills the conflict notice of a stale save and reports whether
// err was one.
func wsConflict(b *wsBase, err error, what, reload string) bool {
	if !wsStale(err) {
		return false
	}
	wsSetConflict(b, what, reload)
	return true
}

// wsSetConflict fills the conflict notice: what changed, and the URL that
// shows its current values.
func wsSetConflict(b *wsBase, what, reload string) {
	b.Conflict = fmt.Sprintf("Someone changed this %s since you opened the form, so nothing was saved. Your entries are kept below; reload to see the current values, then make your change again.", what)
	b.Reload = reload
}

// wsStale reports whether err is a stale version (a conflict that is not
// a duplicate key or a record still in use).
func wsStale(err error) bool {
	return errors.Is(err, store.ErrConflict) && strings.Contains(err.Error(), "stale version")
}

// plainDecimal is what number fields accept: an optional minus, digits and
// one decimal point (thousands separators and spaces are dropped first).
var plainDecimal = regexp.MustCompile(`^-?(\d+\.?\d*|\.\d+)$`)

// parseDec reads a decimal as typed: "1,234.50" and " 0.85 " are fine,
// "1e9" and "abc" are not.
func parseDec(s string) (decimal.Decimal, bool) {
	s = strings.NewReplacer(",", "", " ", "", "\u00a0", "", "_", "").Replace(strings.TrimSpace(s))
	if s == "" || len(s) > 40 || !plainDecimal.MatchString(s) {
		return decimal.Decimal{}, false
	}
	d, err := decimal.NewFromString(s)
	return d, err == nil
}

// isRate reports whether a field holds a fraction (a rate or a share),
// which people also type as a percentage.
func isRate(name string) bool {
	for _, suffix := range []string{"discount_rate", "volume_growth", "escalation", "volume_share", "occupancy", "shrinkage", "price_weight", "materiality", "target"} {
		if strings.HasSuffix(name, suffix) {
			return true
		}
	}
	return false
}

// fieldExamples give a field's format error an example that fits it; a
// field not named here holds money.
var fieldExamples = map[string]string{
	"volume_monthly": "20,000", "st_volume": "20,000", "p_minimum_units": "100,000", "price": "4.50",
	"c_weight": "30", "c_scale": "10", "c_minimum": "5", "price_full_at": "0.7", "price_zero_at": "1.3",
	"st_aht": "6.5", "p_cap_aht_minutes": "6.5", "l_cap_aht_minutes": "6.5",
	"st_paid_hours": "173.33", "p_cap_paid_hours": "173.33", "l_cap_paid_hours": "173.33",
	"p_block_size": "1,200", "l_block_size": "1,200", "p_unit_factor": "6.5", "p_fx_rate": "1.08",
}

// numberExample is the example a field's format error gives.
func numberExample(name string) string {
	switch {
	case isRate(name):
		return "8% or 0.08"
	case strings.HasPrefix(name, "season_"):
		return "1.2"
	}
	if ex, ok := fieldExamples[name]; ok {
		return ex
	}
	return "1,234.50"
}

// wsDec reads a required decimal field, recording its error. Rates and
// shares also take a percentage: "8%" is 0.08.
func wsDec(f *form, name string) decimal.Decimal {
	s := f.Get(name)
	if s == "" {
		f.Fail(name, "is required, such as "+numberExample(name))
		return decimal.Decimal{}
	}
	pct := false
	if isRate(name) {
		if t, ok := strings.CutSuffix(s, "%"); ok {
			s, pct = strings.TrimSpace(t), true
		}
	}
	d, ok := parseDec(s)
	if !ok {
		f.Fail(name, fmt.Sprintf("must be a number, such as %s; %q is not", numberExample(name), f.Get(name)))
		return decimal.Decimal{}
	}
	if pct {
		d = d.Shift(-2)
	}
	return d
}

// wsDecOr reads an optional decimal field: blank is def.
func wsDecOr(f *form, name string, def decimal.Decimal) decimal.Decimal {
	if f.Get(name) == "" {
		return def
	}
	return wsDec(f, name)
}

// wsDecPtr reads an optional decimal field: blank is nil.
func wsDecPtr(f *form, name string) *decimal.Decimal {
	if f.Get(name) == "" {
		return nil
	}
	d := wsDec(f, name)
	return &d
}

// wsInt reads an optional whole number: blank is nil.
func wsInt(f *form, name string) *int {
	s := f.Get(name)
	if s == "" {
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		f.Fail(name, "must be a whole number")
		return nil
	}
	return &n
}

// wsVersion reads the hidden version field of an edit form.
func wsVersion(f *form) int64 {
	v, _ := strconv.ParseInt(f.Get("version"), 10, 64)
	return v
}

// optionIndex is the position of option id in the document (the store
// orders both the same way), or -1.
func optionIndex(opts []store.Option, id int64) int {
	for i, o := range opts {
		if o.ID == id {
			return i
		}
	}
	return -1
}

// pathMapper maps document paths under prefix to form fields: the rest of
// the path is looked up in fields (exact, then by its first part); a path
// outside the prefix, or one fields does not know, goes to the summary.
func pathMapper(prefix string, fields map[string]string) func(string) string {
	return func(p string) string {
		rest, ok := strings.CutPrefix(p, prefix)
		if !ok {
			return ""
		}
		if f, ok := fields[rest]; ok {
			return f
		}
		return ""
	}
}

// decString writes a stored decimal for an input's value ("" for nil).
func decString(d *decimal.Decimal) string {
	if d == nil {
		return ""
	}
	return d.String()
}

// intString writes a stored whole number for an input's value ("" for
// nil).
func intString(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

// kinds are the option kinds a form offers.
var kinds = []choice{{tco.KindInHouse, "In-house"}, {tco.KindVendor, "Vendor quote"}, {tco.KindImprovement, "In-house improvement"}}

// kindLabel is an option kind in words.
func kindLabel(k string) string {
	for _, c := range kinds {
		if c.Value == k {
			return c.Label
		}
	}
	return "Option"
}

// Workspace shows the overview: the options and the forms that add one:
// GET /evaluations/:id/workspace.
func (u *Handlers) Workspace(c echo.Context) error {
	b, err := u.wsLoad(c, "overview")
	if err != nil {
		return err
	}
	return u.wsShowOverview(c, http.StatusOK, b, nil, nil)
}

// wsOverviewPage is the data of templates/workspace.html.
type wsOverviewPage struct {
	*wsBase
	Vendor      *form // the add-a-quote form
	Improvement *form // the copy-the-baseline form
	Vendors     []choice
	Currencies  []choice
	Quoted      []choice // how the quick quote is priced
}

// wsShowOverview renders the overview with its two forms (nil: defaults).
func (u *Handlers) wsShowOverview(c echo.Context, status int, b *wsBase, vf, imf *form) error {
	if vf == nil {
		vf = newForm(url.Values{"p_currency": {b.Eval.Currency}, "tier_mode": {tco.TierModeGraduated}})
	}
	if imf == nil {
		imf = newForm(url.Values{"name": {"In-house with automation"}, "volume_share": {"0.7"}})
	}
	vendors, err := u.vendorChoices(c.Request().Context())
	if err != nil {
		return err
	}
	b.ids = map[string]string{"price": "f-vendor-price", "p_currency": "f-vendor-currency", "p_fx_rate": "f-vendor-fx", "vendor_id": "f-vendor-link"}
	if imf.HasErrors() {
		b.ids["name"], b.ids["volume_share"] = "f-improvement-name", "f-improvement-share"
	} else {
		b.ids["name"] = "f-vendor-name"
	}
	p := &wsOverviewPage{wsBase: b, Vendor: vf, Improvement: imf, Vendors: vendors, Currencies: currencyChoices(b.Eval.Currency),
		Quoted: []choice{{"unit", "Per " + b.Eval.Volume.Unit}, {"minute", "Per minute handled"}, {"fte", "Per FTE-month"}}}
	return u.wsRender(c, status, "workspace", "Workspace", b, p)
}

// currencyChoices is the currency list with cur in it.
func currencyChoices(cur string) []choice {
	for _, c := range currencies {
		if c.Value == cur {
			return currencies
		}
	}
	return append([]choice{{cur, cur}}, currencies...)
}

// vendorChoices lists the vendor directory for a select, "none" first.
func (u *Handlers) vendorChoices(ctx context.Context) ([]choice, error) {
	pg, err := u.store.ListVendors(ctx, store.ListParams{Limit: 500})
	if err != nil {
		return nil, err
	}
	out := []choice{{"", "— not linked —"}}
	for _, v := range pg.Items {
		out = append(out, choice{strconv.FormatInt(v.ID, 10), v.Name})
	}
	return out, nil
}

// CreateVendor adds a vendor quote with a flat price: POST
// /evaluations/:id/workspace/options. The option page then takes the
// rest of the quote.
func (u *Handlers) CreateVendor(c echo.Context) error {
	b, err := u.wsLoad(c, "overview")
	if err != nil {
		return err
	}
	f, err := postedForm(c)
	if err != nil {
		return err
	}
	name := f.Get("name")
	if name == "" {
		f.Fail("name", "is required, such as Vendor A")
	}
	price := wsDec(f, "price")
	cur := strings.ToUpper(f.Get("p_currency"))
	fx := wsFXRate(f, "p_fx_rate")
	vendorID := wsVendorID(f, "vendor_id")
	pricing := &tco.Pricing{Currency: cur, FXRate: fx, Per: tco.PricingPerUnit, UnitFactor: decimal.NewFromInt(1)}
	// Vendors quote per contact, per handled minute or per FTE-month; the
	// option page takes tiers, minimums and capacity afterwards.
	switch f.Get("p_quoted") {
	case "", "unit":
	case "minute":
		pricing.UnitFactor = wsDec(f, "p_unit_factor")
		if _, bad := f.Errors["p_unit_factor"]; !bad && pricing.UnitFactor.Sign() <= 0 {
			f.Fail("p_unit_factor", "must be greater than 0 minutes, such as 6.5")
		}
	case "fte":
		pricing.Per = tco.PricingPerBlock
		bs := wsDec(f, "p_block_size")
		if _, bad := f.Errors["p_block_size"]; !bad && bs.Sign() <= 0 {
			f.Fail("p_block_size", "must be greater than 0, such as 1,200")
		}
		pricing.BlockSize = &bs
	default:
		f.Fail("p_quoted", "choose per "+b.Eval.Volume.Unit+", per minute or per FTE-month")
	}
	taken := map[string]bool{}
	for _, o := range b.Options {
		taken[o.Slug] = true
	}
	in := store.OptionInput{Slug: tco.Slug(name, "option", func(id string) bool { return taken[id] }), Name: name, Kind: tco.KindVendor, VendorID: vendorID,
		Quote: &store.Quote{Lines: []tco.Line{}, Pricing: pricing}}
	pricing.Tiers = []tco.Tier{{Price: price}}
	ctx, failed := checkContext(c, f)
	o, err := u.store.CreateOption(ctx, wsActor(c), b.ID, in)
	idx := len(b.Options)
	if f.FromError(err, pathMapper(fmt.Sprintf("options[%d].", idx), map[string]string{
		"name": "name", "pricing.currency": "p_currency", "pricing.fx_rate": "p_fx_rate", "pricing.tiers[0].price": "price",
		"pricing.unit_factor": "p_unit_factor", "pricing.block_size": "p_block_size",
	})) || failed {
		if failed {
			f.Message = "Nothing was saved. Please correct the fields marked below."
		}
		return u.wsShowOverview(c, http.StatusUnprocessableEntity, b, f, nil)
	}
	if err != nil {
		return err
	}
	return wsRedirect(c, b, fmt.Sprintf("/evaluations/%d/workspace/options/%d", b.ID, o.ID), "option-added", "quote")
}

// wsVendorID reads a vendor select: blank is none.
func wsVendorID(f *form, name string) *int64 {
	s := f.Get(name)
	if s == "" {
		return nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		f.Fail(name, "choose a vendor from the list")
		return nil
	}
	return &id
}

// CopyBaseline copies the baseline's lines into a new improvement option
// with the contained share typed: POST /evaluations/:id/workspace/improvement.
func (u *Handlers) CopyBaseline(c echo.Context) error {
	b, err := u.wsLoad(c, "overview")
	if err != nil {
		return err
	}
	f, err := postedForm(c)
	if err != nil {
		return err
	}
	base := b.Baseline()
	if base == nil {
		f.Message = "There is no baseline to copy: choose one in the settings first."
		f.Fail("name", "no baseline to copy")
		return u.wsShowOverview(c, http.StatusUnprocessableEntity, b, nil, f)
	}
	name := f.Get("name")
	if name == "" {
		f.Fail("name", "is required, such as In-house with a chatbot")
	}
	share := wsDecOr(f, "volume_share", decimal.NewFromInt(1))
	taken := map[string]bool{}
	for _, o := range b.Options {
		taken[o.Slug] = true
	}
	q := base.Quote()
	in := store.OptionInput{Slug: tco.Slug(name, "option", func(id string) bool { return taken[id] }), Name: name, Kind: tco.KindImprovement, VolumeShare: &share,
		Quote: &store.Quote{Pricing: q.Pricing, Lines: q.Lines}}
	ctx, failed := checkContext(c, f)
	o, err := u.store.CreateOption(ctx, wsActor(c), b.ID, in)
	if f.FromError(err, pathMapper(fmt.Sprintf("options[%d].", len(b.Options)), map[string]string{
		"name": "name", "volume_share": "volume_share",
	})) || failed {
		if failed {
			f.Message = "Nothing was saved. Please correct the fields marked below."
		}
		return u.wsShowOverview(c, http.StatusUnprocessableEntity, b, nil, f)
	}
	if err != nil {
		return err
	}
	return wsRedirect(c, b, fmt.Sprintf("/evaluations/%d/workspace/options/%d", b.ID, o.ID), "improvement", "option")
}

// wsProblems is the error summary of a workspace form: every problem, with
// a link to its field under the field's label.
type wsProblems struct {
	Form  *form
	Items []wsProblem
}

// wsProblem is one line of the error summary; Href is empty for a problem
// that belongs to no field of the form (it shows its document path).
type wsProblem struct{ Href, Label, Path, Message string }

// wsLabels are the labels of the workspace forms' fields, for the error
// summary.
var wsLabels = map[string]string{
	"name": "Name", "slug": "Id in the document", "kind": "Kind", "volume_share": "Share of demand", "vendor_id": "Vendor",
	"price": "Price", "currency": "Currency", "start": "First month", "horizon_months": "Horizon", "discount_rate": "Discount rate",
	"timing": "Costs are paid", "escalation": "Escalation", "baseline": "Baseline option", "volume_unit": "Unit of volume",
	"volume_monthly": "Volume per month", "volume_growth": "Growth per year", "price_weight": "Weight of price",
	"price_basis": "Price is scored on", "price_formula": "Price score formula", "price_full_at": "Full score at", "price_zero_at": "Zero score at",
	"p_currency": "Quote currency", "p_fx_rate": "FX rate", "p_per": "Priced", "p_unit_factor": "Billed units per unit of volume",
	"p_block_size": "Block size", "p_cap_aht_minutes": "Capacity: handling time", "p_cap_occupancy": "Capacity: occupancy",
	"p_cap_shrinkage": "Capacity: shrinkage", "p_cap_paid_hours": "Capacity: paid hours", "p_tier_mode": "Tier mode",
	"p_fixed_monthly": "Fixed fee a month", "p_minimum_units": "Minimum units", "p_minimum_charge": "Minimum charge",
	"p_escalation": "Price escalation", "p_setup_fee": "Setup fee", "p_exit_fee": "Exit fee", "p_from_month": "Go-live month",
	"tiers": "Price tiers", "l_name": "Name", "l_category": "Category", "l_basis": "Basis", "l_amount": "Amount",
	"l_escalation": "Escalation", "l_month": "Month", "l_from_month": "From month", "l_to_month": "To month",
	"l_volume_share": "Own share of demand", "l_block_size": "Block size", "l_cap_aht_minutes": "Handling time",
	"l_cap_occupancy": "Occupancy", "l_cap_shrinkage": "Shrinkage", "l_cap_paid_hours": "Paid hours",
	"v_name": "Vendor name", "v_contact": "Contact", "v_email": "E-mail", "r_label": "Label", "r_received": "Received on",
	"r_notes": "Notes", "c_key": "Key", "c_name": "Name", "c_weight": "Weight", "c_scale": "Scale", "c_minimum": "Knock-out minimum",
}

// tierField matches a tier cell's field name: "tier_up_to.1".
var tierField = regexp.MustCompile(`^tier_(up_to|price)\.(\d+)$`)

// Problems arranges a form's errors for the "ws-errors" summary. Fields
// whose input id is not "f-"+name (the overview's, which share names) are
// given in ids.
func (b *wsBase) Problems(f *form) wsProblems {
	out := wsProblems{Form: f}
	if f == nil {
		return out
	}
	for _, p := range f.Problems() {
		msg, isField := f.Errors[p.Path]
		if !isField || msg != p.Message {
			out.Items = append(out.Items, wsProblem{Path: p.Path, Message: p.Message})
			continue
		}
		name := p.Path
		item := wsProblem{Href: "#f-" + name, Label: wsLabels[name], Message: p.Message}
		if id, ok := b.ids[name]; ok {
			item.Href = "#" + id
		}
		switch m := tierField.FindStringSubmatch(name); {
		case m != nil:
			n, _ := strconv.Atoi(m[2])
			item.Href = fmt.Sprintf("#f-tier-%d-%s", n, m[1])
			item.Label = fmt.Sprintf("Tier %d: %s", n+1, map[string]string{"up_to": "up to", "price": "price"}[m[1]])
		case name == "tiers":
			item.Href = "#tiers"
		case strings.HasPrefix(name, "score."):
			item.Href = "#f-" + strings.ReplaceAll(name, ".", "-")
			item.Label = b.labels[name]
		}
		if item.Label == "" {
			item.Label = "This field"
		}
		out.Items = append(out.Items, item)
	}
	return out
}

// wsActor names who makes a workspace change in the audit log: the
// signed-in user's e-mail address (auth.go), else the pages' actor.
func wsActor(c echo.Context) string {
	if u := edge.User(c); u != nil {
		return u.Email
	}
	return pageActor
}
