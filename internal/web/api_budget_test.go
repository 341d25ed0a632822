package web

import (
	"net/http"
	"strings"
	"testing"
)

// TestAPIBudget is issue 12 defect 1 and issue 11 defect 6 through the
// API: the hostile document (block_size 1, 100 tiers, 5.6M contacts a
// month; once 15 s and 615 MB) is answered 422 by POST /compare, naming the
// block size and what to lower, and refused at import with the same path;
// a document with an amount too large to cost exactly, which /compare
// refuses, is refused at import with its path (it was once stored with
// 201, and its comparison, exports and bid form all answered 422).
func TestAPIBudget(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	hostile := readFile(t, "hostile.json")
	large := strings.Replace(string(readFile(t, "e2.json")), `"amount": 5000,`, `"amount": 20000000000000,`, 1)
	for _, tc := range []struct {
		name, doc, path, words string
	}{
		{"OverBudget", string(hostile), "options[1].pricing.block_size", "break_even_max"},
		{"TooLarge", large, "options[1].lines[4].amount", "too large to cost exactly"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := a.call("POST", "/api/v1/compare", tc.doc)
			if r.status != http.StatusUnprocessableEntity {
				t.Fatalf("compare: %d %.300s", r.status, r.body)
			}
			if msg := errorOf(t, r).Fields[tc.path]; !strings.Contains(msg, tc.words) {
				t.Errorf("compare: %s = %q, want it to name %q", tc.path, msg, tc.words)
			}
			before := a.auditTotal()
			r = a.call("POST", "/api/v1/evaluations/import", tc.doc)
			if r.status != http.StatusUnprocessableEntity {
				t.Fatalf("import: %d %.300s", r.status, r.body)
			}
			if msg := errorOf(t, r).Fields[tc.path]; !strings.Contains(msg, tc.words) {
				t.Errorf("import: %s = %q, want it to name %q", tc.path, msg, tc.words)
			}
			if a.auditTotal() != before {
				t.Error("a refused import wrote to the audit log")
			}
		})
	}
}
