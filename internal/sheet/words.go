package sheet

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"vendorcompare/internal/tco"
)

// Numbers as people in different locales write them in a CSV. Excel and
// LibreOffice separate values with ';' where the decimal mark is ',' (most
// of Europe), and with ',' elsewhere, where a thousands separator can only
// appear inside quotes ("1,234.50").
var (
	commaThousands = regexp.MustCompile(`^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$`)           // 1,234.50
	dotThousands   = regexp.MustCompile(`^[+-]?\d{1,3}(\.\d{3})+$`)                  // 1.234
	commaDecimal   = regexp.MustCompile(`^[+-]?(\d{1,3}(\.\d{3})+|\d*),\d*$`)        // 1.234,50 or 0,05
	spaceThousands = regexp.MustCompile(`^[+-]?\d{1,3}([  \x{202f}]\d{3})+(,\d*)?$`) // 1 234,50 (French)
)

// localNumber rewrites a number written in a CSV with separator sep into
// the plain form parseNumber reads ("1234.50"), or says what is wrong.
// A trailing '%' is kept. Text that is not number-like at all is returned
// as is, for parseNumber's own message.
func localNumber(s string, sep rune) (string, string) {
	body, pct := strings.CutSuffix(s, "%")
	body = strings.TrimSpace(body)
	suffix := ""
	if pct {
		suffix = "%"
	}
	if sep == ';' {
		switch {
		case spaceThousands.MatchString(body):
			body = strings.NewReplacer(" ", "", " ", "", "\u202f", "").Replace(body)
			return strings.Replace(body, ",", ".", 1) + suffix, ""
		case commaDecimal.MatchString(body):
			return strings.Replace(strings.ReplaceAll(body, ".", ""), ",", ".", 1) + suffix, ""
		case dotThousands.MatchString(body):
			return strings.ReplaceAll(body, ".", "") + suffix, ""
		case strings.ContainsRune(body, '.') && plainDecimal(body):
			return "", "in a file separated by semicolons the decimal mark is a comma: write " + strings.Replace(body, ".", ",", 1)
		}
		return s, ""
	}
	if strings.ContainsRune(body, ',') {
		if commaThousands.MatchString(body) {
			return strings.ReplaceAll(body, ",", "") + suffix, ""
		}
		return "", "must be a number with a decimal point, such as 1234.50 (a comma only separates thousands, as in \"1,234.50\")"
	}
	return s, ""
}

// detectSeparator says whether a CSV bid separates values with ';' (Excel
// and LibreOffice in European locales) or ','. The first row with content
// decides: its section word ("pricing", "tier"…) contains neither, so the
// first of the two outside quotes is the separator.
func detectSeparator(data []byte) rune {
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		quoted := false
		for _, r := range line {
			switch {
			case r == '"':
				quoted = !quoted
			case quoted:
			case r == ',':
				return ','
			case r == ';':
				return ';'
			}
		}
		return ','
	}
	return ','
}

// Dates typed where a month number belongs. Spreadsheets store a date as
// the days since 1899-12-30; no month number of a horizon (at most 600)
// comes near the serials of the years 1927 to 9999.
const (
	minDateSerial = 10000
	maxDateSerial = 2958465
)

var (
	isoDate   = regexp.MustCompile(`^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$`) // 2027-03, 2027-03-01
	dotDate   = regexp.MustCompile(`^(\d{1,2})\.(\d{1,2})\.(\d{4})$`)    // 01.03.2027
	slashDate = regexp.MustCompile(`^(\d{1,2})/(\d{1,2})/(\d{4})$`)      // 3/1/2027 or 1/3/2027
	monthName = regexp.MustCompile(`^(?i)([a-z]{3})[a-z]*[ -](\d{4})$`)  // Mar 2027, March-2027
	monthAbbr = []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}
)

// dateOf reads a value as a date, if it is one: a spreadsheet's date serial
// (fromSheet) or a date as people type it. ok is false for anything else;
// known is false for a date whose month cannot be told (3/4/2027).
func dateOf(s string, fromSheet bool) (year, month int, ok, known bool) {
	if fromSheet {
		if f, err := strconv.ParseFloat(s, 64); err == nil && f >= minDateSerial && f <= maxDateSerial {
			t := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(f))
			return t.Year(), int(t.Month()), true, true
		}
	}
	if m := isoDate.FindStringSubmatch(s); m != nil {
		y, mo := atoi(m[1]), atoi(m[2])
		return y, mo, true, mo >= 1 && mo <= 12
	}
	if m := dotDate.FindStringSubmatch(s); m != nil {
		y, mo := atoi(m[3]), atoi(m[2])
		return y, mo, true, mo >= 1 && mo <= 12
	}
	if m := slashDate.FindStringSubmatch(s); m != nil {
		a, b, y := atoi(m[1]), atoi(m[2]), atoi(m[3])
		switch {
		case a > 12 && b <= 12: // day/month
			return y, b, true, true
		case b > 12 && a <= 12: // month/day
			return y, a, true, true
		case a == b:
			return y, a, true, true
		}
		return y, 0, true, false
	}
	if m := monthName.FindStringSubmatch(s); m != nil {
		for i, n := range monthAbbr {
			if strings.EqualFold(m[1], n) {
				return atoi(m[2]), i + 1, true, true
			}
		}
	}
	return 0, 0, false, false
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// dateMessage explains a date typed where a month number of evaluation d's
// horizon belongs, with the month number it would be.
func dateMessage(s string, fromSheet bool, d *tco.Document) (string, bool) {
	y, mo, ok, known := dateOf(s, fromSheet)
	if !ok {
		return "", false
	}
	msg := "is a date, but this is a month number of the horizon (1 = " + d.Start + ")"
	sy, sm, err := tco.ParseMonth(d.Start)
	if !known || err != nil {
		return msg + ": write the month's number", true
	}
	n := (y-sy)*12 + (mo - sm) + 1
	label := fmt.Sprintf("%04d-%02d", y, mo)
	switch {
	case n < 1:
		return fmt.Sprintf("%s: %s is before the horizon's first month", msg, label), true
	case n > d.HorizonMonths:
		return fmt.Sprintf("%s: %s would be month %d, after the horizon's last month (%d)", msg, label, n, d.HorizonMonths), true
	}
	return fmt.Sprintf("%s: %s is month %d", msg, label, n), true
}

// found quotes the value a problem was found in, for a message.
func found(s string) string {
	if len([]rune(s)) > 40 {
		s = string([]rune(s)[:40]) + "…"
	}
	return fmt.Sprintf(" (found %q)", s)
}

// pageWords puts the engine's field names in a message into the words the
// bid form and the CSV layout show: people see "Pricing model", not "per".
var pageWords = strings.NewReplacer(
	"when per is block", "when the pricing model is block",
	"previous tier's up_to", "previous tier's bound",
	" (or give capacity)", "",
	"use from_month and to_month for a window", "use From month and To month for a window",
	"must not be before from_month", "must not be before the From month",
	"block_size", "block size",
	"zero_at", "Zero score at",
	"full_at", "Full score at",
)

// formWords names an option-relative engine path with the bid form's
// words: "pricing.fx_rate" is "Exchange rate", "lines[2].amount" is
// "line 3, Amount", "pricing.tiers[1].price" is "tier 2, price".
func formWords(path string) string {
	switch path {
	case "", "id", "name":
		return "Vendor name"
	case "pricing.capacity":
		return "Block size"
	}
	if k, ok := strings.CutPrefix(path, "pricing."); ok {
		for _, f := range pricingFields {
			if f.key == k {
				return f.label
			}
		}
		if rest, ok := strings.CutPrefix(k, "tiers["); ok {
			n, field, _ := strings.Cut(rest, "]")
			w := "tier " + strconv.Itoa(atoi(n)+1)
			switch field {
			case ".up_to":
				return w + ", Up to"
			case ".price":
				return w + ", Price"
			}
			return w
		}
	}
	if rest, ok := strings.CutPrefix(path, "lines["); ok {
		n, field, _ := strings.Cut(rest, "]")
		w := "cost line " + strconv.Itoa(atoi(n)+1)
		field = strings.TrimPrefix(field, ".")
		for c, k := range lineKeys {
			if k == field {
				return w + ", " + lineHeaders[c]
			}
		}
		return w
	}
	if k, ok := strings.CutPrefix(path, "scores."); ok {
		return "score of " + k
	}
	if strings.HasPrefix(path, "scores[") {
		return "score of " + strings.TrimSuffix(strings.TrimPrefix(path, "scores["), "]")
	}
	return path
}

// BidPath names a problem the store found in an imported bid (a path of
// the evaluation's document, "options[3].pricing.fx_rate") in the bid
// form's words ("Exchange rate"). Paths outside an option are named "the
// evaluation with this bid".
func BidPath(path string) string {
	rest, ok := strings.CutPrefix(path, "options[")
	_, rel, closed := strings.Cut(rest, "]")
	if !ok || !closed || (rel != "" && rel[0] != '.') {
		return "the evaluation with this bid"
	}
	return formWords(strings.TrimPrefix(rel, "."))
}

// PageWords is pageWords for callers outside the package.
func PageWords(msg string) string { return pageWords.Replace(msg) }
