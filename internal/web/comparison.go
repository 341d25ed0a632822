package web

import (
	"context"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"vendorcompare/internal/tco"
	"vendorcompare/internal/transfer"
	"vendorcompare/internal/web/edge"
)

// The comparisons of stored evaluations, in the server's comparison slots
// and cache (compare.go, comparecache.go): the one API handler that needs
// them, and the costing the exports use (api.Handlers.Cost).

// evaluationComparison answers GET /evaluations/{id}/comparison: the
// spec's comparison JSON, byte for byte what POST /compare answers for the
// exported document. ?break_even_max= as there; ?rounds= picks rounds.
func (s *Server) evaluationComparison(c echo.Context) error {
	id, err := edge.ID(c, "id")
	if err != nil {
		return err
	}
	beMax, qerr := edge.BreakEvenMax(c.QueryParam("break_even_max"))
	sel, rerr := edge.RoundSelection(c.QueryParam("rounds"))
	if qerr != nil || rerr != nil {
		return edge.Join(qerr, rerr)
	}
	// An unchanged evaluation is answered without loading its document
	// (comparecache.go).
	ctx := c.Request().Context()
	key, keyed := s.storedKey(ctx, id, c.QueryParam("rounds"), c.QueryParam("break_even_max"))
	body, cached := s.cache.get(key)
	if !keyed || !cached {
		doc, err := s.deps.Store.Document(ctx, id, sel)
		if err != nil {
			return err
		}
		if body, err = s.compareDoc(ctx, doc, tco.CompareOptions{BreakEvenMax: beMax}); err != nil {
			return err
		}
		if keyed {
			s.cache.put(key, body)
		}
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return body.send(c, http.StatusOK)
}

// cost is tco.Compare once a comparison slot is free
// (Config.MaxComparisons); waiting ends with the request's context.
func (s *Server) cost(ctx context.Context, doc *tco.Document, o tco.CompareOptions) (*tco.Comparison, error) {
	select {
	case s.slots <- struct{}{}:
		defer func() { <-s.slots }()
	case <-ctx.Done():
		return nil, fmt.Errorf("wait for a comparison slot: %w", ctx.Err())
	}
	return transfer.Cost(ctx, doc, o)
}
