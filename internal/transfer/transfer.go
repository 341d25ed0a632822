// Package transfer is the spreadsheet flow that the web app and the command
// line share: the bid form of a stored evaluation, a vendor's bid (the
// filled XLSX form or a CSV) read into it as a new option or a new round,
// and the evaluation's comparison written for finance (an XLSX workbook of
// live formulas, a CSV of the monthly tables, or the comparison's JSON).
// Each is one load → compute → render over the store's document, the
// engine and internal/sheet, kept here so that neither the handlers nor the
// commands grow their own copy.
package transfer

import (
	"context"
	"fmt"
	"io"
	"time"

	"vendorcompare/internal/report"
	"vendorcompare/internal/sheet"
	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
)

// Store is what transfer needs of internal/store.
type Store interface {
	GetEvaluation(ctx context.Context, id int64) (*store.Evaluation, error)
	Document(ctx context.Context, evalID int64, rounds store.RoundSelection) (*tco.Document, error)
	ListOptions(ctx context.Context, evalID int64) ([]store.Option, error)
	ListRounds(ctx context.Context, optionID int64) ([]store.Round, error)
	ImportBid(ctx context.Context, actor string, evalID int64, opt *tco.Option, round *store.RoundTarget, link store.BidLink) (*store.Option, error)
}

// File is a download ready to send or save: a safe file name, its media
// type and its bytes.
type File struct {
	Name        string
	ContentType string
	Body        []byte
}

// Media types of the files.
const (
	ContentTypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	ContentTypeCSV  = "text/csv; charset=utf-8"
	ContentTypeJSON = "application/json"
)

// BidForm returns evaluation evalID's XLSX bid form, named
// "<evaluation>-bid-form.xlsx", tied to the evaluation and its forecast
// (ImportBid checks both). An evaluation the engine cannot cost yet (no
// second option, say) is its tco.Errors.
func BidForm(ctx context.Context, st Store, evalID int64) (*File, error) {
	e, err := st.GetEvaluation(ctx, evalID)
	if err != nil {
		return nil, err
	}
	doc, err := st.Document(ctx, evalID, nil)
	if err != nil {
		return nil, err
	}
	data, err := sheet.BidForm(doc, origin(e))
	if err != nil {
		return nil, err
	}
	return &File{Name: sheet.SafeFilename(doc.Name) + "-bid-form.xlsx", ContentType: ContentTypeXLSX, Body: data}, nil
}

// origin names a stored evaluation for the bid form's marker.
func origin(e *store.Evaluation) sheet.Origin {
	return sheet.Origin{EvaluationID: e.ID, Name: e.Name, Created: e.CreatedAt}
}

// ImportBid reads a bid of size bytes (-1 when unknown) from r, the filled
// bid form or a CSV in the bid layout, and saves it into evaluation evalID:
// as a new vendor option when round is nil, else as a new round of the
// option round names. Every problem of the file is returned at once as
// sheet.Errors (each at its cell) and nothing is saved; a file that is not
// a spreadsheet is sheet.ErrNotSpreadsheet, a workbook that is not this
// evaluation's form sheet.ErrNotBidForm, a form of another evaluation or
// forecast a *sheet.MismatchError (unless ctx carries the user's
// confirmation, store.Confirmed), one past the limits
// sheet.ErrTooLarge; the store's own refusals are its domain errors (a new
// quote named like one the evaluation has is a store.DuplicateBid unless
// link.New; link also names the vendor of the directory, see
// store.BidLink).
func ImportBid(ctx context.Context, st Store, actor string, evalID int64, r io.Reader, size int64, round *store.RoundTarget, link store.BidLink) (*store.Option, error) {
	e, err := st.GetEvaluation(ctx, evalID)
	if err != nil {
		return nil, err
	}
	doc, err := st.Document(ctx, evalID, nil)
	if err != nil {
		return nil, err
	}
	// For a round the bid is checked as an extra option beside the one it
	// revises; the store then checks the evaluation with it in place.
	opt, err := sheet.ParseBid(r, size, doc, sheet.Check{Origin: origin(e), Confirm: store.IsConfirmed(ctx)})
	if err != nil {
		return nil, err
	}
	return st.ImportBid(ctx, actor, evalID, opt, round, link)
}

// Format is an export format.
type Format string

// The export formats.
const (
	XLSX Format = "xlsx" // the finance workbook: live formulas, a summary with the ranking
	CSV  Format = "csv"  // every option's monthly table by cost category
	JSON Format = "json" // the comparison, as GET /api/v1/evaluations/{id}/comparison answers
)

// ParseFormat reads a format name: xlsx, csv or json (lower case).
func ParseFormat(s string) (Format, error) {
	switch f := Format(s); f {
	case XLSX, CSV, JSON:
		return f, nil
	}
	return "", fmt.Errorf("format %q: must be xlsx, csv or json", s)
}

// ContentType is the format's media type.
func (f Format) ContentType() string {
	switch f {
	case XLSX:
		return ContentTypeXLSX
	case CSV:
		return ContentTypeCSV
	}
	return ContentTypeJSON
}

// CostFunc costs a document; the web app passes one that waits for a free
// comparison slot.
type CostFunc func(ctx context.Context, doc *tco.Document, o tco.CompareOptions) (*tco.Comparison, error)

// Cost is the plain CostFunc: tco.Compare with ctx.
func Cost(ctx context.Context, doc *tco.Document, o tco.CompareOptions) (*tco.Comparison, error) {
	o.Context = ctx
	return tco.Compare(doc, o)
}

// ExportOptions are who exports, when, and the CSV's dialect.
type ExportOptions struct {
	By  string           // the user, named on the workbook's About sheet
	Now func() time.Time // the clock; time.Now when nil
	CSV sheet.CSVOptions
}

// Export costs evaluation evalID with cost (Cost when nil) and writes the
// comparison in format f, named "<evaluation>-comparison.<format>". The
// spreadsheets skip the break-even and sensitivity analysis, which they do
// not show (the workbook keeps the risk of spec §9, on its Risk sheet); the
// JSON has it, byte for byte the API's comparison. The
// workbook's About sheet says when, by whom, which evaluation version and
// which quote round of each option. An evaluation the engine cannot cost
// is its tco.Errors.
func Export(ctx context.Context, st Store, evalID int64, f Format, cost CostFunc, o ExportOptions) (*File, error) {
	if _, err := ParseFormat(string(f)); err != nil {
		return nil, err
	}
	if cost == nil {
		cost = Cost
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	doc, err := st.Document(ctx, evalID, nil)
	if err != nil {
		return nil, err
	}
	c, err := cost(ctx, doc, tco.CompareOptions{SkipAnalysis: f != JSON, WithRisk: f == XLSX})
	if err != nil {
		return nil, fmt.Errorf("cost the evaluation: %w", err)
	}
	var data []byte
	switch f {
	case XLSX:
		var about sheet.About
		if about, err = aboutOf(ctx, st, evalID, o); err == nil {
			data, err = sheet.ExportXLSX(doc, c, about)
		}
	case CSV:
		data, err = sheet.ExportCSV(c, o.CSV)
	default:
		data, err = report.JSON(c)
	}
	if err != nil {
		return nil, err
	}
	return &File{Name: sheet.SafeFilename(doc.Name) + "-comparison." + string(f), ContentType: f.ContentType(), Body: data}, nil
}

// aboutOf gathers the workbook's About sheet: the evaluation's version and
// each option's current quote round ("round 2 of 2, best_and_final,
// received 2027-02-14").
func aboutOf(ctx context.Context, st Store, evalID int64, o ExportOptions) (sheet.About, error) {
	e, err := st.GetEvaluation(ctx, evalID)
	if err != nil {
		return sheet.About{}, err
	}
	opts, err := st.ListOptions(ctx, evalID)
	if err != nil {
		return sheet.About{}, err
	}
	a := sheet.About{ExportedAt: o.Now(), By: o.By, EvaluationID: e.ID, Version: e.Version, Rounds: map[string]string{}}
	for _, opt := range opts {
		rounds, err := st.ListRounds(ctx, opt.ID)
		if err != nil {
			return sheet.About{}, err
		}
		for _, r := range rounds {
			if r.ID != opt.RoundID {
				continue
			}
			s := fmt.Sprintf("round %d of %d, %s", r.Seq, len(rounds), r.Label)
			if r.Received != "" {
				s += ", received " + r.Received
			}
			a.Rounds[opt.Slug] = s
		}
	}
	return a, nil
}
