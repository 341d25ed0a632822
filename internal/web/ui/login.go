package ui

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"vendorcompare/internal/auth"
	"vendorcompare/internal/store"
	"vendorcompare/internal/web/edge"
)

// loginPage is the data of templates/login.html.
type loginPage struct {
	Form *form
	Next string
	// Error is the one message of a refused sign-in: the same for an
	// unknown address and a wrong password.
	Error string
}

// BadLogin is the message of every refused sign-in, so that it does not
// tell whether the address has an account.
const BadLogin = "Wrong e-mail address or password."

// LoginForm shows the sign-in form; a signed-in user goes straight on.
func (p *Handlers) LoginForm(c echo.Context) error {
	next := edge.LocalPath(c.QueryParam("next"))
	if edge.User(c) != nil {
		return c.Redirect(http.StatusSeeOther, next)
	}
	return p.render(c, http.StatusOK, "login", view{Title: "Sign in", Data: loginPage{Form: newForm(nil), Next: next}})
}

// Login checks an address and password. The attempt is counted against
// the client address before any password is checked, so a burst of
// concurrent attempts cannot all slip under the limit; an address with
// too many recent attempts is refused with 429 and Retry-After. Attempts
// on one account, from anywhere, are slowed down (SignIns.SlowDown) but never
// refused. The argon2id check waits for one of a few slots (argonGate),
// and answers 503 when none comes free. An unknown address costs the same
// delay and argon2id work as a wrong password, so neither message nor
// timing tells them apart.
func (p *Handlers) Login(c echo.Context) error {
	ip := c.RealIP()
	ok, wait := p.accounts.AttemptFrom(ip)
	if !ok {
		return p.tooMany(c, wait)
	}
	f, err := postedForm(c)
	if err != nil {
		return err
	}
	email := f.Get("email")
	pw := f.Values.Get("password")
	next := edge.LocalPath(f.Values.Get("next"))
	ctx := c.Request().Context()
	account := strings.ToLower(strings.TrimSpace(email))
	if err := p.accounts.SlowDown(ctx, account); err != nil {
		return err
	}
	u, hash, err := p.accounts.Store().Credentials(ctx, email)
	switch {
	case errors.Is(err, store.ErrNotFound):
		u = nil // checked against a dummy hash below
	case err != nil:
		return err
	}
	ok = false
	var verifyErr error
	err = p.accounts.Hash(ctx, func() {
		if u == nil || len(pw) > 4*auth.MaxPasswordLen {
			auth.VerifyDummy(pw)
			return
		}
		ok, verifyErr = auth.VerifyPassword(hash, pw)
		ok = ok && !u.Disabled
	})
	if errors.Is(err, edge.ErrPasswordBusy) {
		// Never checked: neither the address nor the account tried.
		p.accounts.ForgiveFrom(ip)
		p.accounts.ForgiveAccount(account)
		f.Values.Del("password")
		c.Response().Header().Set("Retry-After", "1")
		return p.render(c, http.StatusServiceUnavailable, "login", view{Title: "Sign in", Data: loginPage{Form: f, Next: next, Error: busyLogin}})
	}
	if err != nil {
		return err
	}
	if verifyErr != nil {
		return verifyErr
	}
	if !ok {
		f.Values.Del("password")
		return p.render(c, http.StatusUnauthorized, "login", view{Title: "Sign in", Data: loginPage{Form: f, Next: next, Error: BadLogin}})
	}
	p.accounts.ForgiveFrom(ip)
	p.accounts.ForgiveAccount(account)
	if err := p.accounts.SignIn(ctx, u); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, next)
}

// busyLogin is the message of a sign-in that found every password check
// slot busy for too long: nothing was checked, nothing counted.
const busyLogin = "The server is busy signing others in. Please try again in a moment."

// tooMany is the 429 of a client address over its failure budget.
func (p *Handlers) tooMany(c echo.Context, wait time.Duration) error {
	secs := int(wait.Seconds()) + 1
	c.Response().Header().Set("Retry-After", strconv.Itoa(secs))
	msg := "Too many failed sign-ins from your address. Try again in " + strconv.Itoa((secs+59)/60) + " minute(s)."
	return p.render(c, http.StatusTooManyRequests, "login", view{Title: "Sign in",
		Data: loginPage{Form: newForm(nil), Next: edge.LocalPath(c.FormValue("next")), Error: msg}})
}

// Logout ends the session: its row is deleted and the cookie cleared.
func (p *Handlers) Logout(c echo.Context) error {
	if err := p.accounts.SignOut(c.Request().Context()); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/login")
}

// setupPage is the data of templates/setup.html.
type setupPage struct {
	Form  *form
	Token string
}

// SetupForm shows the form of the first admin, for a live setup link.
func (p *Handlers) SetupForm(c echo.Context) error {
	token := c.QueryParam("token")
	if err := p.accounts.Store().CheckSetupToken(c.Request().Context(), auth.HashSecret(token)); err != nil {
		return err
	}
	return p.render(c, http.StatusOK, "setup", view{Title: "Create the first admin", Data: setupPage{Form: newForm(nil), Token: token}})
}

// Setup creates the first admin from a live setup link and signs them in.
// Every try counts as a sign-in attempt of the client address until the
// link proves good; a wrong link stays counted.
func (p *Handlers) Setup(c echo.Context) error {
	ip := c.RealIP()
	ok, wait := p.accounts.AttemptFrom(ip)
	if !ok {
		return p.tooMany(c, wait)
	}
	ctx := c.Request().Context()
	f, err := postedForm(c)
	if err != nil {
		return err
	}
	token := f.Values.Get("token")
	hash := auth.HashSecret(token)
	if err := p.accounts.Store().CheckSetupToken(ctx, hash); err != nil {
		return err // counted: a wrong link is a failed attempt
	}
	p.accounts.ForgiveFrom(ip)
	pw := f.Values.Get("password")
	if err := auth.CheckPassword(pw); err != nil {
		f.Fail("password", err.Error())
	} else if pw != f.Values.Get("confirm") {
		f.Fail("confirm", "does not match the password")
	}
	var u *store.User
	if !f.HasErrors() {
		// Hashing is argon2id too: it waits for a slot like a sign-in.
		var pwHash string
		if err := p.accounts.Hash(ctx, func() { pwHash = auth.HashPassword(pw) }); err != nil {
			return argonBusy(c, err)
		}
		var err error
		u, err = p.accounts.Store().CreateFirstAdmin(ctx, hash, f.Get("email"), pwHash)
		if err != nil && !f.FromError(err, nil) {
			return err
		}
	}
	if f.HasErrors() {
		f.Values.Del("password")
		f.Values.Del("confirm")
		if f.Message == "" {
			f.Message = "Please correct the fields marked below."
		}
		return p.render(c, http.StatusUnprocessableEntity, "setup", view{Title: "Create the first admin", Data: setupPage{Form: f, Token: token}})
	}
	if err := p.accounts.SignIn(ctx, u); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/")
}

// argonBusy turns an argon2id slot that never came free into 503 with
// Retry-After; other errors (the request ended) pass unchanged.
func argonBusy(c echo.Context, err error) error {
	if !errors.Is(err, edge.ErrPasswordBusy) {
		return err
	}
	c.Response().Header().Set("Retry-After", "1")
	return echo.NewHTTPError(http.StatusServiceUnavailable, busyLogin).WithInternal(err)
}
