package tco

import (
	"strings"

	"github.com/shopspring/decimal"
)

// Comparison is the result of costing an evaluation (spec section 7).
type Comparison struct {
	Currency string          `json:"currency"`
	Baseline string          `json:"baseline"`
	Months   []string        `json:"months"` // labels of months 1..H, YYYY-MM
	Volume   []Number        `json:"volume"` // demand V_m of months 1..H
	Options  []OptionResult  `json:"options"`
	Warnings []string        `json:"warnings"`
	Unit     string          `json:"-"`
	Places   int32           `json:"-"` // minor-unit digits of Currency
	Total    decimal.Decimal `json:"-"` // Σ V_m over 1..H
	// RiskRuns and RiskSeed are what the risk of each option was simulated
	// with (the document's or the request's); 0 and 0 without risk.
	RiskRuns int   `json:"-"`
	RiskSeed int64 `json:"-"`
}

// OptionResult is one option's costing and scores.
type OptionResult struct {
	ID           string           `json:"id"`
	Name         string           `json:"name"`
	Kind         string           `json:"kind"`
	TCO          Money            `json:"tco"`
	PV           Money            `json:"pv"`
	ByCategory   map[string]Money `json:"by_category"`
	Monthly      []MonthCost      `json:"monthly"`
	CostPerUnit  *Fixed           `json:"cost_per_unit"`
	Savings      Savings          `json:"savings"`
	Payback      Payback          `json:"payback"`
	Quality      *float64         `json:"quality"`
	PriceScore   *float64         `json:"price_score"`
	Score        *float64         `json:"score"`
	Status       string           `json:"status"`
	Rank         *int             `json:"rank"`
	KnockedOutBy []string         `json:"knocked_out_by"`
	Missing      []string         `json:"missing"`
	BreakEven    *BreakEven       `json:"break_even"`
	Sensitivity  []Sensitivity    `json:"sensitivity"`
	Risk         *OptionRisk      `json:"risk"`         // spec §9; null without a risk block
	VersusFirst  *VersusFirst     `json:"versus_first"` // spec section 10; nil for the first and for unranked options
	// CashByFiscalYear is the option's cash per fiscal year of the
	// evaluation (fiscal_year_start), one-time costs apart from the run
	// rate; the shape is ours, the spec defines only the setting.
	CashByFiscalYear []FiscalYear `json:"cash_by_fiscal_year"`
	Staffing         []Staffing   `json:"staffing"`
	// Lines holds each cost line's (and the invoice's) rounded monthly
	// amounts, for the finance export; not part of the JSON contract.
	Lines []LineCost `json:"-"`
}

// LineCost is one row of an option's detailed monthly table.
type LineCost struct {
	Name     string
	Category string
	Monthly  []decimal.Decimal // months 0..H, rounded
	Total    decimal.Decimal
	OneTime  bool // a one-time cost (one_time line, setup or exit fee, transition line), not run rate
}

// MonthCost is one row of an option's monthly table.
type MonthCost struct {
	Month      int              `json:"month"`
	Total      Money            `json:"total"`
	ByCategory map[string]Money `json:"by_category"`
}

// Savings of an option against the baseline: baseline minus option.
type Savings struct {
	TCO    Money    `json:"tco"`
	PV     Money    `json:"pv"`
	TCOPct *float64 `json:"tco_pct"` // fraction of the baseline's TCO; null when that is 0
	PVPct  *float64 `json:"pv_pct"`
}

// Payback months, nominal (tco) and discounted (pv); nil when never.
type Payback struct {
	TCO *int `json:"tco"`
	PV  *int `json:"pv"`
}

// BreakEven holds the winner intervals of both views.
type BreakEven struct {
	Monthly []Interval `json:"monthly"`
	Horizon []Interval `json:"horizon"`
	// Reading tells both views in words, alternations below materiality
	// read as about even; for reports and pages, not part of the JSON
	// contract (which keeps the exact intervals). Nil when not solved.
	Reading *BreakEvenReading `json:"-"`
}

// Interval is one stretch [From, To] of volumes with one winner: an option
// id, the baseline id, or "tie".
type Interval struct {
	From   float64 `json:"from"`
	To     float64 `json:"to"`
	Winner string  `json:"winner"`
}

// Sensitivity is one driver of the tornado: the option's savings when the
// driver alone is multiplied by 0.8 and 1.2, and its tipping point.
type Sensitivity struct {
	Driver       string   `json:"driver"`
	Low          Money    `json:"low"`
	High         Money    `json:"high"`
	TippingPoint *float64 `json:"tipping_point"`
}

// Staffing is the heads one capacity of an option needs in each month
// (spec §8): a per_block line's capacity (Source "lines[k]") or the
// per-block pricing's ("pricing"), staffed by workload or to a service
// level. Heads are before minimum_units, 0 outside a line's window and
// before go-live.
type Staffing struct {
	Source string  `json:"source"`
	Method string  `json:"method"`
	Heads  []int64 `json:"heads"` // months 1..H
}

// Money is an amount shown with a fixed number of decimals (the currency's
// minor unit); it marshals as a JSON string.
type Money struct {
	Value  decimal.Decimal
	Places int32
}

// String formats the amount with its decimals.
func (m Money) String() string { return m.Value.StringFixed(m.Places) }

// MarshalJSON writes the amount as a decimal string (digits, a sign and a
// point need no escaping, so it skips encoding/json's string encoder).
func (m Money) MarshalJSON() ([]byte, error) {
	s := m.String()
	b := make([]byte, 0, len(s)+2)
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"'), nil
}

// UnmarshalJSON reads a decimal string or number; Places is taken from it.
func (m *Money) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	d, err := decimal.NewFromString(s)
	if err != nil {
		return err
	}
	m.Value = d
	m.Places = 0
	if i := strings.IndexByte(s, '.'); i >= 0 {
		m.Places = int32(len(s) - i - 1)
	}
	return nil
}

// Fixed is a decimal shown with a fixed number of places as a JSON string
// (cost per unit, 4 places).
type Fixed = Money

// Number is an exact decimal that marshals as a JSON number.
type Number struct{ decimal.Decimal }

// MarshalJSON writes the number without quotes.
func (n Number) MarshalJSON() ([]byte, error) { return []byte(n.Decimal.String()), nil }

// UnmarshalJSON reads a JSON number or decimal string.
func (n *Number) UnmarshalJSON(b []byte) error {
	d, err := decimal.NewFromString(strings.Trim(string(b), `"`))
	if err != nil {
		return err
	}
	n.Decimal = d
	return nil
}
