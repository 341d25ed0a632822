package web

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"vendorcompare/internal/store"
)

// TestBrowserPasswords: in Chromium, an admin makes a reset link on the
// users page and it is shown once; the user opens it in a browser that
// is not signed in, sees a refused mismatched confirmation, sets a new
// password and lands signed in on the password page; they then change it
// again from the header's Password link with the current one. Both new
// passwords are stored, and no page breaks the CSP or logs an error. At
// 390 px wide the same pages are drawn too (screenshots with
// SCREENSHOT_DIR).
func TestBrowserPasswords(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	u := testUser(t, p.st, "forgetful@example.com", store.RoleViewer)
	testUser(t, p.st, "narrow@example.com", store.RoleViewer)
	b := newBrowser(t, p, 1280, 900) // signed in as the harness's admin

	b.open("/admin/users")
	b.waitFor(`!!document.getElementById("users")`)
	if err := b.do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`form[action="/admin/users/%d/reset-link"] button`, u.ID)))); err != nil {
		t.Fatal(err)
	}
	b.waitFor(`!!document.getElementById("reset-url")`)
	link := eval[string](b, `document.getElementById("reset-url").textContent`)
	if !strings.HasPrefix(link, p.base+"/reset-password?token=vcr_") {
		t.Fatalf("reset link %q", link)
	}
	if who := eval[string](b, `document.getElementById("reset-link").textContent`); !strings.Contains(who, "forgetful@example.com") {
		t.Errorf("the link's notice names %q", who)
	}
	b.screenshot("users-reset-link-1280")
	b.clean()

	// The user, in a browser with no session.
	signOutBrowser(t, b)
	b.reset()
	b.open(strings.TrimPrefix(link, p.base))
	b.waitFor(`!!document.getElementById("reset-form")`)
	const first, second = "a new passphrase from the link", "and another one, typed by me"
	if err := b.do(
		chromedp.SendKeys(chromedp.ID("f-password"), first),
		chromedp.SendKeys(chromedp.ID("f-confirm"), first+" (typo)"),
		chromedp.Submit(chromedp.ID("f-password")),
	); err != nil {
		t.Fatal(err)
	}
	b.waitFor(`!!document.getElementById("f-confirm-error")`)
	b.screenshot("reset-mismatch-1280")
	b.reset() // the refused form's 422, logged by Chromium as a failed load
	if err := b.do(
		chromedp.SendKeys(chromedp.ID("f-password"), first),
		chromedp.SendKeys(chromedp.ID("f-confirm"), first),
		chromedp.Submit(chromedp.ID("f-password")),
	); err != nil {
		t.Fatal(err)
	}
	b.waitFor(`location.pathname === "/account/password" && !!document.getElementById("password-done")`)
	if who := eval[string](b, `document.querySelector(".site-user a").textContent`); who != "forgetful@example.com · viewer" {
		t.Errorf("after the reset the header shows %q", who)
	}
	b.screenshot("password-after-reset-1280")
	b.clean()

	// Change it again from the header's link.
	b.open("/")
	b.waitFor(`!!document.getElementById("nav-password")`)
	if err := b.do(chromedp.Click(chromedp.ID("nav-password"))); err != nil {
		t.Fatal(err)
	}
	b.waitFor(`location.pathname === "/account/password" && !!document.getElementById("password-form")`)
	if err := b.do(
		chromedp.SendKeys(chromedp.ID("f-current"), first),
		chromedp.SendKeys(chromedp.ID("f-password"), second),
		chromedp.SendKeys(chromedp.ID("f-confirm"), second),
		chromedp.Submit(chromedp.ID("f-current")),
	); err != nil {
		t.Fatal(err)
	}
	b.waitFor(`(document.getElementById("password-done") || {}).textContent?.includes("Your password was changed")`)
	b.screenshot("password-changed-1280")
	b.clean()
	_, hash, err := p.st.Credentials(context.Background(), u.Email)
	if err != nil || !verifies(hash, second) {
		t.Fatalf("the password typed last is not the stored one (%v)", err)
	}

	// The same pages at 390 px.
	n := newBrowser(t, p, 390, 844)
	n.open("/admin/users")
	n.waitFor(`!!document.getElementById("users")`)
	narrow, _, _ := p.st.Credentials(context.Background(), "narrow@example.com")
	if err := n.do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`form[action="/admin/users/%d/reset-link"] button`, narrow.ID)))); err != nil {
		t.Fatal(err)
	}
	n.waitFor(`!!document.getElementById("reset-url")`)
	n.screenshot("users-reset-link-390")
	if over := eval[bool](n, `document.documentElement.scrollWidth > window.innerWidth + 1`); over {
		t.Error("the users page with a reset link is wider than a 390 px screen")
	}
	for _, path := range []string{"/account/password", "/tokens"} {
		n.open(path)
		n.waitFor(`document.readyState === "complete"`)
		n.screenshot(strings.ReplaceAll(strings.Trim(path, "/"), "/", "-") + "-390")
		if over := eval[bool](n, `document.documentElement.scrollWidth > window.innerWidth + 1`); over {
			t.Errorf("%s is wider than a 390 px screen", path)
		}
	}
	n.clean()
}
