package tco

import (
	"fmt"
	"math"

	"github.com/shopspring/decimal"
)

// VersusFirst is the margin of the decision between a ranked option and the
// option ranked first (spec section 10).
type VersusFirst struct {
	// ScoreGap is s₁ − s, the first's combined score minus this one's,
	// unrounded; null when the options have no combined score.
	ScoreGap *float64 `json:"score_gap"`
	// PriceGap is P − P₁ on price.basis, in the evaluation currency:
	// negative when this option is cheaper than the first.
	PriceGap Money `json:"price_gap"`
	// WeightFlip is the price weight in [0, 1] at which the two combined
	// scores are equal; null when they never cross in [0, 1] or do not
	// depend on the weight.
	WeightFlip *float64 `json:"weight_flip"`
}

// WeightFlip returns the price weight w* in [0, 1] at which two options'
// combined scores w·S + (1 − w)·Q are equal, given the first's quality q1
// and price score s1 and the other's q and s (all 0..100):
// w* = (q1 − q) / ((q1 − q) − (s1 − s)). It returns nil when the lines are
// parallel (the scores never cross, or are equal at every weight) or cross
// outside [0, 1].
func WeightFlip(q1, s1, q, s float64) *float64 {
	dq, ds := q1-q, s1-s
	den := dq - ds
	if den == 0 {
		return nil
	}
	w := dq / den
	if math.IsNaN(w) || w < 0 || w > 1 {
		return nil
	}
	return &w
}

// margin fills versus_first of every ranked option after the first and
// warns, per ranked option in rank order, when its anchored price score was
// clamped: beyond an anchor a cheaper or dearer total no longer changes the
// score, which a reader would otherwise not see. ranked is in rank order,
// totals are the rounded totals on price.basis. The
// unclamped anchored scores are recomputed here (not in priceScores, which
// risk runs call thousands of times).
func (e *engine) margin(c *Comparison, ranked []int, totals []decimal.Decimal) {
	if len(ranked) == 0 {
		return
	}
	first := &c.Options[ranked[0]]
	p1 := totals[ranked[0]]
	for _, i := range ranked[1:] {
		r := &c.Options[i]
		v := &VersusFirst{PriceGap: e.money(totals[i].Sub(p1))}
		if first.Score != nil && r.Score != nil {
			g := *first.Score - *r.Score
			v.ScoreGap = &g
		}
		// The weight matters only when both a quality and a price score
		// exist; without criteria or price scores there is nothing to flip.
		if first.Quality != nil && r.Quality != nil && first.PriceScore != nil && r.PriceScore != nil {
			v.WeightFlip = WeightFlip(*first.Quality, *first.PriceScore, *r.Quality, *r.PriceScore)
		}
		r.VersusFirst = v
	}
	d := e.d
	pb := totals[e.base]
	if d.Price.Formula != FormulaAnchored || pb.Sign() <= 0 {
		return // no anchors, or no price scores (a warning says why)
	}
	full, zero := d.Price.FullAt, d.Price.ZeroAt
	for _, i := range ranked {
		s := zero.Sub(totals[i].Div(pb)).Div(zero.Sub(full)) // unclamped, as a fraction
		var at, anchor, side string
		switch {
		case s.GreaterThan(one):
			at, anchor, side = "100", "full_at "+d.Price.FullAt.String(), "below"
		case s.Sign() < 0:
			at, anchor, side = "0", "zero_at "+d.Price.ZeroAt.String(), "above"
		default:
			continue
		}
		o := &d.Options[i]
		c.Warnings = append(c.Warnings, fmt.Sprintf(
			"the price score of %s (%s) is clamped at %s: its %s total is %s times the baseline's, %s %s, so price differences beyond the anchors no longer count",
			o.Name, o.ID, at, d.Price.Basis, totals[i].DivRound(pb, 4).String(), side, anchor))
	}
}
