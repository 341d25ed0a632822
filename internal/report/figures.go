package report

import (
	"fmt"
	"math"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/report/words"
	"vendorcompare/internal/tco"
)

// The figures of the pages and the dashboard's sentences: money with its
// currency sign, compact money, numbers, percentages, scores and months.

// Dash is shown for a missing value.
const Dash = none

// currencySigns are the signs put before an amount; other currencies show
// their ISO code after it.
var currencySigns = map[string]string{"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "CHF": "CHF ", "CAD": "CA$", "AUD": "A$"}

// Decimal reads the numeric types the templates pass; ok is false for nil
// or unknown values. places is the value's own minor-unit digits (-1 when
// it has none).
func Decimal(x any) (d decimal.Decimal, places int32, ok bool) {
	switch v := x.(type) {
	case tco.Money:
		return v.Value, v.Places, true
	case *tco.Money:
		if v == nil {
			return d, 0, false
		}
		return v.Value, v.Places, true
	case decimal.Decimal:
		return v, -1, true
	case *decimal.Decimal:
		if v == nil {
			return d, 0, false
		}
		return *v, -1, true
	case tco.Number:
		return v.Decimal, -1, true
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return d, 0, false
		}
		return decimal.NewFromFloat(v), -1, true
	case *float64:
		if v == nil {
			return d, 0, false
		}
		return Decimal(*v)
	case int:
		return decimal.NewFromInt(int64(v)), 0, true
	case int64:
		return decimal.NewFromInt(v), 0, true
	case *int:
		if v == nil {
			return d, 0, false
		}
		return decimal.NewFromInt(int64(*v)), 0, true
	}
	return d, 0, false
}

// Money writes an amount in the currency: places < 0 keeps the
// amount's own minor-unit digits (2 when it has none), else rounds half
// away from zero to places. A negative amount reads "−€1,200".
func Money(cur string, x any, places int32) string {
	d, own, ok := Decimal(x)
	if !ok {
		return Dash
	}
	if places < 0 {
		places = own
		if places < 0 {
			places = 2
		}
	}
	s := words.Group(d.Abs().StringFixed(places))
	return withCurrency(cur, s, d.Round(places).Sign() < 0)
}

// withCurrency puts the currency's sign (or code) and minus on a grouped
// amount.
func withCurrency(cur, s string, neg bool) string {
	minus := ""
	if neg {
		minus = "−"
	}
	if sign, ok := currencySigns[cur]; ok {
		return minus + sign + s
	}
	if cur == "" {
		return minus + s
	}
	return minus + s + " " + cur
}

// MoneyShort writes an amount compactly for sentences and chart labels:
// "€3.1M", "€450K", "€820".
func MoneyShort(cur string, x any) string {
	d, _, ok := Decimal(x)
	if !ok {
		return Dash
	}
	f := math.Abs(d.InexactFloat64())
	var s string
	switch {
	case f >= 1e9:
		s = fmt.Sprintf("%.1fB", f/1e9)
	case f >= 1e6:
		s = fmt.Sprintf("%.1fM", f/1e6)
	case f >= 1e4:
		s = fmt.Sprintf("%.0fK", f/1e3)
	case f >= 1e3:
		s = fmt.Sprintf("%.1fK", f/1e3)
	default:
		s = fmt.Sprintf("%.0f", f)
	}
	return withCurrency(cur, s, d.Sign() < 0 && f >= 0.5)
}

// Number writes a number with thousands separators and at most
// maxPlaces decimals, trailing zeros dropped: 20000 → "20,000", 749.5 →
// "749.5".
func Number(x any, maxPlaces int32) string {
	d, _, ok := Decimal(x)
	if !ok {
		return Dash
	}
	s := d.Abs().Round(maxPlaces).String()
	out := words.Group(s)
	if d.Round(maxPlaces).Sign() < 0 {
		return "−" + out
	}
	return out
}

// Pct writes a fraction as a percentage with one decimal: 0.1823 →
// "18.2%"; nil → "—".
func Pct(x any) string {
	d, _, ok := Decimal(x)
	if !ok {
		return Dash
	}
	f := d.InexactFloat64() * 100
	s := fmt.Sprintf("%.1f%%", math.Abs(f))
	if math.Round(f*10) < 0 {
		return "−" + s
	}
	return s
}

// Score writes a score with one decimal; nil → "—".
func Score(x any) string {
	d, _, ok := Decimal(x)
	if !ok {
		return Dash
	}
	return fmt.Sprintf("%.1f", d.InexactFloat64())
}
