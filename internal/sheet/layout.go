package sheet

// The bid form's layout, shared by BidForm (which writes it) and
// ParseBidForm (which reads it back and checks it was not changed).

// FormVersion is written in the form's marker; import refuses another,
// except version 1 (forms made before the marker named their evaluation and
// forecast), which it reads once confirmed.
const FormVersion = "2"

// formMarker is the marker sheet's first cell.
const formMarker = "vendorcompare bid form"

// Sheet names.
const (
	sheetInstructions = "Instructions"
	sheetForecast     = "Forecast"
	sheetPricing      = "Pricing"
	sheetLines        = "Lines"
	sheetQuality      = "Quality"
	sheetMarker       = "_form"
)

// Pricing sheet: one field a row from pricingFirstRow, the key in column
// keyCol and the answer in answerCol; then the tier table.
const (
	pricingFirstRow = 4
	keyCol          = 2 // B
	answerCol       = 3 // C
	tierHeaderRow   = 20
	tierFirstRow    = 21
	maxFormTiers    = 10
	tierUpToCol     = 2 // B
	tierPriceCol    = 3 // C
)

// Lines sheet: one cost line a row from linesFirstRow, columns lineCols.
const (
	linesHeaderRow = 3
	linesFirstRow  = 4
	maxFormLines   = 20
)

// Quality sheet: one criterion a row from qualityFirstRow.
const (
	qualityHeaderRow = 3
	qualityFirstRow  = 4
	qualityKeyCol    = 1 // A
	qualityScoreCol  = 4 // D
)

// fieldKind says how an answer is read, checked and formatted.
type fieldKind int

const (
	kindText     fieldKind = iota
	kindCurrency           // ISO 4217 code
	kindNumber             // decimal ≥ 0
	kindPositive           // decimal > 0
	kindRate               // annual rate > -1, shown as a percentage
	kindMonth              // whole month 1..H
	kindPer                // unit | block
	kindTierMode           // graduated | all_units
)

// field is one answer of the Pricing sheet (or one column of a line).
type field struct {
	key, label, help string
	kind             fieldKind
}

// pricingFields are the Pricing sheet's answers, in row order; their keys
// are the CSV's pricing keys.
var pricingFields = []field{
	{"vendor_name", "Vendor name", "Your company's name, as the quote should be shown.", kindText},
	{"currency", "Quote currency", "ISO 4217 code of the prices below, e.g. USD, EUR, CNY.", kindCurrency},
	{"fx_rate", "Exchange rate", "Evaluation currency per 1 unit of the quote currency; 1 when they are the same.", kindPositive},
	{"per", "Pricing model", "unit: a price per billed unit; block: a price per block (e.g. per FTE).", kindPer},
	{"unit_factor", "Billed units per demand unit", "Converts the forecast's unit to your billed unit (6.5 minutes per contact); 1 when per is block.", kindPositive},
	{"block_size", "Block size", "Only when per is block: demand units one block handles per month.", kindPositive},
	{"tier_mode", "Tier mode", "graduated: each unit at the tier it falls in; all_units: every unit at the tier the month's total falls in.", kindTierMode},
	{"fixed_monthly", "Fixed monthly fee", "Charged every month from go-live, in the quote currency.", kindNumber},
	{"minimum_units", "Minimum billed units", "Per month: fewer units are billed as this many.", kindNumber},
	{"minimum_charge", "Minimum monthly charge", "Per month, on the usage charge before the fixed fee.", kindNumber},
	{"escalation", "Annual price escalation", "E.g. 3% (0.03); applied from month 1 of the horizon.", kindRate},
	{"setup_fee", "Setup fee", "One-off, at signing (month 0).", kindNumber},
	{"exit_fee", "Exit fee", "One-off, in the last month of the horizon.", kindNumber},
	{"from_month", "Go-live month", "Month of the horizon your invoice starts (1 = the first month).", kindMonth},
}

// pricingRow returns the row of a pricing key, or 0.
func pricingRow(key string) int {
	for i, f := range pricingFields {
		if f.key == key {
			return pricingFirstRow + i
		}
	}
	return 0
}

// Columns of a cost line, on the Lines sheet (A..I) and in a CSV line row
// (after the section cell).
const (
	lineName = iota
	lineCategory
	lineBasis
	lineAmount
	lineMonth
	lineFrom
	lineTo
	lineEscalation
	lineBlockSize
	lineColumns
)

// lineHeaders are the Lines sheet's headers; lineKeys the engine's field
// names of the same columns.
var (
	lineHeaders = [lineColumns]string{"Name", "Category", "Basis", "Amount", "Month (one_time)", "From month", "To month", "Annual escalation", "Block size (per_block)"}
	lineKeys    = [lineColumns]string{"name", "category", "basis", "amount", "month", "from_month", "to_month", "escalation", "block_size"}
)

// qualityHeaders are the Quality sheet's column headers, A..D.
var qualityHeaders = []string{"Key", "Criterion", "Scale (best score)", "Your score"}

// Forecast sheet: the table's header row; months follow it.
const forecastHeaderRow = 7

// Service level sheet (issue 15): the buyer's service level, open hours,
// interval and profile, locked (rows staffFirstRow…, key in keyCol, value
// in answerCol), then the vendor's per-FTE figures as answers (rows
// staffAnswerRow…), then the profile table.
const (
	sheetStaffing      = "Service level"
	staffFirstRow      = 4
	staffAnswerHeader  = 11
	staffAnswerRow     = 12
	staffProfileHeader = 18
	staffProfileRow    = 19
)

// staffFields are the buyer's locked fields, in row order.
var staffFields = []field{
	{"service_level_target", "Service level target", "The share of contacts answered within the seconds below (80% in 20 seconds is 80/20).", kindRate},
	{"service_level_seconds", "Answered within (seconds)", "", kindNumber},
	{"open_hours", "Open hours a month", "Hours a month the queue is open (days a week × hours a day × 52 / 12).", kindPositive},
	{"interval_minutes", "Interval (minutes)", "The day is staffed interval by interval (15, 30 or 60 minutes).", kindPositive},
	{"profile_intervals", "Intervals in the day's profile", "How a day's demand spreads over its open intervals: the table below.", kindPositive},
}

// capacityFields are the vendor's per-FTE figures, in row order; their
// keys are the engine's capacity fields and the CSV's capacity keys.
var capacityFields = []field{
	{"aht_minutes", "Average handling time (minutes)", "Minutes one contact takes your agents, talk and wrap-up.", kindPositive},
	{"occupancy", "Highest occupancy", "The busiest share of an interval an agent may be on contacts, e.g. 85%.", kindRate},
	{"shrinkage", "Shrinkage", "Paid time not on the phones: leave, training, breaks, e.g. 30%.", kindRate},
	{"paid_hours", "Paid hours a month per FTE", "E.g. 168.", kindPositive},
}

// capacityRow returns the row of a capacity key on the Service level
// sheet, or 0.
func capacityRow(key string) int {
	for i, f := range capacityFields {
		if f.key == key {
			return staffAnswerRow + i
		}
	}
	return 0
}
