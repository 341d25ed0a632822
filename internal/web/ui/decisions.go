package ui

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"vendorcompare/internal/store"
	"vendorcompare/internal/web/edge"
)

// decisionsPage is the data of templates/decisions.html.
type decisionsPage struct {
	Evaluation *store.Evaluation
	Decisions  []store.Decision
	Options    []choice
	Kinds      []choice
	Form       *form
}

// decisionKinds are the kinds of a decision, for the form.
func decisionKinds() []choice {
	return []choice{{store.DecisionAward, "Award to an option"}, {store.DecisionReject, "Reject"}, {store.DecisionDefer, "Defer"}}
}

// Decisions shows an evaluation's decisions, newest first, and the form
// of a new one.
func (p *Handlers) Decisions(c echo.Context) error {
	f := newForm(nil)
	f.Values.Set("kind", store.DecisionAward)
	return p.renderDecisions(c, http.StatusOK, f)
}

func (p *Handlers) renderDecisions(c echo.Context, status int, f *form) error {
	id, err := edge.ID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	e, err := p.store.GetEvaluation(ctx, id)
	if err != nil {
		return err
	}
	list, err := p.store.ListDecisions(ctx, id)
	if err != nil {
		return err
	}
	opts, err := p.store.ListOptions(ctx, id)
	if err != nil {
		return err
	}
	choices := []choice{{"", "— none —"}}
	for _, o := range opts {
		choices = append(choices, choice{strconv.FormatInt(o.ID, 10), o.Name})
	}
	return p.render(c, status, "decisions", view{Title: "Decisions · " + e.Name, Nav: "evaluations",
		Data: decisionsPage{Evaluation: e, Decisions: list, Options: choices, Kinds: decisionKinds(), Form: f}})
}

// RecordDecision records a decision with its rationale; viewers may, as
// the leaders who decide.
func (p *Handlers) RecordDecision(c echo.Context) error {
	id, err := edge.ID(c, "id")
	if err != nil {
		return err
	}
	f, err := postedForm(c)
	if err != nil {
		return err
	}
	in := store.DecisionInput{Kind: f.Get("kind"), Rationale: f.Get("rationale")}
	if v := f.Get("option_id"); v != "" {
		if in.OptionID, err = strconv.ParseInt(v, 10, 64); err != nil || in.OptionID <= 0 {
			f.Fail("option_id", "no such option in this evaluation")
		}
	}
	if !f.HasErrors() {
		_, err = p.store.RecordDecision(c.Request().Context(), edge.User(c).Email, id, in)
		if err != nil && !f.FromError(err, nil) {
			return err
		}
	}
	if f.HasErrors() {
		return p.renderDecisions(c, http.StatusUnprocessableEntity, f)
	}
	return c.Redirect(http.StatusSeeOther, "/evaluations/"+strconv.FormatInt(id, 10)+"/decisions")
}
