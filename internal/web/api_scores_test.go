package web

import (
	"fmt"
	"net/http"
	"testing"

	"vendorcompare/internal/store"
)

// TestAPIScores: the demo's scores; a score above its criterion's scale is
// 422 at its document path and writes nothing; stale versions are 409.
func TestAPIScores(t *testing.T) {
	a := newAPI(t)
	var p listPage[store.Score]
	a.must(http.StatusOK, &p, "GET", "/api/v1/evaluations/1/scores", nil)
	if p.Total != 25 {
		t.Fatalf("demo scores: %d, want 25", p.Total)
	}
	va := a.demoOptions()["vendor-a"]
	a.must(http.StatusOK, &p, "GET", fmt.Sprintf("/api/v1/options/%d/scores?q=csat", va.ID), nil)
	if p.Total != 1 || p.Items[0].Key != "csat" || p.Items[0].Value.String() != "8" {
		t.Fatalf("vendor-a csat: %+v", p.Items)
	}
	sc := p.Items[0]
	path := fmt.Sprintf("/api/v1/scores/%d", sc.ID)
	var got store.Score
	a.must(http.StatusOK, &got, "PUT", path, map[string]any{"value": 8.5, "version": sc.Version})
	if got.Value.String() != "8.5" || got.Version != sc.Version+1 {
		t.Errorf("updated %+v", got)
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
		{"ErrAboveScale", "PUT", path, map[string]any{"value": 11, "version": got.Version}, http.StatusUnprocessableEntity, "options[1].scores.csat"},
		{"ErrNoValue", "PUT", path, map[string]any{"version": got.Version}, http.StatusUnprocessableEntity, "value"},
		{"ErrOtherKey", "PUT", path, map[string]any{"key": "fcr", "value": 5, "version": got.Version}, http.StatusUnprocessableEntity, "key"},
		{"ErrStale", "PUT", path, map[string]any{"value": 5, "version": sc.Version}, http.StatusConflict, ""},
		{"ErrDuplicate", "POST", fmt.Sprintf("/api/v1/options/%d/scores", va.ID), map[string]any{"key": "csat", "value": 5}, http.StatusConflict, ""},
		{"ErrUnknownKey", "POST", fmt.Sprintf("/api/v1/options/%d/scores", va.ID), map[string]any{"key": "price", "value": 5}, http.StatusUnprocessableEntity, "key"},
		{"ErrNoKey", "POST", fmt.Sprintf("/api/v1/options/%d/scores", va.ID), map[string]any{"value": 5}, http.StatusUnprocessableEntity, "key"},
		{"ErrUnknownOption", "POST", "/api/v1/options/999/scores", map[string]any{"key": "csat", "value": 5}, http.StatusNotFound, ""},
		{"ErrUnknown", "GET", "/api/v1/scores/99999", nil, http.StatusNotFound, ""},
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
	a.must(http.StatusOK, &got, "GET", path, nil)
	if got.Value.String() != "8.5" {
		t.Errorf("refused requests changed the score to %s", got.Value)
	}

	// Delete and create again.
	a.must(http.StatusNoContent, nil, "DELETE", fmt.Sprintf("%s?version=%d", path, got.Version), nil)
	var fresh store.Score
	a.must(http.StatusCreated, &fresh, "POST", fmt.Sprintf("/api/v1/options/%d/scores", va.ID), map[string]any{"key": "csat", "value": "7.5"})
	if fresh.Key != "csat" || fresh.Value.String() != "7.5" || fresh.Version != 1 {
		t.Errorf("created %+v", fresh)
	}
}
