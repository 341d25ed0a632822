package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"vendorcompare/internal/store"
)

// postBid submits the bids page's upload form: the file and the other
// fields (name, value pairs) with the page's CSRF token and the headers a
// browser sends; redirects are not followed.
func (p *pageT) postBid(path, filename string, content []byte, fields ...string) pageRes {
	p.t.Helper()
	return p.postMultipart(path, path, fields, "file", filename, content)
}

// counts returns an evaluation's options by slug and the audit log's size.
func (p *pageT) counts(evalID int64) (map[string]store.Option, int) {
	p.t.Helper()
	ctx := context.Background()
	opts, err := p.st.ListOptions(ctx, evalID)
	if err != nil {
		p.t.Fatal(err)
	}
	a, err := p.st.Audit(ctx, store.AuditFilter{Limit: 1})
	if err != nil {
		p.t.Fatal(err)
	}
	out := map[string]store.Option{}
	for _, o := range opts {
		out[o.Slug] = o
	}
	return out, a.Total
}

func TestBidsPage(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	path := fmt.Sprintf("/evaluations/%d/bids", p.demoID)

	res := p.get(path)
	if res.status != http.StatusOK {
		t.Fatalf("GET %s: %d", path, res.status)
	}
	contains(t, "bids page", res.body,
		fmt.Sprintf(`href="/api/v1/evaluations/%d/bid-form"`, p.demoID),
		fmt.Sprintf(`href="/api/v1/evaluations/%d/export?format=xlsx"`, p.demoID),
		fmt.Sprintf(`href="/api/v1/evaluations/%d/export?format=csv"`, p.demoID),
		fmt.Sprintf(`href="/api/v1/evaluations/%d/export?format=csv&amp;sep=semicolon&amp;bom=1"`, p.demoID),
		`enctype="multipart/form-data"`, `name="_csrf"`, `name="file"`, "A new round of Vendor A",
	)
	for _, from := range []string{fmt.Sprintf("/evaluations/%d", p.demoID), fmt.Sprintf("/evaluations/%d/workspace", p.demoID)} {
		contains(t, from, p.get(from).body, `href="`+path+`"`)
	}
	// The bid form, downloaded with the session as the page's link does.
	dl := p.get(fmt.Sprintf("/api/v1/evaluations/%d/bid-form", p.demoID))
	if dl.status != http.StatusOK || !strings.Contains(dl.header.Get("Content-Disposition"), "-bid-form.xlsx") {
		t.Fatalf("bid form: %d %v", dl.status, dl.header)
	}
	form := []byte(dl.body)

	t.Run("ErrProblems", func(t *testing.T) {
		opts, audits := p.counts(p.demoID)
		bad := fillVendorA(t, form, "Vendor Z", 4.5, func(f *excelize.File) {
			setCell(t, f, "Pricing", "C7", "per-seat")
			setCell(t, f, "Pricing", "B22", 9000)
			setCell(t, f, "Lines", "F8", 40)
			setCell(t, f, "Quality", "D4", 11)
		})
		res := p.postBid(path, "vendor-z.xlsx", bad)
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", res.status)
		}
		contains(t, "refused upload", res.body,
			"Nothing was saved: vendor-z.xlsx has 5 problems.",
			"<code>Pricing!C7</code>: must be unit or block",
			"<code>Pricing!B22</code>: must be greater than the previous tier&#39;s bound (10000) (found &#34;9000&#34;)",
			"<code>Lines!F8</code>: must be between 1 and 36",
			"<code>Lines!G8</code>:",
			"<code>Quality!D4</code>: must be at most the criterion&#39;s scale (10)",
		)
		if now, n := p.counts(p.demoID); len(now) != len(opts) || n != audits {
			t.Errorf("a refused upload saved something: %d → %d options, %d → %d audit rows", len(opts), len(now), audits, n)
		}
	})

	t.Run("ErrNotSpreadsheet", func(t *testing.T) {
		res := p.postBid(path, "photo.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", res.status)
		}
		contains(t, "a PNG", res.body, `class="field-error" id="f-file-error">Not a spreadsheet`)
	})

	t.Run("OK", func(t *testing.T) {
		opts, _ := p.counts(p.demoID)
		res := p.postBid(path, "vendor-z.xlsx", fillVendorA(t, form, "Vendor Z", 4.5, nil))
		now, _ := p.counts(p.demoID)
		z, ok := now["vendor-z"]
		if res.status != http.StatusSeeOther || !ok || len(now) != len(opts)+1 {
			t.Fatalf("status %d, options %d → %d", res.status, len(opts), len(now))
		}
		if loc := res.header.Get("Location"); loc != fmt.Sprintf("%s?saved=%d#saved", path, z.ID) {
			t.Errorf("Location %q", loc)
		}
		contains(t, "after saving", p.get(res.header.Get("Location")).body, "<strong>Vendor Z</strong> as a new vendor quote")
	})

	t.Run("Round", func(t *testing.T) {
		opts, _ := p.counts(p.demoID)
		a := opts["vendor-a"]
		res := p.postBid(path, "bafo.xlsx", fillVendorA(t, form, "Vendor A", 4.25, nil),
			"option_id", strconv.FormatInt(a.ID, 10), "label", store.LabelBestAndFinal)
		if res.status != http.StatusSeeOther || !strings.Contains(res.header.Get("Location"), "round=1") {
			t.Fatalf("status %d, Location %q", res.status, res.header.Get("Location"))
		}
		rounds, err := p.st.ListRounds(context.Background(), a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if last := rounds[len(rounds)-1]; last.Label != store.LabelBestAndFinal || last.ID == a.RoundID || !last.Pricing.Tiers[1].Price.Equal(decimal.RequireFromString("4.25")) {
			t.Errorf("last round %+v", last)
		}
		if now, _ := p.counts(p.demoID); len(now) != len(opts) {
			t.Error("a new round added an option")
		}
	})
}
