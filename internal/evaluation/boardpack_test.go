package evaluation

import (
	"strings"
	"testing"
	"unicode/utf8"

	"vendorcompare/internal/store"
)

// TestBoardPack: the pack waits for the simulation of an evaluation with a
// risk block and carries its sentence; page 1 takes the first screen's
// answers, the decision in force with its rationale cut to fit, and the
// top options with a count of the rest.
func TestBoardPack(t *testing.T) {
	t.Parallel()
	st, ids := openRisk(t, preset(500, 3))
	s := New(st, Config{})
	ctx := t.Context()
	p, err := s.BoardPack(ctx, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	if p.Status != "No decision yet" || p.Current() != nil || p.Rationale != "" {
		t.Errorf("without a decision: %q %v %q", p.Status, p.Current(), p.Rationale)
	}
	if p.Risk == nil || !p.Risk.Ready || !strings.Contains(p.Risk.Sentence, "simulated futures") {
		t.Fatalf("risk %+v", p.Risk)
	}
	if p.Who == nil || p.Who.Key != "who" || (p.Why != nil && p.Why.Key != "why") || (p.Change != nil && p.Change.Key != "change") {
		t.Errorf("answers %+v %+v %+v", p.Who, p.Why, p.Change)
	}
	if len(p.ChangeLines) > 3 {
		t.Errorf("%d change lines", len(p.ChangeLines))
	}
	if p.Why != nil {
		for _, l := range p.ChangeLines {
			for _, said := range p.Why.Points {
				if l == said {
					t.Errorf("page 1 says %q twice", l)
				}
			}
		}
	}

	long := strings.Repeat("Checked the references of every vendor. ", 20)
	decisions := []store.Decision{{Kind: store.DecisionAward, OptionName: "Vendor A", Rationale: long, DecidedBy: "cfo"}, {Kind: store.DecisionDefer, Rationale: "Wait."}}
	rows := p.Dashboard.Rows
	d := *p.Dashboard
	for len(d.Rows) < 8 {
		d.Rows = append(d.Rows, rows...)
	}
	q := NewBoardPack(&d, decisions, nil)
	if q.Status != "Awarded to Vendor A" || q.Current().Rationale != long {
		t.Errorf("status %q", q.Status)
	}
	if !q.Cut || len([]rune(q.Rationale)) > pageOneRationale+1 || !strings.HasSuffix(q.Rationale, "…") || !strings.HasPrefix(long, strings.TrimSuffix(q.Rationale, "…")) {
		t.Errorf("page 1's rationale %q (cut %t)", q.Rationale, q.Cut)
	}
	if len(q.Top) != PageOneRows || q.More != len(d.Rows)-PageOneRows {
		t.Errorf("top %d, more %d of %d", len(q.Top), q.More, len(d.Rows))
	}
	if q.Risk == nil || q.Risk.Ready {
		t.Error("a pack without the simulation's figures claims them")
	}
}

// TestRationaleLead: the dashboard's decision notice shows a short
// rationale whole and a long one cut at a word within firstScreenRationale characters with
// an ellipsis, and says which; no decision, nothing.
func TestRationaleLead(t *testing.T) {
	t.Parallel()
	short := "Best combined score at a price the board accepts."
	long := strings.Repeat("The transition plan is credible and references confirm it. ", 25)
	for _, c := range []struct {
		name string
		d    *store.Decision
		want string
		cut  bool
	}{
		{"none", nil, "", false},
		{"short", &store.Decision{Rationale: short}, short, false},
		{"exactly the limit", &store.Decision{Rationale: strings.Repeat("x", firstScreenRationale)}, strings.Repeat("x", firstScreenRationale), false},
		{"long", &store.Decision{Rationale: long}, "", true},
	} {
		d := &Dashboard{Decision: c.d}
		got, cut := d.RationaleLead(), d.RationaleCut()
		if cut != c.cut {
			t.Errorf("%s: cut %v, want %v", c.name, cut, c.cut)
		}
		if !c.cut && got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
		if c.cut {
			body := strings.TrimSuffix(got, "…")
			if n := utf8.RuneCountInString(got); n > firstScreenRationale+1 || n < firstScreenRationale/2 || body == got || !strings.HasPrefix(long, body) || strings.HasSuffix(body, " ") {
				t.Errorf("%s: %q (%d characters) is not the rationale's start cut at a word within %d, with an ellipsis", c.name, got, n, firstScreenRationale)
			}
		}
	}
}
