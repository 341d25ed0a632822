package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/evaluation"
	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
)

// auditCount counts audit rows (all evaluations and vendors).
func auditCount(t *testing.T, s *store.Store) int {
	t.Helper()
	p, err := s.Audit(context.Background(), store.AuditFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return p.Total
}

// docJSON is the evaluation's current document as JSON.
func docJSON(t *testing.T, s *store.Store, id int64) string {
	t.Helper()
	d, err := s.Document(context.Background(), id, nil)
	if err != nil {
		t.Fatal(err)
	}
	return mustJSON(t, d)
}

// wantInvalid checks an ErrInvalid carrying a field error whose path starts
// with prefix.
func wantInvalid(t *testing.T, err error, prefix string) {
	t.Helper()
	wantCode(t, err, store.ErrInvalid)
	var fe tco.Errors
	if !errors.As(err, &fe) {
		t.Fatalf("no tco.Errors in %v", err)
	}
	for p := range fe.Fields() {
		if strings.HasPrefix(p, prefix) {
			return
		}
	}
	t.Fatalf("no field error under %q in %v", prefix, fe.Fields())
}

func settings(name string) store.Settings {
	return store.Settings{Name: name, Currency: "EUR", Start: "2027-01", HorizonMonths: 12,
		DiscountRate: dec("0.08"), Volume: tco.Volume{Unit: "contact", Monthly: dec("1000")},
		Baseline: "in-house", Price: tco.Price{Weight: dec("0.4")}}
}

func TestEvaluations(t *testing.T) {
	t.Parallel()
	s := openStore(t)
	ctx := context.Background()
	var ids []int64
	for _, n := range []string{"Alpha centre", "Beta desk", "Gamma_helpdesk"} {
		e, err := s.CreateEvaluation(ctx, "ann", settings(n))
		if err != nil {
			t.Fatal(err)
		}
		if e.Version != 1 || e.Timing != tco.TimingEnd || len(e.Volume.Seasonality) != 12 {
			t.Fatalf("created %+v", e)
		}
		ids = append(ids, e.ID)
	}
	t.Run("List", func(t *testing.T) {
		p, err := s.ListEvaluations(ctx, store.ListParams{Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		if p.Total != 3 || len(p.Items) != 2 || p.Items[0].ID != ids[2] || !p.LastChange.Equal(p.Items[0].UpdatedAt) {
			t.Fatalf("page %+v", p)
		}
		p, _ = s.ListEvaluations(ctx, store.ListParams{Limit: 2, Offset: 2})
		if len(p.Items) != 1 || p.Items[0].ID != ids[0] {
			t.Fatalf("second page %+v", p.Items)
		}
		p, _ = s.ListEvaluations(ctx, store.ListParams{Search: "DESK"})
		if p.Total != 2 {
			t.Fatalf("search desk: %d", p.Total)
		}
		p, _ = s.ListEvaluations(ctx, store.ListParams{Search: "_"}) // a literal underscore, not a wildcard
		if p.Total != 1 {
			t.Fatalf("search _: %d", p.Total)
		}
	})
	t.Run("Update", func(t *testing.T) {
		st := settings("Alpha centre 2")
		e, err := s.UpdateEvaluation(ctx, "bob", ids[0], 1, st)
		if err != nil {
			t.Fatal(err)
		}
		if e.Version != 2 || e.Name != "Alpha centre 2" {
			t.Fatalf("updated %+v", e)
		}
		p, _ := s.ListEvaluations(ctx, store.ListParams{})
		if p.Items[0].ID != ids[0] {
			t.Fatal("an updated evaluation should list first")
		}
	})
	t.Run("ErrStaleVersion", func(t *testing.T) {
		n := auditCount(t, s)
		_, err := s.UpdateEvaluation(ctx, "bob", ids[0], 1, settings("lost update"))
		wantCode(t, err, store.ErrConflict)
		e, _ := s.GetEvaluation(ctx, ids[0])
		if e.Name != "Alpha centre 2" || e.Version != 2 || auditCount(t, s) != n {
			t.Fatalf("stale update changed something: %+v", e)
		}
	})
	t.Run("ErrInvalidSettings", func(t *testing.T) {
		st := settings("")
		st.HorizonMonths = 0
		_, err := s.CreateEvaluation(ctx, "bob", st)
		wantInvalid(t, err, "name")
		wantInvalid(t, err, "horizon_months")
		_, err = s.UpdateEvaluation(ctx, "bob", ids[0], 2, st)
		wantInvalid(t, err, "horizon_months")
		if e, _ := s.GetEvaluation(ctx, ids[0]); e.Version != 2 {
			t.Fatal("invalid update was written")
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := s.GetEvaluation(ctx, 9999)
		wantCode(t, err, store.ErrNotFound)
		_, err = s.UpdateEvaluation(ctx, "x", 9999, 1, settings("x"))
		wantCode(t, err, store.ErrNotFound)
		wantCode(t, s.DeleteEvaluation(ctx, "x", 9999, 0), store.ErrNotFound)
		_, err = s.Document(ctx, 9999, nil)
		wantCode(t, err, store.ErrNotFound)
		_, err = s.CopyEvaluation(ctx, "x", 9999, "")
		wantCode(t, err, store.ErrNotFound)
	})
	t.Run("Delete", func(t *testing.T) {
		wantCode(t, s.DeleteEvaluation(ctx, "bob", ids[1], 7), store.ErrConflict)
		if err := s.DeleteEvaluation(ctx, "bob", ids[1], 1); err != nil {
			t.Fatal(err)
		}
		_, err := s.GetEvaluation(ctx, ids[1])
		wantCode(t, err, store.ErrNotFound)
	})
}

func TestCopyEvaluation(t *testing.T) {
	t.Parallel()
	s := openStore(t)
	ctx := context.Background()
	if _, err := s.LoadDemo(ctx, "../../data"); err != nil {
		t.Fatal(err)
	}
	p, _ := s.ListEvaluations(ctx, store.ListParams{})
	src := p.Items[0].ID
	cp, err := s.CopyEvaluation(ctx, "ann", src, "Copy of the demo")
	if err != nil {
		t.Fatal(err)
	}
	a, _ := s.Document(ctx, src, nil)
	b, _ := s.Document(ctx, cp.ID, nil)
	b.Name = a.Name
	if mustJSON(t, a) != mustJSON(t, b) {
		t.Fatal("the copy's document differs")
	}
	opts, _ := s.ListOptions(ctx, cp.ID)
	for _, o := range opts {
		rs, err := s.ListRounds(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if o.Slug == "vendor-a" && (len(rs) != 2 || o.VendorID == nil) {
			t.Fatalf("copied vendor-a: %d rounds, vendor %v", len(rs), o.VendorID)
		}
	}
}

// twoOptions creates a valid evaluation: a baseline and a vendor with
// pricing, one criterion and scores.
func twoOptions(t *testing.T, s *store.Store) (evalID int64, base, vendor *store.Option) {
	t.Helper()
	ctx := context.Background()
	e, err := s.CreateEvaluation(ctx, "ann", settings("Two options"))
	if err != nil {
		t.Fatal(err)
	}
	base, err = s.CreateOption(ctx, "ann", e.ID, store.OptionInput{Slug: "in-house", Name: "In-house", Kind: tco.KindInHouse,
		Quote: &store.Quote{Lines: []tco.Line{{Name: "Staff", Category: tco.CategoryPersonnel, Basis: tco.BasisFixed, Amount: dec("5000")}}}})
	if err != nil {
		t.Fatal(err)
	}
	vendor, err = s.CreateOption(ctx, "ann", e.ID, store.OptionInput{Slug: "vendor-a", Name: "Vendor A", Kind: tco.KindVendor,
		Quote: &store.Quote{
			Pricing: &tco.Pricing{Tiers: []tco.Tier{{Price: dec("4")}}},
			Lines:   []tco.Line{{Name: "Governance", Category: tco.CategoryPersonnel, Basis: tco.BasisShareOfVendor, Amount: dec("0.05")}}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Comparison(ctx, e.ID, store.CompareOptions{}); err != nil {
		t.Fatalf("two options do not compare: %v", err)
	}
	return e.ID, base, vendor
}

func TestOptions(t *testing.T) {
	t.Parallel()
	s := openStore(t)
	ctx := context.Background()
	evalID, base, vendor := twoOptions(t, s)
	t.Run("Get", func(t *testing.T) {
		o, err := s.GetOption(ctx, vendor.ID)
		if err != nil {
			t.Fatal(err)
		}
		if o.Pricing == nil || o.Pricing.Currency != "EUR" || o.Pricing.Per != tco.PricingPerUnit || len(o.Lines) != 1 || o.Lines[0].ID == 0 {
			t.Fatalf("option %+v", o)
		}
		b, _ := json.Marshal(o.Lines[0])
		if !strings.Contains(string(b), `"id":`) || !strings.Contains(string(b), `"basis":"share_of_vendor"`) {
			t.Fatalf("line JSON %s", b)
		}
		list, err := s.ListOptions(ctx, evalID)
		if err != nil || len(list) != 2 || list[0].Slug != "in-house" {
			t.Fatalf("list %v %v", list, err)
		}
	})
	t.Run("ErrDuplicateSlug", func(t *testing.T) {
		_, err := s.CreateOption(ctx, "ann", evalID, store.OptionInput{Slug: "vendor-a", Name: "Again"})
		wantCode(t, err, store.ErrConflict)
	})
	t.Run("ErrInvalidTier", func(t *testing.T) {
		before, n := docJSON(t, s, evalID), auditCount(t, s)
		_, err := s.UpdateOption(ctx, "ann", vendor.ID, vendor.Version, store.OptionInput{Slug: "vendor-a", Name: "Vendor A",
			Quote: &store.Quote{Pricing: &tco.Pricing{Tiers: []tco.Tier{{Price: dec("-1")}}}}})
		wantInvalid(t, err, "options[1].pricing.tiers[0].price")
		if docJSON(t, s, evalID) != before || auditCount(t, s) != n {
			t.Fatal("an invalid save wrote something")
		}
	})
	t.Run("UpdateWithQuote", func(t *testing.T) {
		o, err := s.UpdateOption(ctx, "ann", vendor.ID, vendor.Version, store.OptionInput{Slug: "vendor-a", Name: "Vendor A (rev)",
			Quote: &store.Quote{Pricing: &tco.Pricing{Tiers: []tco.Tier{{UpTo: ptr(dec("500")), Price: dec("4")}, {Price: dec("3.5")}}}}})
		if err != nil {
			t.Fatal(err)
		}
		if o.Version != 2 || len(o.Pricing.Tiers) != 2 || len(o.Lines) != 0 || o.Name != "Vendor A (rev)" {
			t.Fatalf("updated %+v", o)
		}
		_, err = s.UpdateOption(ctx, "ann", vendor.ID, 1, store.OptionInput{Slug: "vendor-a", Name: "stale"})
		wantCode(t, err, store.ErrConflict)
		vendor = o
	})
	t.Run("RenameBaseline", func(t *testing.T) {
		o, err := s.UpdateOption(ctx, "ann", base.ID, base.Version, store.OptionInput{Slug: "today", Name: "In-house"})
		if err != nil {
			t.Fatal(err)
		}
		e, _ := s.GetEvaluation(ctx, evalID)
		if e.Baseline != "today" {
			t.Fatalf("baseline %q after renaming its option", e.Baseline)
		}
		base = o
	})
	t.Run("ErrDeleteNeeded", func(t *testing.T) {
		// The evaluation would have one option and no baseline left.
		err := s.DeleteOption(ctx, "ann", base.ID, base.Version)
		wantCode(t, err, store.ErrInvalid)
		if _, err := s.GetOption(ctx, base.ID); err != nil {
			t.Fatal("refused delete removed the option")
		}
	})
	t.Run("Delete", func(t *testing.T) {
		imp, err := s.CreateOption(ctx, "ann", evalID, store.OptionInput{Slug: "bot", Name: "Chatbot", VolumeShare: ptr(dec("0.75"))})
		if err != nil {
			t.Fatal(err)
		}
		if !imp.VolumeShare.Equal(dec("0.75")) || imp.Pricing != nil {
			t.Fatalf("created %+v", imp)
		}
		wantCode(t, s.DeleteOption(ctx, "ann", imp.ID, 9), store.ErrConflict)
		if err := s.DeleteOption(ctx, "ann", imp.ID, imp.Version); err != nil {
			t.Fatal(err)
		}
		_, err = s.GetOption(ctx, imp.ID)
		wantCode(t, err, store.ErrNotFound)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := s.GetOption(ctx, 999)
		wantCode(t, err, store.ErrNotFound)
		_, err = s.CreateOption(ctx, "x", 999, store.OptionInput{Slug: "x", Name: "x"})
		wantCode(t, err, store.ErrNotFound)
		_, err = s.UpdateOption(ctx, "x", 999, 1, store.OptionInput{Slug: "x", Name: "x"})
		wantCode(t, err, store.ErrNotFound)
		wantCode(t, s.DeleteOption(ctx, "x", 999, 0), store.ErrNotFound)
		_, err = s.ListOptions(ctx, 999)
		wantCode(t, err, store.ErrNotFound)
	})
}

func ptr[T any](v T) *T { return &v }

func TestLines(t *testing.T) {
	t.Parallel()
	s := openStore(t)
	ctx := context.Background()
	evalID, base, _ := twoOptions(t, s)
	l, err := s.CreateLine(ctx, "ann", base.ID, tco.Line{Name: "Seats", Category: tco.CategoryTechnology, Basis: tco.BasisPerUnit,
		Amount: dec("0.25"), Escalation: dec("0.02")})
	if err != nil {
		t.Fatal(err)
	}
	if l.Position != 1 || l.Version != 1 {
		t.Fatalf("line %+v", l)
	}
	got, err := s.GetLine(ctx, l.ID)
	if err != nil || !got.Amount.Equal(dec("0.25")) {
		t.Fatalf("get %+v %v", got, err)
	}
	ls, _ := s.ListLines(ctx, base.ID)
	if len(ls) != 2 {
		t.Fatalf("%d lines", len(ls))
	}
	t.Run("ErrInvalid", func(t *testing.T) {
		before, n := docJSON(t, s, evalID), auditCount(t, s)
		bad := l.Line
		bad.Amount = dec("-3")
		_, err := s.UpdateLine(ctx, "ann", l.ID, 1, bad)
		wantInvalid(t, err, "options[0].lines[1].amount")
		_, err = s.CreateLine(ctx, "ann", base.ID, tco.Line{Name: "Bad", Category: "snacks", Basis: tco.BasisFixed, Amount: dec("1")})
		wantInvalid(t, err, "options[0].lines[2].category")
		if docJSON(t, s, evalID) != before || auditCount(t, s) != n {
			t.Fatal("an invalid save wrote something")
		}
	})
	upd := l.Line
	upd.Amount = dec("0.30")
	l2, err := s.UpdateLine(ctx, "ann", l.ID, 1, upd)
	if err != nil || l2.Version != 2 || !l2.Amount.Equal(dec("0.3")) {
		t.Fatalf("update %+v %v", l2, err)
	}
	_, err = s.UpdateLine(ctx, "ann", l.ID, 1, upd)
	wantCode(t, err, store.ErrConflict)
	wantCode(t, s.DeleteLine(ctx, "ann", l.ID, 1), store.ErrConflict)
	if err := s.DeleteLine(ctx, "ann", l.ID, 2); err != nil {
		t.Fatal(err)
	}
	_, err = s.GetLine(ctx, l.ID)
	wantCode(t, err, store.ErrNotFound)
	_, err = s.UpdateLine(ctx, "ann", l.ID, 2, upd)
	wantCode(t, err, store.ErrNotFound)
	_, err = s.CreateLine(ctx, "ann", 999, upd)
	wantCode(t, err, store.ErrNotFound)
}

func TestCriteriaAndScores(t *testing.T) {
	t.Parallel()
	s := openStore(t)
	ctx := context.Background()
	evalID, base, vendor := twoOptions(t, s)
	c, err := s.CreateCriterion(ctx, "ann", evalID, tco.Criterion{Key: "csat", Name: "CSAT", Weight: dec("60"), Minimum: ptr(dec("5"))})
	if err != nil {
		t.Fatal(err)
	}
	if !c.Scale.Equal(dec("10")) {
		t.Fatalf("criterion %+v", c)
	}
	_, err = s.CreateCriterion(ctx, "ann", evalID, tco.Criterion{Key: "csat", Name: "again", Weight: dec("1")})
	wantCode(t, err, store.ErrConflict)
	_, err = s.CreateCriterion(ctx, "ann", evalID, tco.Criterion{Key: "neg", Name: "Negative", Weight: dec("-1")})
	wantInvalid(t, err, "criteria[1].weight")

	sc, err := s.CreateScore(ctx, "ann", base.ID, "csat", dec("7"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateScore(ctx, "ann", vendor.ID, "csat", dec("4")); err != nil {
		t.Fatal(err)
	}
	_, err = s.CreateScore(ctx, "ann", base.ID, "csat", dec("8"))
	wantCode(t, err, store.ErrConflict)
	_, err = s.CreateScore(ctx, "ann", base.ID, "nope", dec("8"))
	wantInvalid(t, err, "key")
	_, err = s.UpdateScore(ctx, "ann", sc.ID, 1, dec("11"))
	wantInvalid(t, err, "options[0].scores.csat")

	cmp, err := s.Comparison(ctx, evalID, store.CompareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if cmp.Options[1].Status != tco.StatusKnockedOut {
		t.Fatalf("vendor with 4 < minimum 5: %s", cmp.Options[1].Status)
	}
	sc2, err := s.UpdateScore(ctx, "ann", sc.ID, 1, dec("8.5"))
	if err != nil || sc2.Version != 2 || sc2.Key != "csat" {
		t.Fatalf("update score %+v %v", sc2, err)
	}
	_, err = s.UpdateScore(ctx, "ann", sc.ID, 1, dec("9"))
	wantCode(t, err, store.ErrConflict)
	list, err := s.ListScores(ctx, evalID)
	if err != nil || len(list) != 2 {
		t.Fatalf("scores %v %v", list, err)
	}

	// Renaming a criterion's key carries its scores along.
	c2, err := s.UpdateCriterion(ctx, "ann", c.ID, 1, tco.Criterion{Key: "satisfaction", Name: "CSAT", Weight: dec("60"), Scale: dec("10")})
	if err != nil {
		t.Fatal(err)
	}
	d, _ := s.Document(ctx, evalID, nil)
	if _, ok := d.Options[0].Scores["satisfaction"]; !ok || d.Criteria[0].Minimum != nil {
		t.Fatalf("document after rename: %+v", d.Options[0].Scores)
	}
	_, err = s.UpdateCriterion(ctx, "ann", c.ID, 1, c2.Criterion)
	wantCode(t, err, store.ErrConflict)
	if err := s.DeleteScore(ctx, "ann", sc.ID, 2); err != nil {
		t.Fatal(err)
	}
	_, err = s.GetScore(ctx, sc.ID)
	wantCode(t, err, store.ErrNotFound)
	if err := s.DeleteCriterion(ctx, "ann", c.ID, c2.Version); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.ListScores(ctx, evalID); len(list) != 0 {
		t.Fatal("deleting a criterion should delete its scores")
	}
	_, err = s.GetCriterion(ctx, c.ID)
	wantCode(t, err, store.ErrNotFound)
	_, err = s.ListCriteria(ctx, 999)
	wantCode(t, err, store.ErrNotFound)
}

func TestVendors(t *testing.T) {
	t.Parallel()
	s := openStore(t)
	ctx := context.Background()
	v, err := s.CreateVendor(ctx, "ann", store.VendorInput{Name: "Acme BPO", Contact: "Jo", Email: "jo@acme.example",
		Certifications: []string{"ISO 27001"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.CreateVendor(ctx, "ann", store.VendorInput{Name: "ACME bpo"})
	wantCode(t, err, store.ErrConflict)
	_, err = s.CreateVendor(ctx, "ann", store.VendorInput{Name: " ", Email: "nope"})
	wantInvalid(t, err, "email")
	v2, err := s.UpdateVendor(ctx, "ann", v.ID, 1, store.VendorInput{Name: "Acme BPO Ltd", Notes: "renamed"})
	if err != nil || v2.Version != 2 || len(v2.Certifications) != 0 {
		t.Fatalf("update %+v %v", v2, err)
	}
	_, err = s.UpdateVendor(ctx, "ann", v.ID, 1, store.VendorInput{Name: "stale"})
	wantCode(t, err, store.ErrConflict)
	page, err := s.ListVendors(ctx, store.ListParams{Search: "acme"})
	if err != nil || page.Total != 1 || page.Items[0].Name != "Acme BPO Ltd" {
		t.Fatalf("list %+v %v", page, err)
	}
	// A vendor linked to an option cannot be deleted.
	evalID, _, vendor := twoOptions(t, s)
	_, err = s.UpdateOption(ctx, "ann", vendor.ID, vendor.Version, store.OptionInput{Slug: "vendor-a", Name: "Vendor A", Kind: "vendor", VendorID: &v.ID})
	if err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.DeleteVendor(ctx, "ann", v.ID, 0), store.ErrConflict)
	_, err = s.UpdateOption(ctx, "ann", vendor.ID, 2, store.OptionInput{Slug: "vendor-a", Name: "Vendor A", VendorID: ptr(int64(999))})
	wantCode(t, err, store.ErrConflict)
	if err := s.DeleteEvaluation(ctx, "ann", evalID, 0); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteVendor(ctx, "ann", v.ID, 2); err != nil {
		t.Fatal(err)
	}
	_, err = s.GetVendor(ctx, v.ID)
	wantCode(t, err, store.ErrNotFound)
}

func TestRounds(t *testing.T) {
	t.Parallel()
	s := openStore(t)
	ctx := context.Background()
	evalID, _, vendor := twoOptions(t, s)
	first := vendor.RoundID
	// A revision starting from the current quote, then a cheaper best and final.
	r2, err := s.CreateRound(ctx, "ann", vendor.ID, store.RoundInput{Label: store.LabelRevised, Received: "2026-10-01"})
	if err != nil {
		t.Fatal(err)
	}
	if r2.Seq != 2 || len(r2.Lines) != 1 || r2.Pricing == nil || !r2.Pricing.Tiers[0].Price.Equal(dec("4")) {
		t.Fatalf("revised round %+v", r2)
	}
	bf := &tco.Pricing{Tiers: []tco.Tier{{Price: dec("3.8")}}}
	r3, err := s.CreateRound(ctx, "ann", vendor.ID, store.RoundInput{Label: store.LabelBestAndFinal, Received: "2026-11-01",
		Quote: &store.Quote{Pricing: bf, Lines: r2.Quote().Lines}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.CreateRound(ctx, "ann", vendor.ID, store.RoundInput{Label: "final-final"})
	wantInvalid(t, err, "label")
	_, err = s.CreateRound(ctx, "ann", vendor.ID, store.RoundInput{Label: store.LabelRevised,
		Quote: &store.Quote{Pricing: &tco.Pricing{Tiers: []tco.Tier{}}}})
	wantInvalid(t, err, "options[1].pricing.tiers")

	// The latest round is the current quote.
	d, _ := s.Document(ctx, evalID, nil)
	if !d.Options[1].Pricing.Tiers[0].Price.Equal(dec("3.8")) {
		t.Fatalf("document uses tier %v, want the best and final 3.8", d.Options[1].Pricing.Tiers[0].Price)
	}
	d, err = s.Document(ctx, evalID, store.RoundSelection{vendor.ID: first})
	if err != nil || !d.Options[1].Pricing.Tiers[0].Price.Equal(dec("4")) {
		t.Fatalf("selected first round: %v", err)
	}
	_, err = s.Document(ctx, evalID, store.RoundSelection{vendor.ID: 999})
	wantCode(t, err, store.ErrNotFound)

	rc, err := evaluation.New(s, evaluation.Config{}).CompareRounds(ctx, evalID, vendor.ID)
	if err != nil {
		t.Fatal(err)
	}
	// 1,000 contacts × 4.00 × 1.05 governance = 4,200.00 a month for 12
	// months; 3.80 gives 3,990.00: a change of exactly −5%.
	if len(rc.Rounds) != 3 || rc.Rounds[0].TCO.String() != "50400.00" || rc.Rounds[2].TCO.String() != "47880.00" {
		t.Fatalf("rounds %+v", rc.Rounds)
	}
	if rc.Rounds[0].ChangePV != nil || *rc.Rounds[1].ChangeTCO != 0 || *rc.Rounds[2].ChangeTCO != -0.05 {
		t.Fatalf("changes %v %v", *rc.Rounds[1].ChangeTCO, *rc.Rounds[2].ChangeTCO)
	}
	if *rc.Rounds[2].ChangePV > -0.0499 || *rc.Rounds[2].ChangePV < -0.0501 {
		t.Fatalf("pv change %v", *rc.Rounds[2].ChangePV)
	}
	_, err = evaluation.New(s, evaluation.Config{}).CompareRounds(ctx, evalID+1, vendor.ID)
	wantCode(t, err, store.ErrNotFound)

	list, err := s.ListRounds(ctx, vendor.ID)
	if err != nil || len(list) != 3 {
		t.Fatalf("list %v %v", list, err)
	}
	up, err := s.UpdateRound(ctx, "ann", r3.ID, 1, store.RoundInput{Label: store.LabelBestAndFinal, Received: "2026-11-02", Notes: "signed"})
	if err != nil || up.Version != 2 || up.Notes != "signed" || up.Pricing == nil {
		t.Fatalf("update %+v %v", up, err)
	}
	_, err = s.UpdateRound(ctx, "ann", r3.ID, 1, store.RoundInput{Label: store.LabelRevised})
	wantCode(t, err, store.ErrConflict)
	// Deleting the latest round makes the previous one current.
	if err := s.DeleteRound(ctx, "ann", r3.ID, 2); err != nil {
		t.Fatal(err)
	}
	if o, _ := s.GetOption(ctx, vendor.ID); o.RoundID != r2.ID {
		t.Fatalf("current round %d, want %d", o.RoundID, r2.ID)
	}
	if err := s.DeleteRound(ctx, "ann", r2.ID, 0); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.DeleteRound(ctx, "ann", first, 0), store.ErrConflict) // the only round
	_, err = s.GetRound(ctx, r3.ID)
	wantCode(t, err, store.ErrNotFound)
}

func TestAudit(t *testing.T) {
	t.Parallel()
	s := openStore(t)
	ctx := context.Background()
	evalID, _, vendor := twoOptions(t, s)
	other, _ := s.CreateEvaluation(ctx, "zoe", settings("Other"))
	_, err := s.UpdateOption(ctx, "bob", vendor.ID, vendor.Version, store.OptionInput{Slug: "vendor-a", Name: "Vendor A renamed"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.Audit(ctx, store.AuditFilter{EvaluationID: evalID})
	if err != nil {
		t.Fatal(err)
	}
	// create evaluation, two options, the update
	if p.Total != 4 {
		t.Fatalf("%d audit rows for the evaluation", p.Total)
	}
	last := p.Items[0]
	if last.Actor != "bob" || last.Entity != "option" || last.Action != "update" || last.EntityID != vendor.ID ||
		last.EvaluationID == nil || *last.EvaluationID != evalID || last.At.IsZero() {
		t.Fatalf("audit row %+v", last)
	}
	var before, after store.Option
	if err := json.Unmarshal(last.Before, &before); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(last.After, &after); err != nil {
		t.Fatal(err)
	}
	if before.Name != "Vendor A" || after.Name != "Vendor A renamed" || after.Version != before.Version+1 {
		t.Fatalf("before %q after %q", before.Name, after.Name)
	}
	all, _ := s.Audit(ctx, store.AuditFilter{Limit: 2})
	if all.Total != 5 || len(all.Items) != 2 || *all.Items[0].EvaluationID != evalID || *all.Items[1].EvaluationID != other.ID {
		t.Fatalf("overall audit: %d rows", all.Total)
	}
	if err := s.DeleteEvaluation(ctx, "bob", other.ID, 0); err != nil {
		t.Fatal(err)
	}
	del, _ := s.Audit(ctx, store.AuditFilter{EvaluationID: other.ID, Entity: "evaluation"})
	if del.Total != 2 || del.Items[0].Action != "delete" || string(del.Items[0].After) != "null" {
		t.Fatalf("delete audit %+v", del.Items)
	}
}

var _ = decimal.Zero

// TestErrNotFound: every method given an unknown id answers ErrNotFound.
func TestErrNotFound(t *testing.T) {
	t.Parallel()
	s := openStore(t)
	ctx := context.Background()
	const x = int64(4242)
	line := tco.Line{Name: "x", Category: tco.CategoryPersonnel, Basis: tco.BasisFixed, Amount: dec("1")}
	crit := tco.Criterion{Key: "k", Name: "k", Weight: dec("1")}
	calls := map[string]func() error{
		"GetEvaluation":    func() error { _, err := s.GetEvaluation(ctx, x); return err },
		"UpdateEvaluation": func() error { _, err := s.UpdateEvaluation(ctx, "a", x, 1, settings("x")); return err },
		"DeleteEvaluation": func() error { return s.DeleteEvaluation(ctx, "a", x, 1) },
		"CopyEvaluation":   func() error { _, err := s.CopyEvaluation(ctx, "a", x, "c"); return err },
		"Document":         func() error { _, err := s.Document(ctx, x, nil); return err },
		"Comparison":       func() error { _, err := s.Comparison(ctx, x, store.CompareOptions{}); return err },
		"ListOptions":      func() error { _, err := s.ListOptions(ctx, x); return err },
		"GetOption":        func() error { _, err := s.GetOption(ctx, x); return err },
		"CreateOption": func() error {
			_, err := s.CreateOption(ctx, "a", x, store.OptionInput{Slug: "s", Name: "s"})
			return err
		},
		"UpdateOption": func() error {
			_, err := s.UpdateOption(ctx, "a", x, 1, store.OptionInput{Slug: "s", Name: "s"})
			return err
		},
		"DeleteOption": func() error { return s.DeleteOption(ctx, "a", x, 1) },
		"ListRounds":   func() error { _, err := s.ListRounds(ctx, x); return err },
		"GetRound":     func() error { _, err := s.GetRound(ctx, x); return err },
		"CreateRound": func() error {
			_, err := s.CreateRound(ctx, "a", x, store.RoundInput{Label: store.LabelRevised})
			return err
		},
		"UpdateRound": func() error {
			_, err := s.UpdateRound(ctx, "a", x, 1, store.RoundInput{Label: store.LabelRevised})
			return err
		},
		"DeleteRound":     func() error { return s.DeleteRound(ctx, "a", x, 1) },
		"ListLines":       func() error { _, err := s.ListLines(ctx, x); return err },
		"GetLine":         func() error { _, err := s.GetLine(ctx, x); return err },
		"CreateLine":      func() error { _, err := s.CreateLine(ctx, "a", x, line); return err },
		"UpdateLine":      func() error { _, err := s.UpdateLine(ctx, "a", x, 1, line); return err },
		"DeleteLine":      func() error { return s.DeleteLine(ctx, "a", x, 1) },
		"ListCriteria":    func() error { _, err := s.ListCriteria(ctx, x); return err },
		"GetCriterion":    func() error { _, err := s.GetCriterion(ctx, x); return err },
		"CreateCriterion": func() error { _, err := s.CreateCriterion(ctx, "a", x, crit); return err },
		"UpdateCriterion": func() error { _, err := s.UpdateCriterion(ctx, "a", x, 1, crit); return err },
		"DeleteCriterion": func() error { return s.DeleteCriterion(ctx, "a", x, 1) },
		"ListScores":      func() error { _, err := s.ListScores(ctx, x); return err },
		"GetScore":        func() error { _, err := s.GetScore(ctx, x); return err },
		"CreateScore":     func() error { _, err := s.CreateScore(ctx, "a", x, "k", dec("1")); return err },
		"UpdateScore":     func() error { _, err := s.UpdateScore(ctx, "a", x, 1, dec("1")); return err },
		"DeleteScore":     func() error { return s.DeleteScore(ctx, "a", x, 1) },
		"GetVendor":       func() error { _, err := s.GetVendor(ctx, x); return err },
		"UpdateVendor":    func() error { _, err := s.UpdateVendor(ctx, "a", x, 1, store.VendorInput{Name: "v"}); return err },
		"DeleteVendor":    func() error { return s.DeleteVendor(ctx, "a", x, 1) },
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			err := call()
			wantCode(t, err, store.ErrNotFound)
			if store.ErrorCode(err) != store.CodeNotFound {
				t.Fatalf("ErrorCode = %q", store.ErrorCode(err))
			}
		})
	}
	if n := auditCount(t, s); n != 0 {
		t.Fatalf("%d audit rows after failed calls", n)
	}
}
