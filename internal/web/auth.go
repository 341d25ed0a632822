package web

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"

	"vendorcompare/internal/auth"
	"vendorcompare/internal/store"
	"vendorcompare/internal/web/edge"
	"vendorcompare/internal/web/ui"
)

// Accounts is what sign-in, roles and API tokens need from storage,
// implemented by *store.Store. Every change it makes is audited with the
// actor given.
type Accounts interface {
	CountUsers(ctx context.Context) (int, error)
	CreateUser(ctx context.Context, actor, email string, role store.Role, passwordHash string) (*store.User, error)
	GetUser(ctx context.Context, id int64) (*store.User, error)
	Credentials(ctx context.Context, email string) (*store.User, string, error)
	ListUsers(ctx context.Context) ([]store.User, error)
	SetUserRole(ctx context.Context, actor string, id int64, role store.Role) (*store.User, error)
	SetUserDisabled(ctx context.Context, actor string, id int64, disabled bool) (*store.User, error)

	// Sessions is scs's store of browser sessions with these timeouts,
	// decided by the store's clock.
	Sessions(idle, lifetime time.Duration) *store.Sessions

	// Passwords: each change ends every session of the user and (unless
	// kept) revokes their API tokens.
	SetPassword(ctx context.Context, actor string, id int64, passwordHash string, keepTokens bool) (*store.PasswordChange, error)
	CreateResetLink(ctx context.Context, actor string, userID int64, hash string, expires time.Time) (*store.User, error)
	CheckResetLink(ctx context.Context, hash string) (*store.User, error)
	ResetPassword(ctx context.Context, hash, passwordHash string) (*store.PasswordChange, error)

	CheckSetupToken(ctx context.Context, hash string) error
	CreateFirstAdmin(ctx context.Context, hash, email, passwordHash string) (*store.User, error)

	CreateAPIToken(ctx context.Context, actor string, userID int64, name, hash, hint string, expires *time.Time) (*store.APIToken, error)
	ListAPITokens(ctx context.Context, userID int64) ([]store.APIToken, error)
	RevokeAPIToken(ctx context.Context, actor string, userID, id int64) error
	UserByAPIToken(ctx context.Context, hash string) (*store.User, error)
}

// Session settings: a session ends after SessionIdleTimeout without a
// request, and SessionLifetime after sign-in whatever happens.
const (
	DefaultSessionIdleTimeout = 30 * time.Minute
	DefaultSessionLifetime    = 12 * time.Hour
	// sessionCookie is the session cookie's name.
	sessionCookie = "vendorcompare_session"
	// sessionUserKey holds the signed-in user's id in the session.
	sessionUserKey = "user_id"
	// sessionGenKey holds the user's session generation at sign-in; the
	// session is dead once the user's has moved on (store.User.SessionGen).
	sessionGenKey = "gen"
)

// accounts is the server's sign-in machinery: the session manager, the
// login rate limit and the accounts store.
type accounts struct {
	store    Accounts
	sessions *scs.SessionManager
	rows     *store.Sessions // sessions' Store
	// closeStore stops the deleting of expired sessions.
	closeStore func()
	limiter    *limiter
	// accountLimit counts sign-in attempts per account (the e-mail as
	// typed, lower-cased) to slow guessing down; argon bounds the argon2id
	// hashes at once; sleep waits out the slow-down (tests replace it).
	accountLimit *limiter
	argon        *argonGate
	sleep        func(ctx context.Context, d time.Duration) error
	// ui renders the account pages and the 403 page.
	ui *ui.Handlers
}

// newAccounts builds the session manager on the store's sessions table:
// cookies HttpOnly, SameSite=Lax (so the redirect back after login carries
// it), Secure when the server runs TLS; tokens stored hashed.
func newAccounts(cfg Config, st Accounts) *accounts {
	sm := scs.New()
	ss := st.Sessions(cfg.SessionIdleTimeout, cfg.SessionLifetime)
	sm.Store = ss
	sm.HashTokenInStore = true // a copy of the database holds no live session
	sm.Codec = sessionCodec{}  // gob's cost a signed-in request (sessioncodec.go)
	sm.IdleTimeout = cfg.SessionIdleTimeout
	sm.Lifetime = cfg.SessionLifetime
	sm.Cookie.Name = sessionCookie
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Path = "/"
	sm.Cookie.Secure = cfg.TLSCertFile != ""
	sm.Cookie.Persist = false // the session ends with the browser, or its timeouts
	return &accounts{store: st, sessions: sm, rows: ss, closeStore: stopOnce(ss.Close),
		limiter:      newLimiter(cfg.LoginFailures, cfg.LoginWindow, time.Now),
		accountLimit: newLimiter(math.MaxInt, cfg.LoginWindow, time.Now),
		argon:        newArgonGate(cfg.PasswordChecks, argonWait),
		sleep:        sleepCtx}
}

// access is who may call a route.
type access int

const (
	accessPublic access = iota // anyone, signed in or not
	accessViewer               // any signed-in user
	accessEditor               // editors and admins
	accessAdmin                // admins
)

// publicRoutes need no account: health probes, static files (and the
// favicon), signing in, the first-admin setup link and password reset
// links.
var publicRoutes = map[string]bool{
	"GET /healthz": true, "HEAD /healthz": true,
	"GET /static/*": true, "HEAD /static/*": true,
	"GET /login": true, "HEAD /login": true, "POST /login": true,
	"GET /setup": true, "HEAD /setup": true, "POST /setup": true,
	"GET /reset-password": true, "HEAD /reset-password": true, "POST /reset-password": true,
	"GET /favicon.ico": true,
}

// viewerWrites are the state-changing routes any signed-in user may call:
// signing out, their own password and API tokens, recording a decision,
// and costing a document or staffing a capacity they send (it stores
// nothing).
var viewerWrites = map[string]bool{
	"POST /logout":                           true,
	"POST /account/password":                 true,
	"POST /tokens":                           true,
	"POST /tokens/:id/revoke":                true,
	"POST /evaluations/:id/decisions":        true,
	"POST /api/v1/evaluations/:id/decisions": true,
	"POST /api/v1/compare":                   true,
	"POST /api/v1/staffing":                  true, // staffs a capacity sent; stores nothing
}

// routeAccess is the one rule of who may call what: public routes; /admin
// for admins; the workspace (editing screens) for editors; reading (GET,
// HEAD) for every signed-in user; the viewer writes above; every other
// change for editors and admins. A new write
// route is therefore closed to viewers unless listed.
func routeAccess(method, path string) access {
	switch {
	case publicRoutes[method+" "+path]:
		return accessPublic
	case path == "/admin" || strings.HasPrefix(path, "/admin/"):
		return accessAdmin
	case strings.HasPrefix(path, "/evaluations/:id/workspace"):
		return accessEditor // the editing screens: nothing there for a viewer
	case method == http.MethodGet || method == http.MethodHead:
		return accessViewer
	case viewerWrites[method+" "+path]:
		return accessViewer
	default:
		return accessEditor
	}
}

// allows reports whether role may call a route of access a.
func allows(role store.Role, a access) bool {
	switch a {
	case accessPublic, accessViewer:
		return role.Valid()
	case accessEditor:
		return role.CanEdit()
	default:
		return role == store.RoleAdmin
	}
}

// isAPI reports whether a path is the JSON API (errors as JSON, 401
// instead of a redirect, bearer tokens accepted).
func isAPI(path string) bool { return path == "/api" || strings.HasPrefix(path, "/api/") }

// usesSession reports whether a request path needs the session: every one
// but static files and the health probe, which then never touch the
// sessions table.
func usesSession(path string) bool {
	return path != "/healthz" && !strings.HasPrefix(path, "/static/")
}

// middleware returns the sign-in middleware, in order: load and save the
// session (scs through echo.WrapMiddleware), render errors while the
// session is still open, then authenticate and authorize.
func (a *accounts) middleware(s *Server) []echo.MiddlewareFunc {
	load := echo.WrapMiddleware(a.sessions.LoadAndSave)
	return []echo.MiddlewareFunc{
		func(next echo.HandlerFunc) echo.HandlerFunc {
			withSession := load(next)
			return func(c echo.Context) error {
				if usesSession(c.Request().URL.Path) {
					return withSession(c)
				}
				return next(c)
			}
		},
		// The handler's error must be written before LoadAndSave returns,
		// so that the session is saved with the response it goes with.
		func(next echo.HandlerFunc) echo.HandlerFunc {
			return func(c echo.Context) error {
				if err := next(c); err != nil {
					c.Error(err)
				}
				return nil
			}
		},
		func(next echo.HandlerFunc) echo.HandlerFunc { return a.guard(s, next) },
	}
}

// guard authenticates the request (an API token on /api, else the session)
// and enforces routeAccess: an anonymous API call is 401, an anonymous page
// is redirected to the login page and back; a role too weak is 403; a
// cookie-authenticated change to the API needs the CSRF token.
func (a *accounts) guard(s *Server, next echo.HandlerFunc) echo.HandlerFunc {
	checkCSRF := csrf()(next)
	return func(c echo.Context) error {
		req := c.Request()
		path := c.Path()
		need, ok := s.access[req.Method+" "+path] // the route table's who
		if !ok {
			return next(c) // no route: echo's 404 or 405
		}
		api := isAPI(path)
		u, err := a.identify(c, api)
		if err != nil {
			return err
		}
		if u != nil {
			edge.SetUser(c, u)
		}
		if need == accessPublic {
			return next(c)
		}
		if u == nil {
			if api {
				c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="vendorcompare"`)
				return echo.NewHTTPError(http.StatusUnauthorized, "sign in, or send a personal API token: Authorization: Bearer …")
			}
			return c.Redirect(http.StatusSeeOther, loginURL(req.URL.RequestURI()))
		}
		if !allows(u.Role, need) {
			return a.forbidden(c, api)
		}
		if api && !edge.ViaToken(c) && !isSafe(req.Method) {
			return checkCSRF(c)
		}
		return next(c)
	}
}

// forbidden answers a request the user's role does not allow: JSON on the
// API, a page elsewhere.
func (a *accounts) forbidden(c echo.Context, api bool) error {
	err := echo.NewHTTPError(http.StatusForbidden, "your role does not allow this; ask an admin")
	if api || a.ui == nil {
		return err
	}
	return a.ui.PageErrors(func(echo.Context) error { return err })(c)
}

// isSafe reports whether a method only reads.
func isSafe(method string) bool {
	return method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions
}

// identify finds the request's user: from an Authorization: Bearer token
// on the API (a bad token is 401 at once, never a fallback to the
// cookie), else from the session. A session whose user is gone or
// disabled is destroyed.
func (a *accounts) identify(c echo.Context, api bool) (*store.User, error) {
	ctx := c.Request().Context()
	if h := c.Request().Header.Get(echo.HeaderAuthorization); api && h != "" {
		scheme, secret, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(secret) == "" {
			return nil, a.badToken(c)
		}
		u, err := a.store.UserByAPIToken(ctx, auth.HashSecret(strings.TrimSpace(secret)))
		if errors.Is(err, store.ErrNotFound) {
			return nil, a.badToken(c)
		}
		if err != nil {
			return nil, err
		}
		edge.SetViaToken(c)
		return u, nil
	}
	if !usesSession(c.Request().URL.Path) {
		return nil, nil
	}
	id := a.sessions.GetInt64(ctx, sessionUserKey)
	if id == 0 {
		return nil, nil
	}
	u, err := a.store.GetUser(ctx, id)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	// A session from before the user's last password change or disabling
	// is dead, even if a request in flight wrote its row back.
	if u == nil || u.Disabled || u.SessionGen != a.sessions.GetInt64(ctx, sessionGenKey) {
		if err := a.sessions.Destroy(ctx); err != nil {
			return nil, err
		}
		return nil, nil
	}
	return u, nil
}

// badToken is the 401 of an unknown, revoked or malformed API token.
func (a *accounts) badToken(c echo.Context) error {
	c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="vendorcompare", error="invalid_token"`)
	return echo.NewHTTPError(http.StatusUnauthorized, "the API token is unknown, revoked or expired")
}

// loginURL is the login page that returns to next afterwards.
func loginURL(next string) string {
	if next == "" || next == "/" {
		return "/login"
	}
	return "/login?next=" + url.QueryEscape(next)
}

// signIn starts a fresh session for u: a new session token (so a token
// planted before login is worthless: session fixation), the user's id and
// session generation in it (as read with the password checked, so a
// password change during the sign-in ends it too), and its owner recorded
// so that disabling u or changing the password ends it.
func (a *accounts) signIn(ctx context.Context, u *store.User) error {
	if err := a.sessions.RenewToken(ctx); err != nil {
		return err
	}
	a.sessions.Put(ctx, sessionUserKey, u.ID)
	a.sessions.Put(ctx, sessionGenKey, u.SessionGen)
	return a.rows.Start(ctx, a.sessions.Token(ctx), u.ID)
}

// The sign-in machinery as the account pages (ui.SignIns) drive it.

func (a *accounts) Store() ui.AccountStore { return a.store }

func (a *accounts) AttemptFrom(ip string) (bool, time.Duration) {
	ok, wait, _ := a.limiter.Attempt(ip)
	return ok, wait
}

func (a *accounts) ForgiveFrom(ip string) { a.limiter.Forgive(ip) }

func (a *accounts) SlowDown(ctx context.Context, account string) error {
	_, _, n := a.accountLimit.Attempt(account)
	return a.sleep(ctx, accountDelay(n))
}

func (a *accounts) ForgiveAccount(account string) { a.accountLimit.Forgive(account) }

func (a *accounts) Hash(ctx context.Context, f func()) error { return a.argon.run(ctx, f) }

func (a *accounts) SignIn(ctx context.Context, u *store.User) error { return a.signIn(ctx, u) }

func (a *accounts) SignOut(ctx context.Context) error { return a.sessions.Destroy(ctx) }
