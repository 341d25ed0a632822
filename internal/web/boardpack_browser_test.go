package web

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"vendorcompare/internal/store"
)

// pdfPage matches one page object of a PDF ("/Type /Page", not "/Pages").
var pdfPage = regexp.MustCompile(`/Type\s*/Page[^s]`)

// printPDF prints the tab's page as Chromium does for a user who prints,
// with the page size and margins of the page's own CSS (@page), and
// returns the PDF and its page count.
func printPDF(b *browserT) ([]byte, int) {
	b.t.Helper()
	pdf, err := chromedp.Run(b.ctx, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize(), chromedp.PDFPrintBackground()))
	if err != nil {
		b.t.Fatal(err)
	}
	if !strings.HasPrefix(string(pdf), "%PDF") {
		b.t.Fatalf("not a PDF: %.20q", pdf)
	}
	return pdf, len(pdfPage.FindAll(pdf, -1))
}

// keepPDF writes a PDF beside the screenshots when SCREENSHOT_DIR is set,
// to look at its pages (pdftoppm); it does nothing otherwise.
func keepPDF(t *testing.T, name string, pdf []byte) {
	if dir := os.Getenv("SCREENSHOT_DIR"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name+".pdf"), pdf, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// A4 landscape less the board pack's margins (print.css: 11 mm top, 14
// bottom, 12 each side), in CSS px.
const (
	packWidthPx  = (297.0 - 24) / 25.4 * 96
	packHeightPx = (210.0 - 25) / 25.4 * 96
)

// printMedia lays the page out as on paper: print media at the printable
// width of the board pack's pages.
func printMedia(b *browserT) {
	b.t.Helper()
	if err := b.do(chromedp.EmulateViewport(int64(math.Floor(packWidthPx)), int64(math.Floor(packHeightPx))),
		chromedp.Evaluate[chromedp.Void](`window.dispatchEvent(new Event("beforeprint"))`)); err != nil {
		b.t.Fatal(err)
	}
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		b.t.Fatal(err)
	}
}

// twelveOptions imports an evaluation of twelve options: the demo's five
// and seven more quotes, copies of its four others (so that some pay back
// in the same month).
func twelveOptions(t *testing.T, p *pageT) int64 {
	t.Helper()
	doc, err := p.st.Document(t.Context(), p.demoID, nil)
	if err != nil {
		t.Fatal(err)
	}
	doc.Name = "Twelve options"
	others := doc.Options[1:5]
	for i := range 7 {
		c := others[i%len(others)]
		c.ID, c.Name = fmt.Sprintf("extra-%d", i), fmt.Sprintf("Extra quote %d", i+1)
		doc.Options = append(doc.Options, c)
	}
	id, err := p.st.ImportDocument(t.Context(), "test", doc)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestBrowserBoardPack prints the board pack with Chromium: page 1 is one
// page holding the recommendation, the margin, the decision and the
// sign-off block with nothing cut off; every page carries the footer
// (name, Confidential, as-of date, "n / N") from the margin boxes; the
// appendix takes no more pages than its content needs; and with more
// than five options page 1 lists the top five and counts the rest.
func TestBrowserBoardPack(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	ctx := t.Context()
	// A long rationale: page 1 shows its start, the appendix all of it.
	rationale := "Vendor A is cheapest on PV at a quality within reach. " + strings.Repeat("References from three clients confirm the service levels. ", 12) + "END-OF-RATIONALE"
	opts, err := p.st.ListOptions(ctx, p.demoID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.st.RecordDecision(ctx, "cfo@example.com", p.demoID, store.DecisionInput{Kind: store.DecisionAward, OptionID: opts[1].ID, Rationale: rationale}); err != nil {
		t.Fatal(err)
	}
	many := twelveOptions(t, p)

	b := newBrowser(t, p, 1280, 900)
	b.open(fmt.Sprintf("/evaluations/%d/print?test=1", p.demoID))
	b.waitFor(`document.documentElement.dataset.chartsDrawn !== undefined`)
	b.screenshot("boardpack-1280")
	// On a phone the pack reads without sideways scrolling (its tables
	// scroll in their wrappers, as on the dashboard).
	// Chart.js keeps each canvas at the px width it drew at until its
	// resize observer fires and a frame runs (on a loaded machine, after
	// this check): a sheet holds the canvases at their wide-screen width
	// so the check does not depend on that race.
	_ = eval[int](b, `(() => { const s = new CSSStyleSheet(); s.replaceSync(".chart canvas { width: 990px !important }"); document.adoptedStyleSheets = [s]; return 0; })()`)
	if err := b.do(chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatal(err)
	}
	if w := eval[float64](b, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); w > 0 {
		t.Errorf("the board pack at 390 px is %v px wider than the screen", w)
	}
	_ = eval[int](b, `(() => { document.adoptedStyleSheets = []; return 0; })()`)
	b.screenshot("boardpack-390")
	if err := b.do(chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatal(err)
	}

	t.Run("PageOne", func(t *testing.T) {
		for _, id := range []string{"decision-status", "p1-recommendation", "p1-margin", "p1-change", "p1-ranking", "p1-decision", "sign-off"} {
			if !eval[bool](b, fmt.Sprintf(`!!document.querySelector("#page-1 #%s")`, id)) {
				t.Errorf("page 1 lacks #%s", id)
			}
		}
		text := eval[string](b, `document.getElementById("page-1").textContent`)
		for _, want := range []string{"Awarded to Vendor A", "cfo@example.com", "would overtake", "Name", "Role", "Date", "Signature",
			"Prepared by", "Approved by", "The whole rationale is in the appendix"} {
			if !strings.Contains(text, want) {
				t.Errorf("page 1 lacks %q", want)
			}
		}
		if strings.Contains(text, "END-OF-RATIONALE") {
			t.Error("page 1 prints the whole long rationale")
		}
		if !strings.Contains(eval[string](b, `document.getElementById("appendix").innerText`), "END-OF-RATIONALE") {
			t.Error("the appendix lacks the whole rationale")
		}
	})

	t.Run("Footers", func(t *testing.T) {
		// The margin boxes' text comes from the evaluation's own stylesheet.
		href := eval[string](b, `[...document.querySelectorAll('link[rel=stylesheet]')].map((l) => l.getAttribute("href")).find((h) => h.endsWith("/print.css")) || ""`)
		if href != fmt.Sprintf("/evaluations/%d/print.css", p.demoID) {
			t.Fatalf("the board pack does not link its footer stylesheet: %q", href)
		}
		rules := eval[string](b, `[...document.styleSheets].filter((s) => s.href && s.href.endsWith("/print.css")).flatMap((s) => [...s.cssRules].map((r) => r.cssText)).join("\n")`)
		e, err := p.st.GetEvaluation(ctx, p.demoID)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"@bottom-left", `"` + e.Name + `"`, "@bottom-center", "Confidential · as of " + e.UpdatedAt.UTC().Format("2 January 2006"),
			"@bottom-right", `counter(page) " / " counter(pages)`} {
			if !strings.Contains(rules, want) {
				t.Errorf("the footer rules lack %q:\n%s", want, rules)
			}
		}
	})

	printMedia(b)
	b.screenshot("boardpack-print-media")
	pageOne := eval[map[string]float64](b, `(() => {
		const p = document.getElementById("page-1"), s = document.getElementById("sign-off");
		const r = p.getBoundingClientRect(), q = s.getBoundingClientRect();
		return {top: r.top, bottom: r.bottom, height: r.height, scroll: p.scrollHeight, client: p.clientHeight, signBottom: q.bottom, signHeight: q.height,
			appendixTop: document.getElementById("appendix").getBoundingClientRect().top,
			appendix: document.getElementById("appendix").getBoundingClientRect().height};
	})()`)
	if pageOne["height"] > packHeightPx+0.5 {
		t.Errorf("page 1 is %.0f px tall, over the page's %.0f", pageOne["height"], packHeightPx)
	}
	if pageOne["scroll"] > pageOne["client"]+1 {
		t.Errorf("page 1's content is %.0f px, more than its %.0f: something is cut off", pageOne["scroll"], pageOne["client"])
	}
	if pageOne["signHeight"] < 40 || pageOne["signBottom"] > pageOne["bottom"]+0.5 {
		t.Errorf("the sign-off block (%.0f px tall, bottom %.0f) is not on page 1 (bottom %.0f)", pageOne["signHeight"], pageOne["signBottom"], pageOne["bottom"])
	}

	headings, charts := appendixHeadings(b), eval[int](b, `document.querySelectorAll("#appendix canvas").length`)
	pdf, pages := printPDF(b)
	keepPDF(t, "boardpack", pdf)
	checkPacked(t, "demo", pdf, headings)
	checkCharts(t, "demo", pdf, charts)
	// The appendix starts on page 2 and needs ceil(height / page) pages;
	// one more is the slack of charts and rows kept whole. More would be
	// a half-empty page.
	need := 1 + int(math.Ceil(pageOne["appendix"]/packHeightPx))
	t.Logf("board pack: %d pages (page 1 and an appendix of %.0f px, %d pages of content)", pages, pageOne["appendix"], need-1)
	if pages < 2 || pages > need+1 {
		t.Errorf("the board pack prints on %d pages; its content needs %d", pages, need)
	}
	// A4 landscape is 842 × 595 points.
	if !regexp.MustCompile(`/MediaBox \[0 0 841\.9\d* 594\.9\d*\]|/MediaBox \[0 0 842 595\]`).Match(pdf) {
		t.Error("the pages are not A4 landscape")
	}

	// Page 1 printed alone is one page.
	if err := b.do(chromedp.Evaluate[chromedp.Void](`document.getElementById("appendix").remove()`)); err != nil {
		t.Fatal(err)
	}
	one, n := printPDF(b)
	keepPDF(t, "boardpack-page1", one)
	if n != 1 {
		t.Errorf("page 1 alone prints on %d pages", n)
	}
	b.clean()

	// Twelve options, in the same tab back on the screen.
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: ""}); err != nil {
		t.Fatal(err)
	}
	if err := b.do(chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatal(err)
	}
	b.open(fmt.Sprintf("/evaluations/%d/print?test=1", many))
	b.waitFor(`document.documentElement.dataset.chartsDrawn !== undefined`)
	if n := eval[int](b, `document.querySelectorAll("#p1-ranking tbody tr").length`); n != 5 {
		t.Errorf("page 1 lists %d options, want the top 5", n)
	}
	if got := eval[string](b, `document.getElementById("p1-more")?.innerText || ""`); !strings.HasPrefix(got, "7 more options follow in the appendix") {
		t.Errorf("page 1 says %q of the other options", got)
	}
	if n := eval[int](b, `document.querySelectorAll("#ranking tbody tr").length`); n != 12 {
		t.Errorf("the appendix ranks %d options, want 12", n)
	}
	if !strings.Contains(eval[string](b, `document.getElementById("decision-status").innerText`), "No decision yet") {
		t.Error("an evaluation without a decision does not say so")
	}
	printMedia(b)
	headings, charts = appendixHeadings(b), eval[int](b, `document.querySelectorAll("#appendix canvas").length`)
	pdf, _ = printPDF(b)
	keepPDF(t, "boardpack-many", pdf)
	checkPacked(t, "twelve options", pdf, headings)
	checkCharts(t, "twelve options", pdf, charts)
	if err := b.do(chromedp.Evaluate[chromedp.Void](`document.getElementById("appendix").remove()`)); err != nil {
		t.Fatal(err)
	}
	one, n = printPDF(b)
	keepPDF(t, "boardpack-many-page1", one)
	if n != 1 {
		t.Errorf("page 1 of twelve options prints on %d pages", n)
	}
	b.clean()
}

// appendixHeadings is the text of the appendix's headings and table
// captions as printed (innerText, after text-transform), to find them in
// the PDF.
func appendixHeadings(b *browserT) []string {
	b.t.Helper()
	return eval[[]string](b, `[...document.querySelectorAll("#appendix h2, #appendix h3, #appendix caption")].map((e) => e.innerText.trim()).filter((s) => s)`)
}

// The pack's page box (print.css: 11 mm top margin, 14 mm bottom) and how
// full a page must be, measured as how far down its content box the ink
// goes. The largest blocks kept whole are a chart with its heading,
// about a third of a page (print.css sizes them so), and one that does
// not fit moves to the next page: a well-packed page is at least about
// two thirds full. 65% leaves a little for data that differs; the pages
// the issue called half empty measured 59% and 64% before the fix.
const (
	packTopMM    = 11.0
	packBottomMM = 14.0
	packFill     = 0.65
	// A heading needs at least this much of its section after it on its
	// page (two lines of text and a little), or it is left at the foot.
	headingFollowMM = 10.0
)

// checkPacked measures a printed board pack with poppler: page 1 alone on
// the first sheet (the sign-off on it, the appendix from page 2), every
// page's footer "n / N", every page but the last at least packFill full,
// and no heading at the foot of a page.
func checkPacked(t *testing.T, name string, pdf []byte, headings []string) {
	t.Helper()
	pages := pdfPages(t, pdf, packTopMM, packBottomMM)
	n := len(pages)
	content := 210 - packTopMM - packBottomMM
	var fills []string
	for i, p := range pages {
		fill := (p.InkBottom - packTopMM) / content
		fills = append(fills, fmt.Sprintf("%d:%.0f%%", i+1, 100*fill))
		if i < n-1 && fill < packFill {
			t.Errorf("%s: page %d of %d is %.0f%% full (under %.0f%%): a half-empty page", name, i+1, n, 100*fill, 100*packFill)
		}
		if !strings.Contains(p.text(), fmt.Sprintf("%d / %d", i+1, n)) {
			t.Errorf("%s: page %d lacks its number %q in the footer", name, i+1, fmt.Sprintf("%d / %d", i+1, n))
		}
	}
	t.Logf("%s: %d pages, filled %s", name, n, strings.Join(fills, " "))
	if n < 2 {
		t.Fatalf("%s: the pack prints on %d page", name, n)
	}
	if one := strings.ToLower(pages[0].text()); !strings.Contains(one, "sign-off") || !strings.Contains(one, "signature") || strings.Contains(one, "appendix\n") {
		t.Errorf("%s: page 1 is not the first page with the sign-off block:\n%s", name, pages[0].text())
	}
	if len(pages[1].Rows) == 0 || pages[1].Rows[0].Text != "Appendix" {
		t.Errorf("%s: the appendix does not start page 2", name)
	}
	for _, h := range headings {
		found := false
		for i, p := range pages[1:] {
			bottom, ok := p.find(h)
			if !ok {
				continue
			}
			found = true
			if after := p.InkBottom - bottom; after < headingFollowMM {
				t.Errorf("%s: %q is at the foot of page %d (%.0f mm of its section after it)", name, h, i+2, after)
			}
			break
		}
		if !found {
			t.Errorf("%s: heading %q is not in the printed pack", name, h)
		}
	}
}

// checkCharts checks that every chart of the appendix is in the printed
// pack, drawn for paper: one image per canvas, sharp (at least 150 pixels
// an inch: the pack draws at twice the screen's density, 192) and not
// stretched (as many pixels an inch across as down, within 5%: drawn at
// the size of its printed box, not stretched from the screen's).
func checkCharts(t *testing.T, name string, pdf []byte, charts int) {
	t.Helper()
	ims := pdfImages(t, pdf)
	if charts < 5 || len(ims) != charts {
		t.Errorf("%s: %d images in the PDF for %d charts", name, len(ims), charts)
	}
	for _, im := range ims {
		if im.XPPI < 150 || im.YPPI < 150 || math.Abs(im.XPPI-im.YPPI) > 0.05*im.XPPI {
			t.Errorf("%s: the chart on page %d is printed at %.0f × %.0f pixels an inch (%d × %d pixels): blurred or stretched", name, im.Page, im.XPPI, im.YPPI, im.Width, im.Height)
		}
	}
}
