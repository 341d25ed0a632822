package store_test

import (
	"context"
	"errors"
	"testing"

	"vendorcompare/internal/store"
)

// TestLatestDecisions: the evaluations list's status column reads each
// evaluation's newest decision in one query; evaluations without one are
// absent, and GetDecision reads one by id.
func TestLatestDecisions(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	first, _, vendor := twoOptions(t, s)
	other, err := s.CreateEvaluation(ctx, "ann", settings("Undecided"))
	if err != nil {
		t.Fatal(err)
	}
	third, err := s.CreateEvaluation(ctx, "ann", settings("Deferred"))
	if err != nil {
		t.Fatal(err)
	}
	if m, err := s.LatestDecisions(ctx, nil); err != nil || len(m) != 0 {
		t.Fatalf("no ids: %v %v", m, err)
	}
	award, err := s.RecordDecision(ctx, "cfo", first, store.DecisionInput{Kind: store.DecisionAward, OptionID: vendor.ID, Rationale: "Cheapest."})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []string{"Wait.", "Wait for the references."} {
		if _, err := s.RecordDecision(ctx, "cfo", third.ID, store.DecisionInput{Kind: store.DecisionDefer, Rationale: r}); err != nil {
			t.Fatal(err)
		}
	}
	m, err := s.LatestDecisions(ctx, []int64{first, other.ID, third.ID, 999})
	if err != nil {
		t.Fatal(err)
	}
	if len(m) != 2 || m[first].ID != award.ID || m[first].OptionName != "Vendor A" || m[third.ID].Rationale != "Wait for the references." {
		t.Fatalf("latest decisions %+v", m)
	}
	if _, ok := m[other.ID]; ok {
		t.Error("an evaluation without a decision has one")
	}
	got, err := s.GetDecision(ctx, award.ID)
	if err != nil || got.Rationale != "Cheapest." || got.EvaluationID != first {
		t.Fatalf("GetDecision = %+v, %v", got, err)
	}
	if _, err := s.GetDecision(ctx, 99999); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown decision: %v", err)
	}
}
