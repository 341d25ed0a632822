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
	f.Add([]byte(fuzzFullDoc))
	f.Add([]byte(fuzzServiceLevelDoc))
	f.Add([]byte(`{"options": [{"lines": [{"capacity": {"open_hours": 1, "profile": [0, "-1", null]}}]}]}`))
	f.Add([]byte(`{"options": [{"pricing": {"capacity": {"service_level": {"target": "1e-20", "seconds": []}, "interval_minutes": 45}}}]}`))
	f.Add([]byte(`{"name": "x", "horizon_months": "1e3", "volume": {"monthly": "-0.0"}}`))
	f.Add([]byte(`{"options": [{"lines": [{"basis": "one_time", "escalation": 0}]}]}`))
	f.Add([]byte(`{"risk": {"runs": "1e2", "seed": "9007199254740991", "drivers": {"discount_rate": {}, "aht": {"low": 3, "mode": 3, "high": 3}}}}`))
	f.Add([]byte(`{"risk": {"seed": 1e400, "drivers": []}}`))
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

// fuzzFullDoc sets every field of the document, numbers as decimal strings
// where allowed, so the fuzzer starts from every branch of the reader.
const fuzzFullDoc = `{
 "name": "Full", "currency": "EUR", "start": "2030-07", "horizon_months": "24",
 "discount_rate": "0.05", "timing": "mid", "escalation": "monthly",
 "volume": {"unit": "minute", "monthly": "1000.5", "growth": "-0.1",
            "seasonality": [1, 1, "1.1", 1, 1, 1, 0, 1, 1, 1, 1, 1]},
 "baseline": "a",
 "criteria": [{"key": "q", "name": "Quality", "weight": "1", "scale": 5, "minimum": "2.5"}],
 "price": {"weight": 1, "basis": "tco", "formula": "lowest_ratio", "full_at": 0, "zero_at": 2},
 "risk": {"runs": 100, "seed": "42", "drivers": {"volume": {"low": 0.8, "mode": 1, "high": "1.3"},
          "personnel": {"low": 1, "mode": 1, "high": 1}, "aht": {"low": 0, "mode": 0.5, "high": 3},
          "vendor_price": {"low": "0.9", "mode": "1", "high": "1.1"}, "fx_rate": {"low": 0.85, "mode": 1, "high": 1.15}}},
 "options": [
  {"id": "a", "name": "A", "kind": "improvement", "volume_share": "0.7",
   "lines": [{"name": "Bot", "category": "technology", "basis": "per_unit", "amount": "0.01",
              "volume_share": 1, "from_month": 1, "to_month": 24, "escalation": "0"},
             {"name": "Staff", "category": "personnel", "basis": "per_block", "amount": 10, "block_size": "0.5"}],
   "scores": {"q": "5"}},
  {"id": "b_2", "name": "B", "kind": "vendor",
   "pricing": {"currency": "GBP", "fx_rate": "1.17", "per": "block", "unit_factor": 1,
               "capacity": {"aht_minutes": "4.5", "occupancy": 1, "shrinkage": 0, "paid_hours": 160},
               "tiers": [{"up_to": 1, "price": "100"}, {"price": 90}], "tier_mode": "all_units",
               "fixed_monthly": 1, "minimum_units": 2, "minimum_charge": 3, "escalation": "0.02",
               "setup_fee": 4, "exit_fee": 5, "from_month": 24},
   "lines": [{"name": "Gov", "category": "external", "basis": "share_of_vendor", "amount": 1},
             {"name": "Exit", "category": "operations", "basis": "one_time", "amount": 0, "month": 24}],
   "scores": {}}
 ]
}`

// fuzzServiceLevelDoc staffs to a service level (spec §8) on a line and on
// per-FTE pricing, with every service-level field set.
const fuzzServiceLevelDoc = `{
 "name": "Service level", "currency": "USD", "start": "2027-01", "horizon_months": 6,
 "volume": {"unit": "contact", "monthly": 20000, "growth": 0.05},
 "baseline": "in-house",
 "options": [
  {"id": "in-house", "name": "In-house",
   "lines": [{"name": "Agents", "category": "personnel", "basis": "per_block", "amount": 3900,
              "capacity": {"aht_minutes": 6, "occupancy": 0.85, "shrinkage": 0.3, "paid_hours": 168,
                           "service_level": {"target": 0.8, "seconds": 20},
                           "open_hours": 260, "interval_minutes": 30,
                           "profile": [1, 2, 3, 4, 4, 3, 3, 4, 4, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1]}}]},
  {"id": "vendor", "name": "Vendor",
   "pricing": {"per": "block", "capacity": {"aht_minutes": "6.5", "occupancy": 0.9, "shrinkage": 0.35, "paid_hours": 160,
                                            "service_level": {"target": "0.9", "seconds": 30}, "open_hours": "300.5",
                                            "interval_minutes": 60, "profile": [0, 1, 1, 2]},
               "tiers": [{"up_to": 20, "price": 4300}, {"price": 4100}], "minimum_units": 5}}
 ]
}`
