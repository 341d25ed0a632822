package web

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"vendorcompare/internal/store"
	"vendorcompare/internal/web/ui"
)

// TestWorkspaceBrowser builds an evaluation in headless Chromium the way
// procurement does: a new evaluation, two baseline lines (one filled in by
// the staffing helper), a vendor quote, then its tiers; the comparison
// summary shows the figures after each save. A tier whose bound does not
// increase shows its error next to the field, keeps what was typed and
// saves nothing.
func TestWorkspaceBrowser(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	ctx := context.Background()
	b := newBrowser(t, p, 1280, 900)
	step := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := b.do(actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	// typeInto replaces an input's value as typing does (input event),
	// once the page's scripts listen: a page whose address has changed
	// may not have run them yet (an event sent then is lost).
	typeInto := func(id, value string) {
		t.Helper()
		b.waitFor(`document.readyState === "complete"`)
		eval[bool](b, fmt.Sprintf(`(() => { const el = document.getElementById(%q); el.value = %q; el.dispatchEvent(new Event("input", {bubbles: true})); return true; })()`, id, value))
	}
	cell := func(option, field string) string {
		return eval[string](b, fmt.Sprintf(`(document.querySelector('#ws-summary tr[data-option=%q] [data-field=%q]') || {}).textContent || ""`, option, field))
	}

	// A new evaluation: 1,000 tickets a month for 12 months.
	b.open("/")
	step("new evaluation",
		chromedp.SendKeys(chromedp.ID("f-name"), "Help desk 2027"),
		chromedp.SetValue(chromedp.ID("f-currency"), "EUR"),
		chromedp.SetValue(chromedp.ID("f-start"), "2027-01"),
		chromedp.SetValue(chromedp.ID("f-horizon_months"), "12"),
		chromedp.SetValue(chromedp.ID("f-volume_monthly"), "1000"),
		chromedp.SetValue(chromedp.ID("f-volume_unit"), "ticket"),
		chromedp.Submit(chromedp.ID("f-name")))
	b.waitFor(`location.pathname.endsWith("/workspace")`)
	var id int64
	if _, err := fmt.Sscanf(eval[string](b, `location.pathname`), "/evaluations/%d/workspace", &id); err != nil {
		t.Fatal(err)
	}
	b.waitFor(`!!document.getElementById("summary-problems")`)
	b.screenshot("ws-flow-1-new-1280")
	opts, err := p.st.ListOptions(ctx, id)
	if err != nil || len(opts) != 1 {
		t.Fatalf("options %v %v", opts, err)
	}

	// The baseline: a fixed line, then agents from the staffing helper.
	b.open(ui.OptionURL(id, opts[0].ID))
	if hidden := eval[bool](b, `document.getElementById("f-l_month").closest("[data-basis]").hidden`); !hidden {
		t.Error("a fixed line shows the one-time month field")
	}
	step("fixed line",
		chromedp.SendKeys(chromedp.ID("f-l_name"), "Supervisor and tools"),
		chromedp.SetValue(chromedp.ID("f-l_amount"), "10000"),
		chromedp.Submit(chromedp.ID("f-l_name")))
	b.waitFor(`location.search.includes("saved=line")`)
	typeInto("f-st_volume", "20000")
	b.waitFor(`(document.querySelector("[data-fte]") || {}).textContent === "19.39"`)
	if got := eval[string](b, `document.querySelector("[data-sentence]").textContent`); !strings.Contains(got, "20,000 tickets × 6 min ÷ (0.85 × 0.70 × 173.33 h × 60) = 19.39 FTE → 20 agents") {
		t.Errorf("staffing sentence %q", got)
	}
	typeInto("f-st_volume", "1000")
	b.waitFor(`(document.querySelector("[data-agents]") || {}).textContent === "1"`)
	step("fill the line form", chromedp.Click(chromedp.CSS(`[data-fill-line]`)))
	if got := eval[string](b, `document.getElementById("f-l_basis").value + " " + document.getElementById("f-l_cap_aht_minutes").value + " " + document.getElementById("f-l_cap_occupancy").closest("[data-basis]").hidden`); got != "per_block 6 false" {
		t.Errorf("the helper filled the line form: %q", got)
	}
	step("agents line",
		chromedp.SetValue(chromedp.ID("f-l_amount"), "3900"),
		chromedp.Submit(chromedp.ID("f-l_amount")))
	// The address already says saved=line from the first line: wait for
	// the store to hold the second.
	var lines []store.Line
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if lines, _ = p.st.ListLines(ctx, opts[0].ID); len(lines) == 2 {
			break
		}
	}
	if len(lines) != 2 || lines[1].Name != "Agents" || lines[1].Capacity == nil || lines[1].Capacity.PaidHours.String() != "173.33" {
		t.Fatalf("baseline lines %+v", lines)
	}
	// and for the browser to land on the page after the save: a navigation
	// still under way would abort the next open (net::ERR_ABORTED).
	b.waitFor(`document.readyState === "complete" && document.querySelectorAll("table.ws-lines tbody tr").length === 2`)

	// A vendor quote at a flat 12.00 a ticket: the summary compares.
	b.open(fmt.Sprintf("/evaluations/%d/workspace", id))
	step("vendor quote",
		chromedp.SendKeys(chromedp.ID("f-vendor-name"), "Vendor A"),
		chromedp.SetValue(chromedp.ID("f-vendor-price"), "12"),
		chromedp.Submit(chromedp.ID("f-vendor-name")))
	b.waitFor(`location.search.includes("saved=option-added")`)
	// baseline 12 × (10,000 + 1 agent × 3,900) = 166,800; vendor 12 × 1,000 × 12 = 144,000
	if got, want := cell("in-house", "tco")+" | "+cell("vendor-a", "tco")+" | "+cell("vendor-a", "savings"), "€166,800 | €144,000 | €22,800 (13.7%)"; got != want {
		t.Errorf("summary after the quote: %q, want %q", got, want)
	}
	b.screenshot("ws-flow-2-quote-1280")

	// Tiers: 14.00 up to 500, 12.00 up to 800, then 10.00 (graduated).
	rows := eval[int](b, `document.querySelectorAll("#tier-rows tr").length`)
	// from the keyboard: Enter on "Add a tier" adds a row and moves there
	step("add a tier", chromedp.Focus(chromedp.CSS(`[data-add-tier]`)), chromedp.KeyEvent("\r"))
	if got := eval[int](b, `document.querySelectorAll("#tier-rows tr").length`); got != rows+1 {
		t.Fatalf("add a tier: %d rows, want %d", got, rows+1)
	}
	if got := eval[string](b, `document.activeElement.labels[0].textContent`); got != fmt.Sprintf("Tier %d: up to", rows+1) {
		t.Errorf("focus after adding a tier: %q", got)
	}
	setTiers := func(vals ...string) {
		t.Helper()
		js := fmt.Sprintf(`(() => { const v = %q.split("|"); const ins = document.querySelectorAll("#tier-rows input"); ins.forEach((el, i) => el.value = v[i] || ""); return ins.length; })()`, strings.Join(vals, "|"))
		if n := eval[int](b, js); n < len(vals) {
			t.Fatalf("only %d tier inputs", n)
		}
	}
	setTiers("500", "14", "800", "12", "", "10")
	step("save tiers", chromedp.Submit(chromedp.ID("f-name")))
	b.waitFor(`location.search.includes("saved=option&")`)
	// 500 × 14 + 300 × 12 + 200 × 10 = 12,600 a month, 151,200 a year
	if got, want := cell("vendor-a", "tco")+" | "+cell("vendor-a", "change")+" | "+cell("in-house", "change")+" | "+cell("vendor-a", "savings"), "€151,200 | +€7,200 | unchanged | €15,600 (9.4%)"; got != want {
		t.Errorf("summary after the tiers: %q, want %q", got, want)
	}
	b.screenshot("ws-flow-3-tiers-1280")
	vendor, _ := p.st.ListOptions(ctx, id)
	stored := vendor[1].Pricing.Tiers
	if len(stored) != 3 || stored[0].UpTo.String() != "500" || stored[2].UpTo != nil {
		t.Fatalf("stored tiers %+v", stored)
	}

	// A bound that does not increase: the error sits next to its field.
	setTiers("500", "14", "400", "12", "", "10")
	b.mu.Lock()
	seen := len(b.problems)
	b.mu.Unlock()
	step("save a bad tier", chromedp.Submit(chromedp.ID("f-name")))
	b.waitFor(`!!document.getElementById("f-tier-1-up_to-error")`)
	if got := eval[string](b, `(() => { const i = document.getElementById("f-tier-1-up_to"); const e = document.getElementById("f-tier-1-up_to-error");
		return [i.value, i.getAttribute("aria-invalid"), i.getAttribute("aria-describedby").includes(e.id), i.closest(".field").contains(e), e.textContent].join(" | "); })()`); got != "400 | true | true | true | must be greater than the previous tier's bound (500)" {
		t.Errorf("the bad tier's field: %q", got)
	}
	b.screenshot("ws-flow-4-bad-tier-1280")
	after, _ := p.st.ListOptions(ctx, id)
	if got := after[1].Pricing.Tiers; len(got) != 3 || got[1].UpTo.String() != "800" || after[1].Version != vendor[1].Version {
		t.Errorf("the bad tier was saved: %+v", got)
	}
	if got := cell("vendor-a", "tco"); got != "€151,200" {
		t.Errorf("summary after the refused save: %q", got)
	}
	// The refused save is a 422 by design: Chromium logs it, nothing else.
	b.mu.Lock()
	kept := b.problems[:seen]
	for _, pr := range b.problems[seen:] {
		if !strings.Contains(pr, "status of 422") {
			kept = append(kept, pr)
		}
	}
	b.problems = kept
	b.mu.Unlock()
	b.clean()
}

// TestWorkspaceScreenshots opens every workspace page of the demo at 1280
// and 390 px, checks that none scrolls sideways, with no console error and
// no CSP violation, and writes screenshots when SCREENSHOT_DIR is set.
func TestWorkspaceScreenshots(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	opts := wsDemoOptions(t, p)
	base := fmt.Sprintf("/evaluations/%d/workspace", p.demoID)
	pages := []struct{ name, path string }{
		{"overview", base},
		{"settings", base + "/settings"},
		{"baseline", fmt.Sprintf("%s/options/%d", base, opts["in-house"].ID)},
		{"vendor", fmt.Sprintf("%s/options/%d", base, opts["vendor-a"].ID)},
		{"improvement", fmt.Sprintf("%s/options/%d", base, opts["chatbot"].ID)},
		{"criteria", base + "/criteria"},
		{"staffing-error", fmt.Sprintf("%s/options/%d?st_volume=20000&st_aht=0&st_occupancy=1.5&st_shrinkage=0.3&st_paid_hours=160#staffing", base, opts["in-house"].ID)},
	}
	for _, w := range []int{1280, 390} {
		b := newBrowser(t, p, w, 900)
		for _, pg := range pages {
			b.open(pg.path)
			b.waitFor(`document.readyState === "complete"`)
			b.screenshot(fmt.Sprintf("ws-%s-%d", pg.name, w))
			// every field has a label, every form that changes something its CSRF token
			if bare := eval[[]string](b, `Array.from(document.querySelectorAll("input:not([type=hidden]), select, textarea")).filter(e => !e.closest("template") && e.labels.length === 0).map(e => e.name)`); len(bare) > 0 {
				t.Errorf("%s: fields without a label: %v", pg.name, bare)
			}
			if n := eval[int](b, `Array.from(document.querySelectorAll("form[method=post]")).filter(f => !f.querySelector("input[name=_csrf]")).length`); n > 0 {
				t.Errorf("%s: %d forms without a CSRF token", pg.name, n)
			}
			if over := eval[bool](b, `document.documentElement.scrollWidth > window.innerWidth + 1`); over {
				wide := eval[[]string](b, `Array.from(document.querySelectorAll("body *")).filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5).map(e => e.tagName + "." + e.className + "#" + e.id)`)
				t.Errorf("%s at %d px: the page scrolls sideways: %v", pg.name, w, wide)
			}
		}
		b.clean()
	}
}
