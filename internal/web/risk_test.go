package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptrace"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
)

// presetRisk is the workspace's "typical contact-centre uncertainty" with
// runs runs and seed 7.
func presetRisk(runs int) *tco.Risk {
	tri := func(l, m, h string) *tco.Triangular {
		return &tco.Triangular{Low: decimal.RequireFromString(l), Mode: decimal.RequireFromString(m), High: decimal.RequireFromString(h)}
	}
	return &tco.Risk{Runs: runs, Seed: 7, Drivers: tco.RiskDrivers{Volume: tri("0.8", "1.0", "1.3"),
		Personnel: tri("0.97", "1.03", "1.10"), AHT: tri("0.9", "1.0", "1.2"), VendorPrice: tri("1.0", "1.0", "1.05")}}
}

// importRisk stores the document at path (from internal/tco/testdata)
// with risk block r (nil: none) and returns its id.
func importRisk(t testing.TB, st *store.Store, path string, r *tco.Risk) int64 {
	t.Helper()
	b, err := os.ReadFile("../tco/testdata/" + path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := tco.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	doc.Risk = r
	id, err := st.ImportDocument(store.Confirmed(context.Background()), "test", doc)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestHowSurePanel: the dashboard is drawn without the simulation (its
// panel says it is computing and where to fetch it), the fragment answers
// once the simulation is made, and the next dashboard shows it at once; an
// evaluation without a risk block says so and links to the workspace.
func TestHowSurePanel(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	id := importRisk(t, p.st, "e2.json", presetRisk(2000))
	ctx := t.Context()

	page := p.get(fmt.Sprintf("/evaluations/%d", id))
	if page.status != http.StatusOK {
		t.Fatalf("dashboard: %d", page.status)
	}
	contains(t, "the dashboard before the simulation", page.body, `id="howsure"`, `data-state="computing"`,
		fmt.Sprintf(`data-src="/evaluations/%d/risk"`, id), "Computing 2,000 simulated futures", `src="/static/js/howsure.`)
	if strings.Contains(page.body, "simulated futures and comes out first") {
		t.Error("the dashboard waited for the simulation")
	}
	if _, ready, err := p.srv.eval.RiskIfReady(ctx, id); err != nil || ready {
		t.Fatalf("the dashboard made the simulation (%v)", err)
	}

	frag := p.get(fmt.Sprintf("/evaluations/%d/risk", id))
	if frag.status != http.StatusOK || strings.Contains(frag.body, "<html") {
		t.Fatalf("fragment: %d %.200s", frag.status, frag.body)
	}
	contains(t, "the fragment", frag.body, `id="howsure"`, `data-state="ready"`, `id="howsure-line"`, `id="howsure-data"`,
		"simulated futures and comes out first in", "±1.8 points at most with 2,000 runs", "drawn independently", "% ±")
	if strings.Contains(frag.body, "data-src") {
		t.Error("the fragment asks to be fetched again")
	}
	r, ready, err := p.srv.eval.RiskIfReady(ctx, id)
	if err != nil || !ready || r.Runs != 2000 {
		t.Fatalf("after the fragment: ready %t, %v", ready, err)
	}
	page = p.get(fmt.Sprintf("/evaluations/%d", id))
	contains(t, "the dashboard after the simulation", page.body, `data-state="ready"`, "simulated futures and comes out first in", `id="howsure-data"`)

	none := p.get(fmt.Sprintf("/evaluations/%d", p.demoID))
	contains(t, "no risk block", none.body, `data-state="none"`, "Not simulated", "An editor adds them", fmt.Sprintf(`href="/evaluations/%d/workspace/risk" id="add-risk"`, p.demoID))
	if f := p.get(fmt.Sprintf("/evaluations/%d/risk", p.demoID)); f.status != http.StatusOK || !strings.Contains(f.body, "Not simulated") {
		t.Errorf("fragment without a risk block: %d", f.status)
	}
	if f := p.get("/evaluations/999999/risk"); f.status != http.StatusNotFound {
		t.Errorf("fragment of an unknown evaluation: %d", f.status)
	}
}

// TestDashboardFirstByteWithoutRisk: the first byte of the dashboard of
// the large document with a risk block of 2,000 runs does not wait for
// the runs: the page is answered while the simulation is still to be
// made, and its time is that of the same document without a risk block,
// not that plus the simulation (logged, with the load average).
func TestDashboardFirstByteWithoutRisk(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("costs the large document several times")
	}
	p := startPages(t)
	with := importRisk(t, p.st, "large.json", presetRisk(2000))
	without := importRisk(t, p.st, "large.json", nil)
	ttfb := func(path string) time.Duration {
		req, err := http.NewRequest(http.MethodGet, p.base+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		var start time.Time
		var first time.Duration
		req = req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
			WroteRequest:         func(httptrace.WroteRequestInfo) { start = time.Now() },
			GotFirstResponseByte: func() { first = time.Since(start) },
		}))
		if res := p.do(req); res.status != http.StatusOK {
			t.Fatalf("%s: %d", path, res.status)
		}
		return first
	}
	a := ttfb(fmt.Sprintf("/evaluations/%d", without))
	b := ttfb(fmt.Sprintf("/evaluations/%d", with))
	if _, ready, _ := p.srv.eval.RiskIfReady(t.Context(), with); ready {
		t.Fatal("the dashboard made the simulation before answering")
	}
	start := time.Now()
	if res := p.get(fmt.Sprintf("/evaluations/%d/risk", with)); res.status != http.StatusOK || !strings.Contains(res.body, `data-state="ready"`) {
		t.Fatalf("fragment: %d", res.status)
	}
	sim := time.Since(start)
	t.Logf("first byte of the large document's dashboard: %v without a risk block, %v with 2,000 runs; the fragment (the simulation) then took %v; %s",
		a.Round(time.Millisecond), b.Round(time.Millisecond), sim.Round(time.Millisecond), loadAverage())
}
