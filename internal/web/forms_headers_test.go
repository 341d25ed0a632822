package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"vendorcompare/internal/store"
)

// browserHeaders are what Chromium, Firefox and Safari send with a form
// submitted from a page of the same site (and no Referer: the pages say
// Referrer-Policy: no-referrer).
func (p *pageT) browserHeaders(req *http.Request) {
	req.Header.Set("Origin", p.base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Sec-Fetch-Mode", "navigate")
	req.Header.Set("Sec-Fetch-Dest", "document")
	req.Header.Set("Sec-Fetch-User", "?1")
}

// postAsBrowser submits a url-encoded form as a browser does: the page's
// CSRF field and the browser's headers; redirects are not followed.
func (p *pageT) postAsBrowser(path, from string, v url.Values) pageRes {
	p.t.Helper()
	if v.Get("_csrf") == "" {
		v.Set("_csrf", p.csrfToken(from))
	}
	req, err := http.NewRequest(http.MethodPost, p.base+path, strings.NewReader(v.Encode()))
	if err != nil {
		p.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	p.browserHeaders(req)
	return p.noRedirect(req)
}

// postFileAsBrowser submits a multipart form with one file from the page
// at path: every field (name, value pairs) in the page's order, the file,
// and the browser's headers.
func (p *pageT) postFileAsBrowser(path, field, filename string, content []byte, fields ...string) pageRes {
	p.t.Helper()
	return p.postMultipart(path, path, fields, field, filename, content)
}

// TestFormsAsBrowsersSend submits the forms that once failed in every
// browser (issue 11, defect 1: the handler read the body before anything
// had parsed it, and the CSRF check parses nothing when Sec-Fetch-Site is
// sent) with the headers browsers send, through the real server, and finds
// each record in the store.
func TestFormsAsBrowsersSend(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	ctx := context.Background()

	t.Run("Decision", func(t *testing.T) {
		path := fmt.Sprintf("/evaluations/%d/decisions", p.demoID)
		res := p.postAsBrowser(path, path, url.Values{"kind": {"defer"}, "option_id": {""}, "rationale": {"Wait for the best and final offers"}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("status %d: %.500s", res.status, res.body)
		}
		ds, err := p.st.ListDecisions(ctx, p.demoID)
		if err != nil || len(ds) != 1 || ds[0].Kind != "defer" || ds[0].Rationale != "Wait for the best and final offers" {
			t.Fatalf("decisions %+v %v", ds, err)
		}
	})

	t.Run("AddUser", func(t *testing.T) {
		res := p.postAsBrowser("/admin/users", "/admin/users", url.Values{"email": {"new-analyst@example.com"}, "role": {"editor"}, "password": {"a first password here"}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("status %d: %.500s", res.status, res.body)
		}
		u, _, err := p.st.Credentials(ctx, "new-analyst@example.com")
		if err != nil || u.Role != store.RoleEditor {
			t.Fatalf("user %+v %v", u, err)
		}
	})

	t.Run("CreateToken", func(t *testing.T) {
		res := p.postAsBrowser("/tokens", "/tokens", url.Values{"name": {"monthly report"}})
		if res.status != http.StatusCreated && res.status != http.StatusOK && res.status != http.StatusSeeOther {
			t.Fatalf("status %d: %.500s", res.status, res.body)
		}
		u, _, err := p.st.Credentials(ctx, "pages-admin@example.com")
		if err != nil {
			t.Fatal(err)
		}
		toks, err := p.st.ListAPITokens(ctx, u.ID)
		if err != nil || len(toks) != 1 || toks[0].Name != "monthly report" {
			t.Fatalf("tokens %+v %v", toks, err)
		}
	})

	// Defect 2: the page's round select always sends a label, also when
	// the upload is a new vendor quote.
	t.Run("BidAsNewQuote", func(t *testing.T) {
		path := fmt.Sprintf("/evaluations/%d/bids", p.demoID)
		dl := p.get(fmt.Sprintf("/api/v1/evaluations/%d/bid-form", p.demoID))
		if dl.status != http.StatusOK {
			t.Fatalf("bid form: %d", dl.status)
		}
		before, _ := p.counts(p.demoID)
		res := p.postFileAsBrowser(path, "file", "vendor-n.xlsx", fillVendorA(t, []byte(dl.body), "Vendor N", 4.5, nil),
			"option_id", "", "label", store.LabelRevised)
		now, _ := p.counts(p.demoID)
		if res.status != http.StatusSeeOther || len(now) != len(before)+1 {
			t.Fatalf("status %d, options %d → %d: %.800s", res.status, len(before), len(now), res.body)
		}
		if _, ok := now["vendor-n"]; !ok {
			t.Errorf("no option vendor-n: %v", now)
		}
	})
}
