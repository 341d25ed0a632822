package api

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
	"vendorcompare/internal/web/edge"
)

// SettingsRequest is the body of POST /evaluations and PUT
// /evaluations/{id}: every setting of the spec's document except criteria
// and options, which are records of their own. The engine checks the rest
// (currency codes, ranges, seasonality) with its own field paths.
type SettingsRequest struct {
	Name          string          `json:"name" validate:"required,max=200"`
	Currency      string          `json:"currency" validate:"required,len=3,alpha,uppercase"`
	Start         string          `json:"start" validate:"required,datetime=2006-01"`
	HorizonMonths int             `json:"horizon_months" validate:"required,min=1,max=600"`
	DiscountRate  decimal.Decimal `json:"discount_rate"`
	Timing        string          `json:"timing" validate:"omitempty,oneof=end mid begin"`
	Escalation    string          `json:"escalation" validate:"omitempty,oneof=anniversary monthly"`
	Volume        tco.Volume      `json:"volume"`
	Baseline      string          `json:"baseline" validate:"max=64"`
	// Price nil takes the spec's defaults (weight 0.4, pv, anchored 0.7–1.3);
	// zero fields of a given price take the store's defaults.
	Price *priceRequest `json:"price"`
	// FiscalYearStart and Materiality are the reading settings (spec §1);
	// left out, they are not set and the spec's defaults apply (the engine
	// checks their ranges with its own paths).
	FiscalYearStart *int             `json:"fiscal_year_start,omitempty"`
	Materiality     *decimal.Decimal `json:"materiality,omitempty"`
	// Version is the version being replaced (updates; or If-Match).
	Version int64 `json:"version" validate:"omitempty,min=1"`
}

// priceRequest is the price-score setting of an evaluation.
type priceRequest struct {
	Weight  decimal.Decimal `json:"weight"`
	Basis   string          `json:"basis" validate:"omitempty,oneof=pv tco"`
	Formula string          `json:"formula" validate:"omitempty,oneof=anchored lowest_ratio"`
	FullAt  decimal.Decimal `json:"full_at"`
	ZeroAt  decimal.Decimal `json:"zero_at"`
}

// settings converts the request to the store's settings.
func (r *SettingsRequest) settings() store.Settings {
	st := store.Settings{Name: r.Name, Currency: r.Currency, Start: r.Start, HorizonMonths: r.HorizonMonths,
		DiscountRate: r.DiscountRate, Timing: r.Timing, Escalation: r.Escalation, Volume: r.Volume,
		Baseline: r.Baseline, FiscalYearStart: r.FiscalYearStart, Materiality: r.Materiality}
	if r.Price == nil {
		st.Price = tco.Price{Weight: decimal.RequireFromString("0.4"), Basis: tco.PriceBasisPV,
			Formula: tco.FormulaAnchored, FullAt: decimal.RequireFromString("0.7"), ZeroAt: decimal.RequireFromString("1.3")}
	} else {
		st.Price = tco.Price{Weight: r.Price.Weight, Basis: r.Price.Basis, Formula: r.Price.Formula,
			FullAt: r.Price.FullAt, ZeroAt: r.Price.ZeroAt}
	}
	return st
}

// CopyRequest is the body of POST /evaluations/{id}/copy.
type CopyRequest struct {
	// Name of the copy; empty keeps the original's.
	Name string `json:"name" validate:"max=200"`
}

// CreatedID is the body of a 201 that creates an evaluation from a document.
type CreatedID struct {
	ID int64 `json:"id"`
}

// ListEvaluations answers GET /evaluations: a page of evaluations, most
// recently changed first, ?q= searching the names.
func (h *Handlers) ListEvaluations(c echo.Context) error {
	p, err := listQuery(c)
	if err != nil {
		return err
	}
	page, err := h.Store.ListEvaluations(c.Request().Context(), p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newPage(c, page.Items, page.Total, p))
}

// CreateEvaluation answers POST /evaluations: an empty evaluation (no
// options or criteria yet) with the given settings.
func (h *Handlers) CreateEvaluation(c echo.Context) error {
	var req SettingsRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	e, err := h.Store.CreateEvaluation(c.Request().Context(), edge.Actor(c), req.settings())
	if err != nil {
		return err
	}
	return created(c, location("evaluations", e.ID), e)
}

// GetEvaluation answers GET /evaluations/{id}.
func (h *Handlers) GetEvaluation(c echo.Context) error {
	return readOne(c, h.Store.GetEvaluation)
}

// UpdateEvaluation answers PUT /evaluations/{id}: every setting replaced,
// if the version sent is still current (else 409, nothing changed).
func (h *Handlers) UpdateEvaluation(c echo.Context) error {
	var req SettingsRequest
	return replaceOne(c, &req, func() int64 { return req.Version }, func(ctx context.Context, actor string, id, version int64) (any, error) {
		return h.Store.UpdateEvaluation(ctx, actor, id, version, req.settings())
	})
}

// DeleteEvaluation answers DELETE /evaluations/{id} with everything in it.
func (h *Handlers) DeleteEvaluation(c echo.Context) error {
	return removeOne(c, h.Store.DeleteEvaluation)
}

// CopyEvaluation answers POST /evaluations/{id}/copy: a copy with every
// round, criterion, score and vendor link, under a new name.
func (h *Handlers) CopyEvaluation(c echo.Context) error {
	id, err := edge.ID(c, "id")
	if err != nil {
		return err
	}
	var req CopyRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	e, err := h.Store.CopyEvaluation(c.Request().Context(), edge.Actor(c), id, req.Name)
	if err != nil {
		return err
	}
	return created(c, location("evaluations", e.ID), e)
}

// ImportEvaluation answers POST /evaluations/import: an evaluation created
// from a spec document (decoded and checked by the engine, every problem
// at its path), 201 with its id and Location.
func (h *Handlers) ImportEvaluation(c echo.Context) error {
	var doc tco.Document
	if err := bind(c, &doc); err != nil {
		return err
	}
	id, err := h.Store.ImportDocument(c.Request().Context(), edge.Actor(c), &doc)
	if err != nil {
		return err
	}
	return created(c, location("evaluations", id), CreatedID{ID: id})
}

// ExportDocument answers GET /evaluations/{id}/document: the evaluation as
// the spec's document, each option with its latest round (or the rounds
// ?rounds= picks), ready for POST /compare or /evaluations/import.
func (h *Handlers) ExportDocument(c echo.Context) error {
	id, err := edge.ID(c, "id")
	if err != nil {
		return err
	}
	sel, err := edge.RoundSelection(c.QueryParam("rounds"))
	if err != nil {
		return err
	}
	doc, err := h.Store.Document(c.Request().Context(), id, sel)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusOK, doc)
}
