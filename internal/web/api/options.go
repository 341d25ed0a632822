package api

import (
	"context"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
)

// OptionRequest is the body of POST /evaluations/{id}/options and PUT
// /options/{id}. An update replaces every field: send them all. A quote
// replaces the current round's pricing and lines in the same transaction;
// without one the costing is left as it is (on create: no pricing, no
// lines).
type OptionRequest struct {
	Slug        string           `json:"slug" validate:"required,max=64"` // the option's id in the document
	Name        string           `json:"name" validate:"required,max=200"`
	Kind        string           `json:"kind" validate:"omitempty,oneof=in_house vendor improvement"`
	VolumeShare *decimal.Decimal `json:"volume_share"` // nil: 1
	VendorID    *int64           `json:"vendor_id" validate:"omitempty,min=1"`
	Quote       *quoteRequest    `json:"quote"`
	Version     int64            `json:"version" validate:"omitempty,min=1"`
}

// quoteRequest is a full quote: the vendor's pricing (null for in-house
// options) and every cost line, in order. The engine checks the values.
type quoteRequest struct {
	Pricing *tco.Pricing `json:"pricing"`
	Lines   []tco.Line   `json:"lines" validate:"max=500"`
}

func (q *quoteRequest) quote() *store.Quote {
	if q == nil {
		return nil
	}
	lines := q.Lines
	if lines == nil {
		lines = []tco.Line{}
	}
	return &store.Quote{Pricing: q.Pricing, Lines: lines}
}

func (r *OptionRequest) input() store.OptionInput {
	return store.OptionInput{Slug: r.Slug, Name: r.Name, Kind: r.Kind, VolumeShare: r.VolumeShare,
		VendorID: r.VendorID, Quote: r.Quote.quote()}
}

// ListOptions answers GET /evaluations/{id}/options: the options in order,
// each with its current quote; ?q= searches names.
func (h *Handlers) ListOptions(c echo.Context) error {
	return listUnder(c, h.Store.ListOptions, func(o store.Option) string { return o.Name + " " + o.Slug })
}

// CreateOption answers POST /evaluations/{id}/options: a new option at the
// end, its first round holding the quote.
func (h *Handlers) CreateOption(c echo.Context) error {
	var req OptionRequest
	return addUnder(c, &req, "options", func(ctx context.Context, actor string, owner int64) (any, int64, error) {
		o, err := h.Store.CreateOption(ctx, actor, owner, req.input())
		if err != nil {
			return nil, 0, err
		}
		return o, o.ID, nil
	})
}

// GetOption answers GET /options/{id} with the current quote.
func (h *Handlers) GetOption(c echo.Context) error {
	return readOne(c, h.Store.GetOption)
}

// UpdateOption answers PUT /options/{id}.
func (h *Handlers) UpdateOption(c echo.Context) error {
	var req OptionRequest
	return replaceOne(c, &req, func() int64 { return req.Version }, func(ctx context.Context, actor string, id, version int64) (any, error) {
		return h.Store.UpdateOption(ctx, actor, id, version, req.input())
	})
}

// DeleteOption answers DELETE /options/{id} with its rounds, lines and
// scores; refused (422) when the evaluation needs it, as its baseline.
func (h *Handlers) DeleteOption(c echo.Context) error {
	return removeOne(c, h.Store.DeleteOption)
}
