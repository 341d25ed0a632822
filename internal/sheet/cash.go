package sheet

import (
	"fmt"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"vendorcompare/internal/tco"
)

// sheetCash is the sheet of each option's cash by fiscal year.
const sheetCash = "Cash by fiscal year"

// The cash sheet's layout.
const (
	cashHeader = 4 // header row; years follow
	cashOption = 1
	cashYear   = 2
	cashFrom   = 3
	cashTo     = 4
	cashOnce   = 5
	cashRun    = 6
	cashTotal  = 7
)

// writeCash writes each option's cash by fiscal year (the document's
// fiscal_year_start), one-time costs apart from the run rate. Every amount
// is a formula over the option's monthly table: the year's rows of its
// Total column, and of the columns of its one-time lines (one_time lines,
// setup and exit fees, lines whose window ends before the last month); the
// run rate is the rest. sheets must have their layout.
func writeCash(w *xw, st exportStyles, d *tco.Document, c *tco.Comparison, sheets []*optionSheet) {
	g := newGrid()
	g.str(1, 1, "Cash by fiscal year")
	g.style(1, 1, 1, 1, st.title)
	g.str(1, 2, fmt.Sprintf("Amounts in %s; fiscal years begin in %s; month 0 (signing) counts in the first year. One-time: one_time lines, setup and exit fees, and lines whose window ends before the last month; run rate: the rest. Formulas over each option's sheet.",
		c.Currency, time.Month(d.FiscalStart())))
	g.style(1, 2, 1, 2, st.note)
	for i, hd := range []string{"Option", "Fiscal year", "From", "To", "One-time", "Run rate", "Total"} {
		g.str(i+1, cashHeader, hd)
	}
	index := make(map[string]int, len(c.Months)) // month label → month 1..H
	for i, m := range c.Months {
		index[m] = i + 1
	}
	row := cashHeader
	for _, i := range rankOrder(c) {
		o, sh := &c.Options[i], sheets[i]
		var once []int // columns of the one-time lines
		for j, l := range o.Lines {
			if l.OneTime {
				once = append(once, optFirstLine+j)
			}
		}
		for k, y := range o.CashByFiscalYear {
			row++
			from, to := index[y.From], index[y.To]
			if k == 0 {
				from = 0 // signing
				g.str(cashOption, row, o.Name)
			}
			r0, r1 := optFirstRow+from, optFirstRow+to
			span := func(cc int) string {
				return fmt.Sprintf("%s:$%s$%d", sh.ref(cc, r0), col(cc), r1)
			}
			g.str(cashYear, row, y.Label)
			g.str(cashFrom, row, y.From)
			g.str(cashTo, row, y.To)
			parts := make([]string, len(once))
			for n, cc := range once {
				parts[n] = span(cc)
			}
			fx := "0"
			if len(parts) > 0 {
				fx = "SUM(" + strings.Join(parts, ",") + ")"
			}
			g.formula(cashOnce, row, fx, float(y.OneTime.Value))
			g.formula(cashTotal, row, "SUM("+span(sh.total)+")", float(y.Total.Value))
			g.formula(cashRun, row, fmt.Sprintf("%s-%s", name(cashTotal, row), name(cashOnce, row)), float(y.RunRate.Value))
		}
	}
	g.style(1, cashHeader, cashTotal, cashHeader, st.header)
	g.style(cashOnce, cashHeader+1, cashTotal, row, st.money)
	g.fit(cashOption, 28, 60)
	g.width(cashYear, cashTo, 12)
	g.width(cashOnce, cashTotal, 16)
	g.wrapRow(cashHeader)
	w.printSetup(sheetCash, cashHeader, cashHeader, 0)
	g.flush(w, sheetCash, &excelize.Panes{Freeze: true, YSplit: cashHeader, TopLeftCell: name(1, cashHeader+1), ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: name(1, cashHeader+1), ActiveCell: name(1, cashHeader+1), Pane: "bottomLeft"}}})
}

// versusFirst writes a ranked option's margin against the first on the
// Summary (spec section 10): the score gap and weight flip as the
// application computed them, the price gap as a formula over the Summary's
// totals on the price basis. firstRow is the first option's row.
func versusFirst(g *grid, st exportStyles, d *tco.Document, o *tco.OptionResult, row, firstRow int) {
	v := o.VersusFirst
	if v == nil {
		return
	}
	if v.ScoreGap != nil {
		g.num(sumScoreGap, row, *v.ScoreGap)
	}
	basis := sumPV
	if d.Price.Basis == tco.PriceBasisTCO {
		basis = sumTCO
	}
	g.formula(sumPriceGap, row, fmt.Sprintf("%s%d-$%s$%d", col(basis), row, col(basis), firstRow), float(v.PriceGap.Value))
	if v.WeightFlip != nil {
		g.num(sumFlip, row, *v.WeightFlip)
		g.style(sumFlip, row, sumFlip, row, st.pct)
	} else {
		g.str(sumFlip, row, "none in 0..1")
	}
}
