package evaluation

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/report"
	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
)

// answer returns the first screen's answer with key, or fails.
func answer(t *testing.T, d *Dashboard, key string) FirstAnswer {
	t.Helper()
	for _, a := range d.First.Answers {
		if a.Key == key {
			return a
		}
	}
	t.Fatalf("no answer %q in %+v", key, d.First.Answers)
	return FirstAnswer{}
}

// TestFirstDemo: the first screen of the stored demo with its latest
// rounds (spec §10's example: Vendor A first, Vendor B second and €216K
// cheaper, flipping at a price weight of 50.7%).
func TestFirstDemo(t *testing.T) {
	t.Parallel()
	st, id := openDemo(t)
	d, err := New(st, Config{}).Dashboard(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	f := d.First
	if f == nil {
		t.Fatal("no first screen")
	}
	keys := []string{}
	for _, a := range f.Answers {
		keys = append(keys, a.Key)
		if a.Question == "" || a.Lead == "" {
			t.Errorf("answer %q without a question or a lead: %+v", a.Key, a)
		}
	}
	if !slices.Equal(keys, []string{"who", "why", "change"}) {
		t.Errorf("answers %v, want who, why, change", keys)
	}
	rows := map[string]*OptionRow{}
	for _, r := range d.Rows {
		rows[r.ID] = r
	}
	a, b := rows["vendor-a"], rows["vendor-b"]
	gap := b.VersusFirst.PriceGap
	if report.MoneyShort("EUR", gap.Value.Abs()) != "€216K" {
		t.Fatalf("the demo's price gap is %s, not the issue's €216K", gap)
	}
	// Who wins and by how much, and that it is not the cheapest.
	want := "Vendor A is recommended: it saves " + report.MoneyShort("EUR", a.Savings) + " (" + report.Pct(a.SavePct) +
		") on PV over 36 months and leads Vendor B by 1.5 points. It is not the cheapest: Vendor B costs €216K less on PV."
	if f.Headline != want {
		t.Errorf("headline\n got %q\nwant %q", f.Headline, want)
	}
	who := answer(t, d, "who")
	figs := map[string]string{}
	for _, x := range who.Figures {
		figs[x.Label] = x.Value
	}
	if figs["Savings (PV)"] != "€800K" || figs["Pays back"] != a.Payback || figs["Lead over Vendor B"] != "1.5 pts" {
		t.Errorf("who figures %+v", who.Figures)
	}
	// Why the winner over the runner-up, in the words.
	why := answer(t, d, "why")
	if why.Question != "Why Vendor A over Vendor B?" {
		t.Errorf("why question %q", why.Question)
	}
	if want := "Vendor B is €216K cheaper on PV but scores 7 points lower on quality (1.5 points behind overall)."; why.Lead != want {
		t.Errorf("why\n got %q\nwant %q", why.Lead, want)
	}
	flip := "Vendor B would overtake Vendor A if price weighed more than 50.7% instead of 40%."
	if len(why.Points) == 0 || why.Points[0] != flip {
		t.Errorf("why points %q, want first %q", why.Points, flip)
	}
	if why.Table == nil || len(why.Table.Rows) != 4 || why.Table.Rows[1][1] != "79.0" || why.Table.Rows[1][2] != "72.0" {
		t.Errorf("why table %+v", why.Table)
	}
	if len(why.Points) != 1 {
		t.Errorf("why: %q; Vendor C is knocked out but dearer than Vendor A, so it is not part of the why", why.Points)
	}
	if len(why.Cautions) != 0 {
		t.Errorf("cautions on the demo: %q", why.Cautions)
	}
	// What would change it: the weight flip, then Vendor A's tipping
	// points nearest first (handle time ×0.760, prices ×1.246, personnel
	// ×0.752 with the latest rounds).
	ch := answer(t, d, "change")
	got := append([]string{ch.Lead}, ch.Points...)
	wantCh := []string{"Price weighing more than 50.7% instead of 40% would put Vendor B ahead of Vendor A.",
		"Vendor A stops saving money if handle time falls 24.0%.",
		"Vendor A stops saving money if its prices rise 24.6%.",
		"Vendor A stops saving money if personnel costs fall 24.8%."}
	if !slices.Equal(got, wantCh) {
		t.Errorf("change\n got %q\nwant %q", got, wantCh)
	}
	if ch.Figures[0].Value != "50.7% (today 40%)" || ch.Figures[1].Value != "Handle time −24%" {
		t.Errorf("change figures %+v", ch.Figures)
	}
}

// TestFirstMateriality: break-even told for reading with the evaluation's
// materiality; at 2% the chatbot's five crossings in the monthly view read
// as one stretch about even, and the exact intervals stay in the table.
func TestFirstMateriality(t *testing.T) {
	t.Parallel()
	st, id := openDemo(t)
	s := New(st, Config{})
	story := func() (PairStory, string) {
		d, err := s.Dashboard(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range d.Stories {
			if strings.HasPrefix(p.Name, "In-house with a chatbot") {
				for _, x := range d.BreakEven.Pairs {
					if x.Name == p.Name {
						return d.Stories[i], x.Monthly
					}
				}
			}
		}
		t.Fatalf("no chatbot story in %+v", d.Stories)
		return PairStory{}, ""
	}
	p, exact := story()
	if strings.Contains(p.Monthly, "about even") || !strings.Contains(p.Monthly, "from 7,927 to 8,493") {
		t.Errorf("at 0.5%% the monthly view reads %q; want the exact alternations", p.Monthly)
	}
	setMateriality(t, st, id, "0.02")
	p, exact = story()
	want := "In-house today is cheaper up to 7,643 contacts a month; about even from 7,643 to 9,342; In-house with a chatbot containing 25% of contacts is cheaper above 9,342."
	if p.Monthly != want {
		t.Errorf("monthly story\n got %q\nwant %q", p.Monthly, want)
	}
	if !strings.Contains(p.Even, "2% of In-house today's steady month") {
		t.Errorf("even note %q", p.Even)
	}
	for _, x := range []string{"7,643.41", "7,926.5", "8,492.68", "9,058.86", "9,341.94"} {
		if !strings.Contains(exact, x) {
			t.Errorf("the exact intervals %q lack %s", exact, x)
		}
	}
}

// compared builds the dashboard of demo.json after change, without a store.
func compared(t *testing.T, change func(d *tco.Document)) *Dashboard {
	t.Helper()
	raw, err := os.ReadFile("../../data/demo.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := tco.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	change(doc)
	cmp, err := tco.Compare(doc, tco.CompareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	e := &store.Evaluation{ID: 1}
	e.Name = doc.Name
	return buildDashboard(e, doc, cmp, nil)
}

// TestFirstCases: the headline when the winner is the cheapest, when the
// baseline wins and when nothing is ranked; a clamped price score in words.
func TestFirstCases(t *testing.T) {
	t.Parallel()
	t.Run("CheapestWins", func(t *testing.T) {
		d := compared(t, func(*tco.Document) {})
		if !strings.HasPrefix(d.First.Headline, "Vendor B is recommended: it saves €1.0M (19.2%) on PV over 36 months and leads Vendor A by 0.5 points.") ||
			strings.Contains(d.First.Headline, "not the cheapest") {
			t.Errorf("headline %q", d.First.Headline)
		}
		why := answer(t, d, "why")
		if why.Lead != "Vendor A costs €374K more on PV but scores 7 points higher on quality (0.5 points behind overall)." ||
			why.Points[0] != "Vendor A would overtake Vendor B if price weighed less than 37.3% instead of 40%." {
			t.Errorf("why %q %q", why.Lead, why.Points)
		}
	})
	t.Run("BaselineWins", func(t *testing.T) {
		d := compared(t, func(doc *tco.Document) {
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
		if !strings.HasPrefix(d.First.Headline, "Keep In-house today: it ranks first, ") {
			t.Errorf("headline %q", d.First.Headline)
		}
		ch := answer(t, d, "change")
		if !strings.Contains(ch.Lead+strings.Join(ch.Points, " "), "starts saving money if") {
			t.Errorf("change when the baseline wins: %q %q", ch.Lead, ch.Points)
		}
	})
	t.Run("NoneRanked", func(t *testing.T) {
		d := compared(t, func(doc *tco.Document) {
			for i := range doc.Options {
				delete(doc.Options[i].Scores, "fcr")
			}
		})
		if len(d.First.Answers) != 1 || d.First.Headline != d.Sentence || len(d.First.Answers[0].Points) != 5 {
			t.Errorf("first screen with nothing ranked: %+v", d.First)
		}
	})
	t.Run("CheaperKnockedOut", func(t *testing.T) {
		d := compared(t, func(doc *tco.Document) {
			half := decimal.RequireFromString("0.5")
			p := doc.Option("vendor-c").Pricing
			for j := range p.Tiers {
				p.Tiers[j].Price = p.Tiers[j].Price.Mul(half)
			}
		})
		why := answer(t, d, "why")
		var c, w *OptionRow
		for _, r := range d.Rows {
			if r.ID == "vendor-c" {
				c = r
			}
		}
		w = d.Winner
		want := "Vendor C would cost " + report.MoneyShort("EUR", w.Cost.Value.Sub(c.Cost.Value)) +
			" less on PV but is knocked out: Information security (ISO 27001, GDPR) scored 6, below the minimum 7."
		if !slices.Contains(why.Points, want) {
			t.Errorf("why %q\nwant %q", why.Points, want)
		}
	})
	t.Run("NoAnalysis", func(t *testing.T) {
		// Without sensitivity the answer does not claim that nothing
		// would change it.
		raw, err := os.ReadFile("../../data/demo.json")
		if err != nil {
			t.Fatal(err)
		}
		doc, err := tco.Decode(raw)
		if err != nil {
			t.Fatal(err)
		}
		doc.Options = slices.DeleteFunc(doc.Options, func(o tco.Option) bool { return o.ID != "in-house" && o.ID != "vendor-b" })
		doc.Criteria = nil // price alone: no weight flips the order
		for i := range doc.Options {
			doc.Options[i].Scores = nil
		}
		cmp, err := tco.Compare(doc, tco.CompareOptions{SkipAnalysis: true})
		if err != nil {
			t.Fatal(err)
		}
		e := &store.Evaluation{ID: 1}
		d := buildDashboard(e, doc, cmp, nil)
		if ch := answer(t, d, "change"); ch.Lead != "No tipping points were computed for Vendor B." {
			t.Errorf("change without analysis: %q %q", ch.Lead, ch.Points)
		}
	})
	t.Run("Clamped", func(t *testing.T) {
		// Vendor B's PV is 80.8% of the baseline's: with full marks from
		// 85% its price score is held at 100.
		d := compared(t, func(doc *tco.Document) { doc.Price.FullAt = decimal.RequireFromString("0.85") })
		var warned bool
		for _, w := range d.Warnings {
			warned = warned || strings.Contains(w, "Vendor B") && strings.Contains(w, "clamped at 100")
		}
		if !warned {
			t.Fatalf("the engine does not warn: %q", d.Warnings)
		}
		why := answer(t, d, "why")
		want := "Price stops counting for Vendor B: its PV is 80.8% of In-house today's, below the 85% that already scores 100, so its price score is held at 100 and being cheaper earns it nothing more."
		if !slices.Contains(why.Cautions, want) {
			t.Errorf("cautions %q\nwant %q", why.Cautions, want)
		}
	})
}

// TestSavingsAndBands: the cumulative savings are the baseline's
// cumulative cost minus the option's, exactly, and cross zero at payback;
// the cheapest-option bands of the stored demo (A, B, A, B between 6,774
// and 8,167 contacts) read about even where A and B stay within the
// monthly threshold, and every crossing is in the chart's data.
func TestSavingsAndBands(t *testing.T) {
	t.Parallel()
	st, id := openDemo(t)
	d, err := New(st, Config{}).Dashboard(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	base := slices.IndexFunc(d.DocRows, func(r *OptionRow) bool { return r.Baseline })
	ch := d.Charts.Charts["savings"].(savingsChart)
	if len(ch.Series) != len(d.DocRows)-1 {
		t.Fatalf("%d savings lines for %d options", len(ch.Series), len(d.DocRows))
	}
	for i, r := range d.DocRows {
		if r.Baseline {
			continue
		}
		for m, row := range d.Savings.Rows {
			if !row[i].Equal(d.Cumulative.Rows[m][base].Sub(d.Cumulative.Rows[m][i])) {
				t.Fatalf("%s month %d: savings %s", r.ID, m, row[i])
			}
		}
		last := d.Savings.Rows[len(d.Savings.Rows)-1][i]
		if r.ID == "vendor-a" && !last.Equal(r.OptionResult.Savings.TCO.Value) {
			t.Errorf("vendor-a's cumulative savings end at %s, its TCO savings are %s", last, r.OptionResult.Savings.TCO)
		}
		if p := r.OptionResult.Payback.TCO; p != nil && *p > 0 {
			if d.Savings.Rows[*p][i].Sign() < 0 || d.Savings.Rows[*p-1][i].Sign() > 0 {
				t.Errorf("%s: payback month %d is not where its savings cross zero", r.ID, *p)
			}
		}
	}
	var a *savingsSeries
	for k := range ch.Series {
		if ch.Series[k].Label == "Vendor A" {
			a = &ch.Series[k]
		}
	}
	if a == nil || a.Payback == nil || a.Note != "pays back "+d.Savings.Labels[*a.Payback] {
		t.Errorf("Vendor A's savings line %+v", a)
	}

	be := d.Charts.Charts["breakEven"].(breakEvenChart)
	if len(be.Crossings) != len(d.BreakEven.Bands)-1 || len(be.Crossings) < 3 {
		t.Fatalf("crossings %+v for bands %+v", be.Crossings, d.BreakEven.Bands)
	}
	for k, c := range be.Crossings {
		if c.Short == "" || c.V != d.BreakEven.Bands[k+1].From {
			t.Errorf("crossing %d: %+v", k, c)
		}
	}
	// Where each option's line crosses the baseline's: every boundary of
	// the engine's monthly intervals, exactly (the chatbot's five, Vendor
	// C's one), on the baseline's curve.
	var wantV []float64
	for _, r := range d.DocRows {
		if r.BreakEven != nil {
			for _, x := range r.BreakEven.Monthly[1:] {
				wantV = append(wantV, x.From)
			}
		}
	}
	var got []float64
	for _, p := range be.Pairs {
		got = append(got, p.V)
		if p.Short == "" || p.Cost <= 0 {
			t.Errorf("pair crossing %+v", p)
		}
	}
	if len(wantV) != 6 || !slices.Equal(got, wantV) {
		t.Errorf("pair crossings %v, want %v", got, wantV)
	}
	// Both kinds numbered 1..9 by volume, each number once, the list under
	// the chart in that order with the chart's numbers and volumes.
	list := d.BreakEven.Crossings
	if len(list) != len(be.Crossings)+len(be.Pairs) {
		t.Fatalf("%d crossings listed for %d + %d on the chart", len(list), len(be.Crossings), len(be.Pairs))
	}
	byN := map[int]string{}
	for _, c := range be.Crossings {
		byN[c.N] = c.Short
	}
	for _, p := range be.Pairs {
		byN[p.N] = p.Short
	}
	for k, c := range list {
		if c.N != k+1 || byN[c.N] != c.Volume || c.Text == "" {
			t.Errorf("listed crossing %d: %+v (the chart's number %d is at %q)", k, c, c.N, byN[c.N])
		}
	}
	if list[0].Volume != "6,774" || list[0].Text != "Vendor B becomes the cheapest, after Vendor A" || list[0].Colour != -1 ||
		list[8].Volume != "11,040" || list[8].Text != "Vendor C costs the same as In-house today" || list[8].Colour < 0 {
		t.Errorf("the first and last crossings: %+v, %+v", list[0], list[8])
	}
	// At 0.5% (€772 a month) a head of Vendor B's per-FTE price is more
	// than that: each crossing reads as itself. At 2% they read about even.
	if story := d.BandStory(); len(be.Even) != 0 || strings.Count(story, " is cheapest ") != 4 {
		t.Errorf("at 0.5%%: even bands %+v, story %q (threshold %.2f)", be.Even, story, d.BreakEven.Threshold)
	}
	setMateriality(t, st, id, "0.02")
	d, err = New(st, Config{}).Dashboard(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	be = d.Charts.Charts["breakEven"].(breakEvenChart)
	want := "Vendor A is cheapest up to 6,774 contacts a month; about even from 6,774 to 8,167; Vendor B is cheapest above 8,167."
	if story := d.BandStory(); len(be.Even) != 1 || story != want || len(be.Crossings) != 3 {
		t.Errorf("at 2%%: even bands %+v, crossings %+v, story %q (threshold %.2f)", be.Even, be.Crossings, story, d.BreakEven.Threshold)
	}
}

// setMateriality sets the stored evaluation's materiality share.
func setMateriality(t *testing.T, st *store.Store, id int64, share string) {
	t.Helper()
	e, err := st.GetEvaluation(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	m := decimal.RequireFromString(share)
	e.Materiality = &m
	if _, err := st.UpdateEvaluation(t.Context(), "test", id, e.Version, e.Settings); err != nil {
		t.Fatal(err)
	}
}
