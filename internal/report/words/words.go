// Package words is the one place that puts numbers and units into words
// for people: thousands grouping, plurals, counts, month labels. The
// terminal report (internal/report), the pages, the spreadsheets and the
// engine's messages all use it, so "20,000 companies" reads the same
// everywhere. It imports only the standard library, so that the pure
// engine (internal/tco) may use it too.
package words

import (
	"strconv"
	"strings"
)

// Group puts thousands separators into a plain decimal string:
// "-4071167.36" → "-4,071,167.36", "1000" → "1,000". A leading '-' is
// kept; anything after the first '.' is left alone.
func Group(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	b.Grow(len(sign) + len(s) + len(whole)/3)
	b.WriteString(sign)
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if hasFrac {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// Int groups an integer: 16777216 → "16,777,216".
func Int(n int64) string { return Group(strconv.FormatInt(n, 10)) }

// irregular are the plurals no suffix rule makes.
var irregular = map[string]string{
	"person": "people",
	"child":  "children",
	"man":    "men",
	"woman":  "women",
	"foot":   "feet",
	"tooth":  "teeth",
	"mouse":  "mice",
}

// Plural is a noun or unit of demand in the plural: contact → contacts,
// company → companies, box → boxes, match → matches, person → people. A
// word already ending in s is taken as plural (a unit typed as "calls");
// an empty unit is "units".
func Plural(noun string) string {
	lower := strings.ToLower(noun)
	if p, ok := irregular[lower]; ok {
		return keepCase(noun, p)
	}
	for _, p := range irregular {
		if lower == p {
			return noun
		}
	}
	switch {
	case noun == "":
		return "units"
	case strings.HasSuffix(lower, "s"):
		return noun
	case strings.HasSuffix(lower, "x"), strings.HasSuffix(lower, "z"),
		strings.HasSuffix(lower, "ch"), strings.HasSuffix(lower, "sh"):
		return noun + "es"
	case strings.HasSuffix(lower, "y") && len(lower) > 1 && !isVowel(lower[len(lower)-2]):
		return noun[:len(noun)-1] + "ies"
	}
	return noun + "s"
}

// Singular undoes Plural: contacts → contact, companies → company,
// boxes → box, people → person, units → unit. A word not ending in s is
// returned as it is.
func Singular(noun string) string {
	lower := strings.ToLower(noun)
	for s, p := range irregular {
		if lower == p {
			return keepCase(noun, s)
		}
	}
	switch {
	case strings.HasSuffix(lower, "ies") && len(lower) > 3 && !isVowel(lower[len(lower)-4]):
		return noun[:len(noun)-3] + "y"
	case strings.HasSuffix(lower, "xes"), strings.HasSuffix(lower, "zes"),
		strings.HasSuffix(lower, "ches"), strings.HasSuffix(lower, "shes"):
		return noun[:len(noun)-2]
	case strings.HasSuffix(lower, "ss"):
		return noun
	case strings.HasSuffix(lower, "s"):
		return noun[:len(noun)-1]
	}
	return noun
}

// Count is n with the noun in the right number and n grouped:
// "1 problem", "3 problems", "1,200 companies".
func Count(n int, noun string) string {
	if n == 1 || n == -1 {
		return strconv.Itoa(n) + " " + noun
	}
	return Int(int64(n)) + " " + Plural(noun)
}

// Agree picks the word that agrees with a count: one for 1 (or -1), many
// otherwise, for the verbs and pronouns Count's noun takes: "1 value
// looks … check it", "3 values look … check them".
func Agree(n int, one, many string) string {
	if n == 1 || n == -1 {
		return one
	}
	return many
}

var monthNames = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// Month turns a month of the document, "2027-03", into "Mar 2027";
// anything else is returned as it is.
func Month(ym string) string {
	if len(ym) != 7 || ym[4] != '-' || ym[5] < '0' || ym[5] > '9' || ym[6] < '0' || ym[6] > '9' {
		return ym
	}
	m := int(ym[5]-'0')*10 + int(ym[6]-'0')
	if m < 1 || m > 12 {
		return ym
	}
	return MonthName(m) + " " + ym[:4]
}

// MonthName is the short name of month m, 1 to 12: 3 → "Mar".
func MonthName(m int) string { return monthNames[m-1] }

func isVowel(c byte) bool { return strings.IndexByte("aeiou", c) >= 0 }

// keepCase gives the replacement word a leading capital when the original
// had one ("Person" → "People").
func keepCase(orig, word string) string {
	if orig != "" && orig[0] >= 'A' && orig[0] <= 'Z' {
		return strings.ToUpper(word[:1]) + word[1:]
	}
	return word
}
