package web

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"vendorcompare/internal/sheet"
	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
	"vendorcompare/internal/transfer"
)

// Spreadsheets in and out (internal/transfer): the bid form of an
// evaluation, a filled form or CSV bid uploaded as a new vendor quote or a
// new round of one, and the comparison exported for finance.

// The routes that take a spreadsheet upload. They have their own body
// limit (uploadLimit): the server-wide one (Config.BodyLimit) skips them.
const (
	bidsAPIPath  = "/api/v1/evaluations/:id/bids"
	bidsPagePath = "/evaluations/:id/bids"
)

// uploadLimit is the largest request body of a bid upload: the file's own
// limit (sheet.MaxUpload) plus room for the multipart framing and the
// other form fields.
const uploadLimit = sheet.MaxUpload + 64<<10

// ownBodyLimit reports whether the request's route is an upload with its
// own body limit. It is the Skipper of the server-wide BodyLimit
// middleware, which runs after routing, so c.Path() is the route's pattern.
func ownBodyLimit(c echo.Context) bool {
	switch c.Path() {
	case bidsAPIPath, bidsPagePath:
		return true
	}
	return false
}

// uploadBodyLimit is the body limit of the upload routes (ownBodyLimit),
// server-wide middleware right after BodyLimit so that it holds before
// anything reads the form, the CSRF check of the sign-in guard included: a
// declared length over uploadLimit is refused at once, and a longer body
// than declared stops being read at the limit. Other routes pass.
func uploadBodyLimit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !ownBodyLimit(c) {
			return next(c)
		}
		req := c.Request()
		if req.ContentLength > uploadLimit {
			return uploadTooLarge()
		}
		req.Body = http.MaxBytesReader(c.Response(), req.Body, uploadLimit)
		return next(c)
	}
}

// uploadTooLarge is the 413 of an upload over the limit.
func uploadTooLarge() error {
	return fmt.Errorf("%w: the limit is %s", sheet.ErrTooLarge, size(sheet.MaxUpload))
}

// sheetAPI holds the spreadsheet handlers of the API.
type sheetAPI struct {
	s   *Server
	st  transfer.Store
	now func() time.Time // the clock of the exports' About sheet
}

// bidForm answers GET /evaluations/{id}/bid-form: the XLSX bid form to
// send to vendors, as a download.
func (a *sheetAPI) bidForm(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	f, err := transfer.BidForm(c.Request().Context(), a.st, id)
	if err != nil {
		return err
	}
	return sendFile(c, f)
}

// importBid answers POST /evaluations/{id}/bids: a multipart upload of the
// filled bid form or a CSV bid in the field file, saved as a new vendor
// option (201 with the option), or with option_id and label as a new round
// of that option. Every problem of the file is a 422 naming its cell, and
// nothing is saved. A bid form of another evaluation or forecast is a 422
// with "confirm": true unless the request says ?confirm=1.
func (a *sheetAPI) importBid(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	fh, err := uploadedFile(c, "file")
	if err != nil {
		return err
	}
	v, err := formValues(c)
	if err != nil {
		return err
	}
	round, err := roundTarget(v.Get("option_id"), v.Get("label"))
	if err != nil {
		return err
	}
	link, err := bidLink(v.Get("vendor_id"), v.Get("new"), round != nil)
	if err != nil {
		return err
	}
	file, err := fh.Open()
	if err != nil {
		return fmt.Errorf("open upload: %w", err)
	}
	defer file.Close()
	o, err := transfer.ImportBid(c.Request().Context(), a.st, actor(c), id, file, fh.Size, round, link)
	if err != nil {
		return err
	}
	return created(c, location("options", o.ID), o)
}

// export answers GET /evaluations/{id}/export?format=xlsx|csv|json: the
// comparison as the finance workbook (the default), the monthly tables as
// CSV, or the comparison's JSON, as a download. The CSV is RFC 4180 unless
// ?sep=semicolon (';' and a decimal comma, for Excel in European locales)
// or ?bom=1 (a UTF-8 byte-order mark) say otherwise.
func (a *sheetAPI) export(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	q := strings.ToLower(c.QueryParam("format"))
	if q == "" {
		q = string(transfer.XLSX)
	}
	var errs tco.Errors
	format, err := transfer.ParseFormat(q)
	if err != nil {
		errs = append(errs, tco.FieldError{Path: "format", Message: "must be xlsx, csv or json"})
	}
	csvOpts, cerrs := csvOptions(c.QueryParam("sep"), c.QueryParam("bom"))
	if errs = append(errs, cerrs...); len(errs) > 0 {
		return &requestError{Fields: errs}
	}
	f, err := transfer.Export(c.Request().Context(), a.st, id, format, a.s.cost,
		transfer.ExportOptions{By: actor(c), Now: a.now, CSV: csvOpts})
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

// cost is tco.Compare once a comparison slot is free
// (Config.MaxComparisons); waiting ends with the request's context.
func (s *Server) cost(ctx context.Context, doc *tco.Document, o tco.CompareOptions) (*tco.Comparison, error) {
	select {
	case s.slots <- struct{}{}:
		defer func() { <-s.slots }()
	case <-ctx.Done():
		return nil, fmt.Errorf("wait for a comparison slot: %w", ctx.Err())
	}
	return transfer.Cost(ctx, doc, o)
}

// sendFile sends a download: its media type, an attachment with its (safe)
// file name, never stored by a cache.
func sendFile(c echo.Context, f *transfer.File) error {
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf("attachment; filename=%q", f.Name))
	h.Set(echo.HeaderCacheControl, "no-store")
	h.Set(echo.HeaderContentLength, strconv.Itoa(len(f.Body)))
	return c.Blob(http.StatusOK, f.ContentType, f.Body)
}

// uploadedFile reads the multipart form (within the route's body limit)
// and returns its file field name: 415 for a body that is not
// multipart/form-data, 413 past the limit, 422 without the file.
func uploadedFile(c echo.Context, name string) (*multipart.FileHeader, error) {
	req := c.Request()
	mt, _, err := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType))
	if err != nil || mt != echo.MIMEMultipartForm {
		return nil, echo.NewHTTPError(http.StatusUnsupportedMediaType,
			"send the file as multipart/form-data, in the field "+name)
	}
	if err := req.ParseMultipartForm(uploadLimit); err != nil {
		var big *http.MaxBytesError
		if errors.As(err, &big) {
			return nil, uploadTooLarge()
		}
		return nil, echo.NewHTTPError(http.StatusBadRequest, "could not read the upload").WithInternal(err)
	}
	files := req.MultipartForm.File[name]
	if len(files) == 0 {
		return nil, problem(name, "is required: the filled bid form (.xlsx) or a CSV bid")
	}
	if files[0].Size > sheet.MaxUpload {
		return nil, uploadTooLarge()
	}
	return files[0], nil
}

// bidLink reads the optional vendor_id (the directory's vendor to link)
// and new (1: a separate quote even when one of the same name exists) of
// an upload; new is for a new quote only.
func bidLink(vendorID, isNew string, round bool) (store.BidLink, error) {
	var link store.BidLink
	var errs tco.Errors
	if v := strings.TrimSpace(vendorID); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			errs = append(errs, tco.FieldError{Path: "vendor_id", Message: "must be the id of a vendor in the directory"})
		}
		link.VendorID = &id
	}
	switch strings.TrimSpace(isNew) {
	case "", "0", "false":
	case "1", "true":
		link.New = true
		if round {
			errs = append(errs, tco.FieldError{Path: "new", Message: "is for a new quote: leave out option_id, or new"})
		}
	default:
		errs = append(errs, tco.FieldError{Path: "new", Message: "must be 1 (a separate quote) or left out"})
	}
	if len(errs) > 0 {
		return link, &requestError{Fields: errs}
	}
	return link, nil
}

// roundTarget reads the optional option_id and label of an upload: none
// for a new option; an option id (and a label, default revised) for a new
// round of that option.
func roundTarget(optionID, label string) (*store.RoundTarget, error) {
	optionID, label = strings.TrimSpace(optionID), strings.TrimSpace(label)
	if optionID == "" {
		if label != "" {
			return nil, problem("label", "is only for a new round: send option_id too")
		}
		return nil, nil
	}
	var errs tco.Errors
	id, err := strconv.ParseInt(optionID, 10, 64)
	if err != nil || id <= 0 {
		errs = append(errs, tco.FieldError{Path: "option_id", Message: "must be the id of an option of this evaluation"})
	}
	switch label {
	case "":
		label = store.LabelRevised
	case store.LabelInitial, store.LabelRevised, store.LabelBestAndFinal:
	default:
		errs = append(errs, tco.FieldError{Path: "label", Message: "must be initial, revised or best_and_final"})
	}
	if len(errs) > 0 {
		return nil, &requestError{Fields: errs}
	}
	return &store.RoundTarget{OptionID: id, Label: label}, nil
}
