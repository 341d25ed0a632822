package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/store"
)

// Issue 11, defect 4: a bid form from another evaluation (a copy of the
// same one included) or priced against a forecast that has changed since
// is refused with a 422 that names both and says "confirm": true; the same
// upload with ?confirm=1 saves it. A score edit (a new version) does not
// matter.
func TestBidFormTiedToEvaluation(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	id := importE2(t, a)
	base := fmt.Sprintf("/api/v1/evaluations/%d", id)
	form := a.must(http.StatusOK, nil, "GET", base+"/bid-form", nil).body
	bid := fillVendorA(t, form, "Vendor Tied", 4.5, nil)

	type refusal struct {
		Error struct {
			Message string
			Fields  map[string]string
			Confirm bool
		}
	}
	refused := func(t *testing.T, r apiResult, want ...string) {
		t.Helper()
		var body refusal
		if r.status != http.StatusUnprocessableEntity || json.Unmarshal(r.body, &body) != nil || !body.Error.Confirm {
			t.Fatalf("got %d %s, want 422 with confirm", r.status, r.body)
		}
		for _, w := range want {
			if !strings.Contains(body.Error.Message, w) || !strings.Contains(body.Error.Fields["file"], w) {
				t.Errorf("message %q lacks %q", body.Error.Message, w)
			}
		}
	}

	t.Run("ErrCopy", func(t *testing.T) {
		var cp store.Evaluation
		a.must(http.StatusCreated, &cp, "POST", base+"/copy", map[string]any{"name": "E2, what-if"})
		before := a.optionTotal(cp.ID)
		refused(t, a.upload(cp.ID, "tied.xlsx", bid),
			fmt.Sprintf("belongs to evaluation %d \"E2 36-month outsourcing decision\"", id),
			fmt.Sprintf("not to evaluation %d \"E2, what-if\"", cp.ID))
		if n := a.optionTotal(cp.ID); n != before {
			t.Fatalf("%d options after a refused upload, want %d", n, before)
		}
		body, ct := multipartBody(t, "tied.xlsx", bid)
		r := a.call("POST", fmt.Sprintf("/api/v1/evaluations/%d/bids?confirm=1", cp.ID), body, "Content-Type", ct)
		if r.status != http.StatusCreated {
			t.Fatalf("confirmed: %d %s", r.status, r.body)
		}
	})

	t.Run("ScoreEditIsNotAChange", func(t *testing.T) {
		var scores struct{ Items []store.Score }
		a.must(http.StatusOK, &scores, "GET", base+"/scores", nil)
		s := scores.Items[0]
		a.must(http.StatusOK, nil, "PUT", fmt.Sprintf("/api/v1/scores/%d", s.ID), map[string]any{"value": 6, "version": s.Version})
		if r := a.upload(id, "tied.xlsx", bid); r.status != http.StatusCreated {
			t.Fatalf("after a score edit: %d %s", r.status, r.body)
		}
	})

	t.Run("ErrForecastChanged", func(t *testing.T) {
		var e store.Evaluation
		a.must(http.StatusOK, &e, "GET", base, nil)
		e.Volume.Monthly = decimal.RequireFromString("200000")
		a.must(http.StatusOK, nil, "PUT", base, e.Settings, "If-Match", fmt.Sprint(e.Version))
		before := a.optionTotal(id)
		refused(t, a.upload(id, "tied.xlsx", bid), "priced against forecast", "contact: 20,000 a month", "contact: 200,000 a month")
		if n := a.optionTotal(id); n != before {
			t.Fatalf("%d options after a refused upload, want %d", n, before)
		}
	})
}
