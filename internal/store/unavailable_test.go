package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestUnavailable: a database that refuses writes (read-only, or full)
// makes every write fail with ErrUnavailable, which the web layer answers
// with 503, and keeps everything saved before readable and intact. The
// faults are SQLite's own: PRAGMA query_only on the writer connection
// (SQLITE_READONLY) and a max_page_count at the file's current size
// (SQLITE_FULL, what a full disk returns).
func TestUnavailable(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		fault func(t *testing.T, s *Store)
	}{
		{"ReadOnly", func(t *testing.T, s *Store) {
			exec(t, s, `PRAGMA query_only = 1`)
		}},
		{"Full", func(t *testing.T, s *Store) {
			var pages int
			if err := s.writer.QueryRowContext(context.Background(), `PRAGMA page_count`).Scan(&pages); err != nil {
				t.Fatal(err)
			}
			exec(t, s, fmt.Sprintf(`PRAGMA max_page_count = %d`, pages))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			s, err := Open(ctx, t.TempDir(), WithReaders(2))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			notes := strings.Repeat("n", 1000)
			saved := 0
			for ; saved < 20; saved++ {
				if _, err := s.CreateVendor(ctx, "test", VendorInput{Name: fmt.Sprintf("Vendor %d", saved), Notes: notes}); err != nil {
					t.Fatal(err)
				}
			}
			tc.fault(t, s)

			// Writes fail with ErrUnavailable (at once when read-only, once
			// the free pages are used up when full); the ones acknowledged
			// meanwhile stay.
			var failed error
			for i := 0; i < 2000 && failed == nil; i++ {
				if _, err := s.CreateVendor(ctx, "test", VendorInput{Name: fmt.Sprintf("Vendor %d", saved), Notes: notes}); err != nil {
					failed = err
					break
				}
				saved++
			}
			if !errors.Is(failed, ErrUnavailable) {
				t.Fatalf("write on a refusing database: %v, want ErrUnavailable", failed)
			}
			if ErrorCode(failed) != CodeUnavailable || !strings.Contains(failed.Error(), "nothing was saved") {
				t.Errorf("error %q (code %q): want the unavailable code and a plain message", failed, ErrorCode(failed))
			}
			// Other writes refuse the same way, and none leaves a trace.
			if _, err := s.UpdateVendor(ctx, "test", 1, 1, VendorInput{Name: "Renamed"}); !errors.Is(err, ErrUnavailable) {
				t.Errorf("update: %v, want ErrUnavailable", err)
			}

			page, err := s.ListVendors(ctx, ListParams{Limit: 500})
			if err != nil {
				t.Fatalf("reads must keep working: %v", err)
			}
			if page.Total != saved {
				t.Errorf("%d vendors readable, %d acknowledged", page.Total, saved)
			}
			if v, err := s.GetVendor(ctx, 1); err != nil || v.Name != "Vendor 0" || v.Version != 1 {
				t.Errorf("vendor 1 after the refused update: %+v, %v", v, err)
			}
			var ok string
			if err := s.reader.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
				t.Errorf("integrity_check: %q, %v", ok, err)
			}
		})
	}
}

func exec(t *testing.T, s *Store, q string) {
	t.Helper()
	if _, err := s.writer.ExecContext(context.Background(), q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}
