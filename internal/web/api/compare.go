package api

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"vendorcompare/internal/evaluation"
	"vendorcompare/internal/tco"
	"vendorcompare/internal/web/edge"
)

// Compare costs the evaluation document in the request body and answers
// with the comparison of spec section 7: POST /api/v1/compare, with the
// optional query parameters break_even_max, runs and seed. The body is
// bound as a rawDocument (bind.go): decoded by the engine only when the
// value cache has no answer for its bytes, with every problem at its JSON
// path, the query's with it.
func (h *Handlers) Compare(c echo.Context) error {
	beMax, qerr := edge.BreakEvenMax(c.QueryParam("break_even_max"))
	runs, seed, rerr := tco.ParseRiskOverrides(c.QueryParam("runs"), c.QueryParam("seed"))
	if qerr == nil {
		qerr = rerr
	} else if rerr != nil {
		qerr = joinFieldErrors(qerr, rerr)
	}
	var doc rawDocument
	if err := bind(c, &doc); err != nil {
		return err
	}
	if qerr != nil { // every problem at once: the document's too
		if _, err := tco.Decode(doc); err != nil {
			return fmt.Errorf("decode document: %w", joinFieldErrors(err, qerr))
		}
		return qerr
	}
	a, err := h.Eval.PostedAnswer(c.Request().Context(), doc, tco.CompareOptions{BreakEvenMax: beMax, Runs: runs, Seed: seed})
	var fe tco.Errors
	var malformed *tco.MalformedError
	switch {
	case errors.As(err, &fe), errors.As(err, &malformed):
		return fmt.Errorf("decode document: %w", err)
	case err != nil:
		return fmt.Errorf("compare: %w", err)
	}
	return sendAnswer(c, a)
}

// sendAnswer answers with a comparison's JSON (spec section 7), the same
// bytes wherever it comes from, sent as its kept gzip to a client that
// accepts it (the compress middleware passes an encoded answer on).
// Quotes are confidential: kept out of shared caches.
func sendAnswer(c echo.Context, a *evaluation.Answer) error {
	h := c.Response().Header()
	h.Set(echo.HeaderCacheControl, "no-store")
	body := a.JSON
	if a.Gzip != nil && edge.AcceptsGzip(c.Request().Header.Get(echo.HeaderAcceptEncoding)) {
		body = a.Gzip
		h.Set(echo.HeaderContentEncoding, "gzip")
	}
	h.Set(echo.HeaderContentLength, strconv.Itoa(len(body)))
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, body)
}

// joinFieldErrors adds the query's field problems to the document's, so
// that one 422 names them all. Any other error is returned as it is.
func joinFieldErrors(err, qerr error) error {
	var fe, qe tco.Errors
	if qerr == nil || !errors.As(err, &fe) || !errors.As(qerr, &qe) {
		return err
	}
	return append(append(tco.Errors(nil), fe...), qe...)
}
