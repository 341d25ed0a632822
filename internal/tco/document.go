// Package tco is the costing engine of vendorcompare: the evaluation document
// (../shared/spec/evaluation.md), its decoding and validation, the monthly
// costing of every option, totals, present value, payback, scores, break-even
// volume intervals and sensitivity.
//
// The package is pure: values in, values out. It imports the standard library
// and github.com/shopspring/decimal only; no SQL, no HTTP, no logging.
//
// Money is exact decimal throughout. The only floating-point arithmetic is the
// fractional powers of monthly escalation, growth and discounting, as the spec
// allows, and the break-even search, whose results are volumes, not money.
package tco

import (
	"github.com/shopspring/decimal"
)

// Timing values: when a month's cost is paid, for discounting.
const (
	TimingEnd   = "end"
	TimingMid   = "mid"
	TimingBegin = "begin"
)

// Escalation modes.
const (
	EscalationAnniversary = "anniversary"
	EscalationMonthly     = "monthly"
)

// Line bases.
const (
	BasisFixed          = "fixed"
	BasisPerUnit        = "per_unit"
	BasisPerBlock       = "per_block"
	BasisOneTime        = "one_time"
	BasisShareOfVendor  = "share_of_vendor"
	PricingPerUnit      = "unit"
	PricingPerBlock     = "block"
	TierModeGraduated   = "graduated"
	TierModeAllUnits    = "all_units"
	PriceBasisPV        = "pv"
	PriceBasisTCO       = "tco"
	FormulaAnchored     = "anchored"
	FormulaLowestRatio  = "lowest_ratio"
	KindInHouse         = "in_house"
	KindVendor          = "vendor"
	KindImprovement     = "improvement"
	CategoryPersonnel   = "personnel"
	CategoryTechnology  = "technology"
	CategoryOperations  = "operations"
	CategoryExternal    = "external"
	CategoryVendor      = "vendor"
	StatusRanked        = "ranked"
	StatusIncomplete    = "incomplete"
	StatusKnockedOut    = "knocked_out"
	WinnerTie           = "tie"
	DriverVolume        = "volume"
	DriverVendorPrice   = "vendor_price"
	DriverPersonnel     = "personnel"
	DriverDiscountRate  = "discount_rate"
	DriverFXRate        = "fx_rate"
	DriverAHT           = "aht"
	MethodWorkload      = "workload"
	MethodServiceLevel  = "service_level"
	defaultCriteriaScal = 10
)

// Categories lists the cost categories in display order; the vendor invoice
// (and setup and exit fees) is the last.
var Categories = []string{CategoryPersonnel, CategoryTechnology, CategoryOperations, CategoryExternal, CategoryVendor}

// LineCategories lists the categories a cost line may have.
var LineCategories = []string{CategoryPersonnel, CategoryTechnology, CategoryOperations, CategoryExternal}

// Document is one evaluation: a make-or-buy decision for one service. After
// Decode every default of the spec has been applied, so each field holds the
// value the engine uses. Documents built in Go must be fully specified and
// should be checked with Validate.
type Document struct {
	Name          string          `json:"name"`
	Currency      string          `json:"currency"`
	Start         string          `json:"start"` // YYYY-MM
	HorizonMonths int             `json:"horizon_months"`
	DiscountRate  decimal.Decimal `json:"discount_rate"` // annual effective
	Timing        string          `json:"timing"`
	Escalation    string          `json:"escalation"`
	Volume        Volume          `json:"volume"`
	Baseline      string          `json:"baseline"`
	Criteria      []Criterion     `json:"criteria"`
	Price         Price           `json:"price"`
	Options       []Option        `json:"options"`
	Risk          *Risk           `json:"risk,omitempty"` // Monte Carlo settings (§9); nil: no risk
	// FiscalYearStart (1..12) and Materiality (0..0.1) are for reading only
	// (spec section 1); nil means the spec's default, so documents that
	// never set them export unchanged. Use FiscalStart and MaterialityShare.
	FiscalYearStart *int             `json:"fiscal_year_start,omitempty"`
	Materiality     *decimal.Decimal `json:"materiality,omitempty"`
}

// Risk asks for the Monte Carlo of spec §9: runs simulated futures drawn
// from seed, each driver a triangular multiplier.
type Risk struct {
	Runs    int         `json:"runs"` // 100..20000
	Seed    int64       `json:"seed"` // 0..2^53−1
	Drivers RiskDrivers `json:"drivers"`
}

// RiskDrivers are the uncertain drivers of spec §9, with §5's meaning; a
// driver left out (nil) is fixed at 1.
type RiskDrivers struct {
	Volume      *Triangular `json:"volume,omitempty"`
	Personnel   *Triangular `json:"personnel,omitempty"`
	AHT         *Triangular `json:"aht,omitempty"`
	VendorPrice *Triangular `json:"vendor_price,omitempty"`
	FXRate      *Triangular `json:"fx_rate,omitempty"`
}

// Triangular is a triangular distribution of a multiplier: 0 ≤ low ≤ mode ≤
// high ≤ 3; all three equal fixes the driver.
type Triangular struct {
	Low  decimal.Decimal `json:"low"`
	Mode decimal.Decimal `json:"mode"`
	High decimal.Decimal `json:"high"`
}

// Defaults of the reading settings (spec section 1).
const DefaultFiscalYearStart = 1

// DefaultMateriality is the share of the baseline's cost below which a
// difference reads as "about even".
var DefaultMateriality = decimal.RequireFromString("0.005")

// FiscalStart returns the calendar month (1..12) the fiscal year begins in.
func (d *Document) FiscalStart() int {
	if d.FiscalYearStart == nil {
		return DefaultFiscalYearStart
	}
	return *d.FiscalYearStart
}

// MaterialityShare returns the materiality share (0..0.1).
func (d *Document) MaterialityShare() decimal.Decimal {
	if d.Materiality == nil {
		return DefaultMateriality
	}
	return *d.Materiality
}

// Volume is the demand forecast.
type Volume struct {
	Unit        string            `json:"unit"`
	Monthly     decimal.Decimal   `json:"monthly"` // base demand per month, before seasonality
	Growth      decimal.Decimal   `json:"growth"`  // annual, applied like escalation
	Seasonality []decimal.Decimal `json:"seasonality"`
}

// Criterion is one weighted quality criterion.
type Criterion struct {
	Key     string           `json:"key"`
	Name    string           `json:"name"`
	Weight  decimal.Decimal  `json:"weight"`
	Scale   decimal.Decimal  `json:"scale"`
	Minimum *decimal.Decimal `json:"minimum,omitempty"` // knock-out threshold
}

// Price says how an option's total becomes a price score.
type Price struct {
	Weight  decimal.Decimal `json:"weight"`
	Basis   string          `json:"basis"`
	Formula string          `json:"formula"`
	FullAt  decimal.Decimal `json:"full_at"`
	ZeroAt  decimal.Decimal `json:"zero_at"`
}

// Option is the baseline, a vendor quote or an improvement option.
type Option struct {
	ID          string                     `json:"id"`
	Name        string                     `json:"name"`
	Kind        string                     `json:"kind,omitempty"`
	VolumeShare decimal.Decimal            `json:"volume_share"`
	Lines       []Line                     `json:"lines"`
	Pricing     *Pricing                   `json:"pricing,omitempty"`
	Scores      map[string]decimal.Decimal `json:"scores"`
}

// Line is one cost line of an option.
type Line struct {
	Name        string           `json:"name"`
	Category    string           `json:"category"`
	Basis       string           `json:"basis"`
	Amount      decimal.Decimal  `json:"amount"`
	BlockSize   *decimal.Decimal `json:"block_size,omitempty"`
	Capacity    *Capacity        `json:"capacity,omitempty"`
	Month       *int             `json:"month,omitempty"`      // one_time only, 0..H
	FromMonth   *int             `json:"from_month,omitempty"` // recurring window, 1..H inclusive
	ToMonth     *int             `json:"to_month,omitempty"`
	Escalation  decimal.Decimal  `json:"escalation"`
	VolumeShare *decimal.Decimal `json:"volume_share,omitempty"` // overrides the option's
}

// Capacity derives the people a volume needs from staffing parameters.
// Without ServiceLevel it is a workload block (units one person handles a
// month): occupancy × (1 − shrinkage) × paid_hours × 60 / aht_minutes. With
// it, people are staffed interval by interval to the service level (spec
// §8, Erlang C) and occupancy is the highest an interval may run at.
type Capacity struct {
	AHTMinutes      decimal.Decimal   `json:"aht_minutes"`
	Occupancy       decimal.Decimal   `json:"occupancy"`
	Shrinkage       decimal.Decimal   `json:"shrinkage"`
	PaidHours       decimal.Decimal   `json:"paid_hours"`
	ServiceLevel    *ServiceLevel     `json:"service_level,omitempty"`
	OpenHours       *decimal.Decimal  `json:"open_hours,omitempty"`       // hours a month the queue is open
	IntervalMinutes int               `json:"interval_minutes,omitempty"` // 15, 30 or 60; 0 without ServiceLevel
	Profile         []decimal.Decimal `json:"profile,omitempty"`          // weights of a day's open intervals, in order
}

// ServiceLevel is a staffing target: the share Target of contacts answered
// within Seconds (80/20 is 0.8 and 20).
type ServiceLevel struct {
	Target  decimal.Decimal `json:"target"`
	Seconds decimal.Decimal `json:"seconds"`
}

// Staffed reports whether the capacity is staffed to a service level.
func (c *Capacity) Staffed() bool { return c != nil && c.ServiceLevel != nil }

// Pricing is a vendor's invoice model.
type Pricing struct {
	Currency      string           `json:"currency"`
	FXRate        decimal.Decimal  `json:"fx_rate"` // evaluation currency per unit of quote currency
	Per           string           `json:"per"`
	UnitFactor    decimal.Decimal  `json:"unit_factor"`
	BlockSize     *decimal.Decimal `json:"block_size,omitempty"`
	Capacity      *Capacity        `json:"capacity,omitempty"`
	Tiers         []Tier           `json:"tiers"`
	TierMode      string           `json:"tier_mode"`
	FixedMonthly  decimal.Decimal  `json:"fixed_monthly"`
	MinimumUnits  decimal.Decimal  `json:"minimum_units"`
	MinimumCharge decimal.Decimal  `json:"minimum_charge"`
	Escalation    decimal.Decimal  `json:"escalation"`
	SetupFee      decimal.Decimal  `json:"setup_fee"`
	ExitFee       decimal.Decimal  `json:"exit_fee"`
	FromMonth     int              `json:"from_month"` // go-live, 1..H
}

// Tier is one price tier; UpTo is nil on the last tier only.
type Tier struct {
	UpTo  *decimal.Decimal `json:"up_to,omitempty"`
	Price decimal.Decimal  `json:"price"`
}

// Option returns the option with the given id, or nil.
func (d *Document) Option(id string) *Option {
	for i := range d.Options {
		if d.Options[i].ID == id {
			return &d.Options[i]
		}
	}
	return nil
}

// Block returns the block size of a capacity in units per person-month:
// occupancy × (1 − shrinkage) × paid_hours × 60 / aht_minutes, to 16
// decimal places (block counts use the exact ratio, see blocks).
func (c Capacity) Block() decimal.Decimal {
	return c.Occupancy.Mul(decimal.NewFromInt(1).Sub(c.Shrinkage)).Mul(c.PaidHours).Mul(decimal.NewFromInt(60)).DivRound(c.AHTMinutes, 16)
}
