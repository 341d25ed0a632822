package web

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"vendorcompare/internal/store"
)

// vendorRequest is the body of POST /vendors and PUT /vendors/{id}: an
// entry of the vendor directory shared by all evaluations.
type vendorRequest struct {
	Name           string   `json:"name" validate:"required,max=200"`
	Contact        string   `json:"contact" validate:"max=200"`
	Email          string   `json:"email" validate:"omitempty,max=254,email"`
	Certifications []string `json:"certifications" validate:"max=50,dive,required,max=100"`
	Notes          string   `json:"notes" validate:"max=10000"`
	Version        int64    `json:"version" validate:"omitempty,min=1"`
}

func (r *vendorRequest) input() store.VendorInput {
	certs := r.Certifications
	if certs == nil {
		certs = []string{}
	}
	return store.VendorInput{Name: r.Name, Contact: r.Contact, Email: r.Email, Certifications: certs, Notes: r.Notes}
}

// listVendors answers GET /vendors: a page of the directory by name, ?q=
// searching names.
func (s *Server) listVendors(c echo.Context) error {
	p, err := listQuery(c)
	if err != nil {
		return err
	}
	page, err := s.deps.Store.ListVendors(c.Request().Context(), p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newPage(c, page.Items, page.Total, p))
}

// createVendor answers POST /vendors (a name already listed is 409).
func (s *Server) createVendor(c echo.Context) error {
	var req vendorRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	v, err := s.deps.Store.CreateVendor(c.Request().Context(), actor(c), req.input())
	if err != nil {
		return err
	}
	return created(c, location("vendors", v.ID), v)
}

// getVendor answers GET /vendors/{id}.
func (s *Server) getVendor(c echo.Context) error {
	return readOne(c, s.deps.Store.GetVendor)
}

// updateVendor answers PUT /vendors/{id}.
func (s *Server) updateVendor(c echo.Context) error {
	var req vendorRequest
	return replaceOne(c, &req, func() int64 { return req.Version }, func(ctx context.Context, actor string, id, version int64) (any, error) {
		return s.deps.Store.UpdateVendor(ctx, actor, id, version, req.input())
	})
}

// deleteVendor answers DELETE /vendors/{id}; one still linked to an option
// is 409.
func (s *Server) deleteVendor(c echo.Context) error {
	return removeOne(c, s.deps.Store.DeleteVendor)
}
