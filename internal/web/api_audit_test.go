package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"vendorcompare/internal/store"
)

// TestAPIAudit: every change is in the audit log with who made it and the
// record before and after, for the whole database and per evaluation.
func TestAPIAudit(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	var e store.Evaluation
	a.must(http.StatusCreated, &e, "POST", "/api/v1/evaluations", newSettings("Audited"), "Authorization", "Bearer "+apiToken(t, a.st, "alice@example.com", store.RoleEditor))
	upd := newSettings("Audited, renamed")
	upd["version"] = 1
	a.must(http.StatusOK, nil, "PUT", fmt.Sprintf("/api/v1/evaluations/%d", e.ID), upd, "Authorization", "Bearer "+apiToken(t, a.st, "bob@example.com", store.RoleEditor))

	var p listPage[store.AuditEntry]
	a.must(http.StatusOK, &p, "GET", fmt.Sprintf("/api/v1/evaluations/%d/audit", e.ID), nil)
	if p.Total != 2 || len(p.Items) != 2 {
		t.Fatalf("%d entries, want 2", p.Total)
	}
	last, first := p.Items[0], p.Items[1] // newest first
	if first.Actor != "alice@example.com" || first.Action != "create" || string(first.Before) != "null" {
		t.Errorf("create entry %+v", first)
	}
	if last.Actor != "bob@example.com" || last.Action != "update" || last.Entity != "evaluation" || last.EntityID != e.ID || last.At.IsZero() {
		t.Errorf("update entry %+v", last)
	}
	var before, after store.Evaluation
	if err := json.Unmarshal(last.Before, &before); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(last.After, &after); err != nil {
		t.Fatal(err)
	}
	if before.Name != "Audited" || after.Name != "Audited, renamed" || before.Version != 1 || after.Version != 2 {
		t.Errorf("before %q v%d, after %q v%d", before.Name, before.Version, after.Name, after.Version)
	}

	// The token's user as actor, and the whole log filtered by entity.
	a.must(http.StatusCreated, nil, "POST", "/api/v1/vendors", map[string]any{"name": "Audit Vendor"})
	a.must(http.StatusOK, &p, "GET", "/api/v1/audit?entity=vendor&limit=1", nil)
	if p.Total != 4 || p.Items[0].Actor != "api-admin@example.com" || p.Items[0].EvaluationID != nil || p.Next == nil {
		t.Errorf("vendor entries: total %d, %+v", p.Total, p.Items)
	}
	// A deleted evaluation's history stays readable.
	a.must(http.StatusNoContent, nil, "DELETE", fmt.Sprintf("/api/v1/evaluations/%d?version=2", e.ID), nil)
	a.must(http.StatusOK, &p, "GET", fmt.Sprintf("/api/v1/evaluations/%d/audit", e.ID), nil)
	if p.Total != 3 || p.Items[0].Action != "delete" || string(p.Items[0].After) != "null" {
		t.Errorf("after delete: %d entries, newest %+v", p.Total, p.Items[0])
	}
	for _, tc := range []struct {
		name, path string
		status     int
	}{
		{"ErrEntity", "/api/v1/audit?entity=invoice", http.StatusUnprocessableEntity},
		{"ErrLimit", "/api/v1/audit?limit=9999", http.StatusUnprocessableEntity},
		{"ErrUnknownEvaluation", "/api/v1/evaluations/4242/audit", http.StatusNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if r := a.call("GET", tc.path, nil); r.status != tc.status {
				t.Errorf("%d, want %d: %s", r.status, tc.status, r.body)
			}
		})
	}
}
