package api

import (
	"context"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
)

// LineRequest is the body of POST /options/{id}/lines and PUT /lines/{id}:
// one cost line of the spec (an update replaces every field).
type LineRequest struct {
	Name        string           `json:"name" validate:"required,max=200"`
	Category    string           `json:"category" validate:"required,oneof=personnel technology operations external"`
	Basis       string           `json:"basis" validate:"required,oneof=fixed per_unit per_block one_time share_of_vendor"`
	Amount      decimal.Decimal  `json:"amount"`
	BlockSize   *decimal.Decimal `json:"block_size"`
	Capacity    *tco.Capacity    `json:"capacity"`
	Month       *int             `json:"month"`
	FromMonth   *int             `json:"from_month"`
	ToMonth     *int             `json:"to_month"`
	Escalation  decimal.Decimal  `json:"escalation"`
	VolumeShare *decimal.Decimal `json:"volume_share"`
	Version     int64            `json:"version" validate:"omitempty,min=1"`
}

func (r *LineRequest) line() tco.Line {
	return tco.Line{Name: r.Name, Category: r.Category, Basis: r.Basis, Amount: r.Amount, BlockSize: r.BlockSize,
		Capacity: r.Capacity, Month: r.Month, FromMonth: r.FromMonth, ToMonth: r.ToMonth,
		Escalation: r.Escalation, VolumeShare: r.VolumeShare}
}

// ListLines answers GET /options/{id}/lines: the lines of the option's
// current round, in order; ?q= searches names.
func (h *Handlers) ListLines(c echo.Context) error {
	return listUnder(c, h.Store.ListLines, func(l store.Line) string { return l.Name })
}

// CreateLine answers POST /options/{id}/lines: a line appended to the
// option's current round.
func (h *Handlers) CreateLine(c echo.Context) error {
	var req LineRequest
	return addUnder(c, &req, "lines", func(ctx context.Context, actor string, owner int64) (any, int64, error) {
		l, err := h.Store.CreateLine(ctx, actor, owner, req.line())
		if err != nil {
			return nil, 0, err
		}
		return l, l.ID, nil
	})
}

// GetLine answers GET /lines/{id}.
func (h *Handlers) GetLine(c echo.Context) error {
	return readOne(c, h.Store.GetLine)
}

// UpdateLine answers PUT /lines/{id}.
func (h *Handlers) UpdateLine(c echo.Context) error {
	var req LineRequest
	return replaceOne(c, &req, func() int64 { return req.Version }, func(ctx context.Context, actor string, id, version int64) (any, error) {
		return h.Store.UpdateLine(ctx, actor, id, version, req.line())
	})
}

// DeleteLine answers DELETE /lines/{id}.
func (h *Handlers) DeleteLine(c echo.Context) error {
	return removeOne(c, h.Store.DeleteLine)
}
