package evaluation

import (
	"context"
	"fmt"

	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
)

// RoundCost is an option costed with one of its rounds, everything else
// unchanged.
type RoundCost struct {
	RoundID  int64       `json:"round_id"`
	Seq      int         `json:"seq"`
	Label    string      `json:"label"`
	Received string      `json:"received"`
	TCO      tco.Money   `json:"tco"`
	PV       tco.Money   `json:"pv"`
	Savings  tco.Savings `json:"savings"` // against the baseline
	// ChangeTCO and ChangePV are the change against the previous round as
	// a fraction of the previous round's total (−0.041: the round cut the
	// total by 4.1%); nil for the first round or when that total is 0.
	ChangeTCO *float64 `json:"change_tco"`
	ChangePV  *float64 `json:"change_pv"`
}

// RoundComparison is an option's rounds side by side.
type RoundComparison struct {
	OptionID int64       `json:"option_id"`
	Slug     string      `json:"slug"`
	Name     string      `json:"name"`
	Currency string      `json:"currency"`
	Rounds   []RoundCost `json:"rounds"`
}

// CompareRounds costs option optionID of evaluation evalID once per round,
// oldest first, and gives each round's change against the previous one.
// An option of another evaluation is the store's ErrNotFound; an
// evaluation the engine cannot cost yet is the store's ErrInvalid with
// the engine's field problems.
func (s *Service) CompareRounds(ctx context.Context, evalID, optionID int64) (*RoundComparison, error) {
	o, err := s.st.GetOption(ctx, optionID)
	if err != nil {
		return nil, err
	}
	if o.EvaluationID != evalID {
		return nil, &store.Error{Code: store.CodeNotFound, Message: "option not found"}
	}
	rounds, err := s.st.ListRounds(ctx, optionID)
	if err != nil {
		return nil, err
	}
	doc, err := s.st.Document(ctx, evalID, nil)
	if err != nil {
		return nil, err
	}
	cmp, err := s.Compare(ctx, doc, tco.CompareOptions{SkipAnalysis: true})
	if err != nil {
		return nil, notComparable(err)
	}
	costs, err := s.costRounds(ctx, doc, cmp, *o, rounds)
	if err != nil {
		return nil, notComparable(err)
	}
	if costs == nil {
		costs = []RoundCost{}
	}
	return &RoundComparison{OptionID: optionID, Slug: o.Slug, Name: o.Name, Currency: cmp.Currency, Rounds: costs}, nil
}

// costRounds is the one costing of quote rounds: option o of doc once per
// round, oldest first, with each round's change against the previous one.
// An earlier round is doc with the option's quote swapped for the round's,
// costed in a comparison slot without the analysis; the current round is
// cmp, the comparison of doc already made.
func (s *Service) costRounds(ctx context.Context, doc *tco.Document, cmp *tco.Comparison, o store.Option, rounds []store.Round) ([]RoundCost, error) {
	idx := -1
	for i := range doc.Options {
		if doc.Options[i].ID == o.Slug {
			idx = i
		}
	}
	if idx < 0 {
		return nil, fmt.Errorf("rounds of %s: not in the document", o.Slug)
	}
	out := make([]RoundCost, len(rounds))
	for k, r := range rounds {
		rc := RoundCost{RoundID: r.ID, Seq: r.Seq, Label: r.Label, Received: r.Received}
		res := &cmp.Options[idx]
		if r.ID != o.RoundID {
			alt := *doc
			alt.Options = append([]tco.Option(nil), doc.Options...)
			opt := alt.Options[idx]
			opt.Pricing = r.Pricing
			opt.Lines = make([]tco.Line, len(r.Lines))
			for i, l := range r.Lines {
				opt.Lines[i] = l.Line
			}
			alt.Options[idx] = opt
			c, err := s.Compare(ctx, &alt, tco.CompareOptions{SkipAnalysis: true})
			if err != nil {
				return nil, fmt.Errorf("cost round %d of %s: %w", r.Seq, o.Slug, err)
			}
			res = &c.Options[idx]
		}
		rc.TCO, rc.PV, rc.Savings = res.TCO, res.PV, res.Savings
		if k > 0 {
			rc.ChangeTCO = tco.Change(out[k-1].TCO.Value, rc.TCO.Value)
			rc.ChangePV = tco.Change(out[k-1].PV.Value, rc.PV.Value)
		}
		out[k] = rc
	}
	return out, nil
}
