package web

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/shopspring/decimal"
)

// TestCompareCacheNeverStale: the stored comparison answered from the
// value cache (internal/evaluation) is byte for byte what a server without a cache answers, before
// and after a cost line of the evaluation changes (a changed document is
// a new key), and another break_even_max is a different answer.
func TestCompareCacheNeverStale(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	fresh := func(path string) []byte { // a new server: an empty cache
		t.Helper()
		ts := httptest.NewServer(New(Config{}, Deps{Store: a.st}).Handler())
		defer ts.Close()
		req, _ := http.NewRequest(http.MethodGet, ts.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+a.token)
		res, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, res.StatusCode, b)
		}
		return b
	}
	const path = "/api/v1/evaluations/1/comparison"
	first := a.must(http.StatusOK, nil, "GET", path, nil).body
	again := a.must(http.StatusOK, nil, "GET", path, nil).body
	if !bytes.Equal(first, again) || !bytes.Equal(again, fresh(path)) {
		t.Fatal("the cached comparison differs from a fresh one")
	}
	if other := a.must(http.StatusOK, nil, "GET", path+"?break_even_max=90000", nil).body; bytes.Equal(other, first) {
		t.Error("break_even_max=90000 answered the default range's comparison")
	}

	lines, err := a.st.ListLines(t.Context(), a.demoOptions()["in-house"].ID)
	if err != nil || len(lines) == 0 {
		t.Fatalf("in-house lines: %v", err)
	}
	l := lines[0]
	l.Amount = l.Amount.Mul(decimal.NewFromInt(2))
	a.must(http.StatusOK, nil, "PUT", fmt.Sprintf("/api/v1/lines/%d", l.ID), withVersion(t, l.Line, l.Version))
	after := a.must(http.StatusOK, nil, "GET", path, nil).body
	if bytes.Equal(after, first) {
		t.Fatal("after doubling an in-house cost line the comparison is unchanged (stale cache)")
	}
	if !bytes.Equal(after, fresh(path)) {
		t.Error("after the change the cached comparison differs from a fresh one")
	}
}
