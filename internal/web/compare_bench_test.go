package web

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"vendorcompare/internal/store"
)

// BenchmarkComparePostedCached is one request of cmd/loadtest's compare
// target, in process: POST /api/v1/compare with e2.json, an API token and
// Accept-Encoding: gzip, through the whole server with a store (token
// lookup, middleware, bind, the kept answer); the answer is kept after
// the first request, so this is the cached path the load run measures.
// BenchmarkHealthStore is /healthz on the same server, the ratio's other
// half.
func BenchmarkComparePostedCached(b *testing.B) {
	h, token := compareBenchServer(b)
	body := readFile(b, "e2.json")
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/compare", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Accept-Encoding", "gzip")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Encoding") != "gzip" {
			b.Fatalf("status %d, encoding %q: %s", rec.Code, rec.Header().Get("Content-Encoding"), rec.Body)
		}
	}
}

func BenchmarkHealthStore(b *testing.B) {
	h, _ := compareBenchServer(b)
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

// compareBenchServer is the server on a demo store, logging as the binary
// does by default (Info, here discarded), and a viewer's API token.
func compareBenchServer(b *testing.B) (http.Handler, string) {
	st := demoStore(b)
	token := apiToken(b, st, "bench@example.com", store.RoleViewer)
	logger := slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo}))
	return New(Config{}, Deps{Store: st, Logger: logger}).Handler(), token
}
