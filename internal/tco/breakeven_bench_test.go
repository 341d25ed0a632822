package tco

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/shopspring/decimal"
)

// largeDocument is a large, realistic evaluation for benchmarks: 12 options
// (the in-house baseline, vendor quotes with graduated and all-units tiers,
// minimums, minutes billing and per-FTE pricing, and in-house improvement
// options) over 120 months, each with 10 cost lines, capacity-based staffing
// blocks on most of them, volume 20,000 a month with 4% growth and
// seasonality (so almost every month has its own block boundaries), pv at
// 8% with anniversary escalation. It is valid; break-even over [0, 60,000]
// is the heavy case of spec section 4.
func largeDocument() *Document {
	d := func(s string) decimal.Decimal { return decimal.RequireFromString(s) }
	dp := func(s string) *decimal.Decimal { v := d(s); return &v }
	ip := func(i int) *int { return &i }
	capacity := func(aht string) *Capacity {
		return &Capacity{AHTMinutes: d(aht), Occupancy: d("0.85"), Shrinkage: d("0.30"), PaidHours: d("173.333")}
	}
	season := []string{"1.10", "0.95", "1.00", "0.98", "1.02", "0.97", "0.90", "0.92", "1.05", "1.08", "1.12", "1.20"}
	doc := &Document{
		Name: "Large benchmark", Currency: "USD", Start: "2027-01", HorizonMonths: 120,
		DiscountRate: d("0.08"), Timing: TimingEnd, Escalation: EscalationAnniversary,
		Volume:   Volume{Unit: "contact", Monthly: d("20000"), Growth: d("0.04")},
		Baseline: "in-house",
		Criteria: []Criterion{{Key: "csat", Name: "CSAT", Weight: d("60"), Scale: d("10")}},
		Price: Price{Weight: d("0.4"), Basis: PriceBasisPV, Formula: FormulaAnchored,
			FullAt: d("0.7"), ZeroAt: d("1.3")},
	}
	for _, s := range season {
		doc.Volume.Seasonality = append(doc.Volume.Seasonality, d(s))
	}
	staff := func(aht string, share *decimal.Decimal) []Line {
		return []Line{
			{Name: "Agents", Category: CategoryPersonnel, Basis: BasisPerBlock, Amount: d("3900"), Capacity: capacity(aht), Escalation: d("0.03"), VolumeShare: share},
			{Name: "Supervisors", Category: CategoryPersonnel, Basis: BasisPerBlock, Amount: d("5850"), BlockSize: dp("12375.9762"), Escalation: d("0.03"), VolumeShare: share},
			{Name: "Attrition", Category: CategoryPersonnel, Basis: BasisPerBlock, Amount: d("175"), Capacity: capacity(aht), Escalation: d("0.03"), VolumeShare: share},
			{Name: "Agent seats", Category: CategoryTechnology, Basis: BasisPerBlock, Amount: d("180"), Capacity: capacity(aht), Escalation: d("0.03"), VolumeShare: share},
			{Name: "Supervisor seats", Category: CategoryTechnology, Basis: BasisPerBlock, Amount: d("180"), BlockSize: dp("12375.9762"), Escalation: d("0.03"), VolumeShare: share},
			{Name: "Quality team", Category: CategoryPersonnel, Basis: BasisPerBlock, Amount: d("4200"), BlockSize: dp("15000"), Escalation: d("0.03")},
			{Name: "Telephony", Category: CategoryTechnology, Basis: BasisPerUnit, Amount: d("0.12"), Escalation: d("0.02")},
			{Name: "Facilities", Category: CategoryOperations, Basis: BasisFixed, Amount: d("25000"), Escalation: d("0.03")},
			{Name: "Licences", Category: CategoryTechnology, Basis: BasisFixed, Amount: d("8000"), Escalation: d("0.05")},
			{Name: "Complaints", Category: CategoryExternal, Basis: BasisPerUnit, Amount: d("0.05")},
		}
	}
	opt := func(id, kind string, lines []Line, p *Pricing) Option {
		return Option{ID: id, Name: id, Kind: kind, VolumeShare: d("1"), Lines: lines, Pricing: p,
			Scores: map[string]decimal.Decimal{"csat": d("7")}}
	}
	doc.Options = append(doc.Options, opt("in-house", KindInHouse, staff("6", nil), nil))

	// vendor options: retained governance and transition lines around an invoice
	vendorLines := func(i int) []Line {
		return []Line{
			{Name: "Governance", Category: CategoryPersonnel, Basis: BasisShareOfVendor, Amount: d("0.05")},
			{Name: "Retained team", Category: CategoryPersonnel, Basis: BasisPerBlock, Amount: d("5200"), BlockSize: dp("25000"), Escalation: d("0.03")},
			{Name: "Retained agents", Category: CategoryPersonnel, Basis: BasisPerBlock, Amount: d("3900"), Capacity: capacity(fmt.Sprintf("%d", 40+i)), Escalation: d("0.03"), VolumeShare: dp("0.1")},
			{Name: "Parallel running", Category: CategoryOperations, Basis: BasisPerBlock, Amount: d("3900"), Capacity: capacity("6"), FromMonth: ip(1), ToMonth: ip(3)},
			{Name: "Stranded lease", Category: CategoryOperations, Basis: BasisFixed, Amount: d("5000"), FromMonth: ip(2), ToMonth: ip(12)},
			{Name: "Telephony", Category: CategoryTechnology, Basis: BasisPerUnit, Amount: d("0.02"), Escalation: d("0.02")},
			{Name: "Audit", Category: CategoryExternal, Basis: BasisFixed, Amount: d("1500"), Escalation: d("0.03")},
			{Name: "Vendor selection", Category: CategoryExternal, Basis: BasisOneTime, Amount: d("34200"), Month: ip(0)},
			{Name: "Severance", Category: CategoryPersonnel, Basis: BasisOneTime, Amount: d("120000"), Month: ip(1)},
			{Name: "Exit project", Category: CategoryExternal, Basis: BasisOneTime, Amount: d("50000"), Month: ip(120)},
		}
	}
	tiers := func(prices ...string) []Tier {
		bounds := []string{"10000", "20000", "40000", "80000"}
		var ts []Tier
		for i, p := range prices {
			t := Tier{Price: d(p)}
			if i < len(prices)-1 {
				t.UpTo = dp(bounds[i])
			}
			ts = append(ts, t)
		}
		return ts
	}
	pricing := func(mode string, ts []Tier) *Pricing {
		return &Pricing{Currency: "USD", FXRate: d("1"), Per: PricingPerUnit, UnitFactor: d("1"), Tiers: ts,
			TierMode: mode, FixedMonthly: d("2000"), MinimumUnits: d("8000"), MinimumCharge: d("45000"),
			Escalation: d("0.03"), SetupFee: d("40000"), ExitFee: d("20000"), FromMonth: 2}
	}
	for i := 1; i <= 4; i++ {
		mode := TierModeGraduated
		if i%2 == 0 {
			mode = TierModeAllUnits
		}
		p := pricing(mode, tiers(fmt.Sprintf("%d.%d", 5, i), "4.6", "4.1", "3.9", "3.6"))
		doc.Options = append(doc.Options, opt(fmt.Sprintf("vendor-%d", i), KindVendor, vendorLines(i), p))
	}
	for i := 5; i <= 6; i++ { // billed by the minute: 6.5 minutes a contact
		p := pricing(TierModeGraduated, tiers("0.80", "0.74", "0.70", "0.66", "0.62"))
		p.UnitFactor = d(fmt.Sprintf("6.%d", i))
		doc.Options = append(doc.Options, opt(fmt.Sprintf("vendor-%d", i), KindVendor, vendorLines(i), p))
	}
	for i := 7; i <= 8; i++ { // per-FTE pricing on the vendor's own capacity
		p := pricing(TierModeAllUnits, []Tier{{UpTo: dp("20"), Price: d("4300")}, {Price: d(fmt.Sprintf("40%d0", i))}})
		p.Per, p.Capacity, p.MinimumUnits, p.MinimumCharge = PricingPerBlock, capacity(fmt.Sprintf("6.%d", i)), d("5"), d("0")
		doc.Options = append(doc.Options, opt(fmt.Sprintf("vendor-%d", i), KindVendor, vendorLines(i), p))
	}
	for i := 9; i <= 11; i++ { // improvements: a chatbot contains part of the demand
		lines := staff(fmt.Sprintf("5.%d", i-5), nil)
		lines[6] = Line{Name: "Chatbot", Category: CategoryTechnology, Basis: BasisPerUnit, Amount: d("0.09"), VolumeShare: dp("1")}
		lines[8] = Line{Name: "Chatbot build", Category: CategoryTechnology, Basis: BasisOneTime, Amount: d("150000"), Month: ip(0)}
		o := opt(fmt.Sprintf("improve-%d", i), KindImprovement, lines, nil)
		o.VolumeShare = d(fmt.Sprintf("0.%d", 61+i))
		doc.Options = append(doc.Options, o)
	}
	return doc
}

func TestBreakEvenLargeDocument(t *testing.T) {
	t.Parallel()
	doc := largeDocument()
	if err := doc.Validate(); err != nil {
		t.Fatalf("largeDocument is invalid: %v", err)
	}
	if len(doc.Options) != 12 || doc.HorizonMonths != 120 {
		t.Fatalf("largeDocument: %d options, %d months", len(doc.Options), doc.HorizonMonths)
	}
	crossings := 0
	for i := 1; i < len(doc.Options); i++ {
		be := breakEven(doc, i, 60000)
		if be == nil {
			t.Fatalf("option %d: nil", i)
		}
		beCheckTiling(t, doc.Options[i].ID+" monthly", be.Monthly, 60000)
		beCheckTiling(t, doc.Options[i].ID+" horizon", be.Horizon, 60000)
		beCheckWinners(t, doc.Options[i].ID+" horizon", doc, i, true, be.Horizon)
		beCheckWinners(t, doc.Options[i].ID+" monthly", doc, i, false, be.Monthly)
		crossings += len(be.Horizon) - 1
	}
	t.Logf("%d horizon boundaries over 11 options", crossings)
}

// BenchmarkBreakEvenLarge is break-even (both views) for all 11
// non-baseline options of largeDocument over [0, 60,000].
func BenchmarkBreakEvenLarge(b *testing.B) {
	doc := largeDocument()
	b.ReportAllocs()
	for b.Loop() {
		for i := 1; i < len(doc.Options); i++ {
			if breakEven(doc, i, 60000) == nil {
				b.Fatal("nil")
			}
		}
	}
}

// TestLargeDocumentFile: testdata/large.json is largeDocument() as JSON,
// for the packages that measure with it (the web's first byte with risk);
// regenerate it from largeDocument() when this fails.
func TestLargeDocumentFile(t *testing.T) {
	t.Parallel()
	a, err := json.Marshal(largeDocument())
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(readDoc(t, "large.json"))
	if err != nil {
		t.Fatal(err)
	}
	if string(a) != string(b) {
		t.Error("testdata/large.json is not largeDocument()")
	}
}
