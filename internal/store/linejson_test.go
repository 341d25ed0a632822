package store

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/tco"
)

// encodingJSONLine is how Line.MarshalJSON wrote a line through
// encoding/json before it wrote it by hand.
func encodingJSONLine(l Line) ([]byte, error) {
	body, err := json.Marshal(l.Line)
	if err != nil {
		return nil, err
	}
	meta, err := json.Marshal(struct {
		ID       int64 `json:"id"`
		RoundID  int64 `json:"round_id"`
		Position int   `json:"position"`
		Version  int64 `json:"version"`
	}{l.ID, l.RoundID, l.Position, l.Version})
	if err != nil {
		return nil, err
	}
	out := append(meta[:len(meta)-1:len(meta)-1], ',')
	return append(out, body[1:]...), nil
}

// TestLineJSON: a line is written byte for byte as encoding/json wrote it,
// for the demo's lines and for random ones (every optional field there or
// not, every basis, decimals of any sign and scale, names that need
// escaping), alone and inside a list, as the API sends them.
func TestLineJSON(t *testing.T) {
	s := demoStore(t, "")
	opts, err := s.ListOptions(t.Context(), 1)
	if err != nil {
		t.Fatal(err)
	}
	var lines []Line
	for _, o := range opts {
		lines = append(lines, o.Lines...)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	names := []string{"Seats", "", "Agents <EU> & \"nearshore\"", "Back\\slash\ttab\nnewline", "Crèche – été 🚀",
		"\x7f\x01", "bad \xff utf-8", "line\u2028sep", "<script>"}
	bases := []string{tco.BasisFixed, tco.BasisPerUnit, tco.BasisPerBlock, tco.BasisOneTime, tco.BasisShareOfVendor, "other"}
	dec := func() decimal.Decimal {
		switch rng.IntN(4) {
		case 0:
			return decimal.Zero
		case 1:
			return decimal.New(rng.Int64N(2_000_000)-1_000_000, -int32(rng.IntN(8)))
		case 2:
			return decimal.New(rng.Int64N(1000), int32(rng.IntN(5)))
		}
		return decimal.RequireFromString("0.0100")
	}
	maybeDec := func() *decimal.Decimal {
		if rng.IntN(2) == 0 {
			return nil
		}
		d := dec()
		return &d
	}
	maybeInt := func() *int {
		if rng.IntN(2) == 0 {
			return nil
		}
		v := rng.IntN(200) - 10
		return &v
	}
	for range 2000 {
		l := Line{ID: rng.Int64N(1 << 40), RoundID: rng.Int64N(1000), Position: rng.IntN(50), Version: rng.Int64N(1 << 20),
			Line: tco.Line{Name: names[rng.IntN(len(names))], Category: names[rng.IntN(len(names))], Basis: bases[rng.IntN(len(bases))],
				Amount: dec(), BlockSize: maybeDec(), Month: maybeInt(), FromMonth: maybeInt(), ToMonth: maybeInt(),
				Escalation: dec(), VolumeShare: maybeDec()}}
		if rng.IntN(2) == 0 {
			l.Capacity = &tco.Capacity{AHTMinutes: dec(), Occupancy: dec(), Shrinkage: dec(), PaidHours: dec()}
		}
		lines = append(lines, l)
	}
	for _, l := range lines {
		want, err := encodingJSONLine(l)
		if err != nil {
			t.Fatal(err)
		}
		got, err := l.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("line %+v\ngot  %s\nwant %s", l, got, want)
		}
	}
	// Inside a list, through an encoder that escapes HTML, as echo sends it.
	var got, want bytes.Buffer
	if err := json.NewEncoder(&got).Encode(lines); err != nil {
		t.Fatal(err)
	}
	want.WriteByte('[')
	for i, l := range lines {
		if i > 0 {
			want.WriteByte(',')
		}
		b, _ := encodingJSONLine(l)
		json.Compact(&want, b)
	}
	want.WriteString("]\n")
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Fatal("a list of lines differs from encoding/json's")
	}
}

// TestListOptionsQuotes: the options listing, which loads every option's
// quote in three statements, gives each option as GetOption (one quote at
// a time) does: vendors with pricing and tiers, in-house options without,
// and an option whose current round is a revised one.
func TestListOptionsQuotes(t *testing.T) {
	s := demoStore(t, "")
	ctx := t.Context()
	opts, err := s.ListOptions(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	priced := 0
	for _, o := range opts {
		if o.Pricing != nil && len(o.Pricing.Tiers) > 0 {
			priced++
		}
	}
	if priced == 0 || priced == len(opts) {
		t.Fatalf("%d of %d options have tiered pricing: the demo should have both kinds", priced, len(opts))
	}
	for _, o := range opts {
		if o.Pricing != nil {
			if _, err := s.CreateRound(ctx, "test", o.ID, RoundInput{Label: LabelRevised}); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	if opts, err = s.ListOptions(ctx, 1); err != nil {
		t.Fatal(err)
	}
	for _, o := range opts {
		one, err := s.GetOption(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := mustJSONString(t, o), mustJSONString(t, one); got != want {
			t.Fatalf("option %d listed\n%s\nalone\n%s", o.ID, got, want)
		}
	}
}
