package web

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"vendorcompare/internal/auth"
	"vendorcompare/internal/store"
)

// testPassword is the password of every user the tests create.
const testPassword = "correct horse battery staple"

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
	u, err := st.CreateUser(ctx, "test", email, role, auth.HashPassword(testPassword))
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
	if _, err := st.CreateAPIToken(context.Background(), "test", u.ID, "test", hash, tokenHint(secret), nil); err != nil {
		t.Fatal(err)
	}
	return secret
}

var csrfInput = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// loginCookies signs a user in through h (GET /login for the CSRF token,
// POST /login) and returns the cookies to send afterwards: the session's
// and the CSRF cookie.
func loginCookies(t testing.TB, h http.Handler, email, password string) []*http.Cookie {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/login", nil))
	m := csrfInput.FindStringSubmatch(rec.Body.String())
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
func (p *pageT) signIn(email string, role store.Role) {
	p.t.Helper()
	testUser(p.t, p.st, email, role)
	res := p.postForm("/login", "/login", url.Values{"email": {email}, "password": {testPassword}})
	if res.status != http.StatusSeeOther {
		p.t.Fatalf("sign in as %s: %d %.300s", email, res.status, res.body)
	}
}
