package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/store"
)

// The CRUD walks of the JSON API as tables, in the manner of pocketbase's
// tests.ApiScenario: each resource is a list of requests sent in order to
// the real echo server on a temporary SQLite store holding the demo, each
// with the answer it must get. A resource's walk shares one server (later
// requests use the ids earlier ones created); resources run in parallel.
//
// Every refused request (status 400 and above) must answer an error body
// and write no audit entry.

// apiScenario is one request and what its answer must hold. path, header
// values, JSON values and string bodies may name {var}s that earlier
// scenarios saved (or the demo's ids, see newCRUDRun).
type apiScenario struct {
	name    string
	method  string
	path    string
	body    any                       // a string is sent as is, a func(*crudRun) any is called first, else JSON
	role    store.Role                // the caller: "" is the harness's admin
	headers []string                  // name, value pairs
	status  int                       // the expected status
	fields  []string                  // error fields the (422) answer must name
	json    map[string]string         // JSON path → value; "null", "!null", and path.# is a length
	want    []string                  // fragments the body must contain
	header  map[string]string         // response headers
	save    map[string]string         // var → JSON path (or "header:Name") of the answer
	before  func(*crudRun)            // runs before the request
	after   func(*crudRun, apiResult) // runs after the checks
}

// crudRun is one resource's walk: its server and the vars saved so far.
type crudRun struct {
	*apiT
	t    *testing.T
	vars map[string]string
	kept map[string][]byte // bodies hooks keep to compare later
}

// newCRUDRun starts a server and names the demo's options: {opt.SLUG},
// {round.SLUG} (the current round), {vendor.SLUG} and {lines.SLUG} (the
// current round's line count).
func newCRUDRun(t *testing.T) *crudRun {
	a := newAPI(t)
	s := &crudRun{apiT: a, t: t, vars: map[string]string{}, kept: map[string][]byte{}}
	for slug, o := range a.demoOptions() {
		s.vars["opt."+slug] = strconv.FormatInt(o.ID, 10)
		s.vars["round."+slug] = strconv.FormatInt(o.RoundID, 10)
		s.vars["lines."+slug] = strconv.Itoa(len(o.Lines))
		if o.VendorID != nil {
			s.vars["vendor."+slug] = strconv.FormatInt(*o.VendorID, 10)
		}
	}
	return s
}

var crudVar = regexp.MustCompile(`\{([a-zA-Z0-9_.-]+)\}`)

// expand replaces each {var} by its value; an unknown var fails the test.
func (s *crudRun) expand(text string) string {
	return crudVar.ReplaceAllStringFunc(text, func(m string) string {
		v, ok := s.vars[m[1:len(m)-1]]
		if !ok {
			s.t.Fatalf("%s: no var %s saved", text, m)
		}
		return v
	})
}

// num is a saved var as a number.
func (s *crudRun) num(name string) int64 {
	n, err := strconv.ParseInt(s.expand("{"+name+"}"), 10, 64)
	if err != nil {
		s.t.Fatal(err)
	}
	return n
}

// jsonAt returns the value at a dotted path (object keys and array
// indexes; a final # is the length of an array or object) in a body
// decoded with json.Number, and whether it is there.
func jsonAt(doc any, path string) (any, bool) {
	for _, part := range strings.Split(path, ".") {
		switch v := doc.(type) {
		case map[string]any:
			if part == "#" {
				return json.Number(strconv.Itoa(len(v))), true
			}
			x, ok := v[part]
			if !ok {
				return nil, false
			}
			doc = x
		case []any:
			if part == "#" {
				return json.Number(strconv.Itoa(len(v))), true
			}
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(v) {
				return nil, false
			}
			doc = v[i]
		default:
			return nil, false
		}
	}
	return doc, true
}

// jsonText is a JSON value as the tables write it: strings and numbers
// as they are, null as "null", anything else as JSON.
func jsonText(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return x
	case json.Number:
		return x.String()
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}

// decode reads a JSON body keeping numbers as written.
func decode(t testing.TB, body []byte) any {
	t.Helper()
	var doc any
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	if err := d.Decode(&doc); err != nil {
		t.Fatalf("not JSON (%v): %.300s", err, body)
	}
	return doc
}

// run sends the scenarios in order, each as a subtest; a scenario that
// fails stops the walk, since later ones build on it.
func (s *crudRun) run(scenarios []apiScenario) {
	for _, sc := range scenarios {
		if !s.t.Run(sc.name, func(t *testing.T) { s.one(t, sc) }) {
			s.t.FailNow()
		}
	}
}

func (s *crudRun) one(t *testing.T, sc apiScenario) {
	outer := s.t
	s.t = t
	s.apiT.t = t
	defer func() { s.t = outer; s.apiT.t = outer }()
	if sc.before != nil {
		sc.before(s)
	}
	body := sc.body
	if f, ok := body.(func(*crudRun) any); ok {
		body = f(s)
	}
	if str, ok := body.(string); ok {
		body = s.expand(str)
	}
	headers := make([]string, len(sc.headers))
	for i, h := range sc.headers {
		headers[i] = s.expand(h)
	}
	if sc.role != "" {
		headers = append(headers, "Authorization", "Bearer "+apiToken(t, s.st, string(sc.role)+"-crud@example.com", sc.role))
	}
	refused := sc.status >= 400
	audit := 0
	if refused {
		audit = s.auditTotal()
	}
	path := s.expand(sc.path)
	r := s.call(sc.method, path, body, headers...)
	if r.status != sc.status {
		t.Fatalf("%s %s: status %d, want %d: %.500s", sc.method, path, r.status, sc.status, r.body)
	}
	var doc any
	if len(r.body) > 0 && (len(sc.json) > 0 || len(sc.save) > 0) {
		doc = decode(t, r.body)
	}
	for name, where := range sc.save {
		if h, ok := strings.CutPrefix(where, "header:"); ok {
			s.vars[name] = r.header.Get(h)
			continue
		}
		v, ok := jsonAt(doc, where)
		if !ok {
			t.Fatalf("save %s: no %s in %.300s", name, where, r.body)
		}
		s.vars[name] = jsonText(v)
	}
	for p, want := range sc.json {
		v, ok := jsonAt(doc, p)
		got := jsonText(v)
		switch want = s.expand(want); {
		case !ok:
			t.Errorf("%s: missing in %.300s", p, r.body)
		case want == "!null":
			if v == nil {
				t.Errorf("%s: null", p)
			}
		case got != want:
			t.Errorf("%s = %s, want %s", p, got, want)
		}
	}
	for name, want := range sc.header {
		if got := r.header.Get(name); got != s.expand(want) {
			t.Errorf("header %s: %q, want %q", name, got, s.expand(want))
		}
	}
	for _, w := range sc.want {
		if !strings.Contains(string(r.body), s.expand(w)) {
			t.Errorf("body lacks %q: %.300s", w, r.body)
		}
	}
	if refused {
		f := errorOf(t, r).Fields
		for _, name := range sc.fields {
			if name = s.expand(name); f[name] == "" {
				t.Errorf("%d does not name %s: %v", r.status, name, f)
			}
		}
		if n := s.auditTotal(); n != audit {
			t.Errorf("a refused request wrote %d audit entries", n-audit)
		}
	} else if len(sc.fields) > 0 {
		t.Fatalf("fields are for refused requests")
	}
	if sc.after != nil {
		sc.after(s, r)
	}
}

// TestAPICRUD walks each resource of the JSON API: the demo's records
// listed, one created, changed and deleted; bad input 400/422 at its
// document path, stale versions 409, unknown ids 404, none of which writes
// anything.
func TestAPICRUD(t *testing.T) {
	t.Parallel()
	for _, res := range []struct {
		name      string
		scenarios []apiScenario
	}{
		{"evaluations", evaluationScenarios()},
		{"criteria", criteriaScenarios()},
		{"lines", lineScenarios()},
		{"vendors", vendorScenarios()},
		{"options", optionScenarios()},
		{"scores", scoreScenarios()},
		{"rounds", roundScenarios()},
		{"decisions", decisionScenarios()},
	} {
		t.Run(res.name, func(t *testing.T) {
			t.Parallel() // each walk owns its server and store
			newCRUDRun(t).run(res.scenarios)
		})
	}
}

// newSettings is a valid body for POST /evaluations.
func newSettings(name string) map[string]any {
	return map[string]any{"name": name, "currency": "EUR", "start": "2027-01", "horizon_months": 24,
		"discount_rate": 0.08, "volume": map[string]any{"unit": "contact", "monthly": 1000}}
}

func evaluationScenarios() []apiScenario {
	const path = "/api/v1/evaluations/{e}"
	withVersion := func(name string, version int) map[string]any {
		b := newSettings(name)
		b["version"] = version
		return b
	}
	return []apiScenario{
		{name: "Create", method: "POST", path: "/api/v1/evaluations", body: newSettings("Help desk 2027"), role: store.RoleEditor,
			status: http.StatusCreated, save: map[string]string{"e": "id"},
			header: map[string]string{"Location": path},
			json:   map[string]string{"version": "1", "name": "Help desk 2027", "timing": "end", "price.weight": "0.4"}},
		{name: "Read", method: "GET", path: path, status: http.StatusOK,
			json:   map[string]string{"id": "{e}", "volume.monthly": "1000"},
			header: map[string]string{"Cache-Control": "no-store"}},
		{name: "Update", method: "PUT", path: path, body: withVersion("Help desk 2027, revised", 1), status: http.StatusOK,
			json: map[string]string{"version": "2", "name": "Help desk 2027, revised"}},
		// If-Match carries the version as well.
		{name: "UpdateIfMatch", method: "PUT", path: path, body: newSettings("Help desk, by If-Match"), headers: []string{"If-Match", `"2"`},
			status: http.StatusOK, json: map[string]string{"version": "3"}},
		{name: "ErrStaleVersion", method: "PUT", path: path, body: map[string]any{"name": "lost", "currency": "EUR", "start": "2027-01", "horizon_months": 24,
			"volume": map[string]any{"unit": "contact", "monthly": 1}, "version": 1}, status: http.StatusConflict},
		{name: "ErrStaleIfMatch", method: "PUT", path: path, body: newSettings("lost"), headers: []string{"If-Match", "2"}, status: http.StatusConflict},
		{name: "ErrStaleDelete", method: "DELETE", path: path + "?version=1", status: http.StatusConflict},
		{name: "ErrNoVersion", method: "PUT", path: path, body: newSettings("lost"), status: http.StatusUnprocessableEntity, fields: []string{"version"}},
		{name: "ErrDeleteNoVersion", method: "DELETE", path: path, status: http.StatusUnprocessableEntity, fields: []string{"version"}},
		{name: "ErrVersionsDisagree", method: "PUT", path: path, body: map[string]any{"name": "x", "currency": "EUR", "start": "2027-01", "horizon_months": 24,
			"volume": map[string]any{"unit": "contact", "monthly": 1}, "version": 3}, headers: []string{"If-Match", "2"},
			status: http.StatusUnprocessableEntity, fields: []string{"version"}},
		{name: "ErrUnknownField", method: "PUT", path: path, body: `{"name":"x","currency":"EUR","start":"2027-01","horizon_months":24,"volume":{"unit":"contact","monthly":1,"colour":"red"},"version":3}`,
			status: http.StatusUnprocessableEntity, fields: []string{"volume.colour"}},
		{name: "ErrWrongType", method: "POST", path: "/api/v1/evaluations", body: `{"name":"x","currency":"EUR","start":"2027-01","horizon_months":"24","volume":{"unit":"contact","monthly":1}}`,
			status: http.StatusUnprocessableEntity, fields: []string{"horizon_months"}},
		{name: "ErrRequired", method: "POST", path: "/api/v1/evaluations", body: `{"currency":"EUR","start":"2027-01","horizon_months":24,"volume":{"unit":"contact","monthly":1}}`,
			status: http.StatusUnprocessableEntity, fields: []string{"name"}},
		{name: "ErrStart", method: "POST", path: "/api/v1/evaluations", body: `{"name":"x","currency":"EUR","start":"January","horizon_months":24,"volume":{"unit":"contact","monthly":1}}`,
			status: http.StatusUnprocessableEntity, fields: []string{"start"}},
		{name: "ErrDomainCurrency", method: "POST", path: "/api/v1/evaluations", body: `{"name":"x","currency":"XYZ","start":"2027-01","horizon_months":24,"volume":{"unit":"contact","monthly":1}}`,
			status: http.StatusUnprocessableEntity, fields: []string{"currency"}},
		{name: "ErrDomainVolume", method: "POST", path: "/api/v1/evaluations", body: `{"name":"x","currency":"EUR","start":"2027-01","horizon_months":24,"volume":{"unit":"contact","monthly":-5}}`,
			status: http.StatusUnprocessableEntity, fields: []string{"volume.monthly"}},
		{name: "ErrMalformed", method: "PUT", path: path, body: `{"name": "x",`, status: http.StatusBadRequest},
		{name: "ErrNotObject", method: "POST", path: "/api/v1/evaluations", body: `[1, 2]`, status: http.StatusBadRequest},
		{name: "ErrNotJSON", method: "POST", path: "/api/v1/evaluations", headers: []string{"Content-Type", "text/plain"}, status: http.StatusUnsupportedMediaType},
		{name: "ErrUnknownID", method: "GET", path: "/api/v1/evaluations/999999", status: http.StatusNotFound},
		{name: "ErrUnknownIDUpdate", method: "PUT", path: "/api/v1/evaluations/999999", body: newSettings("x"), headers: []string{"If-Match", "1"}, status: http.StatusNotFound},
		{name: "ErrUnknownIDDelete", method: "DELETE", path: "/api/v1/evaluations/999999?version=1", status: http.StatusNotFound},
		{name: "ErrBadID", method: "GET", path: "/api/v1/evaluations/abc", status: http.StatusNotFound},
		{name: "ErrNegativeID", method: "GET", path: "/api/v1/evaluations/-1", status: http.StatusNotFound},
		// Nothing above changed anything.
		{name: "Unchanged", method: "GET", path: path, status: http.StatusOK,
			json: map[string]string{"version": "3", "name": "Help desk, by If-Match"}},
		{name: "Delete", method: "DELETE", path: path, headers: []string{"If-Match", "3"}, status: http.StatusNoContent},
		{name: "Gone", method: "GET", path: path, status: http.StatusNotFound},
	}
}

func criteriaScenarios() []apiScenario {
	const list, path = "/api/v1/evaluations/1/criteria", "/api/v1/criteria/{k}"
	return []apiScenario{
		{name: "List", method: "GET", path: list, status: http.StatusOK,
			json: map[string]string{"total": "5", "items.0.key": "csat", "items.0.minimum": "!null"}},
		{name: "Create", method: "POST", path: list, body: map[string]any{"key": "reporting", "name": "Reporting", "weight": 5},
			status: http.StatusCreated, save: map[string]string{"k": "id"},
			header: map[string]string{"Location": path}, json: map[string]string{"scale": "10"}},
		{name: "Update", method: "PUT", path: path, body: map[string]any{"key": "reporting", "name": "Reporting and MI", "weight": 10, "scale": 5, "version": 1},
			status: http.StatusOK, json: map[string]string{"name": "Reporting and MI", "version": "2", "scale": "5"}},
		{name: "ErrNoKey", method: "POST", path: list, body: map[string]any{"name": "X", "weight": 1}, status: http.StatusUnprocessableEntity, fields: []string{"key"}},
		{name: "ErrWeight", method: "POST", path: list, body: map[string]any{"key": "x", "name": "X", "weight": -1}, status: http.StatusUnprocessableEntity, fields: []string{"criteria[6].weight"}},
		{name: "ErrDuplicateKey", method: "POST", path: list, body: map[string]any{"key": "csat", "name": "Again", "weight": 1}, status: http.StatusConflict},
		{name: "ErrStale", method: "PUT", path: path, body: map[string]any{"key": "reporting", "name": "Lost", "weight": 1, "version": 1}, status: http.StatusConflict},
		{name: "ErrUnknown", method: "GET", path: "/api/v1/criteria/999", status: http.StatusNotFound},
		{name: "Delete", method: "DELETE", path: path, headers: []string{"If-Match", "2"}, status: http.StatusNoContent},
		{name: "Gone", method: "GET", path: path, status: http.StatusNotFound},
	}
}

func lineScenarios() []apiScenario {
	const list, path = "/api/v1/options/{opt.in-house}/lines", "/api/v1/lines/{l}"
	line := func(amount any, extra ...any) map[string]any {
		b := map[string]any{"name": "Quality monitoring tool", "category": "technology", "basis": "fixed", "amount": amount, "escalation": 0.03}
		for i := 0; i+1 < len(extra); i += 2 {
			b[extra[i].(string)] = extra[i+1]
		}
		return b
	}
	bad := func(extra ...any) map[string]any {
		b := map[string]any{"name": "x", "category": "technology", "basis": "fixed", "amount": 1, "version": 2}
		for i := 0; i+1 < len(extra); i += 2 {
			b[extra[i].(string)] = extra[i+1]
		}
		return b
	}
	return []apiScenario{
		{name: "List", method: "GET", path: list, status: http.StatusOK, json: map[string]string{"total": "{lines.in-house}"},
			after: func(s *crudRun, _ apiResult) {
				if s.num("lines.in-house") == 0 {
					s.t.Error("the demo's in-house option has no lines")
				}
			}},
		{name: "Create", method: "POST", path: list, body: line(1800), status: http.StatusCreated,
			save:   map[string]string{"l": "id", "pos": "position"},
			header: map[string]string{"Location": path},
			json:   map[string]string{"amount": "1800", "version": "1", "position": "{lines.in-house}"}},
		{name: "Update", method: "PUT", path: path, body: line("1950.50"), headers: []string{"If-Match", "1"}, status: http.StatusOK,
			json: map[string]string{"amount": "1950.5", "version": "2"}},
		{name: "ErrBasis", method: "PUT", path: path, body: bad("basis", "sometimes"), status: http.StatusUnprocessableEntity, fields: []string{"basis"}},
		{name: "ErrCategory", method: "POST", path: list, body: map[string]any{"name": "x", "category": "vendor", "basis": "fixed", "amount": 1},
			status: http.StatusUnprocessableEntity, fields: []string{"category"}},
		{name: "ErrDomainAmount", method: "PUT", path: path, body: bad("amount", -1), status: http.StatusUnprocessableEntity,
			fields: []string{"options[0].lines[{pos}].amount"}},
		{name: "ErrUnknownField", method: "PUT", path: path, body: bad("colour", "red"), status: http.StatusUnprocessableEntity, fields: []string{"colour"}},
		{name: "ErrStale", method: "PUT", path: path, body: bad("version", 1), status: http.StatusConflict},
		{name: "ErrUnknownOption", method: "GET", path: "/api/v1/options/999/lines", status: http.StatusNotFound},
		{name: "ErrUnknown", method: "GET", path: "/api/v1/lines/999999", status: http.StatusNotFound},
		{name: "ErrBadID", method: "DELETE", path: "/api/v1/lines/x?version=1", status: http.StatusNotFound},
		{name: "Unchanged", method: "GET", path: path, status: http.StatusOK, json: map[string]string{"amount": "1950.5", "version": "2"}},
		{name: "Delete", method: "DELETE", path: path + "?version=2", status: http.StatusNoContent},
		{name: "Gone", method: "GET", path: path, status: http.StatusNotFound},
	}
}

func vendorScenarios() []apiScenario {
	const path = "/api/v1/vendors/{v}"
	body := func(contact string, version int) map[string]any {
		b := map[string]any{"name": "Northwind Support", "contact": contact, "email": "ana@northwind.example",
			"certifications": []string{"ISO 27001", "PCI DSS"}, "notes": "met at the 2026 fair"}
		if version > 0 {
			b["version"] = version
		}
		return b
	}
	return []apiScenario{
		{name: "List", method: "GET", path: "/api/v1/vendors", status: http.StatusOK, json: map[string]string{"total": "3"}},
		{name: "Search", method: "GET", path: "/api/v1/vendors?q=lisboa", status: http.StatusOK,
			json: map[string]string{"total": "1", "items.0.name": "Lisboa Nearshore CX"}},
		{name: "Create", method: "POST", path: "/api/v1/vendors", body: body("Ana Souza", 0), role: store.RoleEditor, status: http.StatusCreated,
			save: map[string]string{"v": "id"}, header: map[string]string{"Location": path}, json: map[string]string{"certifications.#": "2"}},
		{name: "Update", method: "PUT", path: path, body: body("João Lima", 1), status: http.StatusOK,
			json: map[string]string{"contact": "João Lima", "version": "2"}},
		{name: "ErrEmail", method: "POST", path: "/api/v1/vendors", body: map[string]any{"name": "X", "email": "not-an-address"},
			status: http.StatusUnprocessableEntity, fields: []string{"email"},
			// a request's own problems are worded as the request's
			json: map[string]string{"error.message": "the request has 1 problem"}},
		{name: "ErrNoName", method: "POST", path: "/api/v1/vendors", body: map[string]any{"contact": "x"}, status: http.StatusUnprocessableEntity, fields: []string{"name"}},
		{name: "ErrCertification", method: "POST", path: "/api/v1/vendors", body: map[string]any{"name": "X", "certifications": []any{"ok", ""}},
			status: http.StatusUnprocessableEntity, fields: []string{"certifications[1]"}},
		{name: "ErrCertificationType", method: "POST", path: "/api/v1/vendors", body: map[string]any{"name": "X", "certifications": "ISO"},
			status: http.StatusUnprocessableEntity, fields: []string{"certifications"}},
		{name: "ErrDuplicateName", method: "POST", path: "/api/v1/vendors", body: map[string]any{"name": "northwind support"}, status: http.StatusConflict},
		{name: "ErrStale", method: "PUT", path: path, body: map[string]any{"name": "Lost", "version": 1}, status: http.StatusConflict},
		// a vendor still linked to an option cannot be deleted
		{name: "ErrLinked", method: "DELETE", path: "/api/v1/vendors/{vendor.vendor-a}?version=1", status: http.StatusConflict},
		{name: "ErrUnknown", method: "PUT", path: "/api/v1/vendors/999", body: map[string]any{"name": "X", "version": 1}, status: http.StatusNotFound},
		{name: "Delete", method: "DELETE", path: path, headers: []string{"If-Match", `"2"`}, status: http.StatusNoContent},
		{name: "Gone", method: "GET", path: path, status: http.StatusNotFound},
	}
}

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

func optionScenarios() []apiScenario {
	const list, path = "/api/v1/evaluations/1/options", "/api/v1/options/{o}"
	tier := func(kv ...any) map[string]any {
		t := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			t[kv[i].(string)] = kv[i+1]
		}
		return t
	}
	return []apiScenario{
		// vendor-a's current quote is the best-and-final round: 5.0, not the first 5.2
		{name: "List", method: "GET", path: list, status: http.StatusOK,
			json: map[string]string{"total": "5", "items.#": "5", "items.0.slug": "in-house",
				"items.1.slug": "vendor-a", "items.1.pricing.tiers.#": "3", "items.1.vendor_id": "!null",
				"items.1.pricing.tiers.0.price": "5"},
			after: func(s *crudRun, r apiResult) {
				if n, _ := jsonAt(decode(s.t, r.body), "items.1.lines.#"); jsonText(n) == "0" {
					s.t.Error("vendor-a has no lines")
				}
			}},
		{name: "Search", method: "GET", path: list + "?q=vendor&limit=2", status: http.StatusOK,
			json: map[string]string{"total": "3", "items.#": "2", "next": "!null"}},
		{name: "Create", method: "POST", path: list, body: vendorQuote("vendor-d", 0, tier("up_to", 15000, "price", 4.5), tier("price", 4)),
			status: http.StatusCreated, save: map[string]string{"o": "id"}, header: map[string]string{"Location": path},
			json: map[string]string{"position": "5", "pricing.tiers.#": "2"}},
		{name: "Update", method: "PUT", path: path, body: vendorQuote("vendor-d", 1, tier("price", 4.1)), status: http.StatusOK,
			json: map[string]string{"version": "2", "pricing.tiers.#": "1", "pricing.tiers.0.price": "4.1"}},
		{name: "ErrTierOrder", method: "PUT", path: path, body: vendorQuote("vendor-d", 2, tier("up_to", 20000, "price", 4), tier("up_to", 10000, "price", 3), tier("price", 2)),
			status: http.StatusUnprocessableEntity, fields: []string{"options[5].pricing.tiers[1].up_to"}},
		{name: "ErrTierPrice", method: "PUT", path: path, body: vendorQuote("vendor-d", 2, tier("price", -1)),
			status: http.StatusUnprocessableEntity, fields: []string{"options[5].pricing.tiers[0].price"}},
		{name: "ErrTierUnknownField", method: "PUT", path: path, body: vendorQuote("vendor-d", 2, tier("price", 1, "discount", 0.1)),
			status: http.StatusUnprocessableEntity, fields: []string{"quote.pricing.tiers[0].discount"}},
		{name: "ErrTierType", method: "PUT", path: path, body: vendorQuote("vendor-d", 2, tier("price", "cheap")),
			status: http.StatusUnprocessableEntity, fields: []string{"quote.pricing.tiers[0].price"}},
		{name: "ErrKind", method: "POST", path: list, body: map[string]any{"slug": "x", "name": "X", "kind": "partner"},
			status: http.StatusUnprocessableEntity, fields: []string{"kind"}},
		{name: "ErrSlugTaken", method: "POST", path: list, body: vendorQuote("vendor-a", 0, tier("price", 1)), status: http.StatusConflict},
		{name: "ErrStale", method: "PUT", path: path, body: vendorQuote("vendor-d", 1, tier("price", 9)), status: http.StatusConflict},
		{name: "ErrStaleDelete", method: "DELETE", path: path + "?version=1", status: http.StatusConflict},
		{name: "ErrDeleteBaseline", method: "DELETE", path: "/api/v1/options/1?version=1", status: http.StatusUnprocessableEntity, fields: []string{"baseline"}},
		{name: "ErrUnknownEvaluation", method: "POST", path: "/api/v1/evaluations/999/options", body: vendorQuote("x", 0, tier("price", 1)), status: http.StatusNotFound},
		{name: "ErrUnknownEvaluationList", method: "GET", path: "/api/v1/evaluations/999/options", status: http.StatusNotFound},
		{name: "ErrUnknown", method: "GET", path: "/api/v1/options/999", status: http.StatusNotFound},
		{name: "ErrMalformed", method: "PUT", path: path, body: `{"slug": `, status: http.StatusBadRequest},
		{name: "Unchanged", method: "GET", path: path, status: http.StatusOK,
			json: map[string]string{"version": "2", "pricing.tiers.#": "1", "pricing.tiers.0.price": "4.1"}},
		{name: "Delete", method: "DELETE", path: path, headers: []string{"If-Match", "2"}, status: http.StatusNoContent},
		{name: "Gone", method: "GET", path: path, status: http.StatusNotFound},
	}
}

func scoreScenarios() []apiScenario {
	const list, path = "/api/v1/options/{opt.vendor-a}/scores", "/api/v1/scores/{sc}"
	version := func(extra ...any) func(*crudRun) any {
		return func(s *crudRun) any {
			b := map[string]any{"version": s.num("v")}
			for i := 0; i+1 < len(extra); i += 2 {
				b[extra[i].(string)] = extra[i+1]
			}
			return b
		}
	}
	return []apiScenario{
		{name: "List", method: "GET", path: "/api/v1/evaluations/1/scores", status: http.StatusOK, json: map[string]string{"total": "25"}},
		{name: "Search", method: "GET", path: list + "?q=csat", status: http.StatusOK,
			json: map[string]string{"total": "1", "items.0.key": "csat", "items.0.value": "8"},
			save: map[string]string{"sc": "items.0.id", "v0": "items.0.version"}},
		{name: "Update", method: "PUT", path: path, body: func(s *crudRun) any { return map[string]any{"value": 8.5, "version": s.num("v0")} },
			status: http.StatusOK, save: map[string]string{"v": "version"}, json: map[string]string{"value": "8.5"},
			after: func(s *crudRun, _ apiResult) {
				if s.num("v") != s.num("v0")+1 {
					s.t.Errorf("version %d after %d", s.num("v"), s.num("v0"))
				}
			}},
		{name: "ErrAboveScale", method: "PUT", path: path, body: version("value", 11), status: http.StatusUnprocessableEntity, fields: []string{"options[1].scores.csat"}},
		{name: "ErrNoValue", method: "PUT", path: path, body: version(), status: http.StatusUnprocessableEntity, fields: []string{"value"}},
		{name: "ErrOtherKey", method: "PUT", path: path, body: version("key", "fcr", "value", 5), status: http.StatusUnprocessableEntity, fields: []string{"key"}},
		{name: "ErrStale", method: "PUT", path: path, body: func(s *crudRun) any { return map[string]any{"value": 5, "version": s.num("v0")} }, status: http.StatusConflict},
		{name: "ErrDuplicate", method: "POST", path: list, body: map[string]any{"key": "csat", "value": 5}, status: http.StatusConflict},
		{name: "ErrUnknownKey", method: "POST", path: list, body: map[string]any{"key": "price", "value": 5}, status: http.StatusUnprocessableEntity, fields: []string{"key"}},
		{name: "ErrNoKey", method: "POST", path: list, body: map[string]any{"value": 5}, status: http.StatusUnprocessableEntity, fields: []string{"key"}},
		{name: "ErrUnknownOption", method: "POST", path: "/api/v1/options/999/scores", body: map[string]any{"key": "csat", "value": 5}, status: http.StatusNotFound},
		{name: "ErrUnknown", method: "GET", path: "/api/v1/scores/99999", status: http.StatusNotFound},
		{name: "Unchanged", method: "GET", path: path, status: http.StatusOK, json: map[string]string{"value": "8.5", "version": "{v}"}},
		// delete and create again
		{name: "Delete", method: "DELETE", path: path + "?version={v}", status: http.StatusNoContent},
		{name: "CreateAgain", method: "POST", path: list, body: map[string]any{"key": "csat", "value": "7.5"}, status: http.StatusCreated,
			json: map[string]string{"key": "csat", "value": "7.5", "version": "1"}},
	}
}

// roundScenarios: vendor-a's demo rounds; a revised round becomes the
// current quote and changes the comparison; the rounds comparison reports
// each round's PV change; ?rounds= costs an earlier round.
func roundScenarios() []apiScenario {
	const comparison, path = "/api/v1/evaluations/1/comparison", "/api/v1/rounds/{r}"
	changePV := func(s *crudRun, body []byte, i int) (float64, bool) {
		v, _ := jsonAt(decode(s.t, body), fmt.Sprintf("rounds.%d.change_pv", i))
		n, ok := v.(json.Number)
		if !ok {
			return 0, false
		}
		f, err := n.Float64()
		return f, err == nil
	}
	keep := func(name string) func(*crudRun, apiResult) {
		return func(s *crudRun, r apiResult) { s.kept[name] = r.body }
	}
	same := func(name, why string) func(*crudRun, apiResult) {
		return func(s *crudRun, r apiResult) {
			if !bytes.Equal(r.body, s.kept[name]) {
				s.t.Error(why)
			}
		}
	}
	// a revised offer 10% below vendor-a's current tiers
	revised := func(s *crudRun) any {
		va := s.demoOptions()["vendor-a"]
		tiers := []map[string]any{}
		for _, tr := range va.Pricing.Tiers {
			tier := map[string]any{"price": tr.Price.Mul(decimal.RequireFromString("0.9")).String()}
			if tr.UpTo != nil {
				tier["up_to"] = tr.UpTo.String()
			}
			tiers = append(tiers, tier)
		}
		s.vars["tiers"] = strconv.Itoa(len(tiers))
		pricing := map[string]any{"tiers": tiers, "fixed_monthly": va.Pricing.FixedMonthly.String(),
			"escalation": va.Pricing.Escalation.String(), "setup_fee": va.Pricing.SetupFee.String(),
			"exit_fee": va.Pricing.ExitFee.String(), "from_month": va.Pricing.FromMonth}
		lines := []any{}
		for _, l := range va.Lines {
			lines = append(lines, l.Line)
		}
		return map[string]any{"label": "revised", "received": "2026-12-01", "notes": "after clarification",
			"quote": map[string]any{"pricing": pricing, "lines": lines}}
	}
	return []apiScenario{
		{name: "List", method: "GET", path: "/api/v1/options/{opt.vendor-a}/rounds", status: http.StatusOK,
			json: map[string]string{"total": "2", "items.0.label": "initial", "items.1.label": "best_and_final", "items.1.id": "{round.vendor-a}"},
			save: map[string]string{"first": "items.0.id", "firstPrice": "items.0.pricing.tiers.0.price"}},
		{name: "Comparison", method: "GET", path: "/api/v1/options/{opt.vendor-a}/rounds/comparison", status: http.StatusOK,
			json: map[string]string{"rounds.#": "2", "rounds.0.change_pv": "null", "rounds.1.change_pv": "!null"},
			after: func(s *crudRun, r apiResult) {
				if pv, ok := changePV(s, r.body, 1); !ok || pv >= 0 {
					s.t.Errorf("best-and-final did not lower vendor-a's PV: %.300s", r.body)
				} else {
					s.t.Logf("best-and-final changed vendor-a's PV by %.1f%%", 100*pv)
				}
			}},
		{name: "ComparisonBefore", method: "GET", path: comparison, status: http.StatusOK, after: keep("before")},
		{name: "Create", method: "POST", path: "/api/v1/options/{opt.vendor-a}/rounds", body: revised, status: http.StatusCreated,
			save: map[string]string{"r": "id"}, header: map[string]string{"Location": path}, json: map[string]string{"seq": "3"}},
		{name: "ComparisonChanged", method: "GET", path: comparison, status: http.StatusOK,
			after: func(s *crudRun, r apiResult) {
				if bytes.Equal(r.body, s.kept["before"]) {
					s.t.Error("a cheaper round did not change the comparison")
				}
			}},
		{name: "ComparisonRevised", method: "GET", path: "/api/v1/options/{opt.vendor-a}/rounds/comparison", status: http.StatusOK,
			json: map[string]string{"rounds.#": "3"},
			after: func(s *crudRun, r apiResult) {
				if pv, ok := changePV(s, r.body, 2); !ok || pv >= -0.05 {
					s.t.Errorf("the revised round's PV change: %.300s", r.body)
				}
			}},
		// selecting the previous round gives the comparison before the revision
		{name: "SelectPrevious", method: "GET", path: comparison + "?rounds={opt.vendor-a}:{round.vendor-a}", status: http.StatusOK,
			after: same("before", "?rounds= with the previous round differs from the comparison before the revision")},
		// the first round's document carries its own prices
		{name: "DocumentFirstRound", method: "GET", path: "/api/v1/evaluations/1/document?rounds={opt.vendor-a}:{first}", status: http.StatusOK,
			json: map[string]string{"options.1.pricing.tiers.0.price": "{firstPrice}"}},
		// the round's notes change only; its snapshot stays
		{name: "Update", method: "PUT", path: path, body: map[string]any{"label": "revised", "received": "2026-12-02", "notes": "v2", "version": 1},
			status: http.StatusOK, json: map[string]string{"notes": "v2", "version": "2", "pricing.tiers.#": "{tiers}"}},
		{name: "ErrLabel", method: "POST", path: "/api/v1/options/{opt.vendor-a}/rounds", body: map[string]any{"label": "final"},
			status: http.StatusUnprocessableEntity, fields: []string{"label"}},
		{name: "ErrReceived", method: "PUT", path: path, body: map[string]any{"label": "revised", "received": "01/12/2026", "version": 2},
			status: http.StatusUnprocessableEntity, fields: []string{"received"}},
		{name: "ErrStale", method: "PUT", path: path, body: map[string]any{"label": "revised", "version": 1}, status: http.StatusConflict},
		{name: "ErrOnlyRound", method: "DELETE", path: "/api/v1/rounds/{round.vendor-b}?version=1", status: http.StatusConflict},
		{name: "ErrSelectionForeign", method: "GET", path: comparison + "?rounds={opt.vendor-a}:{round.vendor-b}", status: http.StatusNotFound},
		{name: "ErrUnknownOption", method: "GET", path: "/api/v1/options/999/rounds/comparison", status: http.StatusNotFound},
		{name: "ErrUnknown", method: "GET", path: "/api/v1/rounds/999", status: http.StatusNotFound},
		{name: "Delete", method: "DELETE", path: path, headers: []string{"If-Match", "2"}, status: http.StatusNoContent},
		{name: "ComparisonBack", method: "GET", path: comparison, status: http.StatusOK,
			after: same("before", "deleting the revised round did not bring the best-and-final quote back")},
	}
}

// decisionScenarios: decisions are only ever added, by any signed-in role
// (viewers are the leaders who decide), each audited with its caller; the
// newest is listed first and is the one in force.
func decisionScenarios() []apiScenario {
	const list, path = "/api/v1/evaluations/1/decisions", "/api/v1/decisions/{d}"
	return []apiScenario{
		{name: "ListNone", method: "GET", path: list, status: http.StatusOK, json: map[string]string{"total": "0", "items.#": "0"}},
		{name: "RecordAsViewer", method: "POST", path: list, role: store.RoleViewer,
			body: func(s *crudRun) any {
				return map[string]any{"kind": "award", "option_id": s.num("opt.vendor-a"), "rationale": " Cheapest on PV at a quality within 7 points. "}
			},
			status: http.StatusCreated, save: map[string]string{"d": "id"}, header: map[string]string{"Location": path},
			json: map[string]string{"kind": "award", "option_id": "{opt.vendor-a}", "option_name": "Vendor A: Atlantic Contact Services (per contact)",
				"rationale": "Cheapest on PV at a quality within 7 points.", "decided_by": "viewer-crud@example.com", "evaluation_id": "1", "decided_at": "!null"}},
		{name: "Read", method: "GET", path: path, status: http.StatusOK, json: map[string]string{"id": "{d}", "kind": "award"}},
		{name: "RecordDefer", method: "POST", path: list, role: store.RoleEditor, body: map[string]any{"kind": "defer", "rationale": "Wait for Vendor B's references."},
			status: http.StatusCreated, save: map[string]string{"d2": "id"}, json: map[string]string{"option_id": "null", "option_name": "", "decided_by": "editor-crud@example.com"}},
		{name: "NewestFirst", method: "GET", path: list, status: http.StatusOK,
			json: map[string]string{"total": "2", "items.0.id": "{d2}", "items.0.kind": "defer", "items.1.id": "{d}"}},
		{name: "Search", method: "GET", path: list + "?q=atlantic", status: http.StatusOK, json: map[string]string{"total": "1", "items.0.id": "{d}"}},
		{name: "Audited", method: "GET", path: "/api/v1/evaluations/1/audit?entity=decision", status: http.StatusOK,
			json: map[string]string{"total": "2", "items.0.entity_id": "{d2}", "items.0.action": "create", "items.0.actor": "editor-crud@example.com",
				"items.1.actor": "viewer-crud@example.com", "items.1.after.rationale": "Cheapest on PV at a quality within 7 points."}},
		{name: "ErrAwardWithoutOption", method: "POST", path: list, body: map[string]any{"kind": "award", "rationale": "x"},
			status: http.StatusUnprocessableEntity, fields: []string{"option_id"}},
		// every problem at once, each at its path
		{name: "ErrEverything", method: "POST", path: list, body: map[string]any{"kind": "approve", "option_id": 0},
			status: http.StatusUnprocessableEntity, fields: []string{"kind", "option_id", "rationale"}},
		{name: "ErrLongRationale", method: "POST", path: list, body: map[string]any{"kind": "defer", "rationale": strings.Repeat("é", 5001)},
			status: http.StatusUnprocessableEntity, fields: []string{"rationale"}},
		{name: "ErrBlankRationale", method: "POST", path: list, body: map[string]any{"kind": "defer", "rationale": "   "},
			status: http.StatusUnprocessableEntity, fields: []string{"rationale"}},
		// who decided is the caller, never a field of the body
		{name: "ErrDecidedBy", method: "POST", path: list, body: map[string]any{"kind": "defer", "rationale": "x", "decided_by": "ceo@example.com"},
			status: http.StatusUnprocessableEntity, fields: []string{"decided_by"}},
		{name: "ErrWrongType", method: "POST", path: list, body: `{"kind": "award", "option_id": "{opt.vendor-a}", "rationale": "x"}`,
			status: http.StatusUnprocessableEntity, fields: []string{"option_id"}},
		{name: "ErrOtherEvaluationsOption", method: "POST", path: list, body: map[string]any{"kind": "reject", "option_id": 999999, "rationale": "x"},
			status: http.StatusUnprocessableEntity, fields: []string{"option_id"}},
		{name: "ErrUnknownEvaluation", method: "POST", path: "/api/v1/evaluations/999999/decisions", body: map[string]any{"kind": "defer", "rationale": "x"},
			status: http.StatusNotFound},
		{name: "ErrUnknownEvaluationList", method: "GET", path: "/api/v1/evaluations/999999/decisions", status: http.StatusNotFound},
		{name: "ErrUnknown", method: "GET", path: "/api/v1/decisions/999999", status: http.StatusNotFound},
		{name: "ErrMalformed", method: "POST", path: list, body: `{"kind": `, status: http.StatusBadRequest},
		{name: "ErrNotJSON", method: "POST", path: list, headers: []string{"Content-Type", "text/plain"}, status: http.StatusUnsupportedMediaType},
		{name: "Unchanged", method: "GET", path: list, status: http.StatusOK, json: map[string]string{"total": "2"}},
	}
}
