package evaluation

import (
	"math"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/report"
	"vendorcompare/internal/tco"
)

// savingsSeries is one option's cumulative savings against the baseline
// by month, for static/js/charts.js: the lines of cumulative cost lie on
// top of one another, their differences do not.
type savingsSeries struct {
	Label   string    `json:"label"`
	Colour  int       `json:"colour"`
	Ranked  bool      `json:"ranked"`
	Data    []float64 `json:"data"`
	Payback *int      `json:"payback"` // index into labels: the month it crosses zero for good
	Note    string    `json:"note"`    // "pays back Feb 2028"
}

type savingsChart struct {
	Labels []string        `json:"labels"`
	Series []savingsSeries `json:"series"`
}

// savings fills the cumulative savings table: the baseline's cumulative
// cost minus each option's, month by month (exact decimals; the baseline's
// column is zero and left out of the chart).
func (d *Dashboard) savings(rows []*OptionRow) {
	base := -1
	for i, r := range rows {
		if r.Baseline {
			base = i
		}
	}
	d.Savings.Labels = d.Cumulative.Labels
	if base < 0 {
		return
	}
	d.Savings.Rows = make([][]decimal.Decimal, len(d.Cumulative.Rows))
	for m, row := range d.Cumulative.Rows {
		out := make([]decimal.Decimal, len(row))
		for i, c := range row {
			out[i] = row[base].Sub(c)
		}
		d.Savings.Rows[m] = out
	}
}

// savingsChart is the chart of d.Savings, one line per option but the
// baseline, its payback month marked (nominal: the cumulative savings are
// not discounted).
func (d *Dashboard) savingsChart(rows []*OptionRow) savingsChart {
	c := savingsChart{Labels: d.Savings.Labels, Series: []savingsSeries{}}
	for i, r := range rows {
		if r.Baseline || d.Savings.Rows == nil {
			continue
		}
		s := savingsSeries{Label: r.Short, Colour: r.Colour, Ranked: r.Status == tco.StatusRanked, Payback: r.OptionResult.Payback.TCO}
		for _, m := range d.Savings.Rows {
			s.Data = append(s.Data, round2(f64(m[i])))
		}
		if s.Payback != nil && *s.Payback >= len(s.Data) {
			s.Payback = nil
		}
		if s.Payback != nil {
			s.Note = "pays back " + d.Savings.Labels[*s.Payback]
			if *s.Payback == 0 {
				s.Note = "saves from the start"
			}
		}
		c.Series = append(c.Series, s)
	}
	return c
}

// readBands reads the cheapest-option bands of the break-even chart with
// the evaluation's materiality (tco.ReadIntervals): a run of bands in
// which the cheapest and the next cheapest stay within the monthly
// threshold of each other, while the cheapest changes, reads about even.
func (d *Dashboard) readBands(rows []*OptionRow) {
	bands := d.BreakEven.Bands
	if len(bands) < 2 {
		return
	}
	t := d.monthlyThreshold(rows)
	iv := make([]tco.Interval, len(bands))
	near := make([]bool, len(bands))
	for k, b := range bands {
		iv[k] = tco.Interval{From: b.From, To: b.To, Winner: ""}
		if b.Index >= 0 {
			iv[k].Winner = rows[b.Index].ID
		}
		near[k] = t > 0 && b.Index >= 0 && d.withinBand(rows, b, t)
	}
	d.BreakEven.Reading = tco.ReadIntervals(iv, near)
	d.BreakEven.Threshold = t
}

// monthlyThreshold is the monthly view's materiality in money: the
// engine's (the same for every option: a share of the baseline's steady
// month), else the share of the baseline's curve at the forecast.
func (d *Dashboard) monthlyThreshold(rows []*OptionRow) float64 {
	for _, r := range rows {
		if r.BreakEven != nil && r.BreakEven.Reading != nil {
			return r.BreakEven.Reading.MonthlyThreshold.Value.InexactFloat64()
		}
	}
	for i, r := range rows {
		if r.Baseline && d.curves[i] != nil {
			return d.Doc.MaterialityShare().InexactFloat64() * d.curves[i].At(d.BreakEven.Forecast)
		}
	}
	return 0
}

// withinBand reports whether, at 17 volumes across band b, some other
// eligible option costs within t of the cheapest: the two are about even
// there.
func (d *Dashboard) withinBand(rows []*OptionRow, b band, t float64) bool {
	for k := 0; k <= 16; k++ {
		v := b.From + (b.To-b.From)*float64(k)/16
		w := d.curves[b.Index].At(v)
		next := math.Inf(1)
		for i, r := range rows {
			if i != b.Index && r.Status != tco.StatusKnockedOut {
				next = math.Min(next, d.curves[i].At(v))
			}
		}
		if next-w >= t {
			return false
		}
	}
	return true
}

// evenBands are the about-even stretches of the bands, for the chart.
func (d *Dashboard) evenBands() []bandJSON {
	out := []bandJSON{}
	for _, r := range d.BreakEven.Reading {
		if r.Winner == tco.AboutEven {
			out = append(out, bandJSON{From: r.From, To: r.To, Colour: 7,
				Label: "about even " + report.Number(r.From, 0) + "–" + report.Number(r.To, 0)})
		}
	}
	return out
}

// BandStory tells the cheapest option by volume for reading: "Vendor A is
// cheapest up to 6,774 contacts a month; about even from 6,774 to 8,167;
// Vendor B is cheapest above 8,167"; "" without bands.
func (d *Dashboard) BandStory() string {
	if len(d.BreakEven.Reading) == 0 {
		return ""
	}
	return d.storyOf(d.BreakEven.Reading, "cheapest") + "."
}

// pairCrossingJSON is one break-even volume of an option against the
// baseline, drawn where the two lines cross.
type pairCrossingJSON struct {
	V      float64 `json:"v"`
	Cost   float64 `json:"cost"` // the baseline's monthly cost there
	Colour int     `json:"colour"`
	N      int     `json:"n"` // its number on the chart and in the list under it
	Short  string  `json:"short"`
	Title  string  `json:"title"`
	Text   string  `json:"-"` // for the list under the chart
}

// pairCrossings are the boundaries of every option's monthly break-even
// intervals against the baseline (the engine's exact volumes), each with
// the baseline's monthly cost at it, so the chart labels every crossing.
func (d *Dashboard) pairCrossings(rows []*OptionRow) []pairCrossingJSON {
	out := []pairCrossingJSON{}
	base := -1
	for i, r := range rows {
		if r.Baseline {
			base = i
		}
	}
	if base < 0 || d.curves[base] == nil {
		return out
	}
	for _, r := range rows {
		if r.BreakEven == nil {
			continue
		}
		iv := r.BreakEven.Monthly
		for k := 1; k < len(iv); k++ {
			v := iv[k].From
			out = append(out, pairCrossingJSON{V: v, Cost: round2(d.curves[base].At(v)), Colour: r.Colour,
				Short: report.Number(v, 0), Title: r.Short + " = " + rows[base].Short, Text: r.Short + " costs the same as " + rows[base].Short})
		}
	}
	return out
}
