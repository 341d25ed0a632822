package tco

import (
	"encoding/json"
	"errors"
	"testing"
)

// FuzzDecode checks that Decode never panics, fails only with
// *MalformedError or Errors, and that a document it accepts is valid and
// survives an export through encoding/json and a second Decode.
func FuzzDecode(f *testing.F) {
	for _, name := range []string{"e2.json", "e3.json", "sample.json"} {
		f.Add(dtRead(f, name))
	}
	f.Add([]byte(dtBaseDoc))
	f.Add([]byte(`{"name": "x", "horizon_months": "1e3", "volume": {"monthly": "-0.0"}}`))
	f.Add([]byte(`{"options": [{"lines": [{"basis": "one_time", "escalation": 0}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Decode(data)
		if err != nil {
			var m *MalformedError
			var es Errors
			if !errors.As(err, &m) && !errors.As(err, &es) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			if errors.As(err, &es) && len(es) == 0 {
				t.Fatal("empty Errors")
			}
			if d != nil {
				t.Fatal("document returned with an error")
			}
			return
		}
		if err := d.Validate(); err != nil {
			t.Fatalf("decoded document is invalid: %v", err)
		}
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		if _, err := Decode(b); err != nil {
			t.Fatalf("re-decoding %s: %v", b, err)
		}
	})
}
