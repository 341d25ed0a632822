package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
)

// newSettings is a valid body for POST /evaluations.
func newSettings(name string) map[string]any {
	return map[string]any{"name": name, "currency": "EUR", "start": "2027-01", "horizon_months": 24,
		"discount_rate": 0.08, "volume": map[string]any{"unit": "contact", "monthly": 1000}}
}

// TestAPIEvaluations: create, read, update and delete an evaluation;
// stale versions are 409 and change nothing; bad input is 400/422 and
// writes nothing; unknown ids are 404.
func TestAPIEvaluations(t *testing.T) {
	a := newAPI(t)
	var e store.Evaluation
	r := a.must(http.StatusCreated, &e, "POST", "/api/v1/evaluations", newSettings("Help desk 2027"), "Authorization", "Bearer "+apiToken(t, a.st, "alice@example.com", store.RoleEditor))
	if loc := r.header.Get("Location"); loc != fmt.Sprintf("/api/v1/evaluations/%d", e.ID) {
		t.Errorf("Location %q", loc)
	}
	if e.Version != 1 || e.Name != "Help desk 2027" || e.Timing != tco.TimingEnd || e.Price.Weight.String() != "0.4" {
		t.Errorf("created %+v", e)
	}
	path := fmt.Sprintf("/api/v1/evaluations/%d", e.ID)
	var got store.Evaluation
	r = a.must(http.StatusOK, &got, "GET", path, nil)
	if got.ID != e.ID || got.Volume.Monthly.String() != "1000" {
		t.Errorf("read %+v", got)
	}
	if cc := r.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", cc)
	}

	upd := newSettings("Help desk 2027, revised")
	upd["version"] = 1
	a.must(http.StatusOK, &got, "PUT", path, upd)
	if got.Version != 2 || got.Name != "Help desk 2027, revised" {
		t.Errorf("updated %+v", got)
	}
	// If-Match carries the version as well.
	upd2 := newSettings("Help desk, by If-Match")
	a.must(http.StatusOK, &got, "PUT", path, upd2, "If-Match", `"2"`)
	if got.Version != 3 {
		t.Errorf("If-Match update: version %d", got.Version)
	}

	before := a.auditTotal()
	for _, tc := range []struct {
		name    string
		method  string
		path    string
		body    any
		headers []string
		status  int
		field   string // a path the 422 must name
	}{
		{"ErrStaleVersion", "PUT", path, map[string]any{"name": "lost", "currency": "EUR", "start": "2027-01", "horizon_months": 24,
			"volume": map[string]any{"unit": "contact", "monthly": 1}, "version": 1}, nil, http.StatusConflict, ""},
		{"ErrStaleIfMatch", "PUT", path, newSettings("lost"), []string{"If-Match", "2"}, http.StatusConflict, ""},
		{"ErrStaleDelete", "DELETE", path + "?version=1", nil, nil, http.StatusConflict, ""},
		{"ErrNoVersion", "PUT", path, newSettings("lost"), nil, http.StatusUnprocessableEntity, "version"},
		{"ErrDeleteNoVersion", "DELETE", path, nil, nil, http.StatusUnprocessableEntity, "version"},
		{"ErrVersionsDisagree", "PUT", path, map[string]any{"name": "x", "currency": "EUR", "start": "2027-01", "horizon_months": 24,
			"volume": map[string]any{"unit": "contact", "monthly": 1}, "version": 3}, []string{"If-Match", "2"}, http.StatusUnprocessableEntity, "version"},
		{"ErrUnknownField", "PUT", path, `{"name":"x","currency":"EUR","start":"2027-01","horizon_months":24,"volume":{"unit":"contact","monthly":1,"colour":"red"},"version":3}`,
			nil, http.StatusUnprocessableEntity, "volume.colour"},
		{"ErrWrongType", "POST", "/api/v1/evaluations", `{"name":"x","currency":"EUR","start":"2027-01","horizon_months":"24","volume":{"unit":"contact","monthly":1}}`,
			nil, http.StatusUnprocessableEntity, "horizon_months"},
		{"ErrRequired", "POST", "/api/v1/evaluations", `{"currency":"EUR","start":"2027-01","horizon_months":24,"volume":{"unit":"contact","monthly":1}}`,
			nil, http.StatusUnprocessableEntity, "name"},
		{"ErrStart", "POST", "/api/v1/evaluations", `{"name":"x","currency":"EUR","start":"January","horizon_months":24,"volume":{"unit":"contact","monthly":1}}`,
			nil, http.StatusUnprocessableEntity, "start"},
		{"ErrDomainCurrency", "POST", "/api/v1/evaluations", `{"name":"x","currency":"XYZ","start":"2027-01","horizon_months":24,"volume":{"unit":"contact","monthly":1}}`,
			nil, http.StatusUnprocessableEntity, "currency"},
		{"ErrDomainVolume", "POST", "/api/v1/evaluations", `{"name":"x","currency":"EUR","start":"2027-01","horizon_months":24,"volume":{"unit":"contact","monthly":-5}}`,
			nil, http.StatusUnprocessableEntity, "volume.monthly"},
		{"ErrMalformed", "PUT", path, `{"name": "x",`, nil, http.StatusBadRequest, ""},
		{"ErrNotObject", "POST", "/api/v1/evaluations", `[1, 2]`, nil, http.StatusBadRequest, ""},
		{"ErrNotJSON", "POST", "/api/v1/evaluations", nil, []string{"Content-Type", "text/plain"}, http.StatusUnsupportedMediaType, ""},
		{"ErrUnknownID", "GET", "/api/v1/evaluations/999999", nil, nil, http.StatusNotFound, ""},
		{"ErrUnknownIDUpdate", "PUT", "/api/v1/evaluations/999999", newSettings("x"), []string{"If-Match", "1"}, http.StatusNotFound, ""},
		{"ErrUnknownIDDelete", "DELETE", "/api/v1/evaluations/999999?version=1", nil, nil, http.StatusNotFound, ""},
		{"ErrBadID", "GET", "/api/v1/evaluations/abc", nil, nil, http.StatusNotFound, ""},
		{"ErrNegativeID", "GET", "/api/v1/evaluations/-1", nil, nil, http.StatusNotFound, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := a.call(tc.method, tc.path, tc.body, tc.headers...)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
			}
			detail := errorOf(t, r)
			if tc.field != "" {
				if _, ok := detail.Fields[tc.field]; !ok {
					t.Errorf("422 does not name %q: %s", tc.field, r.body)
				}
			}
		})
	}
	// Nothing above changed anything.
	if after := a.auditTotal(); after != before {
		t.Errorf("refused requests wrote %d audit entries", after-before)
	}
	a.must(http.StatusOK, &got, "GET", path, nil)
	if got.Version != 3 || got.Name != "Help desk, by If-Match" {
		t.Errorf("after refused requests: %+v", got)
	}

	a.must(http.StatusNoContent, nil, "DELETE", path, nil, "If-Match", "3")
	a.must(http.StatusNotFound, nil, "GET", path, nil)
}

// TestAPIListEvaluations pages through the evaluations with next links and
// searches them by name.
func TestAPIListEvaluations(t *testing.T) {
	a := newAPI(t)
	for i := range 7 {
		a.must(http.StatusCreated, nil, "POST", "/api/v1/evaluations", newSettings(fmt.Sprintf("Paging %d", i)))
	}
	seen := map[int64]bool{}
	next, pages := "/api/v1/evaluations?limit=3", 0
	for next != "" {
		var p listPage[store.Evaluation]
		a.must(http.StatusOK, &p, "GET", next, nil)
		pages++
		if p.Total != 8 || len(p.Items) > 3 {
			t.Fatalf("page %d: total %d, %d items", pages, p.Total, len(p.Items))
		}
		for _, e := range p.Items {
			if seen[e.ID] {
				t.Errorf("evaluation %d on two pages", e.ID)
			}
			seen[e.ID] = true
		}
		next = ""
		if p.Next != nil {
			next = *p.Next
		}
	}
	if pages != 3 || len(seen) != 8 {
		t.Errorf("%d pages, %d evaluations; want 3 and 8", pages, len(seen))
	}

	for _, tc := range []struct {
		name  string
		query string
		total int
		items int
	}{
		{"Search", "?q=paging", 7, 7},
		{"SearchPage", "?q=paging&limit=2&offset=6", 7, 1},
		{"SearchDemo", "?q=customer%20service", 1, 1},
		{"SearchNone", "?q=nothing-like-this", 0, 0},
		{"SearchWildcard", "?q=%25", 0, 0}, // % is a literal, not LIKE's wildcard
		{"OffsetPastEnd", "?offset=100", 8, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var p listPage[store.Evaluation]
			a.must(http.StatusOK, &p, "GET", "/api/v1/evaluations"+tc.query, nil)
			if p.Total != tc.total || len(p.Items) != tc.items || p.Next != nil {
				t.Errorf("total %d, %d items, next %v; want %d, %d, none", p.Total, len(p.Items), p.Next, tc.total, tc.items)
			}
		})
	}
	for _, q := range []string{"limit=0", "limit=501", "limit=x", "offset=-1"} {
		t.Run("Err"+q, func(t *testing.T) {
			r := a.call("GET", "/api/v1/evaluations?"+q, nil)
			name, _, _ := strings.Cut(q, "=")
			if r.status != http.StatusUnprocessableEntity || errorOf(t, r).Fields[name] == "" {
				t.Errorf("%s: %d %s", q, r.status, r.body)
			}
		})
	}
}

// TestAPIRoundTrip: a document imported (201, id, Location) and exported
// is the same document, and its stored comparison is byte for byte what
// POST /compare answers for the original.
func TestAPIRoundTrip(t *testing.T) {
	a := newAPI(t)
	for _, name := range []string{"e2.json", "e3.json"} {
		t.Run(name, func(t *testing.T) {
			orig := readFile(t, name)
			var id createdID
			r := a.must(http.StatusCreated, &id, "POST", "/api/v1/evaluations/import", orig, "Authorization", "Bearer "+apiToken(t, a.st, "importer@example.com", store.RoleEditor))
			if id.ID == 0 || r.header.Get("Location") != fmt.Sprintf("/api/v1/evaluations/%d", id.ID) {
				t.Fatalf("import: id %d, Location %q", id.ID, r.header.Get("Location"))
			}
			exported := a.must(http.StatusOK, nil, "GET", fmt.Sprintf("/api/v1/evaluations/%d/document", id.ID), nil).body

			// The original as the engine reads it (defaults applied).
			doc, err := tco.Decode(orig)
			if err != nil {
				t.Fatal(err)
			}
			// Absent lists are nil after Decode; the export writes them empty.
			if doc.Criteria == nil {
				doc.Criteria = []tco.Criterion{}
			}
			for i := range doc.Options {
				if doc.Options[i].Lines == nil {
					doc.Options[i].Lines = []tco.Line{}
				}
				if doc.Options[i].Scores == nil {
					doc.Options[i].Scores = map[string]decimal.Decimal{}
				}
			}
			want, err := json.Marshal(doc)
			if err != nil {
				t.Fatal(err)
			}
			if !jsonEqual(t, exported, want) {
				t.Errorf("export differs from the imported document:\nexport: %.600s\nwant:   %.600s", exported, want)
			}
			// Export → import → export is a fixed point.
			var id2 createdID
			a.must(http.StatusCreated, &id2, "POST", "/api/v1/evaluations/import", exported)
			again := a.must(http.StatusOK, nil, "GET", fmt.Sprintf("/api/v1/evaluations/%d/document", id2.ID), nil).body
			if string(again) != string(exported) {
				t.Errorf("second export differs:\n%.400s\n%.400s", again, exported)
			}

			for _, q := range []string{"", "?break_even_max=45000"} {
				direct := a.must(http.StatusOK, nil, "POST", "/api/v1/compare"+q, orig).body
				stored := a.must(http.StatusOK, nil, "GET", fmt.Sprintf("/api/v1/evaluations/%d/comparison%s", id.ID, q), nil).body
				if string(stored) != string(direct) {
					t.Errorf("comparison%s differs from POST /compare:\nstored: %.300s\ndirect: %.300s", q, stored, direct)
				}
			}
		})
	}
	t.Run("ErrBadDocument", func(t *testing.T) {
		before := a.auditTotal()
		r := a.call("POST", "/api/v1/evaluations/import", `{"name": "bad", "currency": "USD", "start": "2027-01", "horizon_months": 12, "colour": "red",
 "volume": {"unit": "contact", "monthly": 1000}, "baseline": "a",
 "options": [{"id": "a", "name": "A", "lines": []}, {"id": "b", "name": "B", "pricing": {"tiers": [{"price": -1}]}}]}`)
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("%d %s", r.status, r.body)
		}
		f := errorOf(t, r).Fields
		if f["colour"] == "" || f["options[1].pricing.tiers[0].price"] == "" {
			t.Errorf("fields %v", f)
		}
		if a.auditTotal() != before {
			t.Error("a refused import wrote to the audit log")
		}
		if r := a.call("POST", "/api/v1/evaluations/import", `{"name": `); r.status != http.StatusBadRequest {
			t.Errorf("malformed import: %d", r.status)
		}
	})
}

// TestAPIDemoComparison compares the demo evaluation as stored: every
// option costed, the vendors' latest rounds used.
func TestAPIDemoComparison(t *testing.T) {
	a := newAPI(t)
	var cmp struct {
		Currency string
		Baseline string
		Options  []struct {
			ID     string
			TCO    string
			Status string
			Rank   *int
		}
	}
	a.must(http.StatusOK, &cmp, "GET", "/api/v1/evaluations/1/comparison", nil)
	if cmp.Currency != "EUR" || cmp.Baseline != "in-house" || len(cmp.Options) != 5 {
		t.Fatalf("demo comparison: %+v", cmp)
	}
	ranked := 0
	for _, o := range cmp.Options {
		if o.TCO == "" {
			t.Errorf("%s has no TCO", o.ID)
		}
		if o.Rank != nil {
			ranked++
		}
	}
	if ranked == 0 {
		t.Error("no option ranked")
	}
	// The stored comparison is the one of the exported document.
	doc := a.must(http.StatusOK, nil, "GET", "/api/v1/evaluations/1/document", nil).body
	direct := a.must(http.StatusOK, nil, "POST", "/api/v1/compare", doc).body
	stored := a.must(http.StatusOK, nil, "GET", "/api/v1/evaluations/1/comparison", nil).body
	if string(direct) != string(stored) {
		t.Error("stored comparison differs from POST /compare of the exported document")
	}
	for _, tc := range []struct{ name, query, field string }{
		{"ErrBreakEvenMax", "?break_even_max=-3", "break_even_max"},
		{"ErrRounds", "?rounds=abc", "rounds"},
		{"ErrBoth", "?rounds=1&break_even_max=x", "rounds"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := a.call("GET", "/api/v1/evaluations/1/comparison"+tc.query, nil)
			if r.status != http.StatusUnprocessableEntity || errorOf(t, r).Fields[tc.field] == "" {
				t.Errorf("%d %s", r.status, r.body)
			}
		})
	}
	if r := a.call("GET", "/api/v1/evaluations/424242/comparison", nil); r.status != http.StatusNotFound {
		t.Errorf("unknown evaluation: %d", r.status)
	}
	// An evaluation without options cannot be compared yet: 422, not 500.
	var e store.Evaluation
	a.must(http.StatusCreated, &e, "POST", "/api/v1/evaluations", newSettings("Empty"))
	if r := a.call("GET", fmt.Sprintf("/api/v1/evaluations/%d/comparison", e.ID), nil); r.status != http.StatusUnprocessableEntity {
		t.Errorf("empty evaluation: %d %s", r.status, r.body)
	}
}

// TestAPICopy copies the demo with every round and score.
func TestAPICopy(t *testing.T) {
	a := newAPI(t)
	var e store.Evaluation
	r := a.must(http.StatusCreated, &e, "POST", "/api/v1/evaluations/1/copy", map[string]any{"name": "Demo, what-if"})
	if e.Name != "Demo, what-if" || e.ID == demoID || r.header.Get("Location") == "" {
		t.Fatalf("copy %+v", e)
	}
	orig := a.must(http.StatusOK, nil, "GET", "/api/v1/evaluations/1/comparison", nil).body
	cp := a.must(http.StatusOK, nil, "GET", fmt.Sprintf("/api/v1/evaluations/%d/comparison", e.ID), nil).body
	if string(orig) != string(cp) {
		t.Error("the copy compares differently")
	}
	if r := a.call("POST", "/api/v1/evaluations/999/copy", map[string]any{}); r.status != http.StatusNotFound {
		t.Errorf("copy of unknown: %d", r.status)
	}
	if r := a.call("POST", "/api/v1/evaluations/1/copy", map[string]any{"name": strings.Repeat("x", 201)}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("long name: %d", r.status)
	}
}
