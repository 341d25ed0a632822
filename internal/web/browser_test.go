package web

import (
	"bytes"
	"fmt"
	"math"
	"net/url"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestBrowserDashboard: in headless Chromium the demo dashboard draws every
// chart (each canvas has a Chart.js instance and painted pixels) with no
// console error and no CSP violation, and logs how long after navigation
// the charts were drawn (target < 1 s).
func TestBrowserDashboard(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	b := newBrowser(t, p, 1280, 900)
	start := time.Now()
	b.open(fmt.Sprintf("/evaluations/%d?test=1", p.demoID))
	b.waitFor(`document.documentElement.dataset.chartsDrawn !== undefined`)
	wall := time.Since(start)
	canvases := eval[int](b, `document.querySelectorAll("canvas[data-chart]").length`)
	drawn := eval[int](b, `Number(document.documentElement.dataset.chartsDrawn)`)
	if canvases < 6 || drawn != canvases {
		t.Fatalf("%d canvases, %d charts drawn", canvases, drawn)
	}
	// every canvas belongs to a Chart and has non-blank pixels
	blank := eval[[]string](b, `[...document.querySelectorAll("canvas[data-chart]")].filter((c) => {
		if (!Chart.getChart(c)) return true;
		const g = c.getContext("2d"), d = g.getImageData(0, 0, c.width, c.height).data;
		let painted = 0;
		for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) painted++;
		return painted < 500;
	}).map((c) => c.dataset.key || c.dataset.chart)`)
	if len(blank) > 0 {
		t.Errorf("charts not drawn: %v", blank)
	}
	ms := eval[float64](b, `Number(document.documentElement.dataset.chartsMs)`)
	phases := eval[[]float64](b, `(() => { const n = performance.getEntriesByType("navigation")[0]; const s = performance.getEntriesByName("charts-start")[0]; return [n.responseEnd, n.domContentLoadedEventStart, s ? s.startTime : -1]; })()`)
	t.Logf("ms to build each chart: %s", eval[string](b, `document.documentElement.dataset.chartsTimes`))
	t.Logf("navigation phases (ms): response end %.0f, DOMContentLoaded %.0f, charts.js starts %.0f", phases[0], phases[1], phases[2])
	t.Logf("all %d charts drawn %.0f ms after navigation started, first visit (browser clock); %v wall time including the load", drawn, ms, wall.Round(time.Millisecond))
	b.clean()
	// A second visit has the scripts cached (hashed URLs are immutable).
	b.open(fmt.Sprintf("/evaluations/%d?test=1", p.demoID))
	b.waitFor(`document.documentElement.dataset.chartsDrawn !== undefined`)
	warm := eval[float64](b, `Number(document.documentElement.dataset.chartsMs)`)
	t.Logf("all charts drawn %.0f ms after navigation started, second visit (target < 1000 ms; %s)", warm, loadAverage())
	// The target is 1 s, measured here and in BENCHMARKS.md, not asserted:
	// a shared machine under load can be several times slower.
	b.screenshot("dashboard-1280")
}

// TestBrowserPhone: at 390 px wide no page scrolls sideways (tables scroll
// in their own container) and the charts still draw.
func TestBrowserPhone(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	opts, err := p.st.ListOptions(t.Context(), p.demoID)
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, p, 390, 844)
	for _, pg := range []struct{ name, path string }{
		{"dashboard", fmt.Sprintf("/evaluations/%d?test=1", p.demoID)},
		{"evaluations", "/"},
		{"monthly", fmt.Sprintf("/evaluations/%d/options/%d/monthly", p.demoID, opts[1].ID)},
	} {
		b.open(pg.path)
		if pg.name == "dashboard" {
			b.waitFor(`document.documentElement.dataset.chartsDrawn !== undefined`)
		}
		over := eval[float64](b, `document.documentElement.scrollWidth - document.documentElement.clientWidth`)
		// also what sticks out of the screen without widening the page
		// (tables scroll in their own container, so their cells may)
		wide := eval[[]string](b, `[...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !e.closest(".table-wrap") && e.getClientRects().length > 0).slice(0, 8).map((e) => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right))`)
		if over > 0 || len(wide) > 0 {
			t.Errorf("%s at 390 px: the page is %.0f px wider than the screen; sticking out: %v", pg.name, over, wide)
		}
		b.screenshot(pg.name + "-390")
	}
	b.clean()
}

// TestBrowserPrint: the board pack prints on A4 landscape with no element
// wider than the printable width, and every chart drawn.
func TestBrowserPrint(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	b := newBrowser(t, p, 1280, 900)
	b.open(fmt.Sprintf("/evaluations/%d/print?test=1", p.demoID))
	b.waitFor(`document.documentElement.dataset.chartsDrawn !== undefined`)
	b.screenshot("print-1280")
	// Print media at the printable width of A4 landscape with 10 mm
	// margins: 277 mm = 1047 CSS px.
	const printable = 277.0 / 25.4 * 96
	if err := b.do(chromedp.EmulateViewport(int64(math.Floor(printable)), 794), chromedp.Evaluate[chromedp.Void](`window.dispatchEvent(new Event("beforeprint"))`)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	b.screenshot("print-a4-media")
	over := eval[[]string](b, fmt.Sprintf(`[...document.querySelectorAll("main *")].filter((e) => e.getBoundingClientRect().right > %f + 1).slice(0, 8).map((e) => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right))`, printable))
	if len(over) > 0 {
		t.Errorf("wider than the A4 landscape printable width (%.0f px): %v", printable, over)
	}
	pdf, err := chromedp.Run(b.ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFLandscape(), chromedp.PDFPreferCSSPageSize()))
	if err != nil {
		t.Fatal(err)
	}
	pages := bytes.Count(pdf, []byte("/Type /Page\n")) + bytes.Count(pdf, []byte("/Type /Page\r")) + bytes.Count(pdf, []byte("/Type /Page>")) + bytes.Count(pdf, []byte("/Type /Page/"))
	if !bytes.HasPrefix(pdf, []byte("%PDF")) || len(pdf) < 10000 {
		t.Fatalf("not a PDF: %d bytes", len(pdf))
	}
	// A4 landscape is 842 × 595 points.
	if !bytes.Contains(pdf, []byte("/MediaBox [0 0 841.91998 594.95996]")) && !bytes.Contains(pdf, []byte("/MediaBox [0 0 842 595]")) {
		i := bytes.Index(pdf, []byte("/MediaBox"))
		if i >= 0 {
			t.Errorf("the PDF pages are not A4 landscape: %s", pdf[i:min(len(pdf), i+48)])
		}
	}
	t.Logf("board pack: %d-byte PDF, about %d pages", len(pdf), pages)
	b.clean()
}

// TestBrowserEvaluations: the list's search finds the demo and hides what
// does not match; the new-evaluation form, filled in and submitted in the
// browser, creates the evaluation and lands on its workspace URL.
func TestBrowserEvaluations(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	b := newBrowser(t, p, 1280, 900)
	b.open("/")
	b.screenshot("evaluations-1280")
	if err := b.do(
		chromedp.SendKeys(chromedp.ID("q"), "zzz-nothing"),
		chromedp.Submit(chromedp.ID("q")),
	); err != nil {
		t.Fatal(err)
	}
	b.waitFor(`location.search.includes("zzz-nothing")`)
	if got := eval[string](b, `document.querySelector("main").innerText`); !strings.Contains(got, "No evaluation matches") {
		t.Errorf("search for nothing: %q", got)
	}
	b.open("/")
	if err := b.do(chromedp.SendKeys(chromedp.ID("q"), "customer service"), chromedp.Submit(chromedp.ID("q"))); err != nil {
		t.Fatal(err)
	}
	b.waitFor(`location.search.includes("customer")`)
	rows := eval[int](b, `document.querySelectorAll("#evaluations tbody tr").length`)
	if rows != 1 {
		t.Errorf("search for the demo: %d rows", rows)
	}

	b.open("/")
	if err := b.do(
		chromedp.SendKeys(chromedp.ID("f-name"), "Browser-made evaluation"),
		chromedp.SetValue(chromedp.ID("f-currency"), "USD"),
		chromedp.SetValue(chromedp.ID("f-start"), "2028-04"),
		chromedp.SetValue(chromedp.ID("f-horizon_months"), "24"),
		chromedp.SetValue(chromedp.ID("f-volume_monthly"), "12000"),
		chromedp.SetValue(chromedp.ID("f-volume_unit"), "call"),
		chromedp.Submit(chromedp.ID("f-name")),
	); err != nil {
		t.Fatal(err)
	}
	b.waitFor(`location.pathname.endsWith("/workspace")`)
	path := eval[string](b, `location.pathname`)
	var id int64
	if _, err := fmt.Sscanf(path, "/evaluations/%d/workspace", &id); err != nil {
		t.Fatalf("landed on %q", path)
	}
	e, err := p.st.GetEvaluation(t.Context(), id)
	if err != nil {
		t.Fatalf("the redirect names evaluation %d: %v", id, err)
	}
	if e.Name != "Browser-made evaluation" || e.Currency != "USD" || e.Start != "2028-04" || e.HorizonMonths != 24 || e.Volume.Unit != "call" {
		t.Errorf("stored %+v", e.Settings)
	}
	if pg := p.get("/?q=" + url.QueryEscape("Browser-made")); !strings.Contains(pg.body, "Browser-made evaluation") {
		t.Error("the new evaluation is not in the list")
	}
	// the workspace page is the workspace's to test: check the list again
	b.reset()
	b.open("/")
	b.clean()
}

// TestBrowserAccessibility: on every page the first Tab reaches the skip
// link, which moves focus to the content; there is one h1 and no heading
// level is skipped; every visible form field has a label; <html> has a
// lang.
func TestBrowserAccessibility(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	opts, err := p.st.ListOptions(t.Context(), p.demoID)
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, p, 1280, 900)
	for _, path := range []string{"/", fmt.Sprintf("/evaluations/%d?test=1", p.demoID),
		fmt.Sprintf("/evaluations/%d/options/%d/monthly", p.demoID, opts[0].ID)} {
		b.open(path)
		if err := b.do(chromedp.KeyEvent("\t")); err != nil {
			t.Fatal(err)
		}
		if got := eval[string](b, `document.activeElement.className`); got != "skip-link" {
			t.Errorf("%s: the first Tab focuses %q, want the skip link", path, got)
		}
		if err := b.do(chromedp.KeyEvent("\r")); err != nil {
			t.Fatal(err)
		}
		if got := eval[string](b, `location.hash`); got != "#main" {
			t.Errorf("%s: the skip link leads to %q", path, got)
		}
		problems := eval[[]string](b, `(() => {
			const out = [];
			if (!document.documentElement.lang) out.push("no lang");
			const hs = [...document.querySelectorAll("h1, h2, h3, h4")].map((h) => Number(h.tagName[1]));
			if (hs.filter((l) => l === 1).length !== 1) out.push("h1 count " + hs.filter((l) => l === 1).length);
			hs.forEach((l, i) => { if (i > 0 && l > hs[i - 1] + 1) out.push("heading jumps from h" + hs[i - 1] + " to h" + l); });
			document.querySelectorAll("input, select, textarea").forEach((f) => {
				if (f.type === "hidden") return;
				const labelled = (f.id && document.querySelector('label[for="' + f.id + '"]')) || f.getAttribute("aria-label") || f.closest("label");
				if (!labelled) out.push("unlabelled field " + (f.name || f.id));
			});
			return out;
		})()`)
		for _, pr := range problems {
			t.Errorf("%s: %s", path, pr)
		}
	}
	b.clean()
}

// TestBrowserScreenshots takes a screenshot of every page at 1280 and 390
// px when SCREENSHOT_DIR is set (skipped otherwise: the other tests cover
// the behaviour).
func TestBrowserScreenshots(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("short")
	}
	if chromePath(t) == "" || os.Getenv("SCREENSHOT_DIR") == "" {
		t.Skip("set SCREENSHOT_DIR to take the screenshots of every page")
	}
	p := startPages(t)
	opts, err := p.st.ListOptions(t.Context(), p.demoID)
	if err != nil {
		t.Fatal(err)
	}
	blank := p.postForm("/evaluations", "/", url.Values{"name": {"Help desk 2028: blank"}, "currency": {"EUR"}, "start": {"2028-01"},
		"horizon_months": {"24"}, "volume_monthly": {"5000"}, "volume_unit": {"ticket"}})
	notReady := strings.TrimSuffix(blank.header.Get("Location"), "/workspace")
	pages := []struct{ name, path string }{
		{"evaluations", "/"},
		{"notready", notReady},
		{"evaluations-errors", ""},
		{"dashboard", fmt.Sprintf("/evaluations/%d?test=1", p.demoID)},
		{"monthly", fmt.Sprintf("/evaluations/%d/options/%d/monthly", p.demoID, opts[1].ID)},
		{"monthly-lines", fmt.Sprintf("/evaluations/%d/options/%d/monthly?lines=1", p.demoID, opts[0].ID)},
		{"print", fmt.Sprintf("/evaluations/%d/print?test=1", p.demoID)},
		{"not-found", "/evaluations/99999"},
	}
	for _, w := range []int{1280, 390} {
		b := newBrowser(t, p, w, 900)
		for _, pg := range pages {
			if pg.path == "" { // the new-evaluation form with its errors
				b.open("/")
				if err := b.do(chromedp.SetValue(chromedp.ID("f-horizon_months"), "0"), chromedp.Submit(chromedp.ID("f-name"))); err != nil {
					t.Fatal(err)
				}
				b.waitFor(`document.querySelector(".field-error") !== null`)
				_ = b.do(chromedp.Evaluate[chromedp.Void](`document.getElementById("new").scrollIntoView()`))
			} else {
				b.open(pg.path)
			}
			if strings.Contains(pg.path, "test=1") {
				b.waitFor(`document.documentElement.dataset.chartsDrawn !== undefined`)
			}
			b.screenshot(fmt.Sprintf("%s-%d", pg.name, w))
		}
	}
}

// loadAverage is the machine's load for the log ("load 1.2 on 2 CPUs").
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "load unknown"
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return "load unknown"
	}
	return fmt.Sprintf("load average %s on %d CPUs", f[0], runtime.NumCPU())
}
