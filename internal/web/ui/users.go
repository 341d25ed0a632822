package ui

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"vendorcompare/internal/auth"
	"vendorcompare/internal/store"
	"vendorcompare/internal/web/edge"
)

// usersPage is the data of templates/users.html.
type usersPage struct {
	Users  []store.User
	Form   *form
	Roles  []choice
	Notice string
	// ResetLink is a password reset link just made, shown this once.
	ResetLink *resetLinkShown
}

// roleChoices are the roles of a select, most powerful first.
func roleChoices() []choice {
	return []choice{{"viewer", "Viewer: reads, records decisions"}, {"editor", "Editor: edits evaluations, vendors, quotes"}, {"admin", "Admin: everything, users too"}}
}

// ListUsers shows every user with their role and state, and the form of a
// new user.
func (p *Handlers) ListUsers(c echo.Context) error {
	f := newForm(nil)
	f.Values.Set("role", "viewer")
	return p.renderUsers(c, http.StatusOK, f, c.QueryParam("done"))
}

func (p *Handlers) renderUsers(c echo.Context, status int, f *form, notice string) error {
	return p.renderUsersLink(c, status, f, notice, nil)
}

func (p *Handlers) renderUsersLink(c echo.Context, status int, f *form, notice string, link *resetLinkShown) error {
	list, err := p.accounts.Store().ListUsers(c.Request().Context())
	if err != nil {
		return err
	}
	switch notice {
	case "created", "updated":
		notice = "The user was " + notice + "."
	default:
		notice = ""
	}
	return p.render(c, status, "users", view{Title: "Users", Nav: "users",
		Data: usersPage{Users: list, Form: f, Roles: roleChoices(), Notice: notice, ResetLink: link}})
}

// CreateUser adds a user with a first password the admin passes on.
func (p *Handlers) CreateUser(c echo.Context) error {
	f, err := postedForm(c)
	if err != nil {
		return err
	}
	pw := f.Values.Get("password")
	if err := auth.CheckPassword(pw); err != nil {
		f.Fail("password", err.Error())
		// the address and role too, so one answer names every problem
		f.FromError(store.CheckUser(f.Get("email"), store.Role(f.Get("role"))), nil)
	}
	if !f.HasErrors() {
		_, err := p.accounts.Store().CreateUser(c.Request().Context(), edge.User(c).Email, f.Get("email"), store.Role(f.Get("role")), auth.HashPassword(pw))
		switch {
		case store.ErrorCode(err) == store.CodeConflict:
			f.Fail("email", "a user with this e-mail address exists")
		case err != nil && !f.FromError(err, nil):
			return err
		}
	}
	if f.HasErrors() {
		f.Values.Del("password")
		if f.Message == "" {
			f.Message = "Nobody was added. Please correct the fields marked below."
		}
		return p.renderUsers(c, http.StatusUnprocessableEntity, f, "")
	}
	return c.Redirect(http.StatusSeeOther, "/admin/users?done=created")
}

// SetRole changes a user's role; it applies from their next request.
func (p *Handlers) SetRole(c echo.Context) error {
	id, err := edge.ID(c, "id")
	if err != nil {
		return err
	}
	v, err := formValues(c)
	if err != nil {
		return err
	}
	if _, err := p.accounts.Store().SetUserRole(c.Request().Context(), edge.User(c).Email, id, store.Role(v.Get("role"))); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/users?done=updated")
}

// DisableUser disables a user and ends all their sessions.
func (p *Handlers) DisableUser(c echo.Context) error { return p.setDisabled(c, true) }

// EnableUser lets a disabled user sign in again.
func (p *Handlers) EnableUser(c echo.Context) error { return p.setDisabled(c, false) }

func (p *Handlers) setDisabled(c echo.Context, disabled bool) error {
	id, err := edge.ID(c, "id")
	if err != nil {
		return err
	}
	if _, err := p.accounts.Store().SetUserDisabled(c.Request().Context(), edge.User(c).Email, id, disabled); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/users?done=updated")
}
