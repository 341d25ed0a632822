package store_test

import (
	"context"
	"errors"
	"testing"

	"vendorcompare/internal/store"
)

// TestConfirmIntroduced: a write refuses, until confirmed, a finding it
// brings outside the part it sets (the evaluation's currency changed to
// EUR makes Vendor A's USD rate of 1 suspect), and never asks about a
// finding already there that it does not touch.
func TestConfirmIntroduced(t *testing.T) {
	t.Parallel()
	s := openStore(t)
	ctx := context.Background()
	id, _ := importFile(t, s, "testdata/e2.json") // USD; Vendor A in USD at 1
	e, err := s.GetEvaluation(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	st := e.Settings
	st.Currency = "EUR"
	_, err = s.UpdateEvaluation(ctx, "tester", id, e.Version, st)
	var se *store.Error
	if !errors.As(err, &se) || !se.Confirm || len(se.Fields) != 1 || se.Fields[0].Path != "options[1].pricing.fx_rate" {
		t.Fatalf("error %v, want a confirmation at options[1].pricing.fx_rate", err)
	}
	if _, err := s.UpdateEvaluation(store.Confirmed(ctx), "tester", id, e.Version, st); err != nil {
		t.Fatalf("confirmed: %v", err)
	}
	// The rate of 1 stays; a change of the name touches no value: saved.
	e, _ = s.GetEvaluation(ctx, id)
	st = e.Settings
	st.Name = "Renamed"
	if _, err := s.UpdateEvaluation(ctx, "tester", id, e.Version, st); err != nil {
		t.Fatalf("rename: %v", err)
	}
}
