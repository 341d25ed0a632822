package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"vendorcompare/internal/evaluation"
	"vendorcompare/internal/store"
)

// Issue 11, defect 4 from the command line: evaluation 1's bid form read
// into its copy is refused with the reason, and saved with -confirm.
func TestImportConfirmOtherEvaluation(t *testing.T) {
	t.Parallel()
	dir := dataWithE2(t)
	var form []byte
	inStore(t, dir, func(st *store.Store) {
		ctx := context.Background()
		if cp, err := st.CopyEvaluation(ctx, "test", 1, "E2, what-if"); err != nil || cp.ID != 2 {
			t.Fatalf("copy: %v %v", cp, err)
		}
		f, err := evaluation.New(st, evaluation.Config{}).BidForm(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		form = f.Body
	})
	f, err := excelize.OpenReader(bytes.NewReader(form))
	if err != nil {
		t.Fatal(err)
	}
	for cell, v := range map[string]any{"C4": "Vendor Copy", "C21": 5} {
		if err := f.SetCellValue("Pricing", cell, v); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	bid := writeTemp(t, "copy.xlsx", buf.Bytes())

	_, _, err = runCmd(t, nil, "import", "-data", dir, "-evaluation", "2", bid)
	if err == nil || !strings.Contains(err.Error(), "belongs to evaluation 1") ||
		!strings.Contains(err.Error(), `not to evaluation 2 "E2, what-if"`) || !strings.Contains(err.Error(), "-confirm") {
		t.Fatalf("got %v, want the mismatch and -confirm", err)
	}
	out, errOut, err := runCmd(t, nil, "import", "-data", dir, "-evaluation", "2", "-confirm", bid)
	if err != nil || !strings.Contains(out, "saved") {
		t.Fatalf("with -confirm: %v\n%s%s", err, out, errOut)
	}
}
