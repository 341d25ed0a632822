package tco

import (
	"sort"
	"strings"
)

// FieldError is one problem with a document, at a JSON path such as
// "options[1].pricing.tiers[0].price".
type FieldError struct {
	Path    string `json:"path"`
	Message string `json:"message"`
}

// Errors is every problem found in a document at once. It is the error
// returned by Decode, Validate and Compare for bad input.
type Errors []FieldError

// Error lists the problems, one per line.
func (e Errors) Error() string {
	var b strings.Builder
	for i, f := range e {
		if i > 0 {
			b.WriteString("; ")
		}
		if f.Path != "" {
			b.WriteString(f.Path)
			b.WriteString(": ")
		}
		b.WriteString(f.Message)
	}
	return b.String()
}

// Fields returns the problems as a path → message map (the 422 body); two
// problems on one path are joined with "; ".
func (e Errors) Fields() map[string]string {
	m := make(map[string]string, len(e))
	for _, f := range e {
		if old, ok := m[f.Path]; ok {
			m[f.Path] = old + "; " + f.Message
			continue
		}
		m[f.Path] = f.Message
	}
	return m
}

// Sorted returns the problems ordered by path.
func (e Errors) Sorted() Errors {
	out := append(Errors(nil), e...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// add records a problem.
func (e *Errors) add(path, msg string) { *e = append(*e, FieldError{Path: path, Message: msg}) }

// err returns e as an error, or nil when there is no problem.
func (e Errors) err() error {
	if len(e) == 0 {
		return nil
	}
	return e
}
