package store_test

import (
	"context"
	"testing"

	"github.com/shopspring/decimal"
)

// BenchmarkUpdateLine times one guarded save of a cost line of the demo
// evaluation, one after the other: the writer's service time, which every
// queued save waits for once per save ahead of it.
func BenchmarkUpdateLine(b *testing.B) {
	s := openStore(b)
	ctx := context.Background()
	if _, err := s.LoadDemo(ctx, "../../data"); err != nil {
		b.Fatal(err)
	}
	opts, err := s.ListOptions(ctx, 1)
	if err != nil {
		b.Fatal(err)
	}
	l := opts[0].Lines[0]
	cent := decimal.RequireFromString("0.01")
	timed(b, func(int) error {
		l.Amount = l.Amount.Add(cent)
		after, err := s.UpdateLine(ctx, "bench", l.ID, l.Version, l.Line)
		if err != nil {
			return err
		}
		l = *after
		return nil
	})
}
