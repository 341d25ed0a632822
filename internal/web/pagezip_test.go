package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"testing"

	"vendorcompare/internal/store"
)

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

// checkSpliced: the spliced stream decompresses to head + part + tail.
func checkSpliced(t testing.TB, head, part, tail []byte) {
	t.Helper()
	var p *htmlPart
	want := slices.Concat(head, tail)
	if part != nil {
		var err error
		if p, err = newHTMLPart(part); err != nil {
			t.Fatal(err)
		}
		want = slices.Concat(head, part, tail)
	}
	var buf bytes.Buffer
	if err := gzipPage(&buf, head, p, tail); err != nil {
		t.Fatal(err)
	}
	if got := gunzip(t, buf.Bytes()); !bytes.Equal(got, want) {
		t.Fatalf("spliced stream of %d+%d+%d bytes decompresses to %d bytes, not the page", len(head), len(part), len(tail), len(got))
	}
}

// TestGzipPageSplice: a page spliced from its own compressed head and
// tail around a part compressed once decompresses to the page, also when
// the three repeat each other (where a back-reference across the part
// would go wrong), are empty, or are larger than deflate's 32 KiB window.
func TestGzipPageSplice(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	text := func(n int) []byte {
		words := []string{"<td>", "€1,234.56", "</td>", "Vendor A", " ", "\n", "<tr class=\"x\">", "contacts"}
		var b bytes.Buffer
		for b.Len() < n {
			b.WriteString(words[rng.IntN(len(words))])
		}
		return b.Bytes()[:n]
	}
	random := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return b
	}
	head := text(3000)
	checkSpliced(t, head, head, head) // all three alike
	checkSpliced(t, nil, nil, nil)
	checkSpliced(t, nil, []byte{}, nil)
	checkSpliced(t, head, nil, head)
	checkSpliced(t, []byte("a"), []byte("a"), []byte("a"))
	checkSpliced(t, text(100), text(200_000), text(100))  // part over the window
	checkSpliced(t, text(70_000), text(10), text(70_000)) // head and tail over it
	checkSpliced(t, random(5000), random(40_000), random(5000))
	for range 200 {
		checkSpliced(t, text(rng.IntN(9000)), text(rng.IntN(60_000)), text(rng.IntN(9000)))
	}
}

// FuzzGzipPage: any head, part and tail splice into a valid gzip stream
// of their concatenation.
func FuzzGzipPage(f *testing.F) {
	f.Add([]byte("<html><body>"), []byte("<p>body</p><p>body</p>"), []byte("</body></html>"))
	f.Add([]byte{}, []byte{}, []byte{})
	f.Add([]byte("aaaa"), []byte("aaaaaaaa"), []byte("aaaa"))
	f.Fuzz(func(t *testing.T, head, part, tail []byte) {
		checkSpliced(t, head, part, tail)
	})
}

// TestDashboardGzip: the dashboard sent gzipped (its shared body spliced
// in compressed) is, decompressed, the very page sent plain; other pages
// are gzipped too; a client that refuses gzip gets plain HTML.
func TestDashboardGzip(t *testing.T) {
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
		for range 2 { // the dashboard's body rendered, then kept
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
			if bytes.Contains(page, []byte(partMarker)) || bytes.Contains(page, []byte("vc:part:")) {
				t.Fatalf("%s: the part marker was sent", path)
			}
			if path == "/evaluations/1" && zipped.Body.Len()*3 > plain.Body.Len() {
				t.Errorf("dashboard: %d bytes gzipped of %d", zipped.Body.Len(), plain.Body.Len())
			}
			t.Logf("%s: %d bytes, %d gzipped", path, plain.Body.Len(), zipped.Body.Len())
		}
	}
}
