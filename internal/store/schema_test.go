package store_test

import (
	"context"
	"strings"
	"testing"

	"vendorcompare/internal/tco"
)

// TestNoRealColumns: no column of any table has a floating-point type, so
// no amount can be stored inexactly.
func TestNoRealColumns(t *testing.T) {
	t.Parallel()
	s := openStore(t)
	db := s.ReaderDB()
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	if len(tables) < 10 {
		t.Fatalf("tables %v", tables)
	}
	for _, table := range tables {
		cols, err := db.Query(`SELECT name, type FROM pragma_table_info(?)`, table)
		if err != nil {
			t.Fatal(err)
		}
		for cols.Next() {
			var name, typ string
			cols.Scan(&name, &typ)
			if table == "sessions" && name == "expiry" {
				continue // scs's sqlite3store keeps a Julian day number here; a time, not an amount
			}
			u := strings.ToUpper(typ)
			if strings.Contains(u, "REAL") || strings.Contains(u, "FLOA") || strings.Contains(u, "DOUB") || u == "NUMERIC" || u == "" {
				t.Errorf("%s.%s has type %q", table, name, typ)
			}
		}
		cols.Close()
	}
}

// TestExactAmounts: amounts come back with every digit, 1.005 included.
func TestExactAmounts(t *testing.T) {
	t.Parallel()
	s := openStore(t)
	ctx := context.Background()
	_, base, _ := twoOptions(t, s)
	l, err := s.CreateLine(ctx, "ann", base.ID, tco.Line{Name: "Odd", Category: tco.CategoryOperations,
		Basis: tco.BasisPerUnit, Amount: dec("1.005"), Escalation: dec("0.0123456789012345")})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.GetLine(ctx, l.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Amount.String() != "1.005" || got.Escalation.String() != "0.0123456789012345" {
		t.Fatalf("amount %s escalation %s", got.Amount, got.Escalation)
	}
	var stored string
	if err := s.ReaderDB().QueryRow(`SELECT amount FROM lines WHERE id = ?`, l.ID).Scan(&stored); err != nil || stored != "1.005" {
		t.Fatalf("stored %q %v", stored, err)
	}
}
