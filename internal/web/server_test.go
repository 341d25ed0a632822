package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
)

// readFile reads a test document of the engine's testdata.
func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../tco/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// badDocument has an unknown field, a negative tier price and a score over
// its scale: three problems that must all be reported at once.
const badDocument = `{"name": "bad", "currency": "USD", "start": "2027-01", "horizon_months": 12, "colour": "red",
 "volume": {"unit": "contact", "monthly": 1000}, "baseline": "a",
 "criteria": [{"key": "q", "name": "Q", "weight": 1, "scale": 10}],
 "options": [
  {"id": "a", "name": "A", "lines": [{"name": "f", "category": "operations", "basis": "fixed", "amount": 100}], "scores": {"q": 11}},
  {"id": "b", "name": "B", "pricing": {"tiers": [{"up_to": 10, "price": -1}, {"price": 1}]}, "scores": {"q": 5}}]}`

type response struct {
	status int
	header http.Header
	body   []byte
}

func do(t testing.TB, ts *httptest.Server, method, path, contentType string, body io.Reader) response {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	// The answer as sent, uncompressed: TestComparisonGzip and
	// TestDashboardGzip cover gzip.
	req.Header.Set("Accept-Encoding", "identity")
	res, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{res.StatusCode, res.Header, b}
}

// errorJSON decodes an error body.
func errorJSON(t testing.TB, b []byte) errorDetail {
	t.Helper()
	var e errorBody
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatalf("error body is not JSON: %v: %s", err, b)
	}
	if e.Error.Message == "" {
		t.Fatalf("error body has no message: %s", b)
	}
	return e.Error
}

func TestHealth(t *testing.T) {
	t.Parallel()
	ts, _ := newTestServer(t)
	r := do(t, ts, http.MethodGet, "/healthz", "", nil)
	if r.status != http.StatusOK {
		t.Fatalf("status %d, want 200", r.status)
	}
	if got := strings.TrimSpace(string(r.body)); got != `{"status":"ok"}` {
		t.Errorf("body %s", got)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
	// Probes often use HEAD.
	if r := do(t, ts, http.MethodHead, "/healthz", "", nil); r.status != http.StatusOK || len(r.body) != 0 {
		t.Errorf("HEAD /healthz: %d %q", r.status, r.body)
	}
}

// comparison is the part of the section-7 JSON the tests check.
type comparison struct {
	Currency string `json:"currency"`
	Baseline string `json:"baseline"`
	Options  []struct {
		ID      string `json:"id"`
		TCO     string `json:"tco"`
		PV      string `json:"pv"`
		Rank    *int   `json:"rank"`
		Status  string `json:"status"`
		Savings struct {
			TCO string `json:"tco"`
			PV  string `json:"pv"`
		} `json:"savings"`
		BreakEven *struct {
			Monthly []struct {
				From, To float64
				Winner   string
			} `json:"monthly"`
		} `json:"break_even"`
	} `json:"options"`
}

func TestCompare(t *testing.T) {
	t.Parallel()
	ts, _ := newTestServer(t)
	e2 := readFile(t, "e2.json")

	t.Run("OK", func(t *testing.T) {
		r := do(t, ts, http.MethodPost, "/api/v1/compare", "application/json", bytes.NewReader(e2))
		if r.status != http.StatusOK {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
		if cl := r.header.Get("Content-Length"); cl != fmt.Sprint(len(r.body)) {
			t.Errorf("Content-Length %q, body %d bytes", cl, len(r.body))
		}
		if cc := r.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control %q, want no-store", cc)
		}
		var c comparison
		if err := json.Unmarshal(r.body, &c); err != nil {
			t.Fatal(err)
		}
		if c.Currency != "USD" || c.Baseline != "in-house" || len(c.Options) != 2 {
			t.Fatalf("currency %q baseline %q options %d", c.Currency, c.Baseline, len(c.Options))
		}
		for _, o := range c.Options {
			switch o.ID {
			case "vendor-a":
				if o.TCO != "4071167.36" || o.PV != "3655591.30" {
					t.Errorf("vendor-a tco %s pv %s, want 4071167.36 3655591.30", o.TCO, o.PV)
				}
				if o.Savings.TCO != "459844.72" || o.Savings.PV != "371320.41" {
					t.Errorf("vendor-a savings %s %s, want 459844.72 371320.41", o.Savings.TCO, o.Savings.PV)
				}
				if o.Rank == nil || *o.Rank != 1 || o.Status != "ranked" {
					t.Errorf("vendor-a rank %v status %s, want 1 ranked", o.Rank, o.Status)
				}
			case "in-house":
				if o.TCO != "4531012.08" || o.PV != "4026911.71" {
					t.Errorf("in-house tco %s pv %s, want 4531012.08 4026911.71", o.TCO, o.PV)
				}
				if o.Rank == nil || *o.Rank != 2 {
					t.Errorf("in-house rank %v, want 2", o.Rank)
				}
			default:
				t.Errorf("unexpected option %q", o.ID)
			}
		}
	})

	t.Run("OKCharsetAndBreakEvenMax", func(t *testing.T) {
		r := do(t, ts, http.MethodPost, "/api/v1/compare?break_even_max=6000", "application/json; charset=utf-8",
			bytes.NewReader(readFile(t, "e3.json")))
		if r.status != http.StatusOK {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
		var c comparison
		if err := json.Unmarshal(r.body, &c); err != nil {
			t.Fatal(err)
		}
		for _, o := range c.Options {
			if o.ID == c.Baseline {
				continue
			}
			if o.BreakEven == nil {
				t.Fatalf("%s has no break_even", o.ID)
			}
			iv := o.BreakEven.Monthly
			if len(iv) == 0 || iv[len(iv)-1].To != 6000 {
				t.Errorf("%s monthly break-even %+v does not end at break_even_max 6000", o.ID, iv)
			}
		}
	})

	errCases := []struct {
		name        string
		query       string
		contentType string
		body        io.Reader
		status      int
		fields      []string // paths the 422 must name
	}{
		{name: "ErrFields", contentType: "application/json", body: strings.NewReader(badDocument),
			status: http.StatusUnprocessableEntity,
			fields: []string{"colour", "options[1].pricing.tiers[0].price", "options[0].scores.q"}},
		{name: "ErrFieldsWithQuery", query: "?break_even_max=-5", contentType: "application/json",
			body: strings.NewReader(badDocument), status: http.StatusUnprocessableEntity,
			fields: []string{"colour", "options[1].pricing.tiers[0].price", "options[0].scores.q", "break_even_max"}},
		{name: "ErrBreakEvenMaxNegative", query: "?break_even_max=-5", contentType: "application/json",
			body: bytes.NewReader(e2), status: http.StatusUnprocessableEntity, fields: []string{"break_even_max"}},
		{name: "ErrBreakEvenMaxText", query: "?break_even_max=lots", contentType: "application/json",
			body: bytes.NewReader(e2), status: http.StatusUnprocessableEntity, fields: []string{"break_even_max"}},
		{name: "ErrBreakEvenMaxExponent", query: "?break_even_max=1e999999", contentType: "application/json",
			body: bytes.NewReader(e2), status: http.StatusUnprocessableEntity, fields: []string{"break_even_max"}},
		{name: "ErrMalformed", contentType: "application/json", body: strings.NewReader(`{"name": `),
			status: http.StatusBadRequest},
		{name: "ErrNotAnObject", contentType: "application/json", body: strings.NewReader(`[1, 2]`),
			status: http.StatusBadRequest},
		{name: "ErrTooLarge", contentType: "application/json",
			body:   bytes.NewReader(append(append([]byte(`{"name": "`), bytes.Repeat([]byte("x"), 1<<20)...), `"}`...)),
			status: http.StatusRequestEntityTooLarge},
		{name: "ErrTooLargeChunked", contentType: "application/json",
			// A reader of unknown length is sent chunked, with no
			// Content-Length: the limit must hold while reading.
			body:   io.MultiReader(strings.NewReader(`{"name": "`), io.LimitReader(repeatReader('x'), 1<<20+1)),
			status: http.StatusRequestEntityTooLarge},
		{name: "ErrTextPlain", contentType: "text/plain", body: bytes.NewReader(e2),
			status: http.StatusUnsupportedMediaType},
		{name: "ErrNoContentType", body: bytes.NewReader(e2), status: http.StatusUnsupportedMediaType},
		{name: "ErrCharset", contentType: "application/json; charset=latin1", body: bytes.NewReader(e2),
			status: http.StatusUnsupportedMediaType},
	}
	for _, tc := range errCases {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, ts, http.MethodPost, "/api/v1/compare"+tc.query, tc.contentType, tc.body)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
			}
			e := errorJSON(t, r.body)
			for _, p := range tc.fields {
				if e.Fields[p] == "" {
					t.Errorf("fields %v do not name %q", e.Fields, p)
				}
			}
			if len(tc.fields) > 0 && len(e.Fields) != len(tc.fields) {
				t.Errorf("fields %v, want exactly %v", e.Fields, tc.fields)
			}
		})
	}

	t.Run("ErrFieldsMessage", func(t *testing.T) {
		r := do(t, ts, http.MethodPost, "/api/v1/compare", "application/json", strings.NewReader(badDocument))
		e := errorJSON(t, r.body)
		if got := e.Fields["options[1].pricing.tiers[0].price"]; got != "must be ≥ 0" {
			t.Errorf("tier price message %q, want %q", got, "must be ≥ 0")
		}
	})
}

// repeatReader is an endless stream of one byte.
type repeatReader byte

func (r repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

func TestNotFound(t *testing.T) {
	t.Parallel()
	ts, _ := newTestServer(t)
	for _, tc := range []struct {
		name, method, path string
		status             int
	}{
		{"UnknownRoute", http.MethodGet, "/nope", http.StatusNotFound},
		{"UnknownAPI", http.MethodPost, "/api/v1/nope", http.StatusNotFound},
		{"WrongMethod", http.MethodGet, "/api/v1/compare", http.StatusMethodNotAllowed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, ts, tc.method, tc.path, "", nil)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d", r.status, tc.status)
			}
			if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q, want JSON", ct)
			}
			errorJSON(t, r.body)
		})
	}
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	ts, _ := newTestServer(t)
	want := map[string]string{
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "no-referrer",
		"X-Frame-Options":         "DENY",
		"Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
	}
	for _, tc := range []struct {
		name, method, path, contentType, body string
	}{
		{"Health", http.MethodGet, "/healthz", "", ""},
		{"NotFound", http.MethodGet, "/missing", "", ""},
		{"Unprocessable", http.MethodPost, "/api/v1/compare", "application/json", badDocument},
		{"UnsupportedMediaType", http.MethodPost, "/api/v1/compare", "text/plain", "x"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, ts, tc.method, tc.path, tc.contentType, strings.NewReader(tc.body))
			for k, v := range want {
				if got := r.header.Get(k); got != v {
					t.Errorf("%s: %q, want %q", k, got, v)
				}
			}
			if id := r.header.Get("X-Request-ID"); len(id) != 32 {
				t.Errorf("X-Request-ID %q, want 32 hex digits", id)
			}
		})
	}
}

func TestRequestID(t *testing.T) {
	t.Parallel()
	ts, _ := newTestServer(t)
	for _, tc := range []struct {
		name, sent string
		kept       bool
	}{
		{"Kept", "abc-123_X.y", true},
		{"ReplacedWhenOdd", "a b<script>", false},
		{"ReplacedWhenLong", strings.Repeat("a", 65), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, ts.URL+"/healthz", nil)
			req.Header["X-Request-Id"] = []string{tc.sent}
			res, err := ts.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			got := res.Header.Get("X-Request-ID")
			if (got == tc.sent) != tc.kept || got == "" {
				t.Errorf("sent %q, got %q; kept = %v", tc.sent, got, tc.kept)
			}
		})
	}
}

func TestPanic(t *testing.T) {
	t.Parallel()
	ts, logs := newTestServer(t, func(s *Server) {
		s.echo.GET("/test/panic", func(echo.Context) error { panic("secret internal detail") })
	})
	r := do(t, ts, http.MethodGet, "/test/panic", "", nil)
	if r.status != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500", r.status)
	}
	id := r.header.Get("X-Request-ID")
	e := errorJSON(t, r.body)
	if id == "" || !strings.Contains(e.Message, id) || e.RequestID != id {
		t.Errorf("500 body %s does not carry the request id %q", r.body, id)
	}
	if strings.Contains(string(r.body), "secret") {
		t.Errorf("500 body leaks the panic: %s", r.body)
	}
	if l := logs.String(); !strings.Contains(l, "request_id="+id) || !strings.Contains(l, "secret internal detail") ||
		!strings.Contains(l, "stack=") {
		t.Errorf("log lacks the request id, panic or stack:\n%s", l)
	}
	if r := do(t, ts, http.MethodGet, "/healthz", "", nil); r.status != http.StatusOK {
		t.Errorf("after a panic /healthz answers %d", r.status)
	}
}

func TestParseBreakEvenMax(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want string // "" when nil; "err" when an error
	}{
		{"", ""}, {"0", "0"}, {"60000", "60000"}, {"4416.5", "4416.5"}, {"007", "7"},
		{"-1", "err"}, {"1e3", "err"}, {".", "err"}, {"1.2.3", "err"}, {"NaN", "err"}, {" 5", "err"},
		{strings.Repeat("9", 31), "err"},
	} {
		d, err := ParseBreakEvenMax(tc.in)
		switch {
		case tc.want == "err":
			if err == nil {
				t.Errorf("%q: no error", tc.in)
			}
		case err != nil:
			t.Errorf("%q: %v", tc.in, err)
		case tc.want == "" && d != nil, tc.want != "" && (d == nil || d.String() != tc.want):
			t.Errorf("%q: got %v, want %q", tc.in, d, tc.want)
		}
	}
}

// TestCompareBusy: with every comparison slot taken, a request waits until
// its handler timeout and gets 503; once a slot frees, it is served.
func TestCompareBusy(t *testing.T) {
	t.Parallel()
	srv := New(Config{MaxComparisons: 1, HandlerTimeout: 200 * time.Millisecond}, Deps{})
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	e2 := readFile(t, "e2.json")

	release, err := srv.eval.Slot(t.Context()) // a comparison in progress
	if err != nil {
		t.Fatal(err)
	}
	r := do(t, ts, http.MethodPost, "/api/v1/compare", "application/json", bytes.NewReader(e2))
	if r.status != http.StatusServiceUnavailable {
		t.Fatalf("busy: status %d, want 503: %s", r.status, r.body)
	}
	if e := errorJSON(t, r.body); !strings.Contains(e.Message, "busy") {
		t.Errorf("busy message %q", e.Message)
	}

	release()
	if r := do(t, ts, http.MethodPost, "/api/v1/compare", "application/json", bytes.NewReader(e2)); r.status != http.StatusOK {
		t.Fatalf("free: status %d, want 200: %s", r.status, r.body)
	}
}
