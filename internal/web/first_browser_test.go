package web

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"vendorcompare/internal/store"
)

// viewShot writes what the viewport shows (not the full page) to
// $SCREENSHOT_DIR/name.png when the variable is set: the first screen as
// a leader sees it.
func (b *browserT) viewShot(name string) {
	b.t.Helper()
	dir := os.Getenv("SCREENSHOT_DIR")
	if dir == "" {
		return
	}
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	file := filepath.Join(dir, name+".png")
	if err := os.WriteFile(file, buf, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot %s", file)
}

// box is an element's bounding box in CSS pixels.
type box struct {
	ID                       string
	Left, Top, Right, Bottom float64
}

// labelsJS lists the drawn labels of the annotations of the chart on the
// canvas data-chart=KIND whose id starts with PREFIX: the id, the text,
// whether it shows, its box and the chart area in canvas pixels (the
// annotation plugin's own elements: a line's label is its first
// sub-element).
const labelsJS = `((kind, prefix) => {
  const c = Chart.getChart(document.querySelector('canvas[data-chart="' + kind + '"]'));
  const plugin = window["chartjs-plugin-annotation"];
  return plugin.getAnnotations(c).filter((e) => e.options.id && e.options.id.startsWith(prefix)).map((e) => {
    const l = e.options.type === "label" ? e : (e.elements || [])[0];
    if (!l) return { id: e.options.id, text: "", shown: false, box: [0, 0, 0, 0] };
    const text = [].concat(l.options.content).join(" ");
    const a = c.chartArea;
    return { id: e.options.id, text, shown: l.options.display !== false && text !== "", box: [l.x, l.y, l.x2, l.y2], area: [a.left, a.top, a.right, a.bottom] };
  });
})`

type chartLabel struct {
	ID    string
	Text  string
	Shown bool
	Box   [4]float64
	Area  [4]float64
}

// overlapping returns the pairs of labels whose boxes overlap.
func overlapping(ls []chartLabel) []string {
	var out []string
	for i := range ls {
		for j := i + 1; j < len(ls); j++ {
			a, b := ls[i].Box, ls[j].Box
			if a[0] < b[2]-1 && b[0] < a[2]-1 && a[1] < b[3]-1 && b[1] < a[3]-1 {
				out = append(out, ls[i].Text+" / "+ls[j].Text)
			}
		}
	}
	return out
}

// TestBrowserFirstScreen: at 1280×800 the first screen's answers (who
// wins, why over the runner-up, what would change it) are all inside the
// viewport without scrolling, also under a decision with a 1,500-character
// rationale (the notice shows its start and links to the whole); every break-even crossing and every payback
// carries a label on its chart, inside the chart, none over another; at
// 390 px the ranking shows rank, option, savings and score with no
// sideways scrolling; no console error or CSP violation.
func TestBrowserFirstScreen(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	b := newBrowser(t, p, 1280, 800)
	// The answers fit without a decision and with one recorded whose
	// rationale is long (its notice stands above them, the rationale cut).
	fits := func(state string) {
		t.Helper()
		b.open(fmt.Sprintf("/evaluations/%d?test=1", p.demoID))
		b.waitFor(`document.documentElement.dataset.chartsDrawn !== undefined`)
		answers := eval[[]box](b, `[...document.querySelectorAll("#first .answer")].map((e) => { const r = e.getBoundingClientRect(); return { ID: e.id, Left: r.left, Top: r.top, Right: r.right, Bottom: r.bottom }; })`)
		want := map[string]bool{"answer-who": false, "answer-why": false, "answer-change": false}
		for _, a := range answers {
			want[a.ID] = true
			if a.Top < 0 || a.Left < 0 || a.Bottom > 800 || a.Right > 1280 || a.Bottom <= a.Top {
				t.Errorf("%s: %s at 1280×800 is at %+v: not inside the first screen", state, a.ID, a)
			}
		}
		for id, seen := range want {
			if !seen {
				t.Errorf("%s: no %s on the first screen (answers %+v)", state, id, answers)
			}
		}
		// the "how sure" line (risk's _dash_risk.html) is on the first screen too
		if sure := eval[[]box](b, `[...document.querySelectorAll("#first #howsure-line")].map((e) => { const r = e.getBoundingClientRect(); return { ID: e.textContent, Left: r.left, Top: r.top, Right: r.right, Bottom: r.bottom }; })`); len(sure) != 1 ||
			!strings.HasPrefix(sure[0].ID, "How sure: ") || sure[0].Top < 0 || sure[0].Bottom > 800 || sure[0].Bottom <= sure[0].Top {
			t.Errorf("%s: the how-sure line on the first screen: %+v", state, sure)
		}
		if y := eval[float64](b, `window.scrollY`); y != 0 {
			t.Errorf("the page opened scrolled to %v", y)
		}
		t.Logf("%s: the answers end %.0f px down the 800", state, answers[len(answers)-1].Bottom)
	}
	fits("no decision")
	b.viewShot("first-1280")
	opts, err := p.st.ListOptions(t.Context(), p.demoID)
	if err != nil {
		t.Fatal(err)
	}
	// A rationale of 1,500 characters: the notice shows its start and
	// links to the whole on the Decisions page.
	rationale := strings.Repeat("Best combined score; the board accepts the higher price for the quality and the transition plan. ", 16)[:1485] + " END-OF-REASONS"
	dec, err := p.st.RecordDecision(t.Context(), "test", p.demoID, store.DecisionInput{Kind: store.DecisionAward, OptionID: opts[1].ID, Rationale: rationale})
	if err != nil {
		t.Fatal(err)
	}
	fits("a decision with a 1,500-character rationale recorded")
	b.viewShot("first-1280-decided")
	notice := eval[map[string]string](b, `(() => { const n = document.getElementById("decision"), a = document.getElementById("decision-more"); return { text: n ? n.innerText : "", href: a ? a.getAttribute("href") : "" }; })()`)
	if !strings.Contains(notice["text"], "Best combined score") || strings.Contains(notice["text"], "END-OF-REASONS") || !strings.Contains(notice["text"], "read the full decision") {
		t.Errorf("the decision notice with a long rationale says %q: want its start and a link to the whole", notice["text"])
	}
	if want := fmt.Sprintf("/evaluations/%d/decisions#decision-%d", p.demoID, dec.ID); notice["href"] != want {
		t.Errorf("the notice links to %q, want %q", notice["href"], want)
	}
	contains(t, "the Decisions page", p.get(fmt.Sprintf("/evaluations/%d/decisions", p.demoID)).body, fmt.Sprintf(`id="decision-%d"`, dec.ID), "END-OF-REASONS")

	labelled(t, b, "1280")
	b.screenshot("dashboard-full-1280")
	// TestDashboardAssetBudget weighs the scripts and stylesheets the HTML
	// links: the browser loads no other.
	linked := map[string]bool{}
	for _, m := range assetRef.FindAllStringSubmatch(p.get(fmt.Sprintf("/evaluations/%d", p.demoID)).body, -1) {
		linked[m[1]] = true
	}
	loaded := eval[[]string](b, `performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname).filter((u) => /\.(js|css)$/.test(u))`)
	if len(loaded) < 4 {
		t.Errorf("the browser loaded %q", loaded)
	}
	for _, u := range loaded {
		if !linked[u] {
			t.Errorf("the dashboard loads %s, which its HTML does not link (the asset budget would miss it)", u)
		}
	}
	b.clean()

	// The ranking on a phone.
	ph := newBrowser(t, p, 390, 844)
	ph.open(fmt.Sprintf("/evaluations/%d?test=1", p.demoID))
	ph.waitFor(`document.documentElement.dataset.chartsDrawn !== undefined`)
	over := eval[float64](ph, `(() => { const w = document.getElementById("ranking").closest(".table-wrap"); return w.scrollWidth - w.clientWidth; })()`)
	if over > 0 {
		t.Errorf("the ranking at 390 px scrolls sideways by %v px", over)
	}
	heads := eval[[]string](ph, `[...document.querySelectorAll("#ranking thead th")].filter((e) => e.getClientRects().length > 0 && e.getBoundingClientRect().right <= document.documentElement.clientWidth).map((e) => e.textContent.trim())`)
	if fmt.Sprint(heads) != "[# Option Savings (PV) Score]" {
		t.Errorf("the ranking's columns in view at 390 px: %q; want rank, option, savings and score", heads)
	}
	cells := eval[int](ph, `[...document.querySelectorAll("#ranking tbody tr")].filter((r) => [...r.children].filter((c) => c.getClientRects().length > 0 && c.innerText.trim() !== "").length === 4).length`)
	if rows := eval[int](ph, `document.querySelectorAll("#ranking tbody tr").length`); cells != rows {
		t.Errorf("%d of %d ranking rows show their four cells", cells, rows)
	}
	if page := eval[float64](ph, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); page > 0 {
		t.Errorf("the dashboard at 390 px is %v px wider than the screen", page)
	}
	labelled(t, ph, "390")
	// Twelve options, three or four paying back in the same month: every
	// label on its chart, none over another.
	b.open(fmt.Sprintf("/evaluations/%d?test=1", twelveOptions(t, p)))
	b.waitFor(`document.documentElement.dataset.chartsDrawn !== undefined`)
	labelled(t, b, "1280, twelve options,")
	if named := eval[string](b, fmt.Sprintf(`(() => { const d = JSON.parse(document.getElementById("chart-data").textContent).charts.savings; const texts = %s("savings", "pbl").map((l) => l.text).join(" | "); return d.series.filter((s) => s.payback !== null && !texts.includes(s.label)).map((s) => s.label).join(", "); })()`, labelsJS)); named != "" {
		t.Errorf("twelve options: paybacks of %s named in no label of the savings chart", named)
	}
	b.screenshot("dashboard-twelve-1280")
	ph.screenshot("dashboard-full-390")
	ph.viewShot("first-390")
	if err := ph.do(chromedp.ScrollIntoView("#ranking")); err != nil {
		t.Fatal(err)
	}
	ph.viewShot("ranking-390")
	ph.clean()
}

// labelled checks, on the dashboard open in b, that every crossing of the
// break-even chart and every payback of the savings chart is labelled,
// inside its chart area and clear of the others, and that the crossings'
// numbers on the chart are those of the list under it.
func labelled(t *testing.T, b *browserT, width string) {
	t.Helper()
	// Every crossing of the break-even chart and every payback of the
	// savings chart is labelled, inside its chart and clear of the others.
	for _, c := range []struct{ kind, prefix, data string }{
		{"breakEven", "cross", `JSON.parse(document.getElementById("chart-data").textContent).charts.breakEven.crossings.length`},
		{"breakEven", "pairl", `JSON.parse(document.getElementById("chart-data").textContent).charts.breakEven.pairs.length`},
		// options paying back in the same month share a label
		{"savings", "pbl", `new Set(JSON.parse(document.getElementById("chart-data").textContent).charts.savings.series.filter((s) => s.payback !== null).map((s) => s.payback)).size`},
	} {
		n := eval[int](b, c.data)
		ls := eval[[]chartLabel](b, fmt.Sprintf("%s(%q, %q)", labelsJS, c.kind, c.prefix))
		if n == 0 || len(ls) != n {
			t.Errorf(width+" px: %s: %d labels for %d crossings or paybacks", c.kind, len(ls), n)
		}
		for _, l := range ls {
			if !l.Shown || l.Box[0] < l.Area[0]-1 || l.Box[1] < l.Area[1]-1 || l.Box[2] > l.Area[2]+1 || l.Box[3] > l.Area[3]+1 {
				t.Errorf(width+" px: %s: label %s %q hidden or outside the chart area (%v in %v)", c.kind, l.ID, l.Text, l.Box, l.Area)
			}
		}
		if ov := overlapping(ls); len(ov) > 0 {
			t.Errorf(width+" px: %s: labels overlap: %q", c.kind, ov)
		}
		t.Logf(width+" px: %s labels: %+v", c.kind, ls)
	}
	// The crossings are numbered by volume, one number each, and the list
	// under the chart says what each number is, at its volume.
	type crossing struct {
		N     int
		Short string
	}
	data := eval[[]crossing](b, `(() => { const d = JSON.parse(document.getElementById("chart-data").textContent).charts.breakEven; return [...d.crossings, ...d.pairs].map((x) => ({ N: x.n, Short: x.short })); })()`)
	items := eval[[]string](b, `[...document.querySelectorAll("#crossings li")].map((e) => e.innerText)`)
	marks := map[string]bool{}
	for _, prefix := range []string{"cross", "pairl"} {
		for _, l := range eval[[]chartLabel](b, fmt.Sprintf("%s(%q, %q)", labelsJS, "breakEven", prefix)) {
			marks[l.Text] = true
		}
	}
	if len(items) != len(data) || len(marks) != len(data) {
		t.Errorf(width+" px: %d crossings, %d distinct marks on the chart, %d in the list under it", len(data), len(marks), len(items))
	}
	for _, c := range data {
		if c.N < 1 || c.N > len(items) || !marks[fmt.Sprint(c.N)] {
			t.Errorf(width+" px: crossing at %s has number %d, not marked on the chart or not in the list", c.Short, c.N)
			continue
		}
		if it := items[c.N-1]; !strings.HasPrefix(it, fmt.Sprint(c.N)) || !strings.Contains(it, c.Short+" ") {
			t.Errorf(width+" px: list item %d says %q, not the crossing at %s", c.N, it, c.Short)
		}
	}
	// and the break-even chart's labels, of every kind, clear of one another
	var all []chartLabel
	for _, prefix := range []string{"cross", "pairl", "forecast"} {
		all = append(all, eval[[]chartLabel](b, fmt.Sprintf("%s(%q, %q)", labelsJS, "breakEven", prefix))...)
	}
	if ov := overlapping(all); len(ov) > 0 || len(all) < 4 {
		t.Errorf(width+" px: break-even labels overlap: %q (%d labels)", ov, len(all))
	}
}
