package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pressly/goose/v3"

	"vendorcompare/internal/tco"
)

// TestMigrateFiscalKeepsDefaults: a database from before migration 00009
// (made here by taking 00009 back down) opens with the evaluation intact,
// fiscal_year_start and materiality not set: the export leaves them out
// and the comparison uses the spec's defaults.
func TestMigrateFiscalKeepsDefaults(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	raw, err := os.ReadFile("testdata/e2.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := tco.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	id, err := s.ImportDocument(ctx, "tester", doc)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	sub, _ := fs.Sub(migrations, "migrations")
	p, err := goose.NewProvider(goose.DialectSQLite3, db, sub)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(ctx, 8); err != nil {
		t.Fatalf("down to 8: %v", err)
	}
	var cols string
	if err := db.QueryRow(`SELECT group_concat(name) FROM pragma_table_info('evaluations')`).Scan(&cols); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if strings.Contains(cols, "fiscal") || strings.Contains(cols, "materiality") {
		t.Fatalf("version 8 has the columns: %s", cols)
	}

	s, err = Open(ctx, dir)
	if err != nil {
		t.Fatalf("open migrates: %v", err)
	}
	defer s.Close()
	got, err := s.Document(ctx, id, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.FiscalYearStart != nil || got.Materiality != nil {
		t.Fatalf("migrated evaluation sets fiscal_year_start %v materiality %v", got.FiscalYearStart, got.Materiality)
	}
	if got.FiscalStart() != tco.DefaultFiscalYearStart || !got.MaterialityShare().Equal(tco.DefaultMateriality) {
		t.Fatal("migrated evaluation does not read with the defaults")
	}
	want, err := tco.Compare(doc, tco.CompareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cmp, err := s.Comparison(ctx, id, CompareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(want)
	b, _ := json.Marshal(cmp)
	if string(a) != string(b) || cmp.Options[0].CashByFiscalYear[0].Label != "FY2027" {
		t.Fatal("migrated comparison differs from the defaults'")
	}
	for i, o := range want.Options {
		if o.BreakEven != nil && o.BreakEven.Reading != nil &&
			!o.BreakEven.Reading.HorizonThreshold.Value.Equal(cmp.Options[i].BreakEven.Reading.HorizonThreshold.Value) {
			t.Fatalf("option %s: materiality threshold differs", o.ID)
		}
	}
}
