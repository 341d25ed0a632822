package auth

import (
	"strings"
	"testing"
	"time"
)

func TestPassword(t *testing.T) {
	t.Parallel()
	h := HashPassword("correct horse battery")
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q: not the PHC form with the agreed parameters", h)
	}
	if h2 := HashPassword("correct horse battery"); h2 == h {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	t.Run("OK", func(t *testing.T) {
		ok, err := VerifyPassword(h, "correct horse battery")
		if err != nil || !ok {
			t.Fatalf("verify = %v, %v; want true", ok, err)
		}
	})
	t.Run("Wrong", func(t *testing.T) {
		ok, err := VerifyPassword(h, "correct horse battery!")
		if err != nil || ok {
			t.Fatalf("verify = %v, %v; want false", ok, err)
		}
	})
	t.Run("ErrMalformed", func(t *testing.T) {
		for _, bad := range []string{"", "plain", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdA$a2V5",
			"$argon2id$v=19$m=999999999,t=2,p=1$c2FsdA$a2V5", strings.Replace(h, "$v=19$", "$v=18$", 1)} {
			if ok, err := VerifyPassword(bad, "x"); err == nil || ok {
				t.Errorf("VerifyPassword(%q) = %v, %v; want ErrMalformedHash", bad, ok, err)
			}
		}
	})
	if VerifyDummy("anything") {
		t.Error("VerifyDummy reported true")
	}
}

func TestCheckPassword(t *testing.T) {
	t.Parallel()
	if err := CheckPassword("short"); err == nil {
		t.Error("a 5-character password was accepted")
	}
	if err := CheckPassword(strings.Repeat("x", MaxPasswordLen+1)); err == nil {
		t.Error("an over-long password was accepted")
	}
	if err := CheckPassword("twelve chars"); err != nil {
		t.Errorf("a 12-character password was refused: %v", err)
	}
}

func TestSecret(t *testing.T) {
	t.Parallel()
	s, h := NewSecret(APITokenPrefix)
	if !strings.HasPrefix(s, APITokenPrefix) || len(s) != len(APITokenPrefix)+43 {
		t.Fatalf("secret %q: want the prefix and 43 base64url characters", s)
	}
	if h != HashSecret(s) || len(h) != 64 || strings.Contains(h, s) {
		t.Fatalf("hash %q of %q", h, s)
	}
	if s2, _ := NewSecret(APITokenPrefix); s2 == s {
		t.Error("two secrets are equal")
	}
}

func TestParseLifetime(t *testing.T) {
	t.Parallel()
	day := 24 * time.Hour
	for in, want := range map[string]time.Duration{"": 0, "never": 0, " Never ": 0, "90d": 90 * day, "12w": 84 * day, "36h": 36 * time.Hour, "1826d": 1826 * day} {
		if got, err := ParseLifetime(in); err != nil || got != want {
			t.Errorf("ParseLifetime(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"0d", "-5d", "d", "90", "1dw", "1827d", "99999999999d", "soon", "-1h"} {
		if got, err := ParseLifetime(in); err == nil {
			t.Errorf("ParseLifetime(%q) = %v; want an error", in, got)
		}
	}
}

// TestUseTestCost: a test binary may ask for cheap hashes; they carry
// their parameters, so they verify like full-cost ones (and a full-cost
// hash still does).
func TestUseTestCost(t *testing.T) {
	t.Parallel()
	full := HashPassword("correct horse battery")
	UseTestCost()
	t.Cleanup(func() { testCost.Store(false) })
	cheap := HashPassword("correct horse battery")
	if !strings.HasPrefix(cheap, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("cheap hash %q", cheap)
	}
	for _, h := range []string{cheap, full} {
		if ok, err := VerifyPassword(h, "correct horse battery"); err != nil || !ok {
			t.Errorf("verify %s = %v, %v; want true", h[:30], ok, err)
		}
		if ok, err := VerifyPassword(h, "correct horse battery!"); err != nil || ok {
			t.Errorf("verify a wrong password against %s = %v, %v; want false", h[:30], ok, err)
		}
	}
}
