// Package auth holds the secrets of vendorcompare's accounts: argon2id
// password hashes in the PHC string form, and the random secrets of API
// tokens and setup links, of which only a SHA-256 hash is stored.
//
// It is pure: no SQL, no HTTP. The store keeps the hashes, the web layer and
// the command line make and check them.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters (OWASP's second recommendation): 2 passes over 19 MiB
// with one lane, a 16-byte salt and a 32-byte key.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024 // KiB
	argonThreads = 1
	saltLen      = 16
	keyLen       = 32
)

// testCost is set in a test binary that asked for cheap hashes
// (UseTestCost).
var testCost atomic.Bool

// UseTestCost makes the hashes HashPassword writes cheap (one pass over 64
// KiB) for the rest of a test binary: the web tests sign in hundreds of
// times and spent most of their CPU in argon2id. The parameters travel
// with each hash, so every hash verifies as before. It panics outside a
// test binary, so a server never writes weak hashes.
func UseTestCost() {
	if !testing.Testing() {
		panic("auth: UseTestCost outside a test binary")
	}
	testCost.Store(true)
}

// argonCost is the passes and memory (KiB) of a new hash.
func argonCost() (passes, memory uint32) {
	if testCost.Load() {
		return 1, 64
	}
	return argonTime, argonMemory
}

// Password length limits, in characters. The upper bound keeps hashing a
// submitted form cheap; argon2id itself takes any length (bcrypt would
// silently cut at 72 bytes).
const (
	MinPasswordLen = 12
	MaxPasswordLen = 256
)

// ErrMalformedHash is returned by VerifyPassword for a stored hash that is
// not an argon2id PHC string this package wrote.
var ErrMalformedHash = errors.New("malformed password hash")

// CheckPassword reports a password that is too short or too long, in words
// for the user; nil means it is acceptable.
func CheckPassword(pw string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLen:
		return fmt.Errorf("must be at least %d characters", MinPasswordLen)
	case n > MaxPasswordLen:
		return fmt.Errorf("must be at most %d characters", MaxPasswordLen)
	}
	return nil
}

// HashPassword returns pw's argon2id hash with a fresh random salt, as
// $argon2id$v=19$m=19456,t=2,p=1$SALT$KEY (unpadded standard base64), so
// the parameters travel with the hash and can be raised later.
func HashPassword(pw string) string {
	salt := make([]byte, saltLen)
	_, _ = rand.Read(salt) // crypto/rand.Read never fails (Go ≥ 1.24)
	passes, memory := argonCost()
	key := argon2.IDKey([]byte(pw), salt, passes, memory, argonThreads, keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, memory, passes, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// VerifyPassword reports whether pw matches the encoded hash, comparing in
// constant time with the parameters stored in the hash.
func VerifyPassword(encoded, pw string) (bool, error) {
	parts := strings.Split(encoded, "$")
	// "", "argon2id", "v=19", "m=…,t=…,p=…", salt, key
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return false, ErrMalformedHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, ErrMalformedHash
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 ||
		m > 1<<22 || t > 100 { // refuse absurd costs from a tampered row
		return false, ErrMalformedHash
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) == 0 {
		return false, ErrMalformedHash
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil || len(key) == 0 || len(key) > 1024 {
		return false, ErrMalformedHash
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// dummyHash is a real hash of a random password, made on first use.
var dummyHash = sync.OnceValue(func() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return HashPassword(hex.EncodeToString(b[:]))
})

// VerifyDummy spends the time of one VerifyPassword and reports false. A
// login for an unknown user calls it so that it takes as long as a wrong
// password for a known one: response times do not reveal who has an
// account.
func VerifyDummy(pw string) bool {
	_, _ = VerifyPassword(dummyHash(), pw)
	return false
}

// Token prefixes tell what a secret is for when one turns up in a log or a
// shell history.
const (
	APITokenPrefix   = "vcp_" // a personal API token
	SetupTokenPrefix = "vcs_" // a one-time setup link
	ResetTokenPrefix = "vcr_" // a one-time password reset link
)

// NewSecret returns a new random secret (prefix followed by 32 random bytes
// in unpadded base64url) and its hash, the only form stored.
func NewSecret(prefix string) (secret, hash string) {
	var b [32]byte
	_, _ = rand.Read(b[:])
	secret = prefix + base64.RawURLEncoding.EncodeToString(b[:])
	return secret, HashSecret(secret)
}

// HashSecret returns the hex SHA-256 of a secret. A fast hash is enough:
// the secret has 256 random bits, so it cannot be guessed from its hash.
func HashSecret(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// MaxTokenLifetime bounds an API token's expiry: about five years.
const MaxTokenLifetime = 1826 * 24 * time.Hour

// ParseLifetime reads how long an API token lives: days ("90d"), weeks
// ("12w") or a Go duration ("36h"); "" and "never" mean it never expires
// (0). It must be positive and at most MaxTokenLifetime.
func ParseLifetime(s string) (time.Duration, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	if s == "" || s == "never" {
		return 0, nil
	}
	var d time.Duration
	if n, unit := strings.TrimRight(s, "dw"), strings.TrimLeft(s, "0123456789"); (unit == "d" || unit == "w") && n != "" && len(n)+1 == len(s) {
		v, err := strconv.Atoi(n)
		if err != nil || v > 100_000 {
			return 0, fmt.Errorf("%q: too long", s)
		}
		d = time.Duration(v) * 24 * time.Hour
		if unit == "w" {
			d *= 7
		}
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return 0, fmt.Errorf("%q: want days (90d), weeks (12w), a duration (36h) or never", s)
		}
	}
	switch {
	case d <= 0:
		return 0, fmt.Errorf("%q: must be positive", s)
	case d > MaxTokenLifetime:
		return 0, fmt.Errorf("%q: at most %d days", s, MaxTokenLifetime/(24*time.Hour))
	}
	return d, nil
}
