package web

import (
	"context"
	"fmt"
	"math/big"
	"net/http"
	"testing"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/store"
)

// TestCacheBudgetHolds (issue 12, defect 2): comparisons and dashboards
// of many evaluations share one byte budget; filled far beyond it with
// large entries, the bytes kept stay under it, the least recently used
// go first, and what is kept is still served.
func TestCacheBudgetHolds(t *testing.T) {
	const budget = 2 << 20
	a := newAuthT(t, Config{CacheBytes: budget})
	ctx := context.Background()
	ids := []int64{1}
	for i := range 15 {
		e, err := a.st.CopyEvaluation(ctx, "test", 1, fmt.Sprintf("Copy %d", i))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, e.ID)
	}
	var dashBytes int64
	for _, id := range ids {
		for _, path := range []string{fmt.Sprintf("/evaluations/%d", id), fmt.Sprintf("/api/v1/evaluations/%d/comparison", id)} {
			before, _ := a.srv.budget.bytes()
			if rec := a.do(request{method: "GET", path: path, role: store.RoleViewer, header: map[string]string{"Accept-Encoding": "gzip"}}); rec.Code != http.StatusOK {
				t.Fatalf("GET %s: %d", path, rec.Code)
			}
			n, _ := a.srv.budget.bytes()
			if n > budget {
				t.Fatalf("after GET %s the caches hold %d bytes, over the %d budget", path, n, budget)
			}
			if id == 1 && path == "/evaluations/1" {
				dashBytes = n - before
			}
		}
	}
	// One demo dashboard is counted at its values and pages (hundreds of
	// KiB), far more than its gzipped page: the budget holds only a few.
	if dashBytes < 64<<10 {
		t.Errorf("a dashboard counts %d bytes: its values are not measured", dashBytes)
	}
	n, entries := a.srv.budget.bytes()
	if entries >= 2*len(ids) || n < budget/4 {
		t.Errorf("%d entries, %d bytes: nothing was evicted, or the cache was not used", entries, n)
	}
	if _, ok := a.srv.dashboards.get(1, mustFingerprint(t, a.st, 1)); ok {
		t.Error("the least recently used dashboard is still kept")
	}
	last := ids[len(ids)-1]
	if _, ok := a.srv.dashboards.get(last, mustFingerprint(t, a.st, last)); !ok {
		t.Error("the most recent dashboard was not kept")
	}
}

func mustFingerprint(t *testing.T, st *store.Store, id int64) string {
	t.Helper()
	fp, err := st.Fingerprint(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return fp
}

// TestByteCacheGrowth: an entry that grows (pages rendered from a kept
// dashboard) is charged for it and evictions follow; growth reported
// for an entry already replaced or evicted changes nothing.
func TestByteCacheGrowth(t *testing.T) {
	const max = 16 << 10
	c := newByteCache(max)
	a, b := new(int), new(int)
	c.put("a", a, 100)
	c.put("b", b, 100)
	c.grow("a", a, 700)
	if n, _ := c.bytes(); n != 900+2*entryOverhead {
		t.Fatalf("%d bytes after growth, want %d", n, 900+2*entryOverhead)
	}
	c.grow("a", b, 1<<20) // not a's value: ignored
	c.put("a", new(int), 10)
	c.grow("a", a, 1<<20) // a was replaced: ignored
	if n, _ := c.bytes(); n != 110+2*entryOverhead {
		t.Fatalf("%d bytes, want %d", n, 110+2*entryOverhead)
	}
	for i := range 100 {
		c.put(i, new(int), 500)
		if n, _ := c.bytes(); n > max {
			t.Fatalf("%d bytes over the %d budget", n, max)
		}
	}
	c.grow(99, nil, 0)
	v, _ := c.get(99)
	c.grow(99, v, max) // over an eighth: dropped
	if _, ok := c.get(99); ok {
		t.Error("an entry grown past an eighth of the budget is kept")
	}
}

// TestMemSize: the estimate counts what decimals and strings really
// hold, each shared value once.
func TestMemSize(t *testing.T) {
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
