package evaluation

import (
	"context"
	"errors"
	"strings"

	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
)

// BoardPack is the board pack: a first page that stands alone on one A4
// landscape sheet (what is recommended, by how much, the margin, what would
// change it, how sure, what was decided and a place to sign), then an
// appendix with the detail of the dashboard. Page 1 reuses the first
// screen's sentences (first.go) and the "how sure" view model
// (howsure.go), so the pack never says something the dashboard does not.
type BoardPack struct {
	*Dashboard
	Status string // DecisionStatus of the decision in force
	AsOf   string // the evaluation's last change, the date its figures hold for
	// Who, Why and Change are the first screen's answers (nil when it
	// has none): who wins and by how much, the margin and the weight
	// flip, and what would change the answer.
	Who, Why, Change *FirstAnswer
	// ChangeLines is what would change the answer, nearest first, at most
	// three, without the weight flip when the margin already says it.
	ChangeLines []string
	Risk        *HowSure // nil without a risk block
	// Top is the ranking's first PageOneRows rows; More how many follow
	// in the appendix.
	Top  []*OptionRow
	More int
	// Rationale is the decision's rationale cut to fit page 1 (Cut: the
	// whole text is in the appendix).
	Rationale string
	Cut       bool
	Decisions []store.Decision // every decision, newest first, for the appendix
}

// PageOneRows is how many options page 1 lists; the rest are counted and
// follow in the appendix, so that page 1 stays one page.
const PageOneRows = 5

// pageOneRationale is how many characters of a rationale fit page 1 beside
// everything else (about five lines of its box).
const pageOneRationale = 300

// BoardPack builds the board pack of evaluation id. With a risk block it
// waits for the simulation (made once per version): a printed page cannot
// fill in later. A simulation the evaluation cannot run (over the work
// budget) leaves the risk line saying why.
func (s *Service) BoardPack(ctx context.Context, id int64) (*BoardPack, error) {
	d, err := s.Dashboard(ctx, id)
	if err != nil {
		return nil, err
	}
	list, err := s.st.ListDecisions(ctx, id)
	if err != nil {
		return nil, err
	}
	var r *Risk
	if d.Doc.Risk != nil {
		r, err = s.Risk(ctx, id)
		var fe tco.Errors
		if errors.As(err, &fe) {
			err = nil
		}
		if err != nil {
			return nil, err
		}
	}
	return NewBoardPack(d, list, r), nil
}

// NewBoardPack arranges dashboard d, its decisions (newest first) and its
// simulation r (nil when none) for paper. Pure: the tests call it.
func NewBoardPack(d *Dashboard, decisions []store.Decision, r *Risk) *BoardPack {
	p := &BoardPack{Dashboard: d, AsOf: d.Eval.UpdatedAt.UTC().Format("2 January 2006"), Decisions: decisions}
	var current *store.Decision
	if len(decisions) > 0 {
		current = &decisions[0]
	}
	p.Status = DecisionStatus(current)
	if d.First != nil {
		for i := range d.First.Answers {
			a := &d.First.Answers[i]
			switch a.Key {
			case "who":
				p.Who = a
			case "why":
				p.Why = a
			case "change":
				p.Change = a
			}
		}
	}
	if p.Change != nil {
		said := map[string]bool{}
		if p.Why != nil {
			for _, s := range p.Why.Points {
				said[s] = true
			}
		}
		for _, s := range append([]string{p.Change.Lead}, p.Change.Points...) {
			if s != "" && !said[s] && len(p.ChangeLines) < 3 {
				p.ChangeLines = append(p.ChangeLines, s)
			}
		}
	}
	if d.Doc.Risk != nil {
		p.Risk = NewHowSure(d, r, r != nil)
	}
	p.Top = d.Rows
	if len(p.Top) > PageOneRows {
		p.Top, p.More = p.Top[:PageOneRows], len(p.Top)-PageOneRows
	}
	if current != nil {
		p.Rationale, p.Cut = cutText(current.Rationale, pageOneRationale)
	}
	return p
}

// Current is the decision in force, nil when none is recorded.
func (p *BoardPack) Current() *store.Decision {
	if len(p.Decisions) == 0 {
		return nil
	}
	return &p.Decisions[0]
}

// DecidedWhen is when a decision was recorded, as the pack prints it.
func (p *BoardPack) DecidedWhen(d store.Decision) string { return DecisionWhen(&d) }

// DecisionStatusOf words a decision of the history.
func (p *BoardPack) DecisionStatusOf(d store.Decision) string { return DecisionStatus(&d) }

// cutText shortens s to at most n characters at a word boundary, with an
// ellipsis, and reports whether it cut.
func cutText(s string, n int) (string, bool) {
	r := []rune(s)
	if len(r) <= n {
		return s, false
	}
	cut := string(r[:n])
	if i := strings.LastIndexAny(cut, " \n"); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " \n.,;:") + "…", true
}

// SignOff is who signs page 1, one block each with name, role, date and a
// signature line.
func (p *BoardPack) SignOff() []string {
	return []string{"Prepared by", "Reviewed by", "Approved by"}
}
