package web

import (
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
)

// Defaults of the sign-in settings of Config.
const (
	DefaultLoginFailures = 5
	DefaultLoginWindow   = 15 * time.Minute
)

// accountRoutes turns on accounts: the session and guard middleware on
// every route (auth.go) and the pages of signing in and out, the setup
// link, API tokens, user management, the audit trail and decisions. It
// panics when the Store keeps no accounts, since the server would
// otherwise serve stored evaluations to anyone.
func (s *Server) accountRoutes() {
	st := s.deps.Accounts
	if st == nil {
		var ok bool
		if st, ok = s.deps.Store.(Accounts); !ok {
			panic("web: a server with a Store needs Deps.Accounts")
		}
	}
	a := newAccounts(s.cfg, st)
	u, err := newUI(s, s.deps.Store)
	if err != nil {
		panic(fmt.Sprintf("web: %v", err))
	}
	a.ui = u
	s.accounts = a
	s.echo.Use(a.middleware(s)...)

	p := &accountPages{a: a, ui: u}
	mw := []echo.MiddlewareFunc{csrf(), u.pageErrors}
	get := func(path string, h echo.HandlerFunc) {
		s.echo.Match([]string{http.MethodGet, http.MethodHead}, path, h, mw...)
	}
	post := func(path string, h echo.HandlerFunc) { s.echo.POST(path, h, mw...) }

	get("/login", p.loginForm)
	post("/login", p.login)
	post("/logout", p.logout)
	get("/setup", p.setupForm)
	post("/setup", p.setup)
	get("/reset-password", p.resetForm)
	post("/reset-password", p.resetPassword)
	get("/account/password", p.passwordForm)
	post("/account/password", p.changePassword)

	get("/tokens", p.listTokens)
	post("/tokens", p.createToken)
	post("/tokens/:id/revoke", p.revokeToken)

	get("/admin/users", p.listUsers)
	post("/admin/users", p.createUser)
	post("/admin/users/:id/role", p.setRole)
	post("/admin/users/:id/disable", p.disableUser)
	post("/admin/users/:id/enable", p.enableUser)
	post("/admin/users/:id/reset-link", p.resetLink)

	get("/audit", p.audit)
	get("/evaluations/:id/audit", p.evaluationAudit)
	get("/evaluations/:id/decisions", p.decisions)
	post("/evaluations/:id/decisions", p.recordDecision)
}

// accountPages are the handlers of the account pages.
type accountPages struct {
	a  *accounts
	ui *ui
}

// stopOnce makes a func safe to call more than once.
func stopOnce(f func()) func() {
	var once sync.Once
	return func() { once.Do(f) }
}
