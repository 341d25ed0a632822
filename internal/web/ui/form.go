package ui

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"

	"vendorcompare/internal/sheet"
	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
)

// form is what a page form shows again after a failed save: the values as
// typed and each field's error, both by field name (the input's name
// attribute). Message heads the error summary ({{template "errors" .Form}}).
//
// Typical handler:
//
//	f, err := postedForm(c)       // 400 when the body cannot be read
//	in, ok := parse(f)            // f.Fail("horizon_months", "must be 1..600")
//	if ok { _, err = store.Save(…); ok = !f.FromError(err, fieldOfPath) }
//	if !ok { return u.render(c, http.StatusUnprocessableEntity, "page", view{Data: …f…}) }
type form struct {
	Values  url.Values
	Errors  map[string]string
	Message string
	// Other are problems that belong to no field of the form, with their
	// document paths (an imported file's problems, for example).
	Other tco.Errors
	// Confirm shows the confirm box: the save found values to confirm
	// (confirm.go).
	Confirm bool
}

// newForm starts a form from submitted (or default) values.
func newForm(v url.Values) *form {
	if v == nil {
		v = url.Values{}
	}
	return &form{Values: v, Errors: map[string]string{}}
}

// Get returns a field's value as typed, trimmed.
func (f *form) Get(name string) string { return strings.TrimSpace(f.Values.Get(name)) }

// Fail records a field's error (the first one wins).
func (f *form) Fail(name, msg string) {
	if _, ok := f.Errors[name]; !ok {
		f.Errors[name] = msg
	}
}

// HasErrors reports whether any field or other problem was recorded.
func (f *form) HasErrors() bool { return len(f.Errors) > 0 || len(f.Other) > 0 }

// Problem is one line of the error summary. Field is set when the problem
// belongs to a field of the form (the summary then names it by its label
// and links to it); other problems keep their document path or cell.
type Problem struct{ Path, Message, Field string }

// Problems lists every error for the summary: field errors by name, then
// the others, each with its path.
func (f *form) Problems() []Problem {
	var out []Problem
	names := make([]string, 0, len(f.Errors))
	for n := range f.Errors {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		out = append(out, Problem{Path: n, Message: f.Errors[n], Field: n})
	}
	for _, e := range f.Other {
		out = append(out, Problem{Path: e.Path, Message: e.Message})
	}
	return out
}

// FromError records the field problems of a store or engine error
// (tco.Errors, also inside a store.ErrInvalid) and reports whether err was
// one. fieldOf maps a document path ("volume.monthly") to the form's field
// name; a path it maps to "" goes to Other. A nil fieldOf keeps paths as
// field names.
func (f *form) FromError(err error, fieldOf func(path string) string) bool {
	var fe tco.Errors
	if !errors.As(err, &fe) {
		return false
	}
	for _, e := range fe {
		name := e.Path
		if fieldOf != nil {
			name = fieldOf(e.Path)
		}
		if name == "" {
			f.Other = append(f.Other, e)
			continue
		}
		// The engine's messages name fields by their document keys
		// ("zero_at"); the page shows its labels ("Zero score at").
		f.Fail(name, sheet.PageWords(e.Message))
	}
	if f.Message == "" {
		f.Message = "Nothing was saved. Please correct the fields marked below."
	}
	f.needsConfirm(err)
	return true
}

// choice is one <option> of a select.
type choice struct{ Value, Label string }

// fieldArgs is the data of the "field" and "select" partials.
type fieldArgs struct {
	ID, Name, Label, Type, Value, Error string
	Options                             []choice
	attrs                               map[string]string
}

// Attr returns an extra attribute given to field ("min", "hint", …).
func (a fieldArgs) Attr(k string) string { return a.attrs[k] }

// fieldFunc is the template function field: field NAME LABEL FORM [KEY
// VALUE]…; keys are "type" (default text), "id" (default "f-"+NAME),
// "options" ([]choice, for select), and attributes read by Attr.
func fieldFunc(name, label string, f *form, kv ...any) (fieldArgs, error) {
	a := fieldArgs{ID: "f-" + name, Name: name, Label: label, Type: "text", attrs: map[string]string{}}
	if f != nil {
		a.Value = f.Values.Get(name)
		a.Error = f.Errors[name]
	}
	if len(kv)%2 != 0 {
		return a, fmt.Errorf("field %s: odd number of key/value arguments", name)
	}
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return a, fmt.Errorf("field %s: key %v is not a string", name, kv[i])
		}
		switch v := kv[i+1].(type) {
		case []choice:
			a.Options = v
		case string:
			switch k {
			case "type":
				a.Type = v
			case "id":
				a.ID = v
			case "value":
				a.Value = v
			default:
				a.attrs[k] = v
			}
		default:
			a.attrs[k] = fmt.Sprint(v)
		}
	}
	return a, nil
}

// formValues is the one way a handler reads a submitted form: it parses the
// body (url-encoded or multipart) before anything reads it, whatever the
// middleware in front did or did not parse, and answers 400 when the body
// cannot be read. Reading Request().PostForm directly is empty until
// something has parsed the body, which is how forms once failed in every
// browser that sends Sec-Fetch-Site (the CSRF check then parses nothing).
func formValues(c echo.Context) (url.Values, error) {
	// FormParams parses url-encoded and multipart bodies alike; it merges
	// the query string in, but a form's fields come from its body alone.
	if _, err := c.FormParams(); err != nil {
		return nil, echo.NewHTTPError(http.StatusBadRequest, "could not read the form")
	}
	return c.Request().PostForm, nil
}

// postedForm reads the submitted form (see formValues) into a form.
func postedForm(c echo.Context) (*form, error) {
	v, err := formValues(c)
	if err != nil {
		return nil, err
	}
	return newForm(v), nil
}

// checkContext is the context of a form's save. When some fields already
// failed their format, the save runs under store.DryRun: the store checks
// the rest (ranges, the evaluation's rules) and saves nothing, so the
// answer names every problem at once instead of the range errors only on
// the next submit. failed tells the handler to show the form again
// whatever the store answered (a field keeps its first error).
func checkContext(c echo.Context, f *form) (ctx context.Context, failed bool) {
	ctx = confirmedCtx(c, f)
	if f.HasErrors() {
		return store.DryRun(ctx), true
	}
	return ctx, false
}
