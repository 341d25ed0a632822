package tco

import (
	"encoding/json"
	"math"
	"os"
	"testing"
)

// BenchmarkCompareE2 is the whole comparison of examples/e2.json, with
// break-even and sensitivity (target: under 1 ms on 2 cores).
func BenchmarkCompareE2(b *testing.B) {
	d := readDoc(b, "e2.json")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compare(d, CompareOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompareLarge is 12 options × 120 months × 10 lines with staffing
// blocks and tiers, including break-even and sensitivity (target: under
// 50 ms on 2 cores).
func BenchmarkCompareLarge(b *testing.B) {
	d := largeDocument()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compare(d, CompareOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompareLargeCostOnly is the large document without break-even
// and sensitivity, to show where the time goes.
func BenchmarkCompareLargeCostOnly(b *testing.B) {
	d := largeDocument()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compare(d, CompareOptions{SkipAnalysis: true}); err != nil {
			b.Fatal(err)
		}
	}
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
