package web

import (
	"github.com/labstack/echo/v4"
)

// apiRoutes registers the JSON API of stored evaluations on g (/api/v1).
// Collections nest under their owner (/evaluations/{id}/options); a record
// is then addressed by its own id (/options/{id}). The OpenAPI description
// (openapi.go) lists the same routes; a test keeps the two in step.
func (s *Server) apiRoutes(g *echo.Group) {
	if s.echo.Validator == nil {
		s.echo.Validator = newRequestValidator()
	}
	// Quotes are confidential: no answer of the API goes to a shared cache.
	// Route middleware rather than g.Use, which would add catch-all routes.
	// ?confirm=1 confirms implausible values on every write (confirm.go).
	h := func(method, path string, handler echo.HandlerFunc) {
		g.Add(method, path, handler, noStore, confirmParam)
	}
	h("GET", "/openapi.json", s.openAPI)

	h("GET", "/evaluations", s.listEvaluations)
	h("POST", "/evaluations", s.createEvaluation)
	h("POST", "/evaluations/import", s.importEvaluation)
	h("GET", "/evaluations/:id", s.getEvaluation)
	h("PUT", "/evaluations/:id", s.updateEvaluation)
	h("DELETE", "/evaluations/:id", s.deleteEvaluation)
	h("POST", "/evaluations/:id/copy", s.copyEvaluation)
	h("GET", "/evaluations/:id/document", s.exportDocument)
	h("GET", "/evaluations/:id/comparison", s.evaluationComparison)
	h("GET", "/evaluations/:id/audit", s.listEvaluationAudit)

	h("GET", "/evaluations/:id/options", s.listOptions)
	h("POST", "/evaluations/:id/options", s.createOption)
	h("GET", "/options/:id", s.getOption)
	h("PUT", "/options/:id", s.updateOption)
	h("DELETE", "/options/:id", s.deleteOption)

	h("GET", "/options/:id/lines", s.listLines)
	h("POST", "/options/:id/lines", s.createLine)
	h("GET", "/lines/:id", s.getLine)
	h("PUT", "/lines/:id", s.updateLine)
	h("DELETE", "/lines/:id", s.deleteLine)

	h("GET", "/evaluations/:id/criteria", s.listCriteria)
	h("POST", "/evaluations/:id/criteria", s.createCriterion)
	h("GET", "/criteria/:id", s.getCriterion)
	h("PUT", "/criteria/:id", s.updateCriterion)
	h("DELETE", "/criteria/:id", s.deleteCriterion)

	h("GET", "/evaluations/:id/scores", s.listScores)
	h("GET", "/options/:id/scores", s.listOptionScores)
	h("POST", "/options/:id/scores", s.createScore)
	h("GET", "/scores/:id", s.getScore)
	h("PUT", "/scores/:id", s.updateScore)
	h("DELETE", "/scores/:id", s.deleteScore)

	h("GET", "/vendors", s.listVendors)
	h("POST", "/vendors", s.createVendor)
	h("GET", "/vendors/:id", s.getVendor)
	h("PUT", "/vendors/:id", s.updateVendor)
	h("DELETE", "/vendors/:id", s.deleteVendor)

	h("GET", "/options/:id/rounds", s.listRounds)
	h("POST", "/options/:id/rounds", s.createRound)
	h("GET", "/options/:id/rounds/comparison", s.compareRounds)
	h("GET", "/rounds/:id", s.getRound)
	h("PUT", "/rounds/:id", s.updateRound)
	h("DELETE", "/rounds/:id", s.deleteRound)

	s.bidRoutes(g, noStore, confirmParam) // api_sheets.go: bid form, bid upload, exports

	h("GET", "/audit", s.listAudit)
}

// noStore marks a response as not to be stored by any cache.
func noStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
		return next(c)
	}
}

// fieldError is a 422 naming one field of the request.
func fieldError(path, msg string) error { return problem(path, msg) }
