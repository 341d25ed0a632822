package ui

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"vendorcompare/internal/report/words"
	"vendorcompare/internal/sheet"
	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
	"vendorcompare/internal/web/edge"
)

// bidsPage is the data of templates/bids.html: the bid form and export
// downloads, and the upload form with every problem of a refused file.
type bidsPage struct {
	ID        int64
	Eval      *store.Evaluation
	Vendors   []store.Option // the options a bid can revise
	Upload    *form
	Targets   []choice // "" for a new option, else an option's id
	Labels    []choice
	Saved     *store.Option // after a successful upload
	Round     bool          // … as a new round
	Linked    string        // … linked to this vendor of the directory
	Directory []choice      // the directory, for the vendor select
	// Duplicate is why a new quote was refused: the evaluation has a quote
	// of its name. The page offers a new round of it or a separate quote,
	// carrying the file (File) so it need not be chosen again.
	Duplicate *store.DuplicateBid
	File      *carriedFile
	Confirm   string // why the upload needs confirming: the form belongs elsewhere
	// Buyer is the capacity whose service level per-FTE bids are staffed
	// to (tco.BuyerStaffing), shown locked; nil without one
	Buyer *tco.Capacity
}

// carriedFile is an uploaded file sent back in the page, base64 in a
// hidden field, for the second submit of a refused duplicate.
type carriedFile struct {
	Name, Data string
}

// maxCarried is the largest file carried in the page: base64 makes it a
// third larger, and the second submit must stay within edge.UploadLimit.
const maxCarried = 3 << 20

// Bids shows the page: GET /evaluations/{id}/bids[?saved=OPTION&round=1].
func (u *Handlers) Bids(c echo.Context) error {
	d, err := u.bidsData(c, nil)
	if err != nil {
		return err
	}
	if saved, err := strconv.ParseInt(c.QueryParam("saved"), 10, 64); err == nil {
		for i := range d.Vendors {
			if d.Vendors[i].ID == saved {
				d.Saved, d.Round = &d.Vendors[i], c.QueryParam("round") == "1"
			}
		}
		if d.Saved != nil && d.Saved.VendorID != nil {
			for _, v := range d.Directory {
				if v.Value == strconv.FormatInt(*d.Saved.VendorID, 10) {
					d.Linked = v.Label
				}
			}
		}
	}
	return u.render(c, http.StatusOK, "bids", view{Title: "Bids and spreadsheets · " + d.Eval.Name, Nav: "evaluations", Data: d})
}

// bidsData loads the page's data around the upload form f (nil: empty).
func (u *Handlers) bidsData(c echo.Context, f *form) (*bidsPage, error) {
	id, err := edge.ID(c, "id")
	if err != nil {
		return nil, err
	}
	ctx := c.Request().Context()
	e, err := u.store.GetEvaluation(ctx, id)
	if err != nil {
		return nil, err
	}
	opts, err := u.store.ListOptions(ctx, id)
	if err != nil {
		return nil, err
	}
	if f == nil {
		f = newForm(url.Values{"label": {store.LabelRevised}})
	}
	d := &bidsPage{ID: id, Eval: e, Upload: f, Labels: roundLabels, Targets: []choice{{"", "A new vendor quote"}}}
	if d.Directory, err = u.vendorChoices(ctx); err != nil {
		return nil, err
	}
	d.Directory[0].Label = "The vendor of the bid's name, if the directory has it"
	if doc, err := u.store.Document(ctx, id, nil); err == nil {
		d.Buyer = tco.BuyerStaffing(doc)
	}
	for _, o := range opts {
		if o.Kind == tco.KindVendor {
			d.Vendors = append(d.Vendors, o)
			d.Targets = append(d.Targets, choice{strconv.FormatInt(o.ID, 10), "A new round of " + o.Name + "'s quote"})
		}
	}
	return d, nil
}

// UploadBid saves an uploaded bid: POST /evaluations/{id}/bids with the
// file and, for a new round, option_id and label; vendor_id links the
// directory's vendor. Any problem shows the page again with every problem
// listed at its cell, and nothing is saved. A new quote named like one the
// evaluation has is refused (409) with two ways on: a new round of that
// quote or a separate quote, the file carried in the page (file_data).
func (u *Handlers) UploadBid(c echo.Context) error {
	id, err := edge.ID(c, "id")
	if err != nil {
		return err
	}
	f := newForm(url.Values{})
	var dup *store.DuplicateBid
	var carried *carriedFile
	var confirmWhy string // a bid form of another evaluation or forecast
	refuseWith := func(status int, msg string) error {
		f.Message = msg
		d, err := u.bidsData(c, f)
		if err != nil {
			return err
		}
		d.Duplicate, d.File, d.Confirm = dup, carried, confirmWhy
		return u.render(c, status, "bids", view{Title: "Bids and spreadsheets · " + d.Eval.Name, Nav: "evaluations", Data: d})
	}
	refuse := func(msg string) error { return refuseWith(http.StatusUnprocessableEntity, msg) }
	fh, err := edge.File(c, "file") // parses the body within the upload limit
	if v, verr := formValues(c); verr == nil {
		f.Values = v
	}
	var data []byte
	var filename string
	switch {
	case errors.Is(err, sheet.ErrTooLarge):
		f.Fail("file", asSentence(err.Error()))
		return refuse("Nothing was saved: the file is too large.")
	case err != nil && f.Get("file_data") != "":
		// the second submit of a refused duplicate: the file comes back
		// from the page
		if data, err = base64.StdEncoding.DecodeString(f.Get("file_data")); err != nil {
			f.Fail("file", "choose the file again")
			return refuse("Nothing was saved: the file could not be read back.")
		}
		filename = f.Get("file_name")
	case f.FromError(err, nil): // no file
		return refuse("Nothing was saved: choose a file to upload.")
	case err != nil:
		return err
	default:
		file, err := fh.Open()
		if err != nil {
			return fmt.Errorf("open upload: %w", err)
		}
		data, err = io.ReadAll(io.LimitReader(file, sheet.MaxUpload+1))
		file.Close()
		if err != nil {
			return fmt.Errorf("read upload: %w", err)
		}
		filename = fh.Filename
	}
	var mismatch *sheet.MismatchError
	// The page's round select always sends a label; it means something only
	// with a quote to add the round to (the API keeps refusing the pair).
	label := f.Get("label")
	if f.Get("option_id") == "" {
		label = ""
	}
	round, err := edge.RoundTarget(f.Get("option_id"), label)
	if f.FromError(err, nil) {
		return refuse("Nothing was saved. Please correct the fields marked below.")
	}
	link, err := edge.BidLink(f.Get("vendor_id"), f.Get("new"), round != nil)
	if f.FromError(err, nil) {
		return refuse("Nothing was saved. Please correct the fields marked below.")
	}
	o, err := u.eval.ImportBid(confirmedCtx(c, f), wsActor(c), id, bytes.NewReader(data), int64(len(data)), round, link)
	var problems sheet.Errors
	switch {
	case errors.As(err, &mismatch):
		// the page keeps the file (as for a duplicate) for the confirmed
		// second submit; the box is unticked for a deliberate choice
		if len(data) <= maxCarried {
			carried = &carriedFile{Name: filename, Data: base64.StdEncoding.EncodeToString(data)}
		}
		f.Values.Del("confirm")
		f.Fail("file", "made for another evaluation or forecast, as said above")
		confirmWhy = asSentence(mismatch.Error())
		return refuse("Nothing was saved: " + confirmWhy)
	case errors.As(err, &dup):
		if len(data) <= maxCarried {
			carried = &carriedFile{Name: filename, Data: base64.StdEncoding.EncodeToString(data)}
		}
		f.Values.Del("file_data")
		return refuseWith(http.StatusConflict, fmt.Sprintf("Nothing was saved: %s already has a quote in this evaluation.", dup.Name))
	case errors.As(err, &problems):
		for _, p := range problems {
			f.Other = append(f.Other, tco.FieldError{Path: p.Where(), Message: p.Message})
		}
		return refuse(fmt.Sprintf("Nothing was saved: %s has %s. Correct them in the file and upload it again.",
			filename, words.Count(len(problems), "problem")))
	case errors.Is(err, sheet.ErrNotSpreadsheet), errors.Is(err, sheet.ErrNotBidForm), errors.Is(err, sheet.ErrTooLarge):
		f.Fail("file", asSentence(err.Error()))
		return refuse("Nothing was saved.")
	case errors.Is(err, store.ErrNotFound) && round != nil:
		f.Fail("option_id", "Choose one of this evaluation's vendor quotes.")
		return refuse("Nothing was saved.")
	case f.FromError(err, func(string) string { return "" }) && confirmOnly(err):
		if len(data) <= maxCarried {
			// the page keeps the file for the confirmed second submit
			carried = &carriedFile{Name: filename, Data: base64.StdEncoding.EncodeToString(data)}
			return refuse(f.Message + " The file is kept: tick the box and save again.")
		}
		return refuse(f.Message + " A browser does not keep the file: choose it again.")
	case f.FromError(err, func(p string) string {
		if p == "vendor_id" {
			return p
		}
		return ""
	}):
		// the store's paths are the document's: name them as the form does
		for i, p := range f.Other {
			f.Other[i] = tco.FieldError{Path: sheet.BidPath(p.Path), Message: sheet.PageWords(p.Message)}
		}
		return refuse(fmt.Sprintf("Nothing was saved: with this bid the evaluation would have %s.", words.Count(len(f.Other)+len(f.Errors), "problem")))
	case err != nil:
		return err
	}
	to := fmt.Sprintf("/evaluations/%d/bids?saved=%d", id, o.ID)
	if round != nil {
		to += "&round=1"
	}
	return c.Redirect(http.StatusSeeOther, to+"#saved")
}
