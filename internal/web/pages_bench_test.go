package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"vendorcompare/internal/store"
)

// BenchmarkDashboardRender renders the demo dashboard server-side through
// the whole handler chain: loading the evaluation and its document from
// SQLite, costing it with break-even and sensitivity, the rounds
// comparison, the break-even curves and the template (target < 20 ms).
func BenchmarkDashboardRender(b *testing.B) { benchDashboard(b, false) }

// BenchmarkDashboardRenderCold is the same render with no value cache
// (internal/evaluation): the first view of an evaluation, or the first
// after a change.
func BenchmarkDashboardRenderCold(b *testing.B) { benchDashboard(b, true) }

func benchDashboard(b *testing.B, cold bool) {
	ctx := context.Background()
	st, err := store.Open(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if _, err := st.LoadDemo(ctx, "../../data"); err != nil {
		b.Fatal(err)
	}
	pg, err := st.ListEvaluations(ctx, store.ListParams{})
	if err != nil || len(pg.Items) == 0 {
		b.Fatal(err)
	}
	cfg := Config{}
	if cold {
		cfg.CacheBytes = -1
	}
	srv := New(cfg, Deps{Store: st})
	h := signedIn(b, srv.Handler(), st, store.RoleViewer)
	path := fmt.Sprintf("/evaluations/%d", pg.Items[0].ID)
	b.ReportAllocs()
	var size, n int
	start := processCPU()
	for b.Loop() {
		n++
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
		size = rec.Body.Len()
	}
	b.ReportMetric(float64(size)/1024, "KiB/page")
	b.ReportMetric(float64(processCPU()-start)/float64(time.Millisecond)/float64(n), "cpu-ms/op")
}

// processCPU is the process's user + system CPU time: the test machine is
// shared, so the benchmark also reports CPU time per render, which other
// processes barely move (it includes the garbage collector's work).
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestDashboardAssetBudget gzips every script and stylesheet the demo
// dashboard loads (as a server with gzip would send them) and checks the
// total against the budget of 150 KB.
func TestDashboardAssetBudget(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	page := p.get(fmt.Sprintf("/evaluations/%d", p.demoID))
	var total, raw int
	var parts []string
	for _, m := range assetRef.FindAllStringSubmatch(page.body, -1) {
		u := m[1]
		if !strings.HasSuffix(u, ".js") && !strings.HasSuffix(u, ".css") {
			continue
		}
		res := p.get(u)
		if res.status != http.StatusOK {
			t.Fatalf("GET %s: %d", u, res.status)
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write([]byte(res.body))
		zw.Close()
		total += buf.Len()
		raw += len(res.body)
		parts = append(parts, fmt.Sprintf("%s %.1f KB", u[strings.LastIndex(u, "/")+1:], float64(buf.Len())/1000))
	}
	if len(parts) < 4 {
		t.Fatalf("the dashboard loads %d scripts and stylesheets, want the chart library, its plugin, charts.js and app.css", len(parts))
	}
	t.Logf("dashboard JS+CSS: %.1f KB gzipped (%.1f KB raw): %s", float64(total)/1000, float64(raw)/1000, strings.Join(parts, ", "))
	if total > 150_000 {
		t.Errorf("the dashboard ships %.1f KB of JS and CSS gzipped, budget 150 KB", float64(total)/1000)
	}
}
