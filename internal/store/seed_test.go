package store

import (
	"context"
	"os"
	"testing"

	"vendorcompare/internal/tco"
)

// TestSeed: Seed writes n evaluations, each with quotesPer vendor quotes,
// a vendor per twenty evaluations and an audit row per record, and every
// generated evaluation is a valid document.
func TestSeed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	raw, err := os.ReadFile("../../data/demo.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := tco.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, t.TempDir(), WithReaders(2))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var done []int
	if err := s.Seed(ctx, "gen", doc, 21, 6, func(n int) { done = append(done, n) }); err != nil {
		t.Fatal(err)
	}
	count := func(q string) int {
		var n int
		if err := s.reader.QueryRowContext(ctx, q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(`SELECT COUNT(*) FROM evaluations`); n != 21 {
		t.Errorf("%d evaluations, want 21", n)
	}
	quotes := count(`SELECT COUNT(*) FROM rounds r JOIN pricing p ON p.round_id = r.id`)
	if quotes != 21*6 {
		t.Errorf("%d vendor quotes, want %d", quotes, 21*6)
	}
	if n := count(`SELECT COUNT(*) FROM vendors`); n != 2 {
		t.Errorf("%d vendors, want 2", n)
	}
	if n := count(`SELECT COUNT(*) FROM audit`); n != 21+(quotes-21*3)+2 {
		t.Errorf("%d audit rows, want one per evaluation, added round and vendor", n)
	}
	if len(done) == 0 || done[len(done)-1] != 21 {
		t.Errorf("progress %v", done)
	}
	for _, id := range []int64{1, 21} {
		d, err := s.Document(ctx, id, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := d.Validate(); err != nil {
			t.Errorf("evaluation %d: %v", id, err)
		}
	}
}
