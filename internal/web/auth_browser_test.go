package web

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"vendorcompare/internal/store"
)

// TestBrowserViewer: in Chromium, a viewer signs in through the login
// form, lands on the page asked for, sees the evaluations and the
// dashboard with no edit control (no form but signing out, no link to the
// workspace), and a POST made from the page with a valid CSRF token is
// still refused with 403 because of the role.
func TestBrowserViewer(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	testUser(t, p.st, "leader@example.com", store.RoleViewer)
	b := newBrowser(t, p, 1280, 900)
	signOutBrowser(t, b)

	dash := fmt.Sprintf("/evaluations/%d", p.demoID)
	b.open(dash + "?test=1")
	b.waitFor(`location.pathname === "/login" && !!document.getElementById("f-email")`)
	b.screenshot("login")
	if err := b.do(
		chromedp.SendKeys(chromedp.ID("f-email"), "leader@example.com"),
		chromedp.SendKeys(chromedp.ID("f-password"), testPassword),
		chromedp.Submit(chromedp.ID("f-password")),
	); err != nil {
		t.Fatal(err)
	}
	// Back on the page asked for, signed in.
	b.waitFor(fmt.Sprintf(`location.pathname === %q && !!document.getElementById("logout")`, dash))
	b.waitFor(`document.documentElement.dataset.chartsDrawn !== undefined`)
	if who := eval[string](b, `document.querySelector(".site-user a").textContent`); who != "leader@example.com · viewer" {
		t.Errorf("header shows %q", who)
	}
	noEditing := `[...document.querySelectorAll("form")].filter((f) => f.method === "post" && f.getAttribute("action") !== "/logout").map((f) => f.getAttribute("action"))
		.concat([...document.querySelectorAll("a[href*='/workspace'], a[href='#new'], a[href='#import']")].map((a) => a.getAttribute("href")))`
	if left := eval[[]string](b, noEditing); len(left) != 0 {
		t.Errorf("the dashboard shows a viewer edit controls: %q", left)
	}
	b.screenshot("viewer-dashboard")
	b.clean()

	b.open("/")
	b.waitFor(`!!document.getElementById("evaluations")`)
	if left := eval[[]string](b, noEditing); len(left) != 0 {
		t.Errorf("the evaluations list shows a viewer edit controls: %q", left)
	}
	if n := eval[int](b, `document.querySelectorAll("#evaluations tbody tr").length`); n < 1 {
		t.Errorf("the viewer sees %d evaluations", n)
	}
	b.clean()
	for _, path := range []string{"/tokens", dash + "/decisions", dash + "/audit"} {
		b.open(path)
		b.waitFor(`document.readyState === "complete"`)
		b.screenshot("viewer" + strings.ReplaceAll(path, "/", "-"))
		b.clean()
	}

	// A direct POST, as a forged form would send it, with the page's own
	// CSRF token: refused for the role.
	status := awaitInt(t, b, `(async () => {
		const token = document.querySelector("#logout input[name=_csrf]").value;
		const body = new URLSearchParams({_csrf: token, name: "Viewer-made", currency: "EUR", start: "2027-01", horizon_months: "12", volume_monthly: "10", volume_unit: "call"});
		const res = await fetch("/evaluations", {method: "POST", body, redirect: "manual"});
		return res.status;
	})()`)
	if status != 403 {
		t.Fatalf("a viewer's POST /evaluations: %d, want 403", status)
	}
	api := awaitInt(t, b, `(async () => (await fetch("/api/v1/vendors", {method: "POST", headers: {"Content-Type": "application/json"}, body: "{\"name\":\"Viewer\"}"})).status)()`)
	if api != 403 {
		t.Fatalf("a viewer's POST /api/v1/vendors: %d, want 403", api)
	}
	pg, err := p.st.ListEvaluations(t.Context(), store.ListParams{Search: "Viewer-made"})
	if err != nil || pg.Total != 0 {
		t.Fatalf("the refused POST saved something: %v %d", err, pg.Total)
	}
}

// awaitInt evaluates a JavaScript expression whose value is a promise of a
// number, and waits for it.
func awaitInt(t *testing.T, b *browserT, expr string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[int](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}
