package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"vendorcompare/internal/auth"
	"vendorcompare/internal/store"
)

// loginPage is the data of templates/login.html.
type loginPage struct {
	Form *form
	Next string
	// Error is the one message of a refused sign-in: the same for an
	// unknown address and a wrong password.
	Error string
}

// badLogin is the message of every refused sign-in, so that it does not
// tell whether the address has an account.
const badLogin = "Wrong e-mail address or password."

// loginForm shows the sign-in form; a signed-in user goes straight on.
func (p *accountPages) loginForm(c echo.Context) error {
	next := localPath(c.QueryParam("next"))
	if currentUser(c) != nil {
		return c.Redirect(http.StatusSeeOther, next)
	}
	return p.ui.render(c, http.StatusOK, "login", view{Title: "Sign in", Data: loginPage{Form: newForm(nil), Next: next}})
}

// login checks an address and password. A client address with too many
// recent failures is refused with 429 and Retry-After before any password
// is checked; an unknown address costs the same argon2id work as a wrong
// password, so neither message nor timing tells them apart.
func (p *accountPages) login(c echo.Context) error {
	ip := c.RealIP()
	if blocked, wait := p.a.limiter.Blocked(ip); blocked {
		return p.tooMany(c, wait)
	}
	f, err := postedForm(c)
	if err != nil {
		return err
	}
	email := f.Get("email")
	pw := f.Values.Get("password")
	next := localPath(c.FormValue("next"))
	u, hash, err := p.a.store.Credentials(c.Request().Context(), email)
	ok := false
	switch {
	case errors.Is(err, store.ErrNotFound) || (err == nil && len(pw) > 4*auth.MaxPasswordLen):
		auth.VerifyDummy(pw)
	case err != nil:
		return err
	default:
		ok, err = auth.VerifyPassword(hash, pw)
		if err != nil {
			return err
		}
		ok = ok && !u.Disabled
	}
	if !ok {
		p.a.limiter.Fail(ip)
		f.Values.Del("password")
		return p.ui.render(c, http.StatusUnauthorized, "login", view{Title: "Sign in", Data: loginPage{Form: f, Next: next, Error: badLogin}})
	}
	if err := p.a.signIn(c.Request().Context(), u); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, next)
}

// tooMany is the 429 of a client address over its failure budget.
func (p *accountPages) tooMany(c echo.Context, wait time.Duration) error {
	secs := int(wait.Seconds()) + 1
	c.Response().Header().Set("Retry-After", strconv.Itoa(secs))
	msg := "Too many failed sign-ins from your address. Try again in " + strconv.Itoa((secs+59)/60) + " minute(s)."
	return p.ui.render(c, http.StatusTooManyRequests, "login", view{Title: "Sign in",
		Data: loginPage{Form: newForm(nil), Next: localPath(c.FormValue("next")), Error: msg}})
}

// logout ends the session: its row is deleted and the cookie cleared.
func (p *accountPages) logout(c echo.Context) error {
	if err := p.a.sessions.Destroy(c.Request().Context()); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/login")
}

// setupPage is the data of templates/setup.html.
type setupPage struct {
	Form  *form
	Token string
}

// setupForm shows the form of the first admin, for a live setup link.
func (p *accountPages) setupForm(c echo.Context) error {
	token := c.QueryParam("token")
	if err := p.a.store.CheckSetupToken(c.Request().Context(), auth.HashSecret(token)); err != nil {
		return err
	}
	return p.ui.render(c, http.StatusOK, "setup", view{Title: "Create the first admin", Data: setupPage{Form: newForm(nil), Token: token}})
}

// setup creates the first admin from a live setup link and signs them in.
// Wrong links count as failed sign-ins of the client address.
func (p *accountPages) setup(c echo.Context) error {
	ip := c.RealIP()
	if blocked, wait := p.a.limiter.Blocked(ip); blocked {
		return p.tooMany(c, wait)
	}
	ctx := c.Request().Context()
	f, err := postedForm(c)
	if err != nil {
		return err
	}
	token := f.Values.Get("token")
	hash := auth.HashSecret(token)
	if err := p.a.store.CheckSetupToken(ctx, hash); err != nil {
		p.a.limiter.Fail(ip)
		return err
	}
	pw := f.Values.Get("password")
	if err := auth.CheckPassword(pw); err != nil {
		f.Fail("password", err.Error())
	} else if pw != f.Values.Get("confirm") {
		f.Fail("confirm", "does not match the password")
	}
	var u *store.User
	if !f.HasErrors() {
		var err error
		u, err = p.a.store.CreateFirstAdmin(ctx, hash, f.Get("email"), auth.HashPassword(pw))
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
		return p.ui.render(c, http.StatusUnprocessableEntity, "setup", view{Title: "Create the first admin", Data: setupPage{Form: f, Token: token}})
	}
	if err := p.a.signIn(ctx, u); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/")
}
