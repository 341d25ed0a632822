package web

import (
	"context"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
)

// criterionRequest is the body of POST /evaluations/{id}/criteria and PUT
// /criteria/{id}. A zero scale means the spec's default, 10.
type criterionRequest struct {
	Key     string           `json:"key" validate:"required,max=64"`
	Name    string           `json:"name" validate:"required,max=200"`
	Weight  decimal.Decimal  `json:"weight"`
	Scale   decimal.Decimal  `json:"scale"`
	Minimum *decimal.Decimal `json:"minimum"` // knock-out threshold
	Version int64            `json:"version" validate:"omitempty,min=1"`
}

func (r *criterionRequest) criterion() tco.Criterion {
	return tco.Criterion{Key: r.Key, Name: r.Name, Weight: r.Weight, Scale: r.Scale, Minimum: r.Minimum}
}

// listCriteria answers GET /evaluations/{id}/criteria, in order.
func (s *Server) listCriteria(c echo.Context) error {
	return listUnder(c, s.deps.Store.ListCriteria, func(k store.Criterion) string { return k.Name + " " + k.Key })
}

// createCriterion answers POST /evaluations/{id}/criteria.
func (s *Server) createCriterion(c echo.Context) error {
	var req criterionRequest
	return addUnder(c, &req, "criteria", func(ctx context.Context, actor string, owner int64) (any, int64, error) {
		k, err := s.deps.Store.CreateCriterion(ctx, actor, owner, req.criterion())
		if err != nil {
			return nil, 0, err
		}
		return k, k.ID, nil
	})
}

// getCriterion answers GET /criteria/{id}.
func (s *Server) getCriterion(c echo.Context) error {
	return readOne(c, s.deps.Store.GetCriterion)
}

// updateCriterion answers PUT /criteria/{id}.
func (s *Server) updateCriterion(c echo.Context) error {
	var req criterionRequest
	return replaceOne(c, &req, func() int64 { return req.Version }, func(ctx context.Context, actor string, id, version int64) (any, error) {
		return s.deps.Store.UpdateCriterion(ctx, actor, id, version, req.criterion())
	})
}

// deleteCriterion answers DELETE /criteria/{id} with its scores.
func (s *Server) deleteCriterion(c echo.Context) error {
	return removeOne(c, s.deps.Store.DeleteCriterion)
}
