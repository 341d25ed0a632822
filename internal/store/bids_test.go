package store_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"testing"

	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
)

// vendorA returns a deep-enough copy of e2's vendor-a as a bid would bring
// it: its own pricing, lines and scores.
func vendorA(t *testing.T, doc *tco.Document) *tco.Option {
	t.Helper()
	for _, o := range doc.Options {
		if o.ID == "vendor-a" {
			p := *o.Pricing
			p.Tiers = append([]tco.Tier(nil), p.Tiers...)
			o.Pricing = &p
			o.Lines = append([]tco.Line(nil), o.Lines...)
			o.Scores = maps.Clone(o.Scores)
			return &o
		}
	}
	t.Fatal("e2 has no vendor-a")
	return nil
}

// resultOf returns an option's result in a comparison.
func resultOf(t *testing.T, c *tco.Comparison, id string) *tco.OptionResult {
	t.Helper()
	for i := range c.Options {
		if c.Options[i].ID == id {
			return &c.Options[i]
		}
	}
	t.Fatalf("no option %q in the comparison", id)
	return nil
}

func optionCount(t *testing.T, s *store.Store, evalID int64) int {
	t.Helper()
	os, err := s.ListOptions(context.Background(), evalID)
	if err != nil {
		t.Fatal(err)
	}
	return len(os)
}

func TestImportBid(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openStore(t)
	id, doc := importFile(t, s, "testdata/e2.json")

	t.Run("OK", func(t *testing.T) {
		bid := vendorA(t, doc)
		bid.ID, bid.Name = "vendor-b", "Vendor B"
		audits := auditCount(t, s)
		o, err := s.ImportBid(ctx, "alice", id, bid, nil, store.BidLink{})
		if err != nil {
			t.Fatalf("ImportBid: %v", err)
		}
		if o.Slug != "vendor-b" || o.Name != "Vendor B" || o.Kind != tco.KindVendor || o.Pricing == nil ||
			len(o.Pricing.Tiers) != 3 || len(o.Lines) != 5 || o.RoundID == 0 {
			t.Fatalf("stored option %+v", o)
		}
		// the option (import) and its two scores (create)
		if n := auditCount(t, s) - audits; n != 3 {
			t.Errorf("%d audit rows, want 3", n)
		}
		page, err := s.Audit(ctx, store.AuditFilter{EvaluationID: id, Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		if e := page.Items[2]; e.Entity != "option" || e.Action != "import" || e.Actor != "alice" {
			t.Errorf("audit row %s %s by %s", e.Entity, e.Action, e.Actor)
		}
		c, err := s.Comparison(ctx, id, store.CompareOptions{Engine: tco.CompareOptions{SkipAnalysis: true}})
		if err != nil {
			t.Fatal(err)
		}
		got, want := resultOf(t, c, "vendor-b"), resultOf(t, c, "vendor-a")
		if got.TCO.String() != "4071167.36" || got.PV.String() != want.PV.String() {
			t.Errorf("vendor-b TCO %s PV %s, want 4071167.36, %s", got.TCO, got.PV, want.PV)
		}
		// The vendor's own scores are not costed: incomplete on both
		// criteria until procurement confirms or overrides them.
		if got.Status != "incomplete" || strings.Join(got.Missing, ",") != "csat,security" || got.Quality != nil {
			t.Errorf("vendor-b %s, missing %v, quality %v; want incomplete on csat and security", got.Status, got.Missing, got.Quality)
		}
		selfs, err := s.ListSelfScores(ctx, id)
		if err != nil || len(selfs) != 2 || selfs[0].Key != "csat" || selfs[0].Status != store.SelfPending || !selfs[0].Value.Equal(dec("8")) {
			t.Fatalf("self-assessments %+v %v", selfs, err)
		}

		// Confirm csat (8 becomes the score), override security with 7.
		audits = auditCount(t, s)
		if _, err := s.ResolveSelfScore(ctx, "carol", selfs[0].ID, selfs[0].Version+1, nil); !errors.Is(err, store.ErrConflict) {
			t.Errorf("stale confirm: %v, want a conflict", err)
		}
		if _, err := s.ResolveSelfScore(ctx, "carol", selfs[1].ID, selfs[1].Version, ptr(dec("11"))); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("override above the scale: %v, want invalid", err)
		}
		if auditCount(t, s) != audits {
			t.Error("a refused resolution wrote an audit row")
		}
		if r, err := s.ResolveSelfScore(ctx, "carol", selfs[0].ID, selfs[0].Version, nil); err != nil || r.Status != store.SelfConfirmed {
			t.Fatalf("confirm: %+v %v", r, err)
		}
		if r, err := s.ResolveSelfScore(ctx, "carol", selfs[1].ID, selfs[1].Version, ptr(dec("7"))); err != nil || r.Status != store.SelfOverridden {
			t.Fatalf("override: %+v %v", r, err)
		}
		// each: the self-assessment (confirm, override) and the score (create)
		if n := auditCount(t, s) - audits; n != 4 {
			t.Errorf("%d audit rows, want 4", n)
		}
		page, err = s.Audit(ctx, store.AuditFilter{EvaluationID: id, Limit: 4})
		if err != nil {
			t.Fatal(err)
		}
		if e := page.Items[1]; e.Entity != "self_score" || e.Action != "override" || e.Actor != "carol" {
			t.Errorf("audit row %s %s by %s", e.Entity, e.Action, e.Actor)
		}
		c, err = s.Comparison(ctx, id, store.CompareOptions{Engine: tco.CompareOptions{SkipAnalysis: true}})
		if err != nil {
			t.Fatal(err)
		}
		// quality 100 × (30 × 8/10 + 20 × 7/10) / 50 = 76
		if got := resultOf(t, c, "vendor-b"); got.Quality == nil || fmt.Sprintf("%.1f", *got.Quality) != "76.0" {
			t.Errorf("quality after confirming %v, want 76.0", got.Quality)
		}
	})

	t.Run("ErrInvalid", func(t *testing.T) {
		// A decreasing tier bound breaks the document: nothing is written.
		bid := vendorA(t, doc)
		bid.ID, bid.Name = "vendor-c", "Vendor C"
		low := dec("5000")
		bid.Pricing.Tiers[1].UpTo = &low
		opts, audits := optionCount(t, s, id), auditCount(t, s)
		before := docJSON(t, s, id)
		_, err := s.ImportBid(ctx, "alice", id, bid, nil, store.BidLink{})
		wantInvalid(t, err, "options[")
		if optionCount(t, s, id) != opts || auditCount(t, s) != audits || docJSON(t, s, id) != before {
			t.Error("a refused bid changed the evaluation")
		}
	})

	t.Run("ErrUnknownCriterion", func(t *testing.T) {
		bid := vendorA(t, doc)
		bid.ID = "vendor-d"
		bid.Scores["speed"] = dec("5")
		audits := auditCount(t, s)
		_, err := s.ImportBid(ctx, "alice", id, bid, nil, store.BidLink{})
		wantInvalid(t, err, "scores.speed")
		if auditCount(t, s) != audits {
			t.Error("a refused bid wrote an audit row")
		}
	})

	t.Run("Round", func(t *testing.T) {
		opts, err := s.ListOptions(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var target store.Option
		for _, o := range opts {
			if o.Slug == "vendor-a" {
				target = o
			}
		}
		before, err := s.Comparison(ctx, id, store.CompareOptions{Engine: tco.CompareOptions{SkipAnalysis: true}})
		if err != nil {
			t.Fatal(err)
		}
		bid := vendorA(t, doc)
		bid.ID, bid.Name = "vendor-a-2", "Vendor A (revised)" // ignored: the option keeps its own
		bid.Pricing.Tiers[1].Price = dec("4.25")
		bid.Scores["csat"] = dec("9") // was 8; security stays 9
		n, audits := optionCount(t, s, id), auditCount(t, s)
		o, err := s.ImportBid(ctx, "bob", id, bid, &store.RoundTarget{OptionID: target.ID, Label: store.LabelRevised, Received: "2027-02-01"}, store.BidLink{})
		if err != nil {
			t.Fatalf("ImportBid round: %v", err)
		}
		if o.ID != target.ID || o.Slug != "vendor-a" || o.Name != "Vendor A" || o.RoundID == target.RoundID ||
			!o.Pricing.Tiers[1].Price.Equal(dec("4.25")) {
			t.Fatalf("revised option %+v", o)
		}
		if optionCount(t, s, id) != n {
			t.Error("a new round added an option")
		}
		// the round (create) and the vendor's own csat and security
		// (create): the costed scores stay procurement's
		if got := auditCount(t, s) - audits; got != 3 {
			t.Errorf("%d audit rows, want 3", got)
		}
		rounds, err := s.ListRounds(ctx, target.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(rounds) != 2 || rounds[1].Label != store.LabelRevised || rounds[1].Received != "2027-02-01" {
			t.Fatalf("rounds %+v", rounds)
		}
		after, err := s.Comparison(ctx, id, store.CompareOptions{Engine: tco.CompareOptions{SkipAnalysis: true}})
		if err != nil {
			t.Fatal(err)
		}
		was, now := resultOf(t, before, "vendor-a"), resultOf(t, after, "vendor-a")
		if !now.TCO.Value.LessThan(was.TCO.Value) || *now.Quality != *was.Quality {
			t.Errorf("revised TCO %s (was %s), quality %v (was %v, unchanged until confirmed)", now.TCO, was.TCO, *now.Quality, *was.Quality)
		}
	})

	t.Run("ErrRoundOfOtherEvaluation", func(t *testing.T) {
		other, _ := importFile(t, s, "testdata/e2.json")
		opts, err := s.ListOptions(ctx, other)
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.ImportBid(ctx, "bob", id, vendorA(t, doc), &store.RoundTarget{OptionID: opts[1].ID, Label: store.LabelRevised}, store.BidLink{})
		wantCode(t, err, store.ErrNotFound)
	})

	t.Run("ErrRoundLabel", func(t *testing.T) {
		_, err := s.ImportBid(ctx, "bob", id, vendorA(t, doc), &store.RoundTarget{OptionID: 1, Label: "final"}, store.BidLink{})
		wantInvalid(t, err, "label")
	})
}
