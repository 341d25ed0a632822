package evaluation

import (
	"context"
	"fmt"
	"io"
	"strings"

	"vendorcompare/internal/report/words"
	"vendorcompare/internal/store"
)

// DecisionStatus words where an evaluation stands, for a heading or a
// list cell: "Awarded to Vendor A", "Rejected: Vendor B", "Rejected",
// "Deferred", or "No decision yet" for nil. The option's name is the one
// recorded with the decision, so a deleted option still reads.
func DecisionStatus(d *store.Decision) string {
	if d == nil {
		return "No decision yet"
	}
	switch d.Kind {
	case store.DecisionAward:
		if d.OptionName == "" {
			return "Awarded"
		}
		return "Awarded to " + d.OptionName
	case store.DecisionReject:
		if d.OptionName == "" {
			return "Rejected"
		}
		return "Rejected: " + d.OptionName
	}
	return "Deferred"
}

// DecisionWhen is when a decision was recorded, in UTC to the minute: the
// same words on the pages, the workbook and the report.
func DecisionWhen(d *store.Decision) string {
	return d.DecidedAt.UTC().Format("2006-01-02 15:04 UTC")
}

// firstScreenRationale is how many characters of the decision's rationale
// the dashboard's notice shows above the first screen's answers: with the
// decision's own words, two lines at 1280 px, so that a long rationale
// cannot push the answers below the fold; the Decisions page shows it all.
const firstScreenRationale = 140

// RationaleLead is the decision in force's rationale as the dashboard's
// notice shows it: whole when short, else cut at a word with an ellipsis
// (RationaleCut).
func (d *Dashboard) RationaleLead() string {
	if d.Decision == nil {
		return ""
	}
	s, _ := cutText(d.Decision.Rationale, firstScreenRationale)
	return s
}

// RationaleCut reports whether the notice shows only the start of the
// rationale (and links to the whole).
func (d *Dashboard) RationaleCut() bool {
	if d.Decision == nil {
		return false
	}
	_, cut := cutText(d.Decision.Rationale, firstScreenRationale)
	return cut
}

// Decisions is what the exports say of an evaluation's decisions: the one
// in force (nil when none is recorded) and how many it superseded.
type Decisions struct {
	Current *store.Decision
	Earlier int
}

// decisionsOf reads an evaluation's decisions for an export.
func (s *Service) decisionsOf(ctx context.Context, evalID int64) (Decisions, error) {
	list, err := s.st.ListDecisions(ctx, evalID)
	if err != nil || len(list) == 0 {
		return Decisions{}, err
	}
	return Decisions{Current: &list[0], Earlier: len(list) - 1}, nil
}

// WriteDecision writes the "Decision" section of the text report: the
// decision in force with who recorded it, when and why, and how many
// earlier ones it superseded.
func WriteDecision(w io.Writer, ds Decisions) error {
	var b strings.Builder
	b.WriteString("\nDecision\n")
	d := ds.Current
	if d == nil {
		b.WriteString("  No decision yet.\n")
	} else {
		fmt.Fprintf(&b, "  %s, recorded by %s on %s.\n", DecisionStatus(d), d.DecidedBy, DecisionWhen(d))
		for i, line := range strings.Split(d.Rationale, "\n") {
			lead := "  Why: "
			if i > 0 {
				lead = "       "
			}
			fmt.Fprintf(&b, "%s%s\n", lead, strings.TrimRight(line, "\r "))
		}
		if ds.Earlier > 0 {
			fmt.Fprintf(&b, "  It supersedes %s, listed on the evaluation's Decisions page.\n", words.Count(ds.Earlier, "earlier decision"))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
