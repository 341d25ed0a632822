package web

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"vendorcompare/internal/store"
)

// The API benchmarks' database: the demo evaluation with vendor quote
// rounds added until it holds 10, then copied to 2,000 evaluations
// (20,000 quotes), all through the store's API (CreateRound,
// CopyEvaluation). Each benchmark opens a copy of it.
const (
	apiBenchEvaluations = 2000
	apiBenchQuotes      = 10 // vendor quote rounds per evaluation
)

var (
	apiBenchOnce sync.Once
	apiBenchFile string
	apiBenchErr  error
)

// apiBenchStore opens a copy of the generated database.
func apiBenchStore(b *testing.B) *store.Store {
	b.Helper()
	apiBenchOnce.Do(func() {
		start := time.Now()
		apiBenchFile, apiBenchErr = generateAPIBench()
		b.Logf("generated %d evaluations, %d quotes in %v", apiBenchEvaluations, apiBenchEvaluations*apiBenchQuotes, time.Since(start))
	})
	if apiBenchErr != nil {
		b.Fatal(apiBenchErr)
	}
	dir := b.TempDir()
	in, err := os.Open(apiBenchFile)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(filepath.Join(dir, store.FileName))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		b.Fatal(err)
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
	st, err := store.Open(context.Background(), dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

// generateAPIBench returns a compact copy of the benchmark database. It
// takes ~30 s to build through the store's API (most of it SQLite parsing
// each insert), so the file is kept in the system's temporary folder, named
// after a hash of the migrations, the demo documents and the sizes, and
// reused by later runs while those are unchanged.
func generateAPIBench() (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%d %d\n", apiBenchEvaluations, apiBenchQuotes)
	inputs, err := filepath.Glob("../store/migrations/*.sql")
	if err != nil || len(inputs) == 0 {
		return "", fmt.Errorf("find migrations: %v", err)
	}
	for _, name := range append(inputs, "../../data/demo.json", "../../data/demo-extra.json") {
		b, err := os.ReadFile(name)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s %d\n", filepath.Base(name), len(b))
		h.Write(b)
	}
	file := filepath.Join(os.TempDir(), fmt.Sprintf("vendorcompare-apibench-%x.db", h.Sum(nil)[:8]))
	if _, err := os.Stat(file); err == nil {
		return file, nil
	}
	ctx := context.Background()
	tmp, err := os.MkdirTemp("", "vendorcompare-apibench-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	st, err := store.Open(ctx, filepath.Join(tmp, "seed"))
	if err != nil {
		return "", err
	}
	defer st.Close()
	if _, err := st.LoadDemo(ctx, "../../data"); err != nil {
		return "", err
	}
	opts, err := st.ListOptions(ctx, 1)
	if err != nil {
		return "", err
	}
	var vendors []store.Option
	quotes := 0
	for _, o := range opts {
		if o.Pricing != nil {
			vendors = append(vendors, o)
			rs, err := st.ListRounds(ctx, o.ID)
			if err != nil {
				return "", err
			}
			quotes += len(rs)
		}
	}
	for i := 0; quotes < apiBenchQuotes; i, quotes = i+1, quotes+1 {
		o := vendors[i%len(vendors)]
		if _, err := st.CreateRound(ctx, "bench", o.ID, store.RoundInput{Label: store.LabelRevised}); err != nil {
			return "", err
		}
	}
	for i := 1; i < apiBenchEvaluations; i++ {
		if _, err := st.CopyEvaluation(ctx, "bench", 1, fmt.Sprintf("Customer service centre #%04d", i)); err != nil {
			return "", err
		}
	}
	// Back up beside the final name, then rename: a run stopped half way
	// leaves no file that later runs would take for complete.
	part := filepath.Join(tmp, "bench.db")
	if err := st.Backup(ctx, part); err != nil {
		return "", err
	}
	if err := os.Rename(part, file); err != nil {
		// Another file system: copy instead.
		b, rerr := os.ReadFile(part)
		if rerr != nil {
			return "", rerr
		}
		if err := os.WriteFile(file+".part", b, 0o600); err != nil {
			return "", err
		}
		if err := os.Rename(file+".part", file); err != nil {
			return "", err
		}
	}
	return file, nil
}

// benchGet runs GET path through the handler (no network) b.N times and
// reports the median and 95th percentile besides the mean.
func benchGet(b *testing.B, h http.Handler, path func(i int) string) {
	b.Helper()
	b.ReportAllocs()
	d := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path(i), nil))
		d = append(d, time.Since(t0))
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s: %d %.300s", path(i), rec.Code, rec.Body)
		}
	}
	b.StopTimer()
	slices.Sort(d)
	b.ReportMetric(float64(d[len(d)/2].Microseconds())/1000, "ms-median")
	b.ReportMetric(float64(d[len(d)*95/100].Microseconds())/1000, "ms-p95")
}

// BenchmarkAPIListEvaluations: GET /api/v1/evaluations on 2,000
// evaluations: the first page, a page deep in the list, and a search.
func BenchmarkAPIListEvaluations(b *testing.B) {
	st := apiBenchStore(b)
	h := signedIn(b, New(Config{}, Deps{Store: st}).Handler(), st, store.RoleViewer)
	for _, c := range []struct{ name, query string }{
		{"first-page", "?limit=50"},
		{"page-20", "?limit=50&offset=950"},
		{"search", "?q=%2307&limit=50"},
	} {
		b.Run(c.name, func(b *testing.B) {
			benchGet(b, h, func(int) string { return "/api/v1/evaluations" + c.query })
		})
	}
}

// BenchmarkAPIComparison: GET /api/v1/evaluations/{id}/comparison of a
// different evaluation each time (load, cost with break-even and
// sensitivity, encode), and the rounds comparison of a vendor with 4
// rounds.
func BenchmarkAPIComparison(b *testing.B) {
	st := apiBenchStore(b)
	h := signedIn(b, New(Config{}, Deps{Store: st}).Handler(), st, store.RoleViewer)
	b.Run("comparison", func(b *testing.B) {
		benchGet(b, h, func(i int) string {
			return fmt.Sprintf("/api/v1/evaluations/%d/comparison", 1+(i*7919)%apiBenchEvaluations)
		})
	})
	b.Run("document", func(b *testing.B) {
		benchGet(b, h, func(i int) string {
			return fmt.Sprintf("/api/v1/evaluations/%d/document", 1+(i*7919)%apiBenchEvaluations)
		})
	})
}
