package tco

import (
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

func TestSlug(t *testing.T) {
	t.Parallel()
	taken := map[string]bool{"acme": true, "acme-2": true}
	isTaken := func(id string) bool { return taken[id] }
	for _, c := range []struct {
		name, fallback string
		taken          func(string) bool
		want           string
	}{
		{"Acme Ltd.", "option", nil, "acme-ltd"},
		{"  --Über Care!!  ", "option", nil, "ber-care"},
		{"Acme", "vendor", isTaken, "acme-3"},
		{"ACME", "vendor", nil, "acme"},
		{"***", "vendor", nil, "vendor"},
		{"", "option", nil, "option"},
		{strings.Repeat("ab ", 40), "option", nil, strings.TrimSuffix(strings.Repeat("ab-", 19), "-")},
	} {
		if got := Slug(c.name, c.fallback, c.taken); got != c.want {
			t.Errorf("Slug(%q, %q) = %q, want %q", c.name, c.fallback, got, c.want)
		}
	}
}

// FuzzSlug: whatever the name, the slug is a valid option id and free.
func FuzzSlug(f *testing.F) {
	for _, s := range []string{"Acme Ltd.", "", "éé", strings.Repeat("x", 100), "a--b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if !utf8.ValidString(name) {
			t.Skip()
		}
		taken := map[string]bool{Slug(name, "option", nil): true}
		for range 3 {
			s := Slug(name, "option", func(id string) bool { return taken[id] })
			if !validID(s) || taken[s] {
				t.Fatalf("Slug(%q) = %q: invalid or taken", name, s)
			}
			taken[s] = true
		}
	})
}

func TestChange(t *testing.T) {
	t.Parallel()
	d := decimal.RequireFromString
	if c := Change(d("0"), d("5")); c != nil {
		t.Errorf("from 0: %v, want nil", *c)
	}
	for _, c := range []struct {
		was, now string
		want     float64
	}{{"100", "90", -0.1}, {"200", "250", 0.25}, {"3", "3", 0}, {"-100", "-50", -0.5}} {
		got := Change(d(c.was), d(c.now))
		if got == nil || math.Abs(*got-c.want) > 1e-12 {
			t.Errorf("Change(%s, %s) = %v, want %v", c.was, c.now, got, c.want)
		}
	}
}

func TestFieldPath(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ path, key, want string }{
		{"", "name", "name"},
		{"options[0]", "id", "options[0].id"},
		{"options[0].scores", "csat", "options[0].scores.csat"},
		{"options[0].scores", "first call", `options[0].scores["first call"]`},
		{"options[0].scores", "", `options[0].scores[""]`},
		{"", "a.b", `["a.b"]`},
	} {
		if got := FieldPath(c.path, c.key); got != c.want {
			t.Errorf("FieldPath(%q, %q) = %q, want %q", c.path, c.key, got, c.want)
		}
	}
}
