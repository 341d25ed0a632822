package web

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserHowSure: in the workspace the analyst fills in the preset
// ("typical contact-centre uncertainty") and saves it; the dashboard is
// drawn with the "how sure" panel computing, howsure.js fetches it, and the
// sentence, the first screen's line and both charts appear (painted
// pixels), with no console error and no CSP violation, at 1280 and 390 px.
func TestBrowserHowSure(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	b := newBrowser(t, p, 1280, 900)
	b.open(fmt.Sprintf("/evaluations/%d/workspace/risk", p.demoID))
	if err := b.do(chromedp.Click(chromedp.CSS(`#preset`))); err != nil {
		t.Fatal(err)
	}
	b.waitFor(`document.getElementById("preset-notice") !== null && document.getElementById("f-volume_high")?.value === "1.3"`)
	b.screenshotOf("#risk", "workspace-risk-1280")
	if err := b.do(chromedp.Click(chromedp.CSS(`#risk button[value="save"]`))); err != nil {
		t.Fatal(err)
	}
	b.waitFor(`document.getElementById("saved") !== null`)
	if r, err := p.st.Risk(t.Context(), p.demoID); err != nil || r == nil || r.Runs != 2000 || r.Drivers.FXRate == nil {
		t.Fatalf("the preset saved: %+v, %v", r, err)
	}
	b.clean()

	b.open(fmt.Sprintf("/evaluations/%d?test=1", p.demoID))
	b.waitFor(`document.documentElement.dataset.howsureDrawn !== undefined`)
	checkHowSure(t, b)
	b.screenshot("howsure-1280")
	b.screenshotOf("#howsure", "howsure-panel-1280")
	b.screenshotOf("#first", "howsure-first-1280")
	b.clean()

	// at 390 px the simulation is made: the page draws the panel at once
	ph := newBrowser(t, p, 390, 844)
	ph.open(fmt.Sprintf("/evaluations/%d?test=1", p.demoID))
	ph.waitFor(`document.documentElement.dataset.howsureDrawn !== undefined`)
	checkHowSure(t, ph)
	ph.screenshotOf("#howsure", "howsure-panel-390")
	ph.screenshotOf("#first", "howsure-first-390")
	ph.clean()
}

// howSureSentence is the panel's headline about the winner.
var howSureSentence = regexp.MustCompile(`^\S.* (saves money in [\d.]+% of 2,000 simulated futures and comes out first in [\d.]+%|comes out first in [\d.]+% of 2,000 simulated futures.*)\.$`)

// howSureLine is the first screen's line once the simulation is made.
var howSureLine = regexp.MustCompile(`^How sure: \S.* (saves money|comes out first) in [\d.]+% of 2,000 simulated futures.* \(±[\d.]+ points at 90% confidence\)\.$`)

// checkHowSure holds the panel as drawn in b: the sentence, the shares
// with their sampling errors, and the two charts painted.
func checkHowSure(t *testing.T, b *browserT) {
	t.Helper()
	if s := eval[string](b, `document.documentElement.dataset.howsure`); s != "ready" {
		t.Fatalf("panel state %q", s)
	}
	if s := eval[string](b, `document.getElementById("howsure-sentence").textContent`); !howSureSentence.MatchString(s) {
		t.Errorf("sentence %q", s)
	}
	if s := eval[string](b, `document.getElementById("howsure-line").textContent`); !howSureLine.MatchString(s) {
		t.Errorf("the first screen's line %q", s)
	}
	if n := eval[int](b, `[...document.querySelectorAll("#howsure-table td")].filter((td) => / ±\d/.test(td.textContent)).length`); n < 2 {
		t.Errorf("%d shares with their sampling error", n)
	}
	blank := eval[[]string](b, `[...document.querySelectorAll("canvas[data-howsure-chart]")].filter((c) => {
		if (!Chart.getChart(c)) return true;
		const g = c.getContext("2d"), d = g.getImageData(0, 0, c.width, c.height).data;
		let painted = 0;
		for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) painted++;
		return painted < 500;
	}).map((c) => c.dataset.howsureChart)`)
	if n := eval[int](b, `Number(document.documentElement.dataset.howsureDrawn)`); n != 2 || len(blank) > 0 {
		t.Errorf("%d charts drawn, blank: %v", n, blank)
	}
	if over := eval[float64](b, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); over > 0 {
		t.Errorf("the page scrolls %v px sideways", over)
	}
}

// screenshotOf writes a PNG of the element matching sel to
// $SCREENSHOT_DIR/name.png when the variable is set: a panel far down a
// long page is easier to look at alone.
func (b *browserT) screenshotOf(sel, name string) {
	b.t.Helper()
	dir := os.Getenv("SCREENSHOT_DIR")
	if dir == "" {
		return
	}
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.Screenshot(sel))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644); err != nil {
		b.t.Fatal(err)
	}
}
