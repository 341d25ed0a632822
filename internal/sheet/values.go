package sheet

import (
	"math"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// Bounds of a number read from a bid, as the engine's decoder has them.
const (
	maxNumberLen    = 40 // characters of a number as written
	maxFraction     = 15 // digits after the point
	excelPrecision  = 15 // significant digits Excel keeps
	maxMonthWritten = 100000
)

var limit = decimal.New(1, 15) // |x| < 1e15

const msgNumber = "must be a number, such as 1234.50 or 3%"

// parseNumber reads a decimal as a person writes it ("1234.50", "-0.05",
// ".5", "3%": a trailing '%' divides by 100) or as a spreadsheet stores it
// ("1.5E-2"). fromSheet says the text is a stored spreadsheet number: a
// double has only about 15 significant digits, so 0.63000000000000012 is
// read as 0.63 there. It returns the number, or a message saying what is
// wrong. s must already be trimmed and not empty.
func parseNumber(s string, fromSheet bool) (decimal.Decimal, string) {
	if len(s) > maxNumberLen {
		return decimal.Zero, "is too long to be a number"
	}
	pct := false
	if strings.HasSuffix(s, "%") {
		pct = true
		s = strings.TrimSpace(strings.TrimSuffix(s, "%"))
	}
	if strings.ContainsRune(s, ',') {
		return decimal.Zero, msgNumber
	}
	var d decimal.Decimal
	switch {
	case plainDecimal(s):
		var err error
		if d, err = decimal.NewFromString(s); err != nil {
			return decimal.Zero, msgNumber
		}
		if fromSheet && significant(s) > excelPrecision {
			d = roundSignificant(d)
		}
	case scientific(s):
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || math.Abs(f) >= 1e15 {
			return decimal.Zero, "is too large"
		}
		d = roundSignificant(decimal.NewFromFloat(f))
	default:
		return decimal.Zero, msgNumber
	}
	if pct {
		d = d.Shift(-2)
	}
	if d.Abs().GreaterThanOrEqual(limit) {
		return decimal.Zero, "is too large"
	}
	if -d.Exponent() > maxFraction {
		if !fromSheet {
			return decimal.Zero, "must have at most 15 decimal places"
		}
		d = d.Round(maxFraction)
	}
	return d, ""
}

// plainDecimal reports whether s is [+-]digits[.digits] or [+-].digits.
func plainDecimal(s string) bool {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	digits, dot := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !dot:
			dot = true
		default:
			return false
		}
	}
	return digits > 0
}

// scientific reports whether s is a plain decimal followed by an exponent,
// as spreadsheets store very small or large numbers ("1.5E-2").
func scientific(s string) bool {
	i := strings.IndexAny(s, "eE")
	if i <= 0 || !plainDecimal(s[:i]) {
		return false
	}
	exp := s[i+1:]
	if exp != "" && (exp[0] == '+' || exp[0] == '-') {
		exp = exp[1:]
	}
	if exp == "" || len(exp) > 3 {
		return false
	}
	for i := 0; i < len(exp); i++ {
		if exp[i] < '0' || exp[i] > '9' {
			return false
		}
	}
	return true
}

// significant counts the significant digits of a plain decimal: leading
// zeros, and trailing zeros after the point, do not count.
func significant(s string) int {
	s = strings.TrimLeft(s, "+-")
	if strings.ContainsRune(s, '.') {
		s = strings.TrimRight(s, "0")
	}
	s = strings.TrimLeft(strings.Replace(s, ".", "", 1), "0")
	return len(s)
}

// roundSignificant rounds d to the 15 significant digits a double holds.
func roundSignificant(d decimal.Decimal) decimal.Decimal {
	if d.IsZero() {
		return d
	}
	f, _ := d.Float64()
	r, err := decimal.NewFromString(strconv.FormatFloat(f, 'g', excelPrecision, 64))
	if err != nil {
		return d
	}
	return r
}

// parseWhole reads a whole number (a month): "3", "3.0" or a stored "3".
func parseWhole(s string, fromSheet bool) (int, string) {
	d, msg := parseNumber(s, fromSheet)
	if msg != "" || !d.IsInteger() || d.Abs().GreaterThan(decimal.NewFromInt(maxMonthWritten)) {
		return 0, "must be a whole number of months"
	}
	return int(d.IntPart()), ""
}

// keyword normalises a chosen value: lower case, spaces and hyphens as
// underscores ("All units" is all_units).
func keyword(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.NewReplacer(" ", "_", "-", "_").Replace(s)
}

// Neutralise makes a text value safe to open in a spreadsheet: a value that
// starts with '=', '+', '-', '@', a tab or a carriage return would be read
// as a formula (CSV injection), so it gets a leading apostrophe. Numbers the
// export writes as numbers never pass through here.
func Neutralise(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// unNeutralise undoes Neutralise on a value the form wrote itself.
func unNeutralise(s string) string {
	if len(s) > 1 && s[0] == '\'' && Neutralise(s[1:]) != s[1:] {
		return s[1:]
	}
	return s
}

// maxFilename is the length limit of SafeFilename's result.
const maxFilename = 100

// SafeFilename turns a name into a file name safe in a Content-Disposition
// header and on any file system: ASCII letters, digits, '-', '_' and '.'
// only (anything else becomes '_', runs collapse), no leading dot, at most
// 100 bytes with the extension kept; "export" when nothing is left.
func SafeFilename(name string) string {
	var b strings.Builder
	under := false
	for _, r := range name {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.'
		if !ok {
			if !under && b.Len() > 0 {
				b.WriteByte('_')
			}
			under = true
			continue
		}
		b.WriteRune(r)
		under = false
	}
	s := strings.Trim(b.String(), "._")
	for strings.Contains(s, "..") || strings.Contains(s, "_.") || strings.Contains(s, "._") {
		s = strings.NewReplacer("..", ".", "_.", ".", "._", ".").Replace(s)
	}
	if len(s) > maxFilename {
		ext := ""
		if i := strings.LastIndexByte(s, '.'); i > 0 && len(s)-i <= 10 {
			ext = s[i:]
		}
		s = strings.TrimRight(s[:maxFilename-len(ext)], "._") + ext
	}
	if s == "" || s[0] == '.' {
		return "export" + s
	}
	return s
}
