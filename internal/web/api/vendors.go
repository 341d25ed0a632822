package api

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"vendorcompare/internal/store"
	"vendorcompare/internal/web/edge"
)

// VendorRequest is the body of POST /vendors and PUT /vendors/{id}: an
// entry of the vendor directory shared by all evaluations.
type VendorRequest struct {
	Name           string   `json:"name" validate:"required,max=200"`
	Contact        string   `json:"contact" validate:"max=200"`
	Email          string   `json:"email" validate:"omitempty,max=254,email"`
	Certifications []string `json:"certifications" validate:"max=50,dive,required,max=100"`
	Notes          string   `json:"notes" validate:"max=10000"`
	Version        int64    `json:"version" validate:"omitempty,min=1"`
}

func (r *VendorRequest) input() store.VendorInput {
	certs := r.Certifications
	if certs == nil {
		certs = []string{}
	}
	return store.VendorInput{Name: r.Name, Contact: r.Contact, Email: r.Email, Certifications: certs, Notes: r.Notes}
}

// ListVendors answers GET /vendors: a page of the directory by name, ?q=
// searching names.
func (h *Handlers) ListVendors(c echo.Context) error {
	p, err := listQuery(c)
	if err != nil {
		return err
	}
	page, err := h.Store.ListVendors(c.Request().Context(), p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newPage(c, page.Items, page.Total, p))
}

// CreateVendor answers POST /vendors (a name already listed is 409).
func (h *Handlers) CreateVendor(c echo.Context) error {
	var req VendorRequest
	if err := bind(c, &req); err != nil {
		return err
	}
	v, err := h.Store.CreateVendor(c.Request().Context(), edge.Actor(c), req.input())
	if err != nil {
		return err
	}
	return created(c, location("vendors", v.ID), v)
}

// GetVendor answers GET /vendors/{id}.
func (h *Handlers) GetVendor(c echo.Context) error {
	return readOne(c, h.Store.GetVendor)
}

// UpdateVendor answers PUT /vendors/{id}.
func (h *Handlers) UpdateVendor(c echo.Context) error {
	var req VendorRequest
	return replaceOne(c, &req, func() int64 { return req.Version }, func(ctx context.Context, actor string, id, version int64) (any, error) {
		return h.Store.UpdateVendor(ctx, actor, id, version, req.input())
	})
}

// DeleteVendor answers DELETE /vendors/{id}; one still linked to an option
// is 409.
func (h *Handlers) DeleteVendor(c echo.Context) error {
	return removeOne(c, h.Store.DeleteVendor)
}
