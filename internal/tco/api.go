package tco

import (
	"context"

	"github.com/shopspring/decimal"
)

// CompareOptions are the request-level settings of a comparison.
type CompareOptions struct {
	// BreakEvenMax overrides the top of the break-even volume range
	// (default 3 × volume.monthly).
	BreakEvenMax *decimal.Decimal
	// SkipAnalysis leaves out break-even intervals and sensitivity, for
	// callers that only need the costing (it is much cheaper).
	SkipAnalysis bool
	// Context, when set, is checked between options' analyses: a cancelled
	// or timed-out request stops the work and Compare returns ctx.Err().
	Context context.Context
	// WithRisk simulates the document's risk block even with SkipAnalysis
	// (the finance export shows risk, not break-even or sensitivity).
	WithRisk bool
	// Runs and Seed override the document's risk block (spec §9); with no
	// risk block they are an error. SkipAnalysis leaves risk out unless
	// WithRisk.
	Runs *int
	Seed *int64
	// SkipRisk leaves the risk block out while keeping the analysis: the
	// dashboard renders without waiting for the simulation, which the
	// evaluation service runs apart (internal/evaluation, risk.go).
	SkipRisk bool
	// Workers bounds the goroutines the risk runs spread over (0:
	// GOMAXPROCS). The evaluation service gives one per comparison slot
	// it holds, so one viewer's simulation cannot take every core.
	Workers int
}

// simulates reports whether a comparison with these options runs the
// document's risk block (when it has one).
func (o CompareOptions) simulates() bool {
	return !o.SkipRisk && (!o.SkipAnalysis || o.WithRisk)
}
