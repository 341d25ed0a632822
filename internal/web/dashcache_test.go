package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/store"
)

// TestDashboardCacheNeverStale: the dashboard served from the cache is
// byte for byte what a server without a cache renders for the same
// session, before and after a cost line of the evaluation changes, and a
// decision recorded later shows at once.
func TestDashboardCacheNeverStale(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	u := testUser(t, a.st, "dash-cache@example.com", store.RoleEditor)
	cached := New(Config{}, Deps{Store: a.st}).Handler()
	cookies := loginCookies(t, cached, u.Email, testPassword)
	get := func(h http.Handler) []byte {
		t.Helper()
		req := httptest.NewRequest(http.MethodGet, "/evaluations/1", nil)
		for _, c := range cookies {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET /evaluations/1: %d %.300s", rec.Code, rec.Body.String())
		}
		return rec.Body.Bytes()
	}
	fresh := func() []byte { return get(New(Config{}, Deps{Store: a.st}).Handler()) }

	first := get(cached)
	if again := get(cached); !bytes.Equal(first, again) || !bytes.Equal(again, fresh()) {
		t.Fatal("the cached dashboard differs from a fresh one")
	}
	lines, err := a.st.ListLines(context.Background(), a.demoOptions()["in-house"].ID)
	if err != nil || len(lines) == 0 {
		t.Fatalf("in-house lines: %v", err)
	}
	l := lines[0]
	l.Amount = l.Amount.Mul(decimal.NewFromInt(2))
	a.must(http.StatusOK, nil, "PUT", fmt.Sprintf("/api/v1/lines/%d", l.ID), withVersion(t, l.Line, l.Version))
	after := get(cached)
	if bytes.Equal(after, first) {
		t.Fatal("after doubling an in-house cost line the dashboard is unchanged (stale cache)")
	}
	if !bytes.Equal(after, fresh()) {
		t.Error("after the change the cached dashboard differs from a fresh one")
	}
	if _, err := a.st.RecordDecision(context.Background(), "test", 1, store.DecisionInput{Kind: "defer", Rationale: "Waiting for the best and final offers"}); err != nil {
		t.Fatal(err)
	}
	if page := get(cached); !bytes.Contains(page, []byte("Waiting for the best and final offers")) {
		t.Error("a decision recorded after the dashboard was cached does not show")
	}

	// The body below the decision is rendered once and shared: a viewer
	// served after the editor gets the same body but none of the editor's
	// controls, and each their own CSRF token and name.
	editorPage := string(get(cached))
	viewer := testUser(t, a.st, "dash-viewer@example.com", store.RoleViewer)
	cookies = loginCookies(t, cached, viewer.Email, testPassword)
	viewerPage := string(get(cached))
	if !strings.Contains(editorPage, "Edit in the workspace") || strings.Contains(viewerPage, "Edit in the workspace") {
		t.Error("the workspace button is not the editor's alone")
	}
	if !strings.Contains(viewerPage, viewer.Email) || strings.Contains(viewerPage, u.Email) {
		t.Error("the viewer's page does not name the viewer alone")
	}
	body := func(page string) string {
		i := strings.Index(page, `id="first"`)
		j := strings.Index(page, "</main>")
		if i < 0 || j < i {
			t.Fatalf("no dashboard body in %.200s", page)
		}
		return page[i:j]
	}
	if body(editorPage) != body(viewerPage) {
		t.Error("the shared body differs between an editor and a viewer")
	}
	if csrfIn(editorPage) == "" || csrfIn(editorPage) == csrfIn(viewerPage) {
		t.Error("editor and viewer share a CSRF token (or have none)")
	}

	// Each viewer's whole page is kept too: a second view is the same
	// bytes as a fresh server renders, and a new role shows at once.
	if again := string(get(cached)); again != viewerPage || again != string(fresh()) {
		t.Error("the viewer's kept page differs from a fresh render")
	}
	// Changed by another process, the role leaves this process's
	// fingerprint of the evaluation as it was: only the viewer's key
	// tells the pages apart.
	other, err := store.Open(context.Background(), filepath.Dir(a.st.Path()))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	fp, _ := a.st.Fingerprint(context.Background(), 1)
	if _, err := other.SetUserRole(context.Background(), "test", viewer.ID, store.RoleEditor); err != nil {
		t.Fatal(err)
	}
	if now, _ := a.st.Fingerprint(context.Background(), 1); now != fp {
		t.Fatalf("fingerprint moved %q → %q: the test no longer isolates the viewer's key", fp, now)
	}
	if page := string(get(cached)); !strings.Contains(page, "Edit in the workspace") || !strings.Contains(page, viewer.Email+" · editor") {
		t.Error("a viewer made editor still gets the viewer's kept page")
	}
	// so does a decision recorded by the other process
	if _, err := other.RecordDecision(context.Background(), "board", 1, store.DecisionInput{Kind: "defer", Rationale: "Ask both vendors for references"}); err != nil {
		t.Fatal(err)
	}
	if page := get(cached); !bytes.Contains(page, []byte("Ask both vendors for references")) {
		t.Error("a decision recorded by another process does not show")
	}
}

// csrfIn is the CSRF token of the page's first form.
func csrfIn(page string) string {
	_, rest, ok := strings.Cut(page, `name="_csrf" value="`)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, `"`)
	return v
}
