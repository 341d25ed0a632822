package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
)

// settingsRequest is the body of POST /evaluations and PUT
// /evaluations/{id}: every setting of the spec's document except criteria
// and options, which are records of their own. The engine checks the rest
// (currency codes, ranges, seasonality) with its own field paths.
type settingsRequest struct {
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
func (r *settingsRequest) settings() store.Settings {
	st := store.Settings{Name: r.Name, Currency: r.Currency, Start: r.Start, HorizonMonths: r.HorizonMonths,
		DiscountRate: r.DiscountRate, Timing: r.Timing, Escalation: r.Escalation, Volume: r.Volume,
		Baseline: r.Baseline}
	if r.Price == nil {
		st.Price = tco.Price{Weight: decimal.RequireFromString("0.4"), Basis: tco.PriceBasisPV,
			Formula: tco.FormulaAnchored, FullAt: decimal.RequireFromString("0.7"), ZeroAt: decimal.RequireFromString("1.3")}
	} else {
		st.Price = tco.Price{Weight: r.Price.Weight, Basis: r.Price.Basis, Formula: r.Price.Formula,
			FullAt: r.Price.FullAt, ZeroAt: r.Price.ZeroAt}
	}
	return st
}

// copyRequest is the body of POST /evaluations/{id}/copy.
type copyRequest struct {
	// Name of the copy; empty keeps the original's.
	Name string `json:"name" validate:"max=200"`
}

// createdID is the body of a 201 that creates an evaluation from a document.
type createdID struct {
	ID int64 `json:"id"`
}

// listEvaluations answers GET /evaluations: a page of evaluations, most
// recently changed first, ?q= searching the names.
func (s *Server) listEvaluations(c echo.Context) error {
	p, err := listQuery(c)
	if err != nil {
		return err
	}
	page, err := s.deps.Store.ListEvaluations(c.Request().Context(), p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newPage(c, page.Items, page.Total, p))
}

// createEvaluation answers POST /evaluations: an empty evaluation (no
// options or criteria yet) with the given settings.
func (s *Server) createEvaluation(c echo.Context) error {
	var req settingsRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	e, err := s.deps.Store.CreateEvaluation(c.Request().Context(), actor(c), req.settings())
	if err != nil {
		return err
	}
	return created(c, location("evaluations", e.ID), e)
}

// getEvaluation answers GET /evaluations/{id}.
func (s *Server) getEvaluation(c echo.Context) error {
	return readOne(c, s.deps.Store.GetEvaluation)
}

// updateEvaluation answers PUT /evaluations/{id}: every setting replaced,
// if the version sent is still current (else 409, nothing changed).
func (s *Server) updateEvaluation(c echo.Context) error {
	var req settingsRequest
	return replaceOne(c, &req, func() int64 { return req.Version }, func(ctx context.Context, actor string, id, version int64) (any, error) {
		return s.deps.Store.UpdateEvaluation(ctx, actor, id, version, req.settings())
	})
}

// deleteEvaluation answers DELETE /evaluations/{id} with everything in it.
func (s *Server) deleteEvaluation(c echo.Context) error {
	return removeOne(c, s.deps.Store.DeleteEvaluation)
}

// copyEvaluation answers POST /evaluations/{id}/copy: a copy with every
// round, criterion, score and vendor link, under a new name.
func (s *Server) copyEvaluation(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var req copyRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	e, err := s.deps.Store.CopyEvaluation(c.Request().Context(), actor(c), id, req.Name)
	if err != nil {
		return err
	}
	return created(c, location("evaluations", e.ID), e)
}

// importEvaluation answers POST /evaluations/import: an evaluation created
// from a spec document (decoded and checked by the engine, every problem
// at its path), 201 with its id and Location.
func (s *Server) importEvaluation(c echo.Context) error {
	req := c.Request()
	if err := requireJSON(req); err != nil {
		return err
	}
	data, err := io.ReadAll(req.Body)
	if err != nil {
		return readError(err)
	}
	doc, err := tco.Decode(data)
	if err != nil {
		return fmt.Errorf("decode document: %w", err)
	}
	id, err := s.deps.Store.ImportDocument(req.Context(), actor(c), doc)
	if err != nil {
		return err
	}
	return created(c, location("evaluations", id), createdID{ID: id})
}

// exportDocument answers GET /evaluations/{id}/document: the evaluation as
// the spec's document, each option with its latest round (or the rounds
// ?rounds= picks), ready for POST /compare or /evaluations/import.
func (s *Server) exportDocument(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	sel, err := roundSelection(c.QueryParam("rounds"))
	if err != nil {
		return err
	}
	doc, err := s.deps.Store.Document(c.Request().Context(), id, sel)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusOK, doc)
}

// evaluationComparison answers GET /evaluations/{id}/comparison: the
// spec's comparison JSON, byte for byte what POST /compare answers for the
// exported document. ?break_even_max= as there; ?rounds= picks rounds.
func (s *Server) evaluationComparison(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	beMax, qerr := ParseBreakEvenMax(c.QueryParam("break_even_max"))
	sel, rerr := roundSelection(c.QueryParam("rounds"))
	if qerr != nil || rerr != nil {
		return queryErrors(qerr, rerr)
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

// roundSelection reads ?rounds=OPTION:ROUND,… (option and round ids): the
// rounds to cost instead of those options' latest. Empty selects none.
func roundSelection(q string) (store.RoundSelection, error) {
	if q == "" {
		return nil, nil
	}
	bad := problem("rounds", "must be OPTION:ROUND pairs of ids separated by commas, such as 12:40,13:44")
	sel := store.RoundSelection{}
	for _, pair := range strings.Split(q, ",") {
		o, r, ok := strings.Cut(strings.TrimSpace(pair), ":")
		oid, oerr := strconv.ParseInt(o, 10, 64)
		rid, rerr := strconv.ParseInt(r, 10, 64)
		if !ok || oerr != nil || rerr != nil || oid <= 0 || rid <= 0 || len(sel) >= 100 {
			return nil, bad
		}
		sel[oid] = rid
	}
	return sel, nil
}

// queryErrors joins the field problems of several query parameters, so
// that one 422 names them all.
func queryErrors(errs ...error) error {
	var all tco.Errors
	for _, err := range errs {
		var fe tco.Errors
		switch {
		case err == nil:
		case errors.As(err, &fe):
			all = append(all, fe...)
		default:
			return err
		}
	}
	return &requestError{Fields: all}
}

// readError turns a failed body read into the error to answer: the body
// limit's 413, else 400.
func readError(err error) error {
	var herr *echo.HTTPError
	if errors.As(err, &herr) {
		return herr
	}
	return echo.NewHTTPError(http.StatusBadRequest, "could not read the request body").WithInternal(err)
}
