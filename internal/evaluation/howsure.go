package evaluation

import (
	"fmt"
	"math"

	"vendorcompare/internal/report"
	"vendorcompare/internal/report/words"
	"vendorcompare/internal/tco"
)

// HowSure is the dashboard's "how sure" panel (spec §9) and the one line
// of the leaders' first screen: what the simulation says in words, each
// share with its sampling error, and each option's savings distribution
// beside its deterministic figure. Built per request from the cached
// dashboard and simulation (a few options: nothing worth keeping).
type HowSure struct {
	ID       int64 // the evaluation, for the workspace link and the fragment's address
	Has      bool  // the document has a risk block
	Ready    bool  // the simulation is made (else the page fetches it)
	Runs     int
	Seed     int64
	Currency string
	Basis    string // "PV" or "TCO", as the dashboard's
	// Sentence is the headline in words: "Vendor A saves money in 91% of
	// 2,000 simulated futures and comes out first in 64%."
	Sentence string
	// Line is the first screen's answer: the sentence and its precision.
	Line     string
	More     []string // the other alternatives' sentences
	Note     string   // how precise the shares are, and that the drivers are independent
	Rows     []HowSureRow
	Warnings []string
	Problem  string // why there is no simulation (over the work budget, say)
	chart    howSureChart
}

// HowSureRow is one option's simulated savings and shares, in ranking order.
type HowSureRow struct {
	Name, Short   string
	Colour        int
	Baseline      bool
	Ranked        bool
	Savings       tco.Money // the deterministic savings on the price basis (§2)
	P10, P50, P90 tco.Money
	Mean          tco.Money
	PSaves        float64 // share of futures with savings > 0
	PFirst        float64 // share of futures in which it ranks first
	Saves, First  string  // each share with its sampling error: "91% ±1.1"
	Words         string  // the option's sentence
}

// howSureChart is the distribution chart's data for static/js/howsure.js:
// amounts as float64, only to position the bars (the table prints the
// exact figures).
type howSureChart struct {
	Currency string          `json:"currency"`
	Basis    string          `json:"basis"`
	Options  []howSureSpread `json:"options"`
	First    []howSureFirst  `json:"first"` // the ranked options, the baseline included
}

type howSureFirst struct {
	Label  string  `json:"label"`
	Colour int     `json:"colour"`
	P      float64 `json:"p"`
}

type howSureSpread struct {
	Label  string  `json:"label"`
	Colour int     `json:"colour"`
	P10    float64 `json:"p10"`
	P50    float64 `json:"p50"`
	P90    float64 `json:"p90"`
	Today  float64 `json:"today"` // the deterministic savings
}

// Chart is the distribution chart's data, for a <script
// type="application/json"> (html/template writes it as JSON there).
func (h *HowSure) Chart() any { return h.chart }

// RunsText is the runs in words: "2,000".
func (h *HowSure) RunsText() string { return words.Int(int64(h.Runs)) }

// NewHowSure arranges the simulation r of dashboard d's evaluation: with
// ready false (not made yet) the panel says it is computing, with no risk
// block it says so. Pure: the tests call it directly.
func NewHowSure(d *Dashboard, r *Risk, ready bool) *HowSure {
	h := &HowSure{ID: d.ID, Has: d.Doc.Risk != nil, Currency: d.Currency, Basis: d.Basis}
	if !h.Has {
		h.Line = "How sure: not simulated; the evaluation has no risk settings."
		return h
	}
	h.Runs, h.Seed = d.Doc.Risk.Runs, d.Doc.Risk.Seed
	if !ready || r == nil {
		h.Line = fmt.Sprintf("How sure: simulating %s futures…", h.RunsText())
		return h
	}
	h.Ready, h.Runs, h.Seed, h.Warnings = true, r.Runs, r.Seed, r.Warnings
	h.chart = howSureChart{Currency: d.Currency, Basis: d.Basis}
	for _, row := range d.Rows {
		k := r.Options[row.ID]
		if k == nil {
			continue
		}
		hr := HowSureRow{Name: row.Name, Short: row.Short, Colour: row.Colour, Baseline: row.Baseline,
			Ranked: row.Status == tco.StatusRanked, Savings: row.Savings,
			P10: k.Savings.P10, P50: k.Savings.P50, P90: k.Savings.P90, Mean: k.Savings.Mean,
			PSaves: k.PSaves, PFirst: k.PFirst, Saves: report.Share(k.PSaves, h.Runs), First: report.Share(k.PFirst, h.Runs)}
		if hr.Ranked {
			h.chart.First = append(h.chart.First, howSureFirst{Label: row.Short, Colour: row.Colour, P: k.PFirst})
		}
		if !row.Baseline {
			hr.Words = report.HowSure(sentenceName(row.Name), k.PSaves, k.PFirst, h.Runs)
			h.chart.Options = append(h.chart.Options, howSureSpread{Label: row.Short, Colour: row.Colour,
				P10: k.Savings.P10.Value.InexactFloat64(), P50: k.Savings.P50.Value.InexactFloat64(),
				P90: k.Savings.P90.Value.InexactFloat64(), Today: row.Savings.Value.InexactFloat64()})
		}
		h.Rows = append(h.Rows, hr)
	}
	if len(h.Rows) == 0 {
		h.Ready = false
		h.Problem = "The simulation gave no figures."
		if len(r.Warnings) > 0 {
			h.Problem = r.Warnings[len(r.Warnings)-1]
		}
		h.Line = "How sure: no figures; see the risk panel."
		return h
	}
	h.Note = report.RiskNote(h.Runs)
	h.Sentence, h.Line = h.headline(d)
	for _, row := range h.Rows {
		if row.Words != "" && row.Words != h.Sentence {
			h.More = append(h.More, row.Words)
		}
	}
	return h
}

// headline is the panel's sentence about the deterministic winner (the
// option most often first when none is ranked) and the first screen's
// line with the larger sampling error of its shares.
func (h *HowSure) headline(d *Dashboard) (sentence, line string) {
	row := h.row(d.Winner)
	if row == nil {
		row = &h.Rows[0]
		for i := range h.Rows {
			if h.Rows[i].PFirst > row.PFirst {
				row = &h.Rows[i]
			}
		}
	}
	n := h.RunsText()
	errPts := math.Max(report.SamplingError(row.PSaves, h.Runs), report.SamplingError(row.PFirst, h.Runs))
	precision := fmt.Sprintf(" (±%s points at 90%% confidence)", oneDecimal(errPts*100))
	if !row.Baseline {
		sentence = row.Words
		return sentence, "How sure: " + sentence[:len(sentence)-1] + precision + "."
	}
	// the baseline ranks first: how often it stays first, and how often
	// the best alternative would save money anyway
	sentence = fmt.Sprintf("%s comes out first in %s of %s simulated futures.", sentenceName(row.Name), report.SharePct(row.PFirst), n)
	errPts = report.SamplingError(row.PFirst, h.Runs)
	if alt := h.row(d.bestAlternative()); alt != nil {
		sentence = fmt.Sprintf("%s comes out first in %s of %s simulated futures; the best alternative, %s, saves money in %s.",
			sentenceName(row.Name), report.SharePct(row.PFirst), n, sentenceName(alt.Name), report.SharePct(alt.PSaves))
		errPts = math.Max(errPts, report.SamplingError(alt.PSaves, h.Runs))
	}
	precision = fmt.Sprintf(" (±%s points at 90%% confidence)", oneDecimal(errPts*100))
	return sentence, "How sure: " + sentence[:len(sentence)-1] + precision + "."
}

// row is the panel's row of dashboard row r, or nil.
func (h *HowSure) row(r *OptionRow) *HowSureRow {
	if r == nil {
		return nil
	}
	for i := range h.Rows {
		if h.Rows[i].Name == r.Name && h.Rows[i].Baseline == r.Baseline {
			return &h.Rows[i]
		}
	}
	return nil
}

// oneDecimal is x to one decimal: "1.8".
func oneDecimal(x float64) string { return fmt.Sprintf("%.1f", x) }
