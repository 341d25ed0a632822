package web

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
)

// FuzzCompareHTTP: whatever the body and break_even_max, the API answers
// 200 or a client error, never a 500 (the error handler's "unexpected").
func FuzzCompareHTTP(f *testing.F) {
	f.Add(readFile(f, "e2.json"), "")
	f.Add(readFile(f, "e3.json"), "6000")
	f.Add([]byte(badDocument), "-1")
	f.Add([]byte(`{"name": `), "")
	f.Add([]byte(`null`), "0")
	h := New(Config{}, Deps{}).Handler()
	f.Fuzz(func(t *testing.T, body []byte, beMax string) {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/compare", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		q := req.URL.Query()
		q.Set("break_even_max", beMax)
		req.URL.RawQuery = q.Encode()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity:
		default:
			t.Fatalf("status %d for %q?break_even_max=%q: %s", rec.Code, body, beMax, rec.Body)
		}
	})
}
