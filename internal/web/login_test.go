package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"vendorcompare/internal/auth"
	"vendorcompare/internal/store"
)

// noSleep replaces the per-account slow-down of a's server with one that
// records each wait instead of sleeping it.
func noSleep(a *authT) func() []time.Duration {
	var mu sync.Mutex
	var waits []time.Duration
	a.srv.accounts.sleep = func(_ context.Context, d time.Duration) error {
		mu.Lock()
		defer mu.Unlock()
		waits = append(waits, d)
		return nil
	}
	return func() []time.Duration {
		mu.Lock()
		defer mu.Unlock()
		return append([]time.Duration(nil), waits...)
	}
}

// wrongLogin is a sign-in of email with a wrong password from remote.
func wrongLogin(a *authT, email, pw, remote string) *httptest.ResponseRecorder {
	return a.do(request{method: "POST", path: "/login", cookies: a.cookies[store.RoleViewer][:1], remote: remote,
		form: url.Values{"email": {email}, "password": {pw}, "_csrf": {csrfOf(a.cookies[store.RoleViewer])}}})
}

// TestLoginCountsBeforeVerifying (issue 12, defect 3): 30 simultaneous
// wrong sign-ins from one address are counted as they start, so at most
// 5 reach argon2id and the other 25 are refused with 429 and Retry-After.
// Counting after the check let all 30 through (memory 125 → 638 MB).
func TestLoginCountsBeforeVerifying(t *testing.T) {
	t.Parallel()
	a := newAuthT(t, Config{})
	noSleep(a)
	// with tests running in parallel a hash can wait for CPU: this test is about the counting, not the give-up
	a.srv.accounts.argon.wait = time.Minute
	before := a.srv.accounts.argon.runs.Load()
	const n = 30
	codes := make([]int, n)
	retry := make([]string, n)
	var start, wg sync.WaitGroup
	start.Add(1)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start.Wait()
			rec := wrongLogin(a, "viewer@example.com", "not the password", "198.51.100.7:4000")
			codes[i], retry[i] = rec.Code, rec.Header().Get("Retry-After")
		}()
	}
	start.Done()
	wg.Wait()
	count := map[int]int{}
	for i, c := range codes {
		count[c]++
		if c == http.StatusTooManyRequests && retry[i] == "" {
			t.Errorf("a 429 without Retry-After")
		}
	}
	verified := a.srv.accounts.argon.runs.Load() - before
	if verified > 5 || count[http.StatusUnauthorized] != int(verified) || count[http.StatusTooManyRequests] != n-int(verified) {
		t.Fatalf("%d password checks, answers %v; want at most 5 checks (401) and the rest 429", verified, count)
	}
}

// TestPasswordChecksCapped: at most Config.PasswordChecks argon2id hashes
// run at once, whatever the addresses; a sign-in that finds every slot
// busy for too long gets 503 with Retry-After, and is not counted against
// its address.
func TestPasswordChecksCapped(t *testing.T) {
	t.Parallel()
	a := newAuthT(t, Config{PasswordChecks: 2, LoginFailures: 1000})
	noSleep(a)
	g := a.srv.accounts.argon
	g.peak.Store(0)
	g.wait = time.Minute // this part is about the cap, not the give-up
	var wg sync.WaitGroup
	codes := make([]int, 8)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = wrongLogin(a, fmt.Sprintf("user%d@example.com", i), "not the password", fmt.Sprintf("198.51.100.%d:4000", i+1)).Code
		}()
	}
	wg.Wait()
	for i, c := range codes {
		if c != http.StatusUnauthorized {
			t.Errorf("sign-in %d: %d, want 401", i, c)
		}
	}
	if p := g.peak.Load(); p < 1 || p > 2 {
		t.Fatalf("%d password checks at once, want at most 2", p)
	}

	// Every slot taken (as by two slow checks): the next waits, then 503.
	g.wait = 20 * time.Millisecond
	g.slots <- struct{}{}
	g.slots <- struct{}{}
	runs := g.runs.Load()
	rec := wrongLogin(a, "viewer@example.com", testPassword, "198.51.100.99:4000")
	<-g.slots
	<-g.slots
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
		t.Fatalf("all slots busy: %d, Retry-After %q; want 503 with Retry-After", rec.Code, rec.Header().Get("Retry-After"))
	}
	if g.runs.Load() != runs {
		t.Fatal("a password was checked without a slot")
	}
	if _, _, n := a.srv.accounts.limiter.Attempt("198.51.100.99"); n != 0 {
		t.Fatalf("the refused sign-in stayed counted against its address (%d attempts)", n)
	}
}

// TestAccountSlowDown: attempts on one account, from any address, wait
// longer and longer (0, 0, 0, 1 s, 2 s, 4 s, 8 s, then 10 s at most), but
// the right password still signs in: nobody can lock a colleague out. An
// unknown address waits exactly as long.
func TestAccountSlowDown(t *testing.T) {
	t.Parallel()
	a := newAuthT(t, Config{})
	waits := noSleep(a)
	for _, email := range []string{"viewer@example.com", "nobody@example.com"} {
		start := len(waits())
		for i := range 9 {
			if rec := wrongLogin(a, email, "not the password", fmt.Sprintf("203.0.113.%d:4000", i+1)); rec.Code != http.StatusUnauthorized {
				t.Fatalf("%s attempt %d: %d, want 401", email, i+1, rec.Code)
			}
		}
		got := waits()[start:]
		want := []time.Duration{0, 0, 0, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second, 10 * time.Second}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("%s: waits %v, want %v", email, got, want)
		}
	}
	if rec := wrongLogin(a, "Viewer@Example.com", testPassword, "203.0.113.50:4000"); rec.Code != http.StatusSeeOther {
		t.Fatalf("the right password after 9 failures: %d, want 303 (signed in)", rec.Code)
	}
	if w := waits(); w[len(w)-1] != 10*time.Second {
		t.Fatalf("the right password waited %v, want the 10 s cap", w[len(w)-1])
	}
}

// TestAccountDelayWaits: the slow-down really waits, and gives up with
// the request.
func TestAccountDelayWaits(t *testing.T) {
	t.Parallel()
	if err := sleepCtx(context.Background(), 20*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := sleepCtx(ctx, time.Hour); err == nil {
		t.Fatal("a cancelled request kept waiting")
	}
}

// TestSetupCountsBeforeChecking: wrong setup links tried at once are
// counted as they start (at most 5 get their 404, the rest 429), and the
// first admin's password is hashed through the argon2id slots.
func TestSetupCountsBeforeChecking(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv := New(Config{}, Deps{Store: st})
	defer srv.accounts.closeStore()
	srv.accounts.argon.wait = time.Minute // about the counting, not the give-up
	a := &authT{t: t, st: st, srv: srv, h: srv.Handler()}
	secret, hash := auth.NewSecret(auth.SetupTokenPrefix)
	if err := st.CreateSetupToken(ctx, hash, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	rec := a.do(request{method: "GET", path: "/setup?token=" + url.QueryEscape(secret)})
	cookies := rec.Result().Cookies()
	post := func(token, remote string) *httptest.ResponseRecorder {
		return a.do(request{method: "POST", path: "/setup", cookies: cookies, remote: remote,
			form: url.Values{"token": {token}, "email": {"boss@example.com"}, "password": {testPassword}, "confirm": {testPassword}, "_csrf": {csrfOf(cookies)}}})
	}
	const n = 20
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() { defer wg.Done(); codes[i] = post("vcs_wrong", "198.51.100.7:4000").Code }()
	}
	wg.Wait()
	count := map[int]int{}
	for _, c := range codes {
		count[c]++
	}
	if count[http.StatusNotFound] > 5 || count[http.StatusNotFound]+count[http.StatusTooManyRequests] != n {
		t.Fatalf("wrong links at once: %v; want at most 5 404 and the rest 429", count)
	}
	runs := srv.accounts.argon.runs.Load()
	if rec := post(secret, "198.51.100.8:4000"); rec.Code != http.StatusSeeOther {
		t.Fatalf("setup: %d %.300s", rec.Code, rec.Body)
	}
	if got := srv.accounts.argon.runs.Load() - runs; got != 1 {
		t.Fatalf("setup hashed %d passwords through the slots, want 1", got)
	}
}

// TestPasswordChangeCountsBeforeVerifying: a signed-in user's wrong
// current passwords, sent at once, are counted as they start like
// sign-ins: at most 5 reach argon2id, the rest get 429.
func TestPasswordChangeCountsBeforeVerifying(t *testing.T) {
	t.Parallel()
	a := newAuthT(t, Config{})
	// with tests running in parallel a hash can wait for CPU: this test is about the counting, not the give-up
	a.srv.accounts.argon.wait = time.Minute
	before := a.srv.accounts.argon.runs.Load()
	const n = 20
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = a.do(request{method: "POST", path: "/account/password", role: store.RoleViewer, remote: "198.51.100.7:4000",
				form: url.Values{"current": {"not the password"}, "password": {"a brand new passphrase"}, "confirm": {"a brand new passphrase"},
					"_csrf": {csrfOf(a.cookies[store.RoleViewer])}}}).Code
		}()
	}
	wg.Wait()
	count := map[int]int{}
	for _, c := range codes {
		count[c]++
	}
	verified := a.srv.accounts.argon.runs.Load() - before
	if verified > 5 || count[http.StatusTooManyRequests] != n-int(verified) {
		t.Fatalf("%d current passwords checked, answers %v; want at most 5 checks and the rest 429", verified, count)
	}
}
