package evaluation

import (
	"time"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/tco"
)

// CashPanel is the dashboard's and board pack's "cash by fiscal year"
// table (issue 14): the engine's CashByFiscalYear per option, in ranking
// order, one-time costs apart from the run rate, what a budget holder asks
// first. Amounts stay exact: the years add up to each option's TCO.
type CashPanel struct {
	Start string   // the month fiscal years begin in ("April")
	Years []string // the fiscal years' labels, the table's columns
	// Spans are the years' first and last months ("2027-01 to 2027-12"),
	// by Years, for the columns' titles.
	Spans  []string
	Blocks []CashBlock
}

// CashBlock is one option's rows: one-time, run rate and total.
type CashBlock struct {
	Name     string
	Short    string
	Colour   int
	Baseline bool
	Rows     []CashRow
}

// CashRow is one row of a block: an amount per fiscal year (by
// CashPanel.Years) and their sum.
type CashRow struct {
	Label string // "One-time", "Run rate" or "Total"
	Total bool   // the block's total row
	Years []tco.Money
	Sum   tco.Money
}

// Cash returns the panel, or nil when no option has any fiscal year (none
// could be costed). Built per render from the kept comparison: it is a few
// sums per option.
func (d *Dashboard) Cash() *CashPanel {
	if d == nil || d.Doc == nil || d.Cmp == nil {
		return nil
	}
	p := &CashPanel{Start: time.Month(d.Doc.FiscalStart()).String()}
	col := map[string]int{}
	for _, r := range d.Rows {
		for _, y := range r.CashByFiscalYear {
			if _, ok := col[y.Label]; !ok {
				col[y.Label] = len(p.Years)
				p.Years = append(p.Years, y.Label)
				p.Spans = append(p.Spans, y.From+" to "+y.To)
			}
		}
	}
	for _, r := range d.Rows {
		if len(r.CashByFiscalYear) == 0 {
			continue
		}
		b := CashBlock{Name: r.Name, Short: r.Short, Colour: r.Colour, Baseline: r.Baseline}
		rows := []CashRow{{Label: "One-time"}, {Label: "Run rate"}, {Label: "Total", Total: true}}
		for k := range rows {
			rows[k].Years = make([]tco.Money, len(p.Years))
		}
		sums := make([]decimal.Decimal, 3)
		var places int32
		for _, y := range r.CashByFiscalYear {
			c := col[y.Label]
			for k, m := range []tco.Money{y.OneTime, y.RunRate, y.Total} {
				rows[k].Years[c] = m
				sums[k] = sums[k].Add(m.Value)
				places = max(places, m.Places)
			}
		}
		for k := range rows {
			rows[k].Sum = tco.Money{Value: sums[k], Places: places}
		}
		b.Rows = rows
		p.Blocks = append(p.Blocks, b)
	}
	if len(p.Blocks) == 0 {
		return nil
	}
	return p
}
