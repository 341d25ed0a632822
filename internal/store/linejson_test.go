package store

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/tco"
)

// TestLineJSON: a line is written as its bookkeeping (id, round_id,
// position, version) and then exactly the fields tco.Line writes, for the
// demo's lines and for random ones (every optional field there or not,
// every basis, decimals of any sign and scale, names that need escaping),
// alone and inside a list, as the API sends them.
func TestLineJSON(t *testing.T) {
	t.Parallel()
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
	fields := func(b []byte) map[string]json.RawMessage {
		t.Helper()
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		return m
	}
	for _, l := range lines {
		got, err := json.Marshal(l)
		if err != nil {
			t.Fatal(err)
		}
		want, err := json.Marshal(l.Line)
		if err != nil {
			t.Fatal(err)
		}
		g, w := fields(got), fields(want)
		for k, v := range map[string]int64{"id": l.ID, "round_id": l.RoundID, "position": int64(l.Position), "version": l.Version} {
			if string(g[k]) != strconv.FormatInt(v, 10) {
				t.Fatalf("line %+v: %s is %s, want %d", l, k, g[k], v)
			}
			delete(g, k)
		}
		if len(g) != len(w) {
			t.Fatalf("line %+v\ngot  %s\nwant %s and the bookkeeping", l, got, want)
		}
		for k, v := range w {
			if !bytes.Equal(g[k], v) {
				t.Fatalf("line %+v: %s is %s, want %s", l, k, g[k], v)
			}
		}
	}
	// Inside a list, through an encoder that escapes HTML, as echo sends it.
	var list bytes.Buffer
	if err := json.NewEncoder(&list).Encode(lines); err != nil {
		t.Fatal(err)
	}
	var back []json.RawMessage
	if err := json.Unmarshal(list.Bytes(), &back); err != nil || len(back) != len(lines) {
		t.Fatalf("a list of %d lines reads back as %d, %v", len(lines), len(back), err)
	}
}

// TestListOptionsQuotes: the options listing, which loads every option's
// quote in three statements, gives each option as GetOption (one quote at
// a time) does: vendors with pricing and tiers, in-house options without,
// and an option whose current round is a revised one.
func TestListOptionsQuotes(t *testing.T) {
	t.Parallel()
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
