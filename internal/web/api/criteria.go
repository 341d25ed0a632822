package api

import (
	"context"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
)

// CriterionRequest is the body of POST /evaluations/{id}/criteria and PUT
// /criteria/{id}. A zero scale means the spec's default, 10.
type CriterionRequest struct {
	Key     string           `json:"key" validate:"required,max=64"`
	Name    string           `json:"name" validate:"required,max=200"`
	Weight  decimal.Decimal  `json:"weight"`
	Scale   decimal.Decimal  `json:"scale"`
	Minimum *decimal.Decimal `json:"minimum"` // knock-out threshold
	Version int64            `json:"version" validate:"omitempty,min=1"`
}

func (r *CriterionRequest) criterion() tco.Criterion {
	return tco.Criterion{Key: r.Key, Name: r.Name, Weight: r.Weight, Scale: r.Scale, Minimum: r.Minimum}
}

// ListCriteria answers GET /evaluations/{id}/criteria, in order.
func (h *Handlers) ListCriteria(c echo.Context) error {
	return listUnder(c, h.Store.ListCriteria, func(k store.Criterion) string { return k.Name + " " + k.Key })
}

// CreateCriterion answers POST /evaluations/{id}/criteria.
func (h *Handlers) CreateCriterion(c echo.Context) error {
	var req CriterionRequest
	return addUnder(c, &req, "criteria", func(ctx context.Context, actor string, owner int64) (any, int64, error) {
		k, err := h.Store.CreateCriterion(ctx, actor, owner, req.criterion())
		if err != nil {
			return nil, 0, err
		}
		return k, k.ID, nil
	})
}

// GetCriterion answers GET /criteria/{id}.
func (h *Handlers) GetCriterion(c echo.Context) error {
	return readOne(c, h.Store.GetCriterion)
}

// UpdateCriterion answers PUT /criteria/{id}.
func (h *Handlers) UpdateCriterion(c echo.Context) error {
	var req CriterionRequest
	return replaceOne(c, &req, func() int64 { return req.Version }, func(ctx context.Context, actor string, id, version int64) (any, error) {
		return h.Store.UpdateCriterion(ctx, actor, id, version, req.criterion())
	})
}

// DeleteCriterion answers DELETE /criteria/{id} with its scores.
func (h *Handlers) DeleteCriterion(c echo.Context) error {
	return removeOne(c, h.Store.DeleteCriterion)
}
