package api

import (
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
	"vendorcompare/internal/web/edge"
)

// auditEntities are the values ?entity= accepts.
var auditEntities = map[string]bool{"evaluation": true, "option": true, "round": true, "line": true,
	"criterion": true, "score": true, "vendor": true, "decision": true, "user": true, "token": true}

// auditFilter reads ?entity=, ?limit= and ?offset=. Account entries
// (users' e-mails, roles and disabled flags, token names) are an admin's
// business: left out for other roles, and asking for them is 403.
func auditFilter(c echo.Context) (store.AuditFilter, store.ListParams, error) {
	p, err := listQuery(c)
	f := store.AuditFilter{Entity: c.QueryParam("entity"), Limit: p.Limit, Offset: p.Offset}
	if f.Entity != "" && !auditEntities[f.Entity] {
		return f, p, edge.Join(err, tco.Errors{{Path: "entity",
			Message: "must be evaluation, option, round, line, criterion, score, vendor, decision, user or token"}})
	}
	if !edge.SeesAccountAudit(c) {
		if slices.Contains(store.AccountEntities, f.Entity) {
			return f, p, echo.NewHTTPError(http.StatusForbidden, "only admins may read the audit of users and tokens")
		}
		f.HideAccounts = true
	}
	return f, p, err
}

// ListAudit answers GET /audit: every recorded change, newest first, with
// who made it, when, and the record before and after.
func (h *Handlers) ListAudit(c echo.Context) error {
	f, p, err := auditFilter(c)
	if err != nil {
		return err
	}
	page, err := h.Store.Audit(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newPage(c, page.Items, page.Total, p))
}

// ListEvaluationAudit answers GET /evaluations/{id}/audit: the changes of
// one evaluation and everything in it. A deleted evaluation's history stays
// readable; an id that never had any is 404.
func (h *Handlers) ListEvaluationAudit(c echo.Context) error {
	id, err := edge.ID(c, "id")
	if err != nil {
		return err
	}
	f, p, err := auditFilter(c)
	if err != nil {
		return err
	}
	f.EvaluationID = id
	ctx := c.Request().Context()
	page, err := h.Store.Audit(ctx, f)
	if err != nil {
		return err
	}
	if page.Total == 0 && f.Entity == "" {
		if _, err := h.Store.GetEvaluation(ctx, id); err != nil {
			return err
		}
	}
	return c.JSON(http.StatusOK, newPage(c, page.Items, page.Total, p))
}
