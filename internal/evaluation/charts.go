package evaluation

import (
	"math"
	"sort"
	"strconv"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/report"
	"vendorcompare/internal/tco"
)

// The JSON each chart kind of static/js/charts.js reads. Amounts are
// float64 here: they only position bars and lines; every figure a reader
// quotes comes from the tables, which print the exact decimals.

type stackedChart struct {
	Labels   []string        `json:"labels"`
	Datasets []stackedSeries `json:"datasets"`
}

type stackedSeries struct {
	Key   string    `json:"key"`
	Label string    `json:"label"`
	Data  []float64 `json:"data"`
}

type breakEvenChart struct {
	Forecast  float64        `json:"forecast"`
	Max       float64        `json:"max"`
	Unit      string         `json:"unit"`
	Series    []curveSeries  `json:"series"`
	Bands     []bandJSON     `json:"bands"`
	Crossings []crossingJSON `json:"crossings"`
	Even      []bandJSON     `json:"even"` // stretches that read about even (savings.go)
	// Pairs are where each option's line crosses the baseline's: the
	// engine's monthly break-even volumes (savings.go).
	Pairs []pairCrossingJSON `json:"pairs"`
}

type curveSeries struct {
	Label    string       `json:"label"`
	Colour   int          `json:"colour"`
	Baseline bool         `json:"baseline"`
	Points   [][2]float64 `json:"points"`
}

type bandJSON struct {
	From   float64 `json:"from"`
	To     float64 `json:"to"`
	Label  string  `json:"label"`
	Colour int     `json:"colour"`
}

type crossingJSON struct {
	V     float64 `json:"v"`
	N     int     `json:"n"` // its number on the chart and in the list under it
	Short string  `json:"short"`
	Text  string  `json:"-"`
}

// Crossing is one numbered mark of the break-even chart and its line in
// the list under the chart: where the cheapest option changes, or where an
// option's line crosses the baseline's. Crossings bunch (nine within 4,300
// contacts a month in the demo), so the chart marks each with its number,
// numbered by volume, and the list says what each is.
type Crossing struct {
	N      int
	Volume string // "6,774"
	Text   string // "Vendor B becomes the cheapest, after Vendor A"
	Colour int    // the option whose line crosses the baseline's; -1 grey
}

type scatterChart struct {
	XTitle string         `json:"xTitle"`
	Points []scatterPoint `json:"points"`
}

type scatterPoint struct {
	Label  string  `json:"label"`
	Colour int     `json:"colour"`
	Status string  `json:"status"`
	X      float64 `json:"x"`
	Y      float64 `json:"y"`
}

type tornadoChart struct {
	Option  string          `json:"option"`
	Base    float64         `json:"base"`
	Drivers []tornadoDriver `json:"drivers"`
}

type tornadoDriver struct {
	Label string  `json:"label"`
	Low   float64 `json:"low"`
	High  float64 `json:"high"`
}

type roundsChartJSON struct {
	Title  string    `json:"title"`
	Colour int       `json:"colour"`
	Labels []string  `json:"labels"`
	Data   []float64 `json:"data"`
}

func f64(x decimal.Decimal) float64 { return x.InexactFloat64() }

// round2 keeps chart JSON short: cents are invisible on a chart.
func round2(x float64) float64 { return math.Round(x*100) / 100 }

// charts fills the JSON of every chart of the dashboard (rows in document
// order, so each option keeps its colour).
func (d *Dashboard) charts(rows []*OptionRow) {
	d.Charts = chartData{Currency: d.Currency, Unit: d.Unit, Charts: map[string]any{}}

	st := stackedChart{}
	for _, r := range d.Rows {
		st.Labels = append(st.Labels, r.Short)
	}
	for ci, cat := range d.Categories {
		s := stackedSeries{Key: cat, Label: CategoryLabel(cat)}
		for _, r := range d.Rows {
			s.Data = append(s.Data, round2(f64(r.Cats[ci].Value)))
		}
		st.Datasets = append(st.Datasets, s)
	}
	d.Charts.Charts["tco"] = st

	be := breakEvenChart{Forecast: d.BreakEven.Forecast, Max: d.BreakEven.Max, Unit: d.Unit,
		Series: []curveSeries{}, Bands: []bandJSON{}, Crossings: []crossingJSON{}}
	vs := make([]float64, 0, breakEvenSamples+1+2*len(d.BreakEven.Bands))
	for k := 0; k <= breakEvenSamples; k++ {
		vs = append(vs, d.BreakEven.Max*float64(k)/breakEvenSamples)
	}
	for i, r := range rows {
		s := curveSeries{Label: r.Short, Colour: r.Colour, Baseline: r.Baseline}
		for _, v := range vs {
			s.Points = append(s.Points, [2]float64{round2(v), round2(d.curves[i].At(v))})
		}
		be.Series = append(be.Series, s)
	}
	for i, b := range d.BreakEven.Bands {
		be.Bands = append(be.Bands, bandJSON{From: b.From, To: b.To, Label: shortName(b.Winner) + " cheapest", Colour: b.Colour})
		if i > 0 {
			text := "the cheapest option changes"
			if w, was := shortName(b.Winner), shortName(d.BreakEven.Bands[i-1].Winner); w != "" && was != "" {
				text = w + " becomes the cheapest, after " + was
			}
			be.Crossings = append(be.Crossings, crossingJSON{V: b.From, Short: report.Number(b.From, 0), Text: text})
		}
	}
	be.Even = d.evenBands()
	be.Pairs = d.pairCrossings(rows)
	d.BreakEven.Crossings = numberCrossings(be.Crossings, be.Pairs)
	d.Charts.Charts["breakEven"] = be
	d.Charts.Charts["savings"] = d.savingsChart(rows)

	sc := scatterChart{XTitle: d.Basis + " total", Points: []scatterPoint{}}
	for _, r := range rows {
		if r.Quality == nil {
			continue
		}
		sc.Points = append(sc.Points, scatterPoint{Label: r.Short, Colour: r.Colour, Status: r.Status, X: round2(f64(r.Cost.Value)), Y: math.Round(*r.Quality*10) / 10})
	}
	d.Charts.Charts["scatter"] = sc

	if t := d.Tornado; t != nil {
		tc := tornadoChart{Option: shortName(t.Name), Base: round2(f64(t.Base.Value))}
		for _, dr := range t.Drivers {
			tc.Drivers = append(tc.Drivers, tornadoDriver{Label: dr.Label, Low: round2(f64(dr.Low.Value)), High: round2(f64(dr.High.Value))})
		}
		d.Charts.Charts["tornado"] = tc
	}
}

// roundsCharts adds each round's total of every vendor with rounds, keyed
// "rounds0", "rounds1", … (RoundsKey).
func (d *Dashboard) roundsCharts() {
	for i, v := range d.Rounds {
		c := roundsChartJSON{Title: shortName(v.Name) + " " + d.Basis, Colour: v.Colour}
		for _, r := range v.Rounds {
			c.Labels = append(c.Labels, RoundLabel(r.Label))
			x := r.PV
			if d.Basis == "TCO" {
				x = r.TCO
			}
			c.Data = append(c.Data, round2(f64(x.Value)))
		}
		d.Charts.Charts[RoundsKey(i)] = c
	}
}

// RoundsKey is the chart key of the i-th vendor's rounds.
func RoundsKey(i int) string { return "rounds" + strconv.Itoa(i) }

// categoryLabels are the cost categories in words.
var categoryLabels = map[string]string{
	tco.CategoryPersonnel:  "Personnel",
	tco.CategoryTechnology: "Technology",
	tco.CategoryOperations: "Operations",
	tco.CategoryExternal:   "External services",
	tco.CategoryVendor:     "Vendor invoice and fees",
}

// CategoryLabel is a category in words.
func CategoryLabel(cat string) string {
	if l, ok := categoryLabels[cat]; ok {
		return l
	}
	return cat
}

// chartColours is how many option colours charts.js, howsure.js and
// app.css (.c0 to .c11) have; an option past them shares a colour.
const chartColours = 12

// numberCrossings numbers the break-even chart's crossings of both kinds
// by volume (the cheapest option's change first at a tie) and returns
// them for the list under the chart.
func numberCrossings(cs []crossingJSON, ps []pairCrossingJSON) []Crossing {
	type mark struct {
		v      float64
		n      *int
		text   string
		colour int
	}
	ms := make([]mark, 0, len(cs)+len(ps))
	for i := range cs {
		ms = append(ms, mark{cs[i].V, &cs[i].N, cs[i].Text, -1})
	}
	for i := range ps {
		ms = append(ms, mark{ps[i].V, &ps[i].N, ps[i].Text, ps[i].Colour % chartColours})
	}
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].v < ms[j].v })
	out := make([]Crossing, len(ms))
	for k, m := range ms {
		*m.n = k + 1
		out[k] = Crossing{N: k + 1, Volume: report.Number(m.v, 0), Text: m.text, Colour: m.colour}
	}
	return out
}
