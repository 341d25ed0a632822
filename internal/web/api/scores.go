package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"vendorcompare/internal/store"
	"vendorcompare/internal/web/edge"
)

// ScoreRequest is the body of POST /options/{id}/scores (key and value) and
// PUT /scores/{id} (value and version; the key cannot change).
type ScoreRequest struct {
	Key     string           `json:"key" validate:"max=64"`
	Value   *decimal.Decimal `json:"value" validate:"required"`
	Version int64            `json:"version" validate:"omitempty,min=1"`
}

// ListScores answers GET /evaluations/{id}/scores: every score of the
// evaluation's options, by option and criterion order; ?q= searches keys.
func (h *Handlers) ListScores(c echo.Context) error {
	return listUnder(c, h.Store.ListScores, func(sc store.Score) string { return sc.Key })
}

// ListOptionScores answers GET /options/{id}/scores: one option's scores.
func (h *Handlers) ListOptionScores(c echo.Context) error {
	id, err := edge.ID(c, "id")
	if err != nil {
		return err
	}
	p, err := listQuery(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	o, err := h.Store.GetOption(ctx, id)
	if err != nil {
		return err
	}
	all, err := h.Store.ListScores(ctx, o.EvaluationID)
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

// CreateScore answers POST /options/{id}/scores: the option's score on the
// criterion with the key (a second score on one criterion is 409).
func (h *Handlers) CreateScore(c echo.Context) error {
	id, err := edge.ID(c, "id")
	if err != nil {
		return err
	}
	var req ScoreRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	if req.Key == "" {
		return edge.Problem("key", "is required")
	}
	sc, err := h.Store.CreateScore(c.Request().Context(), edge.Actor(c), id, req.Key, *req.Value)
	if err != nil {
		return err
	}
	return created(c, location("scores", sc.ID), sc)
}

// GetScore answers GET /scores/{id}.
func (h *Handlers) GetScore(c echo.Context) error {
	return readOne(c, h.Store.GetScore)
}

// UpdateScore answers PUT /scores/{id}: a new value.
func (h *Handlers) UpdateScore(c echo.Context) error {
	id, err := edge.ID(c, "id")
	if err != nil {
		return err
	}
	var req ScoreRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	v, err := versionOf(c, req.Version)
	if err != nil {
		return err
	}
	if req.Key != "" {
		// The key names the criterion: a different one is another score.
		cur, err := h.Store.GetScore(c.Request().Context(), id)
		if err != nil {
			return err
		}
		if cur.Key != req.Key {
			return edge.Problem("key", "cannot change: delete this score and create one on the other criterion")
		}
	}
	sc, err := h.Store.UpdateScore(c.Request().Context(), edge.Actor(c), id, v, *req.Value)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sc)
}

// DeleteScore answers DELETE /scores/{id}.
func (h *Handlers) DeleteScore(c echo.Context) error {
	return removeOne(c, h.Store.DeleteScore)
}
