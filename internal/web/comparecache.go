package web

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"

	"vendorcompare/internal/tco"
)

// compareCache keeps the encoded answers of recent comparisons in the
// server's byte budget (cachebudget.go), keyed by a SHA-256 of the
// document's JSON and the options that change the answer, measured by
// their encoded size (JSON and gzip). The engine is a pure function of
// those, so an entry can never be stale: a changed evaluation is a
// different document, hence a different key, and nothing needs
// invalidating. A dashboard reloaded in a meeting, or a client polling the
// same evaluation, then costs a document load and a hash instead of the
// break-even and sensitivity analysis (~10 ms of CPU).
type compareCache struct {
	b *byteCache
}

// compareKey is the cache key of comparing doc with o (its Context aside).
// ok is false when the document cannot be encoded; it is then not cached.
func compareKey(doc *tco.Document, o tco.CompareOptions) (key [32]byte, ok bool) {
	b, err := json.Marshal(doc)
	if err != nil {
		return key, false
	}
	h := sha256.New()
	h.Write(b)
	be := ""
	if o.BreakEvenMax != nil {
		be = o.BreakEvenMax.String()
	}
	fmt.Fprintf(h, "\x00break_even_max=%s skip=%t", be, o.SkipAnalysis)
	if o.WithRisk {
		fmt.Fprint(h, " with_risk")
	}
	if o.Runs != nil {
		fmt.Fprintf(h, " runs=%d", *o.Runs)
	}
	if o.Seed != nil {
		fmt.Fprintf(h, " seed=%d", *o.Seed)
	}
	h.Sum(key[:0])
	return key, true
}

// rawCompareKey is the cache key of POST /compare's body and its
// break_even_max as sent: a repeated request is answered without decoding
// the document again. It is kept apart from compareKey's by its prefix.
func rawCompareKey(body []byte, breakEvenMax string) (key [32]byte) {
	h := sha256.New()
	h.Write([]byte("raw\x00"))
	h.Write(body)
	fmt.Fprintf(h, "\x00break_even_max=%s", breakEvenMax)
	h.Sum(key[:0])
	return key
}

// fingerprinter is what the stored comparison's fast path asks of the
// store (*store.Store has it): a value that changes whenever the
// evaluation's document may have changed.
type fingerprinter interface {
	Fingerprint(ctx context.Context, evalID int64) (string, error)
}

// storedKey is the cache key of GET /evaluations/{id}/comparison with
// these query values for the evaluation as it is now: its store
// fingerprint is part of the key, so any change inside the evaluation
// makes a new key and the old answer just ages out. ok is false when the
// store has no fingerprints or the evaluation none (unknown id: the
// handler then answers 404 as usual).
func (s *Server) storedKey(ctx context.Context, id int64, rounds, breakEvenMax string) (key [32]byte, ok bool) {
	f, isF := s.deps.Store.(fingerprinter)
	if !isF {
		return key, false
	}
	fp, err := f.Fingerprint(ctx, id)
	if err != nil {
		return key, false
	}
	h := sha256.New()
	fmt.Fprintf(h, "stored\x00%s\x00rounds=%s\x00break_even_max=%s", fp, rounds, breakEvenMax)
	h.Sum(key[:0])
	return key, true
}

// get returns the cached answer of key. The bytes are shared: callers
// must not change them.
func (c compareCache) get(key [32]byte) (*encoded, bool) {
	v, ok := c.b.get(key)
	if !ok {
		return nil, false
	}
	return v.(*encoded), true
}

// put keeps body under key (an answer already kept stays as it is).
func (c compareCache) put(key [32]byte, body *encoded) {
	c.b.add(key, body, body.size())
}

// clear drops every kept answer and dashboard (for the cold-render
// benchmarks): they share one budget.
func (c compareCache) clear() { c.b.clear() }
