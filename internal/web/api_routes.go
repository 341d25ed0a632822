package web

import (
	"github.com/labstack/echo/v4"

	"vendorcompare/internal/tco"
)

// apiRoutes registers the JSON API of stored evaluations on g (/api/v1).
// Collections nest under their owner (/evaluations/{id}/options); a record
// is then addressed by its own id (/options/{id}). The OpenAPI description
// (openapi.go) lists the same routes; a test keeps the two in step.
func (s *Server) apiRoutes(g *echo.Group) {
	if s.echo.Validator == nil {
		s.echo.Validator = newRequestValidator()
	}
	g.GET("/openapi.json", s.openAPI)

	g.GET("/evaluations", s.listEvaluations)
	g.POST("/evaluations", s.createEvaluation)
	g.POST("/evaluations/import", s.importEvaluation)
	g.GET("/evaluations/:id", s.getEvaluation)
	g.PUT("/evaluations/:id", s.updateEvaluation)
	g.DELETE("/evaluations/:id", s.deleteEvaluation)
	g.POST("/evaluations/:id/copy", s.copyEvaluation)
	g.GET("/evaluations/:id/document", s.exportDocument)
	g.GET("/evaluations/:id/comparison", s.evaluationComparison)
	g.GET("/evaluations/:id/audit", s.listEvaluationAudit)

	g.GET("/evaluations/:id/options", s.listOptions)
	g.POST("/evaluations/:id/options", s.createOption)
	g.GET("/options/:id", s.getOption)
	g.PUT("/options/:id", s.updateOption)
	g.DELETE("/options/:id", s.deleteOption)

	g.GET("/options/:id/lines", s.listLines)
	g.POST("/options/:id/lines", s.createLine)
	g.GET("/lines/:id", s.getLine)
	g.PUT("/lines/:id", s.updateLine)
	g.DELETE("/lines/:id", s.deleteLine)

	g.GET("/evaluations/:id/criteria", s.listCriteria)
	g.POST("/evaluations/:id/criteria", s.createCriterion)
	g.GET("/criteria/:id", s.getCriterion)
	g.PUT("/criteria/:id", s.updateCriterion)
	g.DELETE("/criteria/:id", s.deleteCriterion)

	g.GET("/evaluations/:id/scores", s.listScores)
	g.GET("/options/:id/scores", s.listOptionScores)
	g.POST("/options/:id/scores", s.createScore)
	g.GET("/scores/:id", s.getScore)
	g.PUT("/scores/:id", s.updateScore)
	g.DELETE("/scores/:id", s.deleteScore)

	g.GET("/vendors", s.listVendors)
	g.POST("/vendors", s.createVendor)
	g.GET("/vendors/:id", s.getVendor)
	g.PUT("/vendors/:id", s.updateVendor)
	g.DELETE("/vendors/:id", s.deleteVendor)

	g.GET("/options/:id/rounds", s.listRounds)
	g.POST("/options/:id/rounds", s.createRound)
	g.GET("/options/:id/rounds/comparison", s.compareRounds)
	g.GET("/rounds/:id", s.getRound)
	g.PUT("/rounds/:id", s.updateRound)
	g.DELETE("/rounds/:id", s.deleteRound)

	g.GET("/audit", s.listAudit)
}

// fieldError is a 422 naming one field.
func fieldError(path, msg string) error {
	return tco.Errors{{Path: path, Message: msg}}
}
