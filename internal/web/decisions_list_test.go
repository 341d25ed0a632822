package web

import (
	"net/http"
	"strings"
	"testing"

	"vendorcompare/internal/store"
)

// TestEvaluationsListDecision: the evaluations list says where each
// evaluation stands: the decision in force, linked to its decisions, or
// "No decision yet".
func TestEvaluationsListDecision(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	ctx := t.Context()
	if res := p.get("/"); res.status != http.StatusOK || !strings.Contains(res.body, ">No decision yet</a>") {
		t.Fatalf("before a decision: %d, no \"No decision yet\"", res.status)
	}
	opts, err := p.st.ListOptions(ctx, p.demoID)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []store.DecisionInput{{Kind: store.DecisionDefer, Rationale: "Wait."}, {Kind: store.DecisionAward, OptionID: opts[1].ID, Rationale: "Cheapest."}} {
		if _, err := p.st.RecordDecision(ctx, "cfo@example.com", p.demoID, in); err != nil {
			t.Fatal(err)
		}
	}
	res := p.get("/")
	contains(t, "the list", res.body, `href="/evaluations/1/decisions" class="badge decision ok" title="Recorded by cfo@example.com on `,
		">Awarded to "+opts[1].Name+"</a>")
	if strings.Contains(res.body, ">Deferred</a>") {
		t.Error("the list shows a superseded decision")
	}
}
