package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	goruntime "runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"vendorcompare/internal/auth"
	"vendorcompare/internal/chromium"
	"vendorcompare/internal/store"
	"vendorcompare/internal/testmain"
	"vendorcompare/internal/web/ui"
)

// The test harness of the package, one for every test: a real server on a
// real store holding the demo, reached over HTTP as the JSON API's clients
// (a bearer token) and the pages' (a cookie jar carrying the session and
// the CSRF cookie) reach it, and headless Chromium on the same server.
//
//	a := newAPI(t)                         // signed in with an admin's API token
//	a.must(200, &out, "GET", "/api/v1/evaluations/1", nil)
//	p := startPages(t)                     // signed in through the login form
//	res := p.get("/")                      // status, body
//	res = p.postForm("/evaluations", "/", url.Values{"name": {"X"}, …})
//	b := newBrowser(t, p, 1280, 900)       // a tab signed in as p's user; skips without Chromium, fails on CI
//	b.open("/evaluations/1?test=1")        // navigate and wait for the load
//	b.clean()                              // no console error, no CSP violation
//
// Each test owns its server, store and temporary folder, so tests using
// only these may call t.Parallel(). Tests using Chromium share one browser
// per test binary (a tab and a browser context of their own each); use
// ?test=1 on pages with charts: it turns their animation off.

// TestMain stops the shared Chromium after the tests. Tests run
// GOMAXPROCS at a time (go test's default): on 2 cores, -parallel 4 took
// the package 71 s and 131 s of CPU, -parallel 2 60–65 s and 105–113 s
// (06 Dec), the tabs' waits and Chromium's processes contending for the
// same cores.
func TestMain(m *testing.M) {
	testmain.GC()
	auth.UseTestCost() // argon2id at full cost was most of the suite's CPU
	code := m.Run()
	closeBrowser()
	if demoFile.dir != "" {
		os.RemoveAll(demoFile.dir)
	}
	os.Exit(code)
}

// demoFile is a store with the demo loaded, made once per test binary and
// closed: each demoStore opens a copy of it. Migrating and loading the
// demo for each of the package's hundred-odd servers was a tenth of its
// non-browser CPU.
var demoFile struct {
	once sync.Once
	dir  string
	err  error
}

// demoStore opens a store in a temporary folder holding the demo (data/),
// opened with opts; it closes with the test.
func demoStore(t testing.TB, opts ...store.OpenOption) *store.Store {
	t.Helper()
	ctx := context.Background()
	demoFile.once.Do(func() {
		if demoFile.dir, demoFile.err = os.MkdirTemp("", "vendorcompare-demo-"); demoFile.err != nil {
			return
		}
		st, err := store.Open(ctx, demoFile.dir)
		if err != nil {
			demoFile.err = err
			return
		}
		if loaded, err := st.LoadDemo(ctx, "../../data"); err != nil || !loaded {
			demoFile.err = fmt.Errorf("load demo: %v %v", loaded, err)
		}
		// closing the last connection checkpoints the WAL into the file
		if err := st.Close(); err != nil && demoFile.err == nil {
			demoFile.err = err
		}
	})
	if demoFile.err != nil {
		t.Fatalf("demo store: %v", demoFile.err)
	}
	dir := t.TempDir()
	db, err := os.ReadFile(filepath.Join(demoFile.dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, store.FileName), db, 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, dir, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// serve starts srv on 127.0.0.1:0 the way main does (Start, Shutdown) and
// returns its base URL; it shuts down with the test.
func serve(t testing.TB, srv *Server) string {
	t.Helper()
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
	return "http://" + ln.Addr().String()
}

// harness is a running server on a demo store, and its clients.
type harness struct {
	t      testing.TB
	st     *store.Store
	srv    *Server
	base   string // http://127.0.0.1:PORT
	client *http.Client
	demoID int64
	// token is the API token call sends unless the call names its own
	// Authorization header ("" for none).
	token string
}

// apiT and pageT are the harness as the API tests and the page tests
// name it.
type (
	apiT  = harness
	pageT = harness
)

// newHarness starts the server on a demo store, logging warnings into the
// test's log; nobody is signed in yet.
func newHarness(t testing.TB) *harness {
	t.Helper()
	st := demoStore(t)
	pg, err := st.ListEvaluations(context.Background(), store.ListParams{})
	if err != nil || len(pg.Items) == 0 {
		t.Fatalf("list evaluations: %v", err)
	}
	logger := slog.New(slog.NewTextHandler(testLog{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv := New(Config{}, Deps{Store: st, Logger: logger})
	jar, _ := cookiejar.New(nil)
	return &harness{t: t, st: st, srv: srv, base: serve(t, srv),
		client: &http.Client{Jar: jar, Timeout: 30 * time.Second}, demoID: pg.Items[0].ID}
}

// newAPI is the harness for the JSON API: calls carry an admin's token.
func newAPI(t testing.TB) *harness {
	t.Helper()
	h := newHarness(t)
	h.token = apiToken(t, h.st, "api-admin@example.com", store.RoleAdmin)
	return h
}

// startPages is the harness for the pages: its client is signed in as an
// admin through the login form.
func startPages(t testing.TB) *harness {
	t.Helper()
	h := newHarness(t)
	h.signIn("pages-admin@example.com", store.RoleAdmin)
	return h
}

// testLog writes the server's warnings and errors into the test's log.
type testLog struct{ t testing.TB }

func (l testLog) Write(b []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// newTestServer starts the real echo server without a store behind
// httptest (for what needs no data: the engine's endpoints, middleware);
// the returned buffer holds its log.
func newTestServer(t testing.TB, setup ...func(*Server)) (*httptest.Server, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	srv := New(Config{}, Deps{Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	for _, f := range setup {
		f(srv)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts, logs
}

// ---- the JSON API

// apiResult is one API response.
type apiResult struct {
	status int
	body   []byte
	header http.Header
}

// call sends a request: body is sent as is when it is a string or []byte,
// else as its JSON; headers are name, value pairs.
func (a *harness) call(method, path string, body any, headers ...string) apiResult {
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
	req, err := http.NewRequest(method, a.base+path, r)
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
	res, err := a.client.Do(req)
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
func (a *harness) must(want int, out any, method, path string, body any, headers ...string) apiResult {
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
func (a *harness) auditTotal() int {
	a.t.Helper()
	var p struct{ Total int }
	a.must(http.StatusOK, &p, "GET", "/api/v1/audit?limit=1", nil)
	return p.Total
}

// demoID is the demo evaluation's id (the first evaluation stored).
const demoID = 1

// demoOptions returns the demo's options by slug.
func (a *harness) demoOptions() map[string]store.Option {
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

// ---- the pages

// pageRes is one page response.
type pageRes struct {
	status int
	body   string
	header http.Header
	url    string // the final URL after redirects
}

// do sends a request and reads the whole answer.
func (p *harness) do(req *http.Request) pageRes {
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
func (p *harness) get(path string) pageRes {
	p.t.Helper()
	req, err := http.NewRequest(http.MethodGet, p.base+path, nil)
	if err != nil {
		p.t.Fatal(err)
	}
	return p.do(req)
}

// csrfField is the CSRF token of a page's forms.
var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// csrfToken fetches the page at from and returns the CSRF token of its forms
// (the cookie lands in the jar).
func (p *harness) csrfToken(from string) string {
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
func (p *harness) postForm(path, from string, v url.Values) pageRes {
	p.t.Helper()
	if v == nil {
		v = url.Values{}
	}
	if v.Get("_csrf") == "" {
		v.Set("_csrf", p.csrfToken(from))
	}
	req, err := http.NewRequest(http.MethodPost, p.base+path, strings.NewReader(v.Encode()))
	if err != nil {
		p.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return p.noRedirect(req)
}

// postFile submits a multipart form with one file from the page at from.
func (p *harness) postFile(path, from, field, filename string, content []byte) pageRes {
	p.t.Helper()
	return p.postMultipart(path, from, nil, field, filename, content)
}

// postMultipart submits a multipart form as a browser does: the CSRF token
// of the page at from (unless fields carries one), fields (name, value
// pairs, in the page's order), the file under field when content is not
// nil, and the browser's headers; redirects are not followed.
func (p *harness) postMultipart(path, from string, fields []string, field, filename string, content []byte) pageRes {
	p.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	hasToken := false
	for i := 0; i+1 < len(fields); i += 2 {
		hasToken = hasToken || (fields[i] == "_csrf" && fields[i+1] != "")
	}
	if !hasToken {
		fields = append([]string{"_csrf", p.csrfToken(from)}, fields...)
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
func (p *harness) noRedirect(req *http.Request) pageRes {
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

// ---- accounts

// testPassword is the password of every user the tests create.
const testPassword = "correct horse battery staple"

// testPasswordHash is testPassword's hash, made once: argon2 costs tens of
// milliseconds of CPU on purpose, and the tests create hundreds of users.
var testPasswordHash = sync.OnceValue(func() string { return auth.HashPassword(testPassword) })

// testUser returns the user with this address, creating it with role and
// testPassword when it does not exist yet.
func testUser(t testing.TB, st *store.Store, email string, role store.Role) *store.User {
	t.Helper()
	ctx := context.Background()
	if u, _, err := st.Credentials(ctx, email); err == nil {
		return u
	} else if !errors.Is(err, store.ErrNotFound) {
		t.Fatal(err)
	}
	u, err := st.CreateUser(ctx, "test", email, role, testPasswordHash())
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// apiToken returns a new personal API token of the user with this address
// (created with role if needed).
func apiToken(t testing.TB, st *store.Store, email string, role store.Role) string {
	t.Helper()
	u := testUser(t, st, email, role)
	secret, hash := auth.NewSecret(auth.APITokenPrefix)
	if _, err := st.CreateAPIToken(context.Background(), "test", u.ID, "test", hash, ui.TokenHint(secret), nil); err != nil {
		t.Fatal(err)
	}
	return secret
}

// loginCookies signs a user in through h (GET /login for the CSRF token,
// POST /login) and returns the cookies to send afterwards: the session's
// and the CSRF cookie.
func loginCookies(t testing.TB, h http.Handler, email, password string) []*http.Cookie {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/login", nil))
	m := csrfField.FindStringSubmatch(rec.Body.String())
	if m == nil {
		t.Fatalf("GET /login: %d, no CSRF field", rec.Code)
	}
	csrfCookies := rec.Result().Cookies()
	form := url.Values{"email": {email}, "password": {password}, "_csrf": {m[1]}}
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range csrfCookies {
		req.AddCookie(c)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("POST /login as %s: %d: %.300s", email, rec.Code, rec.Body.String())
	}
	out := csrfCookies
	for _, c := range rec.Result().Cookies() {
		if c.Name == sessionCookie {
			out = append(out, c)
		}
	}
	return out
}

// signedIn returns h with every request sent as a signed-in user of role
// (a session cookie), for benchmarks and tests that are not about
// accounts.
func signedIn(t testing.TB, h http.Handler, st *store.Store, role store.Role) http.Handler {
	t.Helper()
	u := testUser(t, st, "signed-in-"+string(role)+"@example.com", role)
	cookies := loginCookies(t, h, u.Email, testPassword)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, c := range cookies {
			r.AddCookie(c)
		}
		h.ServeHTTP(w, r)
	})
}

// signIn signs the page client in as the user with this address (created
// with role if needed), through the login form.
func (p *harness) signIn(email string, role store.Role) {
	p.t.Helper()
	testUser(p.t, p.st, email, role)
	res := p.postForm("/login", "/login", url.Values{"email": {email}, "password": {testPassword}})
	if res.status != http.StatusSeeOther {
		p.t.Fatalf("sign in as %s: %d %.300s", email, res.status, res.body)
	}
}

// ---- Chromium

// chromePath finds Chromium (internal/chromium): skip without it, fail
// under CI=true.
func chromePath(t testing.TB) string {
	t.Helper()
	return chromium.Find(t)
}

// The one Chromium of the test binary, started by the first browser test:
// starting a browser costs about a second of CPU, a tab a fraction of it.
var shared struct {
	mu      sync.Mutex
	ctx     context.Context // the browser's first tab; new tabs are its children
	cancels []context.CancelFunc
	err     error
}

// sharedBrowser starts Chromium once and returns the context that new tabs
// derive from.
func sharedBrowser(t testing.TB) context.Context {
	t.Helper()
	path := chromePath(t)
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.ctx == nil && shared.err == nil {
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(path),
			chromedp.WindowSize(1280, 900),
			chromedp.DisableGPU,
			chromedp.Flag("hide-scrollbars", true),
		)
		actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancel := chromedp.NewContext(actx)
		shared.cancels = []context.CancelFunc{cancel, acancel}
		// start the browser without a deadline, then bound each step
		if shared.err = chromedp.Do(ctx); shared.err == nil {
			shared.ctx = ctx
		}
	}
	if shared.err != nil {
		t.Fatalf("start chromium: %v", shared.err)
	}
	return shared.ctx
}

// tabs bounds the tests driving Chromium at once to one per core, however
// high -parallel is set: past that the tabs only slow each other down
// (TestMain).
var tabs = struct {
	sem  chan struct{}
	held sync.Map // testing.TB → true: a test opening a second tab has its slot
}{sem: make(chan struct{}, goruntime.GOMAXPROCS(0))}

// takeTab waits for a Chromium slot for the test (once per test; given
// back when it ends).
func takeTab(t testing.TB, ctx context.Context) {
	if _, loaded := tabs.held.LoadOrStore(t, true); loaded {
		return
	}
	select {
	case tabs.sem <- struct{}{}:
	case <-ctx.Done():
		t.Fatalf("chromium stopped: %v", ctx.Err())
	}
	t.Cleanup(func() { <-tabs.sem; tabs.held.Delete(t) })
}

// closeBrowser stops the shared Chromium, if it started.
func closeBrowser() {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	for _, c := range shared.cancels {
		c()
	}
}

// browserT is one Chromium tab with its collected problems.
type browserT struct {
	t   testing.TB
	p   *harness
	ctx context.Context

	mu       sync.Mutex
	problems []string // console errors, exceptions, error log entries
}

// cspProbe records every Content-Security-Policy violation of the page in
// window.__csp. Injected through the DevTools protocol, so the CSP does not
// apply to it.
//
// It also marks every page as a test page (<html data-test>, what ?test=1
// does) before the page's scripts run, so charts are drawn at once on
// pages reached by a link too: a second of animation at every dashboard
// the form walk opens was much of the suite's CPU.
const cspProbe = `(() => {
  document.addEventListener("readystatechange", () => {
    if (document.readyState === "interactive") document.documentElement.dataset.test = "1";
  }, { once: true });
  window.__csp = [];
  document.addEventListener("securitypolicyviolation", (e) => {
    window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber);
  });
})();`

// newBrowser opens a tab of the shared Chromium in a browser context of its
// own (its own cookies and storage, so tabs may run in parallel), with a
// viewport of width × height CSS pixels, signed in as p's user and
// collecting console errors and exceptions; it closes with the test.
func newBrowser(t testing.TB, p *harness, width, height int) *browserT {
	t.Helper()
	takeTab(t, sharedBrowser(t))
	b := &browserT{t: t, p: p}
	ctx, cancel := chromedp.NewContext(sharedBrowser(t), chromedp.WithNewBrowserContext(), chromedp.WithListener(b.listen))
	t.Cleanup(cancel)
	b.ctx = ctx
	// open the tab on ctx itself (the tab lives as long as the context of
	// its first run), then bound each step; chromedp enables its Log domain
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	if err := b.do(chromedp.EmulateViewport(int64(width), int64(height))); err != nil {
		t.Fatalf("viewport: %v", err)
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspProbe}); err != nil {
		t.Fatalf("inject the CSP probe: %v", err)
	}
	b.shareSession()
	return b
}

// listen runs in the tab's event loop: it only records.
func (b *browserT) listen(ev any) {
	var msg string
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			parts := make([]string, 0, len(ev.Args))
			for _, a := range ev.Args {
				if a.Description != "" {
					parts = append(parts, a.Description)
				} else {
					parts = append(parts, strings.Trim(string(a.Value), `"`))
				}
			}
			msg = "console." + string(ev.Type) + ": " + strings.Join(parts, " ")
		}
	case *runtime.EventExceptionThrown:
		msg = "exception: " + ev.ExceptionDetails.Text
		if ev.ExceptionDetails.Exception != nil {
			msg += " " + ev.ExceptionDetails.Exception.Description
		}
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError {
			msg = fmt.Sprintf("log %s: %s %s", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL)
		}
	}
	if msg != "" {
		b.mu.Lock()
		b.problems = append(b.problems, msg)
		b.mu.Unlock()
	}
}

// do runs actions with a 30-second bound.
func (b *browserT) do(actions ...chromedp.Action[chromedp.Void]) error {
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	return chromedp.Do(ctx, actions...)
}

// eval evaluates a JavaScript expression and decodes its result into T.
func eval[T any](b *browserT, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// open navigates to a path of the test server and waits for the load.
func (b *browserT) open(path string) {
	b.t.Helper()
	if err := b.do(chromedp.Navigate(b.p.base + path)); err != nil {
		b.t.Fatalf("open %s: %v", path, err)
	}
}

// waitFor polls a JavaScript expression until it is truthy and the
// document has finished loading (30 s: tabs run in parallel on a shared
// machine; a passing wait takes what it needs). The load matters: after a
// form's submit, location already shows the new address while the new
// document is still arriving, and an action that queries a node then finds
// its id gone ("Could not find node with given id", CI at 04:00 06 Dec).
func (b *browserT) waitFor(expr string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	loaded := `document.readyState === "complete" && (` + expr + `)`
	var err error
	for {
		// a navigation under way destroys the page's context: try again
		if _, err = chromedp.Run(ctx, chromedp.Poll[bool](loaded, chromedp.WithPollingInterval(20*time.Millisecond))); err == nil || ctx.Err() != nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		b.mu.Lock()
		problems := append([]string(nil), b.problems...)
		b.mu.Unlock()
		b.t.Fatalf("wait for %s: %v; browser problems so far: %q", expr, err, problems)
	}
}

// reset forgets the problems collected so far.
func (b *browserT) reset() {
	b.mu.Lock()
	b.problems = nil
	b.mu.Unlock()
}

// clean fails the test for every console error, exception or error log
// entry so far, and every CSP violation of the current page.
func (b *browserT) clean() {
	b.t.Helper()
	b.mu.Lock()
	problems := append([]string(nil), b.problems...)
	b.mu.Unlock()
	for _, p := range problems {
		b.t.Errorf("browser console: %s", p)
	}
	for _, v := range eval[[]string](b, `window.__csp || ["the CSP probe did not run"]`) {
		b.t.Errorf("CSP violation: %s", v)
	}
}

// screenshot writes a full-page PNG to $SCREENSHOT_DIR/name.png when the
// variable is set (for looking at the pages); it does nothing otherwise.
func (b *browserT) screenshot(name string) {
	b.t.Helper()
	dir := os.Getenv("SCREENSHOT_DIR")
	if dir == "" {
		return
	}
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	file := filepath.Join(dir, name+".png")
	if err := os.WriteFile(file, buf, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot %s", file)
}

// shareSession gives the browser the page client's cookies (its session
// and CSRF cookie), so that it browses signed in as the client's user.
func (b *browserT) shareSession() {
	b.t.Helper()
	u, err := url.Parse(b.p.base)
	if err != nil {
		b.t.Fatal(err)
	}
	for _, c := range b.p.client.Jar.Cookies(u) {
		if _, err := chromedp.Call(b.ctx, network.SetCookie, network.SetCookieParams{Name: c.Name, Value: c.Value, URL: b.p.base + "/"}); err != nil {
			b.t.Fatalf("set cookie %s: %v", c.Name, err)
		}
	}
}

// signOutBrowser forgets every cookie of the browser.
func signOutBrowser(t testing.TB, b *browserT) {
	t.Helper()
	if _, err := chromedp.Call(b.ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
		t.Fatalf("clear cookies: %v", err)
	}
}
