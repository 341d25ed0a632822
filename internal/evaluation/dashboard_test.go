package evaluation

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/report"
	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
)

// openDemo opens a store in a temporary folder holding the demo.
func openDemo(t testing.TB) (*store.Store, int64) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if ok, err := st.LoadDemo(ctx, "../../data"); err != nil || !ok {
		t.Fatalf("load the demo: %v %v", ok, err)
	}
	pg, err := st.ListEvaluations(ctx, store.ListParams{})
	if err != nil || len(pg.Items) == 0 {
		t.Fatalf("the demo evaluation: %v", err)
	}
	return st, pg.Items[0].ID
}

// TestRoundCostsMatchStore: the one round costing (in memory, from the
// document already loaded) gives exactly the figures of costing the
// store's document with each round selected, and CompareRounds the same.
func TestRoundCostsMatchStore(t *testing.T) {
	t.Parallel()
	st, demoID := openDemo(t)
	p := struct {
		st     *store.Store
		demoID int64
	}{st, demoID}
	s := New(st, Config{})
	ctx := t.Context()
	doc, err := p.st.Document(ctx, p.demoID, nil)
	if err != nil {
		t.Fatal(err)
	}
	cmp, err := tco.Compare(doc, tco.CompareOptions{SkipAnalysis: true})
	if err != nil {
		t.Fatal(err)
	}
	opts, err := p.st.ListOptions(ctx, p.demoID)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, o := range opts {
		rounds, err := p.st.ListRounds(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(rounds) < 2 {
			continue
		}
		got, err := s.costRounds(ctx, doc, cmp, o, rounds)
		if err != nil {
			t.Fatal(err)
		}
		api, err := s.CompareRounds(ctx, p.demoID, o.ID)
		if err != nil || len(api.Rounds) != len(rounds) || api.Slug != o.Slug || api.Currency != cmp.Currency {
			t.Fatalf("CompareRounds: %+v, %v", api, err)
		}
		for i, r := range rounds {
			rdoc, err := p.st.Document(ctx, p.demoID, store.RoundSelection{o.ID: r.ID})
			if err != nil {
				t.Fatal(err)
			}
			rc, err := tco.Compare(rdoc, tco.CompareOptions{SkipAnalysis: true})
			if err != nil {
				t.Fatal(err)
			}
			w := rc.Options[slices.IndexFunc(rc.Options, func(x tco.OptionResult) bool { return x.ID == o.Slug })]
			for _, g := range []RoundCost{got[i], api.Rounds[i]} {
				if !w.TCO.Value.Equal(g.TCO.Value) || !w.PV.Value.Equal(g.PV.Value) || !w.Savings.PV.Value.Equal(g.Savings.PV.Value) {
					t.Errorf("%s round %d: got %v %v %v, store's document %v %v %v", o.Slug, r.Seq, g.TCO, g.PV, g.Savings.PV, w.TCO, w.PV, w.Savings.PV)
				}
			}
			if i > 0 && report.Pct(got[i].ChangePV) != report.Pct(tco.Change(got[i-1].PV.Value, w.PV.Value)) {
				t.Errorf("%s round %d: change %s", o.Slug, r.Seq, report.Pct(got[i].ChangePV))
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("the demo has no option with several rounds")
	}
}

// TestRecommendation: the one-sentence recommendation when a vendor wins,
// when the baseline wins, and when no option can be ranked.
func TestRecommendation(t *testing.T) {
	t.Parallel()
	sentence := compared // demo.json after a change, without a store (first_test.go)
	t.Run("VendorWins", func(t *testing.T) {
		d := sentence(t, func(*tco.Document) {})
		want := "Vendor B: Lisboa Nearshore CX (per FTE-month) saves 19.2% (PV €1.0M) over 36 months at quality 72 — rank 1 of 4."
		if d.Sentence != want {
			t.Errorf("got  %q\nwant %q", d.Sentence, want)
		}
		if len(d.Notes) != 1 || !strings.Contains(d.Notes[0], "Vendor C is knocked out: Information security") {
			t.Errorf("notes %q", d.Notes)
		}
	})
	t.Run("BaselineWins", func(t *testing.T) {
		d := sentence(t, func(doc *tco.Document) {
			three := decimal.NewFromInt(3)
			for i := range doc.Options {
				if p := doc.Options[i].Pricing; p != nil {
					for j := range p.Tiers {
						p.Tiers[j].Price = p.Tiers[j].Price.Mul(three)
					}
				}
			}
			doc.Options = slices.DeleteFunc(doc.Options, func(o tco.Option) bool { return o.ID == "chatbot" })
		})
		if !strings.HasPrefix(d.Sentence, "Keep In-house today — rank 1 of 3 at quality 75.5; the best alternative, Vendor ") || !strings.Contains(d.Sentence, "costs ") || !strings.Contains(d.Sentence, "% more (PV €") {
			t.Errorf("got %q", d.Sentence)
		}
	})
	t.Run("NoneRanked", func(t *testing.T) {
		d := sentence(t, func(doc *tco.Document) {
			for i := range doc.Options {
				delete(doc.Options[i].Scores, "fcr")
			}
		})
		if d.Sentence != "No option can be ranked yet: 5 of 5 are knocked out or missing scores." {
			t.Errorf("got %q", d.Sentence)
		}
		if len(d.Excluded) != 5 || !strings.Contains(strings.Join(d.Excluded[0].Reasons, ";"), "no score yet for First-contact resolution") {
			t.Errorf("excluded %+v", d.Excluded)
		}
	})
}
