package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"vendorcompare/internal/store"
)

// presetForm is the workspace's preset as the form posts it.
func presetForm(fx bool) url.Values {
	v := url.Values{"runs": {"2000"}, "seed": {"1"}, "do": {"save"},
		"volume_low": {"0.8"}, "volume_mode": {"1.0"}, "volume_high": {"1.3"},
		"personnel_low": {"0.97"}, "personnel_mode": {"1.03"}, "personnel_high": {"1.10"},
		"aht_low": {"0.9"}, "aht_mode": {"1.0"}, "aht_high": {"1.2"},
		"vendor_price_low": {"1.0"}, "vendor_price_mode": {"1.0"}, "vendor_price_high": {"1.05"}}
	if fx {
		v.Set("fx_rate_low", "0.85")
		v.Set("fx_rate_mode", "1.0")
		v.Set("fx_rate_high", "1.15")
	}
	return v
}

// TestWorkspaceRisk: the risk section shows each driver with what it
// means; the preset fills the form (with the exchange rate, the demo
// having a USD quote) without saving it; saving stores it with the
// document (its export carries it); bad input shows every problem at its
// field at once and saves nothing; remove takes it away.
func TestWorkspaceRisk(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	ctx := context.Background()
	path := fmt.Sprintf("/evaluations/%d/workspace/risk", p.demoID)

	page := p.get(path)
	if page.status != http.StatusOK {
		t.Fatalf("GET: %d", page.status)
	}
	contains(t, "the risk section", page.body, "Fill in the typical contact-centre uncertainty", `id="means-volume"`,
		"multiplies every month&#39;s volume", "every personnel line", "capacity-staffed line", "tiers, fixed monthly fee",
		"Quotes here in another currency: USD", `aria-current="page">Risk</a>`, `id="f-runs"`, `id="f-fx_rate_high"`, "No risk settings saved yet")

	preset := p.get(path + "?preset=typical")
	contains(t, "the preset", preset.body, `id="preset-notice"`,
		`id="f-volume_low" name="volume_low" type="text" value="0.8"`, `id="f-volume_high" name="volume_high" type="text" value="1.3"`,
		`id="f-personnel_mode" name="personnel_mode" type="text" value="1.03"`, `id="f-aht_high" name="aht_high" type="text" value="1.2"`,
		`id="f-vendor_price_high" name="vendor_price_high" type="text" value="1.05"`, `id="f-fx_rate_low" name="fx_rate_low" type="text" value="0.85"`,
		`id="f-runs" name="runs" type="text" value="2000"`)
	if r, err := p.st.Risk(ctx, p.demoID); err != nil || r != nil {
		t.Fatalf("the preset was saved: %+v, %v", r, err)
	}

	before := wsState(t, p, p.demoID)
	e, _ := p.st.GetEvaluation(ctx, p.demoID)
	bad := presetForm(true)
	bad.Set("version", fmt.Sprint(e.Version))
	bad.Set("runs", "lots")
	bad.Set("seed", "-4")
	bad.Set("volume_low", "1.5") // above its mode: the engine's rule
	bad.Set("aht_high", "x")
	bad.Del("personnel_mode")
	res := p.postForm(path, path, bad)
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("bad input: %d", res.status)
	}
	contains(t, "bad input", res.body, "Nothing was saved")
	for _, id := range []string{"f-runs", "f-seed", "f-volume_mode", "f-aht_high", "f-personnel_mode"} {
		if !strings.Contains(res.body, `aria-describedby="`+id+`-error`) {
			t.Errorf("no error at %s", id)
		}
	}
	contains(t, "bad input keeps what was typed", res.body, `value="lots"`, `value="x"`)
	if after := wsState(t, p, p.demoID); after != before {
		t.Error("a refused save changed the evaluation")
	}

	good := presetForm(true)
	good.Set("version", fmt.Sprint(e.Version))
	res = p.postForm(path, path, good)
	if loc := res.header.Get("Location"); res.status != http.StatusSeeOther || !strings.Contains(loc, "saved=risk") {
		t.Fatalf("save: %d %s", res.status, loc)
	}
	res = p.get(res.header.Get("Location"))
	contains(t, "after the save", res.body, "Risk settings saved", `value="1.05"`, "Remove the risk settings")
	r, err := p.st.Risk(ctx, p.demoID)
	if err != nil || r == nil || r.Runs != 2000 || r.Seed != 1 || r.Drivers.FXRate == nil || !r.Drivers.Personnel.Mode.Equal(r.Drivers.Personnel.Mode.Round(2)) ||
		r.Drivers.Personnel.Mode.String() != "1.03" || r.Drivers.VendorPrice.High.String() != "1.05" {
		t.Fatalf("stored risk %+v, %v", r, err)
	}
	// the document export carries it, and imports back with it
	p.token = apiToken(t, p.st, "risk-export@example.com", store.RoleAdmin)
	var doc map[string]json.RawMessage
	p.must(http.StatusOK, &doc, "GET", fmt.Sprintf("/api/v1/evaluations/%d/document", p.demoID), nil)
	if !strings.Contains(string(doc["risk"]), `"vendor_price":{"low":"1","mode":"1","high":"1.05"}`) &&
		!strings.Contains(string(doc["risk"]), `"vendor_price":{"low":1,"mode":1,"high":1.05}`) {
		t.Errorf("exported risk %s", doc["risk"])
	}
	var created struct {
		ID int64 `json:"id"`
	}
	p.must(http.StatusCreated, &created, "POST", "/api/v1/evaluations/import?confirm=1", doc)
	if again, err := p.st.Risk(ctx, created.ID); err != nil || again == nil || again.Runs != 2000 || again.Drivers.FXRate == nil {
		t.Errorf("re-imported risk %+v, %v", again, err)
	}

	e, _ = p.st.GetEvaluation(ctx, p.demoID)
	res = p.postForm(path, path, url.Values{"version": {fmt.Sprint(e.Version)}, "do": {"remove"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("remove: %d", res.status)
	}
	contains(t, "after remove", p.get(res.header.Get("Location")).body, "Risk settings removed")
	if r, err := p.st.Risk(ctx, p.demoID); err != nil || r != nil {
		t.Errorf("after remove: %+v, %v", r, err)
	}
	// a stale version is a conflict, nothing saved
	res = p.postForm(path, path, wsMerge(good, "version", fmt.Sprint(e.Version)))
	if res.status != http.StatusConflict {
		t.Errorf("stale version: %d", res.status)
	}
}
