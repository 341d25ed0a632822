package web

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
)

// TestSessionCodec: sessions round-trip through the compact layout, equal
// sessions encode equally, anything else goes through gob and still
// round-trips, and sessions gob wrote (before this codec) still load.
func TestSessionCodec(t *testing.T) {
	t.Parallel()
	c := sessionCodec{}
	deadline := time.Date(2026, 11, 27, 18, 30, 0, 123456789, time.UTC)
	for _, values := range []map[string]any{
		{},
		{"user_id": int64(42)},
		{"user_id": int64(-1), "flash": "Saved: «Vendor A» €1,234.56", "ok": true, "no": false, "": ""},
	} {
		b, err := c.Encode(deadline, values)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, sessionMagic) {
			t.Errorf("%v: not the compact layout", values)
		}
		again, _ := c.Encode(deadline, values)
		if !bytes.Equal(b, again) {
			t.Errorf("%v: two encodings differ", values)
		}
		d, v, err := c.Decode(b)
		if err != nil || !d.Equal(deadline) || !reflect.DeepEqual(v, values) {
			t.Errorf("round trip of %v: %v %v %v", values, d, v, err)
		}
	}
	// another type: gob, both ways
	other := map[string]any{"user_id": int64(7), "when": 3.5}
	b, err := c.Encode(deadline, other)
	if err != nil || bytes.HasPrefix(b, sessionMagic) {
		t.Fatalf("a float value was not handed to gob: %v", err)
	}
	if d, v, err := c.Decode(b); err != nil || !d.Equal(deadline) || !reflect.DeepEqual(v, other) {
		t.Errorf("gob round trip: %v %v %v", d, v, err)
	}
	// a session gob wrote before
	old, err := scs.GobCodec{}.Encode(deadline, map[string]any{"user_id": int64(9)})
	if err != nil {
		t.Fatal(err)
	}
	if _, v, err := c.Decode(old); err != nil || v["user_id"] != int64(9) {
		t.Errorf("a gob session: %v %v", v, err)
	}
	// malformed compact data is an error, never a panic
	good, _ := c.Encode(deadline, map[string]any{"user_id": int64(42), "s": "abc"})
	for i := len(sessionMagic); i < len(good); i++ {
		if _, _, err := c.Decode(good[:i]); err == nil {
			t.Errorf("truncated at %d of %d: no error", i, len(good))
		}
	}
	if _, _, err := c.Decode(append(bytes.Clone(good), 0)); err == nil {
		t.Error("a trailing byte: no error")
	}
}

// FuzzSessionCodec: Decode never panics on any stored bytes, and what it
// accepts in the compact layout encodes back to a session that decodes
// the same.
func FuzzSessionCodec(f *testing.F) {
	c := sessionCodec{}
	good, _ := c.Encode(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), map[string]any{"user_id": int64(42), "s": "x", "b": true})
	f.Add(good)
	f.Add([]byte("vc1"))
	f.Add([]byte("vc1\x00\xff\xff\xff\xff\x0f"))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, v, err := c.Decode(b)
		if err != nil || !bytes.HasPrefix(b, sessionMagic) {
			return
		}
		b2, err := c.Encode(d, v)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		d2, v2, err := c.Decode(b2)
		if err != nil || !d2.Equal(d) || !reflect.DeepEqual(v2, v) {
			t.Fatalf("re-encoded session differs: %v %v %v", d2, v2, err)
		}
	})
}

// BenchmarkSessionCodec is a signed-in request's session work, decoding
// at load and encoding at commit, with this codec and with scs's gob.
func BenchmarkSessionCodec(b *testing.B) {
	vals := map[string]any{sessionUserKey: int64(42), sessionGenKey: int64(3)}
	deadline := time.Now().Add(DefaultSessionLifetime)
	for _, c := range []struct {
		name  string
		codec scs.Codec
	}{{"compact", sessionCodec{}}, {"gob", scs.GobCodec{}}} {
		enc, err := c.codec.Encode(deadline, vals)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := c.codec.Decode(enc); err != nil {
					b.Fatal(err)
				}
				if _, err := c.codec.Encode(deadline, vals); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
