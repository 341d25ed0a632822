package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"vendorcompare/internal/auth"
	"vendorcompare/internal/store"
)

// tokensPage is the data of templates/tokens.html.
type tokensPage struct {
	Tokens []store.APIToken
	Form   *form
	// Secret is a token just created, shown this once.
	Secret string
}

// listTokens shows the user's own API tokens and the form for a new one.
func (p *accountPages) listTokens(c echo.Context) error {
	return p.renderTokens(c, http.StatusOK, newForm(nil), "")
}

func (p *accountPages) renderTokens(c echo.Context, status int, f *form, secret string) error {
	u := currentUser(c)
	list, err := p.a.store.ListAPITokens(c.Request().Context(), u.ID)
	if err != nil {
		return err
	}
	return p.ui.render(c, status, "tokens", view{Title: "API tokens", Nav: "tokens",
		Data: tokensPage{Tokens: list, Form: f, Secret: secret}})
}

// createToken makes a personal API token and shows its secret once; only
// its hash is kept.
func (p *accountPages) createToken(c echo.Context) error {
	u := currentUser(c)
	f, err := postedForm(c)
	if err != nil {
		return err
	}
	secret, hash := auth.NewSecret(auth.APITokenPrefix)
	_, err = p.a.store.CreateAPIToken(c.Request().Context(), u.Email, u.ID, f.Get("name"), hash, tokenHint(secret))
	if err != nil {
		if f.FromError(err, nil) {
			return p.renderTokens(c, http.StatusUnprocessableEntity, f, "")
		}
		return err
	}
	return p.renderTokens(c, http.StatusCreated, newForm(nil), secret)
}

// revokeToken revokes one of the user's tokens, effective at once.
func (p *accountPages) revokeToken(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	u := currentUser(c)
	if err := p.a.store.RevokeAPIToken(c.Request().Context(), u.Email, u.ID, id); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/tokens")
}

// tokenHint is the start of a secret shown to tell tokens apart: the
// prefix and four random characters, far too few to guess the rest.
func tokenHint(secret string) string {
	n := min(len(secret), len(auth.APITokenPrefix)+4)
	return secret[:n] + "…"
}
