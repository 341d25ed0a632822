package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"vendorcompare/internal/evaluation"
	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
)

// dataWithE2 makes a data folder whose database holds e2 (evaluation 1).
func dataWithE2(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	ctx := context.Background()
	st, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	data, err := os.ReadFile(e2Path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := tco.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if id, err := st.ImportDocument(ctx, "test", doc); err != nil || id != 1 {
		t.Fatalf("import e2: %d %v", id, err)
	}
	return dir
}

// inStore runs f on the data folder's store.
func inStore(t *testing.T, dir string, f func(st *store.Store)) {
	t.Helper()
	st, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	f(st)
}

// storeCounts returns the options of evaluation 1 by slug and the audit
// log's size.
func storeCounts(t *testing.T, dir string) (map[string]store.Option, int) {
	t.Helper()
	out := map[string]store.Option{}
	var total int
	inStore(t, dir, func(st *store.Store) {
		ctx := context.Background()
		opts, err := st.ListOptions(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range opts {
			out[o.Slug] = o
		}
		a, err := st.Audit(ctx, store.AuditFilter{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		total = a.Total
	})
	return out, total
}

// tcoOf is an option's TCO in evaluation 1's comparison.
func tcoOf(t *testing.T, dir, slug string) string {
	t.Helper()
	var out string
	inStore(t, dir, func(st *store.Store) {
		c, err := st.Comparison(context.Background(), 1, store.CompareOptions{Engine: tco.CompareOptions{SkipAnalysis: true}})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range c.Options {
			if o.ID == slug {
				out = o.TCO.String()
			}
		}
	})
	return out
}

// bidCSV is e2's vendor-a as a CSV bid, under name, with the second
// tier's price.
func bidCSV(name, tier2 string) string {
	return "section,key,value\npricing,vendor_name," + name + "\npricing,currency,USD\npricing,per,unit\n" +
		"pricing,escalation,3%\npricing,setup_fee,40000\ntier,10000,5.00\ntier,20000," + tier2 + "\ntier,,4.00\n" +
		"line,Governance,personnel,share_of_vendor,0.05\nline,Vendor selection,external,one_time,34200,0\n" +
		"line,Parallel running,operations,one_time,122160,1\nline,Severance,personnel,one_time,120000,1\n" +
		"line,Stranded lease,operations,fixed,5000,,2,12\nscore,csat,8\nscore,security,9\n"
}

// writeTemp writes a file into a temporary folder and returns its path.
func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImport(t *testing.T) {
	t.Parallel()
	dir := dataWithE2(t)

	t.Run("CSV", func(t *testing.T) {
		out, errOut, err := runCmd(t, nil, "import", "-data", dir, "-evaluation", "1", writeTemp(t, "b.csv", []byte(bidCSV("Vendor B", "4.50"))))
		if err != nil || errOut != "" {
			t.Fatalf("import: %v\n%s", err, errOut)
		}
		if !strings.HasPrefix(out, "saved ") || !strings.HasSuffix(out, ", Vendor B (vendor-b), of evaluation 1\n") {
			t.Errorf("stdout %q", out)
		}
		// vendor-a's own quote, to the cent
		if got := tcoOf(t, dir, "vendor-b"); got != "4071167.36" || got != tcoOf(t, dir, "vendor-a") {
			t.Errorf("vendor-b TCO %s, want vendor-a's 4071167.36", got)
		}
	})

	t.Run("ErrProblems", func(t *testing.T) {
		var form []byte
		inStore(t, dir, func(st *store.Store) {
			f, err := evaluation.New(st, evaluation.Config{}).BidForm(context.Background(), 1)
			if err != nil {
				t.Fatal(err)
			}
			form = f.Body
		})
		f, err := excelize.OpenReader(bytes.NewReader(form))
		if err != nil {
			t.Fatal(err)
		}
		for cell, v := range map[string]any{"Pricing!C4": "Vendor X", "Pricing!C7": "per-seat", "Pricing!B21": 20000,
			"Pricing!C21": 5, "Pricing!B22": 10000, "Pricing!C22": 4.5, "Pricing!C23": 4, "Quality!D4": 11} {
			sheet, ref, _ := strings.Cut(cell, "!")
			if err := f.SetCellValue(sheet, ref, v); err != nil {
				t.Fatal(err)
			}
		}
		buf, err := f.WriteToBuffer()
		if err != nil {
			t.Fatal(err)
		}
		opts, audits := storeCounts(t, dir)
		bad := writeTemp(t, "bad.xlsx", buf.Bytes())
		out, errOut, err := runCmd(t, nil, "import", "-data", dir, "-evaluation", "1", bad)
		var u usageError
		if err == nil || errors.As(err, &u) || out != "" {
			t.Fatalf("err %v (want exit 1), stdout %q", err, out)
		}
		want := bad + ": Pricing!C7: must be unit or block (found \"per-seat\")\n" +
			bad + ": Pricing!B22: must be greater than the previous tier's bound (20000) (found \"10000\")\n" +
			bad + ": Quality!D4: must be at most the criterion's scale (10) (found \"11\")\n"
		if errOut != want {
			t.Errorf("stderr\n%s\nwant\n%s", errOut, want)
		}
		if err.Error() != bad+": 3 problems in the bid; nothing was saved" {
			t.Errorf("error %q", err)
		}
		if now, n := storeCounts(t, dir); len(now) != len(opts) || n != audits {
			t.Errorf("a refused bid saved something: %d → %d options, %d → %d audit rows", len(opts), len(now), audits, n)
		}
	})

	// Issue 11 defect 5: a bid with an implausible value is refused with
	// what was found, and saved with -confirm.
	t.Run("Confirm", func(t *testing.T) {
		bid := writeTemp(t, "d.csv", []byte(strings.Replace(bidCSV("Vendor D", "4.50"), "pricing,escalation,3%", "pricing,escalation,300%", 1)))
		opts, audits := storeCounts(t, dir)
		_, errOut, err := runCmd(t, nil, "import", "-data", dir, "-evaluation", "1", bid)
		if err == nil || !strings.Contains(err.Error(), "1 value looks implausible; nothing was saved: check it, or run again with -confirm") {
			t.Fatalf("err %v", err)
		}
		if want := bid + ": options[3].pricing.escalation: an escalation of 300% a year for the price is more than 25%"; !strings.HasPrefix(errOut, want) {
			t.Errorf("stderr %q, want %q…", errOut, want)
		}
		if now, n := storeCounts(t, dir); len(now) != len(opts) || n != audits {
			t.Fatal("an unconfirmed bid was saved")
		}
		if out, errOut, err := runCmd(t, nil, "import", "-data", dir, "-evaluation", "1", "-confirm", bid); err != nil || !strings.Contains(out, "Vendor D (vendor-d)") {
			t.Fatalf("-confirm: %v %q %q", err, out, errOut)
		}
	})

	t.Run("Round", func(t *testing.T) {
		opts, _ := storeCounts(t, dir)
		a := opts["vendor-a"]
		was := tcoOf(t, dir, "vendor-a")
		out, errOut, err := runCmd(t, strings.NewReader(bidCSV("Vendor A", "4.25")), "import", "-data", dir, "-evaluation", "1",
			"-round-of", strconv.FormatInt(a.ID, 10), "-label", "best_and_final", "-")
		if err != nil {
			t.Fatalf("import round: %v\n%s", err, errOut)
		}
		if want := `saved stdin as round "best_and_final" of option ` + strconv.FormatInt(a.ID, 10) + ", Vendor A (vendor-a), of evaluation 1\n"; out != want {
			t.Errorf("stdout %q, want %q", out, want)
		}
		if now := tcoOf(t, dir, "vendor-a"); was != "4071167.36" || now != "3973803.92" {
			t.Errorf("vendor-a TCO %s → %s, want 4071167.36 → 3973803.92", was, now)
		}
	})

	t.Run("Errors", func(t *testing.T) {
		csvFile := writeTemp(t, "b.csv", []byte(bidCSV("Vendor C", "4.50")))
		for _, tc := range []struct {
			name  string
			args  []string
			usage bool
			want  string
		}{
			{"NoEvaluation", []string{"-data", dir, csvFile}, true, "-evaluation"},
			{"NoFile", []string{"-data", dir, "-evaluation", "1"}, true, "FILE"},
			{"LabelAlone", []string{"-data", dir, "-evaluation", "1", "-label", "revised", csvFile}, true, "-round-of"},
			{"NoDatabase", []string{"-data", t.TempDir(), "-evaluation", "1", csvFile}, false, "no database"},
			{"UnknownEvaluation", []string{"-data", dir, "-evaluation", "9", csvFile}, false, "evaluation not found"},
			{"NotSpreadsheet", []string{"-data", dir, "-evaluation", "1", writeTemp(t, "x.png", []byte("\x89PNG\r\n\x1a\n\x00"))}, false, "not a spreadsheet"},
			{"BadLabel", []string{"-data", dir, "-evaluation", "1", "-round-of", "2", "-label", "final", csvFile}, false, "label: must be initial, revised or best_and_final"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, errOut, err := runCmd(t, nil, append([]string{"import"}, tc.args...)...)
				var u usageError
				if err == nil || errors.As(err, &u) != tc.usage || !strings.Contains(err.Error()+errOut, tc.want) {
					t.Errorf("err %v (usage %v), stderr %q; want %q", err, errors.As(err, &u), errOut, tc.want)
				}
			})
		}
	})
}

// TestImportDuplicateAndVendor: re-importing a vendor the evaluation has
// as a new quote exits 1 saying which flag to add (-round-of or -new) and
// saves nothing; -new saves a separate quote; -vendor links the directory's
// vendor, and a bid named like a directory vendor is linked without it.
func TestImportDuplicateAndVendor(t *testing.T) {
	t.Parallel()
	dir := dataWithE2(t)
	var vendorA store.Option
	var dirVendor *store.Vendor
	inStore(t, dir, func(st *store.Store) {
		ctx := context.Background()
		opts, err := st.ListOptions(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		vendorA = opts[1]
		if dirVendor, err = st.CreateVendor(ctx, "test", store.VendorInput{Name: "Northwind Contact"}); err != nil {
			t.Fatal(err)
		}
	})
	again := writeTemp(t, "a.csv", []byte(bidCSV("vendor a", "4.40")))

	opts, audits := storeCounts(t, dir)
	out, _, err := runCmd(t, nil, "import", "-data", dir, "-evaluation", "1", again)
	want := fmt.Sprintf("Vendor A already has a quote in this evaluation (option %d); nothing was saved: add -round-of %d", vendorA.ID, vendorA.ID)
	if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "-new") || out != "" {
		t.Fatalf("duplicate: err %v, stdout %q; want %q", err, out, want)
	}
	if now, n := storeCounts(t, dir); len(now) != len(opts) || n != audits {
		t.Fatal("the refused duplicate saved something")
	}

	if _, errOut, err := runCmd(t, nil, "import", "-data", dir, "-evaluation", "1", "-new", "-vendor", strconv.FormatInt(dirVendor.ID, 10), again); err != nil {
		t.Fatalf("-new: %v\n%s", err, errOut)
	}
	now, _ := storeCounts(t, dir)
	sep, ok := now["vendor-a-2"]
	if len(now) != len(opts)+1 || !ok || sep.VendorID == nil || *sep.VendorID != dirVendor.ID {
		t.Errorf("-new -vendor: options %d → %d, vendor-a-2 %+v", len(opts), len(now), sep)
	}
	if _, errOut, err := runCmd(t, nil, "import", "-data", dir, "-evaluation", "1", writeTemp(t, "n.csv", []byte(bidCSV(" NORTHWIND CONTACT", "4.40")))); err != nil {
		t.Fatalf("by name: %v\n%s", err, errOut)
	}
	now, _ = storeCounts(t, dir)
	if o := now["northwind-contact"]; o.VendorID == nil || *o.VendorID != dirVendor.ID {
		t.Errorf("not linked by name: %+v", o)
	}
	if _, _, err := runCmd(t, nil, "import", "-data", dir, "-evaluation", "1", "-new", "-round-of", strconv.FormatInt(vendorA.ID, 10), again); err == nil {
		t.Error("-new with -round-of: no error")
	}
}
