package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/store"
)

// TestSaveScores checks that a score grid is saved in one transaction: all
// cells or, on any problem, none.
func TestSaveScores(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openStore(t)
	id, _ := importFile(t, s, "testdata/e2.json")
	scores, err := s.ListScores(ctx, id)
	if err != nil || len(scores) != 4 {
		t.Fatalf("scores: %v %v", scores, err)
	}
	opts, err := s.ListOptions(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	auditCount := func() int {
		p, err := s.Audit(ctx, store.AuditFilter{EvaluationID: id, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		return p.Total
	}
	v := func(x string) *decimal.Decimal { d := decimal.RequireFromString(x); return &d }
	byKey := func(opt int64, key string) *store.Score {
		for i := range scores {
			if scores[i].OptionID == opt && scores[i].Key == key {
				return &scores[i]
			}
		}
		t.Fatalf("no score %d %s", opt, key)
		return nil
	}
	in, va := opts[0].ID, opts[1].ID

	t.Run("ErrInvalidNothingWritten", func(t *testing.T) {
		before := auditCount()
		err := s.SaveScores(ctx, "t", id, []store.ScoreChange{
			{OptionID: in, Key: "csat", Old: byKey(in, "csat"), Value: v("9")},
			{OptionID: va, Key: "csat", Old: byKey(va, "csat"), Value: v("11")}, // above the scale
		})
		if !errors.Is(err, store.ErrInvalid) {
			t.Fatalf("err = %v, want ErrInvalid", err)
		}
		got, _ := s.GetScore(ctx, byKey(in, "csat").ID)
		if !got.Value.Equal(decimal.NewFromInt(7)) || auditCount() != before {
			t.Fatalf("the first cell was written: %v, audit %d → %d", got.Value, before, auditCount())
		}
	})
	t.Run("ErrConflictNothingWritten", func(t *testing.T) {
		stale := *byKey(va, "security")
		stale.Version = 99
		err := s.SaveScores(ctx, "t", id, []store.ScoreChange{
			{OptionID: in, Key: "csat", Old: byKey(in, "csat"), Value: v("9")},
			{OptionID: va, Key: "security", Old: &stale, Value: v("5")},
		})
		if !errors.Is(err, store.ErrConflict) {
			t.Fatalf("err = %v, want ErrConflict", err)
		}
		if got, _ := s.GetScore(ctx, byKey(in, "csat").ID); !got.Value.Equal(decimal.NewFromInt(7)) {
			t.Fatal("the first cell was written")
		}
	})
	t.Run("OK", func(t *testing.T) {
		before := auditCount()
		err := s.SaveScores(ctx, "t", id, []store.ScoreChange{
			{OptionID: in, Key: "csat", Old: byKey(in, "csat"), Value: v("9")},
			{OptionID: va, Key: "security", Old: byKey(va, "security"), Value: nil},
		})
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := s.GetScore(ctx, byKey(in, "csat").ID); !got.Value.Equal(decimal.NewFromInt(9)) {
			t.Fatalf("csat = %v", got.Value)
		}
		if _, err := s.GetScore(ctx, byKey(va, "security").ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("deleted score: %v", err)
		}
		if auditCount() != before+2 {
			t.Fatalf("audit rows: %d → %d, want +2", before, auditCount())
		}
	})
}
