package ui

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"vendorcompare/internal/evaluation"
	"vendorcompare/internal/tco"
	"vendorcompare/internal/web/edge"
)

// monthlyPage is the data of templates/monthly.html: one option's cost by
// month (rows) and category or line (columns), with totals that add up to
// the option's TCO exactly (every amount is rounded to the minor unit once,
// in the engine, and only added here).
type monthlyPage struct {
	ID       int64
	Name     string // the evaluation's
	Option   *tco.OptionResult
	Currency string
	Lines    bool // columns are cost lines, not categories
	Columns  []monthlyColumn
	Rows     []monthlyRow
	Totals   []tco.Money  // per column
	Total    tco.Money    // = Option.TCO
	Others   []optionLink // the evaluation's other options
}

type monthlyColumn struct {
	Label    string
	Category string
}

type monthlyRow struct {
	Label string
	Cells []tco.Money
	Total tco.Money
}

type optionLink struct {
	ID      int64
	Name    string
	Current bool
}

// Monthly shows an option's monthly table:
// GET /evaluations/:id/options/:option/monthly[?lines=1].
func (u *Handlers) Monthly(c echo.Context) error {
	id, err := edge.ID(c, "id")
	if err != nil {
		return err
	}
	optID, err := edge.ID(c, "option")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	opts, err := u.store.ListOptions(ctx, id)
	if err != nil {
		return err
	}
	slug := ""
	p := &monthlyPage{ID: id, Lines: c.QueryParam("lines") == "1"}
	for _, o := range opts {
		p.Others = append(p.Others, optionLink{ID: o.ID, Name: o.Name, Current: o.ID == optID})
		if o.ID == optID {
			slug = o.Slug
		}
	}
	if slug == "" {
		return echo.NewHTTPError(http.StatusNotFound, "this evaluation has no such option")
	}
	e, err := u.store.GetEvaluation(ctx, id)
	if err != nil {
		return err
	}
	cmp, err := u.eval.Comparison(ctx, id, nil, tco.CompareOptions{SkipAnalysis: true})
	if err != nil {
		return u.notReady(c, err)
	}
	p.Name, p.Currency = e.Name, cmp.Currency
	for i := range cmp.Options {
		if cmp.Options[i].ID == slug {
			p.Option = &cmp.Options[i]
		}
	}
	if p.Option == nil {
		return echo.NewHTTPError(http.StatusNotFound, "this evaluation has no such option")
	}
	p.fill(cmp.Months)
	return u.render(c, http.StatusOK, "monthly", view{Title: "Monthly costs: " + p.Option.Name, Nav: "evaluations", Data: p})
}

// fill builds the table from the option's per-line monthly amounts.
func (p *monthlyPage) fill(months []string) {
	o := p.Option
	type col struct {
		monthlyColumn
		lines []int // indexes into o.Lines
	}
	var cols []col
	if p.Lines {
		for _, cat := range tco.Categories {
			for i, l := range o.Lines {
				if l.Category == cat {
					cols = append(cols, col{monthlyColumn{l.Name, cat}, []int{i}})
				}
			}
		}
	} else {
		for _, cat := range tco.Categories {
			var idx []int
			for i, l := range o.Lines {
				if l.Category == cat {
					idx = append(idx, i)
				}
			}
			if len(idx) > 0 {
				cols = append(cols, col{monthlyColumn{evaluation.CategoryLabel(cat), cat}, idx})
			}
		}
	}
	for _, c := range cols {
		p.Columns = append(p.Columns, c.monthlyColumn)
	}
	h := len(o.Monthly) - 1
	places := o.TCO.Places
	money := func(x decimal.Decimal) tco.Money { return tco.Money{Value: x, Places: places} }
	p.Total = money(decimal.Zero)
	p.Totals = make([]tco.Money, len(cols))
	for ci := range p.Totals {
		p.Totals[ci] = money(decimal.Zero)
	}
	for m := 0; m <= h; m++ {
		r := monthlyRow{Label: "Setup (month 0)", Cells: make([]tco.Money, len(cols)), Total: money(decimal.Zero)}
		if m > 0 && m-1 < len(months) {
			r.Label = monthLabel(months[m-1])
		}
		for ci, c := range cols {
			var v decimal.Decimal
			for _, li := range c.lines {
				v = v.Add(o.Lines[li].Monthly[m])
			}
			r.Cells[ci] = money(v)
			r.Total.Value = r.Total.Value.Add(v)
			p.Totals[ci].Value = p.Totals[ci].Value.Add(v)
		}
		p.Total.Value = p.Total.Value.Add(r.Total.Value)
		p.Rows = append(p.Rows, r)
	}
}
