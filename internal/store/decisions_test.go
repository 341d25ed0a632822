package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"vendorcompare/internal/store"
)

// TestLatestDecisions: the evaluations list's status column reads each
// evaluation's newest decision in one query; evaluations without one are
// absent, and GetDecision reads one by id.
func TestLatestDecisions(t *testing.T) {
	t.Parallel()
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

// TestAuditFilters: the audit trail narrows by who, what was done and
// when, together with the evaluation and record type; AuditActors lists
// who changed an evaluation.
func TestAuditFilters(t *testing.T) {
	t.Parallel()
	s := openStore(t)
	ctx := context.Background()
	evalID, _, vendor := twoOptions(t, s) // by ann
	if _, err := s.RecordDecision(ctx, "cfo", evalID, store.DecisionInput{Kind: store.DecisionAward, OptionID: vendor.ID, Rationale: "Cheapest."}); err != nil {
		t.Fatal(err)
	}
	all, err := s.Audit(ctx, store.AuditFilter{EvaluationID: evalID})
	if err != nil || all.Total < 4 {
		t.Fatalf("audit %+v %v", all, err)
	}
	newest := all.Items[0].At
	for _, tc := range []struct {
		name string
		f    store.AuditFilter
		want int
	}{
		{"Actor", store.AuditFilter{Actor: "cfo"}, 1},
		{"ActorAndEntity", store.AuditFilter{Actor: "ann", Entity: "decision"}, 0},
		{"Action", store.AuditFilter{Action: "create", Entity: "decision"}, 1},
		{"NoSuchAction", store.AuditFilter{Action: "import"}, 0},
		{"FromNewest", store.AuditFilter{From: newest}, 1},
		{"ToNewest", store.AuditFilter{To: newest}, all.Total - 1},
		{"Window", store.AuditFilter{From: newest.Add(-time.Hour), To: newest.Add(time.Hour)}, all.Total},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.f.EvaluationID = evalID
			p, err := s.Audit(ctx, tc.f)
			if err != nil || p.Total != tc.want || len(p.Items) != tc.want {
				t.Fatalf("%+v: total %d (%d items), want %d: %v", tc.f, p.Total, len(p.Items), tc.want, err)
			}
		})
	}
	actors, err := s.AuditActors(ctx, evalID, true)
	if err != nil || len(actors) != 2 || actors[0] != "ann" || actors[1] != "cfo" {
		t.Fatalf("actors %v %v", actors, err)
	}
}
