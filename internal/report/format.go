package report

import (
	"fmt"
	"math"
	"strings"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/tco"
)

// none stands for a value that does not exist (a null score or share).
const none = "—"

// group inserts thousands separators into a plain decimal string such as
// "-4071167.36", giving "-4,071,167.36".
func group(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i:]
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/3 + 1)
	b.WriteString(sign)
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	b.WriteString(frac)
	return b.String()
}

// amount formats money with its minor-unit digits and thousands separators.
func amount(m tco.Money) string { return group(m.String()) }

// money formats money with its currency code: "USD 4,071,167.36".
func money(code string, m tco.Money) string { return code + " " + amount(m) }

// volume formats a break-even bound (already rounded to 0.01 by the engine)
// with thousands separators and no trailing zeros: 1000 → "1,000",
// 4416.67 → "4,416.67".
func volume(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Sprint(v)
	}
	return group(decimal.NewFromFloat(v).Round(2).String())
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

// plural gives the plural of a unit of demand: contact → contacts,
// hour → hours, box → boxes.
func plural(unit string) string {
	switch {
	case unit == "":
		return "units"
	case strings.HasSuffix(unit, "s"):
		return unit
	case strings.HasSuffix(unit, "x"), strings.HasSuffix(unit, "ch"), strings.HasSuffix(unit, "sh"):
		return unit + "es"
	default:
		return unit + "s"
	}
}
