package ui

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"vendorcompare/internal/auth"
	"vendorcompare/internal/web/edge"
)

// resetLinkLifetime is how long an admin's password reset link works.
const resetLinkLifetime = 24 * time.Hour

// passwordPage is the data of templates/password.html.
type passwordPage struct {
	Form   *form
	Notice string
}

// PasswordForm shows the form that changes the user's own password.
func (p *Handlers) PasswordForm(c echo.Context) error {
	return p.renderPassword(c, http.StatusOK, newForm(nil), passwordNotice(c.QueryParam("done"), c.QueryParam("tokens")))
}

func (p *Handlers) renderPassword(c echo.Context, status int, f *form, notice string) error {
	return p.render(c, status, "password", view{Title: "Change your password", Nav: "password",
		Data: passwordPage{Form: f, Notice: notice}})
}

// passwordNotice is what the page says after a change (done=changed) or a
// reset by link (done=reset), with the number of tokens revoked.
func passwordNotice(done, tokens string) string {
	var msg string
	switch done {
	case "changed":
		msg = "Your password was changed. Every other session of yours has ended"
	case "reset":
		msg = "Your new password is set and you are signed in. Every other session of yours has ended"
	default:
		return ""
	}
	switch n, _ := strconv.Atoi(tokens); n {
	case 0:
		return msg + "."
	case 1:
		return msg + ", and your API token was revoked."
	default:
		return msg + ", and your " + strconv.Itoa(n) + " API tokens were revoked."
	}
}

// ChangePassword replaces the user's own password after checking the
// current one. Each try counts as a sign-in attempt of the client address
// before the check (a right one is forgiven), and argon2id waits for a
// slot like a sign-in (argonGate).
// Every session of the user ends, this one included, and their API tokens
// are revoked; this browser is then signed in again on a new session.
func (p *Handlers) ChangePassword(c echo.Context) error {
	ctx := c.Request().Context()
	u := edge.User(c)
	ip := c.RealIP()
	if ok, wait := p.accounts.AttemptFrom(ip); !ok {
		secs := int(wait.Seconds()) + 1
		c.Response().Header().Set("Retry-After", strconv.Itoa(secs))
		f := newForm(nil)
		f.Message = "Too many wrong passwords from your address. Try again in " + strconv.Itoa((secs+59)/60) + " minute(s)."
		f.Fail("current", "not checked")
		return p.renderPassword(c, http.StatusTooManyRequests, f, "")
	}
	f, err := postedForm(c)
	if err != nil {
		return err
	}
	current, pw := f.Values.Get("current"), f.Values.Get("password")
	if err := auth.CheckPassword(pw); err != nil {
		f.Fail("password", err.Error())
	} else if pw != f.Values.Get("confirm") {
		f.Fail("confirm", "does not match the new password")
	} else if pw == current {
		f.Fail("password", "must differ from the current password")
	}
	if current == "" {
		f.Fail("current", "required")
	} else {
		_, hash, err := p.accounts.Store().Credentials(ctx, u.Email)
		if err != nil {
			return err
		}
		ok := false
		var verifyErr error
		if len(current) <= 4*auth.MaxPasswordLen {
			err = p.accounts.Hash(ctx, func() { ok, verifyErr = auth.VerifyPassword(hash, current) })
			if errors.Is(err, edge.ErrPasswordBusy) {
				p.accounts.ForgiveFrom(ip) // never checked
				return busy(c, err)
			}
			if err != nil {
				return err
			}
			if verifyErr != nil {
				return verifyErr
			}
		}
		if ok {
			p.accounts.ForgiveFrom(ip)
		} else {
			f.Fail("current", "is not your current password")
		}
	}
	if f.HasErrors() {
		for _, k := range []string{"current", "password", "confirm"} {
			f.Values.Del(k)
		}
		f.Message = "Your password was not changed. Please correct the fields marked below."
		return p.renderPassword(c, http.StatusUnprocessableEntity, f, "")
	}
	pwHash, err := p.hash(c, pw)
	if err != nil {
		return err
	}
	pc, err := p.accounts.Store().SetPassword(ctx, u.Email, u.ID, pwHash, false)
	if err != nil {
		return err
	}
	if err := p.accounts.SignIn(ctx, &pc.User); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/account/password?done=changed&tokens="+strconv.Itoa(pc.TokensRevoked))
}

// ResetLink makes a one-time password reset link for a user and shows it
// to the admin this once (only its hash is kept); a newer link replaces
// it. The user's sessions and tokens end when the link is used.
func (p *Handlers) ResetLink(c echo.Context) error {
	id, err := edge.ID(c, "id")
	if err != nil {
		return err
	}
	if _, err := formValues(c); err != nil {
		return err
	}
	secret, hash := auth.NewSecret(auth.ResetTokenPrefix)
	expires := time.Now().Add(resetLinkLifetime)
	u, err := p.accounts.Store().CreateResetLink(c.Request().Context(), edge.User(c).Email, id, hash, expires)
	if err != nil {
		return err
	}
	link := &resetLinkShown{Email: u.Email, Expires: expires.UTC(),
		URL: c.Scheme() + "://" + c.Request().Host + "/reset-password?token=" + url.QueryEscape(secret)}
	f := newForm(nil)
	f.Values.Set("role", "viewer")
	return p.renderUsersLink(c, http.StatusCreated, f, "", link)
}

// resetLinkShown is a reset link just made, shown once on the users page.
type resetLinkShown struct {
	Email   string
	URL     string
	Expires time.Time
}

// resetPage is the data of templates/reset.html.
type resetPage struct {
	Form  *form
	Token string
	Email string
}

// ResetForm shows the new-password form of a live reset link.
func (p *Handlers) ResetForm(c echo.Context) error {
	token := c.QueryParam("token")
	u, err := p.accounts.Store().CheckResetLink(c.Request().Context(), auth.HashSecret(token))
	if err != nil {
		return err
	}
	return p.render(c, http.StatusOK, "reset", view{Title: "Choose a new password",
		Data: resetPage{Form: newForm(nil), Token: token, Email: u.Email}})
}

// ResetPassword spends a reset link: the new password replaces the old,
// every session of the user ends and their API tokens are revoked, and
// this browser is signed in as them. Every try counts as a sign-in
// attempt of the client address until the link proves good; a wrong link
// stays counted.
func (p *Handlers) ResetPassword(c echo.Context) error {
	ip := c.RealIP()
	if ok, wait := p.accounts.AttemptFrom(ip); !ok {
		return p.tooMany(c, wait)
	}
	ctx := c.Request().Context()
	f, err := postedForm(c)
	if err != nil {
		return err
	}
	token := f.Values.Get("token")
	hash := auth.HashSecret(token)
	u, err := p.accounts.Store().CheckResetLink(ctx, hash)
	if err != nil {
		return err // counted: a wrong link is a failed attempt
	}
	p.accounts.ForgiveFrom(ip)
	pw := f.Values.Get("password")
	if err := auth.CheckPassword(pw); err != nil {
		f.Fail("password", err.Error())
	} else if pw != f.Values.Get("confirm") {
		f.Fail("confirm", "does not match the password")
	}
	if f.HasErrors() {
		f.Values.Del("password")
		f.Values.Del("confirm")
		f.Message = "Your password was not changed. Please correct the fields marked below."
		return p.render(c, http.StatusUnprocessableEntity, "reset", view{Title: "Choose a new password",
			Data: resetPage{Form: f, Token: token, Email: u.Email}})
	}
	pwHash, err := p.hash(c, pw)
	if err != nil {
		return err
	}
	pc, err := p.accounts.Store().ResetPassword(ctx, hash, pwHash)
	if err != nil {
		return err // used or expired meanwhile: ErrNotFound
	}
	if err := p.accounts.SignIn(ctx, &pc.User); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/account/password?done=reset&tokens="+strconv.Itoa(pc.TokensRevoked))
}

// hash computes a new password's argon2id hash once a slot is free, like
// a sign-in's check; 503 with Retry-After when none comes free in time.
func (p *Handlers) hash(c echo.Context, pw string) (string, error) {
	var h string
	err := p.accounts.Hash(c.Request().Context(), func() { h = auth.HashPassword(pw) })
	if errors.Is(err, edge.ErrPasswordBusy) {
		return "", busy(c, err)
	}
	return h, err
}

// busy is the 503 of a password check that found no argon2id slot free.
func busy(c echo.Context, err error) error {
	c.Response().Header().Set("Retry-After", "1")
	return echo.NewHTTPError(http.StatusServiceUnavailable, busyLogin).WithInternal(err)
}
