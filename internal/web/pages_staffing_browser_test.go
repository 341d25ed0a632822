package web

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
	"vendorcompare/internal/web/ui"
)

// TestStaffingServiceLevelBrowser (issue 15): in headless Chromium, the
// staffing helper's service-level mode staffs the baseline's agents to
// 80/20 over a typical weekday and shows the heads, the achieved service
// level and occupancy beside the workload method's heads, with the chart of
// agents by interval; "Use in a per-block line" carries the service level to
// the line form, saving it stores a staffed capacity, and the dashboard's
// staffing panel shows its heads by both methods. No console error, no CSP
// violation, at 1280 and 390 px.
func TestStaffingServiceLevelBrowser(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	ctx := context.Background()
	opts, err := p.st.ListOptions(ctx, p.demoID)
	if err != nil {
		t.Fatal(err)
	}
	var base store.Option
	e, err := p.st.GetEvaluation(ctx, p.demoID)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range opts {
		if o.Slug == e.Baseline {
			base = o
		}
	}
	for _, w := range []int{1280, 390} {
		b := newBrowser(t, p, w, 900)
		step := func(what string, actions ...chromedp.Action[chromedp.Void]) {
			t.Helper()
			if err := b.do(actions...); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
		}
		b.open(ui.OptionURL(p.demoID, base.ID) + "#staffing")
		b.waitFor(`document.readyState === "complete"`)
		if hidden := eval[bool](b, `document.querySelector("[data-stmode]").hidden`); !hidden {
			t.Error("the service-level fields show in workload mode")
		}
		step("service-level mode", chromedp.SetValue(chromedp.ID("f-st_mode"), tco.MethodServiceLevel))
		eval[bool](b, `document.getElementById("f-st_mode").dispatchEvent(new Event("change", {bubbles: true}))`)
		if hidden := eval[bool](b, `document.querySelector("[data-stmode]").hidden`); hidden {
			t.Fatal("the service-level fields stay hidden in service-level mode")
		}
		step("figures",
			chromedp.SetValue(chromedp.ID("f-st_volume"), "20000"),
			chromedp.SetValue(chromedp.ID("f-st_aht"), "6"),
			chromedp.SetValue(chromedp.ID("f-st_occupancy"), "85%"),
			chromedp.SetValue(chromedp.ID("f-st_shrinkage"), "30%"),
			chromedp.SetValue(chromedp.ID("f-st_paid_hours"), "168"),
			chromedp.SetValue(chromedp.ID("f-st_target"), "80%"),
			chromedp.SetValue(chromedp.ID("f-st_seconds"), "20"),
			chromedp.SetValue(chromedp.ID("f-st_days"), "5"),
			chromedp.SetValue(chromedp.ID("f-st_day_hours"), "12"),
			chromedp.SetValue(chromedp.ID("f-st_interval"), "30"))
		// the typical weekday preset (a submit: the server writes it out)
		step("weekday preset", chromedp.Click(chromedp.CSS(`button[name=st_use_preset][value=weekday]`)))
		// ?. keeps the poll from throwing while the page is half parsed (the
		// heads read, the canvas not yet): a throw inside chromedp.Poll's
		// timer is an unhandled rejection and the poll then never answers
		b.waitFor(`!!document.querySelector("[data-sl-heads]") && document.querySelector("canvas[data-staffing-chart]")?.dataset.drawn === "1"`)
		profile := eval[string](b, `document.getElementById("f-st_profile").value`)
		if n := len(strings.Fields(profile)); n != 24 {
			t.Errorf("weekday preset over 12 hours of 30 minutes: %d intervals (%q)", n, profile)
		}
		// the same capacity staffed by the engine directly
		heads := eval[string](b, `document.querySelector("[data-sl-heads]").textContent`)
		workload := eval[string](b, `document.querySelector("[data-sl-workload]").textContent`)
		achieved := eval[string](b, `document.querySelector("[data-sl-achieved]").textContent`)
		occupancy := eval[string](b, `document.querySelector("[data-sl-occupancy]").textContent`)
		want := staffPlan(t, profile)
		if heads != fmt.Sprint(want.Heads) || workload != fmt.Sprint(want.WorkloadHeads) ||
			achieved != fmt.Sprintf("%.1f%%", *want.ServiceLevel*100) || occupancy != fmt.Sprintf("%.1f%%", *want.Occupancy*100) {
			t.Errorf("helper: %s heads, %s at workload, %s achieved, %s occupancy; tco.Staff: %+v", heads, workload, achieved, occupancy, want)
		}
		if want.Heads <= want.WorkloadHeads {
			t.Errorf("80/20 over a peaked day needs more heads than the average workload: %d and %d", want.Heads, want.WorkloadHeads)
		}
		b.screenshot(fmt.Sprintf("staff-helper-%d", w))

		// carry it to a per-block line and save
		step("use in a line", chromedp.Click(chromedp.CSS(`[data-fill-line]`)))
		b.waitFor(`(document.getElementById("f-l_cap_sl_target") || {}).value === "80%"`)
		if got := eval[string](b, `document.getElementById("f-l_cap_open_hours").value + " " + document.getElementById("f-l_cap_interval").value`); got != "260 30" {
			t.Errorf("line form open hours and interval %q, want 260 30", got)
		}
		step("save the line",
			chromedp.SetValue(chromedp.ID("f-l_name"), fmt.Sprintf("Agents 80/20 %d", w)),
			chromedp.SetValue(chromedp.ID("f-l_amount"), "3900"),
			chromedp.Submit(chromedp.ID("f-l_amount")))
		var saved *store.Line
		for deadline := time.Now().Add(10 * time.Second); saved == nil && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			lines, _ := p.st.ListLines(ctx, base.ID)
			for i := range lines {
				if lines[i].Name == fmt.Sprintf("Agents 80/20 %d", w) {
					saved = &lines[i]
				}
			}
		}
		if saved == nil || !saved.Capacity.Staffed() || saved.Capacity.OpenHours.String() != "260" || len(saved.Capacity.Profile) != 24 {
			t.Fatalf("saved line %+v", saved)
		}
		b.clean()
		b.reset()

		// the dashboard's staffing panel
		b.open(fmt.Sprintf("/evaluations/%d", p.demoID))
		b.waitFor(`!!document.getElementById("staffing-table")`)
		rows := eval[[]string](b, `Array.from(document.querySelectorAll("#staffing-table tbody tr")).map(r => r.innerText.replace(/\s+/g, " ").trim())`)
		var sl, wl bool
		for _, r := range rows {
			sl = sl || (strings.Contains(r, fmt.Sprintf("Agents 80/20 %d", w)) && strings.Contains(r, "80/20"))
			wl = wl || (strings.Contains(r, fmt.Sprintf("Agents 80/20 %d", w)) && strings.Contains(r, "average workload"))
		}
		if !sl || !wl {
			t.Errorf("staffing panel rows %q: want the line at 80/20 and at average workload", rows)
		}
		b.waitFor(`document.documentElement.dataset.chartsDrawn !== undefined`)
		step("scroll to the panel", chromedp.ScrollIntoView(chromedp.ID("staffing")))
		b.screenshot(fmt.Sprintf("staff-dashboard-%d", w))
		// the panel fits the screen (its monthly table scrolls in its own box)
		if wide := eval[[]string](b, `Array.from(document.querySelectorAll("#staffing, #staffing > *, #staffing-table")).filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).map(e => e.tagName + "#" + e.id + "." + e.className)`); len(wide) > 0 {
			t.Errorf("the staffing panel at %d px is wider than the screen: %v", w, wide)
		}
		b.clean()
	}
}

// staffPlan staffs the helper's capacity with tco.Staff: 20,000 contacts,
// 6 minutes, 85%, 30%, 168 h, 80/20, 5 days × 12 h × 52 ÷ 12 = 260 open
// hours, 30-minute intervals, the given profile.
func staffPlan(t *testing.T, profile string) *tco.StaffingPlan {
	t.Helper()
	var ws []string
	for _, f := range strings.Fields(profile) {
		ws = append(ws, f)
	}
	js := fmt.Sprintf(`{"units": 20000, "capacity": {"aht_minutes": 6, "occupancy": 0.85, "shrinkage": 0.3, "paid_hours": 168,
		"service_level": {"target": 0.8, "seconds": 20}, "open_hours": 260, "interval_minutes": 30, "profile": [%s]}}`, strings.Join(ws, ","))
	plan, err := tco.DecodeStaffing([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	return plan
}
