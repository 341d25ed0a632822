package sheet

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"vendorcompare/internal/report/words"
	"vendorcompare/internal/tco"
)

// Origin names the stored evaluation a bid form is made for. The id alone
// does not tell a copy's form from another database's evaluation with the
// same id; the id with the creation time does (a copy has a new id and a new
// time). The zero Origin is an evaluation outside any store.
type Origin struct {
	EvaluationID int64
	Name         string
	Created      time.Time
}

// key is how the marker writes the origin: stable, UTC, to the nanosecond.
func (o Origin) created() string {
	if o.Created.IsZero() {
		return ""
	}
	return o.Created.UTC().Format(time.RFC3339Nano)
}

// describe names the evaluation in a message: evaluation 3 "Name" (created …).
func (o Origin) describe(id, name, created string) string {
	s := "evaluation " + id
	if name != "" {
		s += " " + strconv.Quote(name)
	}
	if t, err := time.Parse(time.RFC3339Nano, created); err == nil {
		s += ", created " + t.UTC().Format("2006-01-02 15:04 UTC")
	}
	return s
}

// Forecast identifies the demand a bid was priced against: a hash of the
// evaluation's currency, start, horizon, demand unit and every month's
// demand, and the same in words. The evaluation's version is left out on
// purpose: it moves with every score edit, which changes no price.
type Forecast struct {
	Hash    string // 64 hex digits
	Summary string // "contact: 20,000 a month, 720,000 over 36 months from 2027-01, in USD"
}

// Short is the hash's first 8 digits, enough to tell forecasts apart in a
// message.
func (f Forecast) Short() string {
	if len(f.Hash) < 8 {
		return f.Hash
	}
	return f.Hash[:8]
}

// ForecastOf returns the forecast of evaluation d (its start, currency and
// horizon must be valid).
func ForecastOf(d *tco.Document) (Forecast, error) {
	vol, err := tco.Demand(d)
	if err != nil {
		return Forecast{}, fmt.Errorf("forecast: %w", err)
	}
	h := sha256.New()
	fmt.Fprintf(h, "vendorcompare forecast 1\n%s\n%s\n%d\n%s\n", d.Currency, d.Start, d.HorizonMonths, d.Volume.Unit)
	total := decimal.Zero
	lo, hi := decimal.Zero, decimal.Zero
	for i, v := range vol {
		fmt.Fprintf(h, "%s\n", v.String())
		total = total.Add(v)
		if i == 0 || v.LessThan(lo) {
			lo = v
		}
		if i == 0 || v.GreaterThan(hi) {
			hi = v
		}
	}
	per := words.Group(lo.Round(2).String())
	if !lo.Round(2).Equal(hi.Round(2)) {
		per += " to " + words.Group(hi.Round(2).String())
	}
	return Forecast{
		Hash: hex.EncodeToString(h.Sum(nil)),
		Summary: fmt.Sprintf("%s: %s a month, %s over %d months from %s, in %s",
			d.Volume.Unit, per, words.Group(total.Round(2).String()), d.HorizonMonths, d.Start, d.Currency),
	}, nil
}

// Staffing identifies the service level a bid form's per-FTE answers are
// staffed to (tco.BuyerStaffing): a hash of the target, seconds, open
// hours, interval and profile, and the same in words. The zero Staffing is
// an evaluation without a service level.
type Staffing struct {
	Hash    string
	Summary string
}

// StaffingOf returns the buyer's service level of evaluation d.
func StaffingOf(d *tco.Document) Staffing {
	c := tco.BuyerStaffing(d)
	if c == nil {
		return Staffing{Summary: "no service level (heads by average workload)"}
	}
	h := sha256.New()
	fmt.Fprintf(h, "vendorcompare staffing 1\n%s\n%s\n%s\n%d\n", c.ServiceLevel.Target, c.ServiceLevel.Seconds, c.OpenHours, c.IntervalMinutes)
	for _, w := range c.Profile {
		fmt.Fprintf(h, "%s\n", w)
	}
	return Staffing{Hash: hex.EncodeToString(h.Sum(nil)), Summary: c.ServiceLevelWords()}
}

// Check is what ParseBid checks a bid form's marker against: the stored
// evaluation it is read into. Confirm accepts a form made for another
// evaluation (a copy included) or priced against another forecast; without
// it such a form is a *MismatchError.
type Check struct {
	Origin  Origin
	Confirm bool
}

// MismatchError is a bid form made for another evaluation, or priced
// against a forecast that has changed since, read without Check.Confirm.
// Its message says which evaluation and forecast the form belongs to and
// which ones it was uploaded into; it matches ErrNotBidForm.
type MismatchError struct {
	Msg string
}

func (e *MismatchError) Error() string { return e.Msg }

// Is makes a mismatch an ErrNotBidForm for callers that do not offer to
// confirm.
func (e *MismatchError) Is(target error) bool { return target == ErrNotBidForm }

// Marker rows of the very hidden sheet: key in column A, value in B.
// Version 1 forms had rows 1 to 5 only.
// Rows 10 and 11 (the service level) came with issue 15: a version 2 form
// without them was made before, and its service level is not checked.
var markerKeys = []string{formMarker, "currency", "horizon_months", "start", "evaluation", "evaluation_id", "evaluation_created", "forecast", "forecast_summary", "staffing", "staffing_summary"}

// writeMarker writes the hidden marker import checks.
func writeMarker(w *xw, d *tco.Document, o Origin, fc Forecast) {
	sf := StaffingOf(d)
	vals := []string{FormVersion, d.Currency, fmt.Sprint(d.HorizonMonths), d.Start, d.Name,
		strconv.FormatInt(o.EvaluationID, 10), o.created(), fc.Hash, fc.Summary, sf.Hash, sf.Summary}
	for i, k := range markerKeys {
		w.str(sheetMarker, 1, 1+i, k)
		w.str(sheetMarker, 2, 1+i, vals[i])
	}
}

// errNoMarker is a workbook that is not one of our bid forms.
var errNoMarker = fmt.Errorf("%w: the workbook has no bid form marker; download the bid form and fill it in", ErrNotBidForm)

// checkMarker checks the hidden marker: our form, a version this
// application reads, made for the evaluation chk names and priced against
// d's forecast. A form of another evaluation or forecast is a
// *MismatchError unless chk.Confirm.
func checkMarker(f *excelize.File, d *tco.Document, chk Check) error {
	g, err := readGrid(f, sheetMarker)
	if err != nil {
		if errors.Is(err, ErrTooLarge) {
			return err
		}
		return errNoMarker
	}
	c := func(row int) string { return cell(g, row, 2) }
	if cell(g, 1, 1) != formMarker {
		return errNoMarker
	}
	fc, err := ForecastOf(d)
	if err != nil {
		return err
	}
	here := chk.Origin.describe(strconv.FormatInt(chk.Origin.EvaluationID, 10), chk.Origin.Name, chk.Origin.created())
	if chk.Origin.EvaluationID == 0 {
		here = "this evaluation"
	}
	var msg string
	switch v := c(1); v {
	case "1":
		// Forms made before they named their evaluation: say what is known.
		msg = fmt.Sprintf("this bid form was made by an earlier version of the application and does not say which evaluation or forecast it belongs to (only that the evaluation was in %s from %s over %s months); %s now has forecast %s (%s)",
			c(2), c(4), c(3), here, fc.Short(), fc.Summary)
	case FormVersion:
		var parts []string
		id, created := c(6), c(7)
		if id != strconv.FormatInt(chk.Origin.EvaluationID, 10) || created != chk.Origin.created() {
			what := chk.Origin.describe(id, c(5), created)
			if id == strconv.FormatInt(chk.Origin.EvaluationID, 10) {
				what += " (of another database, or one since deleted)"
			}
			parts = append(parts, fmt.Sprintf("this bid form belongs to %s, not to %s into which it was uploaded (a copy of an evaluation has its own forms)", what, here))
		}
		if c(8) != fc.Hash {
			short := c(8)
			if len(short) > 8 {
				short = short[:8]
			}
			parts = append(parts, fmt.Sprintf("it was priced against forecast %s (%s), and %s's forecast is %s (%s)",
				short, c(9), here, fc.Short(), fc.Summary))
		}
		// the buyer's values govern: per-FTE answers are staffed to the
		// evaluation's service level as it is now, which the vendor may
		// not have priced for
		if cell(g, 10, 1) == markerKeys[9] {
			if sf := StaffingOf(d); c(10) != sf.Hash {
				parts = append(parts, fmt.Sprintf("it was priced against service level %s, and %s's is %s; its per-FTE figures will be staffed to the latter",
					c(11), here, sf.Summary))
			}
		}
		msg = strings.Join(parts, "; ")
	default:
		return fmt.Errorf("%w: form version %q, this version of the application reads version %s; download a fresh bid form", ErrNotBidForm, v, FormVersion)
	}
	if msg == "" || chk.Confirm {
		return nil
	}
	return &MismatchError{Msg: msg + ". Ask the vendor to fill in a fresh bid form, or confirm to import this one anyway."}
}
