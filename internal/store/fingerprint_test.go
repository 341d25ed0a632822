package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// TestFingerprint: an evaluation's fingerprint stays while nothing changes
// and moves with a change inside it, made by this process (even under a
// fixed clock) or by another one (the import command beside the server),
// and with a decision recorded by another process.
func TestFingerprint(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	fixed := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	s, err := Open(ctx, dir, WithClock(func() time.Time { return fixed }))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.LoadDemo(ctx, "../../data"); err != nil {
		t.Fatal(err)
	}
	fp := func(st *Store) string {
		t.Helper()
		f, err := st.Fingerprint(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	edit := func(st *Store) {
		t.Helper()
		lines, err := st.ListLines(ctx, 1)
		if err != nil || len(lines) == 0 {
			t.Fatalf("lines: %v", err)
		}
		l := lines[0]
		l.Amount = l.Amount.Add(decimal.NewFromInt(1))
		if _, err := st.UpdateLine(ctx, "test", l.ID, l.Version, l.Line); err != nil {
			t.Fatal(err)
		}
	}
	a := fp(s)
	if b := fp(s); a != b {
		t.Errorf("unchanged evaluation: fingerprint %q then %q", a, b)
	}
	edit(s) // the clock is fixed: updated_at does not move
	b := fp(s)
	if a == b {
		t.Error("a line edit under a fixed clock left the fingerprint as it was")
	}

	other, err := Open(ctx, dir) // another process's store, real clock
	if err != nil {
		t.Fatal(err)
	}
	edit(other)
	other.Close()
	if c := fp(s); c == b {
		t.Error("an edit by another process left the fingerprint as it was")
	}
	// a decision recorded by another process moves it too
	other, err = Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	c := fp(s)
	if _, err := other.RecordDecision(ctx, "test", 1, DecisionInput{Kind: DecisionDefer, Rationale: "Wait for the BAFO."}); err != nil {
		t.Fatal(err)
	}
	other.Close()
	if d := fp(s); d == c {
		t.Error("a decision recorded by another process left the fingerprint as it was")
	}
	if _, err := s.Fingerprint(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown evaluation: %v, want ErrNotFound", err)
	}
}
