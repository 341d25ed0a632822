package store

import (
	"context"
	"strings"
	"testing"
)

// TestAuditPlan: an audit page finds its ids in a narrow index, whatever
// the filter, so neither an entity filter nor a deep offset reads the
// log's wide rows (migration 00004); the scale run measures the effect.
func TestAuditPlan(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, err := Open(ctx, t.TempDir(), WithReaders(1))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, tc := range []struct{ where, index string }{
		{``, "audit_id"},
		{`WHERE 1 = 1 AND entity = 'vendor'`, "audit_entity"},
		{`WHERE 1 = 1 AND evaluation_id = 7`, "audit_evaluation"},
	} {
		rows, err := s.reader.QueryContext(ctx, `EXPLAIN QUERY PLAN SELECT id FROM audit `+tc.where+` ORDER BY id DESC LIMIT 50 OFFSET 5000`)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		got := strings.Join(plan, "; ")
		if !strings.Contains(got, "COVERING INDEX "+tc.index) || strings.Contains(got, "TEMP B-TREE") {
			t.Errorf("%q: plan %q, want a walk of the covering index %s without a sort", tc.where, got, tc.index)
		}
	}
}
