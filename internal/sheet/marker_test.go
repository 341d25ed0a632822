package sheet

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/tco"
)

// Issue 11, defect 4: a bid form is tied to its evaluation (id and creation
// time, so a copy's form differs) and to the forecast it was priced against;
// a form of another evaluation or forecast is refused with a message naming
// both, unless confirmed. The evaluation's version is not part of the tie.
func TestFormTiedToEvaluation(t *testing.T) {
	t.Parallel()
	e2 := loadDoc(t, "e2.json")
	created := time.Date(2026, 11, 2, 9, 14, 0, 0, time.UTC)
	home := Origin{EvaluationID: 3, Name: e2.Name, Created: created}
	filled := func(t *testing.T, o Origin) []byte {
		data, err := BidForm(e2, o)
		if err != nil {
			t.Fatal(err)
		}
		f := openFormBytes(t, data)
		fillVendorA(t, f)
		return save(t, f)
	}
	data := filled(t, home)
	parse := func(chk Check, d *tco.Document) error {
		_, err := ParseBidForm(bytes.NewReader(data), -1, d, chk)
		return err
	}

	t.Run("OK", func(t *testing.T) {
		if err := parse(Check{Origin: home}, e2); err != nil {
			t.Fatal(err)
		}
		// A score edit moves the evaluation's version, not its forecast.
		edited := *e2
		edited.Options = append(edited.Options[:0:0], e2.Options...)
		edited.Options[0].Scores = map[string]decimal.Decimal{"csat": dec(t, "6"), "security": dec(t, "3")}
		if err := parse(Check{Origin: home}, &edited); err != nil {
			t.Fatalf("after a score edit: %v", err)
		}
	})
	t.Run("ErrCopy", func(t *testing.T) {
		cp := Origin{EvaluationID: 7, Name: e2.Name + " (copy)", Created: created.Add(time.Hour)}
		err := parse(Check{Origin: cp}, e2)
		var me *MismatchError
		if !errors.As(err, &me) || !errors.Is(err, ErrNotBidForm) {
			t.Fatalf("got %v, want a MismatchError", err)
		}
		for _, want := range []string{"belongs to evaluation 3 \"E2", "created 2026-11-02 09:14 UTC", "not to evaluation 7", "(copy)", "confirm"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("message %q lacks %q", err, want)
			}
		}
		if strings.Contains(err.Error(), "forecast") {
			t.Errorf("the forecast is the same, yet: %s", err)
		}
		if err := parse(Check{Origin: cp, Confirm: true}, e2); err != nil {
			t.Fatalf("confirmed: %v", err)
		}
	})
	t.Run("ErrSameIDOtherDatabase", func(t *testing.T) {
		other := Origin{EvaluationID: 3, Name: e2.Name, Created: created.Add(24 * time.Hour)}
		if err := parse(Check{Origin: other}, e2); err == nil || !strings.Contains(err.Error(), "another database") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ErrForecastChanged", func(t *testing.T) {
		// The case of the issue: a form priced for 20,000 contacts a month
		// read into an evaluation of 200,000.
		bigger := *e2
		bigger.Volume.Monthly = dec(t, "200000")
		err := parse(Check{Origin: home}, &bigger)
		var me *MismatchError
		if !errors.As(err, &me) {
			t.Fatalf("got %v, want a MismatchError", err)
		}
		for _, want := range []string{"priced against forecast", "20,000 a month", "200,000 a month", "over 36 months from 2027-01, in USD"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("message %q lacks %q", err, want)
			}
		}
		if strings.Contains(err.Error(), "belongs to") {
			t.Errorf("the evaluation is the same, yet: %s", err)
		}
		if err := parse(Check{Origin: home, Confirm: true}, &bigger); err != nil {
			t.Fatalf("confirmed: %v", err)
		}
	})
	t.Run("ErrUnitChanged", func(t *testing.T) {
		minutes := *e2
		minutes.Volume.Unit = "minute"
		if err := parse(Check{Origin: home}, &minutes); err == nil || !strings.Contains(err.Error(), "minute:") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ErrVersion1", func(t *testing.T) {
		// A form made before the marker named its evaluation: importable
		// once confirmed.
		f := openFormBytes(t, data)
		for i, kv := range [][2]string{{formMarker, "1"}, {"currency", "USD"}, {"horizon_months", "36"}, {"start", "2027-01"}, {"evaluation", e2.Name}, {}, {}, {}, {}} {
			set(t, f, sheetMarker, name(1, 1+i), kv[0])
			set(t, f, sheetMarker, name(2, 1+i), kv[1])
		}
		old := save(t, f)
		_, err := ParseBidForm(bytes.NewReader(old), -1, e2, Check{Origin: home})
		var me *MismatchError
		if !errors.As(err, &me) || !strings.Contains(err.Error(), "earlier version") {
			t.Fatalf("got %v", err)
		}
		if _, err := ParseBidForm(bytes.NewReader(old), -1, e2, Check{Origin: home, Confirm: true}); err != nil {
			t.Fatalf("confirmed: %v", err)
		}
	})
}

func TestForecastOf(t *testing.T) {
	t.Parallel()
	e2 := loadDoc(t, "e2.json")
	a, err := ForecastOf(e2)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Hash) != 64 || a.Summary != "contact: 20,000 a month, 720,000 over 36 months from 2027-01, in USD" {
		t.Errorf("forecast %+v", a)
	}
	d := decodeDoc(t, demoDoc)
	b, err := ForecastOf(d)
	if err != nil {
		t.Fatal(err)
	}
	if b.Hash == a.Hash || !strings.Contains(b.Summary, " to ") {
		t.Errorf("demo forecast %+v", b)
	}
	// Only the forecast's inputs count: the discount rate does not.
	cp := *d
	cp.DiscountRate = dec(t, "0.2")
	if c, _ := ForecastOf(&cp); c.Hash != b.Hash {
		t.Error("the discount rate changed the forecast's hash")
	}
	cp.Volume.Growth = dec(t, "0.05")
	if c, _ := ForecastOf(&cp); c.Hash == b.Hash {
		t.Error("growth did not change the forecast's hash")
	}
}
