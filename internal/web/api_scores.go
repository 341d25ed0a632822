package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"vendorcompare/internal/store"
)

// scoreRequest is the body of POST /options/{id}/scores (key and value) and
// PUT /scores/{id} (value and version; the key cannot change).
type scoreRequest struct {
	Key     string           `json:"key" validate:"max=64"`
	Value   *decimal.Decimal `json:"value" validate:"required"`
	Version int64            `json:"version" validate:"omitempty,min=1"`
}

// listScores answers GET /evaluations/{id}/scores: every score of the
// evaluation's options, by option and criterion order; ?q= searches keys.
func (s *Server) listScores(c echo.Context) error {
	return listUnder(c, s.deps.Store.ListScores, func(sc store.Score) string { return sc.Key })
}

// listOptionScores answers GET /options/{id}/scores: one option's scores.
func (s *Server) listOptionScores(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p, err := listQuery(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	o, err := s.deps.Store.GetOption(ctx, id)
	if err != nil {
		return err
	}
	all, err := s.deps.Store.ListScores(ctx, o.EvaluationID)
	if err != nil {
		return err
	}
	mine := []store.Score{}
	for _, sc := range all {
		if sc.OptionID == id {
			mine = append(mine, sc)
		}
	}
	return c.JSON(http.StatusOK, pageOf(c, mine, p, func(sc store.Score) string { return sc.Key }))
}

// createScore answers POST /options/{id}/scores: the option's score on the
// criterion with the key (a second score on one criterion is 409).
func (s *Server) createScore(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req scoreRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	if req.Key == "" {
		return fieldError("key", "is required")
	}
	sc, err := s.deps.Store.CreateScore(c.Request().Context(), actor(c), id, req.Key, *req.Value)
	if err != nil {
		return err
	}
	return created(c, location("scores", sc.ID), sc)
}

// getScore answers GET /scores/{id}.
func (s *Server) getScore(c echo.Context) error {
	return readOne(c, s.deps.Store.GetScore)
}

// updateScore answers PUT /scores/{id}: a new value.
func (s *Server) updateScore(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req scoreRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	v, err := versionOf(c, req.Version)
	if err != nil {
		return err
	}
	if req.Key != "" {
		// The key names the criterion: a different one is another score.
		cur, err := s.deps.Store.GetScore(c.Request().Context(), id)
		if err != nil {
			return err
		}
		if cur.Key != req.Key {
			return fieldError("key", "cannot change: delete this score and create one on the other criterion")
		}
	}
	sc, err := s.deps.Store.UpdateScore(c.Request().Context(), actor(c), id, v, *req.Value)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sc)
}

// deleteScore answers DELETE /scores/{id}.
func (s *Server) deleteScore(c echo.Context) error {
	return removeOne(c, s.deps.Store.DeleteScore)
}
