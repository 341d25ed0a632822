package sheet

import (
	"fmt"
	"strconv"
	"strings"

	"vendorcompare/internal/tco"
)

// sheetHeads is the finance workbook's sheet of heads by month (issue 15).
const sheetHeads = "Staffing"

// Heads sheet layout: a column per capacity from headsFirstCol, described
// in rows headsOptionRow to headsHowRow, months from headsFirstRow.
const (
	headsOptionRow = 4
	headsSourceRow = 5
	headsHowRow    = 6
	headsHeaderRow = 7
	headsFirstRow  = 8 // month 1
	headsFirstCol  = 3
)

// headsNote says how the heads were computed: Erlang C is not a
// spreadsheet formula, so they are values.
const headsNote = "Heads are the application's values, not formulas: staffing to a service level (Erlang C) searches, interval by interval, for the fewest agents that meet the target, which no spreadsheet formula expresses. " +
	"Each month (evaluation spec §8): open days D = open hours × 60 / (interval minutes × K intervals); an interval's traffic A = the month's volume ÷ D × its share of the day's profile × AHT ÷ interval minutes (Erlangs); " +
	"its agents N = the fewest with N > A, A/N ≤ the highest occupancy and service level 1 − C(N, A) × e^(−(N − A) × seconds ÷ (AHT × 60)) ≥ the target (C: Erlang C); " +
	"agent hours = D × ΣN × interval minutes ÷ 60; heads = ceil(agent hours ÷ (paid hours × (1 − shrinkage))). " +
	"Workload heads = ceil(volume × AHT ÷ 60 ÷ (occupancy × (1 − shrinkage) × paid hours)). Heads are before any minimum; the option sheets' amounts are costed from them."

// hasHeads reports whether any option uses a capacity.
func hasHeads(c *tco.Comparison) bool {
	for _, o := range c.Options {
		if len(o.Staffing) > 0 {
			return true
		}
	}
	return false
}

// capacityOf returns the capacity and name of an option's staffing source
// ("lines[k]" or "pricing").
func capacityOf(d *tco.Document, id, source string) (*tco.Capacity, string) {
	o := d.Option(id)
	if o == nil {
		return nil, source
	}
	if source == "pricing" {
		if o.Pricing != nil {
			return o.Pricing.Capacity, "per-FTE invoice"
		}
		return nil, source
	}
	k, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(source, "lines["), "]"))
	if err != nil || k < 0 || k >= len(o.Lines) {
		return nil, source
	}
	return o.Lines[k].Capacity, o.Lines[k].Name
}

// howStaffed says in words how a capacity is staffed.
func howStaffed(c *tco.Capacity, method string) string {
	if c == nil {
		return method
	}
	p := func(x interface{ String() string }) string { return x.String() }
	figures := fmt.Sprintf("AHT %s min, occupancy ≤ %s%%, shrinkage %s%%, %s paid hours", p(c.AHTMinutes),
		c.Occupancy.Shift(2).String(), c.Shrinkage.Shift(2).String(), p(c.PaidHours))
	if method == tco.MethodServiceLevel && c.Staffed() {
		return "service level " + c.ServiceLevelWords() + "; " + figures
	}
	return "average workload; " + figures
}

// writeHeads writes the heads of every capacity by month, as values, with
// the note that says how they were computed.
func writeHeads(w *xw, st exportStyles, d *tco.Document, c *tco.Comparison) {
	g := newGrid()
	g.str(1, 1, "Staffing: heads by month")
	g.style(1, 1, 1, 1, st.title)
	g.str(1, 2, headsNote)
	g.style(1, 2, 1, 2, st.note)
	g.str(2, headsOptionRow, "Option")
	g.str(2, headsSourceRow, "Capacity of")
	g.str(2, headsHowRow, "Staffed by")
	g.str(1, headsHeaderRow, "Month")
	g.str(2, headsHeaderRow, "Label")
	col := headsFirstCol
	for _, o := range c.Options {
		for _, s := range o.Staffing {
			cp, src := capacityOf(d, o.ID, s.Source)
			g.str(col, headsOptionRow, o.Name)
			g.str(col, headsSourceRow, src)
			g.str(col, headsHowRow, howStaffed(cp, s.Method))
			g.str(col, headsHeaderRow, "Heads")
			for m, h := range s.Heads {
				g.num(col, headsFirstRow+m, h)
			}
			col++
		}
	}
	for m := range c.Months {
		g.num(1, headsFirstRow+m, m+1)
		g.str(2, headsFirstRow+m, c.Months[m])
	}
	g.style(1, headsHeaderRow, col-1, headsHeaderRow, st.header)
	g.style(2, headsOptionRow, 2, headsHowRow, st.bold)
	g.width(1, 1, 8)
	g.width(2, 2, 14)
	g.width(headsFirstCol, col-1, 24)
	g.wrapRow(headsHowRow)
	w.printSetup(sheetHeads, headsOptionRow, headsHeaderRow, 2)
	g.flush(w, sheetHeads, nil)
}
