package ui

import (
	"context"
	"html"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/evaluation"
	"vendorcompare/internal/report"
	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
)

// TestCashRendered renders the demo's dashboard and board pack and finds
// the "cash by fiscal year" table in both: its caption, the fiscal years
// as columns, and per option in ranking order the engine's one-time, run
// rate and total of each year with their sums, the total being the
// option's TCO to the cent.
func TestCashRendered(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.LoadDemo(ctx, "../../../data"); err != nil {
		t.Fatal(err)
	}
	pg, err := st.ListEvaluations(ctx, store.ListParams{})
	if err != nil || len(pg.Items) == 0 {
		t.Fatal(err)
	}
	ev := evaluation.New(st, evaluation.Config{})
	u, err := New(Deps{Store: st, Eval: ev})
	if err != nil {
		t.Fatal(err)
	}
	id := pg.Items[0].ID
	d, err := ev.Dashboard(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	pack, err := ev.BoardPack(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	user := &store.User{ID: 1, Email: "viewer@example.com", Role: store.RoleViewer}
	pages := map[string]*view{
		"dashboard": {Title: d.Eval.Name, Nav: "evaluations", CSRF: "token", User: user, Data: d},
		"print":     {Title: "Board pack: " + d.Eval.Name, Data: pack},
	}
	for name, v := range pages {
		buf, err := u.pages.execute(name, v)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out := buf.String()
		i := strings.Index(out, `<table id="cash-table">`)
		if i < 0 || !strings.Contains(out, `<h2 id="cash-h">Cash by fiscal year</h2>`) {
			t.Fatalf("%s: no cash by fiscal year section", name)
		}
		table := html.UnescapeString(out[i : i+strings.Index(out[i:], "</table>")])
		if !strings.Contains(table, "Fiscal years begin in January; month 0 counts in the first year. One-time: one_time lines, setup and exit fees, lines that end before the last month") {
			t.Errorf("%s: caption missing in\n%s", name, table)
		}
		head := "<th scope=\"col\">Option</th>"
		for _, y := range d.Rows[0].CashByFiscalYear {
			head += `<th scope="col" class="num" title="` + y.From + " to " + y.To + `">` + y.Label + "</th>"
		}
		if !strings.Contains(table, head+`<th scope="col" class="num">Total</th>`) {
			t.Errorf("%s: header is not %s", name, head)
		}
		rest := table
		for _, r := range d.Rows {
			at := strings.Index(rest, r.Name)
			if at < 0 {
				t.Fatalf("%s: %s missing or out of ranking order", name, r.Name)
			}
			rest = rest[at:]
			sum := make([]decimal.Decimal, 3)
			rows := []string{`<tr class="cash-part"><th scope="row">One-time</th>`, `<tr class="cash-part"><th scope="row">Run rate</th>`, `<tr class="cash-total"><th scope="row">Total</th>`}
			for _, y := range r.CashByFiscalYear {
				for k, m := range []any{y.OneTime, y.RunRate, y.Total} {
					rows[k] += `<td class="num">` + report.Money(d.Currency, m, -1) + "</td>"
				}
				sum[0], sum[1], sum[2] = sum[0].Add(y.OneTime.Value), sum[1].Add(y.RunRate.Value), sum[2].Add(y.Total.Value)
			}
			if !sum[2].Equal(r.TCO.Value) {
				t.Errorf("%s: years add up to %s, TCO %s", r.Name, sum[2], r.TCO)
			}
			rows[0] += `<td class="num">` + report.Money(d.Currency, tco.Money{Value: sum[0], Places: r.TCO.Places}, -1) + "</td>"
			rows[1] += `<td class="num">` + report.Money(d.Currency, tco.Money{Value: sum[1], Places: r.TCO.Places}, -1) + "</td>"
			rows[2] += `<td class="num">` + report.Money(d.Currency, r.TCO, -1) + "</td>"
			for _, row := range rows {
				at := strings.Index(rest, row+"</tr>")
				if at < 0 {
					t.Errorf("%s: %s has no row\n%s", name, r.Name, row)
					continue
				}
				rest = rest[at:]
			}
		}
	}
}
