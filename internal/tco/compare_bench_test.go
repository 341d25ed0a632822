package tco

import (
	"encoding/json"
	"math"
	"os"
	"syscall"
	"testing"
	"time"
)

// cpuTime returns the process's user + system CPU time. The machines are
// shared and noisy, so benchmarks also report CPU time per operation, which
// other processes barely move.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchCompare runs Compare b.N times, reporting CPU ms per op.
func benchCompare(b *testing.B, d *Document, o CompareOptions) {
	b.ReportAllocs()
	start := cpuTime()
	n := 0
	for b.Loop() {
		if _, err := Compare(d, o); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(time.Millisecond)/float64(n), "cpu-ms/op")
}

// BenchmarkCompareE2 is the whole comparison of examples/e2.json, with
// break-even and sensitivity (target: under 1 ms on 2 cores).
func BenchmarkCompareE2(b *testing.B) {
	benchCompare(b, readDoc(b, "e2.json"), CompareOptions{})
}

// BenchmarkCompareLarge is 12 options × 120 months × 10 lines with staffing
// blocks and tiers, including break-even and sensitivity (target: under
// 50 ms on 2 cores).
func BenchmarkCompareLarge(b *testing.B) {
	benchCompare(b, largeDocument(), CompareOptions{})
}

// BenchmarkCompareLargeCostOnly is the large document without break-even
// and sensitivity, to show where the time goes.
func BenchmarkCompareLargeCostOnly(b *testing.B) {
	benchCompare(b, largeDocument(), CompareOptions{SkipAnalysis: true})
}

// FuzzCompare feeds arbitrary documents through the decoder and the whole
// engine: no panic, and every float in the result is finite.
func FuzzCompare(f *testing.F) {
	for _, name := range []string{"e2.json", "e3.json", "sample.json"} {
		if b, err := os.ReadFile("testdata/" + name); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Decode(data)
		if err != nil {
			return
		}
		if d.HorizonMonths > 120 || len(d.Options) > 6 {
			t.Skip("bounded for speed")
		}
		c, err := Compare(d, CompareOptions{})
		if err != nil {
			return
		}
		out, err := json.Marshal(c)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		var v any
		if err := json.Unmarshal(out, &v); err != nil {
			t.Fatalf("result is not valid JSON: %v", err)
		}
		finite := func(p *float64) {
			if p != nil && (math.IsNaN(*p) || math.IsInf(*p, 0)) {
				t.Fatalf("non-finite value in result")
			}
		}
		for _, o := range c.Options {
			finite(o.Quality)
			finite(o.PriceScore)
			finite(o.Score)
			finite(o.Savings.TCOPct)
			finite(o.Savings.PVPct)
			for _, s := range o.Sensitivity {
				finite(s.TippingPoint)
			}
			if o.BreakEven != nil {
				for _, iv := range append(o.BreakEven.Monthly, o.BreakEven.Horizon...) {
					finite(&iv.From)
					finite(&iv.To)
				}
			}
		}
	})
}
