package store_test

import (
	"context"
	"errors"
	"testing"

	"vendorcompare/internal/store"
)

// TestDryRun checks a save under DryRun: a valid one answers ErrDryRun and
// leaves nothing (no row, no audit entry, no new version), an invalid one
// answers the errors a real save would.
func TestDryRun(t *testing.T) {
	t.Parallel()
	s := openStore(t)
	ctx := context.Background()
	e, err := s.CreateEvaluation(ctx, "ann", settings("Dry centre"))
	if err != nil {
		t.Fatal(err)
	}
	audits, doc := auditCount(t, s), docJSON(t, s, e.ID)

	st := settings("Renamed, never saved")
	if _, err := s.UpdateEvaluation(store.DryRun(ctx), "ann", e.ID, e.Version, st); !errors.Is(err, store.ErrDryRun) {
		t.Fatalf("a valid dry run: %v, want ErrDryRun", err)
	}
	if _, err := s.CreateEvaluation(store.DryRun(ctx), "ann", settings("Never created")); !errors.Is(err, store.ErrDryRun) {
		t.Fatalf("a valid dry create: %v, want ErrDryRun", err)
	}
	st.DiscountRate = dec("1.5")
	wantInvalid(t, func() error {
		_, err := s.UpdateEvaluation(store.DryRun(ctx), "ann", e.ID, e.Version, st)
		return err
	}(), "discount_rate")

	now, err := s.GetEvaluation(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := s.ListEvaluations(ctx, store.ListParams{})
	if err != nil {
		t.Fatal(err)
	}
	if now.Version != e.Version || now.Name != "Dry centre" || pg.Total != 1 || auditCount(t, s) != audits || docJSON(t, s, e.ID) != doc {
		t.Errorf("a dry run left something: version %d → %d, name %q, %d evaluations, audit %d → %d",
			e.Version, now.Version, now.Name, pg.Total, audits, auditCount(t, s))
	}
	// and the store still saves
	if _, err := s.UpdateEvaluation(ctx, "ann", e.ID, e.Version, settings("Saved")); err != nil {
		t.Fatal(err)
	}
}
