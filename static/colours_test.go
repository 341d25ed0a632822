package static

import (
	"math"
	"os"
	"regexp"
	"strconv"
	"testing"
)

// lab is an sRGB colour "#rrggbb" in CIE L*a*b* (D65).
func lab(t *testing.T, hex string) [3]float64 {
	t.Helper()
	n, err := strconv.ParseUint(hex[1:], 16, 32)
	if err != nil || len(hex) != 7 {
		t.Fatalf("colour %q", hex)
	}
	lin := func(c uint64) float64 {
		x := float64(c&255) / 255
		if x <= 0.04045 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	r, g, b := lin(n>>16), lin(n>>8), lin(n)
	x := (r*0.4124 + g*0.3576 + b*0.1805) / 0.95047
	y := r*0.2126 + g*0.7152 + b*0.0722
	z := (r*0.0193 + g*0.1192 + b*0.9505) / 1.08883
	f := func(v float64) float64 {
		if v > 0.008856 {
			return math.Cbrt(v)
		}
		return 7.787*v + 16.0/116
	}
	return [3]float64{116*f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))}
}

// deltaE is the CIE76 distance: about 2.3 is just noticeable, above 20
// two colours are not taken for one another.
func deltaE(a, b [3]float64) float64 {
	return math.Sqrt((a[0]-b[0])*(a[0]-b[0]) + (a[1]-b[1])*(a[1]-b[1]) + (a[2]-b[2])*(a[2]-b[2]))
}

// TestCategoryColoursDistinct: on the dashboard a cost category never
// reads as an option: every category colour of charts.js is at least
// ΔE 20 from every option colour, and the option swatches of app.css
// (.c0…) are the charts' palette.
func TestCategoryColoursDistinct(t *testing.T) {
	js, err := os.ReadFile("js/charts.js")
	if err != nil {
		t.Fatal(err)
	}
	css, err := os.ReadFile("css/app.css")
	if err != nil {
		t.Fatal(err)
	}
	hexRe := regexp.MustCompile(`#[0-9a-fA-F]{6}`)
	pal := regexp.MustCompile(`const palette = \[([^\]]*)\]`).FindSubmatch(js)
	cats := regexp.MustCompile(`(?s)const categoryColours = \{(.*?)\}`).FindSubmatch(js)
	if pal == nil || cats == nil {
		t.Fatal("no palette or categoryColours in charts.js")
	}
	options := hexRe.FindAllString(string(pal[1]), -1)
	categories := hexRe.FindAllString(string(cats[1]), -1)
	if len(options) != 12 || len(categories) != 5 {
		t.Fatalf("%d option colours, %d category colours", len(options), len(categories))
	}
	// the risk panel's charts draw options in the same colours
	hs, err := os.ReadFile("js/howsure.js")
	if err != nil {
		t.Fatal(err)
	}
	if m := regexp.MustCompile(`const palette = \[([^\]]*)\]`).FindSubmatch(hs); m == nil || string(m[1]) != string(pal[1]) {
		t.Errorf("howsure.js's palette %q is not charts.js's %q", m, pal[1])
	}
	// options never read as one another: ΔE 25 at least between any two
	// (the eight first were 27 apart at the least)
	for i := range options {
		for j := i + 1; j < len(options); j++ {
			if d := deltaE(lab(t, options[i]), lab(t, options[j])); d < 25 {
				t.Errorf("option colours %d (%s) and %d (%s) are ΔE %.1f apart", i, options[i], j, options[j], d)
			}
		}
	}
	for i, o := range options {
		m := regexp.MustCompile(`\.c` + strconv.Itoa(i) + ` \{ background: (#[0-9a-fA-F]{6}); \}`).FindSubmatch(css)
		if m == nil || string(m[1]) != o {
			t.Errorf("app.css .c%d is %q, the charts' option %d is %s", i, m, i, o)
		}
	}
	for _, c := range categories {
		for i, o := range options {
			if d := deltaE(lab(t, c), lab(t, o)); d < 20 {
				t.Errorf("category colour %s is ΔE %.1f from option colour %d (%s)", c, d, i, o)
			}
		}
	}
	for i := range categories {
		for j := i + 1; j < len(categories); j++ {
			if d := deltaE(lab(t, categories[i]), lab(t, categories[j])); d < 10 {
				t.Errorf("categories %s and %s are ΔE %.1f apart", categories[i], categories[j], d)
			}
		}
	}
}
