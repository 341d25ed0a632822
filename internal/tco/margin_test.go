package tco

import (
	"math"
	"math/rand"
	"strconv"
	"strings"
	"testing"
)

// fixedOption is an option costing amount a month with the given score on
// criterion q (scale 10).
func fixedOption(id, amount, score string) string {
	s := ""
	if score != "" {
		s = `,"scores":{"q":` + score + `}`
	}
	return `{"id":"` + id + `","name":"Option ` + strings.ToUpper(id) + `","lines":[{"name":"f","category":"operations","basis":"fixed","amount":` + amount + `}]` + s + `}`
}

const oneCriterion = `,"criteria":[{"key":"q","name":"Quality","weight":1}]`

// TestVersusFirstHand is worked by hand: three months, no discounting, so
// each option's PV is 3 × its monthly amount; baseline b 300.
//
//	a: 270, x = 0.9, price 66.667, quality 90, combined 80.667 (first)
//	c: 240, x = 0.8, price 83.333, quality 70, combined 75.333
//	b: 300, x = 1,   price 50,     quality 50, combined 50
//
// c overtakes a at w* = 20 / (20 + 16.667) = 6/11; b never does in [0, 1]
// (w* = 40 / 23.333 > 1).
func TestVersusFirstHand(t *testing.T) {
	t.Parallel()
	c := mustCompare(t, mustDoc(t, doc(oneCriterion, fixedOption("b", "100", "5")+","+fixedOption("a", "90", "9")+","+fixedOption("c", "80", "7"))))
	a, cc, b := result(t, c, "a"), result(t, c, "c"), result(t, c, "b")
	if *a.Rank != 1 || *cc.Rank != 2 || *b.Rank != 3 {
		t.Fatalf("ranks a %d c %d b %d, want 1 2 3", *a.Rank, *cc.Rank, *b.Rank)
	}
	if a.VersusFirst != nil {
		t.Errorf("first option: versus_first %+v, want null", a.VersusFirst)
	}
	v := cc.VersusFirst
	near(t, "c weight flip", v.WeightFlip, 6.0/11, 1e-12)
	near(t, "c score gap", v.ScoreGap, (0.4*200.0/3+0.6*90)-(0.4*250.0/3+0.6*70), 1e-9)
	eqMoney(t, "c price gap", v.PriceGap, "-30.00")
	if b.VersusFirst.WeightFlip != nil {
		t.Errorf("b: weight flip %v, want null (no crossing in [0, 1])", *b.VersusFirst.WeightFlip)
	}
	eqMoney(t, "b price gap", b.VersusFirst.PriceGap, "30.00")
	near(t, "b score gap", b.VersusFirst.ScoreGap, (0.4*200.0/3+0.6*90)-50, 1e-9)
	if len(c.Warnings) != 0 {
		t.Errorf("warnings %v, want none (every score inside the anchors)", c.Warnings)
	}
}

// TestVersusFirstNoWeight: without criteria the combined score is the
// price score and does not depend on the weight; without price scores (a
// baseline costing 0) it is the quality; either way there is no flip.
// Options that are not ranked have no versus_first.
func TestVersusFirstNoWeight(t *testing.T) {
	t.Parallel()
	c := mustCompare(t, mustDoc(t, doc("", fixedOption("b", "100", "")+","+fixedOption("a", "90", ""))))
	a, b := result(t, c, "a"), result(t, c, "b")
	if *a.Rank != 1 || a.VersusFirst != nil {
		t.Fatalf("a: rank %d versus_first %+v, want 1 and null", *a.Rank, a.VersusFirst)
	}
	if b.VersusFirst == nil || b.VersusFirst.WeightFlip != nil {
		t.Fatalf("b without criteria: versus_first %+v, want a null weight flip", b.VersusFirst)
	}
	near(t, "b score gap", b.VersusFirst.ScoreGap, 100*(1.3-0.9)/0.6-50, 1e-9)
	eqMoney(t, "b price gap", b.VersusFirst.PriceGap, "30.00")

	z := mustCompare(t, mustDoc(t, doc(oneCriterion, fixedOption("b", "0", "5")+","+fixedOption("a", "90", "9")+","+fixedOption("i", "10", ""))))
	zb := result(t, z, "b")
	if zb.VersusFirst == nil || zb.VersusFirst.WeightFlip != nil {
		t.Fatalf("null price scores: versus_first %+v, want a null weight flip", zb.VersusFirst)
	}
	near(t, "score gap on quality alone", zb.VersusFirst.ScoreGap, 40, 1e-9)
	eqMoney(t, "price gap", zb.VersusFirst.PriceGap, "-270.00")
	if i := result(t, z, "i"); i.Status != StatusIncomplete || i.VersusFirst != nil {
		t.Errorf("incomplete option: status %s versus_first %+v, want null", i.Status, i.VersusFirst)
	}
}

// TestClampedPriceWarning: a ranked option beyond an anchor gets one
// warning naming it; an option exactly at an anchor (x = 0.7 or 1.3) is not
// clamped; an option that is not ranked gets none; lowest_ratio has no
// anchors.
func TestClampedPriceWarning(t *testing.T) {
	t.Parallel()
	opts := strings.Join([]string{
		fixedOption("b", "100", "5"),
		fixedOption("cheap", "50", "5"), // x = 0.5: 133.3, clamped at 100
		fixedOption("dear", "140", "5"), // x = 1.4: −16.7, clamped at 0
		fixedOption("full", "70", "5"),  // x = 0.7: exactly 100
		fixedOption("zero", "130", "5"), // x = 1.3: exactly 0
		fixedOption("gone", "10", ""),   // not ranked: no warning
	}, ",")
	c := mustCompare(t, mustDoc(t, doc(oneCriterion, opts)))
	if len(c.Warnings) != 2 {
		t.Fatalf("warnings %q, want two", c.Warnings)
	}
	// rank order: cheap (score 0.4·100 + 0.6·50) before dear
	want := []struct{ id, at, frag string }{
		{"cheap", "clamped at 100", "is 0.5 times the baseline's, below full_at 0.7"},
		{"dear", "clamped at 0", "is 1.4 times the baseline's, above zero_at 1.3"},
	}
	for i, w := range want {
		got := c.Warnings[i]
		if !strings.Contains(got, "Option "+strings.ToUpper(w.id)+" ("+w.id+")") || !strings.Contains(got, w.at) || !strings.Contains(got, w.frag) {
			t.Errorf("warning %d = %q, want %s %s %q", i, got, w.id, w.at, w.frag)
		}
	}
	near(t, "full's price score", result(t, c, "full").PriceScore, 100, 0)
	near(t, "zero's price score", result(t, c, "zero").PriceScore, 0, 0)

	lr := mustCompare(t, mustDoc(t, doc(oneCriterion+`,"price":{"formula":"lowest_ratio"}`, opts)))
	for _, w := range lr.Warnings {
		if strings.Contains(w, "clamped") {
			t.Errorf("lowest_ratio warned %q", w)
		}
	}
}

// TestWeightFlipProperty: over random documents, wherever versus_first
// gives a weight flip w*, the two options' combined scores are equal at w*
// and their order differs on the two sides of it, both by the formula and
// by comparing again with price.weight moved past w*; where it gives none,
// the two never cross inside [0, 1].
func TestWeightFlipProperty(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewSource(14))
	combined := func(w float64, o *OptionResult) float64 { return w*(*o.PriceScore) + (1-w)*(*o.Quality) }
	flips, none, again := 0, 0, 0
	for n := 0; n < 150; n++ {
		d := genDoc(r, 2+r.Intn(4))
		c, err := Compare(d, CompareOptions{SkipAnalysis: true})
		if err != nil {
			t.Fatal(err)
		}
		var first *OptionResult
		for i := range c.Options {
			if o := &c.Options[i]; o.Rank != nil && *o.Rank == 1 {
				first = o
			}
		}
		if first == nil || first.PriceScore == nil {
			continue
		}
		for i := range c.Options {
			o := &c.Options[i]
			if o == first {
				continue
			}
			v := o.VersusFirst
			if v == nil {
				t.Fatalf("case %d: ranked %s has no versus_first", n, o.ID)
			}
			if !v.PriceGap.Value.Equal(o.PV.Value.Sub(first.PV.Value)) && !v.PriceGap.Value.Equal(o.TCO.Value.Sub(first.TCO.Value)) {
				t.Fatalf("case %d: price gap %s is neither PV nor TCO difference", n, v.PriceGap)
			}
			gap := func(w float64) float64 { return combined(w, first) - combined(w, o) }
			if v.WeightFlip == nil {
				none++
				if g0, g1 := gap(0), gap(1); g0*g1 < 0 {
					t.Fatalf("case %d: %s has no flip but the gap goes %v → %v over [0, 1]", n, o.ID, g0, g1)
				}
				continue
			}
			flips++
			w := *v.WeightFlip
			if w < 0 || w > 1 {
				t.Fatalf("case %d: flip %v outside [0, 1]", n, w)
			}
			if g := gap(w); math.Abs(g) > 1e-9 {
				t.Fatalf("case %d: at w* = %v the scores differ by %v", n, w, g)
			}
			const eps = 1e-3
			if w-eps >= 0 && w+eps <= 1 && gap(w-eps)*gap(w+eps) >= 0 {
				t.Fatalf("case %d: order of %s and %s does not flip at %v", n, first.ID, o.ID, w)
			}
			// compare again with the weight on the side of w* away from
			// today's: the option now scores above the first
			cur, _ := d.Price.Weight.Float64()
			other := w + 0.01
			if cur > w {
				other = w - 0.01
			}
			if other < 0 || other > 1 || math.Abs(cur-w) < 0.01 {
				continue
			}
			dd := *d
			dd.Price.Weight = dec(strconvF(other))
			again++
			c2, err := Compare(&dd, CompareOptions{SkipAnalysis: true})
			if err != nil {
				t.Fatal(err)
			}
			if *result(t, c2, o.ID).Score <= *result(t, c2, first.ID).Score {
				t.Fatalf("case %d: at weight %v (w* %v, today %v) %s still scores no more than %s", n, other, w, cur, o.ID, first.ID)
			}
		}
	}
	t.Logf("%d flips (%d compared again past w*), %d without a flip", flips, again, none)
	if flips < 20 || none < 20 || again < 10 {
		t.Fatalf("only %d flips and %d non-flips: the generator does not cover both", flips, none)
	}
}

func strconvF(f float64) string { return strconv.FormatFloat(f, 'f', 6, 64) }
