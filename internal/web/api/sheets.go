package api

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"vendorcompare/internal/evaluation"
	"vendorcompare/internal/sheet"
	"vendorcompare/internal/tco"
	"vendorcompare/internal/web/edge"
)

// Spreadsheets in and out (internal/evaluation): the bid form of an
// evaluation, a filled form or CSV bid uploaded as a new vendor quote or a
// new round of one, and the comparison exported for finance.

// BidForm answers GET /evaluations/{id}/bid-form: the XLSX bid form to
// send to vendors, as a download.
func (h *Handlers) BidForm(c echo.Context) error {
	id, err := edge.ID(c, "id")
	if err != nil {
		return err
	}
	f, err := h.Eval.BidForm(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return sendFile(c, f)
}

// ImportBid answers POST /evaluations/{id}/bids: a multipart upload of the
// filled bid form or a CSV bid in the field file, saved as a new vendor
// option (201 with the option), or with option_id and label as a new round
// of that option. Every problem of the file is a 422 naming its cell, and
// nothing is saved. A bid form of another evaluation or forecast is a 422
// with "confirm": true unless the request says ?confirm=1.
func (h *Handlers) ImportBid(c echo.Context) error {
	id, err := edge.ID(c, "id")
	if err != nil {
		return err
	}
	fh, err := edge.File(c, "file")
	if err != nil {
		return err
	}
	v := url.Values(c.Request().MultipartForm.Value) // parsed by edge.File
	round, err := edge.RoundTarget(v.Get("option_id"), v.Get("label"))
	if err != nil {
		return err
	}
	link, err := edge.BidLink(v.Get("vendor_id"), v.Get("new"), round != nil)
	if err != nil {
		return err
	}
	file, err := fh.Open()
	if err != nil {
		return fmt.Errorf("open upload: %w", err)
	}
	defer file.Close()
	o, err := h.Eval.ImportBid(c.Request().Context(), edge.Actor(c), id, file, fh.Size, round, link)
	if err != nil {
		return err
	}
	return created(c, location("options", o.ID), o)
}

// Export answers GET /evaluations/{id}/export?format=xlsx|csv|json|text:
// the comparison as the finance workbook (the default), the monthly tables
// as CSV, the comparison's JSON, or the text report with the decision in
// force, as a download. The CSV is RFC 4180 unless
// ?sep=semicolon (';' and a decimal comma, for Excel in European locales)
// or ?bom=1 (a UTF-8 byte-order mark) say otherwise.
func (h *Handlers) Export(c echo.Context) error {
	id, err := edge.ID(c, "id")
	if err != nil {
		return err
	}
	q := strings.ToLower(c.QueryParam("format"))
	if q == "" {
		q = string(evaluation.XLSX)
	}
	var errs tco.Errors
	format, err := evaluation.ParseFormat(q)
	if err != nil {
		errs = append(errs, tco.FieldError{Path: "format", Message: "must be xlsx, csv, json or text"})
	}
	csvOpts, cerrs := csvOptions(c.QueryParam("sep"), c.QueryParam("bom"))
	if errs = append(errs, cerrs...); len(errs) > 0 {
		return &edge.Error{Fields: errs}
	}
	f, err := h.Eval.Export(c.Request().Context(), id, format,
		evaluation.ExportOptions{By: edge.Actor(c), Now: h.Now, CSV: csvOpts})
	if err != nil {
		return err
	}
	return sendFile(c, f)
}

// csvOptions reads the CSV dialect of an export: sep comma (the default)
// or semicolon, bom 0 (the default) or 1.
func csvOptions(sep, bom string) (sheet.CSVOptions, tco.Errors) {
	var o sheet.CSVOptions
	var errs tco.Errors
	switch strings.ToLower(sep) {
	case "", "comma":
	case "semicolon":
		o.Semicolon = true
	default:
		errs = append(errs, tco.FieldError{Path: "sep", Message: "must be comma or semicolon"})
	}
	switch bom {
	case "", "0":
	case "1":
		o.BOM = true
	default:
		errs = append(errs, tco.FieldError{Path: "bom", Message: "must be 1 (a UTF-8 byte-order mark) or 0"})
	}
	return o, errs
}

// sendFile sends a download: its media type, an attachment with its (safe)
// file name, never stored by a cache.
func sendFile(c echo.Context, f *evaluation.File) error {
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf("attachment; filename=%q", f.Name))
	h.Set(echo.HeaderCacheControl, "no-store")
	h.Set(echo.HeaderContentLength, strconv.Itoa(len(f.Body)))
	return c.Blob(http.StatusOK, f.ContentType, f.Body)
}
