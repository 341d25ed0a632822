package ui

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"vendorcompare/internal/auth"
	"vendorcompare/internal/store"
	"vendorcompare/internal/web/edge"
)

// tokensPage is the data of templates/tokens.html.
type tokensPage struct {
	Tokens []tokenRow
	Form   *form
	// Lifetimes are the choices of a new token's expiry.
	Lifetimes []choice
	// Secret is a token just created, shown this once.
	Secret string
}

// tokenRow is one token of the list with its state at the time of the
// page: "active", "expired" or "revoked".
type tokenRow struct {
	store.APIToken
	State string
}

// tokenLifetimes are the expiry choices of the tokens page (values read
// by auth.ParseLifetime); defaultLifetime is preselected, so a token
// expires unless its user chooses otherwise.
func tokenLifetimes() []choice {
	return []choice{{"30d", "in 30 days"}, {"90d", "in 90 days"}, {"365d", "in a year"}, {"never", "never"}}
}

const defaultLifetime = "90d"

// ListTokens shows the user's own API tokens and the form for a new one.
func (p *Handlers) ListTokens(c echo.Context) error {
	f := newForm(nil)
	f.Values.Set("expires", defaultLifetime)
	return p.renderTokens(c, http.StatusOK, f, "")
}

func (p *Handlers) renderTokens(c echo.Context, status int, f *form, secret string) error {
	u := edge.User(c)
	list, err := p.accounts.Store().ListAPITokens(c.Request().Context(), u.ID)
	if err != nil {
		return err
	}
	now := time.Now()
	rows := make([]tokenRow, len(list))
	for i, t := range list {
		rows[i] = tokenRow{APIToken: t, State: "active"}
		switch {
		case t.RevokedAt != nil:
			rows[i].State = "revoked"
		case t.Expired(now):
			rows[i].State = "expired"
		}
	}
	return p.render(c, status, "tokens", view{Title: "API tokens", Nav: "tokens",
		Data: tokensPage{Tokens: rows, Form: f, Lifetimes: tokenLifetimes(), Secret: secret}})
}

// CreateToken makes a personal API token, with the expiry chosen, and
// shows its secret once; only its hash is kept.
func (p *Handlers) CreateToken(c echo.Context) error {
	u := edge.User(c)
	f, err := postedForm(c)
	if err != nil {
		return err
	}
	var expires *time.Time
	if d, err := auth.ParseLifetime(f.Get("expires")); err != nil {
		f.Fail("expires", "choose when the token expires")
	} else if d > 0 {
		t := time.Now().Add(d)
		expires = &t
	}
	if !f.HasErrors() {
		secret, hash := auth.NewSecret(auth.APITokenPrefix)
		_, err = p.accounts.Store().CreateAPIToken(c.Request().Context(), u.Email, u.ID, f.Get("name"), hash, TokenHint(secret), expires)
		if err == nil {
			f = newForm(nil)
			f.Values.Set("expires", defaultLifetime)
			return p.renderTokens(c, http.StatusCreated, f, secret)
		}
		if !f.FromError(err, nil) {
			return err
		}
	}
	if f.Message == "" {
		f.Message = "No token was made. Please correct the fields marked below."
	}
	return p.renderTokens(c, http.StatusUnprocessableEntity, f, "")
}

// RevokeToken revokes one of the user's tokens, effective at once.
func (p *Handlers) RevokeToken(c echo.Context) error {
	id, err := edge.ID(c, "id")
	if err != nil {
		return err
	}
	u := edge.User(c)
	if err := p.accounts.Store().RevokeAPIToken(c.Request().Context(), u.Email, u.ID, id); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/tokens")
}

// TokenHint is the start of a secret shown to tell tokens apart: the
// prefix and four random characters, far too few to guess the rest.
func TokenHint(secret string) string {
	n := min(len(secret), len(auth.APITokenPrefix)+4)
	return secret[:n] + "…"
}
