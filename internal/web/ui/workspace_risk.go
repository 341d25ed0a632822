package ui

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
)

// wsRiskPage is the data of templates/workspace_risk.html: the risk
// settings of spec §9 (runs, seed and five triangular drivers).
type wsRiskPage struct {
	*wsBase
	Form    *form
	Drivers []riskDriver
	Saved   bool   // the evaluation has a risk block now
	Preset  bool   // the form shows the preset, not yet saved
	Foreign string // the quote currencies other than the evaluation's, "" when none
}

// riskDriver is one driver's three fields and what it means.
type riskDriver struct {
	Key, Label, Means string
	Low, Mode, High   string // the fields' names
}

// riskDrivers are the drivers in the engine's draw order, each with a
// sentence saying what it moves (spec §5's meaning).
var riskDrivers = []riskDriver{
	{Key: "volume", Label: "Volume",
		Means: "How far demand may land from the forecast: one draw per future multiplies every month's volume for every option. 0.8 / 1.0 / 1.3 is 20% fewer contacts at worst, the forecast most likely, 30% more at most."},
	{Key: "personnel", Label: "Personnel cost",
		Means: "Wages and other personnel costs, in-house and retained alike (every personnel line, one-time and share-of-vendor lines included), one draw per future. 0.97 / 1.03 / 1.10 is a 3% rise most likely, between 3% lower and 10% higher."},
	{Key: "aht", Label: "Average handle time",
		Means: "How long a contact takes: it moves every capacity-staffed line (agents, seats) and per-agent pricing, of the baseline and the vendors, one draw per future. 0.9 / 1.0 / 1.2 is 10% quicker at best, 20% slower at worst."},
	{Key: "vendor_price", Label: "Vendor prices",
		Means: "Each quote's prices (tiers, fixed monthly fee, minimum charge, setup and exit fees), drawn for each option with pricing on its own. 1.0 / 1.0 / 1.05 allows up to 5% more at renegotiation and no cut."},
	{Key: "fx_rate", Label: "Exchange rate",
		Means: "The rate of each quote currency other than the evaluation's, one draw per currency. 0.85 / 1.0 / 1.15 is ±15%. It changes nothing when every quote is in the evaluation's currency."},
}

func init() {
	for i := range riskDrivers {
		d := &riskDrivers[i]
		d.Low, d.Mode, d.High = d.Key+"_low", d.Key+"_mode", d.Key+"_high"
	}
}

// riskPreset is "typical contact-centre uncertainty" (issue 16): the
// exchange rate only when a quote is in another currency.
func riskPreset(foreign bool) url.Values {
	v := url.Values{"runs": {"2000"}, "seed": {"1"}}
	set := func(k, l, m, h string) { v.Set(k+"_low", l); v.Set(k+"_mode", m); v.Set(k+"_high", h) }
	set("volume", "0.8", "1.0", "1.3")
	set("personnel", "0.97", "1.03", "1.10")
	set("aht", "0.9", "1.0", "1.2")
	set("vendor_price", "1.0", "1.0", "1.05")
	if foreign {
		set("fx_rate", "0.85", "1.0", "1.15")
	}
	return v
}

// riskValues fills the form with a stored risk block (or blanks).
func riskValues(e *store.Evaluation, r *tco.Risk) url.Values {
	v := url.Values{"version": {strconv.FormatInt(e.Version, 10)}}
	if r == nil {
		return v
	}
	v.Set("runs", strconv.Itoa(r.Runs))
	v.Set("seed", strconv.FormatInt(r.Seed, 10))
	for _, d := range riskDrivers {
		if t := driverOf(&r.Drivers, d.Key); *t != nil {
			v.Set(d.Low, (*t).Low.String())
			v.Set(d.Mode, (*t).Mode.String())
			v.Set(d.High, (*t).High.String())
		}
	}
	return v
}

// driverOf is the field of drivers named key.
func driverOf(r *tco.RiskDrivers, key string) **tco.Triangular {
	switch key {
	case "volume":
		return &r.Volume
	case "personnel":
		return &r.Personnel
	case "aht":
		return &r.AHT
	case "vendor_price":
		return &r.VendorPrice
	default:
		return &r.FXRate
	}
}

// riskField maps a risk path to its field ("" for the summary):
// risk.runs → runs, risk.drivers.aht.high → aht_high, a whole driver's
// problem (mode below low) to its low field.
func riskField(p string) string {
	rest, ok := strings.CutPrefix(p, "risk.")
	if !ok {
		return ""
	}
	switch rest {
	case "runs", "seed":
		return rest
	}
	if d, ok := strings.CutPrefix(rest, "drivers."); ok {
		key, part, _ := strings.Cut(d, ".")
		for _, dr := range riskDrivers {
			if dr.Key == key {
				switch part {
				case "mode":
					return dr.Mode
				case "high":
					return dr.High
				}
				return dr.Low
			}
		}
	}
	return ""
}

// foreignCurrencies lists the quote currencies other than the
// evaluation's, in the options' order.
func foreignCurrencies(b *wsBase) []string {
	var out []string
	seen := map[string]bool{}
	for _, o := range b.Options {
		if o.Pricing != nil && o.Pricing.Currency != "" && o.Pricing.Currency != b.Eval.Currency && !seen[o.Pricing.Currency] {
			seen[o.Pricing.Currency] = true
			out = append(out, o.Pricing.Currency)
		}
	}
	return out
}

// Risk shows the risk settings: GET /evaluations/:id/workspace/risk;
// ?preset=typical fills in the preset without saving it.
func (u *Handlers) Risk(c echo.Context) error {
	b, err := u.wsLoad(c, "risk")
	if err != nil {
		return err
	}
	r, err := u.store.Risk(c.Request().Context(), b.ID)
	if err != nil {
		return err
	}
	v := riskValues(b.Eval, r)
	preset := c.QueryParam("preset") == "typical"
	if preset {
		p := riskPreset(len(foreignCurrencies(b)) > 0)
		p.Set("version", v.Get("version"))
		v = p
	}
	return u.wsShowRisk(c, http.StatusOK, b, newForm(v), r != nil, preset)
}

// wsShowRisk renders the risk form f (stored, preset or as typed).
func (u *Handlers) wsShowRisk(c echo.Context, status int, b *wsBase, f *form, saved, preset bool) error {
	p := &wsRiskPage{wsBase: b, Form: f, Drivers: riskDrivers, Saved: saved, Preset: preset,
		Foreign: strings.Join(foreignCurrencies(b), ", ")}
	// the error summary names a driver's fields in the page's words
	if b.labels == nil {
		b.labels = map[string]string{}
	}
	for _, d := range riskDrivers {
		b.labels[d.Low], b.labels[d.Mode], b.labels[d.High] = d.Label+": low", d.Label+": most likely", d.Label+": high"
	}
	return u.wsRender(c, status, "workspace_risk", "Risk", b, p)
}

// SaveRisk saves the risk settings, or with do=remove removes them:
// POST /evaluations/:id/workspace/risk. Every problem is shown at its
// field at once and nothing is saved. (The buttons' name is not "action":
// a control of that name would shadow form.action in the DOM.)
func (u *Handlers) SaveRisk(c echo.Context) error {
	b, err := u.wsLoad(c, "risk")
	if err != nil {
		return err
	}
	f, err := postedForm(c)
	if err != nil {
		return err
	}
	var r *tco.Risk
	if f.Get("do") != "remove" {
		r = parseRisk(f)
	}
	ctx, failed := checkContext(c, f)
	_, err = u.store.SaveRisk(ctx, wsActor(c), b.ID, wsVersion(f), r)
	if failed {
		f.FromError(err, riskField)
		f.Message = "Nothing was saved. Please correct the fields marked below."
		return u.wsShowRisk(c, http.StatusUnprocessableEntity, b, f, false, false)
	}
	if wsConflict(b, err, "evaluation's risk settings", fmt.Sprintf("/evaluations/%d/workspace/risk", b.ID)) {
		return u.wsShowRisk(c, http.StatusConflict, b, f, false, false)
	}
	if f.FromError(err, riskField) {
		return u.wsShowRisk(c, http.StatusUnprocessableEntity, b, f, false, false)
	}
	if err != nil {
		return err
	}
	saved := "risk"
	if r == nil {
		saved = "risk-removed"
	}
	return wsRedirect(c, b, fmt.Sprintf("/evaluations/%d/workspace/risk", b.ID), saved, "risk")
}

// parseRisk reads the form's runs, seed and drivers, recording every
// format problem at its field (ranges are the engine's to check, so the
// store names them all at once). A driver with its three fields blank is
// left out: fixed at 1.
func parseRisk(f *form) *tco.Risk {
	r := &tco.Risk{Runs: tco.DefaultRuns, Seed: tco.DefaultSeed}
	if s := f.Get("runs"); s != "" {
		n, err := strconv.Atoi(strings.NewReplacer(",", "", " ", "").Replace(s))
		if err != nil {
			f.Fail("runs", fmt.Sprintf("must be a whole number of futures from %d to %d, such as 2000", tco.MinRuns, tco.MaxRuns))
		}
		r.Runs = n
	}
	if s := f.Get("seed"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			f.Fail("seed", "must be a whole number from 0 to 9007199254740991, such as 1")
		}
		r.Seed = n
	}
	for _, d := range riskDrivers {
		names := []string{d.Low, d.Mode, d.High}
		blank := 0
		for _, n := range names {
			if f.Get(n) == "" {
				blank++
			}
		}
		if blank == 3 {
			continue
		}
		var v [3]decimal.Decimal
		for i, n := range names {
			s := f.Get(n)
			if s == "" {
				f.Fail(n, fmt.Sprintf("give low, most likely and high, or leave all three blank to hold %s fixed", strings.ToLower(d.Label)))
				continue
			}
			x, ok := parseDec(s)
			if !ok {
				f.Fail(n, fmt.Sprintf("must be a multiplier such as 1.05 (5%% more); %q is not", s))
				continue
			}
			v[i] = x
		}
		*driverOf(&r.Drivers, d.Key) = &tco.Triangular{Low: v[0], Mode: v[1], High: v[2]}
	}
	return r
}
