package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"vendorcompare/internal/store"
)

// panickyStore is the real store whose vendor lookups panic for one id,
// as a bug deep in a handler's call would.
type panickyStore struct{ *store.Store }

const panicVendorID = 999

func (p panickyStore) GetVendor(ctx context.Context, id int64) (*store.Vendor, error) {
	if id == panicVendorID {
		panic("secret detail of a bug in GetVendor")
	}
	return p.Store.GetVendor(ctx, id)
}

// TestPanicUnderLoad: with 16 clients at once, the requests whose handler
// panics each get a plain 500 carrying their own request id (in the body
// and the header, the panic's text not shown), each panic is logged once
// with that id and its stack, and every other request is served as usual,
// during and after.
func TestPanicUnderLoad(t *testing.T) {
	t.Parallel()
	st := demoStore(t)
	var logs syncBuffer
	srv := New(Config{}, Deps{Store: panickyStore{st}, Accounts: st, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	tok := apiToken(t, st, "viewer-panic@example.com", store.RoleViewer)

	type result struct {
		panicky bool
		status  int
		id      string
		body    string
	}
	results := make(chan result, 16*20)
	var wg sync.WaitGroup
	for w := 0; w < 16; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				panicky := (w+i)%4 == 0
				path := "/api/v1/vendors/1"
				if panicky {
					path = fmt.Sprintf("/api/v1/vendors/%d", panicVendorID)
				}
				req, _ := http.NewRequest(http.MethodGet, ts.URL+path, nil)
				req.Header.Set("Authorization", "Bearer "+tok)
				res, err := ts.Client().Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				b, _ := io.ReadAll(res.Body)
				res.Body.Close()
				results <- result{panicky, res.StatusCode, res.Header.Get("X-Request-ID"), string(b)}
			}
		}(w)
	}
	wg.Wait()
	close(results)
	panics := 0
	for r := range results {
		if !r.panicky {
			if r.status != http.StatusOK {
				t.Errorf("a request beside the panics got %d %s", r.status, r.body)
			}
			continue
		}
		panics++
		var e errorBody
		if err := json.Unmarshal([]byte(r.body), &e); err != nil || r.status != http.StatusInternalServerError {
			t.Fatalf("panicking request: %d %s", r.status, r.body)
		}
		if r.id == "" || e.Error.RequestID != r.id || !strings.Contains(e.Error.Message, r.id) || strings.Contains(r.body, "secret") {
			t.Errorf("500 body %s (request id %q): want a plain message with the id", r.body, r.id)
		}
		if l := logs.String(); strings.Count(l, "request_id="+r.id) < 1 || !strings.Contains(l, "secret detail of a bug") {
			t.Errorf("log lacks the panic of request %s", r.id)
		}
	}
	if n := strings.Count(logs.String(), `msg="internal error"`); n != panics {
		t.Errorf("%d panics logged as internal errors, %d happened", n, panics)
	}
	if !strings.Contains(logs.String(), "stack=") {
		t.Error("no stack logged with the panics")
	}
	res, err := ts.Client().Get(ts.URL + "/healthz")
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("after %d panics /healthz: %v %v", panics, res, err)
	}
	res.Body.Close()
}
