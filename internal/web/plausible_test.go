package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"vendorcompare/internal/store"
)

// TestAPIConfirm: every kind of stored write with an implausible value is
// 422 with "confirm": true, the finding at its document path saying what
// was found, and nothing written; the same request with ?confirm=1 saves.
func TestAPIConfirm(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	opts := a.demoOptions()
	inHouse := opts["in-house"]
	var ev store.Evaluation
	a.must(http.StatusOK, &ev, "GET", "/api/v1/evaluations/1", nil)
	settings := map[string]any{"name": ev.Name, "currency": ev.Currency, "start": ev.Start, "horizon_months": 300,
		"discount_rate": ev.DiscountRate, "baseline": ev.Baseline, "volume": ev.Volume, "price": ev.Price, "version": ev.Version}
	e2, err := os.ReadFile("../tco/testdata/e2.json")
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.Replace(string(e2), `"monthly": 20000`, `"monthly": 20000, "growth": 3`, 1)
	if doc == string(e2) {
		t.Fatal("e2.json changed: no monthly volume to edit")
	}
	quote := vendorQuote("vendor-d", 0, map[string]any{"price": 4.5})
	quote["quote"].(map[string]any)["pricing"].(map[string]any)["escalation"] = 0.3 // 300% would make 25 years (SettingsHorizon) too large to cost exactly
	usd := vendorQuote("vendor-e", 0, map[string]any{"price": 4.5})
	usd["quote"].(map[string]any)["pricing"].(map[string]any)["currency"] = "USD"
	usd["quote"].(map[string]any)["pricing"].(map[string]any)["fx_rate"] = 1

	// The subtests run in order on one evaluation: each adds an option or
	// a line, so the paths name where each lands (Vendor D, option 5, is
	// alone in its unit with Vendor A, whose round at 480 makes both
	// outliers of each other).
	tests := []struct {
		name, method, path string
		body               any
		field, says        string
		want               int
	}{
		{"OptionEscalation", "POST", "/api/v1/evaluations/1/options", quote,
			"options[5].pricing.escalation", "an escalation of 30% a year for the price is more than 25%", http.StatusCreated},
		{"OptionFXRateOne", "POST", "/api/v1/evaluations/1/options", usd,
			"options[6].pricing.fx_rate", "an exchange rate of exactly 1 between USD and EUR", http.StatusCreated},
		{"SettingsHorizon", "PUT", "/api/v1/evaluations/1", settings,
			"horizon_months", "a horizon of 300 months (25 years) is longer than 240 months", http.StatusOK},
		{"LineEscalation", "POST", fmt.Sprintf("/api/v1/options/%d/lines", inHouse.ID),
			map[string]any{"name": "Rent", "category": "operations", "basis": "fixed", "amount": 1000, "escalation": -0.2},
			"options[0].lines[11].escalation", "a fall of more than 10% a year", http.StatusCreated},
		{"RoundPrice", "POST", fmt.Sprintf("/api/v1/options/%d/rounds", opts["vendor-a"].ID),
			map[string]any{"label": "revised", "quote": map[string]any{"pricing": map[string]any{
				"tiers": []any{map[string]any{"price": 480}}, "escalation": 0.025}, "lines": []any{}}},
			"options[1].pricing.tiers[0].price", "a price of 480 EUR per contact is 106.7× the median of the other quotes priced the same way (4.5 EUR)", http.StatusCreated},
		{"ImportGrowth", "POST", "/api/v1/evaluations/import", doc,
			"volume.growth", "demand growth of 300% a year is more than 100%", http.StatusCreated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := a.auditTotal()
			r := callWant(t, a, http.StatusUnprocessableEntity, tt.method, tt.path, tt.body)
			var b struct {
				Error struct {
					Message string            `json:"message"`
					Fields  map[string]string `json:"fields"`
					Confirm bool              `json:"confirm"`
				} `json:"error"`
			}
			if err := json.Unmarshal(r.body, &b); err != nil {
				t.Fatal(err)
			}
			if !b.Error.Confirm || !strings.Contains(b.Error.Fields[tt.field], tt.says) {
				t.Fatalf("body %s, want confirm and %s: …%s…", r.body, tt.field, tt.says)
			}
			if !strings.Contains(b.Error.Message, " implausible; nothing was saved") {
				t.Errorf("message %q", b.Error.Message)
			}
			if n := a.auditTotal(); n != before {
				t.Errorf("a refused write wrote %d audit rows", n-before)
			}
			sep := "?"
			if strings.Contains(tt.path, "?") {
				sep = "&"
			}
			callWant(t, a, tt.want, tt.method, tt.path+sep+"confirm=1", tt.body)
			if n := a.auditTotal(); n == before {
				t.Error("the confirmed write wrote no audit row")
			}
		})
	}

	// A new snapshot of an earlier round (not the current quote) is checked
	// as a request choosing that round would cost it.
	t.Run("EarlierRound", func(t *testing.T) {
		var rs listPage[store.Round]
		a.must(http.StatusOK, &rs, "GET", fmt.Sprintf("/api/v1/options/%d/rounds", opts["vendor-a"].ID), nil)
		first := rs.Items[0]
		body := map[string]any{"label": first.Label, "version": first.Version, "quote": map[string]any{"pricing": map[string]any{
			"tiers": []any{map[string]any{"price": 5.2}}, "escalation": 0.5}, "lines": []any{}}}
		path := fmt.Sprintf("/api/v1/rounds/%d", first.ID)
		r := callWant(t, a, http.StatusUnprocessableEntity, "PUT", path, body)
		if e := errorOf(t, r); !e.Confirm || !strings.Contains(e.Fields["options[1].pricing.escalation"], "an escalation of 50% a year") {
			t.Fatalf("body %s", r.body)
		}
		callWant(t, a, http.StatusOK, "PUT", path+"?confirm=1", body)
	})

	t.Run("ErrConfirmValue", func(t *testing.T) {
		r := callWant(t, a, http.StatusUnprocessableEntity, "POST", "/api/v1/evaluations/1/options?confirm=yes", quote)
		if e := errorOf(t, r); e.Fields["confirm"] == "" || e.Confirm {
			t.Errorf("body %s", r.body)
		}
	})

	// A write elsewhere does not ask again about a value already saved:
	// Vendor D's 300% stays, and a line of the in-house option saves.
	t.Run("UntouchedFindingsStay", func(t *testing.T) {
		callWant(t, a, http.StatusCreated, "POST", fmt.Sprintf("/api/v1/options/%d/lines", inHouse.ID),
			map[string]any{"name": "Training", "category": "personnel", "basis": "fixed", "amount": 500})
	})
}

// TestAPIFXRateRequired (issue 11 defect 3): a quote in another currency
// whose rate is left out is refused at its path, through options, rounds
// and import alike, and ?confirm=1 does not lift it: a rate is never
// guessed (it used to be saved and costed at 1:1).
func TestAPIFXRateRequired(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	opts := a.demoOptions()
	noRate := map[string]any{"currency": "USD", "tiers": []any{map[string]any{"price": 4.5}}}
	e2, err := os.ReadFile("../tco/testdata/e2.json")
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.Replace(string(e2), `"currency": "USD", "fx_rate": 1,`, `"currency": "EUR",`, 1)
	if doc == string(e2) {
		t.Fatal("e2.json changed: no quote rate to drop")
	}
	tests := []struct {
		name, path string
		body       any
		field      string
	}{
		{"Option", "/api/v1/evaluations/1/options",
			map[string]any{"slug": "vendor-e", "name": "Vendor E", "quote": map[string]any{"pricing": noRate}},
			"options[5].pricing.fx_rate"},
		{"Round", fmt.Sprintf("/api/v1/options/%d/rounds", opts["vendor-a"].ID),
			map[string]any{"label": "revised", "quote": map[string]any{"pricing": noRate, "lines": []any{}}},
			"options[1].pricing.fx_rate"},
		{"Import", "/api/v1/evaluations/import", doc, "options[1].pricing.fx_rate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, q := range []string{"", "?confirm=1"} {
				before := a.auditTotal()
				r := callWant(t, a, http.StatusUnprocessableEntity, "POST", tt.path+q, tt.body)
				e := errorOf(t, r)
				if !strings.Contains(e.Fields[tt.field], "is required when the quote's currency") || e.Confirm {
					t.Errorf("%s: body %s", q, r.body)
				}
				if a.auditTotal() != before {
					t.Errorf("%s: a refused write was saved", q)
				}
			}
		})
	}
}

// TestAPICompareWarnsImplausible: /compare never blocks on an implausible
// value; it lists the same finding in warnings.
func TestAPICompareWarnsImplausible(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	e2, err := os.ReadFile("../tco/testdata/e2.json")
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.Replace(string(e2), `"horizon_months": 36`, `"horizon_months": 300`, 1)
	var c struct{ Warnings []string }
	a.must(http.StatusOK, &c, "POST", "/api/v1/compare", doc)
	want := "horizon_months: a horizon of 300 months (25 years) is longer than 240 months (20 years)"
	if len(c.Warnings) == 0 || !strings.HasPrefix(c.Warnings[0], want) {
		t.Errorf("warnings %q, want %q first", c.Warnings, want)
	}
}

// callWant is apiT.call that fails the (sub)test t unless the status is want.
func callWant(t *testing.T, a *apiT, want int, method, path string, body any) apiResult {
	t.Helper()
	r := a.call(method, path, body)
	if r.status != want {
		t.Fatalf("%s %s: status %d, want %d: %s", method, path, r.status, want, r.body)
	}
	return r
}
