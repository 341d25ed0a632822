package web

import (
	"fmt"
	"net/http"
	"testing"

	"vendorcompare/internal/store"
)

// TestAPIVendors: the vendor directory: list and search, create, update,
// delete; a vendor still linked to an option cannot be deleted (409).
func TestAPIVendors(t *testing.T) {
	a := newAPI(t)
	var p listPage[store.Vendor]
	a.must(http.StatusOK, &p, "GET", "/api/v1/vendors", nil)
	if p.Total != 3 {
		t.Fatalf("demo vendors: %d", p.Total)
	}
	a.must(http.StatusOK, &p, "GET", "/api/v1/vendors?q=lisboa", nil)
	if p.Total != 1 || p.Items[0].Name != "Lisboa Nearshore CX" {
		t.Errorf("search: %+v", p.Items)
	}
	body := map[string]any{"name": "Northwind Support", "contact": "Ana Souza", "email": "ana@northwind.example",
		"certifications": []string{"ISO 27001", "PCI DSS"}, "notes": "met at the 2026 fair"}
	var v store.Vendor
	r := a.must(http.StatusCreated, &v, "POST", "/api/v1/vendors", body, "Authorization", "Bearer "+apiToken(t, a.st, "buyer@example.com", store.RoleEditor))
	if r.header.Get("Location") != fmt.Sprintf("/api/v1/vendors/%d", v.ID) || len(v.Certifications) != 2 {
		t.Fatalf("created %+v", v)
	}
	path := fmt.Sprintf("/api/v1/vendors/%d", v.ID)
	body["contact"], body["version"] = "João Lima", 1
	a.must(http.StatusOK, &v, "PUT", path, body)
	if v.Contact != "João Lima" || v.Version != 2 {
		t.Errorf("updated %+v", v)
	}
	linked := *a.demoOptions()["vendor-a"].VendorID
	before := a.auditTotal()
	for _, tc := range []struct {
		name   string
		method string
		path   string
		body   any
		status int
		field  string
	}{
		{"ErrEmail", "POST", "/api/v1/vendors", map[string]any{"name": "X", "email": "not-an-address"}, http.StatusUnprocessableEntity, "email"},
		{"ErrNoName", "POST", "/api/v1/vendors", map[string]any{"contact": "x"}, http.StatusUnprocessableEntity, "name"},
		{"ErrCertification", "POST", "/api/v1/vendors", map[string]any{"name": "X", "certifications": []any{"ok", ""}}, http.StatusUnprocessableEntity, "certifications[1]"},
		{"ErrCertificationType", "POST", "/api/v1/vendors", map[string]any{"name": "X", "certifications": "ISO"}, http.StatusUnprocessableEntity, "certifications"},
		{"ErrDuplicateName", "POST", "/api/v1/vendors", map[string]any{"name": "northwind support"}, http.StatusConflict, ""},
		{"ErrStale", "PUT", path, map[string]any{"name": "Lost", "version": 1}, http.StatusConflict, ""},
		{"ErrLinked", "DELETE", fmt.Sprintf("/api/v1/vendors/%d?version=1", linked), nil, http.StatusConflict, ""},
		{"ErrUnknown", "PUT", "/api/v1/vendors/999", map[string]any{"name": "X", "version": 1}, http.StatusNotFound, ""},
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
	// A request's own problems are worded as the request's.
	r = a.call("POST", "/api/v1/vendors", map[string]any{"name": "X", "email": "nope"})
	if msg := errorOf(t, r).Message; msg != "the request has 1 problem" {
		t.Errorf("message %q", msg)
	}
	if n := a.auditTotal(); n != before {
		t.Errorf("refused requests wrote %d audit entries", n-before)
	}
	a.must(http.StatusNoContent, nil, "DELETE", path, nil, "If-Match", `"2"`)
	a.must(http.StatusNotFound, nil, "GET", path, nil)
}
