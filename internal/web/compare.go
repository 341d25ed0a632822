package web

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

// compare costs the evaluation document in the request body and answers
// with the comparison of spec section 7: POST /api/v1/compare, with an
// optional break_even_max query parameter. The body is read here rather
// than bound by echo, because the engine's decoder reports every field
// problem with its JSON path.
func (s *Server) compare(c echo.Context) error {
	req := c.Request()
	beMax, qerr := edge.BreakEvenMax(c.QueryParam("break_even_max"))
	runs, seed, rerr := tco.ParseRiskOverrides(c.QueryParam("runs"), c.QueryParam("seed"))
	if qerr == nil {
		qerr = rerr
	} else if rerr != nil {
		qerr = joinFieldErrors(qerr, rerr)
	}

	data, err := edge.ReadJSON(req)
	if err != nil {
		return err
	}
	if qerr != nil { // every problem at once: the document's too
		_, err := tco.Decode(data)
		if err != nil {
			return fmt.Errorf("decode document: %w", joinFieldErrors(err, qerr))
		}
		return qerr
	}
	a, err := s.eval.PostedAnswer(req.Context(), data, tco.CompareOptions{BreakEvenMax: beMax, Runs: runs, Seed: seed})
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
