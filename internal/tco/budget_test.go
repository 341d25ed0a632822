package tco

import (
	"context"
	"errors"
	"math"
	"math/rand"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/shopspring/decimal"
)

// hasField reports whether errs has a problem at path whose message holds
// every one of words.
func hasField(errs Errors, path string, words ...string) bool {
	for _, f := range errs {
		if f.Path != path {
			continue
		}
		ok := true
		for _, w := range words {
			ok = ok && strings.Contains(f.Message, w)
		}
		if ok {
			return true
		}
	}
	return false
}

// TestBudgetHostile is issue 12 defect 1: one vendor with per-block
// pricing, block_size 1 and 100 tiers, 5,592,405 contacts a month over one
// month. Its break-even range (3 × volume) crosses 16.7M blocks in each
// view; it once took 15 s and 615 MB. It is refused by the budget before
// anything is costed, at the pricing's block size, naming what to lower.
func TestBudgetHostile(t *testing.T) {
	t.Parallel()
	d := readDoc(t, "hostile.json")
	w := Estimate(d, CompareOptions{})
	if w.Events <= MaxEvents {
		t.Fatalf("estimated %d events, want more than %d", w.Events, MaxEvents)
	}
	c, done, err := compareCounted(d, CompareOptions{})
	var errs Errors
	if !errors.As(err, &errs) || c != nil {
		t.Fatalf("Compare: %v, want Errors", err)
	}
	if !hasField(errs, "options[1].pricing.block_size", "block size", "volume.monthly", "break_even_max") {
		t.Errorf("problems %v: want one at options[1].pricing.block_size naming what to lower", errs)
	}
	if done.Units() != 0 {
		t.Errorf("work done before refusing: %+v, want none", done)
	}
	if err := Check(d); !errors.As(err, &errs) || !hasField(errs, "options[1].pricing.block_size") {
		t.Errorf("Check: %v, want the same refusal", err)
	}

	t.Run("BreakEvenMaxGiven", func(t *testing.T) {
		big := decimal.NewFromInt(20_000_000)
		_, _, err := compareCounted(d, CompareOptions{BreakEvenMax: &big})
		if !errors.As(err, &errs) || !hasField(errs, "break_even_max", "lower it") ||
			!hasField(errs, "options[1].pricing.block_size", "break_even_max") {
			t.Errorf("Compare with break_even_max 20,000,000: %v, want problems at break_even_max and the block size", err)
		}
	})

	t.Run("WithinBudget", func(t *testing.T) {
		// the same document with a demand whose range it can walk:
		// costed, and the work stays within what was counted before
		d := readDoc(t, "hostile.json")
		d.Volume.Monthly = decimal.NewFromInt(2_000_000)
		o := CompareOptions{}
		w := Estimate(d, o)
		c, done, err := compareCounted(d, o)
		if err != nil {
			t.Fatal(err)
		}
		if c.Options[1].BreakEven == nil {
			t.Fatalf("break-even not given: %v", c.Warnings)
		}
		if done.Events == 0 || done.Events > w.Events || done.ItemMonths > w.ItemMonths || done.Analysis > w.Analysis {
			t.Errorf("work done %+v, counted before %+v", done, w)
		}
	})
}

// TestBreakEvenNoTable holds break-even on a per-block invoice to memory
// that does not grow with the blocks in its range: millions of blocks, 100
// tiers, and a few megabytes (the table of every block's invoice took
// 8 bytes a block, twice, and looked up its tier by a scan of all 100).
func TestBreakEvenNoTable(t *testing.T) {
	d := readDoc(t, "hostile.json")
	run := &beRun{}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	be := breakEvenRun(d, 1, 8_000_000, run, nil)
	runtime.ReadMemStats(&after)
	if be == nil {
		t.Fatal("break-even not given")
	}
	if run.events < 16_000_000 {
		t.Fatalf("walked %d events, want both views' 8M blocks", run.events)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
		t.Errorf("break-even over 8M blocks allocated %d MB, want under 16 MB (no table per block)", alloc>>20)
	}
}

// TestTierSearch holds the binary search for a tier to the rule it
// replaces: the first tier whose bound (within tolerance) is ≥ q.
func TestTierSearch(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewSource(3))
	for n := 0; n < 200; n++ {
		var ts beTiers
		b := 0.0
		k := 1 + r.Intn(100)
		for j := 0; j < k; j++ {
			b += 0.5 + float64(r.Intn(1000))
			ts.upTo = append(ts.upTo, b)
			ts.thr = append(ts.thr, b+beRel*math.Max(1, b))
		}
		for i := 0; i < 200; i++ {
			q := r.Float64() * (b + 10)
			if i%4 == 0 { // on a bound, or within its tolerance
				q = ts.upTo[r.Intn(k)] * (1 + (r.Float64()-0.5)*2e-9)
			}
			want := k
			for j, u := range ts.upTo {
				if q <= u+beRel*math.Max(1, math.Abs(u)) {
					want = j
					break
				}
			}
			if got := ts.tier(q); got != want {
				t.Fatalf("tier(%v) = %d, want %d", q, got, want)
			}
		}
	}
}

// TestBudgetMaximum is issue 12 defect 2: the largest document the API
// takes (1 MiB: 50 options × 175 lines over 600 months) once took 19 s and
// 1.5 GB. It is over the budget: refused before costing, naming the
// horizon and the number of options and lines.
func TestBudgetMaximum(t *testing.T) {
	t.Parallel()
	d := maximumDocument()
	c, done, err := compareCounted(d, CompareOptions{})
	var errs Errors
	if !errors.As(err, &errs) || c != nil {
		t.Fatalf("Compare: %v, want Errors", err)
	}
	if !hasField(errs, "options", "horizon_months", "number of options or cost lines") {
		t.Errorf("problems %v: want one at options naming what to lower", errs)
	}
	if done.Units() != 0 {
		t.Errorf("work done before refusing: %+v", done)
	}
	// Costing alone would be over the bound too.
	if w := Estimate(d, CompareOptions{SkipAnalysis: true}); w.ItemMonths <= MaxItemMonths {
		t.Errorf("costing counted %d amounts, want more than %d", w.ItemMonths, MaxItemMonths)
	}
}

// countdown is a context that reports itself cancelled from its n-th look
// on, so a test can stop the engine at a chosen point without a clock.
type countdown struct {
	context.Context
	n     int64
	looks atomic.Int64
}

func (c *countdown) Err() error {
	if c.looks.Add(1) >= c.n {
		return context.Canceled
	}
	return nil
}

// TestDeadlineInsideOption is the request deadline stopping the work
// inside one option's analysis: the context was once looked at only
// between options, so one heavy option ran to the end however late.
func TestDeadlineInsideOption(t *testing.T) {
	t.Parallel()
	d := readDoc(t, "hostile.json")
	d.Volume.Monthly = decimal.NewFromInt(2_000_000) // within the budget, still 12M events
	base := Estimate(d, CompareOptions{})
	// Count the looks of a comparison that is never stopped: the costing
	// and the loop over options take a few; the rest are inside the
	// option's break-even.
	probe := &countdown{Context: context.Background(), n: math.MaxInt64}
	if _, _, err := compareCounted(d, CompareOptions{Context: probe}); err != nil {
		t.Fatal(err)
	}
	looks := probe.looks.Load()
	if looks < 20 {
		t.Fatalf("the context was looked at %d times over %d events, want many inside the option", looks, base.Events)
	}
	stop := &countdown{Context: context.Background(), n: looks / 2}
	c, err := Compare(d, CompareOptions{Context: stop})
	if !errors.Is(err, context.Canceled) || c != nil {
		t.Fatalf("Compare stopped half-way: %v, want context.Canceled", err)
	}
	if got := stop.looks.Load(); got > looks/2+2 {
		t.Errorf("looked %d more times after the cancellation", got-looks/2)
	}
}

// TestTooLargeToCost is issue 11 defect 6 in the engine: an amount too
// large to cost exactly is refused at its path, by Compare and by Check
// (which the store runs on every save), and so is an option whose total
// over the horizon would not fit (it once wrapped around to a negative
// TCO).
func TestTooLargeToCost(t *testing.T) {
	t.Parallel()
	t.Run("Amount", func(t *testing.T) {
		d := readDoc(t, "e2.json")
		d.Options[1].Lines[4].Amount = decimal.RequireFromString("20000000000000") // 2e13 a month: 2e15 cents
		_, err := Compare(d, CompareOptions{})
		var errs Errors
		if !errors.As(err, &errs) || !hasField(errs, "options[1].lines[4].amount", "too large to cost exactly") {
			t.Fatalf("Compare: %v, want a problem at options[1].lines[4].amount", err)
		}
		if err := Check(d); !errors.As(err, &errs) || !hasField(errs, "options[1].lines[4].amount") {
			t.Errorf("Check: %v, want the same problem", err)
		}
	})
	t.Run("Total", func(t *testing.T) {
		d := readDoc(t, "e2.json")
		d.HorizonMonths = 600
		o := &d.Options[0]
		o.Lines = o.Lines[:0]
		for i := 0; i < 20; i++ { // 20 × 600 × 9e14 cents = 1.08e19 > int64
			o.Lines = append(o.Lines, Line{Name: "Big", Category: CategoryOperations, Basis: BasisFixed,
				Amount: decimal.RequireFromString("9000000000000")})
		}
		_, err := Compare(d, CompareOptions{SkipAnalysis: true})
		var errs Errors
		if !errors.As(err, &errs) || !hasField(errs, "options[0]", "too large to cost exactly") {
			t.Fatalf("Compare: %v, want a problem at options[0]", err)
		}
		if err := Check(d); err == nil {
			t.Error("Check accepted it")
		}
	})
	t.Run("OK", func(t *testing.T) {
		if err := Check(readDoc(t, "e2.json")); err != nil {
			t.Errorf("Check(e2): %v", err)
		}
	})
}

// fuzzMaxUnits bounds the documents FuzzBudget costs (about 20 ms
// uninstrumented), so the fuzzer tries many.
const fuzzMaxUnits = 20_000_000

// FuzzBudget runs arbitrary documents through the budget and the whole
// engine: the budget refuses exactly the documents over a bound, Compare
// refuses them before costing anything, and for every document it accepts
// the work counted before costing is an upper bound of the work done.
func FuzzBudget(f *testing.F) {
	for _, name := range []string{"e2.json", "e3.json", "sample.json", "hostile.json"} {
		if b, err := os.ReadFile("testdata/" + name); err == nil {
			f.Add(b, "")
			f.Add(b, "60000")
		}
	}
	f.Add([]byte(fuzzFullDoc), "5000000")
	f.Add([]byte(fuzzServiceLevelDoc), "")
	f.Add([]byte(fuzzServiceLevelDoc), "90000")
	f.Fuzz(func(t *testing.T, data []byte, beMax string) {
		d, err := Decode(data)
		if err != nil {
			return
		}
		var o CompareOptions
		if m, err := decimal.NewFromString(beMax); err == nil && m.Sign() >= 0 && m.LessThan(decimal.New(1, 12)) {
			o.BreakEvenMax = &m
		}
		w := Estimate(d, o)
		over := w.ItemMonths > MaxItemMonths || w.Events > MaxEvents || w.Units() > MaxWork
		if refused := len(w.Budget(d)) > 0; refused != over {
			t.Fatalf("budget refused %v for work %+v (units %d)", refused, w, w.Units())
		}
		if w.Units() > fuzzMaxUnits {
			// within the bounds but seconds under the fuzzer's
			// instrumentation: the decision is checked, not the costing
			return
		}
		c, done, err := compareCounted(d, o)
		var errs Errors
		if err != nil && !errors.As(err, &errs) {
			t.Fatalf("Compare: %v, want Errors", err)
		}
		if over != (err != nil && done.Units() == 0 && !strings.Contains(err.Error(), "too large to cost exactly")) {
			t.Fatalf("over the budget %v, Compare: %v (work %+v)", over, err, done)
		}
		if c == nil {
			return
		}
		if done.ItemMonths > w.ItemMonths || done.Analysis > w.Analysis || done.Events > w.Events || done.Staffing > w.Staffing {
			t.Fatalf("work done %+v beyond what was counted %+v", done, w)
		}
	})
}
