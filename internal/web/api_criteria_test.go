package web

import (
	"fmt"
	"net/http"
	"testing"

	"vendorcompare/internal/store"
)

// TestAPICriteria: the demo's criteria; one created, changed and deleted;
// bad ones refused.
func TestAPICriteria(t *testing.T) {
	a := newAPI(t)
	var p listPage[store.Criterion]
	a.must(http.StatusOK, &p, "GET", "/api/v1/evaluations/1/criteria", nil)
	if p.Total != 5 || p.Items[0].Key != "csat" || p.Items[0].Minimum == nil {
		t.Fatalf("demo criteria: %+v", p)
	}
	var k store.Criterion
	r := a.must(http.StatusCreated, &k, "POST", "/api/v1/evaluations/1/criteria",
		map[string]any{"key": "reporting", "name": "Reporting", "weight": 5})
	if r.header.Get("Location") != fmt.Sprintf("/api/v1/criteria/%d", k.ID) || k.Scale.String() != "10" {
		t.Fatalf("created %+v", k)
	}
	path := fmt.Sprintf("/api/v1/criteria/%d", k.ID)
	a.must(http.StatusOK, &k, "PUT", path, map[string]any{"key": "reporting", "name": "Reporting and MI", "weight": 10, "scale": 5, "version": 1})
	if k.Name != "Reporting and MI" || k.Version != 2 || k.Scale.String() != "5" {
		t.Errorf("updated %+v", k)
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
		{"ErrNoKey", "POST", "/api/v1/evaluations/1/criteria", map[string]any{"name": "X", "weight": 1}, http.StatusUnprocessableEntity, "key"},
		{"ErrWeight", "POST", "/api/v1/evaluations/1/criteria", map[string]any{"key": "x", "name": "X", "weight": -1}, http.StatusUnprocessableEntity, "criteria[6].weight"},
		{"ErrDuplicateKey", "POST", "/api/v1/evaluations/1/criteria", map[string]any{"key": "csat", "name": "Again", "weight": 1}, http.StatusConflict, ""},
		{"ErrStale", "PUT", path, map[string]any{"key": "reporting", "name": "Lost", "weight": 1, "version": 1}, http.StatusConflict, ""},
		{"ErrUnknown", "GET", "/api/v1/criteria/999", nil, http.StatusNotFound, ""},
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
	a.must(http.StatusNoContent, nil, "DELETE", path, nil, "If-Match", "2")
	a.must(http.StatusNotFound, nil, "GET", path, nil)
}
