package words

import (
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/quick"
)

func TestPlural(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{"", "units"},
		{"contact", "contacts"},
		{"hour", "hours"},
		{"ticket", "tickets"},
		{"company", "companies"}, // not "companys" (the CLI said so)
		{"box", "boxes"},         // not "boxs" (the dashboard said so)
		{"match", "matches"},
		{"dish", "dishes"},
		{"quiz", "quizes"},
		{"day", "days"}, // a vowel before the y: +s
		{"key", "keys"},
		{"journey", "journeys"},
		{"y", "ys"},
		{"calls", "calls"}, // typed in the plural already
		{"class", "class"},
		{"person", "people"},
		{"people", "people"},
		{"child", "children"},
		{"Person", "People"},
		{"Company", "Companies"},
		{"BOX", "BOXes"},
		{"service request", "service requests"},
		{"delivery", "deliveries"},
	} {
		if got := Plural(c.in); got != c.want {
			t.Errorf("Plural(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSingular(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{"units", "unit"},
		{"contacts", "contact"},
		{"companies", "company"},
		{"boxes", "box"},
		{"matches", "match"},
		{"dishes", "dish"},
		{"days", "day"},
		{"people", "person"},
		{"children", "child"},
		{"cases", "case"},
		{"class", "class"},
		{"contact", "contact"},
		{"deliveries", "delivery"},
	} {
		if got := Singular(c.in); got != c.want {
			t.Errorf("Singular(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestPluralRoundTrip: for any lower-case word that is not itself a plural
// and does not end in e (where "ties" could be "ty" or "tie"), Singular
// undoes Plural.
func TestPluralRoundTrip(t *testing.T) {
	t.Parallel()
	cfg := &quick.Config{MaxCount: 5000}
	letters := "abcdefghijklmnopqrstuvwxyz"
	f := func(seed1, seed2 uint64) bool {
		r := rand.New(rand.NewPCG(seed1, seed2))
		var b strings.Builder
		for range 1 + r.IntN(9) {
			b.WriteByte(letters[r.IntN(len(letters))])
		}
		w := b.String()
		if strings.HasSuffix(w, "s") || strings.HasSuffix(w, "e") || isIrregularPlural(w) {
			return true
		}
		p := Plural(w)
		if got := Singular(p); got != w {
			t.Logf("Plural(%q) = %q, Singular of it = %q", w, p, got)
			return false
		}
		return true
	}
	if err := quick.Check(f, cfg); err != nil {
		t.Error(err)
	}
}

func isIrregularPlural(w string) bool {
	for _, p := range irregular {
		if w == p {
			return true
		}
	}
	return false
}

func TestCount(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		n    int
		noun string
		want string
	}{
		{0, "problem", "0 problems"},
		{1, "problem", "1 problem"},
		{3, "problem", "3 problems"},
		{1, "company", "1 company"},
		{1200, "company", "1,200 companies"},
		{2, "box", "2 boxes"},
	} {
		if got := Count(c.n, c.noun); got != c.want {
			t.Errorf("Count(%d, %q) = %q, want %q", c.n, c.noun, got, c.want)
		}
	}
}

// TestAgree: the verb and pronoun agree with Count's noun, as the
// refusals write them ("1 value looks … check it", "2 values look …").
func TestAgree(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		n    int
		want string
	}{
		{0, "0 values look implausible: check them"},
		{1, "1 value looks implausible: check it"},
		{-1, "-1 value looks implausible: check it"},
		{2, "2 values look implausible: check them"},
		{1500, "1,500 values look implausible: check them"},
	} {
		got := Count(c.n, "value") + " " + Agree(c.n, "looks", "look") + " implausible: check " + Agree(c.n, "it", "them")
		if got != c.want {
			t.Errorf("n=%d: %q, want %q", c.n, got, c.want)
		}
	}
}

func TestGroup(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{"0", "0"},
		{"999", "999"},
		{"1000", "1,000"},
		{"-1000", "-1,000"},
		{"4071167.36", "4,071,167.36"},
		{"-4071167.36", "-4,071,167.36"},
		{"100000.1234567", "100,000.1234567"},
		{"1000000000", "1,000,000,000"},
		{".5", ".5"},
		{"-100", "-100"},
		{"123456", "123,456"},
		{"12345.6789", "12,345.6789"},
	} {
		if got := Group(c.in); got != c.want {
			t.Errorf("Group(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := Int(-16777216); got != "-16,777,216" {
		t.Errorf("Int = %q", got)
	}
}

var grouped = regexp.MustCompile(`^-?\d{1,3}(,\d{3})*(\.\d+)?$`)

// FuzzGroup: any decimal string comes back with its digits unchanged, in
// groups of three from the point, and nothing else changed.
func FuzzGroup(f *testing.F) {
	for _, s := range []string{"0", "1000", "-1234567.89", "12.5", "-0.001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if _, err := strconv.ParseFloat(s, 64); err != nil || strings.ContainsAny(s, "+eEinfINFxXpP_") ||
			strings.HasPrefix(strings.TrimPrefix(s, "-"), ".") || strings.HasSuffix(s, ".") {
			t.Skip()
		}
		g := Group(s)
		if strings.ReplaceAll(g, ",", "") != s {
			t.Errorf("Group(%q) = %q: digits changed", s, g)
		}
		if !grouped.MatchString(g) {
			t.Errorf("Group(%q) = %q: not grouped by three", s, g)
		}
	})
}

func TestMonth(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{"2027-03", "Mar 2027"},
		{"2027-12", "Dec 2027"},
		{"2027-01", "Jan 2027"},
		{"2027-13", "2027-13"},
		{"2027-00", "2027-00"},
		{"2027-3", "2027-3"},
		{"2027-a1", "2027-a1"},
		{"", ""},
	} {
		if got := Month(c.in); got != c.want {
			t.Errorf("Month(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestMonthName(t *testing.T) {
	t.Parallel()
	if got := MonthName(1) + MonthName(12); got != "JanDec" {
		t.Errorf("MonthName: %q", got)
	}
}
