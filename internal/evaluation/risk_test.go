package evaluation

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"bytes"
	"github.com/xuri/excelize/v2"
	"reflect"
	"vendorcompare/internal/sheet"
	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
)

// preset is the "typical contact-centre uncertainty".
func preset(runs int, seed int64) *tco.Risk {
	tri := func(l, m, h string) *tco.Triangular {
		return &tco.Triangular{Low: decimal.RequireFromString(l), Mode: decimal.RequireFromString(m), High: decimal.RequireFromString(h)}
	}
	return &tco.Risk{Runs: runs, Seed: seed, Drivers: tco.RiskDrivers{
		Volume: tri("0.8", "1.0", "1.3"), Personnel: tri("0.97", "1.03", "1.10"), AHT: tri("0.9", "1.0", "1.2"),
		VendorPrice: tri("1.0", "1.0", "1.05")}}
}

// openRisk opens a store holding e2 once for each risk block given (nil:
// none), returning their ids in order.
func openRisk(t *testing.T, risks ...*tco.Risk) (*store.Store, []int64) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	data, err := os.ReadFile("../tco/testdata/e2.json")
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, r := range risks {
		doc, err := tco.Decode(data)
		if err != nil {
			t.Fatal(err)
		}
		doc.Risk = r
		id, err := st.ImportDocument(ctx, "test", doc)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return st, ids
}

// gauge counts what runs at once and remembers the most.
type gauge struct{ now, peak atomic.Int64 }

func (g *gauge) add(n int64) {
	v := g.now.Add(n)
	for p := g.peak.Load(); v > p && !g.peak.CompareAndSwap(p, v); p = g.peak.Load() {
	}
}

// TestRiskOncePerVersion: callers that ask at once share one simulation,
// later ones read it from the cache, and a change to the evaluation (a
// new version) simulates again; the figures are the engine's.
func TestRiskOncePerVersion(t *testing.T) {
	t.Parallel()
	st, ids := openRisk(t, preset(2000, 7))
	id := ids[0]
	s := New(st, Config{MaxComparisons: 4})
	var calls atomic.Int64
	s.engine = func(d *tco.Document, o tco.CompareOptions) (*tco.Comparison, error) {
		calls.Add(1)
		time.Sleep(20 * time.Millisecond) // let every caller arrive while it runs
		return tco.Compare(d, o)
	}
	ctx := t.Context()
	if _, ready, err := s.RiskIfReady(ctx, id); err != nil || ready {
		t.Fatalf("before any simulation: ready %t, %v", ready, err)
	}
	var wg sync.WaitGroup
	got := make([]*Risk, 8)
	errs := make([]error, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], errs[i] = s.Risk(ctx, id)
		}()
	}
	wg.Wait()
	for i := range got {
		if errs[i] != nil || got[i] != got[0] {
			t.Fatalf("caller %d: %p (first %p), %v", i, got[i], got[0], errs[i])
		}
	}
	if n := calls.Load(); n != 1 {
		t.Fatalf("8 callers at once ran %d simulations, want 1", n)
	}
	if r, ready, err := s.RiskIfReady(ctx, id); err != nil || !ready || r != got[0] {
		t.Fatalf("after the simulation: ready %t, %v", ready, err)
	}
	// the figures are the engine's own, run on every core
	doc, err := st.Document(ctx, id, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, err := tco.Compare(doc, tco.CompareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	r := got[0]
	if r.Runs != 2000 || r.Seed != 7 || len(r.Options) != len(want.Options) {
		t.Fatalf("risk: %d runs, seed %d, %d options", r.Runs, r.Seed, len(r.Options))
	}
	for _, o := range want.Options {
		a, b := json.RawMessage(mustJSON(t, r.Options[o.ID])), json.RawMessage(mustJSON(t, o.Risk))
		if string(a) != string(b) {
			t.Errorf("%s: %s, the engine's %s", o.ID, a, b)
		}
	}
	// a new version: simulated again
	e, err := st.GetEvaluation(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	set := settingsOf(doc)
	set.Name = "renamed"
	if _, err := st.UpdateEvaluation(ctx, "test", id, e.Version, set); err != nil {
		t.Fatal(err)
	}
	if _, ready, _ := s.RiskIfReady(ctx, id); ready {
		t.Fatal("a changed evaluation's simulation reads as ready")
	}
	if _, err := s.Risk(ctx, id); err != nil || calls.Load() != 2 {
		t.Fatalf("the new version: %d simulations, %v", calls.Load(), err)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// settingsOf is a stored evaluation's settings from its document.
func settingsOf(d *tco.Document) store.Settings {
	return store.Settings{Name: d.Name, Currency: d.Currency, Start: d.Start, HorizonMonths: d.HorizonMonths,
		DiscountRate: d.DiscountRate, Timing: d.Timing, Escalation: d.Escalation, Volume: d.Volume,
		Baseline: d.Baseline, Price: d.Price, FiscalYearStart: d.FiscalYearStart, Materiality: d.Materiality}
}

// TestRiskWithinSlot: simulations of many evaluations at once, beside
// dashboards and the API's comparisons (risk included), never take more
// cores than the comparison slots: each costing runs on one worker inside
// a slot, so with two slots at most two run and one viewer cannot take
// every core.
func TestRiskWithinSlot(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4)) // more cores than slots
	risks := make([]*tco.Risk, 6)
	for i := range risks {
		risks[i] = preset(1000, int64(i))
	}
	st, ids := openRisk(t, risks...)
	const slots = 2
	s := New(st, Config{MaxComparisons: slots})
	var cores, sims gauge
	s.engine = func(d *tco.Document, o tco.CompareOptions) (*tco.Comparison, error) {
		if o.Workers < 1 {
			t.Errorf("a costing may take %d workers (0: every core)", o.Workers)
		}
		cores.add(int64(o.Workers))
		sims.add(1)
		defer func() { cores.add(-int64(o.Workers)); sims.add(-1) }()
		time.Sleep(10 * time.Millisecond) // overlap the others
		return tco.Compare(d, o)
	}
	ctx := t.Context()
	var wg sync.WaitGroup
	for _, id := range ids {
		for range 2 { // a viewer asking twice shares its own simulation
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := s.Risk(ctx, id); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Add(2)
		go func() {
			defer wg.Done()
			if _, err := s.Dashboard(ctx, id); err != nil {
				t.Error(err)
			}
		}()
		go func() { // the API's comparison, risk runs included
			defer wg.Done()
			if c, err := s.Comparison(ctx, id, nil, tco.CompareOptions{}); err != nil || c.RiskRuns == 0 {
				t.Errorf("the API's comparison: %v", err)
			}
		}()
	}
	wg.Wait()
	if p := cores.peak.Load(); p > slots || p < 1 {
		t.Errorf("simulations took %d cores at once, with %d slots", p, slots)
	}
	if p := sims.peak.Load(); p > slots {
		t.Errorf("%d costings ran at once, with %d slots", p, slots)
	}
	t.Logf("at most %d costings and %d cores at once", sims.peak.Load(), cores.peak.Load())
}

// TestRiskDeadline: a request's deadline stops a simulation (waiting for
// a slot, or in its runs); nothing is kept, and the next caller makes it.
func TestRiskDeadline(t *testing.T) {
	st, ids := openRisk(t, preset(20000, 3))
	id := ids[0]
	s := New(st, Config{MaxComparisons: 1})
	ctx := t.Context()
	release, err := s.Slot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	_, err = s.Risk(short, id)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("waiting for a taken slot: %v", err)
	}
	release()
	short, cancel = context.WithTimeout(ctx, 30*time.Millisecond)
	start := time.Now()
	_, err = s.Risk(short, id)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("20,000 runs in 30 ms: %v", err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("the deadline stopped the runs after %s", el)
	}
	if _, ready, _ := s.RiskIfReady(ctx, id); ready {
		t.Fatal("a stopped simulation was kept")
	}
	if r, err := s.Risk(ctx, id); err != nil || r.Runs != 20000 {
		t.Fatalf("the next caller: %v", err)
	}
}

// TestDashboardWithoutRisk: the dashboard never runs the simulation (its
// comparison skips the runs), so it does not wait for it; an evaluation
// without a risk block has no simulation at all.
func TestDashboardWithoutRisk(t *testing.T) {
	t.Parallel()
	st, ids := openRisk(t, preset(2000, 7), nil)
	s := New(st, Config{})
	var calls atomic.Int64
	s.engine = func(d *tco.Document, o tco.CompareOptions) (*tco.Comparison, error) {
		if d.Risk != nil && !o.SkipRisk { // a costing that simulates
			calls.Add(1)
		}
		return tco.Compare(d, o)
	}
	ctx := t.Context()
	d, err := s.Dashboard(ctx, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range d.Cmp.Options {
		if o.Risk != nil {
			t.Fatalf("the dashboard's comparison simulated %s", o.ID)
		}
	}
	if _, ready, _ := s.RiskIfReady(ctx, ids[0]); ready || calls.Load() != 0 {
		t.Fatal("the dashboard made the simulation")
	}
	if h := NewHowSure(d, nil, false); !h.Has || h.Ready || h.Runs != 2000 || !strings.Contains(h.Line, "simulating 2,000 futures") {
		t.Errorf("not ready: %+v", h)
	}
	r, err := s.Risk(ctx, ids[1])
	if err != nil || r != nil || calls.Load() != 0 {
		t.Fatalf("no risk block: %v, %v, %d simulations", r, err, calls.Load())
	}
	d2, err := s.Dashboard(ctx, ids[1])
	if err != nil {
		t.Fatal(err)
	}
	if h := NewHowSure(d2, nil, false); h.Has || h.Ready || !strings.Contains(h.Line, "no risk settings") {
		t.Errorf("no risk block: %+v", h)
	}
}

// TestHowSure: the panel says in words what the simulation found, each
// share with its sampling error, and draws each alternative's P10–P90
// with its median beside its deterministic savings.
func TestHowSure(t *testing.T) {
	t.Parallel()
	st, ids := openRisk(t, preset(2000, 7))
	s := New(st, Config{})
	ctx := t.Context()
	d, err := s.Dashboard(ctx, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Risk(ctx, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	h := NewHowSure(d, r, true)
	if !h.Ready || len(h.Rows) != len(d.Rows) {
		t.Fatalf("ready %t, %d rows for %d options", h.Ready, len(h.Rows), len(d.Rows))
	}
	sentence := regexp.MustCompile(`^(.+) (saves money in (\d+(\.\d)?)% of 2,000 simulated futures and comes out first in (\d+(\.\d)?)%|comes out first in (\d+(\.\d)?)% of 2,000 simulated futures.*)\.$`)
	if !sentence.MatchString(h.Sentence) {
		t.Errorf("sentence %q", h.Sentence)
	}
	if !strings.HasPrefix(h.Line, "How sure: ") || !strings.Contains(h.Line, "points at 90% confidence") {
		t.Errorf("line %q", h.Line)
	}
	if !strings.Contains(h.Note, "±1.8 points at most with 2,000 runs") || !strings.Contains(h.Note, "independently") {
		t.Errorf("note %q", h.Note)
	}
	for i, row := range h.Rows {
		if row.Name != d.Rows[i].Name {
			t.Errorf("row %d is %s, the ranking's %s", i, row.Name, d.Rows[i].Name)
		}
		k := r.Options[d.Rows[i].ID]
		if row.PSaves != k.PSaves || row.PFirst != k.PFirst || !row.P50.Value.Equal(k.Savings.P50.Value) || !row.Savings.Value.Equal(d.Rows[i].Savings.Value) {
			t.Errorf("%s: the row's figures are not the simulation's", row.Name)
		}
		if !strings.Contains(row.Saves, "% ±") || !strings.Contains(row.First, "% ±") {
			t.Errorf("%s: shares without their sampling error: %q, %q", row.Name, row.Saves, row.First)
		}
		if row.Baseline != (row.Words == "") {
			t.Errorf("%s: words %q", row.Name, row.Words)
		}
	}
	chart := h.Chart().(howSureChart)
	if len(chart.Options) != len(d.Rows)-1 {
		t.Fatalf("%d options in the chart, want every alternative (%d)", len(chart.Options), len(d.Rows)-1)
	}
	for _, o := range chart.Options {
		if o.P10 > o.P50 || o.P50 > o.P90 {
			t.Errorf("%s: P10 %v, P50 %v, P90 %v out of order", o.Label, o.P10, o.P50, o.P90)
		}
	}
}

// TestExportUsesTheSimulation: the finance workbook's Risk sheet is the
// simulation the dashboard shows, made once per evaluation version (spec
// §9, issue 16), not one of its own per export; its figures are those of
// the engine's own simulation of the document.
func TestExportUsesTheSimulation(t *testing.T) {
	t.Parallel()
	st, ids := openRisk(t, preset(2000, 7))
	id := ids[0]
	s := New(st, Config{MaxComparisons: 2})
	var sims atomic.Int64
	s.engine = func(d *tco.Document, o tco.CompareOptions) (*tco.Comparison, error) {
		if o.WithRisk {
			sims.Add(1)
		}
		return tco.Compare(d, o)
	}
	ctx := t.Context()
	now := func() time.Time { return time.Date(2026, 12, 6, 8, 0, 0, 0, time.UTC) }
	var books [][]byte
	for range 2 {
		f, err := s.Export(ctx, id, XLSX, ExportOptions{Now: now, By: "cfo@example.com"})
		if err != nil {
			t.Fatal(err)
		}
		books = append(books, f.Body)
	}
	if _, err := s.Risk(ctx, id); err != nil {
		t.Fatal(err)
	}
	if n := sims.Load(); n != 1 {
		t.Errorf("two exports and the dashboard's risk ran %d simulations, want 1", n)
	}
	// the same sheet as from the engine's comparison with its own runs
	doc, err := st.Document(ctx, id, nil)
	if err != nil {
		t.Fatal(err)
	}
	direct, err := tco.Compare(doc, tco.CompareOptions{SkipAnalysis: true, WithRisk: true})
	if err != nil {
		t.Fatal(err)
	}
	about, err := s.about(ctx, id, ExportOptions{Now: now, By: "cfo@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	want, err := sheet.ExportXLSX(doc, direct, about)
	if err != nil {
		t.Fatal(err)
	}
	rows := func(b []byte) [][]string {
		f, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		r, err := f.GetRows("Risk")
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	w := rows(want)
	if len(w) < 3 {
		t.Fatalf("the engine's Risk sheet has %d rows", len(w))
	}
	for i, b := range books {
		if got := rows(b); !reflect.DeepEqual(got, w) {
			t.Errorf("export %d: Risk sheet\n%q\nwant\n%q", i+1, got, w)
		}
	}
}
