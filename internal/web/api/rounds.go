package api

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"vendorcompare/internal/store"
	"vendorcompare/internal/web/edge"
)

// RoundRequest is the body of POST /options/{id}/rounds and PUT
// /rounds/{id}. On create a missing quote starts from a copy of the current
// round; on update it keeps the round's snapshot.
type RoundRequest struct {
	Label    string        `json:"label" validate:"required,oneof=initial revised best_and_final"`
	Received string        `json:"received" validate:"omitempty,datetime=2006-01-02"`
	Notes    string        `json:"notes" validate:"max=10000"`
	Quote    *quoteRequest `json:"quote"`
	Version  int64         `json:"version" validate:"omitempty,min=1"`
}

func (r *RoundRequest) input() store.RoundInput {
	return store.RoundInput{Label: r.Label, Received: r.Received, Notes: r.Notes, Quote: r.Quote.quote()}
}

// ListRounds answers GET /options/{id}/rounds: every round, oldest first,
// each with its snapshot; ?q= searches labels and notes.
func (h *Handlers) ListRounds(c echo.Context) error {
	return listUnder(c, h.Store.ListRounds, func(r store.Round) string { return r.Label + " " + r.Notes })
}

// CreateRound answers POST /options/{id}/rounds: a revised quote that
// becomes the option's current one; earlier rounds are kept.
func (h *Handlers) CreateRound(c echo.Context) error {
	var req RoundRequest
	return addUnder(c, &req, "rounds", func(ctx context.Context, actor string, owner int64) (any, int64, error) {
		r, err := h.Store.CreateRound(ctx, actor, owner, req.input())
		if err != nil {
			return nil, 0, err
		}
		return r, r.ID, nil
	})
}

// CompareRounds answers GET /options/{id}/rounds/comparison: the option
// costed once per round, oldest first, each with its change against the
// previous round ("the best-and-final round cut the PV by 4.1%").
func (h *Handlers) CompareRounds(c echo.Context) error {
	id, err := edge.ID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	o, err := h.Store.GetOption(ctx, id)
	if err != nil {
		return err
	}
	rc, err := h.Eval.CompareRounds(ctx, o.EvaluationID, id)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusOK, rc)
}

// GetRound answers GET /rounds/{id} with its snapshot.
func (h *Handlers) GetRound(c echo.Context) error {
	return readOne(c, h.Store.GetRound)
}

// UpdateRound answers PUT /rounds/{id}.
func (h *Handlers) UpdateRound(c echo.Context) error {
	var req RoundRequest
	return replaceOne(c, &req, func() int64 { return req.Version }, func(ctx context.Context, actor string, id, version int64) (any, error) {
		return h.Store.UpdateRound(ctx, actor, id, version, req.input())
	})
}

// DeleteRound answers DELETE /rounds/{id}; the option's only round is 409.
func (h *Handlers) DeleteRound(c echo.Context) error {
	return removeOne(c, h.Store.DeleteRound)
}
