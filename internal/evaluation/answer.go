package evaluation

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"fmt"

	"vendorcompare/internal/report"
	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
)

// Answer is a comparison's JSON answer (spec section 7) and its gzip,
// kept in the value cache beside the comparison: without them the compare
// target of cmd/loadtest (half the throughput of /healthz) fails
// (BENCHMARKS.md, issue 13).
type Answer struct {
	JSON, Gzip []byte
}

// ComparisonAnswer is Comparison's answer, encoded once per evaluation
// version.
func (s *Service) ComparisonAnswer(ctx context.Context, id int64, sel store.RoundSelection, o tco.CompareOptions) (*Answer, error) {
	fp, err := s.fingerprint(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.answer(fp, comparisonWhat(sel, o), func() (*tco.Comparison, error) { return s.Comparison(ctx, id, sel, o) })
}

// PostedAnswer is Posted's answer, encoded once per document and options.
func (s *Service) PostedAnswer(ctx context.Context, data []byte, o tco.CompareOptions) (*Answer, error) {
	fp := fmt.Sprintf("posted:%x", sha256.Sum256(data))
	return s.answer(fp, comparisonWhat(nil, o), func() (*tco.Comparison, error) { return s.Posted(ctx, data, o) })
}

// answer returns the answer kept under fp and what, else encodes the
// comparison get returns and keeps it (nothing without a fingerprint).
func (s *Service) answer(fp, what string, get func() (*tco.Comparison, error)) (*Answer, error) {
	k := key{fp: fp, what: what + " answer"}
	if fp != "" {
		if v, ok := s.cache.get(k); ok {
			return v.(*Answer), nil
		}
	}
	cmp, err := get()
	if err != nil {
		return nil, err
	}
	b, err := report.JSON(cmp)
	if err != nil {
		return nil, err
	}
	a := encode(b)
	if fp != "" {
		s.cache.put(k, a, int64(len(a.JSON)+len(a.Gzip)))
	}
	return a, nil
}

// encode is b with its gzip when that is smaller (Answer.JSON holds b).
func encode(b []byte) *Answer {
	a := &Answer{JSON: b}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if _, err := zw.Write(b); err == nil && zw.Close() == nil && buf.Len() < len(b) {
		a.Gzip = buf.Bytes()
	}
	return a
}

// Page is a page about evaluation id as render makes it for one viewer
// (viewer names the page and everything of the viewer's it shows), and its
// gzip, kept under the evaluation's fingerprint: without it the dashboard
// target of cmd/loadtest (p99 under 50 ms at 64 connections) fails, 325 ms
// on a quiet machine (BENCHMARKS.md, issue 13). JSON holds the HTML.
func (s *Service) Page(ctx context.Context, id int64, viewer string, render func() ([]byte, error)) (*Answer, error) {
	fp, err := s.fingerprint(ctx, id)
	if err != nil {
		return nil, err
	}
	k := key{fp: fp, what: "page " + viewer}
	if fp != "" {
		if v, ok := s.cache.get(k); ok {
			return v.(*Answer), nil
		}
	}
	b, err := render()
	if err != nil {
		return nil, err
	}
	a := encode(b)
	if fp != "" {
		s.cache.put(k, a, int64(len(a.JSON)+len(a.Gzip)))
	}
	return a, nil
}
