package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"vendorcompare/internal/auth"
	"vendorcompare/internal/store"
)

// The tests of sessions that end: a real server on 127.0.0.1:0 whose
// store can hold one request in the middle of its handler (after the
// session was loaded, before it is saved), so that a test signs out,
// changes a password or disables the user while that request is in
// flight, then lets it finish.

// holdingStore is the store with two places where a request can be held:
// the evaluations list (GET /, mid-request for a signed-in page) and the
// credentials read of a sign-in (between reading the user and saving the
// new session).
type holdingStore struct {
	*store.Store
	mu    sync.Mutex
	holds map[string]*hold // by method name, armed for its next call
}

// hold is one armed stop: entered is closed when a request reaches it,
// and the request waits until release is closed.
type hold struct{ entered, release chan struct{} }

// arm makes the next call of method stop until the hold is released.
func (h *holdingStore) arm(method string) *hold {
	h.mu.Lock()
	defer h.mu.Unlock()
	x := &hold{entered: make(chan struct{}), release: make(chan struct{})}
	h.holds[method] = x
	return x
}

func (h *holdingStore) stop(method string) {
	h.mu.Lock()
	x := h.holds[method]
	delete(h.holds, method)
	h.mu.Unlock()
	if x != nil {
		close(x.entered)
		<-x.release
	}
}

func (h *holdingStore) ListEvaluations(ctx context.Context, p store.ListParams) (*store.EvaluationPage, error) {
	h.stop("ListEvaluations")
	return h.Store.ListEvaluations(ctx, p)
}

func (h *holdingStore) Credentials(ctx context.Context, email string) (*store.User, string, error) {
	u, hash, err := h.Store.Credentials(ctx, email)
	h.stop("Credentials")
	return u, hash, err
}

// endT is a running server on a holdingStore.
type endT struct {
	t     *testing.T
	st    *store.Store
	clock *offsetClock // the store's
	hs    *holdingStore
	srv   *Server
	base  string
}

func startEnd(t *testing.T) *endT {
	t.Helper()
	clock := &offsetClock{}
	st := demoStore(t, store.WithClock(clock.now))
	hs := &holdingStore{Store: st, holds: map[string]*hold{}}
	logger := slog.New(slog.NewTextHandler(testLog{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv := New(Config{}, Deps{Store: hs, Accounts: hs, Logger: logger})
	return &endT{t: t, st: st, clock: clock, hs: hs, srv: srv, base: serve(t, srv)}
}

// browserC is one browser: a cookie jar, redirects not followed, and the
// headers a browser sends with a form it submits.
type browserC struct {
	e *endT
	c *http.Client
}

func (e *endT) browser() *browserC {
	jar, _ := cookiejar.New(nil)
	return &browserC{e: e, c: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// resp is an answer read whole.
type resp struct {
	status int
	body   string
	header http.Header
}

func (b *browserC) send(req *http.Request) resp {
	b.e.t.Helper()
	res, err := b.c.Do(req)
	if err != nil {
		b.e.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return resp{status: res.StatusCode, body: string(body), header: res.Header}
}

// get loads a page as a browser navigating to it.
func (b *browserC) get(path string) resp {
	b.e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.e.base+path, nil)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Sec-Fetch-Mode", "navigate")
	req.Header.Set("Sec-Fetch-Dest", "document")
	return b.send(req)
}

// submit posts a form as a browser does from the page at from: the
// page's CSRF token, url-encoded, with Sec-Fetch-Site, Sec-Fetch-Mode
// and Origin.
func (b *browserC) submit(path, from string, v url.Values) resp {
	b.e.t.Helper()
	page := b.get(from)
	m := csrfField.FindStringSubmatch(page.body)
	if m == nil {
		b.e.t.Fatalf("GET %s: %d, no CSRF field", from, page.status)
	}
	v.Set("_csrf", m[1])
	req, _ := http.NewRequest(http.MethodPost, b.e.base+path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Sec-Fetch-Mode", "navigate")
	req.Header.Set("Sec-Fetch-Dest", "document")
	req.Header.Set("Origin", b.e.base)
	req.Header.Set("Referer", b.e.base+from)
	return b.send(req)
}

// signIn signs the browser in through the login form.
func (b *browserC) signIn(email, password string) {
	b.e.t.Helper()
	if r := b.submit("/login", "/login", url.Values{"email": {email}, "password": {password}}); r.status != http.StatusSeeOther {
		b.e.t.Fatalf("sign in as %s: %d %.300s", email, r.status, r.body)
	}
}

// session is the browser's session cookie value.
func (b *browserC) session() string {
	u, _ := url.Parse(b.e.base)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == sessionCookie {
			return c.Value
		}
	}
	return ""
}

// alive reports whether the session cookie value still signs a request
// in (sent alone, by a client that keeps no cookies), and checks that the
// sessions table agrees.
func (e *endT) alive(session string) bool {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.base+"/tokens", nil)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: session})
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	res.Body.Close()
	ok := res.StatusCode == http.StatusOK
	if !ok && (res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login")) {
		e.t.Fatalf("GET /tokens with a session: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	_, stored, err := e.srv.accounts.rows.FindCtx(context.Background(), store.SessionKey(session))
	if err != nil {
		e.t.Fatal(err)
	}
	if ok && !stored {
		e.t.Fatal("a working session has no row")
	}
	if !ok && stored {
		e.t.Error("a dead session still has its row: it was written back")
	}
	return ok
}

// inFlight starts GET / in the browser b, waits until its handler is
// running (its session loaded), and returns a func that lets it finish
// and returns its status. Before letting it finish, the store's clock
// moves on two minutes: the request's save is then not skipped as a mere
// renewal (store.Sessions) but written, which is when a late save could
// revive the session.
func (e *endT) inFlight(b *browserC) func() int {
	e.t.Helper()
	h := e.hs.arm("ListEvaluations")
	got := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodGet, e.base+"/", nil)
		res, err := b.c.Do(req)
		if err != nil {
			got <- -1
			return
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		got <- res.StatusCode
	}()
	select {
	case <-h.entered:
	case <-time.After(20 * time.Second):
		e.t.Fatal("the held request never reached its handler")
	}
	return func() int {
		e.clock.add(2 * time.Minute)
		close(h.release)
		return <-got
	}
}

// TestSessionEndsWithRequestInFlight (issue 12, defect 4): a session with
// a request in flight when it is ended is dead afterwards and its row is
// not written back when that request finishes — at sign-out, at a
// password change in the browser, at a reset by the command line or by
// an admin's link, and at disabling (also once the user is enabled
// again). scs's store REPLACEd the row on the late save and the session
// lived on.
func TestSessionEndsWithRequestInFlight(t *testing.T) {
	t.Parallel()
	e := startEnd(t)
	const newPassword = "a completely new passphrase"

	t.Run("Logout", func(t *testing.T) {
		e.t = t
		testUser(t, e.st, "logout@example.com", store.RoleViewer)
		b := e.browser()
		b.signIn("logout@example.com", testPassword)
		sess := b.session()
		finish := e.inFlight(b)
		if r := b.submit("/logout", "/tokens", url.Values{}); r.status != http.StatusSeeOther {
			t.Fatalf("logout: %d", r.status)
		}
		if s := finish(); s != http.StatusOK {
			t.Fatalf("the request in flight: %d", s)
		}
		if e.alive(sess) {
			t.Fatal("the session signed out while a request was in flight is alive afterwards")
		}
	})

	t.Run("PasswordChange", func(t *testing.T) {
		e.t = t
		testUser(t, e.st, "change@example.com", store.RoleViewer)
		stolen, own := e.browser(), e.browser()
		stolen.signIn("change@example.com", testPassword)
		own.signIn("change@example.com", testPassword)
		stolenSess, ownSess := stolen.session(), own.session()
		finish := e.inFlight(stolen)
		r := own.submit("/account/password", "/account/password", url.Values{"current": {testPassword}, "password": {newPassword}, "confirm": {newPassword}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("change password: %d %.300s", r.status, r.body)
		}
		finish()
		if e.alive(stolenSess) {
			t.Error("a session with a request in flight at the password change is alive afterwards")
		}
		if e.alive(ownSess) {
			t.Error("the changing browser's old session id is alive afterwards")
		}
		if !e.alive(own.session()) {
			t.Error("the browser that changed the password was not signed in again")
		}
	})

	t.Run("ResetByCommandLine", func(t *testing.T) {
		e.t = t
		u := testUser(t, e.st, "cli-reset@example.com", store.RoleViewer)
		b := e.browser()
		b.signIn(u.Email, testPassword)
		sess := b.session()
		finish := e.inFlight(b)
		// what `vendorcompare user passwd` does, on the same database
		if _, err := e.st.SetPassword(context.Background(), "cli", u.ID, auth.HashPassword(newPassword), false); err != nil {
			t.Fatal(err)
		}
		finish()
		if e.alive(sess) {
			t.Fatal("a session with a request in flight at the reset is alive afterwards")
		}
		// and a second reset finds nothing left to end
		if n, err := e.st.CountSessions(context.Background(), u.ID); err != nil || n != 0 {
			t.Fatalf("%d sessions of the user left, %v", n, err)
		}
	})

	t.Run("ResetByLink", func(t *testing.T) {
		e.t = t
		testUser(t, e.st, "link-admin@example.com", store.RoleAdmin)
		u := testUser(t, e.st, "link-reset@example.com", store.RoleViewer)
		admin, stolen, owner := e.browser(), e.browser(), e.browser()
		admin.signIn("link-admin@example.com", testPassword)
		stolen.signIn(u.Email, testPassword)
		sess := stolen.session()
		r := admin.submit("/admin/users/"+strconv.FormatInt(u.ID, 10)+"/reset-link", "/admin/users", url.Values{})
		link := resetURL.FindStringSubmatch(r.body)
		if r.status != http.StatusCreated || link == nil {
			t.Fatalf("reset link: %d, link %v", r.status, link)
		}
		finish := e.inFlight(stolen)
		path := strings.TrimPrefix(link[1], e.base)
		token, _ := url.Parse(path)
		r = owner.submit("/reset-password", path, url.Values{"token": {token.Query().Get("token")}, "password": {newPassword}, "confirm": {newPassword}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("reset by link: %d %.300s", r.status, r.body)
		}
		finish()
		if e.alive(sess) {
			t.Fatal("a session with a request in flight at the reset by link is alive afterwards")
		}
	})

	t.Run("DisableThenEnable", func(t *testing.T) {
		e.t = t
		testUser(t, e.st, "dis-admin@example.com", store.RoleAdmin)
		u := testUser(t, e.st, "disabled@example.com", store.RoleViewer)
		admin, b := e.browser(), e.browser()
		admin.signIn("dis-admin@example.com", testPassword)
		b.signIn(u.Email, testPassword)
		sess := b.session()
		finish := e.inFlight(b)
		id := strconv.FormatInt(u.ID, 10)
		if r := admin.submit("/admin/users/"+id+"/disable", "/admin/users", url.Values{}); r.status != http.StatusSeeOther {
			t.Fatalf("disable: %d", r.status)
		}
		finish()
		if r := admin.submit("/admin/users/"+id+"/enable", "/admin/users", url.Values{}); r.status != http.StatusSeeOther {
			t.Fatalf("enable: %d", r.status)
		}
		if e.alive(sess) {
			t.Fatal("a session with a request in flight at disabling is alive once the user is enabled again")
		}
	})

	t.Run("SignInDuringPasswordChange", func(t *testing.T) {
		// The password changes between the sign-in's check of the old one
		// and the save of its new session: that session is dead too.
		e.t = t
		u := testUser(t, e.st, "racing@example.com", store.RoleViewer)
		b := e.browser()
		page := b.get("/login")
		m := csrfField.FindStringSubmatch(page.body)
		h := e.hs.arm("Credentials")
		got := make(chan int, 1)
		go func() {
			v := url.Values{"email": {u.Email}, "password": {testPassword}, "_csrf": {m[1]}}
			req, _ := http.NewRequest(http.MethodPost, e.base+"/login", strings.NewReader(v.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			req.Header.Set("Origin", e.base)
			res, err := b.c.Do(req)
			if err != nil {
				got <- -1
				return
			}
			res.Body.Close()
			got <- res.StatusCode
		}()
		<-h.entered
		if _, err := e.st.SetPassword(context.Background(), "cli", u.ID, auth.HashPassword(newPassword), false); err != nil {
			t.Fatal(err)
		}
		close(h.release)
		if s := <-got; s != http.StatusSeeOther {
			t.Fatalf("the sign-in in flight: %d", s)
		}
		if sess := b.session(); sess == "" || e.alive(sess) {
			t.Fatalf("a session signed in with the old password while it changed is alive (%q)", sess)
		}
	})
}

var resetURL = regexp.MustCompile(`(http://[^<"\s]+/reset-password\?token=[^<"\s]+)`)

// TestChangePassword: the page checks the current password (a wrong one
// counts as a failed sign-in), the length and the confirmation, each
// problem at its field with nothing changed; a change revokes the user's
// API tokens, ends their other sessions, keeps this browser signed in
// and says what it did.
func TestChangePassword(t *testing.T) {
	t.Parallel()
	e := startEnd(t)
	u := testUser(t, e.st, "own@example.com", store.RoleEditor)
	tok := apiToken(t, e.st, u.Email, store.RoleEditor)
	b, other := e.browser(), e.browser()
	b.signIn(u.Email, testPassword)
	other.signIn(u.Email, testPassword)
	if r := b.get("/"); !strings.Contains(r.body, `href="/account/password"`) {
		t.Fatal("the navigation has no link to the password page")
	}
	const pw = "my brand new passphrase"
	for name, tc := range map[string]struct {
		v     url.Values
		field string
	}{
		"ErrCurrent":  {url.Values{"current": {"not my password!"}, "password": {pw}, "confirm": {pw}}, "current"},
		"ErrNoCurren": {url.Values{"password": {pw}, "confirm": {pw}}, "current"},
		"ErrShort":    {url.Values{"current": {testPassword}, "password": {"short"}, "confirm": {"short"}}, "password"},
		"ErrConfirm":  {url.Values{"current": {testPassword}, "password": {pw}, "confirm": {pw + "x"}}, "confirm"},
		"ErrSame":     {url.Values{"current": {testPassword}, "password": {testPassword}, "confirm": {testPassword}}, "password"},
	} {
		r := b.submit("/account/password", "/account/password", tc.v)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="f-`+tc.field+`-error"`) {
			t.Errorf("%s: %d, want 422 with an error at %s: %.400s", name, r.status, tc.field, r.body)
		}
		if strings.Contains(r.body, pw) || strings.Contains(r.body, testPassword) {
			t.Errorf("%s: the page shows a password back", name)
		}
	}
	if _, hash, _ := e.st.Credentials(context.Background(), u.Email); !verifies(hash, testPassword) {
		t.Fatal("a refused change changed the password")
	}
	r := b.submit("/account/password", "/account/password", url.Values{"current": {testPassword}, "password": {pw}, "confirm": {pw}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/account/password?done=changed&tokens=1" {
		t.Fatalf("change: %d %q", r.status, r.header.Get("Location"))
	}
	if r := b.get("/account/password?done=changed&tokens=1"); r.status != http.StatusOK ||
		!strings.Contains(r.body, "Every other session of yours has ended, and your API token was revoked.") {
		t.Fatalf("after the change: %d %.500s", r.status, r.body)
	}
	if e.alive(other.session()) {
		t.Error("the other session survived the password change")
	}
	req, _ := http.NewRequest(http.MethodGet, e.base+"/api/v1/evaluations", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	if r := e.browser().send(req); r.status != http.StatusUnauthorized {
		t.Errorf("the API token after the password change: %d, want 401", r.status)
	}
	if _, hash, _ := e.st.Credentials(context.Background(), u.Email); !verifies(hash, pw) {
		t.Error("the new password does not verify")
	}
	t.Run("ErrTooMany", func(t *testing.T) {
		for range DefaultLoginFailures {
			b.submit("/account/password", "/account/password", url.Values{"current": {"wrong wrong wrong"}, "password": {pw + "2"}, "confirm": {pw + "2"}})
		}
		r := b.submit("/account/password", "/account/password", url.Values{"current": {pw}, "password": {pw + "2"}, "confirm": {pw + "2"}})
		if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" {
			t.Fatalf("after %d wrong current passwords: %d, want 429 with Retry-After", DefaultLoginFailures, r.status)
		}
	})
}

func verifies(hash, pw string) bool {
	ok, err := auth.VerifyPassword(hash, pw)
	return err == nil && ok
}

// TestResetLinkPages: an admin makes a one-time link on the users page
// (shown once); opening it shows the user's address and a form; the new
// password must be valid and confirmed; using it signs the browser in
// as the user, ends the user's sessions and revokes their tokens; the
// link then answers 404, and an unknown one too.
func TestResetLinkPages(t *testing.T) {
	t.Parallel()
	e := startEnd(t)
	testUser(t, e.st, "boss@example.com", store.RoleAdmin)
	u := testUser(t, e.st, "forgot@example.com", store.RoleViewer)
	tok := apiToken(t, e.st, u.Email, store.RoleViewer)
	admin, old, b := e.browser(), e.browser(), e.browser()
	admin.signIn("boss@example.com", testPassword)
	old.signIn(u.Email, testPassword)

	r := admin.submit("/admin/users/"+strconv.FormatInt(u.ID, 10)+"/reset-link", "/admin/users", url.Values{})
	m := resetURL.FindStringSubmatch(r.body)
	if r.status != http.StatusCreated || m == nil || !strings.Contains(r.body, "Password reset link for forgot@example.com") {
		t.Fatalf("reset link: %d %.500s", r.status, r.body)
	}
	if again := admin.get("/admin/users"); strings.Contains(again.body, "reset-password?token=") {
		t.Fatal("the users page shows the link a second time")
	}
	link, _ := url.Parse(m[1])
	path := link.RequestURI()
	secret := link.Query().Get("token")
	if !strings.HasPrefix(secret, auth.ResetTokenPrefix) {
		t.Fatalf("link token %q", secret)
	}
	page := b.get(path)
	if page.status != http.StatusOK || !strings.Contains(page.body, "forgot@example.com") {
		t.Fatalf("open the link: %d %.300s", page.status, page.body)
	}
	const pw = "a passphrase after forgetting"
	r = b.submit("/reset-password", path, url.Values{"token": {secret}, "password": {pw}, "confirm": {"other"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="f-confirm-error"`) {
		t.Fatalf("mismatched confirmation: %d", r.status)
	}
	r = b.submit("/reset-password", path, url.Values{"token": {secret}, "password": {pw}, "confirm": {pw}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/account/password?done=reset&tokens=1" {
		t.Fatalf("reset: %d %q %.300s", r.status, r.header.Get("Location"), r.body)
	}
	if p := b.get("/account/password?done=reset&tokens=1"); p.status != http.StatusOK || !strings.Contains(p.body, "forgot@example.com · viewer") {
		t.Fatalf("after the reset the browser is not signed in as the user: %d", p.status)
	}
	if e.alive(old.session()) {
		t.Error("the user's earlier session survived the reset")
	}
	req, _ := http.NewRequest(http.MethodGet, e.base+"/api/v1/evaluations", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	if r := e.browser().send(req); r.status != http.StatusUnauthorized {
		t.Errorf("the API token after the reset: %d, want 401", r.status)
	}
	if p := e.browser().get(path); p.status != http.StatusNotFound {
		t.Errorf("the used link: %d, want 404", p.status)
	}
	if p := e.browser().get("/reset-password?token=vcr_nothing"); p.status != http.StatusNotFound {
		t.Errorf("an unknown link: %d, want 404", p.status)
	}
	fresh := e.browser()
	r = fresh.submit("/reset-password", "/login", url.Values{"token": {secret}, "password": {pw + "!"}, "confirm": {pw + "!"}})
	if r.status != http.StatusNotFound {
		t.Errorf("posting the used link: %d, want 404", r.status)
	}
	if _, hash, _ := e.st.Credentials(context.Background(), u.Email); !verifies(hash, pw) {
		t.Error("the used link changed the password again")
	}
}

// TestTokenExpiryPages (issue 12, defect 5): the tokens page makes a token
// with the chosen expiry and shows it beside each token; an expired token
// is refused with 401 and shown as expired.
func TestTokenExpiryPages(t *testing.T) {
	t.Parallel()
	e := startEnd(t)
	u := testUser(t, e.st, "script@example.com", store.RoleViewer)
	b := e.browser()
	b.signIn(u.Email, testPassword)
	if p := b.get("/tokens"); !strings.Contains(p.body, `<option value="90d" selected>`) {
		t.Fatal("the tokens page does not offer an expiry, 90 days preselected")
	}
	r := b.submit("/tokens", "/tokens", url.Values{"name": {"report"}, "expires": {"30d"}})
	secret := regexp.MustCompile(`id="new-token">([^<]+)<`).FindStringSubmatch(r.body)
	if r.status != http.StatusCreated || secret == nil {
		t.Fatalf("create: %d", r.status)
	}
	want := time.Now().UTC().Add(30 * 24 * time.Hour).Format("2 Jan 2006")
	if !strings.Contains(r.body, want) {
		t.Errorf("the list does not show the expiry %s", want)
	}
	if r := b.submit("/tokens", "/tokens", url.Values{"name": {"x"}, "expires": {"tomorrow-ish"}}); r.status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.body, `id="f-expires-error"`) {
		t.Errorf("a bad expiry: %d", r.status)
	}
	api := func() resp {
		req, _ := http.NewRequest(http.MethodGet, e.base+"/api/v1/evaluations", nil)
		req.Header.Set("Authorization", "Bearer "+secret[1])
		return e.browser().send(req)
	}
	if r := api(); r.status != http.StatusOK {
		t.Fatalf("a live token: %d", r.status)
	}
	// Its expiry passes: moved into the past in the database.
	w := rawDB(t, e.st)
	defer w.Close()
	if _, err := w.Exec(`UPDATE api_tokens SET expires_at = '2020-01-01T00:00:00.000000000Z' WHERE hash = ?`, auth.HashSecret(secret[1])); err != nil {
		t.Fatal(err)
	}
	if r := api(); r.status != http.StatusUnauthorized || !strings.Contains(r.body, "expired") {
		t.Fatalf("an expired token: %d %s, want 401", r.status, r.body)
	}
	if p := b.get("/tokens"); !strings.Contains(p.body, `<span class="badge warn">Expired</span>`) {
		t.Error("the tokens page does not show the token as expired")
	}
}
