package web

import (
	"fmt"
	"net/http"
	"testing"

	"vendorcompare/internal/store"
)

// TestAPILines: the cost lines of an option's current round, one created,
// changed and deleted; a bad line is 422 and writes nothing.
func TestAPILines(t *testing.T) {
	a := newAPI(t)
	opts := a.demoOptions()
	inHouse := opts["in-house"]
	var p listPage[store.Line]
	a.must(http.StatusOK, &p, "GET", fmt.Sprintf("/api/v1/options/%d/lines", inHouse.ID), nil)
	if p.Total != len(inHouse.Lines) || p.Total == 0 {
		t.Fatalf("%d lines, want %d", p.Total, len(inHouse.Lines))
	}

	line := map[string]any{"name": "Quality monitoring tool", "category": "technology", "basis": "fixed", "amount": 1800, "escalation": 0.03}
	var l store.Line
	r := a.must(http.StatusCreated, &l, "POST", fmt.Sprintf("/api/v1/options/%d/lines", inHouse.ID), line)
	if r.header.Get("Location") != fmt.Sprintf("/api/v1/lines/%d", l.ID) || l.Amount.String() != "1800" || l.Version != 1 || l.Position != p.Total {
		t.Fatalf("created %+v", l)
	}
	path := fmt.Sprintf("/api/v1/lines/%d", l.ID)
	line["amount"] = "1950.50"
	a.must(http.StatusOK, &l, "PUT", path, line, "If-Match", "1")
	if l.Amount.String() != "1950.5" || l.Version != 2 {
		t.Errorf("updated %+v", l)
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
		{"ErrBasis", "PUT", path, map[string]any{"name": "x", "category": "technology", "basis": "sometimes", "amount": 1, "version": 2}, http.StatusUnprocessableEntity, "basis"},
		{"ErrCategory", "POST", fmt.Sprintf("/api/v1/options/%d/lines", inHouse.ID), map[string]any{"name": "x", "category": "vendor", "basis": "fixed", "amount": 1}, http.StatusUnprocessableEntity, "category"},
		{"ErrDomainAmount", "PUT", path, map[string]any{"name": "x", "category": "technology", "basis": "fixed", "amount": -1, "version": 2}, http.StatusUnprocessableEntity, fmt.Sprintf("options[0].lines[%d].amount", l.Position)},
		{"ErrUnknownField", "PUT", path, map[string]any{"name": "x", "category": "technology", "basis": "fixed", "amount": 1, "version": 2, "colour": "red"}, http.StatusUnprocessableEntity, "colour"},
		{"ErrStale", "PUT", path, map[string]any{"name": "x", "category": "technology", "basis": "fixed", "amount": 1, "version": 1}, http.StatusConflict, ""},
		{"ErrUnknownOption", "GET", "/api/v1/options/999/lines", nil, http.StatusNotFound, ""},
		{"ErrUnknown", "GET", "/api/v1/lines/999999", nil, http.StatusNotFound, ""},
		{"ErrBadID", "DELETE", "/api/v1/lines/x?version=1", nil, http.StatusNotFound, ""},
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
	var now store.Line
	a.must(http.StatusOK, &now, "GET", path, nil)
	if now.Amount.String() != "1950.5" || now.Version != 2 {
		t.Errorf("refused requests changed the line: %+v", now)
	}
	a.must(http.StatusNoContent, nil, "DELETE", path+"?version=2", nil)
	a.must(http.StatusNotFound, nil, "GET", path, nil)
}
