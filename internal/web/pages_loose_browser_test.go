package web

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"vendorcompare/internal/web/ui"

	"github.com/chromedp/chromedp"
)

// TestLooseEndsBrowser walks issue 11's loose ends in Chromium at a desk
// width and a phone width: a round opened for editing; the bids page's
// duplicate refusal, answered with "Add as a separate quote" without
// choosing the file again; the vendors' own scores confirmed from the
// criteria page; and an evaluation stored before a rule existed, opened
// on the dashboard and in the workspace with its banner. No console error
// and no CSP violation on any of them (screenshots with SCREENSHOT_DIR).
func TestLooseEndsBrowser(t *testing.T) {
	t.Parallel()
	for _, w := range []int{1280, 390} {
		t.Run(fmt.Sprint(w), func(t *testing.T) {
			p := startPages(t)
			b := newBrowser(t, p, w, 900)
			ctx := context.Background()
			opts := wsDemoOptions(t, p)
			vendorA := opts["vendor-a"]
			rounds, _ := p.st.ListRounds(ctx, vendorA.ID)
			// the part of the page that changed, where SCREENSHOT_DIR says
			shot := func(name, sel string) {
				t.Helper()
				dir := os.Getenv("SCREENSHOT_DIR")
				if dir == "" {
					return
				}
				sctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
				defer cancel()
				buf, err := chromedp.Run(sctx, chromedp.Screenshot(chromedp.CSS(sel)))
				if err != nil {
					t.Fatalf("screenshot %s: %v", name, err)
				}
				if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("loose-%s-%d.png", name, w)), buf, 0o644); err != nil {
					t.Fatal(err)
				}
			}

			// A round opened for editing, saved from the keyboard's submit.
			b.open(fmt.Sprintf("%s?round=%d#round-form", ui.OptionURL(p.demoID, vendorA.ID), rounds[0].ID))
			b.waitFor(`!!document.querySelector("#round-form h3") && document.querySelector("#round-form h3").textContent.includes("Edit round 1")`)
			shot("round-edit", "#rounds")
			if err := b.do(chromedp.SetValue(chromedp.ID("f-r_notes"), "Initial offer, by e-mail"),
				chromedp.Submit(chromedp.CSS(`#f-r_notes`))); err != nil {
				t.Fatal(err)
			}
			b.waitFor(`location.search.includes("saved=round-saved")`)
			if r, _ := p.st.GetRound(ctx, rounds[0].ID); r.Notes != "Initial offer, by e-mail" {
				t.Errorf("round notes %q", r.Notes)
			}
			b.clean()

			// The bids page: Vendor A again as a new quote.
			csv := strings.NewReplacer("score,csat,8\nscore,security,9\n", "score,csat,9\n",
				"pricing,currency,USD", "pricing,currency,EUR").Replace(vendorACSV(vendorA.Name))
			file := filepath.Join(t.TempDir(), "atlantic-again.csv")
			if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
				t.Fatal(err)
			}
			b.open(fmt.Sprintf("/evaluations/%d/bids", p.demoID))
			if err := b.do(chromedp.SetUploadFiles(chromedp.ID("f-file"), []string{file}),
				chromedp.Click(chromedp.CSS(`#upload button[type=submit].primary`))); err != nil {
				t.Fatal(err)
			}
			b.waitFor(`!!document.getElementById("duplicate")`)
			// the page came as a 409, which Chromium logs as a failed load
			b.reset()
			shot("bids-duplicate", "#upload")
			before := len(wsDemoOptions(t, p))
			if err := b.do(chromedp.Click(chromedp.CSS(`#duplicate button[name=new]`))); err != nil {
				t.Fatal(err)
			}
			b.waitFor(`location.search.includes("saved=")`)
			shot("bids-saved", "#saved")
			if n := len(wsDemoOptions(t, p)); n != before+1 {
				t.Errorf("%d options after 'Add as a separate quote', want %d", n, before+1)
			}
			b.clean()

			// Its own csat score, confirmed on the criteria page.
			b.open(fmt.Sprintf("/evaluations/%d/workspace/criteria#self-scores", p.demoID))
			b.waitFor(`!!document.getElementById("self-scores")`)
			shot("self-scores", "#self-scores")
			shot("score-grid", "#scores")
			if err := b.do(chromedp.Click(chromedp.CSS(`#ws-self button[value=confirm]`))); err != nil {
				t.Fatal(err)
			}
			b.waitFor(`location.search.includes("saved=self-confirmed")`)
			selfs, _ := p.st.ListSelfScores(ctx, p.demoID)
			if len(selfs) != 1 || selfs[0].Status != "confirmed" {
				t.Errorf("self-assessments %+v", selfs)
			}
			b.clean()

			// An evaluation stored with an empty FX rate between currencies.
			id, o := storeE2(t, p, "Old FX")
			rawSQL(t, p, fmt.Sprintf(`UPDATE pricing SET currency = 'GBP', fx_rate = '' WHERE round_id = %d`, o.RoundID))
			b.open(fmt.Sprintf("/evaluations/%d", id))
			b.waitFor(`!!document.getElementById("fix-banner")`)
			shot("banner-dashboard", "main")
			b.open(fmt.Sprintf("/evaluations/%d/workspace", id))
			b.waitFor(`!!document.getElementById("summary-problems")`)
			shot("banner-workspace", "#summary")
			if err := b.do(chromedp.Click(chromedp.CSS(`#summary-problems a`))); err != nil {
				t.Fatal(err)
			}
			b.waitFor(`location.hash === "#f-p_fx_rate" && !!document.getElementById("f-p_fx_rate")`)
			b.clean()
		})
	}
}
