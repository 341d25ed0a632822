package report

import (
	"fmt"
	"math"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/report/words"
	"vendorcompare/internal/tco"
)

// none stands for a value that does not exist (a null score or share).
const none = "—"

// amount formats money with its minor-unit digits and thousands separators.
func amount(m tco.Money) string { return words.Group(m.String()) }

// money formats money with its currency code: "USD 4,071,167.36".
func money(code string, m tco.Money) string { return code + " " + amount(m) }

// volume formats a break-even bound (already rounded to 0.01 by the engine)
// with thousands separators and no trailing zeros: 1000 → "1,000",
// 4416.67 → "4,416.67".
func volume(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Sprint(v)
	}
	return words.Group(decimal.NewFromFloat(v).Round(2).String())
}

// percent formats a fraction as a percentage to one decimal: 0.1015 → "10.2%".
func percent(f *float64) string {
	if f == nil {
		return none
	}
	return oneDecimal(*f*100) + "%"
}

// score formats a score to one decimal, as the pages show them.
func score(f *float64) string {
	if f == nil {
		return none
	}
	return oneDecimal(*f)
}

// oneDecimal rounds half away from zero to one decimal, on the shortest
// decimal that reads back as f: 76.55 shows as 76.6, as a person would
// round it, although the float nearest 76.55 lies just below it.
func oneDecimal(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return fmt.Sprint(f)
	}
	return decimal.NewFromFloat(f).StringFixed(1)
}

// month formats a payback month; nil means the option never pays back.
func month(p *int) string {
	if p == nil {
		return "never"
	}
	return fmt.Sprintf("month %d", *p)
}
