package evaluation

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
)

// TestStaffingPanel: a per-FTE bid staffed to 80/20 (E4's capacity, 20,000
// contacts a month) is told as "Vendor B bills 25 FTE at 80/20 (21 at
// average workload)", its heads by both methods are rows of the panel, and
// lines on one capacity with the same heads are one row.
func TestStaffingPanel(t *testing.T) {
	t.Parallel()
	dec := decimal.RequireFromString
	open := dec("260")
	e4 := &tco.Capacity{AHTMinutes: dec("6"), Occupancy: dec("0.85"), Shrinkage: dec("0.3"), PaidHours: dec("168"),
		ServiceLevel: &tco.ServiceLevel{Target: dec("0.8"), Seconds: dec("20")}, OpenHours: &open, IntervalMinutes: 30,
		Profile: []decimal.Decimal{dec("1")}}
	one := dec("1")
	doc := &tco.Document{Name: "Staffing", Currency: "EUR", Start: "2027-01", HorizonMonths: 12, DiscountRate: dec("0.08"),
		Timing: tco.TimingEnd, Escalation: tco.EscalationAnniversary, Baseline: "in-house",
		Volume: tco.Volume{Unit: "contact", Monthly: dec("20000")},
		Price:  tco.Price{Weight: one, Basis: tco.PriceBasisPV, Formula: tco.FormulaAnchored, FullAt: dec("0.7"), ZeroAt: dec("1.3")},
		Options: []tco.Option{
			{ID: "in-house", Name: "In-house", Kind: tco.KindInHouse, VolumeShare: one, Lines: []tco.Line{
				{Name: "Agents", Category: tco.CategoryPersonnel, Basis: tco.BasisPerBlock, Amount: dec("3900"), Capacity: e4},
				{Name: "Seats", Category: tco.CategoryTechnology, Basis: tco.BasisPerBlock, Amount: dec("180"), Capacity: e4},
			}},
			{ID: "vendor-b", Name: "Vendor B", Kind: tco.KindVendor, VolumeShare: one, Lines: []tco.Line{}, Pricing: &tco.Pricing{
				Currency: "EUR", FXRate: one, Per: tco.PricingPerBlock, UnitFactor: one, TierMode: tco.TierModeGraduated,
				Tiers: []tco.Tier{{Price: dec("4300")}}, Capacity: e4, FromMonth: 1}},
		},
	}
	for range 12 {
		doc.Volume.Seasonality = append(doc.Volume.Seasonality, one)
	}
	if err := doc.Validate(); err != nil {
		t.Fatal(err)
	}
	cmp, err := tco.Compare(doc, tco.CompareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d := buildDashboard(&store.Evaluation{ID: 1}, doc, cmp, nil)
	p := d.Staffing()
	if p == nil {
		t.Fatal("no staffing panel")
	}
	if len(p.Sentences) != 1 || !strings.HasPrefix(p.Sentences[0], "Vendor B bills 25 FTE at 80/20 (21 at average workload)") {
		t.Errorf("sentences %q", p.Sentences)
	}
	var got []string
	for _, r := range p.Rows {
		got = append(got, r.Option+" | "+r.Source+" | "+r.Standard+" | "+r.Average)
	}
	want := []string{"In-house | Agents, Seats | 80/20 | 25.0", "In-house | Agents, Seats | average workload | 21.0",
		"Vendor B | per-FTE invoice | 80/20 | 25.0", "Vendor B | per-FTE invoice | average workload | 21.0"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(p.Monthly) != 12 || len(p.Monthly[0].Heads) != 4 || p.Monthly[11].Heads[0] != 25 || p.Monthly[11].Heads[1] != 21 {
		t.Errorf("monthly %+v", p.Monthly)
	}
	// without capacities there is no panel
	plain := *doc
	plain.Options = []tco.Option{doc.Options[0], doc.Options[1]}
	plain.Options[0].Lines = []tco.Line{{Name: "Team", Category: tco.CategoryPersonnel, Basis: tco.BasisFixed, Amount: dec("100000")}}
	plain.Options[1].Pricing = &tco.Pricing{Currency: "EUR", FXRate: one, Per: tco.PricingPerUnit, UnitFactor: one, TierMode: tco.TierModeGraduated,
		Tiers: []tco.Tier{{Price: dec("4")}}, FromMonth: 1}
	cmp2, err := tco.Compare(&plain, tco.CompareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if p := buildDashboard(&store.Evaluation{ID: 1}, &plain, cmp2, nil).Staffing(); p != nil {
		t.Errorf("a panel without capacities: %+v", p)
	}
}
