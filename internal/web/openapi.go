package web

import (
	"encoding/json"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
	"vendorcompare/internal/web/api"
)

// The OpenAPI 3.1 description of the API, served at /api/v1/openapi.json.
// It is generated from the route table (routes.go), whose API entries
// carry an apiOperation, and from the Go types the handlers bind and
// answer, so neither the routes nor the schemas can drift from the code.

// apiOperation describes one route of the API.
type apiOperation struct {
	id, summary string
	tag         string
	query       []string // names from apiParameters
	ifMatch     bool     // takes the version in If-Match
	body        any      // request body type (a zero value), or nil
	upload      []string // a multipart/form-data body instead: its fields, the first a file
	status      int      // success status
	response    any      // success body type (a zero value), or nil for no body
	files       []string // media types of a file download answer (besides response's JSON)
	errors      []int    // error statuses besides 500
}

var (
	evalPage   = api.ListPage[store.Evaluation]{}
	optPage    = api.ListPage[store.Option]{}
	linePage   = api.ListPage[store.Line]{}
	critPage   = api.ListPage[store.Criterion]{}
	scorePage  = api.ListPage[store.Score]{}
	vendorPage = api.ListPage[store.Vendor]{}
	roundPage  = api.ListPage[store.Round]{}
	auditPage  = api.ListPage[store.AuditEntry]{}
)

// Error statuses of typical operations.
var (
	errRead   = []int{404}
	errList   = []int{404, 422}
	errCreate = []int{400, 404, 409, 413, 415, 422}
	errUpdate = []int{400, 404, 409, 413, 415, 422}
	errDelete = []int{404, 409, 422}
)

// apiParameters are the query parameters by name.
var apiParameters = map[string]map[string]any{
	"limit":          {"description": "page size, 1 to 500", "schema": map[string]any{"type": "integer", "minimum": 1, "maximum": 500, "default": 50}},
	"offset":         {"description": "items to skip", "schema": map[string]any{"type": "integer", "minimum": 0, "default": 0}},
	"q":              {"description": "case-insensitive part of the name to search for", "schema": map[string]any{"type": "string", "maxLength": 200}},
	"version":        {"description": "the record's current version (or send If-Match)", "schema": map[string]any{"type": "integer", "minimum": 1}},
	"break_even_max": {"description": "top of the break-even volume range (default 3 × volume.monthly); a range whose break-even would walk more than 16,777,216 block and tier boundaries is 422", "schema": map[string]any{"type": "string", "pattern": `^[0-9]+(\.[0-9]+)?$`}},
	"runs":           {"description": "risk runs (spec §9) instead of the document's risk.runs; 422 when the document has no risk block, or when runs × the costing of a run is over the work budget", "schema": map[string]any{"type": "integer", "minimum": 100, "maximum": 20000}},
	"seed":           {"description": "risk seed (spec §9) instead of the document's risk.seed: the same document and seed give the same bytes; 422 when the document has no risk block", "schema": map[string]any{"type": "integer", "minimum": 0, "maximum": 9007199254740991}},
	"rounds":         {"description": "OPTION:ROUND id pairs, comma-separated: cost these rounds instead of the options' latest", "schema": map[string]any{"type": "string", "pattern": `^[0-9]+:[0-9]+(,[0-9]+:[0-9]+)*$`}},
	"confirm":        {"description": "1: save values that look implausible as they are, or a bid form of another evaluation or forecast (after a 422 with \"confirm\": true)", "schema": map[string]any{"type": "string", "enum": []string{"1", "true"}}},
	"format":         {"description": "xlsx (default), csv, json, or text (the report with the decision in force)", "schema": map[string]any{"type": "string", "enum": []string{"xlsx", "csv", "json", "text"}, "default": "xlsx"}},
	"sep":            {"description": "csv only: comma (default, RFC 4180) or semicolon (';' and a decimal comma, for Excel in European locales)", "schema": map[string]any{"type": "string", "enum": []string{"comma", "semicolon"}, "default": "comma"}},
	"bom":            {"description": "csv only: 1 starts the file with a UTF-8 byte-order mark", "schema": map[string]any{"type": "string", "enum": []string{"0", "1"}, "default": "0"}},
	"entity":         {"description": "only changes to this kind of record; user and token (account administration) are for admins only: 403 for other roles, whose unfiltered log leaves them out", "schema": map[string]any{"type": "string", "enum": []string{"evaluation", "option", "round", "line", "criterion", "score", "vendor", "decision", "user", "token"}}},
}

// openAPI answers GET /api/v1/openapi.json.
func (s *Server) openAPI(c echo.Context) error {
	d := &s.openAPIDoc
	d.once.Do(func() { d.body, d.err = json.MarshalIndent(openAPIDocument(s.table), "", "  ") })
	if d.err != nil {
		return d.err
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, d.body)
}

// apiPath is an echo route path in OpenAPI's form: /options/:id is
// /options/{id}.
var apiPath = regexp.MustCompile(`:([A-Za-z_]+)`)

// openAPIDocument builds the description of the routes of t that carry
// an apiOperation.
func openAPIDocument(t []route) map[string]any {
	g := &schemaGen{components: map[string]any{}}
	paths := map[string]map[string]any{}
	for _, r := range t {
		op := r.op
		if op == nil {
			continue
		}
		path := apiPath.ReplaceAllString(r.path, "{$1}")
		params := []any{}
		if strings.Contains(path, "{id}") {
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
		if r.who == accessPublic {
			o["security"] = []any{} // open to anyone (auth.go)
		} else {
			responses["401"] = map[string]any{"$ref": "#/components/responses/Error"}
			responses["403"] = map[string]any{"$ref": "#/components/responses/Error"}
		}
		if paths[path] == nil {
			paths[path] = map[string]any{}
		}
		paths[path][strings.ToLower(r.method)] = o
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
	decimalType = reflect.TypeFor[decimal.Decimal]()
	timeType    = reflect.TypeFor[time.Time]()
	rawType     = reflect.TypeFor[json.RawMessage]()
	moneyType   = reflect.TypeFor[tco.Money]()
	numberType  = reflect.TypeFor[tco.Number]()
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
	if i := strings.IndexByte(name, '['); i >= 0 { // api.ListPage[…store.Evaluation]
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
