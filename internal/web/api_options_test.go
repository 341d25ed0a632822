package web

import (
	"fmt"
	"net/http"
	"testing"

	"vendorcompare/internal/store"
)

// vendorQuote is an option body with a per-contact quote.
func vendorQuote(slug string, version int64, tiers ...map[string]any) map[string]any {
	body := map[string]any{"slug": slug, "name": "Vendor " + slug, "kind": "vendor",
		"quote": map[string]any{
			"pricing": map[string]any{"tiers": tiers, "fixed_monthly": 1000},
			"lines":   []map[string]any{{"name": "Governance", "category": "personnel", "basis": "fixed", "amount": 2500}},
		}}
	if version > 0 {
		body["version"] = version
	}
	return body
}

// TestAPIOptions: the demo's options with their current quotes; create,
// update and delete an option; a bad tier is 422 at its document path and
// writes nothing; stale versions are 409.
func TestAPIOptions(t *testing.T) {
	a := newAPI(t)
	var p listPage[store.Option]
	a.must(http.StatusOK, &p, "GET", "/api/v1/evaluations/1/options", nil)
	if p.Total != 5 || len(p.Items) != 5 || p.Items[0].Slug != "in-house" {
		t.Fatalf("demo options: total %d", p.Total)
	}
	va := p.Items[1]
	if va.Slug != "vendor-a" || va.Pricing == nil || len(va.Pricing.Tiers) != 3 || len(va.Lines) == 0 || va.VendorID == nil {
		t.Fatalf("vendor-a: %+v", va)
	}
	// Its current quote is the best-and-final round: 5.0 not the first 5.2.
	if got := va.Pricing.Tiers[0].Price.String(); got != "5" {
		t.Errorf("vendor-a first tier %s, want the latest round's 5", got)
	}
	a.must(http.StatusOK, &p, "GET", "/api/v1/evaluations/1/options?q=vendor&limit=2", nil)
	if p.Total != 3 || len(p.Items) != 2 || p.Next == nil {
		t.Errorf("search vendor: total %d, %d items, next %v", p.Total, len(p.Items), p.Next)
	}

	var o store.Option
	r := a.must(http.StatusCreated, &o, "POST", "/api/v1/evaluations/1/options",
		vendorQuote("vendor-d", 0, map[string]any{"up_to": 15000, "price": 4.5}, map[string]any{"price": 4}))
	if r.header.Get("Location") != fmt.Sprintf("/api/v1/options/%d", o.ID) || o.Position != 5 || len(o.Pricing.Tiers) != 2 {
		t.Fatalf("created %+v", o)
	}
	path := fmt.Sprintf("/api/v1/options/%d", o.ID)
	a.must(http.StatusOK, &o, "PUT", path, vendorQuote("vendor-d", 1, map[string]any{"price": 4.1}))
	if o.Version != 2 || len(o.Pricing.Tiers) != 1 || o.Pricing.Tiers[0].Price.String() != "4.1" {
		t.Errorf("updated %+v", o.Pricing)
	}

	before := a.auditTotal()
	for _, tc := range []struct {
		name   string
		method string
		path   string
		body   any
		status int
		field  string
	}{
		{"ErrTierOrder", "PUT", path, vendorQuote("vendor-d", 2, map[string]any{"up_to": 20000, "price": 4}, map[string]any{"up_to": 10000, "price": 3}, map[string]any{"price": 2}),
			http.StatusUnprocessableEntity, "options[5].pricing.tiers[1].up_to"},
		{"ErrTierPrice", "PUT", path, vendorQuote("vendor-d", 2, map[string]any{"price": -1}),
			http.StatusUnprocessableEntity, "options[5].pricing.tiers[0].price"},
		{"ErrTierUnknownField", "PUT", path, vendorQuote("vendor-d", 2, map[string]any{"price": 1, "discount": 0.1}),
			http.StatusUnprocessableEntity, "quote.pricing.tiers[0].discount"},
		{"ErrTierType", "PUT", path, vendorQuote("vendor-d", 2, map[string]any{"price": "cheap"}),
			http.StatusUnprocessableEntity, "quote.pricing.tiers[0].price"},
		{"ErrKind", "POST", "/api/v1/evaluations/1/options", map[string]any{"slug": "x", "name": "X", "kind": "partner"},
			http.StatusUnprocessableEntity, "kind"},
		{"ErrSlugTaken", "POST", "/api/v1/evaluations/1/options", vendorQuote("vendor-a", 0, map[string]any{"price": 1}),
			http.StatusConflict, ""},
		{"ErrStale", "PUT", path, vendorQuote("vendor-d", 1, map[string]any{"price": 9}), http.StatusConflict, ""},
		{"ErrStaleDelete", "DELETE", path + "?version=1", nil, http.StatusConflict, ""},
		{"ErrDeleteBaseline", "DELETE", "/api/v1/options/1?version=1", nil, http.StatusUnprocessableEntity, "baseline"},
		{"ErrUnknownEvaluation", "POST", "/api/v1/evaluations/999/options", vendorQuote("x", 0, map[string]any{"price": 1}), http.StatusNotFound, ""},
		{"ErrUnknownEvaluationList", "GET", "/api/v1/evaluations/999/options", nil, http.StatusNotFound, ""},
		{"ErrUnknown", "GET", "/api/v1/options/999", nil, http.StatusNotFound, ""},
		{"ErrMalformed", "PUT", path, `{"slug": `, http.StatusBadRequest, ""},
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
	if n := a.auditTotal(); n != before {
		t.Errorf("refused requests wrote %d audit entries", n-before)
	}
	var now store.Option
	a.must(http.StatusOK, &now, "GET", path, nil)
	if now.Version != 2 || now.Pricing.Tiers[0].Price.String() != "4.1" || len(now.Pricing.Tiers) != 1 {
		t.Errorf("refused requests changed the option: %+v", now.Pricing)
	}

	a.must(http.StatusNoContent, nil, "DELETE", path, nil, "If-Match", "2")
	a.must(http.StatusNotFound, nil, "GET", path, nil)
}
