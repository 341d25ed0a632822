package tco

import "fmt"

// FiscalYear is one fiscal year of an option's cash: what it pays in the
// months of the horizon that fall in that year, one-time costs (one_time
// lines, setup and exit fees, lines whose window ends before month H) apart
// from the run rate (everything else). Amounts are sums of the rounded
// monthly amounts, so the years add up to the TCO exactly.
type FiscalYear struct {
	// Label names the year: FY2027 when fiscal years are calendar years,
	// else FY2026/27 (the year that begins in 2026 and ends in 2027).
	Label string `json:"label"`
	// From and To are the first and last month of the horizon in the year,
	// YYYY-MM; month 0 (at signing) counts in month 1's year.
	From    string `json:"from"`
	To      string `json:"to"`
	OneTime Money  `json:"one_time"`
	RunRate Money  `json:"run_rate"`
	Total   Money  `json:"total"`
}

// FiscalYearOf returns the calendar year in which the fiscal year holding
// calendar month (year, month 1..12) begins, for fiscal years that begin in
// month start (1..12).
func FiscalYearOf(year, month, start int) int {
	if month < start {
		return year - 1
	}
	return year
}

// FiscalLabel names the fiscal year that begins in calendar year y: FY2027
// when fiscal years begin in January, else FY2026/27.
func FiscalLabel(y, start int) string {
	if start == 1 {
		return fmt.Sprintf("FY%d", y)
	}
	return fmt.Sprintf("FY%d/%02d", y, (y+1)%100)
}

// fiscalYears splits an option's cost into fiscal years of the document's
// fiscal_year_start, in order.
func (e *engine) fiscalYears(oc *optionCost) []FiscalYear {
	m := e.m
	start := e.d.FiscalStart()
	out := []FiscalYear{}
	var once, run int64
	cur := -1
	flush := func() {
		n := len(out) - 1
		out[n].OneTime, out[n].RunRate, out[n].Total = e.money(m.amount(once)), e.money(m.amount(run)), e.money(m.amount(once+run))
		once, run = 0, 0
	}
	for mo := 0; mo <= m.h; mo++ {
		label := m.labels[max(mo, 1)-1] // month 0 belongs to month 1's year
		y, c, _ := ParseMonth(label)
		fy := FiscalYearOf(y, c, start)
		if fy != cur {
			if cur >= 0 {
				flush()
			}
			cur = fy
			out = append(out, FiscalYear{Label: FiscalLabel(fy, start), From: label})
		}
		out[len(out)-1].To = label
		for _, it := range oc.items {
			if len(it.monthly) == 0 {
				continue
			}
			if it.oneTime {
				once += it.monthly[mo]
			} else {
				run += it.monthly[mo]
			}
		}
	}
	flush()
	return out
}
