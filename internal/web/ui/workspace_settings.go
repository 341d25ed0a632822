package ui

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"vendorcompare/internal/report/words"
	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
)

// wsSettingsPage is the data of templates/workspace_settings.html.
type wsSettingsPage struct {
	*wsBase
	Form         *form
	Currencies   []choice
	Timings      []choice
	Escalations  []choice
	Bases        []choice
	Formulas     []choice
	Baselines    []choice
	FiscalMonths []choice       // "" (not set: January) and the twelve months
	Months       []wsMonthField // the seasonality grid
}

// wsMonthField is one cell of the seasonality grid.
type wsMonthField struct {
	Name, Label string
}

// settingsPaths maps the settings' document paths to the form's fields.
var settingsPaths = map[string]string{
	"name": "name", "currency": "currency", "start": "start", "horizon_months": "horizon_months",
	"discount_rate": "discount_rate", "timing": "timing", "escalation": "escalation", "baseline": "baseline",
	"volume.unit": "volume_unit", "volume.monthly": "volume_monthly", "volume.growth": "volume_growth",
	"volume.seasonality": "season_1",
	"price.weight":       "price_weight", "price.basis": "price_basis", "price.formula": "price_formula",
	"price.full_at": "price_full_at", "price.zero_at": "price_zero_at",
	"fiscal_year_start": "fiscal_year_start", "materiality": "materiality",
}

// settingsField maps a settings path to its field ("" for the summary).
func settingsField(p string) string {
	if f, ok := settingsPaths[p]; ok {
		return f
	}
	var k int
	if _, err := fmt.Sscanf(p, "volume.seasonality[%d]", &k); err == nil && k >= 0 && k < 12 {
		return fmt.Sprintf("season_%d", k+1)
	}
	return ""
}

// SettingsValues fills the form with the stored settings.
func SettingsValues(e *store.Evaluation) url.Values {
	v := url.Values{
		"name": {e.Name}, "currency": {e.Currency}, "start": {e.Start}, "horizon_months": {strconv.Itoa(e.HorizonMonths)},
		"discount_rate": {e.DiscountRate.String()}, "timing": {e.Timing}, "escalation": {e.Escalation},
		"baseline": {e.Baseline}, "volume_unit": {e.Volume.Unit}, "volume_monthly": {e.Volume.Monthly.String()},
		"volume_growth": {e.Volume.Growth.String()}, "price_weight": {e.Price.Weight.String()},
		"price_basis": {e.Price.Basis}, "price_formula": {e.Price.Formula},
		"price_full_at": {e.Price.FullAt.String()}, "price_zero_at": {e.Price.ZeroAt.String()},
		"version": {strconv.FormatInt(e.Version, 10)},
	}
	// Blank is "not set": saving the form keeps it unset (the spec's
	// default), so the export stays as the document that never set it.
	v.Set("fiscal_year_start", "")
	if e.FiscalYearStart != nil {
		v.Set("fiscal_year_start", strconv.Itoa(*e.FiscalYearStart))
	}
	v.Set("materiality", "")
	if e.Materiality != nil {
		v.Set("materiality", e.Materiality.String())
	}
	for i := 0; i < 12; i++ {
		s := "1"
		if i < len(e.Volume.Seasonality) {
			s = e.Volume.Seasonality[i].String()
		}
		v.Set(fmt.Sprintf("season_%d", i+1), s)
	}
	return v
}

// Settings shows the settings form: GET /evaluations/:id/workspace/settings.
func (u *Handlers) Settings(c echo.Context) error {
	b, err := u.wsLoad(c, "settings")
	if err != nil {
		return err
	}
	return u.wsShowSettings(c, http.StatusOK, b, newForm(SettingsValues(b.Eval)))
}

// wsShowSettings renders the settings form f (stored or as typed).
func (u *Handlers) wsShowSettings(c echo.Context, status int, b *wsBase, f *form) error {
	p := &wsSettingsPage{wsBase: b, Form: f, Currencies: currencyChoices(b.Eval.Currency),
		Timings:     []choice{{tco.TimingEnd, "End of the month"}, {tco.TimingMid, "Middle of the month"}, {tco.TimingBegin, "Start of the month"}},
		Escalations: []choice{{tco.EscalationAnniversary, "A step at each anniversary"}, {tco.EscalationMonthly, "Smoothly, every month"}},
		Bases:       []choice{{tco.PriceBasisPV, "Present value (PV)"}, {tco.PriceBasisTCO, "Total cost (TCO)"}},
		Formulas:    []choice{{tco.FormulaAnchored, "Anchored to the baseline"}, {tco.FormulaLowestRatio, "Lowest total ÷ total"}},
	}
	for _, o := range b.Options {
		p.Baselines = append(p.Baselines, choice{o.Slug, o.Name})
	}
	if len(p.Baselines) == 0 {
		p.Baselines = []choice{{b.Eval.Baseline, b.Eval.Baseline}}
	}
	p.FiscalMonths = []choice{{"", "Not set (January)"}}
	for m := time.January; m <= time.December; m++ {
		p.FiscalMonths = append(p.FiscalMonths, choice{strconv.Itoa(int(m)), m.String()})
	}
	for m := 1; m <= 12; m++ {
		p.Months = append(p.Months, wsMonthField{Name: fmt.Sprintf("season_%d", m), Label: words.MonthName(m)})
	}
	return u.wsRender(c, status, "workspace_settings", "Settings", b, p)
}

// SaveSettings saves the settings: POST /evaluations/:id/workspace/settings.
func (u *Handlers) SaveSettings(c echo.Context) error {
	b, err := u.wsLoad(c, "settings")
	if err != nil {
		return err
	}
	f, err := postedForm(c)
	if err != nil {
		return err
	}
	st := store.Settings{
		Name: f.Get("name"), Currency: strings.ToUpper(f.Get("currency")), Start: f.Get("start"),
		Timing: f.Get("timing"), Escalation: f.Get("escalation"), Baseline: f.Get("baseline"),
		Volume: tco.Volume{Unit: f.Get("volume_unit")},
		Price:  tco.Price{Basis: f.Get("price_basis"), Formula: f.Get("price_formula")},
	}
	if h, err := strconv.Atoi(f.Get("horizon_months")); err != nil {
		f.Fail("horizon_months", "must be a whole number of months, such as 36")
	} else {
		st.HorizonMonths = h
	}
	zero := decimal.Zero
	st.DiscountRate = wsDecOr(f, "discount_rate", zero)
	st.Volume.Monthly = wsDec(f, "volume_monthly")
	st.Volume.Growth = wsDecOr(f, "volume_growth", zero)
	for i := 1; i <= 12; i++ {
		st.Volume.Seasonality = append(st.Volume.Seasonality, wsDecOr(f, fmt.Sprintf("season_%d", i), decimal.NewFromInt(1)))
	}
	st.Price.Weight = wsDecOr(f, "price_weight", decimal.RequireFromString("0.4"))
	st.Price.FullAt = wsDecOr(f, "price_full_at", decimal.RequireFromString("0.7"))
	st.Price.ZeroAt = wsDecOr(f, "price_zero_at", decimal.RequireFromString("1.3"))
	st.FiscalYearStart = wsInt(f, "fiscal_year_start")
	st.Materiality = wsDecPtr(f, "materiality")
	ctx, failed := checkContext(c, f)
	_, err = u.store.UpdateEvaluation(ctx, wsActor(c), b.ID, wsVersion(f), st)
	if failed {
		f.FromError(err, settingsField)
		f.Message = "Nothing was saved. Please correct the fields marked below."
		return u.wsShowSettings(c, http.StatusUnprocessableEntity, b, f)
	}
	if wsConflict(b, err, "evaluation's settings", fmt.Sprintf("/evaluations/%d/workspace/settings", b.ID)) {
		return u.wsShowSettings(c, http.StatusConflict, b, f)
	}
	if f.FromError(err, settingsField) {
		return u.wsShowSettings(c, http.StatusUnprocessableEntity, b, f)
	}
	if err != nil {
		return err
	}
	return wsRedirect(c, b, fmt.Sprintf("/evaluations/%d/workspace/settings", b.ID), "settings", "summary")
}
