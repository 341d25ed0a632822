package web

import (
	"net/http"
	"strings"
	"testing"

	"vendorcompare/internal/store"
)

// TestFetchMetadataCSRF (issue 12, defect 8) pins down what the README
// says about CSRF: a cookie-authenticated change is accepted without the
// token when the browser sends Sec-Fetch-Site: same-origin or none (a
// header pages of another site cannot set); same-site and a missing
// header need the token; cross-site is refused outright, token or not.
func TestFetchMetadataCSRF(t *testing.T) {
	t.Parallel()
	a := newAuthT(t, Config{})
	post := func(site, token string) int {
		h := map[string]string{"Content-Type": "application/json"}
		if site != "" {
			h["Sec-Fetch-Site"] = site
		}
		if token != "" {
			h["X-CSRF-Token"] = token
		}
		return a.do(request{method: "POST", path: "/api/v1/vendors", role: store.RoleEditor,
			body: `{"name":"Vendor ` + site + token[:min(len(token), 4)] + `"}`, header: h}).Code
	}
	tok := csrfOf(a.cookies[store.RoleEditor])
	for _, tc := range []struct {
		site, token string
		want        int
	}{
		{"same-origin", "", http.StatusCreated},
		{"none", "", http.StatusCreated},
		{"same-site", "", http.StatusForbidden},
		{"same-site", tok, http.StatusCreated},
		{"", "", http.StatusForbidden},
		{"", tok, http.StatusCreated},
		{"cross-site", tok, http.StatusForbidden},
	} {
		if got := post(tc.site, tc.token); got != tc.want {
			t.Errorf("Sec-Fetch-Site %q, token %t: %d, want %d", tc.site, tc.token != "", got, tc.want)
		}
	}
}

// TestOpenAPINoXActor (issue 12, defect 8): the server takes the audit's
// actor from the signed-in user or the token, never from a header, so the
// description lists no X-Actor header.
func TestOpenAPINoXActor(t *testing.T) {
	t.Parallel()
	a := newAuthT(t, Config{})
	rec := a.do(request{method: "GET", path: "/api/v1/openapi.json", role: store.RoleViewer})
	if rec.Code != http.StatusOK {
		t.Fatalf("openapi.json: %d", rec.Code)
	}
	if strings.Contains(strings.ToLower(rec.Body.String()), "x-actor") {
		t.Fatal("the OpenAPI document lists an X-Actor header the server ignores")
	}
}
