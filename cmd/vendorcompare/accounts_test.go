package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"vendorcompare/internal/auth"
	"vendorcompare/internal/store"
)

const cliPassword = "correct horse battery staple"

// newToken adds a user to the data folder with `user add` and returns the
// last line of `token create`.
func newToken(t *testing.T, data, email, role string) string {
	t.Helper()
	if _, errOut, err := runCmd(t, strings.NewReader(cliPassword+"\n"), "user", "add", "-data", data, "-email", email, "-role", role); err != nil {
		t.Fatalf("user add: %v %s", err, errOut)
	}
	out, errOut, err := runCmd(t, nil, "token", "create", "-data", data, "-email", email)
	if err != nil {
		t.Fatalf("token create: %v %s", err, errOut)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	return lines[len(lines)-1]
}

// TestUserAddAndToken: `user add` reads the password from standard input,
// stores only its argon2id hash, and `token create` prints a token as its
// last line that works against the API with the user's role.
func TestUserAddAndToken(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	tok := newToken(t, data, "ed@example.com", "editor")
	if !strings.HasPrefix(tok, auth.APITokenPrefix) {
		t.Fatalf("last line %q is not a token", tok)
	}
	st, err := store.Open(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	u, hash, err := st.Credentials(context.Background(), "ed@example.com")
	st.Close()
	if err != nil || u.Role != store.RoleEditor || !strings.HasPrefix(hash, "$argon2id$") {
		t.Fatalf("stored user %+v hash %q: %v", u, hash, err)
	}
	if ok, _ := auth.VerifyPassword(hash, cliPassword); !ok {
		t.Fatal("the stored hash does not match the password given on stdin")
	}

	url, cancel, done := startServe(t, env(nil), "serve", "-addr", "127.0.0.1:0", "-data", data)
	defer func() { cancel(); <-done }()
	get := func(auth string) int {
		req, _ := http.NewRequest(http.MethodGet, url+"/api/v1/evaluations", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if s := get("Bearer " + tok); s != http.StatusOK {
		t.Fatalf("GET with the CLI token: %d", s)
	}
	if s := get(""); s != http.StatusUnauthorized {
		t.Fatalf("GET without a token: %d, want 401", s)
	}
	if s := get("Bearer " + tok + "x"); s != http.StatusUnauthorized {
		t.Fatalf("GET with a wrong token: %d, want 401", s)
	}
}

// TestUserPasswd: user passwd sets a new password from standard input,
// ends the user's sessions and revokes their API tokens, and says so;
// with -keep-tokens the tokens keep working.
func TestUserPasswd(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	ctx := context.Background()
	tok := newToken(t, data, "ann@example.com", "admin")
	works := func(tok string) bool {
		t.Helper()
		st, err := store.Open(ctx, data)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		_, err = st.UserByAPIToken(ctx, auth.HashSecret(tok))
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			t.Fatal(err)
		}
		return err == nil
	}
	out, errOut, err := runCmd(t, strings.NewReader("a brand new passphrase\n"), "user", "passwd", "-data", data, "-email", "ann@example.com")
	if err != nil {
		t.Fatalf("user passwd: %v %s", err, errOut)
	}
	if !strings.Contains(out, "every session of theirs has ended; 1 API token(s) of theirs revoked") {
		t.Errorf("user passwd says %q; want it to name the ended sessions and revoked tokens", out)
	}
	if works(tok) {
		t.Error("the API token still works after user passwd")
	}
	st, err := store.Open(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	_, hash, _ := st.Credentials(ctx, "ann@example.com")
	st.Close()
	if ok, _ := auth.VerifyPassword(hash, "a brand new passphrase"); !ok {
		t.Fatal("the new password does not verify")
	}

	t.Run("KeepTokens", func(t *testing.T) {
		out, _, err := runCmd(t, nil, "token", "create", "-data", data, "-email", "ann@example.com")
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
		kept := lines[len(lines)-1]
		out, errOut, err := runCmd(t, strings.NewReader("yet another passphrase\n"), "user", "passwd", "-keep-tokens", "-data", data, "-email", "ann@example.com")
		if err != nil {
			t.Fatalf("user passwd -keep-tokens: %v %s", err, errOut)
		}
		if !strings.Contains(out, "API tokens were kept (-keep-tokens)") {
			t.Errorf("user passwd -keep-tokens says %q", out)
		}
		if !works(kept) {
			t.Error("-keep-tokens revoked the token")
		}
	})
	if _, _, err := runCmd(t, strings.NewReader("a brand new passphrase\n"), "user", "passwd", "-data", data, "-email", "nobody@example.com"); err == nil {
		t.Fatal("passwd for an unknown user succeeded")
	}
}

// TestTokenExpires: token create -expires 90d stores the expiry and says
// it; a bad -expires is a usage error.
func TestTokenExpires(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	ctx := context.Background()
	newToken(t, data, "ann@example.com", "admin")
	out, errOut, err := runCmd(t, nil, "token", "create", "-data", data, "-email", "ann@example.com", "-name", "quarterly", "-expires", "90d")
	if err != nil {
		t.Fatalf("token create -expires 90d: %v %s", err, errOut)
	}
	want := time.Now().Add(90 * 24 * time.Hour).UTC()
	if !strings.Contains(out, "expires "+want.Format("2006-01-02")) {
		t.Errorf("token create says %q; want the expiry", out)
	}
	st, err := store.Open(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	u, _, _ := st.Credentials(ctx, "ann@example.com")
	list, err := st.ListAPITokens(ctx, u.ID)
	if err != nil || len(list) != 2 || list[0].ExpiresAt == nil || list[0].ExpiresAt.Sub(want).Abs() > time.Minute || list[1].ExpiresAt != nil {
		t.Fatalf("tokens = %+v, %v; want the newest to expire at %v, the other never", list, err, want)
	}
	for _, bad := range []string{"soon", "0d", "-3d", "9999d"} {
		if _, _, err := runCmd(t, nil, "token", "create", "-data", data, "-email", "ann@example.com", "-expires", bad); err == nil {
			t.Errorf("-expires %s: no error", bad)
		}
	}
}

func TestUserErrors(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	for _, tc := range []struct {
		name  string
		stdin string
		args  []string
	}{
		{"ErrShortPassword", "short\n", []string{"user", "add", "-data", data, "-email", "a@example.com", "-role", "viewer"}},
		{"ErrRole", cliPassword + "\n", []string{"user", "add", "-data", data, "-email", "a@example.com", "-role", "boss"}},
		{"ErrNoEmail", cliPassword + "\n", []string{"user", "add", "-data", data, "-role", "viewer"}},
		{"ErrSubcommand", "", []string{"user", "remove"}},
		{"ErrTokenUnknownUser", "", []string{"token", "create", "-data", data, "-email", "nobody@example.com"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := runCmd(t, strings.NewReader(tc.stdin), tc.args...); err == nil {
				t.Fatal("no error")
			}
		})
	}
}

var setupLink = regexp.MustCompile(`(https?://\S+/setup\?token=\S+)`)

// TestServeSetupLink: a database without users prints a one-time link at
// start that creates the first admin; with a user it prints none.
func TestServeSetupLink(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "-addr", "127.0.0.1:0", "-data", data}, env(nil), strings.NewReader(""), &out, &errOut)
	}()
	var link string
	for deadline := time.Now().Add(10 * time.Second); link == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := setupLink.FindStringSubmatch(out.String()); m != nil {
			link = m[1]
		}
	}
	if link == "" {
		cancel()
		t.Fatalf("no setup link printed:\n%s\n%s", out.String(), errOut.String())
	}
	res, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", link, res.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if strings.Count(out.String(), "/setup?token=") != 1 {
		t.Fatalf("the link is printed more than once:\n%s", out.String())
	}

	newToken(t, data, "boss@example.com", "admin")
	url, stop, stopped := startServe(t, env(nil), "serve", "-addr", "127.0.0.1:0", "-data", data)
	_ = url
	stop()
	<-stopped
}

// selfSigned writes a self-signed certificate for 127.0.0.1 and its key
// into dir.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600)
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// TestServeTLS: -tls-cert and -tls-key serve HTTPS, and the cookies are
// Secure there.
func TestServeTLS(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	certFile, keyFile, pool := selfSigned(t, dir)
	data := filepath.Join(dir, "data")
	newToken(t, data, "tls@example.com", "viewer")
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "-addr", "127.0.0.1:0", "-data", data, "-tls-cert", certFile, "-tls-key", keyFile},
			env(nil), strings.NewReader(""), &out, &errOut)
	}()
	defer func() { cancel(); <-done }()
	re := regexp.MustCompile(`listening on (https://\S+)`)
	var base string
	for deadline := time.Now().Add(10 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
	}
	if base == "" {
		t.Fatalf("no https address printed:\n%s\n%s", out.String(), errOut.String())
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	res, err := client.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.TLS == nil {
		t.Fatalf("GET /login over TLS: %d", res.StatusCode)
	}
	var csrf *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == "_csrf" {
			csrf = c
		}
	}
	if csrf == nil || !csrf.Secure || !csrf.HttpOnly || csrf.SameSite != http.SameSiteStrictMode {
		t.Fatalf("CSRF cookie over TLS %+v: want Secure, HttpOnly, SameSite=Strict", csrf)
	}
	// Sign in over TLS: the session cookie is Secure too.
	m := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		t.Fatal("no CSRF field on the login page")
	}
	form := url.Values{"email": {"tls@example.com"}, "password": {cliPassword}, "_csrf": {string(m[1])}}
	req, _ := http.NewRequest(http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(csrf)
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err = client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	var session *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == "vendorcompare_session" {
			session = c
		}
	}
	if res.StatusCode != http.StatusSeeOther || session == nil || !session.Secure || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode {
		t.Fatalf("login over TLS: %d, session cookie %+v: want Secure, HttpOnly, SameSite=Lax", res.StatusCode, session)
	}
	if _, _, err := runCmd(t, nil, "serve", "-tls-cert", certFile); err == nil {
		t.Fatal("-tls-cert without -tls-key was accepted")
	}
}
