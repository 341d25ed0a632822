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

// TestAPIListEvaluations pages through the evaluations with next links and
// searches them by name.
func TestAPIListEvaluations(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
	a := newAPI(t)
	// e2.json+fiscal sets fiscal_year_start and materiality: the export
	// keeps them and the stored comparison honours them.
	for _, name := range []string{"e2.json", "e3.json", "e2.json+fiscal"} {
		t.Run(name, func(t *testing.T) {
			orig := readFile(t, strings.TrimSuffix(name, "+fiscal"))
			if strings.HasSuffix(name, "+fiscal") {
				orig = withFiscal(t, orig, 4, "0.0125")
			}
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
	t.Parallel()
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
	t.Parallel()
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

// withFiscal sets fiscal_year_start and materiality in a document that
// sets its escalation to anniversary.
func withFiscal(t testing.TB, doc []byte, month int, materiality string) []byte {
	t.Helper()
	const at = `"escalation": "anniversary",`
	out := strings.Replace(string(doc), at, fmt.Sprintf(`%s "fiscal_year_start": %d, "materiality": %s,`, at, month, materiality), 1)
	if out == string(doc) {
		t.Fatal("document has no anniversary escalation to set the fiscal settings beside")
	}
	return []byte(out)
}

// TestAPIFiscalSettingsNeverStale: changing fiscal_year_start and
// materiality through PUT /evaluations/{id} changes the stored comparison
// at once (no comparison cached under the old values is served), it is
// the comparison of the new document, and the settings read back exactly.
func TestAPIFiscalSettingsNeverStale(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	var id createdID
	a.must(http.StatusCreated, &id, "POST", "/api/v1/evaluations/import", withFiscal(t, readFile(t, "e2.json"), 4, "0.0125"))
	path := fmt.Sprintf("/api/v1/evaluations/%d", id.ID)
	before := a.must(http.StatusOK, nil, "GET", path+"/comparison", nil).body

	var e store.Evaluation
	a.must(http.StatusOK, &e, "GET", path, nil)
	if e.FiscalYearStart == nil || *e.FiscalYearStart != 4 || e.Materiality == nil || e.Materiality.String() != "0.0125" {
		t.Fatalf("read fiscal_year_start %v materiality %v", e.FiscalYearStart, e.Materiality)
	}
	raw, err := json.Marshal(e.Settings)
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatal(err)
	}
	body["version"], body["fiscal_year_start"], body["materiality"] = e.Version, 7, "0.05"
	var got store.Evaluation
	a.must(http.StatusOK, &got, "PUT", path, body)
	if got.FiscalYearStart == nil || *got.FiscalYearStart != 7 || got.Materiality == nil || got.Materiality.String() != "0.05" {
		t.Fatalf("updated fiscal_year_start %v materiality %v", got.FiscalYearStart, got.Materiality)
	}

	after := a.must(http.StatusOK, nil, "GET", path+"/comparison", nil).body
	if string(after) == string(before) {
		t.Fatal("the comparison cached under the old fiscal settings was served")
	}
	if !strings.Contains(string(after), `"from":"2027-07"`) {
		t.Errorf("no fiscal year from July in %.300s", after)
	}
	doc := a.must(http.StatusOK, nil, "GET", path+"/document", nil).body
	direct := a.must(http.StatusOK, nil, "POST", "/api/v1/compare", doc).body
	if string(after) != string(direct) {
		t.Errorf("stored comparison differs from POST /compare of the new document")
	}

	// Out of range: 422 naming both fields, nothing saved.
	body["version"], body["fiscal_year_start"], body["materiality"] = got.Version, 13, "0.2"
	r := a.call("PUT", path, body)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), "fiscal_year_start") || !strings.Contains(string(r.body), "materiality") {
		t.Fatalf("bad fiscal settings: %d %s", r.status, r.body)
	}
	// Left out: not set again, and the export leaves them out.
	delete(body, "fiscal_year_start")
	delete(body, "materiality")
	var unset store.Evaluation
	a.must(http.StatusOK, &unset, "PUT", path, body)
	if unset.FiscalYearStart != nil || unset.Materiality != nil {
		t.Fatalf("left out, stored %v %v", unset.FiscalYearStart, unset.Materiality)
	}
	if doc := a.must(http.StatusOK, nil, "GET", path+"/document", nil).body; strings.Contains(string(doc), "fiscal_year_start") ||
		strings.Contains(string(doc), "materiality") {
		t.Errorf("unset settings exported: %.300s", doc)
	}
}
