package ui

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"vendorcompare/internal/evaluation"
	"vendorcompare/internal/store"
	"vendorcompare/internal/web/edge"
)

// HowSure answers the dashboard's "how sure" panel and the first screen's
// line as an HTML fragment: GET /evaluations/:id/risk, which the dashboard's
// static/js/howsure.js fetches when the page was drawn before the
// simulation was made. It waits for the simulation (one per evaluation
// version, in a comparison slot: evaluation.Service.Risk) until the
// request's deadline; a simulation the engine refuses (over the work
// budget) is the panel's problem, in words.
func (u *Handlers) HowSure(c echo.Context) error {
	id, err := edge.ID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	d, err := u.eval.Dashboard(ctx, id)
	if err != nil {
		return err
	}
	risk, err := u.eval.Risk(ctx, id)
	var h *evaluation.HowSure
	var se *store.Error
	switch {
	case errors.As(err, &se) && se.Code == store.CodeInvalid:
		h = evaluation.NewHowSure(d, nil, false)
		h.Problem = riskProblem(se)
	case err != nil:
		return err
	default:
		h = evaluation.NewHowSure(d, risk, true)
	}
	buf := u.pages.bufs.Get().(*bytes.Buffer)
	buf.Reset()
	defer u.pages.put(buf)
	if err := u.pages.byName["dashboard"].ExecuteTemplate(buf, "howsure-fragment", h); err != nil {
		return err
	}
	hd := c.Response().Header()
	hd.Set(echo.HeaderCacheControl, "no-store")
	hd.Set(echo.HeaderContentLength, strconv.Itoa(buf.Len()))
	return c.HTMLBlob(http.StatusOK, buf.Bytes())
}

// riskProblem puts a refused simulation in a sentence with its fields:
// "The simulation cannot run: risk.runs: at most 3,443 runs here."
func riskProblem(se *store.Error) string {
	parts := make([]string, 0, len(se.Fields))
	for _, f := range se.Fields {
		parts = append(parts, f.Path+": "+f.Message)
	}
	return "The simulation cannot run: " + strings.Join(parts, "; ") + "."
}

// withHowSure is a copy of d (shared with the cache) carrying the panel
// for the simulation as it stands. The panel is the same for every role
// (the dashboard's body is): an editor's link to the risk settings is in
// the page's actions.
func withHowSure(d *evaluation.Dashboard, r *evaluation.Risk, ready bool) *evaluation.Dashboard {
	dd := *d
	dd.HowSure = evaluation.NewHowSure(d, r, ready)
	return &dd
}
