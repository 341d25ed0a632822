package web

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkCompareE2HTTP posts examples/e2.json through the whole handler
// chain (middleware, decoding, costing with break-even and sensitivity,
// encoding), without the network.
func BenchmarkCompareE2HTTP(b *testing.B) {
	srv := New(Config{}, Deps{})
	h := srv.Handler()
	body := readFile(b, "e2.json")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/compare", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

// BenchmarkHealthHTTP measures the middleware chain alone (request id,
// headers, logging, recover, body limit, timeout) on the cheapest route.
func BenchmarkHealthHTTP(b *testing.B) {
	h := New(Config{}, Deps{}).Handler()
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}
