package store_test

import (
	"context"
	"encoding/json"
	"testing"

	"vendorcompare/internal/tco"
)

// TestRiskTravelsWithTheDocument: an imported document's risk block (spec
// §9) is stored and comes back with the document, so its export and a
// re-import keep it; a document without one has none.
func TestRiskTravelsWithTheDocument(t *testing.T) {
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
