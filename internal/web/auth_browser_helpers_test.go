package web

import (
	"net/url"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// shareSession gives the browser the page client's cookies (its session
// and CSRF cookie), so that it browses signed in as the client's user.
func (b *browserT) shareSession() {
	b.t.Helper()
	u, err := url.Parse(b.p.base)
	if err != nil {
		b.t.Fatal(err)
	}
	for _, c := range b.p.client.Jar.Cookies(u) {
		if _, err := chromedp.Call(b.ctx, network.SetCookie, network.SetCookieParams{Name: c.Name, Value: c.Value, URL: b.p.base + "/"}); err != nil {
			b.t.Fatalf("set cookie %s: %v", c.Name, err)
		}
	}
}

// signOutBrowser forgets every cookie of the browser.
func signOutBrowser(t testing.TB, b *browserT) {
	t.Helper()
	if _, err := chromedp.Call(b.ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
		t.Fatalf("clear cookies: %v", err)
	}
}
