package web

import (
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
	"vendorcompare/internal/transfer"
)

// The OpenAPI 3.1 description of the API, served at /api/v1/openapi.json.
// It is generated from the Go types the handlers bind and answer, so the
// schemas cannot drift from the code, and from the operation table below,
// which a test compares with the routes echo has registered.

// apiOperation describes one route of the API.
type apiOperation struct {
	method, path string // path in OpenAPI form: /api/v1/evaluations/{id}
	id, summary  string
	tag          string
	query        []string // names from apiParameters
	ifMatch      bool     // takes the version in If-Match
	body         any      // request body type (a zero value), or nil
	upload       []string // a multipart/form-data body instead: its fields, the first a file
	status       int      // success status
	response     any      // success body type (a zero value), or nil for no body
	files        []string // media types of a file download answer (besides response's JSON)
	errors       []int    // error statuses besides 500
}

var (
	evalPage   = listPage[store.Evaluation]{}
	optPage    = listPage[store.Option]{}
	linePage   = listPage[store.Line]{}
	critPage   = listPage[store.Criterion]{}
	scorePage  = listPage[store.Score]{}
	vendorPage = listPage[store.Vendor]{}
	roundPage  = listPage[store.Round]{}
	auditPage  = listPage[store.AuditEntry]{}
)

// Error statuses of typical operations.
var (
	errRead   = []int{404}
	errList   = []int{404, 422}
	errCreate = []int{400, 404, 409, 413, 415, 422}
	errUpdate = []int{400, 404, 409, 413, 415, 422}
	errDelete = []int{404, 409, 422}
)

// apiOperations is every route of the description.
var apiOperations = []apiOperation{
	{method: "GET", path: "/healthz", id: "health", summary: "Liveness probe", tag: "service",
		status: 200, response: map[string]string{}},
	{method: "GET", path: "/api/v1/openapi.json", id: "openapi", summary: "This description", tag: "service",
		status: 200, response: map[string]any{}},
	{method: "POST", path: "/api/v1/compare", id: "compare", summary: "Compare an evaluation document (spec section 7); 422 also for a document over the work budget (at most 1,000,000 amounts costed, 16,777,216 break-even boundaries, 700,000,000 work units), naming what to lower, or with an amount too large to cost exactly", tag: "compare",
		query: []string{"break_even_max"}, body: tco.Document{}, status: 200, response: tco.Comparison{},
		errors: []int{400, 413, 415, 422, 503}},

	{method: "GET", path: "/api/v1/evaluations", id: "listEvaluations", summary: "List evaluations, most recently changed first", tag: "evaluations",
		query: []string{"limit", "offset", "q"}, status: 200, response: evalPage, errors: []int{422}},
	{method: "POST", path: "/api/v1/evaluations", id: "createEvaluation", summary: "Create an empty evaluation", tag: "evaluations",
		body: settingsRequest{}, query: []string{"confirm"}, status: 201, response: store.Evaluation{}, errors: []int{400, 413, 415, 422}},
	{method: "POST", path: "/api/v1/evaluations/import", id: "importEvaluation", summary: "Create an evaluation from a spec document; 422 for any document POST /compare refuses (the work budget, amounts too large to cost), as for every later save", tag: "evaluations",
		body: tco.Document{}, query: []string{"confirm"}, status: 201, response: createdID{}, errors: []int{400, 413, 415, 422}},
	{method: "GET", path: "/api/v1/evaluations/{id}", id: "getEvaluation", summary: "Read an evaluation's settings", tag: "evaluations",
		status: 200, response: store.Evaluation{}, errors: errRead},
	{method: "PUT", path: "/api/v1/evaluations/{id}", id: "updateEvaluation", summary: "Replace an evaluation's settings", tag: "evaluations",
		ifMatch: true, body: settingsRequest{}, query: []string{"confirm"}, status: 200, response: store.Evaluation{}, errors: errUpdate},
	{method: "DELETE", path: "/api/v1/evaluations/{id}", id: "deleteEvaluation", summary: "Delete an evaluation and everything in it", tag: "evaluations",
		query: []string{"version"}, ifMatch: true, status: 204, errors: errDelete},
	{method: "POST", path: "/api/v1/evaluations/{id}/copy", id: "copyEvaluation", summary: "Copy an evaluation with every round, criterion and score", tag: "evaluations",
		body: copyRequest{}, status: 201, response: store.Evaluation{}, errors: errCreate},
	{method: "GET", path: "/api/v1/evaluations/{id}/document", id: "exportDocument", summary: "Export the evaluation as a spec document", tag: "evaluations",
		query: []string{"rounds"}, status: 200, response: tco.Document{}, errors: errList},
	{method: "GET", path: "/api/v1/evaluations/{id}/comparison", id: "evaluationComparison", summary: "Compare a stored evaluation (spec section 7)", tag: "evaluations",
		query: []string{"break_even_max", "rounds"}, status: 200, response: tco.Comparison{}, errors: []int{404, 422, 503}},
	{method: "GET", path: "/api/v1/evaluations/{id}/audit", id: "listEvaluationAudit", summary: "Changes to one evaluation, newest first", tag: "audit",
		query: []string{"entity", "limit", "offset"}, status: 200, response: auditPage, errors: errList},

	{method: "GET", path: "/api/v1/evaluations/{id}/options", id: "listOptions", summary: "List an evaluation's options with their current quotes", tag: "options",
		query: []string{"limit", "offset", "q"}, status: 200, response: optPage, errors: errList},
	{method: "POST", path: "/api/v1/evaluations/{id}/options", id: "createOption", summary: "Add an option (its first round holds the quote)", tag: "options",
		body: optionRequest{}, query: []string{"confirm"}, status: 201, response: store.Option{}, errors: errCreate},
	{method: "GET", path: "/api/v1/options/{id}", id: "getOption", summary: "Read an option with its current quote", tag: "options",
		status: 200, response: store.Option{}, errors: errRead},
	{method: "PUT", path: "/api/v1/options/{id}", id: "updateOption", summary: "Replace an option (and with a quote, its current round's pricing and lines)", tag: "options",
		ifMatch: true, body: optionRequest{}, query: []string{"confirm"}, status: 200, response: store.Option{}, errors: errUpdate},
	{method: "DELETE", path: "/api/v1/options/{id}", id: "deleteOption", summary: "Delete an option with its rounds, lines and scores", tag: "options",
		query: []string{"version"}, ifMatch: true, status: 204, errors: errDelete},

	{method: "GET", path: "/api/v1/options/{id}/lines", id: "listLines", summary: "List the cost lines of an option's current round", tag: "lines",
		query: []string{"limit", "offset", "q"}, status: 200, response: linePage, errors: errList},
	{method: "POST", path: "/api/v1/options/{id}/lines", id: "createLine", summary: "Append a cost line to an option's current round", tag: "lines",
		body: lineRequest{}, query: []string{"confirm"}, status: 201, response: store.Line{}, errors: errCreate},
	{method: "GET", path: "/api/v1/lines/{id}", id: "getLine", summary: "Read a cost line", tag: "lines",
		status: 200, response: store.Line{}, errors: errRead},
	{method: "PUT", path: "/api/v1/lines/{id}", id: "updateLine", summary: "Replace a cost line", tag: "lines",
		ifMatch: true, body: lineRequest{}, query: []string{"confirm"}, status: 200, response: store.Line{}, errors: errUpdate},
	{method: "DELETE", path: "/api/v1/lines/{id}", id: "deleteLine", summary: "Delete a cost line", tag: "lines",
		query: []string{"version"}, ifMatch: true, status: 204, errors: errDelete},

	{method: "GET", path: "/api/v1/evaluations/{id}/criteria", id: "listCriteria", summary: "List an evaluation's quality criteria", tag: "criteria",
		query: []string{"limit", "offset", "q"}, status: 200, response: critPage, errors: errList},
	{method: "POST", path: "/api/v1/evaluations/{id}/criteria", id: "createCriterion", summary: "Add a quality criterion", tag: "criteria",
		body: criterionRequest{}, status: 201, response: store.Criterion{}, errors: errCreate},
	{method: "GET", path: "/api/v1/criteria/{id}", id: "getCriterion", summary: "Read a criterion", tag: "criteria",
		status: 200, response: store.Criterion{}, errors: errRead},
	{method: "PUT", path: "/api/v1/criteria/{id}", id: "updateCriterion", summary: "Replace a criterion", tag: "criteria",
		ifMatch: true, body: criterionRequest{}, status: 200, response: store.Criterion{}, errors: errUpdate},
	{method: "DELETE", path: "/api/v1/criteria/{id}", id: "deleteCriterion", summary: "Delete a criterion and its scores", tag: "criteria",
		query: []string{"version"}, ifMatch: true, status: 204, errors: errDelete},

	{method: "GET", path: "/api/v1/evaluations/{id}/scores", id: "listScores", summary: "List every score of an evaluation", tag: "scores",
		query: []string{"limit", "offset", "q"}, status: 200, response: scorePage, errors: errList},
	{method: "GET", path: "/api/v1/options/{id}/scores", id: "listOptionScores", summary: "List an option's scores", tag: "scores",
		query: []string{"limit", "offset", "q"}, status: 200, response: scorePage, errors: errList},
	{method: "POST", path: "/api/v1/options/{id}/scores", id: "createScore", summary: "Score an option on a criterion (by key)", tag: "scores",
		body: scoreRequest{}, status: 201, response: store.Score{}, errors: errCreate},
	{method: "GET", path: "/api/v1/scores/{id}", id: "getScore", summary: "Read a score", tag: "scores",
		status: 200, response: store.Score{}, errors: errRead},
	{method: "PUT", path: "/api/v1/scores/{id}", id: "updateScore", summary: "Change a score's value", tag: "scores",
		ifMatch: true, body: scoreRequest{}, status: 200, response: store.Score{}, errors: errUpdate},
	{method: "DELETE", path: "/api/v1/scores/{id}", id: "deleteScore", summary: "Delete a score", tag: "scores",
		query: []string{"version"}, ifMatch: true, status: 204, errors: errDelete},

	{method: "GET", path: "/api/v1/vendors", id: "listVendors", summary: "List the vendor directory by name", tag: "vendors",
		query: []string{"limit", "offset", "q"}, status: 200, response: vendorPage, errors: []int{422}},
	{method: "POST", path: "/api/v1/vendors", id: "createVendor", summary: "Add a vendor to the directory", tag: "vendors",
		body: vendorRequest{}, status: 201, response: store.Vendor{}, errors: []int{400, 409, 413, 415, 422}},
	{method: "GET", path: "/api/v1/vendors/{id}", id: "getVendor", summary: "Read a vendor", tag: "vendors",
		status: 200, response: store.Vendor{}, errors: errRead},
	{method: "PUT", path: "/api/v1/vendors/{id}", id: "updateVendor", summary: "Replace a vendor", tag: "vendors",
		ifMatch: true, body: vendorRequest{}, status: 200, response: store.Vendor{}, errors: errUpdate},
	{method: "DELETE", path: "/api/v1/vendors/{id}", id: "deleteVendor", summary: "Delete a vendor no option links to", tag: "vendors",
		query: []string{"version"}, ifMatch: true, status: 204, errors: errDelete},

	{method: "GET", path: "/api/v1/options/{id}/rounds", id: "listRounds", summary: "List an option's quote rounds, oldest first", tag: "rounds",
		query: []string{"limit", "offset", "q"}, status: 200, response: roundPage, errors: errList},
	{method: "POST", path: "/api/v1/options/{id}/rounds", id: "createRound", summary: "Record a revised quote; it becomes the current one", tag: "rounds",
		body: roundRequest{}, query: []string{"confirm"}, status: 201, response: store.Round{}, errors: errCreate},
	{method: "GET", path: "/api/v1/options/{id}/rounds/comparison", id: "compareRounds", summary: "Cost an option once per round, with each round's change", tag: "rounds",
		status: 200, response: store.RoundComparison{}, errors: []int{404, 422}},
	{method: "GET", path: "/api/v1/rounds/{id}", id: "getRound", summary: "Read a round with its snapshot", tag: "rounds",
		status: 200, response: store.Round{}, errors: errRead},
	{method: "PUT", path: "/api/v1/rounds/{id}", id: "updateRound", summary: "Change a round (and with a quote, its snapshot)", tag: "rounds",
		ifMatch: true, body: roundRequest{}, query: []string{"confirm"}, status: 200, response: store.Round{}, errors: errUpdate},
	{method: "DELETE", path: "/api/v1/rounds/{id}", id: "deleteRound", summary: "Delete a round (not an option's only one)", tag: "rounds",
		query: []string{"version"}, ifMatch: true, status: 204, errors: errDelete},

	{method: "GET", path: "/api/v1/evaluations/{id}/bid-form", id: "bidForm", summary: "Download the XLSX bid form to send to vendors", tag: "spreadsheets",
		status: 200, files: []string{transfer.ContentTypeXLSX}, errors: []int{404, 422}},
	{method: "POST", path: "/api/v1/evaluations/{id}/bids", id: "importBid", summary: "Upload a filled bid form or CSV bid: a new vendor option, or with option_id a new round of one; 422 lists every problem at its cell; 409 when a quote of the bid's vendor name exists (send option_id or new=1)", tag: "spreadsheets",
		upload: []string{"file", "option_id", "label", "vendor_id", "new"}, query: []string{"confirm"}, status: 201, response: store.Option{}, errors: []int{400, 404, 409, 413, 415, 422}},
	{method: "GET", path: "/api/v1/evaluations/{id}/export", id: "exportComparison", summary: "Download the comparison: the finance workbook (live formulas), the monthly tables as CSV, or the JSON", tag: "spreadsheets",
		query: []string{"format", "sep", "bom"}, status: 200, response: tco.Comparison{}, files: []string{transfer.ContentTypeXLSX, transfer.ContentTypeCSV}, errors: []int{404, 422, 503}},

	{method: "GET", path: "/api/v1/audit", id: "listAudit", summary: "Every recorded change, newest first", tag: "audit",
		query: []string{"entity", "limit", "offset"}, status: 200, response: auditPage, errors: []int{422}},
}

// apiParameters are the query parameters by name.
var apiParameters = map[string]map[string]any{
	"limit":          {"description": "page size, 1 to 500", "schema": map[string]any{"type": "integer", "minimum": 1, "maximum": 500, "default": 50}},
	"offset":         {"description": "items to skip", "schema": map[string]any{"type": "integer", "minimum": 0, "default": 0}},
	"q":              {"description": "case-insensitive part of the name to search for", "schema": map[string]any{"type": "string", "maxLength": 200}},
	"version":        {"description": "the record's current version (or send If-Match)", "schema": map[string]any{"type": "integer", "minimum": 1}},
	"break_even_max": {"description": "top of the break-even volume range (default 3 × volume.monthly); a range whose break-even would walk more than 16,777,216 block and tier boundaries is 422", "schema": map[string]any{"type": "string", "pattern": `^[0-9]+(\.[0-9]+)?$`}},
	"rounds":         {"description": "OPTION:ROUND id pairs, comma-separated: cost these rounds instead of the options' latest", "schema": map[string]any{"type": "string", "pattern": `^[0-9]+:[0-9]+(,[0-9]+:[0-9]+)*$`}},
	"confirm":        {"description": "1: save values that look implausible as they are, or a bid form of another evaluation or forecast (after a 422 with \"confirm\": true)", "schema": map[string]any{"type": "string", "enum": []string{"1", "true"}}},
	"format":         {"description": "xlsx (default), csv or json", "schema": map[string]any{"type": "string", "enum": []string{"xlsx", "csv", "json"}, "default": "xlsx"}},
	"sep":            {"description": "csv only: comma (default, RFC 4180) or semicolon (';' and a decimal comma, for Excel in European locales)", "schema": map[string]any{"type": "string", "enum": []string{"comma", "semicolon"}, "default": "comma"}},
	"bom":            {"description": "csv only: 1 starts the file with a UTF-8 byte-order mark", "schema": map[string]any{"type": "string", "enum": []string{"0", "1"}, "default": "0"}},
	"entity":         {"description": "only changes to this kind of record; user and token (account administration) are for admins only: 403 for other roles, whose unfiltered log leaves them out", "schema": map[string]any{"type": "string", "enum": []string{"evaluation", "option", "round", "line", "criterion", "score", "vendor", "decision", "user", "token"}}},
}

var (
	openAPIOnce sync.Once
	openAPIBody []byte
	openAPIErr  error
)

// openAPI answers GET /api/v1/openapi.json.
func (s *Server) openAPI(c echo.Context) error {
	openAPIOnce.Do(func() { openAPIBody, openAPIErr = json.MarshalIndent(openAPIDocument(), "", "  ") })
	if openAPIErr != nil {
		return openAPIErr
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, openAPIBody)
}

// openAPIDocument builds the description.
func openAPIDocument() map[string]any {
	g := &schemaGen{components: map[string]any{}}
	paths := map[string]map[string]any{}
	for _, op := range apiOperations {
		params := []any{}
		if strings.Contains(op.path, "{id}") {
			params = append(params, map[string]any{"name": "id", "in": "path", "required": true,
				"description": "the record's id", "schema": map[string]any{"type": "integer", "format": "int64", "minimum": 1}})
		}
		for _, q := range op.query {
			p := map[string]any{"name": q, "in": "query"}
			for k, v := range apiParameters[q] {
				p[k] = v
			}
			params = append(params, p)
		}
		if op.ifMatch {
			params = append(params, map[string]any{"name": "If-Match", "in": "header",
				"description": `the record's version ("3" or 3); instead of the body's or query's version`,
				"schema":      map[string]any{"type": "string"}})
		}
		responses := map[string]any{}
		ok := map[string]any{"description": http.StatusText(op.status)}
		content := map[string]any{}
		if op.response != nil {
			content["application/json"] = map[string]any{"schema": g.schema(reflect.TypeOf(op.response))}
		}
		for _, mt := range op.files {
			content[mt] = map[string]any{"schema": map[string]any{"type": "string", "contentMediaType": mt}}
		}
		if len(content) > 0 {
			ok["content"] = content
		}
		if len(op.files) > 0 {
			ok["headers"] = map[string]any{"Content-Disposition": map[string]any{"description": `attachment; filename="…" (a safe file name)`, "schema": map[string]any{"type": "string"}}}
		}
		if op.status == 201 {
			ok["headers"] = map[string]any{"Location": map[string]any{"description": "the new record's URL", "schema": map[string]any{"type": "string"}}}
		}
		responses[strconv.Itoa(op.status)] = ok
		for _, st := range append(slices.Clone(op.errors), 500) {
			responses[strconv.Itoa(st)] = map[string]any{"$ref": "#/components/responses/Error"}
		}
		o := map[string]any{"operationId": op.id, "summary": op.summary, "tags": []string{op.tag},
			"parameters": params, "responses": responses}
		if op.body != nil {
			o["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"application/json": map[string]any{"schema": g.schema(reflect.TypeOf(op.body))}}}
		}
		if len(op.upload) > 0 {
			o["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"multipart/form-data": map[string]any{"schema": uploadSchema(op.upload)}}}
		}
		if routeAccess(op.method, op.path) == accessPublic {
			o["security"] = []any{} // open to anyone (auth.go)
		} else {
			responses["401"] = map[string]any{"$ref": "#/components/responses/Error"}
			responses["403"] = map[string]any{"$ref": "#/components/responses/Error"}
		}
		if paths[op.path] == nil {
			paths[op.path] = map[string]any{}
		}
		paths[op.path][strings.ToLower(op.method)] = o
	}
	g.components["Error"] = map[string]any{
		"type": "object", "required": []string{"error"}, "additionalProperties": false,
		"properties": map[string]any{"error": map[string]any{
			"type": "object", "required": []string{"message"}, "additionalProperties": false,
			"properties": map[string]any{
				"message": map[string]any{"type": "string"},
				"fields":  map[string]any{"type": "object", "description": "JSON path (or a spreadsheet's place, Pricing!C7) → problem (422 only)", "additionalProperties": map[string]any{"type": "string"}},
				"problems": map[string]any{"type": "array", "description": "every problem of an uploaded spreadsheet, in order (422 only)", "items": map[string]any{
					"type": "object", "additionalProperties": false, "required": []string{"message", "where"},
					"properties": map[string]any{
						"sheet": map[string]any{"type": "string"}, "cell": map[string]any{"type": "string"},
						"row": map[string]any{"type": "integer"}, "column": map[string]any{"type": "integer"},
						"message": map[string]any{"type": "string"}, "where": map[string]any{"type": "string", "description": "Pricing!C7, or row 7, column 3"},
					}}},
				"request_id": map[string]any{"type": "string", "description": "on a 500: quote it when reporting"},
				"confirm":    map[string]any{"type": "boolean", "description": "422 only: the fields are values that look implausible (or another refusal a user may lift); the same request with ?confirm=1 saves it"},
			}}}}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "vendorcompare API", "version": "1",
			"description": "Evaluations of keeping a service in-house against vendor quotes: stored evaluations, options with quote rounds, cost lines, criteria, scores, the vendor directory, the audit log, and comparisons (spec section 7). Every mutable record carries a version: updates and deletes send it (body field version, ?version= on DELETE, or If-Match); a stale one is 409 and changes nothing. Unknown fields are refused (422)."},
		"servers": []any{map[string]any{"url": "/"}},
		"paths":   paths,
		// Every call needs a personal API token (or the browser's session
		// cookie with its X-CSRF-Token on changes): 401 without, 403 when
		// the token's role may not make the call.
		"security": []any{map[string]any{"bearer": []any{}}},
		"components": map[string]any{
			"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer",
				"description": "a personal API token (vcp_…) from the API tokens page or 'vendorcompare token create'; it acts with its user's role, and answers 401 once revoked, expired, or its user's password changed or the user was disabled"}},
			"schemas": g.components,
			"responses": map[string]any{"Error": map[string]any{"description": "an error: 400 malformed JSON, 404 unknown id, 409 stale version or conflict, 413 body too large, 415 not JSON, 422 field problems, 503 busy",
				"content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Error"}}}}},
		},
	}
}

// uploadFields describes the fields of multipart uploads.
var uploadFields = map[string]map[string]any{
	"file":      {"type": "string", "contentMediaType": "application/octet-stream", "description": "the filled bid form (.xlsx) or a CSV bid, at most 5 MiB"},
	"option_id": {"type": "integer", "minimum": 1, "description": "record the bid as a new round of this option instead of a new option"},
	"label":     {"type": "string", "enum": []string{store.LabelInitial, store.LabelRevised, store.LabelBestAndFinal}, "description": "the new round's label (default revised); only with option_id"},
	"vendor_id": {"type": "integer", "minimum": 1, "description": "link the option to this vendor of the directory; by default the vendor whose name is the bid's (trimmed, any case), if any"},
	"new":       {"type": "string", "enum": []string{"1"}, "description": "a new option even when the evaluation has a quote of the same vendor name (without it that is a 409); not with option_id"},
}

// uploadSchema is the schema of a multipart body with these fields, the
// first required.
func uploadSchema(fields []string) map[string]any {
	props := map[string]any{}
	for _, f := range fields {
		props[f] = uploadFields[f]
	}
	return map[string]any{"type": "object", "properties": props, "required": fields[:1]}
}

// schemaGen derives JSON Schemas (2020-12, as OpenAPI 3.1 uses) from Go
// types the way encoding/json writes and reads them; named structs become
// components.
type schemaGen struct{ components map[string]any }

var (
	timeType   = reflect.TypeFor[time.Time]()
	rawType    = reflect.TypeFor[json.RawMessage]()
	moneyType  = reflect.TypeFor[tco.Money]()
	numberType = reflect.TypeFor[tco.Number]()
)

// schema returns the schema of t, a $ref for named structs.
func (g *schemaGen) schema(t reflect.Type) map[string]any {
	switch t {
	case decimalType:
		return map[string]any{"type": []string{"string", "number"}, "description": "exact decimal; written as a string"}
	case moneyType:
		return map[string]any{"type": "string", "description": "amount with the currency's decimals"}
	case numberType:
		return map[string]any{"type": "number"}
	case timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case rawType:
		return map[string]any{"description": "any JSON value"}
	}
	switch t.Kind() {
	case reflect.Pointer:
		inner := g.schema(t.Elem())
		return map[string]any{"anyOf": []any{inner, map[string]any{"type": "null"}}}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice:
		return map[string]any{"type": "array", "items": g.schema(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.schema(t.Elem())}
	case reflect.Interface:
		return map[string]any{}
	case reflect.Struct:
		name := componentName(t)
		ref := map[string]any{"$ref": "#/components/schemas/" + name}
		if _, ok := g.components[name]; ok {
			return ref
		}
		g.components[name] = nil // recursion guard
		g.components[name] = g.object(t)
		return ref
	}
	return map[string]any{}
}

// object is the schema of a struct's JSON object.
func (g *schemaGen) object(t reflect.Type) map[string]any {
	props := map[string]any{}
	var required []string
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			name, _, _ := strings.Cut(tag, ",")
			if name == "-" {
				continue
			}
			if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
				walk(f.Type)
				continue
			}
			if !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			sch := g.schema(f.Type)
			constrain(sch, f.Type.Kind(), f.Tag.Get("validate"))
			props[name] = sch
			if slices.Contains(strings.Split(f.Tag.Get("validate"), ","), "required") {
				required = append(required, name)
			}
		}
	}
	walk(t)
	out := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		slices.Sort(required)
		out["required"] = required
	}
	return out
}

// componentName names a struct's schema: the store's records by their
// own names, the engine's with a "tco." prefix (tco.Option is the
// document's option, Option the stored one), page types by their item.
func componentName(t reflect.Type) string {
	name := t.Name()
	if i := strings.IndexByte(name, '['); i >= 0 { // listPage[…store.Evaluation]
		item := name[i+1 : len(name)-1]
		item = item[strings.LastIndexByte(item, '.')+1:]
		return item + "Page"
	}
	if strings.HasSuffix(t.PkgPath(), "/tco") {
		return "tco." + name
	}
	return strings.ToUpper(name[:1]) + name[1:]
}

// constrain adds a field's validate: tags to its schema (enum, lengths,
// bounds, formats), so the description states the edge's checks. Tags
// after "dive" apply to the items.
func constrain(sch map[string]any, kind reflect.Kind, tag string) {
	if tag == "" || sch["$ref"] != nil || sch["anyOf"] != nil {
		return
	}
	for _, rule := range strings.Split(tag, ",") {
		name, param, _ := strings.Cut(rule, "=")
		if name == "dive" {
			break
		}
		n, nerr := strconv.Atoi(param)
		switch {
		case name == "oneof":
			sch["enum"] = strings.Fields(param)
		case name == "email":
			sch["format"] = "email"
		case name == "datetime" && param == "2006-01":
			sch["pattern"] = `^[0-9]{4}-[0-9]{2}$`
		case name == "datetime" && param == "2006-01-02":
			sch["format"] = "date"
		case nerr != nil:
		case kind == reflect.String && (name == "max" || name == "len"):
			sch["maxLength"] = n
			if name == "len" {
				sch["minLength"] = n
			}
		case kind == reflect.String && name == "min":
			sch["minLength"] = n
		case kind == reflect.Slice && name == "max":
			sch["maxItems"] = n
		case name == "max":
			sch["maximum"] = n
		case name == "min":
			sch["minimum"] = n
		}
	}
}
