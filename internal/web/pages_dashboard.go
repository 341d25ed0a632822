package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"vendorcompare/internal/tco"
	"vendorcompare/internal/web/edge"
)

// dashboard shows the comparison of an evaluation: GET /evaluations/:id.
// The view model is internal/evaluation's (built once per evaluation
// version); an evaluation that cannot be compared yet (a new one with only
// its baseline, say) gets a page saying what is missing instead.
func (u *ui) dashboard(c echo.Context) error {
	id, err := edge.ID(c, "id")
	if err != nil {
		return err
	}
	d, err := u.s.eval.Dashboard(c.Request().Context(), id)
	if err != nil {
		return u.notReady(c, err)
	}
	return u.render(c, http.StatusOK, "dashboard", view{Title: d.Eval.Name, Nav: "evaluations", Data: d})
}

// print shows the board pack of an evaluation: GET /evaluations/:id/print.
func (u *ui) print(c echo.Context) error {
	id, err := edge.ID(c, "id")
	if err != nil {
		return err
	}
	d, err := u.s.eval.Dashboard(c.Request().Context(), id)
	if err != nil {
		return u.notReady(c, err)
	}
	return u.render(c, http.StatusOK, "print", view{Title: "Board pack: " + d.Eval.Name, Data: d})
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
func (u *ui) notReady(c echo.Context, err error) error {
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
