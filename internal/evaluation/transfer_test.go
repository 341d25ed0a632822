package evaluation_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"vendorcompare/internal/evaluation"
	"vendorcompare/internal/sheet"
	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
)

// openE2 opens a store in a temporary folder holding e2.
func openE2(t *testing.T) (*store.Store, int64) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	data, err := os.ReadFile("../tco/testdata/e2.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := tco.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	id, err := st.ImportDocument(ctx, "test", doc)
	if err != nil {
		t.Fatal(err)
	}
	return st, id
}

const bid = "pricing,vendor_name,Vendor B\npricing,per,unit\ntier,,4.00\nscore,csat,8\nscore,security,9\n"

func TestImportBid(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, id := openE2(t)
	o, err := evaluation.New(st, evaluation.Config{}).ImportBid(ctx, "test", id, strings.NewReader(bid), -1, nil, store.BidLink{})
	if err != nil {
		t.Fatalf("ImportBid: %v", err)
	}
	if o.Slug != "vendor-b" || o.Pricing == nil || o.Pricing.Currency != "USD" || len(o.Pricing.Tiers) != 1 {
		t.Errorf("option %+v", o)
	}

	t.Run("ErrProblems", func(t *testing.T) {
		_, err := evaluation.New(st, evaluation.Config{}).ImportBid(ctx, "test", id, strings.NewReader("pricing,vendor_name,X\npricing,per,seat\ntier,,4\n"), -1, nil, store.BidLink{})
		var problems sheet.Errors
		if !errors.As(err, &problems) || len(problems) != 1 || problems[0].String() != `row 2, column 3: must be unit or block (found "seat")` {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ErrNotSpreadsheet", func(t *testing.T) {
		_, err := evaluation.New(st, evaluation.Config{}).ImportBid(ctx, "test", id, bytes.NewReader([]byte{0xff, 0xfe, 0}), -1, nil, store.BidLink{})
		if !errors.Is(err, sheet.ErrNotSpreadsheet) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := evaluation.New(st, evaluation.Config{}).ImportBid(ctx, "test", 99, strings.NewReader(bid), -1, nil, store.BidLink{})
		if !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("got %v", err)
		}
	})
}

func TestExport(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, id := openE2(t)
	form, err := evaluation.New(st, evaluation.Config{}).BidForm(ctx, id)
	if err != nil || form.Name != "E2_36-month_outsourcing_decision-bid-form.xlsx" || form.ContentType != evaluation.ContentTypeXLSX ||
		!bytes.HasPrefix(form.Body, []byte("PK\x03\x04")) {
		t.Fatalf("bid form %q %q: %v", form.Name, form.ContentType, err)
	}
	for _, tc := range []struct {
		format      evaluation.Format
		contentType string
		starts      string
	}{
		{evaluation.XLSX, evaluation.ContentTypeXLSX, "PK\x03\x04"},
		{evaluation.CSV, "text/csv; charset=utf-8", "option,name,month,label,"},
		{evaluation.JSON, "application/json", "{"},
	} {
		t.Run(string(tc.format), func(t *testing.T) {
			f, err := evaluation.New(st, evaluation.Config{}).Export(ctx, id, tc.format, evaluation.ExportOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if f.Name != "E2_36-month_outsourcing_decision-comparison."+string(tc.format) || f.ContentType != tc.contentType ||
				!strings.HasPrefix(string(f.Body), tc.starts) {
				t.Errorf("%s %s %.30q", f.Name, f.ContentType, f.Body)
			}
		})
	}
	if _, err := evaluation.ParseFormat("XLSX"); err == nil {
		t.Error("formats are lower case")
	}
	if _, err := evaluation.New(st, evaluation.Config{}).Export(ctx, id, "pdf", evaluation.ExportOptions{}); err == nil {
		t.Error("exported pdf")
	}
}
