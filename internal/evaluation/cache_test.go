package evaluation

import (
	"context"
	"fmt"
	"math/big"
	"testing"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
)

// TestCacheBudgetHolds (issue 12, defect 2): comparisons and dashboards
// of many evaluations share one byte budget; filled far beyond it with
// large entries, the bytes kept stay under it, the least recently used
// go first, and what is kept is still served.
func TestCacheBudgetHolds(t *testing.T) {
	t.Parallel()
	const budget = 2 << 20
	st, demo := openDemo(t)
	s := New(st, Config{CacheBytes: budget})
	ctx := context.Background()
	ids := []int64{demo}
	for i := range 15 {
		e, err := st.CopyEvaluation(ctx, "test", demo, fmt.Sprintf("Copy %d", i))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, e.ID)
	}
	var dashBytes int64
	for _, id := range ids {
		before, _ := s.Cached()
		if _, err := s.Dashboard(ctx, id); err != nil {
			t.Fatal(err)
		}
		if id == demo {
			dashBytes, _ = s.Cached()
			dashBytes -= before
		}
		if _, err := s.Comparison(ctx, id, nil, tco.CompareOptions{SkipAnalysis: true}); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.Cached(); n > budget {
			t.Fatalf("after evaluation %d the cache holds %d bytes, over the %d budget", id, n, budget)
		}
	}
	// One demo dashboard and its comparison are counted at their values
	// (hundreds of KiB), not at an encoding of them.
	if dashBytes < 64<<10 {
		t.Errorf("a dashboard counts %d bytes: its values are not measured", dashBytes)
	}
	n, entries := s.Cached()
	if entries >= 3*len(ids) || n < budget/4 {
		t.Errorf("%d entries, %d bytes: nothing was evicted, or the cache was not used", entries, n)
	}
	dash := func(id int64) bool {
		fp, err := st.Fingerprint(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		_, ok := s.cache.get(key{fp: fp, what: "dashboard"})
		return ok
	}
	if dash(demo) {
		t.Error("the least recently used dashboard is still kept")
	}
	if !dash(ids[len(ids)-1]) {
		t.Error("the most recent dashboard was not kept")
	}
}

// TestCacheBound: the cache drops its least recently used values beyond
// its size, and keeps none bigger than an eighth of it; different rounds,
// ranges or analysis are different keys.
func TestCacheBound(t *testing.T) {
	t.Parallel()
	const max = 8 * (100 + entryOverhead)
	c := newCache(max)
	k := func(i int) key { return key{fp: fmt.Sprint(i), what: "x"} }
	for i := range 10 {
		c.put(k(i), i, 100)
		c.get(k(0)) // 0 stays the most recently used
	}
	if n, _ := c.bytes(); n > max {
		t.Errorf("size %d over the bound", n)
	}
	if _, ok := c.get(k(0)); !ok {
		t.Error("the most recently used value was dropped")
	}
	if _, ok := c.get(k(1)); ok {
		t.Error("the least recently used value was kept")
	}
	c.put(k(20), 20, 101)
	if _, ok := c.get(k(20)); ok {
		t.Error("a value over an eighth of the bound was kept")
	}
	be := decimal.NewFromInt(90000)
	whats := map[string]bool{}
	for _, w := range []string{
		comparisonWhat(nil, tco.CompareOptions{}),
		comparisonWhat(nil, tco.CompareOptions{SkipAnalysis: true}),
		comparisonWhat(nil, tco.CompareOptions{BreakEvenMax: &be}),
		comparisonWhat(store.RoundSelection{2: 3}, tco.CompareOptions{}),
		comparisonWhat(store.RoundSelection{2: 4}, tco.CompareOptions{}),
		comparisonWhat(store.RoundSelection{2: 3, 5: 6}, tco.CompareOptions{}),
		"dashboard",
	} {
		if whats[w] {
			t.Errorf("two comparisons share the key %q", w)
		}
		whats[w] = true
	}
}

// TestNoStoreNoCache: a service without a store's fingerprints (or with
// no budget) keeps nothing and still answers.
func TestNoStoreNoCache(t *testing.T) {
	t.Parallel()
	st, demo := openDemo(t)
	s := New(st, Config{CacheBytes: -1})
	for range 2 {
		if _, err := s.Dashboard(context.Background(), demo); err != nil {
			t.Fatal(err)
		}
	}
	if n, entries := s.Cached(); n != 0 || entries != 0 {
		t.Errorf("a cache of no bytes holds %d bytes in %d entries", n, entries)
	}
}

// TestMemSize: the estimate counts what decimals and strings really
// hold, each shared value once.
func TestMemSize(t *testing.T) {
	t.Parallel()
	ds := make([]decimal.Decimal, 1000)
	for i := range ds {
		ds[i] = decimal.New(int64(i)*1000003, -2)
	}
	got := memSize(ds)
	// 24 (header) + 1000 × (16 inline + 32 big.Int + 8 of words; 0 has none).
	if min := int64(24 + 1000*(16+32+8) - 8); got < min || got > 2*min {
		t.Errorf("1000 decimals: %d bytes, want about %d", got, min)
	}
	shared := big.NewInt(1)
	two := []*big.Int{shared, shared}
	if got, one := memSize(two), memSize([]*big.Int{shared}); got != one+8 {
		t.Errorf("a shared value counted twice: %d, one alone %d", got, one)
	}
	if got := memSize(map[string]string{"ab": "cdef"}); got < 6 {
		t.Errorf("a map of strings: %d bytes", got)
	}
}
