package edge

import (
	"errors"
	"fmt"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"vendorcompare/internal/sheet"
	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
)

// Bid uploads, read the same way by the API (multipart) and the bids page.

// UploadLimit is the largest request body of a bid upload: the file's own
// limit (sheet.MaxUpload) plus room for the multipart framing and the
// other form fields.
const UploadLimit = sheet.MaxUpload + 64<<10

// TooLarge is the 413 of an upload over the limit.
func TooLarge() error {
	return fmt.Errorf("%w: the limit is %s", sheet.ErrTooLarge, Size(sheet.MaxUpload))
}

// Size formats a byte count for messages: 1048576 → "1 MiB".
func Size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	default:
		return fmt.Sprintf("%d bytes", n)
	}
}

// File reads the multipart form (within the route's body limit)
// and returns its file field name: 415 for a body that is not
// multipart/form-data, 413 past the limit, 422 without the file.
func File(c echo.Context, name string) (*multipart.FileHeader, error) {
	req := c.Request()
	mt, _, err := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType))
	if err != nil || mt != echo.MIMEMultipartForm {
		return nil, echo.NewHTTPError(http.StatusUnsupportedMediaType,
			"send the file as multipart/form-data, in the field "+name)
	}
	if err := req.ParseMultipartForm(UploadLimit); err != nil {
		var big *http.MaxBytesError
		if errors.As(err, &big) {
			return nil, TooLarge()
		}
		return nil, echo.NewHTTPError(http.StatusBadRequest, "could not read the upload").WithInternal(err)
	}
	files := req.MultipartForm.File[name]
	if len(files) == 0 {
		return nil, Problem(name, "is required: the filled bid form (.xlsx) or a CSV bid")
	}
	if files[0].Size > sheet.MaxUpload {
		return nil, TooLarge()
	}
	return files[0], nil
}

// BidLink reads the optional vendor_id (the directory's vendor to link)
// and new (1: a separate quote even when one of the same name exists) of
// an upload; new is for a new quote only.
func BidLink(vendorID, isNew string, round bool) (store.BidLink, error) {
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
		return link, &Error{Fields: errs}
	}
	return link, nil
}

// RoundTarget reads the optional option_id and label of an upload: none
// for a new option; an option id (and a label, default revised) for a new
// round of that option.
func RoundTarget(optionID, label string) (*store.RoundTarget, error) {
	optionID, label = strings.TrimSpace(optionID), strings.TrimSpace(label)
	if optionID == "" {
		if label != "" {
			return nil, Problem("label", "is only for a new round: send option_id too")
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
		return nil, &Error{Fields: errs}
	}
	return &store.RoundTarget{OptionID: id, Label: label}, nil
}
