package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"vendorcompare/internal/evaluation"
	"vendorcompare/internal/report/words"
	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
	"vendorcompare/internal/web/edge"
)

// pageSize is how many evaluations the list shows per page.
const pageSize = 20

// pageActor is who the pages record in the audit log when nobody is
// signed in (tests that build the server without accounts).
const pageActor = "web"

// whoActs is the audit actor of a change made from a page: the signed-in
// user's email, else pageActor.
func whoActs(c echo.Context) string {
	if u := edge.User(c); u != nil {
		return u.Email
	}
	return pageActor
}

// maxImportBytes bounds an uploaded evaluation document (a large one is
// ~100 KiB; the server's body limit applies too).
const maxImportBytes = 1 << 20

// evaluationsPage is the data of templates/evaluations.html.
type evaluationsPage struct {
	Page       *store.EvaluationPage
	Query      string
	PageNo     int
	Pages      int
	PrevURL    string
	NextURL    string
	New        *form // the new-evaluation form
	Import     *form // the upload form's problems
	Currencies []choice
	Notice     string
	// Decisions is each listed evaluation's decision in force (absent:
	// none yet), one read for the page.
	Decisions map[int64]*store.Decision
}

// decisionCell is the list's decision status of one evaluation.
type decisionCell struct {
	Status string // evaluation.DecisionStatus
	Kind   string // award, reject, defer; "" for none yet
	Title  string // who recorded it and when, for the tooltip
}

// DecisionOf is evaluation id's decision status for its row.
func (p evaluationsPage) DecisionOf(id int64) decisionCell {
	d := p.Decisions[id]
	if d == nil {
		return decisionCell{Status: evaluation.DecisionStatus(nil)}
	}
	return decisionCell{Status: evaluation.DecisionStatus(d), Kind: d.Kind, Title: "Recorded by " + d.DecidedBy + " on " + evaluation.DecisionWhen(d)}
}

// currencies offered by the new-evaluation form (any ISO code is valid
// through the API and import).
var currencies = []choice{
	{"EUR", "EUR — euro"}, {"USD", "USD — US dollar"}, {"GBP", "GBP — pound sterling"},
	{"CHF", "CHF — Swiss franc"}, {"SEK", "SEK — Swedish krona"}, {"DKK", "DKK — Danish krone"},
	{"NOK", "NOK — Norwegian krone"}, {"PLN", "PLN — Polish złoty"}, {"CAD", "CAD — Canadian dollar"},
	{"AUD", "AUD — Australian dollar"}, {"JPY", "JPY — Japanese yen"}, {"CNY", "CNY — Chinese yuan renminbi"},
	// the currencies of the places service centres are quoted from, by code
	{"AED", "AED — UAE dirham"}, {"ARS", "ARS — Argentine peso"}, {"BRL", "BRL — Brazilian real"},
	{"CLP", "CLP — Chilean peso"}, {"COP", "COP — Colombian peso"}, {"CZK", "CZK — Czech koruna"},
	{"EGP", "EGP — Egyptian pound"}, {"HKD", "HKD — Hong Kong dollar"}, {"HUF", "HUF — Hungarian forint"},
	{"IDR", "IDR — Indonesian rupiah"}, {"ILS", "ILS — Israeli new shekel"}, {"INR", "INR — Indian rupee"},
	{"ISK", "ISK — Icelandic króna"}, {"KES", "KES — Kenyan shilling"}, {"KRW", "KRW — South Korean won"},
	{"MAD", "MAD — Moroccan dirham"}, {"MXN", "MXN — Mexican peso"}, {"MYR", "MYR — Malaysian ringgit"},
	{"NZD", "NZD — New Zealand dollar"}, {"PEN", "PEN — Peruvian sol"}, {"PHP", "PHP — Philippine peso"},
	{"RON", "RON — Romanian leu"}, {"RSD", "RSD — Serbian dinar"}, {"SAR", "SAR — Saudi riyal"},
	{"SGD", "SGD — Singapore dollar"}, {"THB", "THB — Thai baht"}, {"TRY", "TRY — Turkish lira"},
	{"TWD", "TWD — New Taiwan dollar"}, {"UAH", "UAH — Ukrainian hryvnia"}, {"VND", "VND — Vietnamese đồng"},
	{"ZAR", "ZAR — South African rand"},
}

// ListEvaluations shows the evaluations, most recently changed first, with
// search and pages, and the forms to start a new one: GET /?q=&page=.
func (u *Handlers) ListEvaluations(c echo.Context) error {
	return u.showEvaluations(c, http.StatusOK, nil, nil, "")
}

// showEvaluations renders the list with the new-evaluation form nf and the
// import form imp (their values and errors after a failed POST).
func (u *Handlers) showEvaluations(c echo.Context, status int, nf, imp *form, notice string) error {
	q := strings.TrimSpace(c.QueryParam("q"))
	pageNo, _ := strconv.Atoi(c.QueryParam("page"))
	pageNo = max(pageNo, 1)
	pg, err := u.store.ListEvaluations(c.Request().Context(), store.ListParams{Search: q, Limit: pageSize, Offset: (pageNo - 1) * pageSize})
	if err != nil {
		return err
	}
	if nf == nil {
		nf = newForm(url.Values{
			"currency": {"EUR"}, "start": {nextMonth(time.Now())}, "horizon_months": {"36"},
			"volume_monthly": {"20000"}, "volume_unit": {"contact"},
		})
	}
	if imp == nil {
		imp = newForm(nil)
	}
	d := evaluationsPage{Page: pg, Query: q, PageNo: pageNo, New: nf, Import: imp, Currencies: currencies, Notice: notice, Decisions: map[int64]*store.Decision{}}
	ids := make([]int64, len(pg.Items))
	for i, e := range pg.Items {
		ids[i] = e.ID
	}
	latest, err := u.store.LatestDecisions(c.Request().Context(), ids)
	if err != nil {
		return err
	}
	for id, dec := range latest {
		d.Decisions[id] = &dec
	}
	d.Pages = max(1, (pg.Total+pageSize-1)/pageSize)
	link := func(n int) string {
		v := url.Values{}
		if q != "" {
			v.Set("q", q)
		}
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
		if len(v) == 0 {
			return "/"
		}
		return "/?" + v.Encode()
	}
	if pageNo > 1 {
		d.PrevURL = link(pageNo - 1)
	}
	if pageNo < d.Pages {
		d.NextURL = link(pageNo + 1)
	}
	return u.render(c, status, "evaluations", view{Title: "Evaluations", Nav: "evaluations", Data: d})
}

// nextMonth is the month after t as YYYY-MM: a new evaluation usually
// starts there.
func nextMonth(t time.Time) string {
	return time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, time.UTC).Format("2006-01")
}

// newEvaluationPaths maps the settings' document paths to the form's
// fields.
var newEvaluationPaths = map[string]string{
	"name": "name", "currency": "currency", "start": "start", "horizon_months": "horizon_months",
	"volume.monthly": "volume_monthly", "volume.unit": "volume_unit",
}

// CreateEvaluation creates a blank evaluation with an in-house baseline
// option, then redirects to its workspace: POST /evaluations. A bad field
// shows the list again with the error next to it and nothing saved.
func (u *Handlers) CreateEvaluation(c echo.Context) error {
	f, err := postedForm(c)
	if err != nil {
		return err
	}
	st := store.Settings{
		Name: f.Get("name"), Currency: strings.ToUpper(f.Get("currency")), Start: f.Get("start"),
		Volume:   tco.Volume{Unit: f.Get("volume_unit")},
		Baseline: "in-house",
		Price:    tco.Price{Weight: decimal.RequireFromString("0.4")},
	}
	// Check every field here, so one answer lists every problem; the
	// store checks them again (and more) before saving.
	if st.Name == "" {
		f.Fail("name", "required")
	}
	if len(st.Currency) != 3 || strings.Trim(st.Currency, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		f.Fail("currency", "must be a three-letter ISO code, such as EUR")
	}
	if _, err := time.Parse("2006-01", st.Start); err != nil {
		f.Fail("start", "must be a month YYYY-MM, such as 2027-01")
	}
	if h, err := strconv.Atoi(f.Get("horizon_months")); err != nil || h < 1 || h > 600 {
		f.Fail("horizon_months", "must be a whole number of months from 1 to 600, such as 36")
	} else {
		st.HorizonMonths = h
	}
	// "20,000" as people write it (wsDec)
	if v := wsDec(f, "volume_monthly"); f.Errors["volume_monthly"] == "" && v.Sign() < 0 {
		f.Fail("volume_monthly", "must be 0 or more, such as 20,000")
	} else {
		st.Volume.Monthly = v
	}
	if st.Volume.Unit == "" {
		f.Fail("volume_unit", "required, such as contact or call")
	}
	if f.HasErrors() {
		f.Message = "Nothing was saved. Please correct the fields marked below."
		return u.showEvaluations(c, http.StatusUnprocessableEntity, f, nil, "")
	}
	// the store's checks use the document's paths
	ctx := c.Request().Context()
	e, err := u.store.CreateEvaluation(confirmedCtx(c, f), whoActs(c), st)
	if f.FromError(err, func(p string) string { return newEvaluationPaths[p] }) {
		return u.showEvaluations(c, http.StatusUnprocessableEntity, f, nil, "")
	}
	if err != nil {
		return err
	}
	_, err = u.store.CreateOption(ctx, whoActs(c), e.ID, store.OptionInput{Slug: "in-house", Name: "In-house today", Kind: tco.KindInHouse})
	if err != nil {
		// Leave no evaluation without its baseline behind.
		if derr := u.store.DeleteEvaluation(context.WithoutCancel(ctx), whoActs(c), e.ID, 0); derr != nil {
			err = errors.Join(err, derr)
		}
		return fmt.Errorf("create the baseline option: %w", err)
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/evaluations/%d/workspace", e.ID))
}

// CopyEvaluation copies an evaluation with everything in it and opens the
// copy's dashboard: POST /evaluations/copy with id (and optionally name).
func (u *Handlers) CopyEvaluation(c echo.Context) error {
	v, err := formValues(c)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(v.Get("id"), 10, 64)
	if err != nil || id <= 0 {
		return echo.NewHTTPError(http.StatusBadRequest, "choose the evaluation to copy")
	}
	ctx := c.Request().Context()
	name := strings.TrimSpace(v.Get("name"))
	if name == "" {
		src, err := u.store.GetEvaluation(ctx, id)
		if err != nil {
			return err
		}
		name = copyName(src.Name)
	}
	e, err := u.store.CopyEvaluation(ctx, whoActs(c), id, name)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/evaluations/%d", e.ID))
}

// copyName is the default name of a copy: "Copy of NAME", cut to the
// store's 200 characters.
func copyName(name string) string {
	s := "Copy of " + name
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200])
	}
	return s
}

// ImportEvaluation creates an evaluation from an uploaded JSON document
// (the spec's format, as the API and export write it): POST
// /evaluations/import with the file in "document". Every problem is listed
// with its field path and nothing is saved.
func (u *Handlers) ImportEvaluation(c echo.Context) error {
	imp := newForm(nil)
	fail := func(msg string, other tco.Errors) error {
		imp.Message, imp.Other = msg, other
		if len(other) == 0 {
			imp.Fail("document", msg)
		}
		return u.showEvaluations(c, http.StatusUnprocessableEntity, nil, imp, "")
	}
	fh, err := c.FormFile("document")
	if v, verr := formValues(c); verr == nil {
		imp.Values = v // the confirm box
	}
	if err != nil {
		return fail("Choose a JSON file to upload.", nil)
	}
	if fh.Size > maxImportBytes {
		return fail(fmt.Sprintf("The file is too large: the limit is %s.", edge.Size(maxImportBytes)), nil)
	}
	file, err := fh.Open()
	if err != nil {
		return fmt.Errorf("open upload: %w", err)
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, maxImportBytes+1))
	if err != nil {
		return fmt.Errorf("read upload: %w", err)
	}
	doc, err := tco.Decode(data)
	if err == nil {
		if verr := doc.Validate(); verr != nil {
			err = verr
		}
	}
	if err != nil {
		var fe tco.Errors
		if errors.As(err, &fe) {
			return fail(fmt.Sprintf("Nothing was imported: %s has %s.", fh.Filename, words.Count(len(fe), "problem")), fe)
		}
		var me *tco.MalformedError
		if errors.As(err, &me) {
			return fail("Nothing was imported: "+me.Error(), nil)
		}
		return err
	}
	id, err := u.store.ImportDocument(confirmedCtx(c, imp), whoActs(c), doc)
	if err != nil {
		var fe tco.Errors
		if errors.As(err, &fe) && confirmOnly(err) {
			imp.needsConfirm(err)
			return fail(imp.Message+" A browser does not keep the file: choose it again.", fe)
		}
		if errors.As(err, &fe) {
			return fail(fmt.Sprintf("Nothing was imported: %s has %s.", fh.Filename, words.Count(len(fe), "problem")), fe)
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/evaluations/%d", id))
}
