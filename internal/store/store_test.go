package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
)

// clock is a fixed, advancing test clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { c.t = c.t.Add(time.Millisecond); return c.t }

func openStore(t testing.TB) *store.Store {
	t.Helper()
	c := &clock{t: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)}
	s, err := store.Open(context.Background(), t.TempDir(), store.WithClock(c.now))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func readDoc(t testing.TB, path string) *tco.Document {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := tco.Decode(b)
	if err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	return doc
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func importFile(t testing.TB, s *store.Store, path string) (int64, *tco.Document) {
	t.Helper()
	doc := readDoc(t, path)
	id, err := s.ImportDocument(context.Background(), "tester", doc)
	if err != nil {
		t.Fatalf("import %s: %v", path, err)
	}
	return id, doc
}

func wantCode(t *testing.T, err error, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("error = %v, want %v", err, want)
	}
}

func TestOpenMigrates(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "nested", "data")
	ctx := context.Background()
	s, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	s.Close()
	// Reopening applies nothing twice.
	s, err = store.Open(ctx, dir)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	s.Close()
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	// e2_fiscal sets fiscal_year_start and materiality: both must survive.
	for _, file := range []string{"testdata/e2.json", "testdata/e2_fiscal.json", "../../data/demo.json", "testdata/service_level.json"} {
		t.Run(filepath.Base(file), func(t *testing.T) {
			if _, err := os.Stat(file); err != nil {
				t.Skip(file, "missing")
			}
			s := openStore(t)
			ctx := context.Background()
			id, doc := importFile(t, s, file)
			got, err := s.Document(ctx, id, nil)
			if err != nil {
				t.Fatal(err)
			}
			if a, b := mustJSON(t, doc), mustJSON(t, got); a != b {
				t.Fatalf("document changed in the store:\nwant %s\ngot  %s", a, b)
			}
			// Export, decode again, import again: the same document.
			raw, _ := json.Marshal(got)
			again, err := tco.Decode(raw)
			if err != nil {
				t.Fatalf("exported document does not decode: %v", err)
			}
			if a, b := mustJSON(t, doc), mustJSON(t, again); a != b {
				t.Fatalf("export does not decode to the same document")
			}
			want, err := tco.Compare(doc, tco.CompareOptions{})
			if err != nil {
				t.Fatal(err)
			}
			cmp, err := s.Comparison(ctx, id, store.CompareOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if a, b := mustJSON(t, want), mustJSON(t, cmp); a != b {
				t.Fatalf("comparison differs after the round trip")
			}
		})
	}
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }
