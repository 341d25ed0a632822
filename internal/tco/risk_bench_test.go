package tco

import (
	"testing"

	"github.com/shopspring/decimal"
)

// withRisk returns a copy of d with a risk block of runs runs, seed 7 and
// the "typical contact-centre uncertainty" drivers.
func withRisk(d *Document, runs int) *Document {
	c := *d
	tri := func(l, m, h string) *Triangular {
		return &Triangular{Low: decimal.RequireFromString(l), Mode: decimal.RequireFromString(m), High: decimal.RequireFromString(h)}
	}
	c.Risk = &Risk{Runs: runs, Seed: 7, Drivers: RiskDrivers{
		Volume: tri("0.8", "1.0", "1.3"), Personnel: tri("0.97", "1.03", "1.10"), AHT: tri("0.9", "1.0", "1.2"),
		VendorPrice: tri("1.0", "1.0", "1.05"), FXRate: tri("0.85", "1", "1.15")}}
	return &c
}

// benchRisk is the risk of a document alone: Compare with risk minus the
// same Compare without it is the simulation; here the whole Compare runs
// with break-even and sensitivity, as a request does.
func benchRisk(b *testing.B, d *Document) {
	benchCompare(b, d, CompareOptions{})
}

// BenchmarkRiskE2 is e2 with 2,000 runs (target: under 150 ms on 2 cores).
func BenchmarkRiskE2(b *testing.B) { benchRisk(b, withRisk(readDoc(b, "e2.json"), 2000)) }

// BenchmarkRiskLarge is the large document with 1,000 runs (target: under
// 3 s on 2 cores).
func BenchmarkRiskLarge(b *testing.B) { benchRisk(b, withRisk(largeDocument(), 1000)) }

// benchSim is the simulation alone as the evaluation service runs it for
// the dashboard's "how sure" panel: no break-even or sensitivity, one
// worker (one comparison slot).
func benchSim(b *testing.B, d *Document) {
	benchCompare(b, d, CompareOptions{SkipAnalysis: true, WithRisk: true, Workers: 1})
}

// BenchmarkRiskE2Panel is e2's 2,000 runs as the dashboard's panel waits
// for them (one worker).
func BenchmarkRiskE2Panel(b *testing.B) { benchSim(b, withRisk(readDoc(b, "e2.json"), 2000)) }

// BenchmarkRiskLargePanel is the large document's 1,000 runs as the
// dashboard's panel waits for them (one worker).
func BenchmarkRiskLargePanel(b *testing.B) { benchSim(b, withRisk(largeDocument(), 1000)) }
