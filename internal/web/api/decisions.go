package api

import (
	"context"

	"github.com/labstack/echo/v4"

	"vendorcompare/internal/store"
)

// DecisionRequest is the body of POST /evaluations/{id}/decisions: award
// the service to an option, reject (an option or the proposal), or defer,
// with the rationale the board will read. Decisions are only ever added.
type DecisionRequest struct {
	Kind      string `json:"kind" validate:"required,oneof=award reject defer"`
	OptionID  *int64 `json:"option_id" validate:"required_if=Kind award,omitempty,min=1"`
	Rationale string `json:"rationale" validate:"required,max=5000"`
}

// ListDecisions answers GET /evaluations/{id}/decisions: the evaluation's
// decisions, newest first (the first is the one in force); ?q= searches
// the option's name and the rationale.
func (h *Handlers) ListDecisions(c echo.Context) error {
	return listUnder(c, h.Store.ListDecisions, func(d store.Decision) string { return d.OptionName + " " + d.Rationale })
}

// RecordDecision answers POST /evaluations/{id}/decisions: 201 with the
// decision, recorded by the caller now and audited. Viewers may: the
// leaders who decide need not edit the evaluation.
func (h *Handlers) RecordDecision(c echo.Context) error {
	var req DecisionRequest
	return addUnder(c, &req, "decisions", func(ctx context.Context, actor string, evalID int64) (*store.Decision, int64, error) {
		in := store.DecisionInput{Kind: req.Kind, Rationale: req.Rationale}
		if req.OptionID != nil {
			in.OptionID = *req.OptionID
		}
		d, err := h.Store.RecordDecision(ctx, actor, evalID, in)
		if err != nil {
			return nil, 0, err
		}
		return d, d.ID, nil
	})
}

// GetDecision answers GET /decisions/{id}.
func (h *Handlers) GetDecision(c echo.Context) error {
	return readOne(c, h.Store.GetDecision)
}
