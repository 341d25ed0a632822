// The spreadsheet flow the web app and the command line share: the bid
// form of a stored evaluation, a vendor's bid (the filled XLSX form or a
// CSV) read into it as a new option or a new round, and the evaluation's
// comparison written for finance (an XLSX workbook of live formulas, a CSV
// of the monthly tables, or the comparison's JSON). Each is one load →
// compute → render over the store's document, the engine and
// internal/sheet.

package evaluation

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"vendorcompare/internal/report"
	"vendorcompare/internal/sheet"
	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
)

// BidStore is a Store that also saves bids (*store.Store does).
type BidStore interface {
	Store
	ImportBid(ctx context.Context, actor string, evalID int64, opt *tco.Option, round *store.RoundTarget, link store.BidLink) (*store.Option, error)
}

// TakesBids reports whether the service's store saves bids (BidStore),
// so that ImportBid can work.
func (s *Service) TakesBids() bool {
	_, ok := s.st.(BidStore)
	return ok
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
	ContentTypeText = "text/plain; charset=utf-8"
)

// BidForm returns evaluation evalID's XLSX bid form, named
// "<evaluation>-bid-form.xlsx", tied to the evaluation and its forecast
// (ImportBid checks both). An evaluation the engine cannot cost yet (no
// second option, say) is its tco.Errors.
func (s *Service) BidForm(ctx context.Context, evalID int64) (*File, error) {
	e, err := s.st.GetEvaluation(ctx, evalID)
	if err != nil {
		return nil, err
	}
	doc, err := s.st.Document(ctx, evalID, nil)
	if err != nil {
		return nil, err
	}
	// The form costs the forecast: in a comparison slot like any costing.
	release, err := s.Slot(ctx)
	if err != nil {
		return nil, err
	}
	data, err := sheet.BidForm(doc, origin(e))
	release()
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
func (s *Service) ImportBid(ctx context.Context, actor string, evalID int64, r io.Reader, size int64, round *store.RoundTarget, link store.BidLink) (*store.Option, error) {
	st, ok := s.st.(BidStore)
	if !ok {
		return nil, errors.New("import a bid: the store does not save bids")
	}
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
	Text Format = "text" // the report as `compare` prints it, and the decision in force
)

// ParseFormat reads a format name: xlsx, csv, json or text (lower case).
func ParseFormat(s string) (Format, error) {
	switch f := Format(s); f {
	case XLSX, CSV, JSON, Text:
		return f, nil
	}
	return "", fmt.Errorf("format %q: must be xlsx, csv, json or text", s)
}

// ContentType is the format's media type.
func (f Format) ContentType() string {
	switch f {
	case XLSX:
		return ContentTypeXLSX
	case CSV:
		return ContentTypeCSV
	case Text:
		return ContentTypeText
	}
	return ContentTypeJSON
}

// ExportOptions are who exports, when, and the CSV's dialect.
type ExportOptions struct {
	By  string           // the user, named on the workbook's About sheet
	Now func() time.Time // the clock; time.Now when nil
	CSV sheet.CSVOptions
}

// Export costs evaluation evalID (in a comparison slot) and writes the
// comparison in format f, named "<evaluation>-comparison.<format>". The
// spreadsheets skip the break-even and sensitivity analysis, which they do
// not show (the workbook keeps the risk of spec §9, on its Risk sheet); the
// JSON has it, byte for byte the API's comparison. The
// workbook's About sheet says when, by whom, which evaluation version and
// which quote round of each option. An evaluation the engine cannot cost
// is its tco.Errors.
func (s *Service) Export(ctx context.Context, evalID int64, f Format, o ExportOptions) (*File, error) {
	if _, err := ParseFormat(string(f)); err != nil {
		return nil, err
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	fp, err := s.fingerprint(ctx, evalID)
	if err != nil {
		return nil, err
	}
	doc, err := s.st.Document(ctx, evalID, nil)
	if err != nil {
		return nil, err
	}
	c, err := s.Compare(ctx, doc, tco.CompareOptions{SkipAnalysis: f != JSON && f != Text})
	if err != nil {
		return nil, fmt.Errorf("cost the evaluation: %w", err)
	}
	if f == XLSX && doc.Risk != nil {
		if c, err = s.withRisk(ctx, evalID, fp, doc, c); err != nil {
			return nil, err
		}
	}
	var data []byte
	switch f {
	case XLSX:
		var about sheet.About
		if about, err = s.about(ctx, evalID, o); err == nil {
			data, err = sheet.ExportXLSX(doc, c, about)
		}
	case CSV:
		data, err = sheet.ExportCSV(c, o.CSV)
	case Text:
		data, err = s.textReport(ctx, evalID, doc, c)
	default:
		data, err = report.JSON(c)
	}
	if err != nil {
		return nil, err
	}
	name := sheet.SafeFilename(doc.Name) + "-comparison." + string(f)
	if f == Text {
		name = sheet.SafeFilename(doc.Name) + "-report.txt"
	}
	return &File{Name: name, ContentType: f.ContentType(), Body: data}, nil
}

// withRisk is comparison c of evaluation evalID's version fp with the
// risk of spec §9 for its Risk sheet: the simulation the dashboard shows,
// made once per evaluation version (Risk), not a second one. Should the
// evaluation change meanwhile (another fingerprint), the document exported
// is simulated on its own, so that the sheet never mixes versions.
func (s *Service) withRisk(ctx context.Context, evalID int64, fp string, doc *tco.Document, c *tco.Comparison) (*tco.Comparison, error) {
	r, err := s.Risk(ctx, evalID)
	if err != nil {
		return nil, fmt.Errorf("simulate the risk: %w", err)
	}
	now, err := s.fingerprint(ctx, evalID)
	if err != nil {
		return nil, err
	}
	if r == nil || fp == "" || now != fp {
		c, err = s.Compare(ctx, doc, tco.CompareOptions{SkipAnalysis: true, WithRisk: true})
		if err != nil {
			return nil, fmt.Errorf("cost the evaluation: %w", err)
		}
		return c, nil
	}
	// c may be shared with the cache: change a copy. No option's risk: too
	// large to cost exactly, as the simulation's warning says.
	out := *c
	if len(r.Options) > 0 {
		out.RiskRuns, out.RiskSeed = r.Runs, r.Seed
		out.Options = slices.Clone(c.Options)
		for i := range out.Options {
			out.Options[i].Risk = r.Options[out.Options[i].ID]
		}
	}
	for _, w := range r.Warnings {
		if !slices.Contains(out.Warnings, w) {
			out.Warnings = append(slices.Clip(out.Warnings), w)
		}
	}
	return &out, nil
}

// textReport is the report `compare` prints for the document, then the
// decision in force: the file a board secretary attaches to the minutes.
func (s *Service) textReport(ctx context.Context, evalID int64, doc *tco.Document, c *tco.Comparison) ([]byte, error) {
	var b bytes.Buffer
	if err := report.Text(&b, doc, c); err != nil {
		return nil, err
	}
	ds, err := s.decisionsOf(ctx, evalID)
	if err != nil {
		return nil, err
	}
	if err := WriteDecision(&b, ds); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// about gathers the workbook's About sheet: the evaluation's version and
// each option's current quote round ("round 2 of 2, best_and_final,
// received 2027-02-14").
func (s *Service) about(ctx context.Context, evalID int64, o ExportOptions) (sheet.About, error) {
	st := s.st
	e, err := st.GetEvaluation(ctx, evalID)
	if err != nil {
		return sheet.About{}, err
	}
	opts, err := st.ListOptions(ctx, evalID)
	if err != nil {
		return sheet.About{}, err
	}
	ds, err := s.decisionsOf(ctx, evalID)
	if err != nil {
		return sheet.About{}, err
	}
	a := sheet.About{ExportedAt: o.Now(), By: o.By, EvaluationID: e.ID, Version: e.Version, Rounds: map[string]string{},
		Decision: &sheet.DecisionNote{Status: DecisionStatus(ds.Current)}}
	if d := ds.Current; d != nil {
		a.Decision.By, a.Decision.At, a.Decision.Rationale, a.Decision.Earlier = d.DecidedBy, DecisionWhen(d), d.Rationale, ds.Earlier
	}
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
