package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"

	"github.com/go-playground/validator/v10"
	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
	"vendorcompare/internal/web/edge"
)

// requestValidator is echo's Validator backed by go-playground/validator,
// reporting problems at the JSON paths of the request body (tco.Errors),
// so that a 422 reads the same whether the edge or the domain refused it.
type requestValidator struct{ v *validator.Validate }

// NewValidator is the validator of the API's request bodies (echo.Validator).
func NewValidator() echo.Validator {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		if name == "" {
			return f.Name
		}
		return name
	})
	return &requestValidator{v: v}
}

// Validate checks the validate: tags of a bound request struct.
func (rv *requestValidator) Validate(i any) error {
	err := rv.v.Struct(i)
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return err
	}
	out := make(tco.Errors, 0, len(verrs))
	for _, fe := range verrs {
		// The namespace starts with the struct's type name: drop it.
		_, path, _ := strings.Cut(fe.Namespace(), ".")
		out = append(out, tco.FieldError{Path: path, Message: validationMessage(fe)})
	}
	return out
}

// validationMessage words one failed tag for people.
func validationMessage(fe validator.FieldError) string {
	switch fe.Tag() {
	case "required":
		return "is required"
	case "required_if": // "Kind award": the Go field, named in JSON as its lower case
		field, value, _ := strings.Cut(fe.Param(), " ")
		return "is required when " + strings.ToLower(field) + " is " + value
	case "max":
		if fe.Kind() == reflect.String {
			return "must be at most " + fe.Param() + " characters"
		}
		if fe.Kind() == reflect.Slice {
			return "must have at most " + fe.Param() + " items"
		}
		return "must be at most " + fe.Param()
	case "min":
		if fe.Kind() == reflect.String {
			return "must be at least " + fe.Param() + " characters"
		}
		return "must be at least " + fe.Param()
	case "oneof":
		return "must be one of " + strings.ReplaceAll(fe.Param(), " ", ", ")
	case "len":
		return "must be " + fe.Param() + " characters"
	case "email":
		return "must be an e-mail address"
	case "datetime":
		switch fe.Param() {
		case "2006-01":
			return "must be a month YYYY-MM"
		case "2006-01-02":
			return "must be a date YYYY-MM-DD"
		}
		return "must be a date in the form " + fe.Param()
	case "uppercase", "alpha":
		return "must be a three-letter ISO 4217 code such as USD"
	}
	return "is invalid (" + fe.Tag() + ")"
}

// bind reads the JSON request body into dst (a pointer to a request
// struct) and validates it: 415 unless the body is declared JSON, 413 over
// the body limit, 400 for malformed JSON, and 422 naming every unknown
// field, wrongly typed value and failed validate: tag at its JSON path.
//
// A spec document is the engine's to read, in its own words (as the CLI
// reads a file): a *tco.Document is decoded by tco.Decode, every problem
// at its path; a *rawDocument keeps the bytes for POST /compare, whose
// answer is looked up by them before anything is decoded. A staffing
// request (a capacity and a volume) is the engine's to read as well:
// tco.DecodeStaffing reads it, every problem at its path, and staffs it.
func bind(c echo.Context, dst any) error {
	req := c.Request()
	data, err := edge.ReadJSON(req)
	if err != nil {
		return err
	}
	switch d := dst.(type) {
	case *tco.Document:
		doc, err := tco.Decode(data)
		if err != nil {
			return fmt.Errorf("decode document: %w", err)
		}
		*d = *doc
		return nil
	case *rawDocument:
		*d = data
		return nil
	case *tco.StaffingPlan:
		plan, err := tco.DecodeStaffing(data)
		if err != nil {
			return fmt.Errorf("decode staffing request: %w", err)
		}
		*d = *plan
		return nil
	}
	// Decode once into a generic tree to tell malformed JSON (400) from a
	// well-formed body of the wrong shape (422 with every path at once).
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return &tco.MalformedError{Offset: dec.InputOffset(), Msg: strings.TrimPrefix(err.Error(), "json: ")}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return &tco.MalformedError{Offset: dec.InputOffset(), Msg: "data after the JSON value"}
	}
	if _, ok := tree.(map[string]any); !ok {
		return &tco.MalformedError{Msg: "the body must be a JSON object"}
	}
	var errs tco.Errors
	checkShape("", tree, reflect.TypeOf(dst).Elem(), &errs)
	if len(errs) > 0 {
		return &edge.Error{Fields: errs.Sorted()}
	}
	strict := json.NewDecoder(bytes.NewReader(data))
	strict.DisallowUnknownFields()
	if err := strict.Decode(dst); err != nil {
		// checkShape let it through, so this is a value the type refuses.
		return &edge.Error{Fields: tco.Errors{{Path: "", Message: strings.TrimPrefix(err.Error(), "json: ")}}}
	}
	return edge.Fields(c.Validate(dst))
}

// rawDocument is a spec document's bytes as posted. The value cache
// (internal/evaluation) keys a posted comparison by them: decoding first
// on every request would cost a cached answer more than the lookup.
type rawDocument []byte

var (
	decimalType     = reflect.TypeFor[decimal.Decimal]()
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
)

// checkShape compares a decoded JSON tree with the Go type it will be
// decoded into and records every unknown field and wrongly typed value at
// its JSON path. JSON null is accepted anywhere, as encoding/json does.
func checkShape(path string, v any, t reflect.Type, errs *tco.Errors) {
	if v == nil {
		return
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	fail := func(msg string) { *errs = append(*errs, tco.FieldError{Path: path, Message: msg}) }
	if t == decimalType {
		var s string
		switch n := v.(type) {
		case json.Number:
			s = n.String()
		case string:
			s = n
		default:
			fail("must be a number")
			return
		}
		// No exponents: "1e999999" is tiny to send and huge to print.
		if _, err := decimal.NewFromString(s); err != nil || strings.ContainsAny(s, "eE") || len(s) > 40 {
			fail(`must be a plain decimal number or string such as "1234.50"`)
		}
		return
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		return // the type reads itself
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			fail("must be an object")
			return
		}
		fields := jsonFields(t)
		for key, val := range obj {
			ft, ok := fields[key]
			if !ok {
				*errs = append(*errs, tco.FieldError{Path: tco.FieldPath(path, key), Message: "unknown field"})
				continue
			}
			checkShape(tco.FieldPath(path, key), val, ft, errs)
		}
	case reflect.Slice:
		arr, ok := v.([]any)
		if !ok {
			fail("must be an array")
			return
		}
		for i, el := range arr {
			checkShape(path+"["+strconv.Itoa(i)+"]", el, t.Elem(), errs)
		}
	case reflect.Map:
		obj, ok := v.(map[string]any)
		if !ok {
			fail("must be an object")
			return
		}
		for key, val := range obj {
			checkShape(tco.FieldPath(path, key), val, t.Elem(), errs)
		}
	case reflect.String:
		if _, ok := v.(string); !ok {
			fail("must be a string")
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			fail("must be true or false")
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := v.(json.Number)
		if !ok {
			fail("must be an integer")
			return
		}
		i, err := strconv.ParseInt(n.String(), 10, 64)
		if err != nil || reflect.Zero(t).OverflowInt(i) {
			fail("must be an integer")
		}
	}
}

// jsonFields maps the JSON names of a struct's fields (embedded structs'
// fields included, as encoding/json promotes them) to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for k, v := range jsonFields(ft) {
					if _, ok := out[k]; !ok {
						out[k] = v
					}
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

// versionOf resolves the version an update or delete expects: the body's
// version field, or the If-Match header ("3", or the entity tag "\"3\"").
// One of them is required; when both are sent they must agree.
func versionOf(c echo.Context, body int64) (int64, error) {
	h := strings.TrimSpace(c.Request().Header.Get("If-Match"))
	if h == "" {
		if body <= 0 {
			return 0, edge.Problem("version", "is required: send the record's version in the body or an If-Match header")
		}
		return body, nil
	}
	h = strings.Trim(strings.TrimPrefix(h, "W/"), `"`)
	v, err := strconv.ParseInt(h, 10, 64)
	if err != nil || v <= 0 {
		return 0, edge.Problem("If-Match", "must be the record's version, a positive integer")
	}
	if body != 0 && body != v {
		return 0, edge.Problem("version", "differs from the If-Match header")
	}
	return v, nil
}

// deleteVersion is versionOf for a DELETE: If-Match or ?version=.
func deleteVersion(c echo.Context) (int64, error) {
	var q int64
	if s := c.QueryParam("version"); s != "" {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil || v <= 0 {
			return 0, edge.Problem("version", "must be the record's version, a positive integer")
		}
		q = v
	}
	return versionOf(c, q)
}

// listQuery is the paging and search of a list: ?limit= (1..500, default
// 50), ?offset= (≥ 0) and ?q= (a case-insensitive part of the name).
func listQuery(c echo.Context) (store.ListParams, error) {
	p := store.ListParams{Limit: 50, Search: strings.TrimSpace(c.QueryParam("q"))}
	var errs tco.Errors
	if s := c.QueryParam("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 500 {
			errs = append(errs, tco.FieldError{Path: "limit", Message: "must be an integer from 1 to 500"})
		}
		p.Limit = n
	}
	if s := c.QueryParam("offset"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			errs = append(errs, tco.FieldError{Path: "offset", Message: "must be an integer ≥ 0"})
		}
		p.Offset = n
	}
	if len([]rune(p.Search)) > 200 {
		errs = append(errs, tco.FieldError{Path: "q", Message: "must be at most 200 characters"})
	}
	if len(errs) > 0 {
		return p, &edge.Error{Fields: errs}
	}
	return p, nil
}

// ListPage is the body of every list: one page of items, the number of
// matching items on all pages, and the URL of the next page (null on the
// last).
type ListPage[T any] struct {
	Items  []T     `json:"items"`
	Total  int     `json:"total"`
	Limit  int     `json:"limit"`
	Offset int     `json:"offset"`
	Next   *string `json:"next"`
}

// newPage builds a list body, with the next page's URL when there is one.
func newPage[T any](c echo.Context, items []T, total int, p store.ListParams) ListPage[T] {
	if items == nil {
		items = []T{}
	}
	page := ListPage[T]{Items: items, Total: total, Limit: p.Limit, Offset: p.Offset}
	if next := p.Offset + len(items); len(items) > 0 && next < total {
		q := c.QueryParams()
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		v.Set("limit", strconv.Itoa(p.Limit))
		v.Set("offset", strconv.Itoa(next))
		u := c.Request().URL.Path + "?" + v.Encode()
		page.Next = &u
	}
	return page
}

// pageOf pages and searches a short list the store returns whole (the
// options, lines, criteria, scores or rounds of one record): name is the
// text ?q= searches.
func pageOf[T any](c echo.Context, all []T, p store.ListParams, name func(T) string) ListPage[T] {
	var match []T
	if p.Search == "" {
		match = all
	} else {
		q := strings.ToLower(p.Search)
		for _, it := range all {
			if strings.Contains(strings.ToLower(name(it)), q) {
				match = append(match, it)
			}
		}
	}
	lo := min(p.Offset, len(match))
	hi := min(lo+p.Limit, len(match))
	return newPage(c, match[lo:hi], len(match), p)
}

// Created answers 201 with the new record and its Location.
func created(c echo.Context, location string, v any) error {
	c.Response().Header().Set(echo.HeaderLocation, location)
	return c.JSON(http.StatusCreated, v)
}

// location is the URL of a record: "/api/v1/" + kind + "/" + id.
func location(kind string, id int64) string {
	return fmt.Sprintf("/api/v1/%s/%d", kind, id)
}
