package web

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"vendorcompare/internal/auth"
	"vendorcompare/internal/store"
)

// TestAuditAccountsAdminOnly (issue 12, defect 6): the audit entries of
// users and tokens (e-mails, roles, disabled flags, token names) are for
// admins: viewers and editors asking for them get 403, and the whole log,
// in the API and on /audit, leaves them out; admins see them.
func TestAuditAccountsAdminOnly(t *testing.T) {
	t.Parallel()
	a := newAuthT(t, Config{})
	ctx := context.Background()
	u := testUser(t, a.st, "hidden-colleague@example.com", store.RoleViewer)
	_, hash := auth.NewSecret(auth.APITokenPrefix)
	if _, err := a.st.CreateAPIToken(ctx, "test", u.ID, "payroll-export-token", hash, "vct_…abcd", nil); err != nil {
		t.Fatal(err)
	}
	list := func(role store.Role, query string) (int, []store.AuditEntry) {
		rec := a.do(request{method: "GET", path: "/api/v1/audit" + query, role: role})
		var p listPage[store.AuditEntry]
		if rec.Code == http.StatusOK {
			if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
				t.Fatal(err)
			}
		}
		return rec.Code, p.Items
	}
	accountEntry := func(items []store.AuditEntry) bool {
		return slices.ContainsFunc(items, func(e store.AuditEntry) bool { return e.Entity == "user" || e.Entity == "token" })
	}
	for _, role := range []store.Role{store.RoleViewer, store.RoleEditor} {
		for _, q := range []string{"?entity=user", "?entity=token"} {
			if code, _ := list(role, q); code != http.StatusForbidden {
				t.Errorf("%s: GET /api/v1/audit%s: %d, want 403", role, q, code)
			}
		}
		code, items := list(role, "?limit=500")
		if code != http.StatusOK || len(items) == 0 || accountEntry(items) {
			t.Errorf("%s: the whole log (%d, %d entries) shows account entries: %v", role, code, len(items), accountEntry(items))
		}
		rec := a.do(request{method: "GET", path: "/audit", role: role})
		if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "hidden-colleague") || strings.Contains(rec.Body.String(), "payroll-export-token") {
			t.Errorf("%s: /audit (%d) shows the account trail", role, rec.Code)
		}
	}
	for _, q := range []string{"?entity=user", "?entity=token"} {
		if code, items := list(store.RoleAdmin, q); code != http.StatusOK || len(items) == 0 || !accountEntry(items) {
			t.Errorf("admin: GET /api/v1/audit%s: %d, %d entries", q, code, len(items))
		}
	}
	rec := a.do(request{method: "GET", path: "/audit", role: store.RoleAdmin})
	if body := rec.Body.String(); rec.Code != http.StatusOK || !strings.Contains(body, "hidden-colleague") || !strings.Contains(body, "payroll-export-token") {
		t.Errorf("admin: /audit (%d) lacks the account trail", rec.Code)
	}
}
