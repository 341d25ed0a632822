package web

import (
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
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
		return f, p, queryErrors(err, tco.Errors{{Path: "entity",
			Message: "must be evaluation, option, round, line, criterion, score, vendor, decision, user or token"}})
	}
	if !seesAccountAudit(c) {
		if slices.Contains(store.AccountEntities, f.Entity) {
			return f, p, echo.NewHTTPError(http.StatusForbidden, "only admins may read the audit of users and tokens")
		}
		f.HideAccounts = true
	}
	return f, p, err
}

// seesAccountAudit reports whether the request's user may read the audit
// entries of users and tokens: admins only. Without accounts (no user
// at all) there are none to read.
func seesAccountAudit(c echo.Context) bool {
	u := currentUser(c)
	return u != nil && u.Role == store.RoleAdmin
}

// listAudit answers GET /audit: every recorded change, newest first, with
// who made it, when, and the record before and after.
func (s *Server) listAudit(c echo.Context) error {
	f, p, err := auditFilter(c)
	if err != nil {
		return err
	}
	page, err := s.deps.Store.Audit(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newPage(c, page.Items, page.Total, p))
}

// listEvaluationAudit answers GET /evaluations/{id}/audit: the changes of
// one evaluation and everything in it. A deleted evaluation's history stays
// readable; an id that never had any is 404.
func (s *Server) listEvaluationAudit(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	f, p, err := auditFilter(c)
	if err != nil {
		return err
	}
	f.EvaluationID = id
	ctx := c.Request().Context()
	page, err := s.deps.Store.Audit(ctx, f)
	if err != nil {
		return err
	}
	if page.Total == 0 && f.Entity == "" {
		if _, err := s.deps.Store.GetEvaluation(ctx, id); err != nil {
			return err
		}
	}
	return c.JSON(http.StatusOK, newPage(c, page.Items, page.Total, p))
}
