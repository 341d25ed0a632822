package evaluation

import "testing"

// TestPluralUnit: the dashboard's unit follows report/words (it said
// "boxs" before).
func TestPluralUnit(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"box": "boxes", "company": "companies", "contact": "contacts", "": "units", "day": "days"} {
		if got := PluralUnit(in); got != want {
			t.Errorf("PluralUnit(%q) = %q, want %q", in, got, want)
		}
	}
}
