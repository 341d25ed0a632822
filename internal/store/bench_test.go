package store_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
)

// The benchmark database: 2,000 demo evaluations, each with 10 vendor quote
// rounds (20,000 quotes), generated once per test binary run and copied for
// each benchmark.
const (
	benchEvaluations = 2000
	benchQuotesPer   = 10
)

var (
	benchOnce sync.Once
	benchFile string // the generated database file
	benchErr  error
	benchTmp  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if benchTmp != "" {
		os.RemoveAll(benchTmp)
	}
	os.Exit(code)
}

// benchStore opens a copy of the generated benchmark database.
func benchStore(b *testing.B) *store.Store {
	b.Helper()
	benchOnce.Do(func() {
		benchTmp, benchErr = os.MkdirTemp("", "vendorcompare-bench-")
		if benchErr != nil {
			return
		}
		ctx := context.Background()
		dir := filepath.Join(benchTmp, "seed")
		s, err := store.Open(ctx, dir)
		if err != nil {
			benchErr = err
			return
		}
		defer s.Close()
		doc := readDoc(b, "../../data/demo.json")
		start := time.Now()
		if benchErr = s.SeedBench(ctx, doc, benchEvaluations, benchQuotesPer); benchErr != nil {
			return
		}
		benchFile = filepath.Join(benchTmp, "bench.db")
		benchErr = s.Backup(ctx, benchFile) // a compact single file, no WAL
		b.Logf("generated %d evaluations, %d quotes in %v", benchEvaluations, benchEvaluations*benchQuotesPer, time.Since(start))
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	dir := b.TempDir()
	copyFile(b, benchFile, filepath.Join(dir, store.FileName))
	s, err := store.Open(context.Background(), dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

func copyFile(b *testing.B, from, to string) {
	in, err := os.Open(from)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		b.Fatal(err)
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
}

// timed runs op b.N times and reports the median and 95th percentile
// besides the mean that go test prints.
func timed(b *testing.B, op func(i int) error) {
	b.Helper()
	d := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if err := op(i); err != nil {
			b.Fatal(err)
		}
		d = append(d, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(d)
	b.ReportMetric(float64(d[len(d)/2].Microseconds())/1000, "ms-median")
	b.ReportMetric(float64(d[len(d)*95/100].Microseconds())/1000, "ms-p95")
}

func BenchmarkListEvaluations(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	for _, c := range []struct {
		name string
		p    store.ListParams
	}{
		{"first-page", store.ListParams{Limit: 50}},
		{"page-20", store.ListParams{Limit: 50, Offset: 950}},
		{"search", store.ListParams{Limit: 50, Search: "#07"}},
	} {
		b.Run(c.name, func(b *testing.B) {
			timed(b, func(int) error {
				p, err := s.ListEvaluations(ctx, c.p)
				if err == nil && (p.Total == 0 || len(p.Items) == 0) {
					b.Fatalf("empty page: %+v", c.p)
				}
				return err
			})
		})
	}
}

func BenchmarkComparisonLoad(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	b.Run("document", func(b *testing.B) {
		timed(b, func(i int) error {
			_, err := s.Document(ctx, int64(1+(i*7919)%benchEvaluations), nil)
			return err
		})
	})
	b.Run("comparison", func(b *testing.B) {
		timed(b, func(i int) error {
			c, err := s.Comparison(ctx, int64(1+(i*7919)%benchEvaluations), store.CompareOptions{})
			if err == nil && len(c.Options) != 5 {
				b.Fatalf("%d options", len(c.Options))
			}
			return err
		})
	})
	b.Run("comparison-costing-only", func(b *testing.B) {
		timed(b, func(i int) error {
			_, err := s.Comparison(ctx, int64(1+(i*7919)%benchEvaluations),
				store.CompareOptions{Engine: tco.CompareOptions{SkipAnalysis: true}})
			return err
		})
	})
}
