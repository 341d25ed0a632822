package web

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// In Chromium: the demo's bid form uploaded into a copy of the demo shows
// why it is refused and the confirm box, keeping the file; with the box
// ticked and the form sent again, it is saved. No console error, no CSP violation. With SCREENSHOT_DIR set
// it also takes the Bids page, and its refusal, at 1280 and 390 px.
func TestBidsPageBrowserConfirm(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	cp, err := p.st.CopyEvaluation(context.Background(), "test", p.demoID, "Demo, what-if")
	if err != nil {
		t.Fatal(err)
	}
	dl := p.get(fmt.Sprintf("/api/v1/evaluations/%d/bid-form", p.demoID))
	file := filepath.Join(t.TempDir(), "vendor-copy.xlsx")
	if err := os.WriteFile(file, fillVendorA(t, []byte(dl.body), "Vendor Copy", 4.5, nil), 0o600); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/evaluations/%d/bids", cp.ID)
	// As a new round of the copy's first vendor quote (a new quote would
	// meet issue 11's defect 2, which is not this test's).
	opts, _ := p.counts(cp.ID)
	target := opts["vendor-a"]
	rounds := func() int {
		rs, err := p.st.ListRounds(context.Background(), target.ID)
		if err != nil {
			t.Fatal(err)
		}
		return len(rs)
	}
	for i, w := range []int{1280, 390} {
		b := newBrowser(t, p, w, 900)
		b.open(path)
		b.clean()
		b.screenshot(fmt.Sprintf("bids-%d", w))
		before := rounds()
		pick := chromedp.SetValue(`#f-option_id`, strconv.FormatInt(target.ID, 10))
		if err := b.do(chromedp.SetUploadFiles(`#f-file`, []string{file}), pick, chromedp.Click(`#upload button[type=submit]`)); err != nil {
			t.Fatal(err)
		}
		b.waitFor(`document.readyState === "complete" && document.querySelector(".notice.bad") !== null`)
		b.reset() // the refusal's 422 is logged as a failed load: it is the point
		if !eval[bool](b, `document.getElementById("f-confirm") !== null`) {
			t.Fatalf("no confirm box; the page says: %s", eval[string](b, `document.querySelector("#upload").innerText`))
		}
		b.clean()
		msg := eval[string](b, `document.querySelector(".notice.bad strong").textContent`)
		if want := fmt.Sprintf("not to evaluation %d", cp.ID); !strings.Contains(msg, want) {
			t.Errorf("file error %q lacks %q", msg, want)
		}
		b.screenshot(fmt.Sprintf("bids-confirm-%d", w))
		if rounds() != before {
			t.Fatal("the refused upload saved a round")
		}
		// the page kept the file: tick and upload again
		if err := b.do(chromedp.Click(`#f-confirm`), chromedp.Click(`#upload button[type=submit]`)); err != nil {
			t.Fatal(err)
		}
		b.waitFor(`document.getElementById("saved") !== null`)
		b.clean()
		if n := rounds(); n != before+1 {
			t.Fatalf("pass %d: %d rounds, want %d", i, n, before+1)
		}
	}
}
