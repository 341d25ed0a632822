package store_test

import (
	"context"
	"testing"

	"vendorcompare/internal/evaluation"
	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
)

func logComparison(t *testing.T, c *tco.Comparison) {
	t.Helper()
	for _, o := range c.Options {
		f := func(p *float64) float64 {
			if p == nil {
				return -1
			}
			return *p
		}
		pv := 0.0
		if o.Savings.PVPct != nil {
			pv = *o.Savings.PVPct
		}
		payback := -1
		if o.Payback.PV != nil {
			payback = *o.Payback.PV
		}
		t.Logf("%-10s tco %12s pv %12s saving pv %6.1f%% q %5.1f price %5.1f score %5.1f %s %v payback pv %d",
			o.ID, o.TCO, o.PV, 100*pv, f(o.Quality), f(o.PriceScore), f(o.Score), o.Status, o.KnockedOutBy, payback)
	}
	for _, w := range c.Warnings {
		t.Logf("warning: %s", w)
	}
}

// TestDemoDocument: the demo decodes, validates and compares without
// warnings; Vendor C is knocked out on security; the best vendor saves
// 10-25% of the baseline's PV.
func TestDemoDocument(t *testing.T) {
	t.Parallel()
	doc := readDoc(t, "../../data/demo.json")
	if err := doc.Validate(); err != nil {
		t.Fatal(err)
	}
	c, err := tco.Compare(doc, tco.CompareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	logComparison(t, c)
	if len(c.Warnings) != 0 {
		t.Errorf("warnings: %v", c.Warnings)
	}
	best := 0.0
	for _, o := range c.Options {
		if o.Kind == tco.KindVendor && o.Savings.PVPct != nil && *o.Savings.PVPct > best {
			best = *o.Savings.PVPct
		}
		if o.ID == "vendor-c" && o.Status != tco.StatusKnockedOut {
			t.Errorf("vendor-c status %s, want knocked_out", o.Status)
		}
		if o.ID != "vendor-c" && o.Status != tco.StatusRanked {
			t.Errorf("%s status %s, want ranked", o.ID, o.Status)
		}
	}
	if best < 0.10 || best > 0.25 {
		t.Errorf("best vendor saves %.1f%% of PV, want 10-25%%", 100*best)
	}
}

// TestLoadDemo: the demo loads into an empty store only, with vendors and
// Vendor A's best-and-final round current.
func TestLoadDemo(t *testing.T) {
	t.Parallel()
	s := openStore(t)
	ctx := context.Background()
	loaded, err := s.LoadDemo(ctx, "../../data")
	if err != nil || !loaded {
		t.Fatalf("LoadDemo = %v, %v", loaded, err)
	}
	loaded, err = s.LoadDemo(ctx, "../../data")
	if err != nil || loaded {
		t.Fatalf("second LoadDemo = %v, %v; want false, nil", loaded, err)
	}
	page, err := s.ListEvaluations(ctx, store.ListParams{})
	if err != nil || page.Total != 1 {
		t.Fatalf("evaluations: %+v %v", page, err)
	}
	vendors, err := s.ListVendors(ctx, store.ListParams{})
	if err != nil || vendors.Total != 3 {
		t.Fatalf("vendors: %+v %v", vendors, err)
	}
	id := page.Items[0].ID
	c, err := s.Comparison(ctx, id, store.CompareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	logComparison(t, c)
	if len(c.Warnings) != 0 {
		t.Errorf("warnings: %v", c.Warnings)
	}
	opts, err := s.ListOptions(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var a store.Option
	for _, o := range opts {
		if o.Slug == "vendor-a" {
			a = o
		}
	}
	if a.VendorID == nil || !a.Pricing.Tiers[0].Price.Equal(dec("5.00")) {
		t.Fatalf("vendor-a: vendor %v, first tier %v; want a vendor and the best-and-final 5.00", a.VendorID, a.Pricing.Tiers[0].Price)
	}
	rc, err := evaluation.New(s, evaluation.Config{}).CompareRounds(ctx, id, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(rc.Rounds) != 2 || rc.Rounds[1].Label != store.LabelBestAndFinal || rc.Rounds[1].ChangePV == nil || *rc.Rounds[1].ChangePV >= 0 {
		t.Fatalf("rounds: %+v", rc.Rounds)
	}
	for _, r := range rc.Rounds {
		ch := 0.0
		if r.ChangePV != nil {
			ch = *r.ChangePV
		}
		t.Logf("round %d %-15s received %s tco %s pv %s change pv %+.2f%%", r.Seq, r.Label, r.Received, r.TCO, r.PV, 100*ch)
	}
}

func TestLoadDemoWithoutFile(t *testing.T) {
	t.Parallel()
	s := openStore(t)
	loaded, err := s.LoadDemo(context.Background(), t.TempDir())
	if err != nil || loaded {
		t.Fatalf("LoadDemo of an empty folder = %v, %v; want false, nil", loaded, err)
	}
}
