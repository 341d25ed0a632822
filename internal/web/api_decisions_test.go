package web

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// A decision recorded through the API is in the text export of the
// evaluation (?format=text): the report, then the decision in force with
// who recorded it, when and why.
func TestDecisionInTextExport(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	id := importE2(t, a)
	base := fmt.Sprintf("/api/v1/evaluations/%d", id)
	r := a.must(http.StatusOK, nil, "GET", base+"/export?format=text", nil)
	if ct := r.header.Get("Content-Type"); ct != "text/plain; charset=utf-8" || !strings.HasSuffix(string(r.body), "\nDecision\n  No decision yet.\n") {
		t.Fatalf("before a decision: %s, ends %q", ct, r.body[max(0, len(r.body)-80):])
	}
	a.must(http.StatusCreated, nil, "POST", base+"/decisions", map[string]any{"kind": "reject", "rationale": "Neither quote beats in-house by enough."})
	r = a.must(http.StatusOK, nil, "GET", base+"/export?format=text", nil)
	body := string(r.body)
	if !strings.Contains(body, "\nDecision\n  Rejected, recorded by ") || !strings.Contains(body, "  Why: Neither quote beats in-house by enough.\n") {
		t.Errorf("after a decision, the report ends %q", body[max(0, len(body)-200):])
	}
	if !strings.Contains(r.header.Get("Content-Disposition"), "-report.txt") {
		t.Errorf("Content-Disposition %q", r.header.Get("Content-Disposition"))
	}
	if r := a.call("GET", base+"/export?format=pdf", nil); r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), "must be xlsx, csv, json or text") {
		t.Errorf("?format=pdf: %d %s", r.status, r.body)
	}
}
