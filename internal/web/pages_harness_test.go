package web

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"vendorcompare/internal/store"
)

// The page test harness: a real server with a real store holding the demo,
// listening on 127.0.0.1:0, and an HTTP client with a cookie jar that
// carries the CSRF cookie. The browser tests (browser_harness_test.go)
// drive the same server from Chromium.
//
//	p := startPages(t)
//	res := p.get("/")                      // status, body
//	res = p.postForm("/evaluations", "/", url.Values{"name": {"X"}, …})
//	id := p.demoID                         // the demo evaluation

// pageT is a running server for page tests.
type pageT struct {
	t      testing.TB
	st     *store.Store
	srv    *Server
	base   string // http://127.0.0.1:PORT
	client *http.Client
	demoID int64
}

// pageRes is one page response.
type pageRes struct {
	status int
	body   string
	header http.Header
	url    string // the final URL after redirects
}

// startPages opens a store in a temporary folder, loads the demo (data/),
// starts the server on 127.0.0.1:0 and stops it when the test ends.
func startPages(t testing.TB) *pageT {
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
	pg, err := st.ListEvaluations(ctx, store.ListParams{})
	if err != nil || len(pg.Items) == 0 {
		t.Fatalf("list evaluations: %v", err)
	}
	logger := slog.New(slog.NewTextHandler(testLog{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv := New(Config{}, Deps{Store: st, Logger: logger})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Start(ln) }()
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	jar, _ := cookiejar.New(nil)
	p := &pageT{t: t, st: st, srv: srv, base: "http://" + ln.Addr().String(),
		client: &http.Client{Jar: jar, Timeout: 30 * time.Second}, demoID: pg.Items[0].ID}
	p.signIn("pages-admin@example.com", store.RoleAdmin) // auth_helpers_test.go
	return p
}

// testLog writes the server's warnings and errors into the test's log.
type testLog struct{ t testing.TB }

func (l testLog) Write(b []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}

// do sends a request and reads the whole answer.
func (p *pageT) do(req *http.Request) pageRes {
	p.t.Helper()
	res, err := p.client.Do(req)
	if err != nil {
		p.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		p.t.Fatal(err)
	}
	return pageRes{status: res.StatusCode, body: string(b), header: res.Header, url: res.Request.URL.String()}
}

// get fetches a page (following redirects).
func (p *pageT) get(path string) pageRes {
	p.t.Helper()
	req, err := http.NewRequest(http.MethodGet, p.base+path, nil)
	if err != nil {
		p.t.Fatal(err)
	}
	return p.do(req)
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// token fetches the page at from and returns the CSRF token of its forms
// (the cookie lands in the jar).
func (p *pageT) token(from string) string {
	p.t.Helper()
	res := p.get(from)
	m := csrfField.FindStringSubmatch(res.body)
	if m == nil {
		p.t.Fatalf("GET %s: no _csrf field in the page (status %d)", from, res.status)
	}
	return m[1]
}

// postForm submits a form the way a browser without Sec-Fetch-Site does:
// with the CSRF token of the page at from. Redirects are not followed, so
// the caller sees the 303 and its Location.
func (p *pageT) postForm(path, from string, v url.Values) pageRes {
	p.t.Helper()
	if v == nil {
		v = url.Values{}
	}
	if v.Get("_csrf") == "" {
		v.Set("_csrf", p.token(from))
	}
	req, err := http.NewRequest(http.MethodPost, p.base+path, strings.NewReader(v.Encode()))
	if err != nil {
		p.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return p.noRedirect(req)
}

// postFile submits a multipart form with one file from the page at from.
func (p *pageT) postFile(path, from, field, filename string, content []byte) pageRes {
	p.t.Helper()
	return p.postMultipart(path, from, nil, field, filename, content)
}

// postMultipart submits a multipart form as a browser does: the CSRF token
// of the page at from (unless fields carries one), fields (name, value
// pairs, in the page's order), the file under field when content is not
// nil, and the browser's headers; redirects are not followed.
func (p *pageT) postMultipart(path, from string, fields []string, field, filename string, content []byte) pageRes {
	p.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	hasToken := false
	for i := 0; i+1 < len(fields); i += 2 {
		hasToken = hasToken || (fields[i] == "_csrf" && fields[i+1] != "")
	}
	if !hasToken {
		fields = append([]string{"_csrf", p.token(from)}, fields...)
	}
	for i := 0; i+1 < len(fields); i += 2 {
		if err := w.WriteField(fields[i], fields[i+1]); err != nil {
			p.t.Fatal(err)
		}
	}
	if content != nil {
		fw, err := w.CreateFormFile(field, filename)
		if err != nil {
			p.t.Fatal(err)
		}
		fw.Write(content)
	}
	w.Close()
	req, err := http.NewRequest(http.MethodPost, p.base+path, &buf)
	if err != nil {
		p.t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	p.browserHeaders(req)
	return p.noRedirect(req)
}

// noRedirect sends req and returns the first answer, redirect or not.
func (p *pageT) noRedirect(req *http.Request) pageRes {
	p.t.Helper()
	c := *p.client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := c.Do(req)
	if err != nil && !errors.Is(err, http.ErrUseLastResponse) {
		p.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return pageRes{status: res.StatusCode, body: string(b), header: res.Header, url: req.URL.String()}
}

// contains fails the test unless body holds every want.
func contains(t testing.TB, what, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("%s: missing %q", what, w)
		}
	}
}
