package ui

import (
	"context"
	"testing"

	"vendorcompare/internal/evaluation"
	"vendorcompare/internal/store"
)

// BenchmarkDashboardTemplate renders the demo dashboard's page from its
// warm view model (the evaluation's dashboard already built and kept):
// what a viewer whose page is not kept yet costs, the first screen, the
// savings table and the break-even stories included (target < 20 ms).
func BenchmarkDashboardTemplate(b *testing.B) {
	ctx := context.Background()
	st, err := store.Open(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if _, err := st.LoadDemo(ctx, "../../../data"); err != nil {
		b.Fatal(err)
	}
	pg, err := st.ListEvaluations(ctx, store.ListParams{})
	if err != nil || len(pg.Items) == 0 {
		b.Fatal(err)
	}
	ev := evaluation.New(st, evaluation.Config{})
	u, err := New(Deps{Store: st, Eval: ev})
	if err != nil {
		b.Fatal(err)
	}
	d, err := ev.Dashboard(ctx, pg.Items[0].ID)
	if err != nil {
		b.Fatal(err)
	}
	user := &store.User{ID: 1, Email: "bench@example.com", Role: store.RoleViewer}
	b.ReportAllocs()
	var size int
	for b.Loop() {
		if _, err := ev.Dashboard(ctx, pg.Items[0].ID); err != nil { // the kept view model, as the handler asks for it
			b.Fatal(err)
		}
		buf, err := u.pages.execute("dashboard", &view{Title: d.Eval.Name, Nav: "evaluations", CSRF: "token", User: user, Data: d})
		if err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
		u.pages.put(buf)
	}
	b.ReportMetric(float64(size)/1024, "KiB/page")
}
