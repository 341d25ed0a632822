package api

import (
	"fmt"

	"github.com/labstack/echo/v4"

	"vendorcompare/internal/tco"
	"vendorcompare/internal/web/edge"
)

// EvaluationComparison answers GET /evaluations/{id}/comparison: the
// spec's comparison JSON, byte for byte what POST /compare answers for the
// exported document. ?break_even_max= as there; ?rounds= picks rounds. An
// unchanged evaluation is answered from the value cache
// (internal/evaluation).
func (h *Handlers) EvaluationComparison(c echo.Context) error {
	id, err := edge.ID(c, "id")
	if err != nil {
		return err
	}
	beMax, qerr := edge.BreakEvenMax(c.QueryParam("break_even_max"))
	sel, rerr := edge.RoundSelection(c.QueryParam("rounds"))
	if qerr != nil || rerr != nil {
		return edge.Join(qerr, rerr)
	}
	a, err := h.Eval.ComparisonAnswer(c.Request().Context(), id, sel, tco.CompareOptions{BreakEvenMax: beMax})
	if err != nil {
		return fmt.Errorf("compare: %w", err)
	}
	return sendAnswer(c, a)
}
