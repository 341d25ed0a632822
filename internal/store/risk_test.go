package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
)

// TestRiskTravelsWithTheDocument: an imported document's risk block (spec
// §9) is stored and comes back with the document, so its export and a
// re-import keep it; a document without one has none.
func TestRiskTravelsWithTheDocument(t *testing.T) {
	t.Parallel()
	s := openStore(t)
	ctx := context.Background()
	doc := readDoc(t, "testdata/e2.json")
	doc.Risk = &tco.Risk{Runs: 2000, Seed: 9007199254740991, Drivers: tco.RiskDrivers{
		Volume: &tco.Triangular{Low: dec("0.8"), Mode: dec("1"), High: dec("1.3")},
		AHT:    &tco.Triangular{Low: dec("0.9"), Mode: dec("1.0"), High: dec("1.2")}}}
	id, err := s.ImportDocument(ctx, "ann", doc)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Document(ctx, id, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(doc.Risk)
	if b, _ := json.Marshal(got.Risk); string(b) != string(want) {
		t.Errorf("risk %s, want %s", b, want)
	}
	// the export decodes to the same risk, and compares with it
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	again, err := tco.Decode(b)
	if err != nil {
		t.Fatalf("export does not decode: %v", err)
	}
	if again.Risk == nil || again.Risk.Seed != doc.Risk.Seed || !again.Risk.Drivers.AHT.High.Equal(dec("1.2")) {
		t.Errorf("export's risk %+v", again.Risk)
	}
	c, err := tco.Compare(got, tco.CompareOptions{})
	if err != nil || c.RiskRuns != 2000 || c.Options[1].Risk == nil {
		t.Errorf("stored document's comparison: %v", err)
	}

	doc.Risk = nil
	id, err = s.ImportDocument(ctx, "ann", doc)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.Document(ctx, id, nil); err != nil || got.Risk != nil {
		t.Errorf("a document without risk: %+v, %v", got.Risk, err)
	}
}

// TestSaveRisk: the workspace's save of the risk block moves the version
// (and so the fingerprint), is audited, travels with export and copy, is
// refused whole with every problem at its path (nothing saved), and nil
// removes it; a stale version is a conflict.
func TestSaveRisk(t *testing.T) {
	t.Parallel()
	s := openStore(t)
	ctx := context.Background()
	id, err := s.ImportDocument(ctx, "ann", readDoc(t, "testdata/e2.json"))
	if err != nil {
		t.Fatal(err)
	}
	e, err := s.GetEvaluation(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	fp, _ := s.Fingerprint(ctx, id)
	audits := auditCount(t, s)
	r := &tco.Risk{Runs: 2000, Seed: 7, Drivers: tco.RiskDrivers{
		Volume:    &tco.Triangular{Low: dec("0.8"), Mode: dec("1.0"), High: dec("1.3")},
		Personnel: &tco.Triangular{Low: dec("0.97"), Mode: dec("1.03"), High: dec("1.10")}}}
	after, err := s.SaveRisk(ctx, "ann", id, e.Version, r)
	if err != nil {
		t.Fatal(err)
	}
	if after.Version != e.Version+1 {
		t.Errorf("version %d after %d", after.Version, e.Version)
	}
	if fp2, _ := s.Fingerprint(ctx, id); fp2 == fp {
		t.Error("the fingerprint did not move")
	}
	if n := auditCount(t, s); n != audits+1 {
		t.Errorf("%d audit rows after the save, %d before", n, audits)
	}
	got, err := s.Risk(ctx, id)
	want, _ := json.Marshal(r)
	if b, _ := json.Marshal(got); err != nil || string(b) != string(want) {
		t.Fatalf("stored %s, want %s (%v)", b, want, err)
	}
	cp, err := s.CopyEvaluation(ctx, "ann", id, "copy")
	if err != nil {
		t.Fatal(err)
	}
	if doc, err := s.Document(ctx, cp.ID, nil); err != nil || doc.Risk == nil || doc.Risk.Runs != 2000 {
		t.Errorf("the copy's risk: %v", err)
	}

	// every problem at once, nothing saved
	bad := &tco.Risk{Runs: 50, Seed: -1, Drivers: tco.RiskDrivers{
		Volume: &tco.Triangular{Low: dec("1.2"), Mode: dec("1.0"), High: dec("1.3")},
		AHT:    &tco.Triangular{Low: dec("0.9"), Mode: dec("1.0"), High: dec("4")}}}
	_, err = s.SaveRisk(ctx, "ann", id, after.Version, bad)
	var se *store.Error
	if !errors.As(err, &se) || se.Code != store.CodeInvalid {
		t.Fatalf("bad risk: %v", err)
	}
	paths := map[string]bool{}
	for _, f := range se.Fields {
		paths[f.Path] = true
	}
	for _, p := range []string{"risk.runs", "risk.seed", "risk.drivers.aht.high"} {
		if !paths[p] {
			t.Errorf("no problem at %s: %v", p, se.Fields)
		}
	}
	if !paths["risk.drivers.volume.low"] && !paths["risk.drivers.volume.mode"] && !paths["risk.drivers.volume"] {
		t.Errorf("no problem at the volume driver: %v", se.Fields)
	}
	if got, _ := s.Risk(ctx, id); got == nil || got.Runs != 2000 {
		t.Error("a refused save changed the risk block")
	}
	if _, err := s.SaveRisk(ctx, "ann", id, e.Version, nil); !errors.Is(err, store.ErrConflict) {
		t.Errorf("stale version: %v", err)
	}
	if _, err := s.SaveRisk(ctx, "ann", id, after.Version, nil); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Risk(ctx, id); err != nil || got != nil {
		t.Errorf("removed: %+v, %v", got, err)
	}
}
