package ui

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"vendorcompare/internal/tco"
	"vendorcompare/internal/web/edge"
)

// Dashboard shows the comparison of an evaluation: GET /evaluations/:id.
// The view model is internal/evaluation's (built once per evaluation
// version); an evaluation that cannot be compared yet (a new one with only
// its baseline, say) gets a page saying what is missing instead.
func (u *Handlers) Dashboard(c echo.Context) error {
	id, err := edge.ID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	v := u.viewer(c, view{Nav: "evaluations"})
	var who string // everything of the viewer's the page shows
	if v.User != nil {
		who = fmt.Sprintf("%d %q %s", v.User.ID, v.User.Email, v.User.Role)
	}
	// the page never waits for the risk simulation: it shows it when made
	// (a page of its own in the cache), else the panel fetches it
	risk, ready, err := u.eval.RiskIfReady(ctx, id)
	if err != nil {
		return err
	}
	who = fmt.Sprintf("dashboard %s csrf=%s test=%t risk=%t", who, v.CSRF, v.Test, ready)
	a, err := u.eval.Page(ctx, id, who, func() ([]byte, error) {
		d, err := u.eval.Dashboard(ctx, id)
		if err != nil {
			return nil, err
		}
		v.Title, v.Data = d.Eval.Name, withHowSure(d, risk, ready)
		buf, err := u.pages.execute("dashboard", &v)
		if err != nil {
			return nil, err
		}
		defer u.pages.put(buf)
		return bytes.Clone(buf.Bytes()), nil
	})
	if err != nil {
		return u.notReady(c, err)
	}
	h := c.Response().Header()
	h.Set(echo.HeaderCacheControl, "no-store")
	body := a.JSON
	if a.Gzip != nil && edge.AcceptsGzip(c.Request().Header.Get(echo.HeaderAcceptEncoding)) {
		body = a.Gzip
		h.Set(echo.HeaderContentEncoding, "gzip")
	}
	h.Set(echo.HeaderContentLength, strconv.Itoa(len(body)))
	return c.HTMLBlob(http.StatusOK, body)
}

// notReadyPage is the data of templates/notready.html.
type notReadyPage struct {
	ID       int64
	Name     string
	Problems tco.Errors
	Fixes    []docFix // the problems, each linked to its field
}

// notReady renders the "cannot compare yet" page when err holds the
// document's field problems (tco.Errors); any other error is returned.
func (u *Handlers) notReady(c echo.Context, err error) error {
	var fe tco.Errors
	if !errors.As(err, &fe) {
		return err
	}
	id, _ := edge.ID(c, "id")
	p := notReadyPage{ID: id, Problems: fe}
	ctx := c.Request().Context()
	if e, gerr := u.store.GetEvaluation(ctx, id); gerr == nil {
		p.Name = e.Name
	}
	opts, oerr := u.store.ListOptions(ctx, id)
	crits, cerr := u.store.ListCriteria(ctx, id)
	if oerr != nil || cerr != nil {
		return errors.Join(oerr, cerr)
	}
	p.Fixes = docFixes(id, opts, crits, fe)
	return u.render(c, http.StatusOK, "notready", view{Title: "Not ready to compare", Nav: "evaluations", Data: p})
}
