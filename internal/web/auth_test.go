package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"vendorcompare/internal/auth"
	"vendorcompare/internal/store"
	"vendorcompare/internal/web/ui"
)

// routeTable is who may call each registered route. It restates the policy
// of routeAccess on purpose: TestRouteMatrix fails for a route missing
// here, so every new route is a decision about who may call it. HEAD
// routes take their GET's entry.
var routeTable = map[string]access{
	"GET /healthz":     accessPublic,
	"GET /static/*":    accessPublic,
	"GET /favicon.ico": accessPublic,
	"GET /login":       accessPublic,
	"POST /login":      accessPublic,
	"GET /setup":       accessPublic,
	"POST /setup":      accessPublic,

	"GET /reset-password":  accessPublic,
	"POST /reset-password": accessPublic,

	"POST /logout":            accessViewer,
	"GET /tokens":             accessViewer,
	"POST /tokens":            accessViewer,
	"POST /tokens/:id/revoke": accessViewer,
	"GET /account/password":   accessViewer,
	"POST /account/password":  accessViewer,

	"GET /admin/users":                 accessAdmin,
	"POST /admin/users":                accessAdmin,
	"POST /admin/users/:id/role":       accessAdmin,
	"POST /admin/users/:id/disable":    accessAdmin,
	"POST /admin/users/:id/enable":     accessAdmin,
	"POST /admin/users/:id/reset-link": accessAdmin,

	"GET /audit":                      accessViewer,
	"GET /evaluations/:id/audit":      accessViewer,
	"GET /evaluations/:id/decisions":  accessViewer,
	"POST /evaluations/:id/decisions": accessViewer,

	"GET /api/v1/evaluations/:id/decisions":  accessViewer,
	"POST /api/v1/evaluations/:id/decisions": accessViewer,
	"GET /api/v1/decisions/:id":              accessViewer,

	// Pages.
	"GET /":                                        accessViewer,
	"POST /evaluations":                            accessEditor,
	"POST /evaluations/copy":                       accessEditor,
	"POST /evaluations/import":                     accessEditor,
	"GET /evaluations/:id":                         accessViewer,
	"GET /evaluations/:id/print":                   accessViewer,
	"GET /evaluations/:id/print.css":               accessViewer,
	"GET /evaluations/:id/risk":                    accessViewer,
	"GET /evaluations/:id/options/:option/monthly": accessViewer,

	"GET /evaluations/:id/workspace":                                     accessEditor,
	"POST /evaluations/:id/workspace/options":                            accessEditor,
	"POST /evaluations/:id/workspace/improvement":                        accessEditor,
	"GET /evaluations/:id/workspace/settings":                            accessEditor,
	"POST /evaluations/:id/workspace/settings":                           accessEditor,
	"GET /evaluations/:id/workspace/options/:option":                     accessEditor,
	"POST /evaluations/:id/workspace/options/:option":                    accessEditor,
	"POST /evaluations/:id/workspace/options/:option/delete":             accessEditor,
	"POST /evaluations/:id/workspace/options/:option/vendor":             accessEditor,
	"POST /evaluations/:id/workspace/options/:option/rounds":             accessEditor,
	"POST /evaluations/:id/workspace/options/:option/lines":              accessEditor,
	"POST /evaluations/:id/workspace/options/:option/lines/:line":        accessEditor,
	"POST /evaluations/:id/workspace/options/:option/lines/:line/delete": accessEditor,
	"GET /evaluations/:id/workspace/criteria":                            accessEditor,
	"POST /evaluations/:id/workspace/criteria":                           accessEditor,
	"POST /evaluations/:id/workspace/criteria/:criterion":                accessEditor,
	"POST /evaluations/:id/workspace/criteria/:criterion/delete":         accessEditor,
	"POST /evaluations/:id/workspace/scores":                             accessEditor,

	// The JSON API.
	"POST /api/v1/compare":                      accessViewer,
	"POST /api/v1/staffing":                     accessViewer,
	"GET /api/v1/openapi.json":                  accessViewer,
	"GET /api/v1/evaluations":                   accessViewer,
	"POST /api/v1/evaluations":                  accessEditor,
	"POST /api/v1/evaluations/import":           accessEditor,
	"GET /api/v1/evaluations/:id":               accessViewer,
	"PUT /api/v1/evaluations/:id":               accessEditor,
	"DELETE /api/v1/evaluations/:id":            accessEditor,
	"POST /api/v1/evaluations/:id/copy":         accessEditor,
	"GET /api/v1/evaluations/:id/document":      accessViewer,
	"GET /api/v1/evaluations/:id/comparison":    accessViewer,
	"GET /api/v1/evaluations/:id/audit":         accessViewer,
	"GET /api/v1/evaluations/:id/options":       accessViewer,
	"POST /api/v1/evaluations/:id/options":      accessEditor,
	"GET /api/v1/options/:id":                   accessViewer,
	"PUT /api/v1/options/:id":                   accessEditor,
	"DELETE /api/v1/options/:id":                accessEditor,
	"GET /api/v1/options/:id/lines":             accessViewer,
	"POST /api/v1/options/:id/lines":            accessEditor,
	"GET /api/v1/lines/:id":                     accessViewer,
	"PUT /api/v1/lines/:id":                     accessEditor,
	"DELETE /api/v1/lines/:id":                  accessEditor,
	"GET /api/v1/evaluations/:id/criteria":      accessViewer,
	"POST /api/v1/evaluations/:id/criteria":     accessEditor,
	"GET /api/v1/criteria/:id":                  accessViewer,
	"PUT /api/v1/criteria/:id":                  accessEditor,
	"DELETE /api/v1/criteria/:id":               accessEditor,
	"GET /api/v1/evaluations/:id/scores":        accessViewer,
	"GET /api/v1/options/:id/scores":            accessViewer,
	"POST /api/v1/options/:id/scores":           accessEditor,
	"GET /api/v1/scores/:id":                    accessViewer,
	"PUT /api/v1/scores/:id":                    accessEditor,
	"DELETE /api/v1/scores/:id":                 accessEditor,
	"GET /api/v1/vendors":                       accessViewer,
	"POST /api/v1/vendors":                      accessEditor,
	"GET /api/v1/vendors/:id":                   accessViewer,
	"PUT /api/v1/vendors/:id":                   accessEditor,
	"DELETE /api/v1/vendors/:id":                accessEditor,
	"GET /api/v1/options/:id/rounds":            accessViewer,
	"POST /api/v1/options/:id/rounds":           accessEditor,
	"GET /api/v1/options/:id/rounds/comparison": accessViewer,
	"GET /api/v1/rounds/:id":                    accessViewer,
	"PUT /api/v1/rounds/:id":                    accessEditor,
	"DELETE /api/v1/rounds/:id":                 accessEditor,
	"GET /api/v1/audit":                         accessViewer,
	"POST /api/v1/evaluations/:id/bids":         accessEditor,
	"GET /api/v1/evaluations/:id/export":        accessViewer,
	"GET /api/v1/evaluations/:id/bid-form":      accessViewer,
	"GET /evaluations/:id/bids":                 accessViewer,
	"POST /evaluations/:id/bids":                accessEditor,

	// Quote rounds edited and deleted in the workspace (issue 11).
	"POST /evaluations/:id/workspace/options/:option/rounds/:round":        accessEditor,
	"POST /evaluations/:id/workspace/options/:option/rounds/:round/delete": accessEditor,
	// A vendor's own score confirmed or overridden (issue 11).
	"POST /evaluations/:id/workspace/self-scores/:self": accessEditor,
	// The risk settings (issue 16).
	"GET /evaluations/:id/workspace/risk":  accessEditor,
	"POST /evaluations/:id/workspace/risk": accessEditor,
}

// authT is a server with the demo and one signed-in session per role.
type authT struct {
	t   *testing.T
	st  *store.Store
	srv *Server
	h   http.Handler
	// cookies are each role's session and CSRF cookies.
	cookies map[store.Role][]*http.Cookie
	users   map[store.Role]*store.User
}

// newAuthT starts a server on a temporary store (opened with opts)
// holding the demo, with a signed-in admin, editor and viewer.
func newAuthT(t *testing.T, cfg Config, opts ...store.OpenOption) *authT {
	t.Helper()
	st := demoStore(t, opts...)
	srv := New(cfg, Deps{Store: st})
	t.Cleanup(srv.accounts.closeStore)
	a := &authT{t: t, st: st, srv: srv, h: srv.Handler(), cookies: map[store.Role][]*http.Cookie{}, users: map[store.Role]*store.User{}}
	for _, r := range store.Roles {
		a.users[r] = testUser(t, st, string(r)+"@example.com", r)
		a.cookies[r] = loginCookies(t, a.h, string(r)+"@example.com", testPassword)
	}
	return a
}

// request is one request of a test: cookies of a role (or none), headers,
// and a form or raw body.
type request struct {
	method, path string
	role         store.Role // "" for anonymous
	cookies      []*http.Cookie
	form         url.Values
	body         string
	header       map[string]string
	remote       string // client address, default 192.0.2.1:1234
}

// do sends r through the server's handler.
func (a *authT) do(r request) *httptest.ResponseRecorder {
	a.t.Helper()
	var body *strings.Reader
	switch {
	case r.form != nil:
		body = strings.NewReader(r.form.Encode())
	default:
		body = strings.NewReader(r.body)
	}
	req := httptest.NewRequest(r.method, r.path, body)
	if r.form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if r.remote != "" {
		req.RemoteAddr = r.remote
	}
	cookies := r.cookies
	if r.role != "" {
		cookies = a.cookies[r.role]
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	a.h.ServeHTTP(rec, req)
	return rec
}

// csrfOf returns the CSRF token among cookies.
func csrfOf(cookies []*http.Cookie) string {
	for _, c := range cookies {
		if c.Name == "_csrf" {
			return c.Value
		}
	}
	return ""
}

// auditCount is the number of audit rows.
func (a *authT) auditCount() int {
	a.t.Helper()
	p, err := a.st.Audit(context.Background(), store.AuditFilter{Limit: 1})
	if err != nil {
		a.t.Fatal(err)
	}
	return p.Total
}

// ids are real record ids of the demo, by path parameter and resource, so
// that reads find something.
func (a *authT) ids() map[string]string {
	a.t.Helper()
	ctx := context.Background()
	ids := map[string]string{"evaluations": "1", "options": "1", "lines": "1", "criteria": "1", "scores": "1", "vendors": "1", "rounds": "1"}
	s := func(n int64) string { return strconv.FormatInt(n, 10) }
	if opts, err := a.st.ListOptions(ctx, 1); err == nil && len(opts) > 0 {
		o := opts[len(opts)-1]
		ids["options"] = s(o.ID)
		if ls, err := a.st.ListLines(ctx, o.ID); err == nil && len(ls) > 0 {
			ids["lines"] = s(ls[0].ID)
		}
		if rs, err := a.st.ListRounds(ctx, o.ID); err == nil && len(rs) > 0 {
			ids["rounds"] = s(rs[0].ID)
		}
	}
	if cs, err := a.st.ListCriteria(ctx, 1); err == nil && len(cs) > 0 {
		ids["criteria"] = s(cs[0].ID)
	}
	if sc, err := a.st.ListScores(ctx, 1); err == nil && len(sc) > 0 {
		ids["scores"] = s(sc[0].ID)
	}
	if vs, err := a.st.ListVendors(ctx, store.ListParams{}); err == nil && len(vs.Items) > 0 {
		ids["vendors"] = s(vs.Items[0].ID)
	}
	return ids
}

var pathParam = regexp.MustCompile(`:[a-z_]+|\*`)

// fill puts ids into a route pattern: a read gets real records; a write
// gets ids that name nothing, so that the matrix changes no record.
func fill(pattern string, ids map[string]string, write bool) string {
	if pattern == "/static/*" {
		return "/static/css/app.css"
	}
	segs := strings.Split(pattern, "/")
	for i, seg := range segs {
		if !pathParam.MatchString(seg) {
			continue
		}
		v := "999999"
		if !write {
			switch seg {
			case ":option":
				v = ids["options"]
			case ":line":
				v = ids["lines"]
			case ":criterion":
				v = ids["criteria"]
			default:
				if i > 0 {
					if id, ok := ids[segs[i-1]]; ok {
						v = id
					}
				}
			}
		}
		segs[i] = v
	}
	return strings.Join(segs, "/")
}

// TestRouteMatrix sends every registered route as anonymous, viewer,
// editor and admin and checks each answer's class: an anonymous API call
// is 401, an anonymous page a redirect to the login page, a role too weak
// 403, and an allowed call passes the guard (no 401, 403, login redirect
// or 5xx). It fails for a route missing from routeTable, and proves that
// no GET changes anything: the audit count is the same after all of them.
func TestRouteMatrix(t *testing.T) {
	t.Parallel()
	// Many wrong sign-ins (POST /login, /setup) come from one address here.
	a := newAuthT(t, Config{LoginFailures: 1000})
	ids := a.ids()
	type route struct{ method, path string }
	var reads, writes []route
	for _, r := range a.srv.echo.Routes() {
		key := r.Method + " " + r.Path
		if r.Method == http.MethodHead {
			key = "GET " + r.Path
		}
		if _, ok := routeTable[key]; !ok {
			t.Errorf("route %s %s is not in routeTable (auth_test.go): add it with who may call it", r.Method, r.Path)
			continue
		}
		if isSafe(r.Method) {
			reads = append(reads, route{r.Method, r.Path})
		} else {
			writes = append(writes, route{r.Method, r.Path})
		}
	}
	sort.Slice(writes, func(i, j int) bool { // sign out last: it ends the session
		return writes[j].path == "/logout" && writes[i].path != "/logout"
	})
	if len(reads) < 30 || len(writes) < 30 {
		t.Fatalf("only %d reads and %d writes registered", len(reads), len(writes))
	}
	roles := []store.Role{"", store.RoleViewer, store.RoleEditor, store.RoleAdmin}
	check := func(rt route, write bool) {
		t.Helper()
		key := rt.method + " " + rt.path
		if rt.method == http.MethodHead {
			key = "GET " + rt.path
		}
		need := routeTable[key]
		path := fill(rt.path, ids, write)
		for _, role := range roles {
			req := request{method: rt.method, path: path, role: role, header: map[string]string{}}
			if write {
				req.body = "{}"
				req.header["Content-Type"] = "application/json"
				if role != "" {
					req.header["X-CSRF-Token"] = csrfOf(a.cookies[role])
				}
			}
			rec := a.do(req)
			name := "anonymous"
			if role != "" {
				name = string(role)
			}
			loc := rec.Header().Get("Location")
			toLogin := rec.Code == http.StatusSeeOther && strings.HasPrefix(loc, "/login")
			switch {
			case need == accessPublic:
				// The handler answers (a wrong sign-in is its own 401 or
				// 403), never the guard.
				if rec.Code >= 500 || toLogin {
					t.Errorf("%s %s as %s: %d (Location %q), want it let through: %.200s", rt.method, path, name, rec.Code, loc, rec.Body.String())
				}
			case role != "" && allows(role, need):
				if rec.Code == http.StatusUnauthorized || rec.Code == http.StatusForbidden || rec.Code >= 500 || (toLogin && rt.path != "/logout") {
					t.Errorf("%s %s as %s: %d (Location %q), want it let through: %.200s", rt.method, path, name, rec.Code, loc, rec.Body.String())
				}
			case role == "" && isAPI(rt.path):
				if rec.Code != http.StatusUnauthorized {
					t.Errorf("%s %s as anonymous: %d, want 401", rt.method, path, rec.Code)
				}
			case role == "":
				if !toLogin {
					t.Errorf("%s %s as anonymous: %d (Location %q), want 303 to /login", rt.method, path, rec.Code, loc)
				}
			default:
				if rec.Code != http.StatusForbidden {
					t.Errorf("%s %s as %s: %d, want 403", rt.method, path, name, rec.Code)
				}
			}
		}
	}
	before := a.auditCount()
	for _, rt := range reads {
		check(rt, false)
	}
	if after := a.auditCount(); after != before {
		t.Errorf("GET and HEAD requests changed the audit log: %d rows before, %d after", before, after)
	}
	for _, rt := range writes {
		check(rt, true)
	}
}

// TestRouteAccessDefault: a write route nobody listed is for editors, a
// read for every signed-in user, anything under /admin for admins.
func TestRouteAccessDefault(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		method, path string
		want         access
	}{
		{"POST", "/evaluations/:id/something-new", accessEditor},
		{"DELETE", "/api/v1/new-thing/:id", accessEditor},
		{"GET", "/api/v1/new-thing", accessViewer},
		{"GET", "/admin/settings", accessAdmin},
		{"GET", "/evaluations/:id/workspace/new-screen", accessEditor},
		{"POST", "/login", accessPublic},
	} {
		if got := routeAccess(c.method, c.path); got != c.want {
			t.Errorf("routeAccess(%s %s) = %d, want %d", c.method, c.path, got, c.want)
		}
	}
}

// TestCSRF: a cookie-authenticated change without the CSRF token is
// refused with 403, from another site or from a client that sends no
// Sec-Fetch-Site; an API token needs none.
func TestCSRF(t *testing.T) {
	t.Parallel()
	a := newAuthT(t, Config{})
	before := a.auditCount()
	form := url.Values{"name": {"Forged"}, "currency": {"EUR"}, "start": {"2027-01"}, "horizon_months": {"12"}, "volume_monthly": {"100"}, "volume_unit": {"call"}}
	t.Run("CrossSiteForm", func(t *testing.T) {
		rec := a.do(request{method: "POST", path: "/evaluations", role: store.RoleEditor, form: form,
			header: map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}})
		if rec.Code != http.StatusForbidden {
			t.Fatalf("cross-site POST: %d, want 403", rec.Code)
		}
	})
	t.Run("NoToken", func(t *testing.T) {
		rec := a.do(request{method: "POST", path: "/evaluations", role: store.RoleEditor, form: form})
		if rec.Code != http.StatusForbidden {
			t.Fatalf("POST without token: %d, want 403", rec.Code)
		}
	})
	t.Run("WrongToken", func(t *testing.T) {
		f := url.Values{"_csrf": {"not-the-token"}}
		for k, v := range form {
			f[k] = v
		}
		rec := a.do(request{method: "POST", path: "/evaluations", role: store.RoleEditor, form: f})
		if rec.Code != http.StatusForbidden {
			t.Fatalf("POST with a wrong token: %d, want 403", rec.Code)
		}
	})
	t.Run("APIWithCookie", func(t *testing.T) {
		rec := a.do(request{method: "POST", path: "/api/v1/vendors", role: store.RoleEditor, body: `{"name":"Forged"}`,
			header: map[string]string{"Content-Type": "application/json"}})
		if rec.Code != http.StatusForbidden {
			t.Fatalf("cookie POST to the API without X-CSRF-Token: %d, want 403", rec.Code)
		}
	})
	if n := a.auditCount(); n != before {
		t.Fatalf("refused requests changed %d records", n-before)
	}
	t.Run("APIWithCookieAndToken", func(t *testing.T) {
		rec := a.do(request{method: "POST", path: "/api/v1/vendors", role: store.RoleEditor, body: `{"name":"Same site"}`,
			header: map[string]string{"Content-Type": "application/json", "X-CSRF-Token": csrfOf(a.cookies[store.RoleEditor])}})
		if rec.Code != http.StatusCreated {
			t.Fatalf("cookie POST with X-CSRF-Token: %d %s", rec.Code, rec.Body)
		}
	})
	t.Run("APIWithBearer", func(t *testing.T) {
		tok := apiToken(t, a.st, "editor@example.com", store.RoleEditor)
		rec := a.do(request{method: "POST", path: "/api/v1/vendors", body: `{"name":"Script"}`,
			header: map[string]string{"Content-Type": "application/json", "Authorization": "Bearer " + tok}})
		if rec.Code != http.StatusCreated {
			t.Fatalf("token POST: %d %s", rec.Code, rec.Body)
		}
		p, _ := a.st.Audit(context.Background(), store.AuditFilter{Entity: "vendor", Limit: 1})
		if p.Items[0].Actor != "editor@example.com" {
			t.Fatalf("audit actor %q, want the token's user", p.Items[0].Actor)
		}
	})
}

// TestLoginRateLimit: after 5 failed sign-ins from one address the next
// attempt is 429 with Retry-After, even with the right password, and a
// different X-Forwarded-For each time changes nothing; another address is
// not affected.
func TestLoginRateLimit(t *testing.T) {
	t.Parallel()
	a := newAuthT(t, Config{})
	login := func(pw, xff, remote string) *httptest.ResponseRecorder {
		return a.do(request{method: "POST", path: "/login", cookies: a.cookies[store.RoleViewer][:1], remote: remote,
			form:   url.Values{"email": {"viewer@example.com"}, "password": {pw}, "_csrf": {csrfOf(a.cookies[store.RoleViewer])}},
			header: map[string]string{"X-Forwarded-For": xff, "X-Real-IP": xff}})
	}
	for i := range 5 {
		if rec := login("wrong password!", "203.0.113."+strconv.Itoa(i), "198.51.100.7:4000"); rec.Code != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d, want 401", i+1, rec.Code)
		}
	}
	rec := login(testPassword, "203.0.113.99", "198.51.100.7:4001")
	if rec.Code != http.StatusTooManyRequests {
		t.Fatalf("6th attempt with a fresh X-Forwarded-For: %d, want 429", rec.Code)
	}
	if s, err := strconv.Atoi(rec.Header().Get("Retry-After")); err != nil || s < 1 || s > 15*60+1 {
		t.Fatalf("Retry-After %q", rec.Header().Get("Retry-After"))
	}
	if rec := login(testPassword, "", "198.51.100.8:4000"); rec.Code != http.StatusSeeOther {
		t.Fatalf("another address: %d, want 303 (signed in)", rec.Code)
	}
}

// TestLimiterWindow: failures leave the window and the address may try
// again.
func TestLimiterWindow(t *testing.T) {
	t.Parallel()
	now := time.Date(2027, 1, 1, 9, 0, 0, 0, time.UTC)
	l := newLimiter(2, 15*time.Minute, func() time.Time { return now })
	l.Fail("a")
	now = now.Add(time.Minute)
	l.Fail("a")
	if b, wait := l.Blocked("a"); !b || wait != 14*time.Minute {
		t.Fatalf("blocked %v, wait %v; want true, 14m", b, wait)
	}
	now = now.Add(14 * time.Minute)
	if b, _ := l.Blocked("a"); b {
		t.Fatal("still blocked after the first failure left the window")
	}
	if b, _ := l.Blocked("b"); b {
		t.Fatal("another address is blocked")
	}
}

// TestLoginSameAnswer: an unknown address and a wrong password get the
// same status and message, and both compute exactly one argon2id hash
// (VerifyDummy checks against a real hash), counted at the gate rather than
// timed, so a loaded machine cannot make the test lie either way.
func TestLoginSameAnswer(t *testing.T) {
	t.Parallel()
	a := newAuthT(t, Config{LoginFailures: 1000})
	gate := a.srv.accounts.argon
	try := func(email string) (int, string, int64) {
		before := gate.runs.Load()
		rec := a.do(request{method: "POST", path: "/login", cookies: a.cookies[store.RoleViewer][:1],
			form: url.Values{"email": {email}, "password": {"not the password"}, "_csrf": {csrfOf(a.cookies[store.RoleViewer])}}})
		m := regexp.MustCompile(`id="login-error">([^<]*)<`).FindStringSubmatch(rec.Body.String())
		if m == nil {
			t.Fatalf("%s: no error message: %d %.300s", email, rec.Code, rec.Body)
		}
		return rec.Code, m[1], gate.runs.Load() - before
	}
	for range 3 {
		c1, m1, h1 := try("viewer@example.com")
		c2, m2, h2 := try("nobody@example.com")
		if c1 != c2 || m1 != m2 || c1 != http.StatusUnauthorized {
			t.Fatalf("wrong password: %d %q; unknown user: %d %q", c1, m1, c2, m2)
		}
		if h1 != 1 || h2 != 1 {
			t.Fatalf("argon2id hashes computed: wrong password %d, unknown user %d; want 1 each", h1, h2)
		}
	}
}

// TestSessionFixation: signing in gives a new session id; the one the
// browser had before (planted, say) is dead afterwards.
func TestSessionFixation(t *testing.T) {
	t.Parallel()
	a := newAuthT(t, Config{})
	var old *http.Cookie
	for _, c := range a.cookies[store.RoleViewer] {
		if c.Name == sessionCookie {
			old = c
		}
	}
	if old == nil || !old.HttpOnly || old.SameSite != http.SameSiteLaxMode || old.Secure {
		t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Lax, not Secure over HTTP", old)
	}
	// Sign in as the editor from the browser holding the viewer's session.
	rec := a.do(request{method: "POST", path: "/login", cookies: a.cookies[store.RoleViewer],
		form: url.Values{"email": {"editor@example.com"}, "password": {testPassword}, "_csrf": {csrfOf(a.cookies[store.RoleViewer])}}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("login: %d", rec.Code)
	}
	var fresh *http.Cookie
	for _, c := range rec.Result().Cookies() {
		if c.Name == sessionCookie {
			fresh = c
		}
	}
	if fresh == nil || fresh.Value == "" || fresh.Value == old.Value {
		t.Fatalf("session cookie after login %+v; before %q: the id must change", fresh, old.Value)
	}
	if rec := a.do(request{method: "GET", path: "/", cookies: []*http.Cookie{old}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("the old session still works: %d", rec.Code)
	}
	if rec := a.do(request{method: "GET", path: "/", cookies: []*http.Cookie{fresh}}); rec.Code != http.StatusOK {
		t.Fatalf("the new session does not work: %d", rec.Code)
	}
	for _, c := range a.cookies[store.RoleViewer] {
		if c.Name == "_csrf" && (!c.HttpOnly || c.SameSite != http.SameSiteStrictMode) {
			t.Errorf("CSRF cookie %+v: want HttpOnly, SameSite=Strict", c)
		}
	}
}

// TestLoginRedirectsBack: an anonymous page visit goes to the login page
// and back to the page after signing in; next must be a local path.
func TestLoginRedirectsBack(t *testing.T) {
	t.Parallel()
	a := newAuthT(t, Config{})
	rec := a.do(request{method: "GET", path: "/evaluations/1?tab=costs"})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/login?next=%2Fevaluations%2F1%3Ftab%3Dcosts" {
		t.Fatalf("anonymous page: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	for next, want := range map[string]string{
		"/evaluations/1?tab=costs": "/evaluations/1?tab=costs",
		"//evil.example/x":         "/",
		"https://evil.example/":    "/",
		"/\\evil.example":          "/",
		"javascript:alert(1)":      "/",
		"":                         "/",
	} {
		rec := a.do(request{method: "POST", path: "/login", cookies: a.cookies[store.RoleViewer][:1],
			form: url.Values{"email": {"viewer@example.com"}, "password": {testPassword}, "next": {next}, "_csrf": {csrfOf(a.cookies[store.RoleViewer])}}})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != want {
			t.Errorf("next=%q: %d to %q, want %q", next, rec.Code, rec.Header().Get("Location"), want)
		}
	}
}

// TestLogout: signing out deletes the session; its cookie is dead.
func TestLogout(t *testing.T) {
	t.Parallel()
	a := newAuthT(t, Config{})
	rec := a.do(request{method: "POST", path: "/logout", role: store.RoleViewer, form: url.Values{"_csrf": {csrfOf(a.cookies[store.RoleViewer])}}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/login" {
		t.Fatalf("logout: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	if rec := a.do(request{method: "GET", path: "/", role: store.RoleViewer}); rec.Code != http.StatusSeeOther {
		t.Fatalf("after logout: %d, want the login redirect", rec.Code)
	}
	if n, _ := a.st.CountSessions(context.Background(), a.users[store.RoleViewer].ID); n != 0 {
		t.Fatalf("%d sessions left", n)
	}
}

// newTokenRe finds the secret on the tokens page after creating one.
var newTokenRe = regexp.MustCompile(`id="new-token">([^<]+)<`)

// TestTokenRevocation: a token made on the tokens page works on the API
// with its user's role, and stops at once when revoked.
func TestTokenRevocation(t *testing.T) {
	t.Parallel()
	a := newAuthT(t, Config{})
	rec := a.do(request{method: "POST", path: "/tokens", role: store.RoleViewer, form: url.Values{"name": {"report"}, "_csrf": {csrfOf(a.cookies[store.RoleViewer])}}})
	m := newTokenRe.FindStringSubmatch(rec.Body.String())
	if rec.Code != http.StatusCreated || m == nil || !strings.HasPrefix(m[1], auth.APITokenPrefix) {
		t.Fatalf("create token: %d %.300s", rec.Code, rec.Body)
	}
	bearer := map[string]string{"Authorization": "Bearer " + m[1], "Content-Type": "application/json"}
	if rec := a.do(request{method: "GET", path: "/api/v1/evaluations", header: bearer}); rec.Code != http.StatusOK {
		t.Fatalf("GET with the token: %d", rec.Code)
	}
	if rec := a.do(request{method: "POST", path: "/api/v1/vendors", header: bearer, body: `{"name":"X"}`}); rec.Code != http.StatusForbidden {
		t.Fatalf("a viewer's token wrote: %d, want 403", rec.Code)
	}
	list, _ := a.st.ListAPITokens(context.Background(), a.users[store.RoleViewer].ID)
	rec = a.do(request{method: "POST", path: "/tokens/" + strconv.FormatInt(list[0].ID, 10) + "/revoke", role: store.RoleViewer,
		form: url.Values{"_csrf": {csrfOf(a.cookies[store.RoleViewer])}}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("revoke: %d", rec.Code)
	}
	rec = a.do(request{method: "GET", path: "/api/v1/evaluations", header: bearer})
	if rec.Code != http.StatusUnauthorized || !strings.Contains(rec.Header().Get("WWW-Authenticate"), "invalid_token") {
		t.Fatalf("GET with the revoked token: %d %q, want 401", rec.Code, rec.Header().Get("WWW-Authenticate"))
	}
	// Another user cannot revoke it, nor see it.
	rec = a.do(request{method: "POST", path: "/tokens/" + strconv.FormatInt(list[0].ID, 10) + "/revoke", role: store.RoleEditor,
		form: url.Values{"_csrf": {csrfOf(a.cookies[store.RoleEditor])}}})
	if rec.Code != http.StatusNotFound {
		t.Fatalf("editor revoking the viewer's token: %d, want 404", rec.Code)
	}
}

// TestDisabledUser: disabling a user kills their session and their tokens
// at the next request.
func TestDisabledUser(t *testing.T) {
	t.Parallel()
	a := newAuthT(t, Config{})
	tok := apiToken(t, a.st, "editor@example.com", store.RoleEditor)
	ed := a.users[store.RoleEditor]
	rec := a.do(request{method: "POST", path: "/admin/users/" + strconv.FormatInt(ed.ID, 10) + "/disable", role: store.RoleAdmin,
		form: url.Values{"_csrf": {csrfOf(a.cookies[store.RoleAdmin])}}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("disable: %d %.200s", rec.Code, rec.Body)
	}
	if rec := a.do(request{method: "GET", path: "/", role: store.RoleEditor}); rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login") {
		t.Fatalf("disabled user's page: %d, want the login redirect", rec.Code)
	}
	if rec := a.do(request{method: "GET", path: "/api/v1/evaluations", role: store.RoleEditor}); rec.Code != http.StatusUnauthorized {
		t.Fatalf("disabled user's cookie on the API: %d, want 401", rec.Code)
	}
	if rec := a.do(request{method: "GET", path: "/api/v1/evaluations", header: map[string]string{"Authorization": "Bearer " + tok}}); rec.Code != http.StatusUnauthorized {
		t.Fatalf("disabled user's token: %d, want 401", rec.Code)
	}
	// Nor can they sign in again, with the same message as a wrong password.
	rec = a.do(request{method: "POST", path: "/login", cookies: a.cookies[store.RoleViewer][:1],
		form: url.Values{"email": {"editor@example.com"}, "password": {testPassword}, "_csrf": {csrfOf(a.cookies[store.RoleViewer])}}})
	if rec.Code != http.StatusUnauthorized || !strings.Contains(rec.Body.String(), ui.BadLogin) {
		t.Fatalf("disabled user signs in: %d", rec.Code)
	}
}

// TestSecurityHeadersEverywhere: redirects, refusals and account pages
// carry the CSP and the other headers too.
func TestSecurityHeadersEverywhere(t *testing.T) {
	t.Parallel()
	a := newAuthT(t, Config{})
	for _, r := range []request{
		{method: "GET", path: "/login"},
		{method: "GET", path: "/"},                                    // redirect
		{method: "GET", path: "/api/v1/evaluations"},                  // 401
		{method: "GET", path: "/admin/users", role: store.RoleViewer}, // 403 page
		{method: "GET", path: "/tokens", role: store.RoleViewer},
		{method: "GET", path: "/audit", role: store.RoleViewer},
		{method: "GET", path: "/static/css/app.css"},
	} {
		rec := a.do(r)
		h := rec.Header()
		if !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'self'") || h.Get("X-Frame-Options") != "DENY" ||
			h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s %s (%d): security headers missing: %v", r.method, r.path, rec.Code, h)
		}
	}
}

// TestAccountPages: the admin adds a user and changes a role; a viewer
// records a decision, which is listed on the evaluation and in the audit
// trail with who made it.
func TestAccountPages(t *testing.T) {
	t.Parallel()
	a := newAuthT(t, Config{})
	admin := func(path string, v url.Values) *httptest.ResponseRecorder {
		v.Set("_csrf", csrfOf(a.cookies[store.RoleAdmin]))
		return a.do(request{method: "POST", path: path, role: store.RoleAdmin, form: v})
	}
	if rec := admin("/admin/users", url.Values{"email": {"new@example.com"}, "role": {"editor"}, "password": {"short"}}); rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("short password: %d", rec.Code)
	}
	if rec := admin("/admin/users", url.Values{"email": {"new@example.com"}, "role": {"editor"}, "password": {testPassword}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("add user: %d %.300s", rec.Code, rec.Body)
	}
	u, _, err := a.st.Credentials(context.Background(), "new@example.com")
	if err != nil || u.Role != store.RoleEditor {
		t.Fatalf("new user %+v %v", u, err)
	}
	if rec := admin("/admin/users/"+strconv.FormatInt(u.ID, 10)+"/role", url.Values{"role": {"viewer"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("set role: %d", rec.Code)
	}
	rec := a.do(request{method: "GET", path: "/admin/users", role: store.RoleAdmin})
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "new@example.com") {
		t.Fatalf("users page: %d", rec.Code)
	}

	ids := a.ids()
	rec = a.do(request{method: "POST", path: "/evaluations/1/decisions", role: store.RoleViewer,
		form: url.Values{"kind": {"award"}, "option_id": {ids["options"]}, "rationale": {"Best score at the lowest TCO."}, "_csrf": {csrfOf(a.cookies[store.RoleViewer])}}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("record decision: %d %.300s", rec.Code, rec.Body)
	}
	rec = a.do(request{method: "POST", path: "/evaluations/1/decisions", role: store.RoleViewer,
		form: url.Values{"kind": {"award"}, "rationale": {"no option"}, "_csrf": {csrfOf(a.cookies[store.RoleViewer])}}})
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "names the option") {
		t.Fatalf("award without option: %d", rec.Code)
	}
	rec = a.do(request{method: "GET", path: "/evaluations/1/decisions", role: store.RoleViewer})
	if !strings.Contains(rec.Body.String(), "Best score at the lowest TCO.") || !strings.Contains(rec.Body.String(), "viewer@example.com") {
		t.Fatalf("decision not listed: %.500s", rec.Body)
	}
	rec = a.do(request{method: "GET", path: "/evaluations/1", role: store.RoleViewer})
	if !strings.Contains(rec.Body.String(), `id="decision"`) || !strings.Contains(rec.Body.String(), "Best score at the lowest TCO.") {
		t.Fatalf("the dashboard does not show the decision: %d", rec.Code)
	}
	rec = a.do(request{method: "GET", path: "/evaluations/1/audit", role: store.RoleViewer})
	body := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.Contains(body, "Created decision #") || !strings.Contains(body, "Best score at the lowest TCO.") {
		t.Fatalf("evaluation audit: %d %.500s", rec.Code, body)
	}
	// The account trail is an admin's (TestAuditAccountsAdminOnly).
	rec = a.do(request{method: "GET", path: "/audit", role: store.RoleAdmin})
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Changed user #") || !strings.Contains(rec.Body.String(), "admin@example.com") {
		t.Fatalf("audit page: %d", rec.Code)
	}
}

// TestSetupLink: the one-time link creates the first admin once and signs
// them in.
func TestSetupLink(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv := New(Config{}, Deps{Store: st})
	defer srv.accounts.closeStore()
	a := &authT{t: t, st: st, srv: srv, h: srv.Handler()}
	secret, hash := auth.NewSecret(auth.SetupTokenPrefix)
	if err := st.CreateSetupToken(ctx, hash, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if rec := a.do(request{method: "GET", path: "/setup?token=wrong"}); rec.Code != http.StatusNotFound {
		t.Fatalf("wrong link: %d", rec.Code)
	}
	rec := a.do(request{method: "GET", path: "/setup?token=" + url.QueryEscape(secret)})
	if rec.Code != http.StatusOK {
		t.Fatalf("setup page: %d", rec.Code)
	}
	cookies := rec.Result().Cookies()
	post := func(pw, confirm string) *httptest.ResponseRecorder {
		return a.do(request{method: "POST", path: "/setup", cookies: cookies,
			form: url.Values{"token": {secret}, "email": {"boss@example.com"}, "password": {pw}, "confirm": {confirm}, "_csrf": {csrfOf(cookies)}}})
	}
	if rec := post(testPassword, "something else"); rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("mismatched confirmation: %d", rec.Code)
	}
	rec = post(testPassword, testPassword)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("setup: %d %.300s", rec.Code, rec.Body)
	}
	var session *http.Cookie
	for _, c := range rec.Result().Cookies() {
		if c.Name == sessionCookie {
			session = c
		}
	}
	if rec := a.do(request{method: "GET", path: "/admin/users", cookies: []*http.Cookie{session}}); rec.Code != http.StatusOK {
		t.Fatalf("the new admin's users page: %d", rec.Code)
	}
	if rec := post(testPassword, testPassword); rec.Code != http.StatusNotFound {
		t.Fatalf("second use of the link: %d, want 404", rec.Code)
	}
}

// TestSessionTimeouts: a session ends after the idle timeout without a
// request, and at its lifetime however busy it is. The store's clock
// decides, moved on by the test.
func TestSessionTimeouts(t *testing.T) {
	t.Parallel()
	viewer := func(a *authT) int {
		t.Helper()
		return a.do(request{method: "GET", path: "/tokens", role: store.RoleViewer}).Code
	}
	t.Run("Idle", func(t *testing.T) {
		t.Parallel()
		clock := &offsetClock{}
		a := newAuthT(t, Config{SessionIdleTimeout: 30 * time.Minute}, store.WithClock(clock.now))
		if code := viewer(a); code != http.StatusOK {
			t.Fatalf("fresh session: %d", code)
		}
		clock.add(29 * time.Minute)
		if code := viewer(a); code != http.StatusOK {
			t.Fatalf("before the idle timeout: %d", code)
		}
		clock.add(31 * time.Minute)
		if code := viewer(a); code != http.StatusSeeOther {
			t.Fatalf("after the idle timeout: %d, want the login redirect", code)
		}
	})
	t.Run("IdleRenewedWhileBusy", func(t *testing.T) {
		t.Parallel()
		// Renewals are skipped within a thirtieth of the idle timeout
		// (store.Sessions), yet a busy session outlives the timeout.
		clock := &offsetClock{}
		a := newAuthT(t, Config{SessionIdleTimeout: 30 * time.Minute}, store.WithClock(clock.now))
		for i := range 12 { // two hours, a request every ten minutes
			if code := viewer(a); code != http.StatusOK {
				t.Fatalf("busy session ended after %d minutes: %d", 10*i, code)
			}
			clock.add(10 * time.Minute)
		}
	})
	t.Run("Lifetime", func(t *testing.T) {
		t.Parallel()
		clock := &offsetClock{}
		a := newAuthT(t, Config{SessionLifetime: 3 * time.Hour}, store.WithClock(clock.now))
		for i := range 17 { // busy, never idle: a request every ten minutes for 2 h 50 min
			if code := viewer(a); code != http.StatusOK {
				t.Fatalf("within the lifetime, after %d minutes: %d", 10*i, code)
			}
			clock.add(10 * time.Minute)
		}
		clock.add(11 * time.Minute)
		if code := viewer(a); code != http.StatusSeeOther {
			t.Fatalf("after the lifetime: %d, want the login redirect", code)
		}
	})
}

// TestSessionCommitsThrottled: page views of a signed-in user do not each
// write the session (a write per view queued behind every save); the
// first view writes it, the next ones within a minute do not, and a change
// to the session (signing out) is written at once.
func TestSessionCommitsThrottled(t *testing.T) {
	t.Parallel()
	a := newAuthT(t, Config{})
	ss := a.srv.accounts.rows
	get := func() {
		t.Helper()
		if rec := a.do(request{method: "GET", path: "/tokens", role: store.RoleViewer}); rec.Code != http.StatusOK {
			t.Fatalf("GET /tokens: %d", rec.Code)
		}
	}
	get()
	before := ss.Commits()
	for range 20 {
		get()
	}
	if n := ss.Commits() - before; n != 0 {
		t.Errorf("20 page views within a minute wrote the session %d times, want 0", n)
	}
	// signing out deletes the session at once: the cookie no longer works
	rec := a.do(request{method: "POST", path: "/logout", role: store.RoleViewer, form: url.Values{"_csrf": {csrfOf(a.cookies[store.RoleViewer])}}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("logout: %d", rec.Code)
	}
	if rec := a.do(request{method: "GET", path: "/tokens", role: store.RoleViewer}); rec.Code != http.StatusSeeOther {
		t.Fatalf("after signing out: %d, want the login redirect", rec.Code)
	}
	// signing in again is a new session, written at once
	before = ss.Commits()
	a.cookies[store.RoleViewer] = loginCookies(t, a.h, "viewer@example.com", testPassword)
	if ss.Commits() == before {
		t.Error("a new sign-in was not written")
	}
	get()
}
