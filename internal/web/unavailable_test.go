package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
)

// fullStore is the real store whose writes of lines and vendors fail the
// way SQLite's do on a read-only or full disk (store.ErrUnavailable with a
// driver error as its cause) once refuse is set.
type fullStore struct {
	*store.Store
	mu     sync.Mutex
	refuse bool
}

func (f *fullStore) refusing() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.refuse
}

var errDiskFull = &store.Error{Code: store.CodeUnavailable,
	Message: "the database cannot save changes right now (read-only or full disk); nothing was saved, try again later",
	Err:     errors.New("commit: database or disk is full (13)")}

func (f *fullStore) UpdateLine(ctx context.Context, actor string, id, version int64, l tco.Line) (*store.Line, error) {
	if f.refusing() {
		return nil, errDiskFull
	}
	return f.Store.UpdateLine(ctx, actor, id, version, l)
}

func (f *fullStore) CreateVendor(ctx context.Context, actor string, in store.VendorInput) (*store.Vendor, error) {
	if f.refusing() {
		return nil, errDiskFull
	}
	return f.Store.CreateVendor(ctx, actor, in)
}

// TestUnavailableIs503: a write the disk refuses answers 503 with
// Retry-After, a plain message saying nothing was saved and the request
// id; the cause is logged with that id, not shown; what was saved before
// stays readable, and writes work again once the disk does.
func TestUnavailableIs503(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := demoStore(t)
	var logs syncBuffer
	fs := &fullStore{Store: st}
	srv := New(Config{}, Deps{Store: fs, Accounts: st, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	tok := apiToken(t, st, "editor-503@example.com", store.RoleEditor)
	call := func(method, path string, body any) (int, http.Header, []byte) {
		t.Helper()
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest(method, ts.URL+path, bytes.NewReader(b))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		res, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var buf bytes.Buffer
		buf.ReadFrom(res.Body)
		return res.StatusCode, res.Header, buf.Bytes()
	}

	// One save before the disk fills.
	if code, _, body := call("POST", "/api/v1/vendors", map[string]any{"name": "Saved before"}); code != http.StatusCreated {
		t.Fatalf("create vendor: %d %s", code, body)
	}
	lines, err := st.ListLines(ctx, 1)
	if err != nil || len(lines) == 0 {
		t.Fatalf("demo lines: %v", err)
	}
	line := lines[0]

	fs.mu.Lock()
	fs.refuse = true
	fs.mu.Unlock()
	for _, w := range []struct {
		method, path string
		body         any
	}{
		{"POST", "/api/v1/vendors", map[string]any{"name": "Refused"}},
		{"PUT", fmt.Sprintf("/api/v1/lines/%d", line.ID), withVersion(t, line.Line, line.Version)},
	} {
		code, h, body := call(w.method, w.path, w.body)
		if code != http.StatusServiceUnavailable {
			t.Fatalf("%s %s on a full disk: %d %s, want 503", w.method, w.path, code, body)
		}
		var e errorBody
		if err := json.Unmarshal(body, &e); err != nil {
			t.Fatal(err)
		}
		id := h.Get("X-Request-ID")
		if h.Get("Retry-After") == "" || e.Error.RequestID != id || !strings.Contains(e.Error.Message, "nothing was saved") ||
			strings.Contains(string(body), "(13)") {
			t.Errorf("503 body %s, headers %v: want a plain message, the request id and Retry-After", body, h)
		}
		if l := logs.String(); !strings.Contains(l, id) || !strings.Contains(l, "disk is full") {
			t.Errorf("log lacks the request id or the cause:\n%s", l)
		}
	}
	// Reads still answer, and show what was saved before.
	code, _, body := call("GET", "/api/v1/vendors?q=Saved", nil)
	if code != http.StatusOK || !strings.Contains(string(body), "Saved before") || strings.Contains(string(body), "Refused") {
		t.Errorf("list vendors on a full disk: %d %s", code, body)
	}
	if got, err := st.GetLine(ctx, line.ID); err != nil || got.Version != line.Version {
		t.Errorf("line after the refused update: %+v %v", got, err)
	}

	fs.mu.Lock()
	fs.refuse = false
	fs.mu.Unlock()
	if code, _, body := call("POST", "/api/v1/vendors", map[string]any{"name": "After"}); code != http.StatusCreated {
		t.Errorf("create vendor once the disk has room: %d %s", code, body)
	}
}

// withVersion is v's JSON object with "version" added (tco.Line has its
// own MarshalJSON, so embedding it would drop the field).
func withVersion(t *testing.T, v any, version int64) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]any{}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	m["version"] = version
	return m
}
