package web

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"vendorcompare/internal/store"
)

// TestAuditTrailReadable: the audit trail names fields in words with each
// value before → after, and narrows by evaluation, who, record type,
// action and date; a filter it cannot read is named, not an error.
func TestAuditTrailReadable(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	ctx := t.Context()
	if _, err := p.st.RecordDecision(ctx, "cfo@example.com", p.demoID, store.DecisionInput{Kind: store.DecisionDefer, Rationale: "Wait for references."}); err != nil {
		t.Fatal(err)
	}
	all := p.get("/audit")
	if all.status != http.StatusOK {
		t.Fatalf("/audit: %d", all.status)
	}
	contains(t, "/audit", all.body, "Created decision #", "Imported evaluation #", `<dt title="rationale">Rationale</dt>`, "Wait for references.", "→",
		`<option value="cfo@example.com">cfo@example.com</option>`, `<option value="decision">Decision</option>`, `<option value="update">Changed</option>`)
	one := p.get(fmt.Sprintf("/audit?actor=cfo@example.com&entity=decision&change=create&evaluation=%d", p.demoID))
	contains(t, "filtered", one.body, "1 recorded change matching the filters", "Created decision #", `<option value="cfo@example.com" selected>`)
	if strings.Contains(one.body, "Imported evaluation") {
		t.Error("the filters let another record type through")
	}
	today := p.get("/audit?from=2000-01-01&to=2999-12-31&actor=cfo@example.com")
	contains(t, "dated", today.body, "1 recorded change matching")
	none := p.get("/audit?to=2000-01-01")
	contains(t, "before any change", none.body, "No change matches these filters.")
	bad := p.get("/audit?from=yesterday&entity=table&change=drop")
	if bad.status != http.StatusOK {
		t.Fatalf("bad filters: %d", bad.status)
	}
	contains(t, "bad filters", bad.body, "From: a date such as 2027-03-15", "Record type: not one of the list", "Action: not one of the list")
	ev := p.get(fmt.Sprintf("/evaluations/%d/audit?entity=decision", p.demoID))
	contains(t, "evaluation's trail", ev.body, "1 recorded change matching", "Created decision #")
}

// TestBrowserAuditTrail: the filters work in Chromium and the trail reads
// at 390 px without sideways scrolling.
func TestBrowserAuditTrail(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	ctx := t.Context()
	opts, err := p.st.ListOptions(ctx, p.demoID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.st.RecordDecision(ctx, "chair.of.the.board@example.com", p.demoID, store.DecisionInput{Kind: store.DecisionAward, OptionID: opts[1].ID,
		Rationale: "Cheapest on present value at a quality within reach; references checked with three clients of comparable size."}); err != nil {
		t.Fatal(err)
	}
	for _, w := range []int{1280, 390} {
		b := newBrowser(t, p, w, 900)
		b.open("/audit")
		b.screenshot(fmt.Sprintf("audit-%d", w))
		if sw := eval[int](b, `document.documentElement.scrollWidth`); sw > w {
			over := eval[[]string](b, fmt.Sprintf(`[...document.querySelectorAll("main *")].filter((e) => e.getBoundingClientRect().right > %d + 1).slice(0, 6).map((e) => e.tagName + "." + e.className)`, w))
			t.Errorf("at %d px the audit trail is %d px wide: %v", w, sw, over)
		}
		if err := b.do(chromedp.SetValue(chromedp.ID("f-actor"), "chair.of.the.board@example.com"),
			chromedp.SetValue(chromedp.ID("f-entity"), "decision"), chromedp.Submit(chromedp.ID("f-actor"))); err != nil {
			t.Fatal(err)
		}
		b.waitFor(`location.search.includes("actor=chair")`)
		b.waitFor(`document.readyState === "complete"`)
		got := eval[[]string](b, `[...document.querySelectorAll(".audit-entry .audit-what")].map((e) => e.textContent)`)
		if len(got) != 1 || !strings.HasPrefix(got[0], "Created decision #") {
			t.Errorf("at %d px the filtered trail lists %q", w, got)
		}
		b.screenshot(fmt.Sprintf("audit-filtered-%d", w))
		if sw := eval[int](b, `document.documentElement.scrollWidth`); sw > w {
			t.Errorf("at %d px the filtered trail is %d px wide", w, sw)
		}
		b.clean()
	}
}
