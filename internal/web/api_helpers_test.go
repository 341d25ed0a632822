package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"vendorcompare/internal/store"
)

// apiT drives the real server, wired to a real store on a temporary
// database holding the demo evaluation.
type apiT struct {
	t  testing.TB
	ts *httptest.Server
	st *store.Store
	// token is an admin's API token, sent with every call unless the call
	// names its own Authorization header ("" for none).
	token string
}

// newAPI opens a store in a temporary folder, loads the demo (data/) and
// serves the whole API through httptest.
func newAPI(t testing.TB) *apiT {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if loaded, err := st.LoadDemo(ctx, "../../data"); err != nil || !loaded {
		t.Fatalf("load demo: %v %v", loaded, err)
	}
	srv := New(Config{}, Deps{Store: st})
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &apiT{t: t, ts: ts, st: st, token: apiToken(t, st, "api-admin@example.com", store.RoleAdmin)}
}

// apiResult is one response.
type apiResult struct {
	status int
	body   []byte
	header http.Header
}

// call sends a request: body is sent as is when it is a string or []byte,
// else as its JSON; headers are name, value pairs.
func (a *apiT) call(method, path string, body any, headers ...string) apiResult {
	a.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	case []byte:
		r = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			a.t.Fatal(err)
		}
		r = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, a.ts.URL+path, r)
	if err != nil {
		a.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+a.token)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := a.ts.Client().Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		a.t.Fatal(err)
	}
	return apiResult{status: res.StatusCode, body: data, header: res.Header}
}

// must sends a request, fails unless the status is want, and decodes the
// body into out (when not nil).
func (a *apiT) must(want int, out any, method, path string, body any, headers ...string) apiResult {
	a.t.Helper()
	r := a.call(method, path, body, headers...)
	if r.status != want {
		a.t.Fatalf("%s %s: status %d, want %d: %s", method, path, r.status, want, r.body)
	}
	if out != nil {
		if err := json.Unmarshal(r.body, out); err != nil {
			a.t.Fatalf("%s %s: decode %T: %v: %s", method, path, out, err, r.body)
		}
	}
	return r
}

// auditTotal counts every audit entry.
func (a *apiT) auditTotal() int {
	a.t.Helper()
	var p struct{ Total int }
	a.must(http.StatusOK, &p, "GET", "/api/v1/audit?limit=1", nil)
	return p.Total
}

// demoID is the demo evaluation's id (the first evaluation stored).
const demoID = 1

// demoOptions returns the demo's options by slug.
func (a *apiT) demoOptions() map[string]store.Option {
	a.t.Helper()
	var p listPage[store.Option]
	a.must(http.StatusOK, &p, "GET", "/api/v1/evaluations/1/options", nil)
	out := map[string]store.Option{}
	for _, o := range p.Items {
		out[o.Slug] = o
	}
	return out
}

// errorOf decodes an error body.
func errorOf(t testing.TB, r apiResult) errorDetail {
	t.Helper()
	var b errorBody
	if err := json.Unmarshal(r.body, &b); err != nil || b.Error.Message == "" {
		t.Fatalf("not an error body (%v): %s", err, r.body)
	}
	return b.Error
}

// jsonEqual reports whether two JSON texts hold the same value.
func jsonEqual(t testing.TB, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatalf("%v: %.200s", err, a)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatalf("%v: %.200s", err, b)
	}
	return reflect.DeepEqual(x, y)
}
