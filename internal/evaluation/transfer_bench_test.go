package evaluation_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/xuri/excelize/v2"

	"vendorcompare/internal/evaluation"
	"vendorcompare/internal/sheet"
	"vendorcompare/internal/store"
)

// openDemo opens a store in a temporary folder holding the demo (data/):
// five options over 36 months, one with a best-and-final round.
func openDemo(b *testing.B) *store.Store {
	b.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if ok, err := st.LoadDemo(ctx, "../../data"); err != nil || !ok {
		b.Fatalf("load demo: %v %v", ok, err)
	}
	return st
}

// BenchmarkExport writes the demo's comparison in each format: load,
// cost, render.
func BenchmarkExport(b *testing.B) {
	st := openDemo(b)
	ctx := context.Background()
	for _, f := range []evaluation.Format{evaluation.XLSX, evaluation.CSV, evaluation.JSON} {
		b.Run(string(f), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := evaluation.New(st, evaluation.Config{}).Export(ctx, 1, f, evaluation.ExportOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBidForm writes the demo's bid form.
func BenchmarkBidForm(b *testing.B) {
	st := openDemo(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := evaluation.New(st, evaluation.Config{}).BidForm(ctx, 1); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseBidForm reads a filled demo bid form back, validated
// against the evaluation (the store's save is not included).
func BenchmarkParseBidForm(b *testing.B) {
	st := openDemo(b)
	ctx := context.Background()
	form, err := evaluation.New(st, evaluation.Config{}).BidForm(ctx, 1)
	if err != nil {
		b.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(form.Body))
	if err != nil {
		b.Fatal(err)
	}
	for cell, v := range map[string]any{"C4": "Vendor D", "C7": "unit", "B21": 10000, "C21": 2.1, "C22": 1.9} {
		if err := f.SetCellValue("Pricing", cell, v); err != nil {
			b.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		b.Fatal(err)
	}
	doc, err := st.Document(ctx, 1, nil)
	if err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sheet.ParseBid(bytes.NewReader(data), int64(len(data)), doc, sheet.Check{}); err != nil {
			b.Fatal(err)
		}
	}
}
