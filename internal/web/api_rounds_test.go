package web

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/evaluation"
	"vendorcompare/internal/store"
)

// TestAPIRounds: vendor-a's demo rounds; a revised round becomes the
// current quote and changes the comparison; the rounds comparison reports
// each round's PV change; ?rounds= costs an earlier round.
func TestAPIRounds(t *testing.T) {
	a := newAPI(t)
	va := a.demoOptions()["vendor-a"]
	var p listPage[store.Round]
	a.must(http.StatusOK, &p, "GET", fmt.Sprintf("/api/v1/options/%d/rounds", va.ID), nil)
	if p.Total != 2 || p.Items[0].Label != "initial" || p.Items[1].Label != "best_and_final" || p.Items[1].ID != va.RoundID {
		t.Fatalf("demo rounds: %+v", p.Items)
	}
	first := p.Items[0]

	var rc evaluation.RoundComparison
	a.must(http.StatusOK, &rc, "GET", fmt.Sprintf("/api/v1/options/%d/rounds/comparison", va.ID), nil)
	if len(rc.Rounds) != 2 || rc.Rounds[0].ChangePV != nil || rc.Rounds[1].ChangePV == nil || *rc.Rounds[1].ChangePV >= 0 {
		t.Fatalf("rounds comparison: %+v", rc)
	}
	t.Logf("best-and-final changed vendor-a's PV by %.1f%%", 100**rc.Rounds[1].ChangePV)

	before := a.must(http.StatusOK, nil, "GET", "/api/v1/evaluations/1/comparison", nil).body
	// A revised offer 10% below the current tiers.
	tiers := []map[string]any{}
	for _, tr := range va.Pricing.Tiers {
		tier := map[string]any{"price": tr.Price.Mul(decimal.RequireFromString("0.9")).String()}
		if tr.UpTo != nil {
			tier["up_to"] = tr.UpTo.String()
		}
		tiers = append(tiers, tier)
	}
	pricing := map[string]any{"tiers": tiers, "fixed_monthly": va.Pricing.FixedMonthly.String(),
		"escalation": va.Pricing.Escalation.String(), "setup_fee": va.Pricing.SetupFee.String(),
		"exit_fee": va.Pricing.ExitFee.String(), "from_month": va.Pricing.FromMonth}
	lines := []any{}
	for _, l := range va.Lines {
		lines = append(lines, l.Line)
	}
	var r store.Round
	res := a.must(http.StatusCreated, &r, "POST", fmt.Sprintf("/api/v1/options/%d/rounds", va.ID),
		map[string]any{"label": "revised", "received": "2026-12-01", "notes": "after clarification",
			"quote": map[string]any{"pricing": pricing, "lines": lines}})
	if r.Seq != 3 || res.header.Get("Location") != fmt.Sprintf("/api/v1/rounds/%d", r.ID) {
		t.Fatalf("created %+v", r)
	}
	after := a.must(http.StatusOK, nil, "GET", "/api/v1/evaluations/1/comparison", nil).body
	if string(after) == string(before) {
		t.Error("a cheaper round did not change the comparison")
	}
	a.must(http.StatusOK, &rc, "GET", fmt.Sprintf("/api/v1/options/%d/rounds/comparison", va.ID), nil)
	if len(rc.Rounds) != 3 || rc.Rounds[2].ChangePV == nil || *rc.Rounds[2].ChangePV >= -0.05 {
		t.Errorf("the revised round's PV change: %+v", rc.Rounds)
	}
	// Selecting the previous round gives the comparison before the revision.
	sel := a.must(http.StatusOK, nil, "GET", fmt.Sprintf("/api/v1/evaluations/1/comparison?rounds=%d:%d", va.ID, va.RoundID), nil).body
	if string(sel) != string(before) {
		t.Error("?rounds= with the previous round differs from the comparison before the revision")
	}
	// The first round's document carries its own prices.
	var doc struct {
		Options []struct {
			ID      string
			Pricing *struct{ Tiers []struct{ Price string } }
		}
	}
	a.must(http.StatusOK, &doc, "GET", fmt.Sprintf("/api/v1/evaluations/1/document?rounds=%d:%d", va.ID, first.ID), nil)
	if got := doc.Options[1].Pricing.Tiers[0].Price; got != first.Pricing.Tiers[0].Price.String() {
		t.Errorf("document with the first round: tier price %s, want %s", got, first.Pricing.Tiers[0].Price)
	}

	// Update the round's notes only (its snapshot stays), then delete it.
	path := fmt.Sprintf("/api/v1/rounds/%d", r.ID)
	var upd store.Round
	a.must(http.StatusOK, &upd, "PUT", path, map[string]any{"label": "revised", "received": "2026-12-02", "notes": "v2", "version": 1})
	if upd.Notes != "v2" || upd.Version != 2 || len(upd.Pricing.Tiers) != len(tiers) {
		t.Errorf("updated %+v", upd)
	}
	before2 := a.auditTotal()
	for _, tc := range []struct {
		name   string
		method string
		path   string
		body   any
		status int
		field  string
	}{
		{"ErrLabel", "POST", fmt.Sprintf("/api/v1/options/%d/rounds", va.ID), map[string]any{"label": "final"}, http.StatusUnprocessableEntity, "label"},
		{"ErrReceived", "PUT", path, map[string]any{"label": "revised", "received": "01/12/2026", "version": 2}, http.StatusUnprocessableEntity, "received"},
		{"ErrStale", "PUT", path, map[string]any{"label": "revised", "version": 1}, http.StatusConflict, ""},
		{"ErrOnlyRound", "DELETE", fmt.Sprintf("/api/v1/rounds/%d?version=1", a.demoOptions()["vendor-b"].RoundID), nil, http.StatusConflict, ""},
		{"ErrSelectionForeign", "GET", fmt.Sprintf("/api/v1/evaluations/1/comparison?rounds=%d:%d", va.ID, a.demoOptions()["vendor-b"].RoundID), nil, http.StatusNotFound, ""},
		{"ErrUnknownOption", "GET", "/api/v1/options/999/rounds/comparison", nil, http.StatusNotFound, ""},
		{"ErrUnknown", "GET", "/api/v1/rounds/999", nil, http.StatusNotFound, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := a.call(tc.method, tc.path, tc.body)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
			}
			if f := errorOf(t, r).Fields; tc.field != "" && f[tc.field] == "" {
				t.Errorf("422 does not name %s: %v", tc.field, f)
			}
		})
	}
	if n := a.auditTotal(); n != before2 {
		t.Errorf("refused requests wrote %d audit entries", n-before2)
	}
	a.must(http.StatusNoContent, nil, "DELETE", path, nil, "If-Match", "2")
	back := a.must(http.StatusOK, nil, "GET", "/api/v1/evaluations/1/comparison", nil).body
	if string(back) != string(before) {
		t.Error("deleting the revised round did not bring the best-and-final quote back")
	}
}
