package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"vendorcompare/internal/report"
	"vendorcompare/internal/tco"
	"vendorcompare/internal/web/edge"
)

// compare costs the evaluation document in the request body and answers
// with the comparison of spec section 7: POST /api/v1/compare, with an
// optional break_even_max query parameter. The body is read here rather
// than bound by echo, because the engine's decoder reports every field
// problem with its JSON path.
func (s *Server) compare(c echo.Context) error {
	req := c.Request()
	if err := edge.RequireJSON(req); err != nil {
		return err
	}
	beMax, qerr := edge.BreakEvenMax(c.QueryParam("break_even_max"))
	runs, seed, rerr := tco.ParseRiskOverrides(c.QueryParam("runs"), c.QueryParam("seed"))
	if qerr == nil {
		qerr = rerr
	} else if rerr != nil {
		qerr = joinFieldErrors(qerr, rerr)
	}

	data, err := io.ReadAll(req.Body)
	if err != nil {
		var herr *echo.HTTPError
		if errors.As(err, &herr) { // 413 from the body limit
			return herr
		}
		return echo.NewHTTPError(http.StatusBadRequest, "could not read the request body").WithInternal(err)
	}
	// The same bytes with the same query decode to the same document: a
	// repeated request skips decoding too (comparecache.go).
	raw := rawCompareKey(data, c.QueryParam("break_even_max")+"\x00runs="+c.QueryParam("runs")+"\x00seed="+c.QueryParam("seed"))
	body, cached := s.cache.get(raw)
	if !cached {
		doc, err := tco.Decode(data)
		if err != nil {
			return fmt.Errorf("decode document: %w", joinFieldErrors(err, qerr))
		}
		if qerr != nil {
			return qerr
		}
		if body, err = s.compareDoc(req.Context(), doc, tco.CompareOptions{BreakEvenMax: beMax, Runs: runs, Seed: seed}); err != nil {
			return err
		}
		s.cache.put(raw, body)
	}
	// Quotes are confidential: keep them out of shared caches.
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return body.send(c, http.StatusOK)
}

// compareDoc compares and encodes once a slot is free (Config.MaxComparisons).
// Waiting ends with the request's context: a 503 after HandlerTimeout.
// The same document with the same options is answered from the cache
// (comparecache.go), looked at again once a slot is free, since a request
// ahead in the queue may just have computed it.
func (s *Server) compareDoc(ctx context.Context, doc *tco.Document, o tco.CompareOptions) (*encoded, error) {
	key, cacheable := compareKey(doc, o)
	if body, ok := s.cache.get(key); cacheable && ok {
		return body, nil
	}
	select {
	case s.slots <- struct{}{}:
		defer func() { <-s.slots }()
	case <-ctx.Done():
		return nil, fmt.Errorf("wait for a comparison slot: %w", ctx.Err())
	}
	if body, ok := s.cache.get(key); cacheable && ok {
		return body, nil
	}
	o.Context = ctx // a timed-out or gone request stops the analysis
	cmp, err := tco.Compare(doc, o)
	if err != nil {
		return nil, fmt.Errorf("compare: %w", err)
	}
	b, err := report.JSON(cmp)
	if err != nil {
		return nil, err
	}
	body := newEncoded(b)
	if cacheable {
		s.cache.put(key, body)
	}
	return body, nil
}

// ParseBreakEvenMax reads the break_even_max setting (edge.BreakEvenMax),
// for the CLI.
var ParseBreakEvenMax = edge.BreakEvenMax

// joinFieldErrors adds the query's field problems to the document's, so
// that one 422 names them all. Any other error is returned as it is.
func joinFieldErrors(err, qerr error) error {
	var fe, qe tco.Errors
	if qerr == nil || !errors.As(err, &fe) || !errors.As(qerr, &qe) {
		return err
	}
	return append(append(tco.Errors(nil), fe...), qe...)
}
