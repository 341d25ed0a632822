package tco

import (
	"strconv"
	"strings"
)

// Slug makes an id that validID accepts from a name a person typed: lower
// case a-z and 0-9, other runs of characters as one '-', at most 56
// characters so that a "-N" suffix still fits in 64; fallback when nothing
// is left ("Acme Ltd." → "acme-ltd"). taken, when not nil, reports an id
// already in use: the slug then gets the first free suffix -2, -3, …
// Options made on the pages and from a bid form share it, so the same name
// gets the same id either way.
func Slug(name, fallback string, taken func(id string) bool) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.Trim(b.String(), "-")
	if len(s) > 56 {
		s = strings.Trim(s[:56], "-")
	}
	if s == "" {
		s = fallback
	}
	if taken == nil {
		return s
	}
	out := s
	for n := 2; taken(out); n++ {
		out = s + "-" + strconv.Itoa(n)
	}
	return out
}
