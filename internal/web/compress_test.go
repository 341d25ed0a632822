package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"testing"

	"vendorcompare/internal/store"
	"vendorcompare/internal/web/edge"
)

// TestComparisonGzip: both comparison routes answer gzip to a client that
// accepts it, the same bytes once decompressed, with a right
// Content-Length and Vary: Accept-Encoding; a client that does not (or
// refuses it with q=0) gets the JSON as is (the compress middleware).
// Served from the value cache and fresh alike.
func TestComparisonGzip(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	e2 := readFile(t, "e2.json")
	routes := []struct {
		name, method, path string
		body               any
	}{
		{"compare", "POST", "/api/v1/compare", e2},
		{"stored", "GET", "/api/v1/evaluations/1/comparison", nil},
	}
	for _, r := range routes {
		t.Run(r.name, func(t *testing.T) {
			plain := a.must(http.StatusOK, nil, r.method, r.path, r.body, "Accept-Encoding", "identity")
			if plain.header.Get("Content-Encoding") != "" {
				t.Fatalf("identity asked, got %q", plain.header.Get("Content-Encoding"))
			}
			if len(plain.body) < gzipMin {
				t.Fatalf("a %d-byte comparison: too small to test", len(plain.body))
			}
			for _, accept := range []string{"gzip", "br, gzip;q=0.5", "*", "deflate, GZIP"} {
				for range 2 { // fresh or cached, then cached
					res := a.must(http.StatusOK, nil, r.method, r.path, r.body, "Accept-Encoding", accept)
					if res.header.Get("Content-Encoding") != "gzip" {
						t.Fatalf("Accept-Encoding %q: Content-Encoding %q", accept, res.header.Get("Content-Encoding"))
					}
					if n, _ := strconv.Atoi(res.header.Get("Content-Length")); n != len(res.body) {
						t.Errorf("Content-Length %s for %d bytes", res.header.Get("Content-Length"), len(res.body))
					}
					if len(res.body)*4 > len(plain.body) {
						t.Errorf("gzip of %d bytes is %d bytes", len(plain.body), len(res.body))
					}
					zr, err := gzip.NewReader(bytes.NewReader(res.body))
					if err != nil {
						t.Fatal(err)
					}
					got, err := io.ReadAll(zr)
					if err != nil || !bytes.Equal(got, plain.body) {
						t.Fatalf("decompressed answer differs from the plain one (%v)", err)
					}
					if !slices.Contains(res.header.Values("Vary"), "Accept-Encoding") {
						t.Errorf("Vary %q", res.header.Values("Vary"))
					}
				}
			}
			for _, accept := range []string{"gzip;q=0", "*, gzip;q=0", "br", "*;q=0"} {
				res := a.must(http.StatusOK, nil, r.method, r.path, r.body, "Accept-Encoding", accept)
				if res.header.Get("Content-Encoding") != "" || !bytes.Equal(res.body, plain.body) {
					t.Errorf("Accept-Encoding %q: got %q encoding, %d bytes", accept, res.header.Get("Content-Encoding"), len(res.body))
				}
				if !slices.Contains(res.header.Values("Vary"), "Accept-Encoding") {
					t.Errorf("Vary %q", res.header.Values("Vary"))
				}
			}
		})
	}
}

func TestAcceptsGzip(t *testing.T) {
	t.Parallel()
	for h, want := range map[string]bool{
		"": false, "gzip": true, "GZip": true, "x-gzip": true, "gzip, deflate, br": true,
		"gzip;q=0": false, "gzip; q=0.000": false, "gzip;q=0.001": true, "gzip;q=1": true,
		"*": true, "*;q=0": false, "*, gzip;q=0": false, "gzip;q=0, *": false, "gzip, *;q=0": true,
		"identity": false, "br, zstd": false, "gzipx": false, "gzip;level=1;q=0": false,
	} {
		if got := edge.AcceptsGzip(h); got != want {
			t.Errorf("edge.AcceptsGzip(%q) = %v, want %v", h, got, want)
		}
	}
}

// FuzzAcceptsGzip: any header value is answered without a panic, and an
// explicit gzip listed last decides, whatever came before it.
func FuzzAcceptsGzip(f *testing.F) {
	for _, s := range []string{"gzip", "gzip;q=0", "*;q=0.5, br", ";;,=q", "x-gzip;q=0.0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		edge.AcceptsGzip(h)
		if edge.AcceptsGzip(h + ", gzip;q=0") {
			t.Errorf("%q then gzip;q=0 accepts gzip", h)
		}
		if !edge.AcceptsGzip(h + ",gzip") {
			t.Errorf("%q then gzip refuses gzip", h)
		}
	})
}

// gunzip decompresses one gzip stream, checking its CRC and length.
func gunzip(t testing.TB, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("gzip header: %v", err)
	}
	zr.Multistream(false)
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gunzip: %v", err)
	}
	return out
}

// TestDashboardGzip: the dashboard sent gzipped is, decompressed, the
// very page sent plain; other pages are gzipped too; a client that
// refuses gzip gets plain HTML.
func TestDashboardGzip(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	u := testUser(t, a.st, "dash-gzip@example.com", store.RoleEditor)
	h := New(Config{}, Deps{Store: a.st}).Handler()
	cookies := loginCookies(t, h, u.Email, testPassword)
	get := func(path, accept string) *httptest.ResponseRecorder {
		t.Helper()
		req := httptest.NewRequest(http.MethodGet, path, nil)
		for _, c := range cookies {
			req.AddCookie(c)
		}
		if accept != "" {
			req.Header.Set("Accept-Encoding", accept)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: %d", path, rec.Code)
		}
		if !slices.Contains(rec.Header().Values("Vary"), "Accept-Encoding") {
			t.Errorf("GET %s: Vary %q", path, rec.Header().Values("Vary"))
		}
		if n, _ := strconv.Atoi(rec.Header().Get("Content-Length")); n != rec.Body.Len() {
			t.Errorf("GET %s: Content-Length %s for %d bytes", path, rec.Header().Get("Content-Length"), rec.Body.Len())
		}
		return rec
	}
	for _, path := range []string{"/evaluations/1", "/", "/evaluations/1/workspace", "/evaluations/1/print"} {
		for range 2 { // the dashboard built, then from the value cache
			plain := get(path, "identity")
			if plain.Header().Get("Content-Encoding") != "" {
				t.Fatalf("%s: identity answered %q", path, plain.Header().Get("Content-Encoding"))
			}
			zipped := get(path, "gzip, deflate, br")
			if zipped.Header().Get("Content-Encoding") != "gzip" {
				t.Fatalf("%s: Content-Encoding %q", path, zipped.Header().Get("Content-Encoding"))
			}
			page := gunzip(t, zipped.Body.Bytes())
			if !bytes.Equal(page, plain.Body.Bytes()) {
				t.Fatalf("%s: the gzipped page (%d bytes) differs from the plain one (%d bytes)", path, len(page), plain.Body.Len())
			}
			if path == "/evaluations/1" && zipped.Body.Len()*3 > plain.Body.Len() {
				t.Errorf("dashboard: %d bytes gzipped of %d", zipped.Body.Len(), plain.Body.Len())
			}
			t.Logf("%s: %d bytes, %d gzipped", path, plain.Body.Len(), zipped.Body.Len())
		}
	}
}
