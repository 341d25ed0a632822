package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
	"vendorcompare/internal/web/ui"
)

// The workspace through the real server on a temporary database: every
// form renders, every save redirects and is stored, bad input is a 422
// with the error next to its field and the typed value kept, and a stale
// version is a 409; neither writes anything (the document, the audit log
// and the vendor directory are compared before and after).

// wsDemoOptions returns the demo evaluation's options by slug.
func wsDemoOptions(t testing.TB, p *pageT) map[string]store.Option {
	t.Helper()
	opts, err := p.st.ListOptions(context.Background(), p.demoID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]store.Option{}
	for _, o := range opts {
		out[o.Slug] = o
	}
	return out
}

// wsState is everything a workspace save could change, as JSON.
func wsState(t testing.TB, p *pageT, evalID int64) string {
	t.Helper()
	ctx := context.Background()
	e, err := p.st.GetEvaluation(ctx, evalID)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := p.st.Document(ctx, evalID, nil)
	if err != nil {
		t.Fatal(err)
	}
	audit, err := p.st.Audit(ctx, store.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	vendors, err := p.st.ListVendors(ctx, store.ListParams{})
	if err != nil {
		t.Fatal(err)
	}
	opts, err := p.st.ListOptions(ctx, evalID)
	if err != nil {
		t.Fatal(err)
	}
	rounds := 0
	for _, o := range opts {
		rs, err := p.st.ListRounds(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		rounds += len(rs)
	}
	b, err := json.Marshal(map[string]any{"version": e.Version, "doc": doc, "audit": audit.Total,
		"vendors": vendors.Total, "rounds": rounds})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// wsFieldError is how a field's error appears next to it: the input points
// at the message with aria-describedby, and the message has its id.
func wsFieldError(id, msg string) []string {
	return []string{`aria-describedby="` + id + `-error`, `id="` + id + `-error">` + msg}
}

// wsMerge returns base with the pairs of kv set (a copy).
func wsMerge(base url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, v := range base {
		out[k] = append([]string(nil), v...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out.Set(kv[i], kv[i+1])
	}
	return out
}

func TestWorkspaceGet(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	opts := wsDemoOptions(t, p)
	crits, err := p.st.ListCriteria(context.Background(), p.demoID)
	if err != nil {
		t.Fatal(err)
	}
	base := fmt.Sprintf("/evaluations/%d/workspace", p.demoID)
	vendor, inHouse := opts["vendor-a"], opts["in-house"]
	agents := inHouse.Lines[0]
	tests := []struct {
		name, path string
		want       []string
	}{
		{"Overview", base, []string{`id="ws-summary"`, `id="ws-options"`, "Add a vendor quote", "Copy the baseline as an improvement option", `name="_csrf"`}},
		{"Settings", base + "/settings", []string{`id="f-discount_rate"`, `value="0.08"`, `for="f-season_12"`, `id="f-price_zero_at"`, `name="version"`}},
		{"Baseline", fmt.Sprintf("%s/options/%d", base, inHouse.ID), []string{"Personnel", agents.Name, "Staffing helper", `id="f-l_basis"`, "Add the line"}},
		{"Vendor", fmt.Sprintf("%s/options/%d", base, vendor.ID), []string{`id="tier-rows"`, `name="tier_up_to"`, `value="10000"`, `id="f-p_minimum_charge"`, `id="ws-rounds"`, "Start a new round", `id="f-v_name"`}},
		{"Improvement", fmt.Sprintf("%s/options/%d", base, opts["chatbot"].ID), []string{`id="f-volume_share"`, `value="0.75"`, "Own share of demand"}},
		{"EditLine", fmt.Sprintf("%s/options/%d?line=%d", base, inHouse.ID, agents.ID), []string{"Edit the line", `value="` + agents.Name + `"`, fmt.Sprintf(`action="%s/options/%d/lines/%d"`, base, inHouse.ID, agents.ID)}},
		{"Staffing", fmt.Sprintf("%s/options/%d?st_volume=20000&st_aht=6&st_occupancy=0.85&st_shrinkage=0.30&st_paid_hours=173.33#staffing", base, inHouse.ID),
			[]string{"20,000 contacts × 6 min ÷ (0.85 × 0.70 × 173.33 h × 60) = 19.39 FTE → 20 agents", "<strong data-fte>19.39</strong>", "<strong data-agents>20</strong>"}},
		{"StaffingFillsLine", fmt.Sprintf("%s/options/%d?use_staffing=1&st_volume=20000&st_aht=6.5&st_occupancy=0.85&st_shrinkage=0.3&st_paid_hours=160", base, inHouse.ID),
			[]string{`<option value="per_block" selected>`, `id="f-l_cap_aht_minutes" name="l_cap_aht_minutes" type="text" value="6.5"`, `id="f-l_cap_paid_hours" name="l_cap_paid_hours" type="text" value="160"`}},
		{"StaffingBadInput", fmt.Sprintf("%s/options/%d?st_volume=20000&st_aht=6&st_occupancy=1.5&st_shrinkage=0.3&st_paid_hours=160", base, inHouse.ID),
			wsFieldError("f-st_occupancy", "must be greater than 0 and at most 1")},
		{"Criteria", base + "/criteria", []string{`id="ws-criteria"`, `id="ws-scores"`, "Save all scores", crits[0].Name}},
		{"EditCriterion", fmt.Sprintf("%s/criteria?criterion=%d", base, crits[0].ID), []string{"Edit the criterion", `value="` + crits[0].Key + `"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := p.get(tt.path)
			if res.status != http.StatusOK {
				t.Fatalf("GET %s: %d", tt.path, res.status)
			}
			contains(t, tt.path, res.body, tt.want...)
			contains(t, tt.path, res.body, `id="summary"`, "Comparison now")
		})
	}
	t.Run("ErrNotFound", func(t *testing.T) {
		other := fmt.Sprintf("/evaluations/%d/workspace/options/999999", p.demoID)
		for _, path := range []string{other, base + "/options/abc", "/evaluations/999999/workspace", fmt.Sprintf("%s/options/%d?line=999999", base, inHouse.ID)} {
			if res := p.get(path); res.status != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", path, res.status)
			}
		}
	})
}

// wsPost is one save through a form.
type wsPost struct {
	name   string
	path   string
	values func() url.Values
	status int
	// OK: where the redirect goes (prefix) and a check of the store.
	location string
	check    func(t *testing.T)
	// 422/409: what the re-rendered form must show.
	want []string
}

// wsRunPosts runs posts in order against evaluation evalID; every failing
// one must leave the store exactly as it was.
func wsRunPosts(t *testing.T, p *pageT, evalID int64, from string, posts []wsPost) {
	t.Helper()
	for _, tt := range posts {
		t.Run(tt.name, func(t *testing.T) {
			v := tt.values() // may change the store first (a stale version)
			before := wsState(t, p, evalID)
			res := p.postForm(tt.path, from, v)
			if res.status != tt.status {
				t.Fatalf("POST %s: %d, want %d\n%s", tt.path, res.status, tt.status, wsExcerpt(res.body))
			}
			if tt.status == http.StatusSeeOther {
				loc := res.header.Get("Location")
				if !strings.HasPrefix(loc, tt.location) || !strings.Contains(loc, "saved=") {
					t.Errorf("Location %q, want %s…?saved=…", loc, tt.location)
				}
				if wsState(t, p, evalID) == before {
					t.Errorf("the save changed nothing in the store")
				}
				// The page the redirect opens shows the notice and the new figures.
				page := p.get(loc)
				if page.status != http.StatusOK {
					t.Fatalf("GET %s after the save: %d", loc, page.status)
				}
				contains(t, loc, page.body, `id="saved"`, `id="summary"`)
				if tt.check != nil {
					tt.check(t)
				}
				return
			}
			contains(t, tt.path, res.body, tt.want...)
			if after := wsState(t, p, evalID); after != before {
				t.Errorf("a refused save changed the store:\nbefore %s\nafter  %s", before[:min(len(before), 300)], after[:min(len(after), 300)])
			}
		})
	}
}

// wsExcerpt is the error notices of a page, for failure messages.
func wsExcerpt(body string) string {
	var out []string
	for _, part := range strings.Split(body, `class="`) {
		if strings.HasPrefix(part, "field-error") || strings.HasPrefix(part, "notice") {
			out = append(out, part[:min(len(part), 200)])
		}
	}
	if len(out) == 0 {
		return body[:min(len(body), 2000)]
	}
	return strings.Join(out, "\n")
}

func TestWorkspaceSettings(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	ctx := context.Background()
	ws := fmt.Sprintf("/evaluations/%d/workspace", p.demoID)
	path := ws + "/settings"
	current := func() url.Values {
		e, err := p.st.GetEvaluation(ctx, p.demoID)
		if err != nil {
			t.Fatal(err)
		}
		return ui.SettingsValues(e)
	}
	wsRunPosts(t, p, p.demoID, path, []wsPost{
		{name: "OK", path: path, values: func() url.Values {
			return wsMerge(current(), "discount_rate", "0.05", "season_12", "1.3", "volume_growth", "0.04")
		}, status: http.StatusSeeOther, location: path, check: func(t *testing.T) {
			e, _ := p.st.GetEvaluation(ctx, p.demoID)
			if e.DiscountRate.String() != "0.05" || e.Volume.Seasonality[11].String() != "1.3" || e.Volume.Growth.String() != "0.04" {
				t.Errorf("stored %s %s %s", e.DiscountRate, e.Volume.Seasonality[11], e.Volume.Growth)
			}
		}},
		// The reading settings: set, shown as stored, then blank again (not
		// set, the export leaves them out).
		{name: "OKFiscal", path: path, values: func() url.Values {
			return wsMerge(current(), "fiscal_year_start", "4", "materiality", "1.25%")
		}, status: http.StatusSeeOther, location: path, check: func(t *testing.T) {
			e, _ := p.st.GetEvaluation(ctx, p.demoID)
			if e.FiscalYearStart == nil || *e.FiscalYearStart != 4 || e.Materiality == nil || e.Materiality.String() != "0.0125" {
				t.Fatalf("stored %v %v", e.FiscalYearStart, e.Materiality)
			}
			if v := current(); v.Get("fiscal_year_start") != "4" || v.Get("materiality") != "0.0125" {
				t.Errorf("form shows %q %q", v.Get("fiscal_year_start"), v.Get("materiality"))
			}
		}},
		{name: "ErrFiscal", path: path, values: func() url.Values {
			return wsMerge(current(), "fiscal_year_start", "13", "materiality", "20%")
		}, status: http.StatusUnprocessableEntity, want: append(wsFieldError("f-fiscal_year_start", "must be a calendar month"),
			wsFieldError("f-materiality", "must be between 0 and 0.1")...)},
		{name: "OKFiscalUnset", path: path, values: func() url.Values {
			return wsMerge(current(), "fiscal_year_start", "", "materiality", "")
		}, status: http.StatusSeeOther, location: path, check: func(t *testing.T) {
			e, _ := p.st.GetEvaluation(ctx, p.demoID)
			if e.FiscalYearStart != nil || e.Materiality != nil {
				t.Errorf("stored %v %v", e.FiscalYearStart, e.Materiality)
			}
		}},
		{name: "ErrNotANumber", path: path, values: func() url.Values {
			return wsMerge(current(), "horizon_months", "three years", "season_3", "x1")
		}, status: http.StatusUnprocessableEntity, want: append(wsFieldError("f-horizon_months", "must be a whole number"),
			append(wsFieldError("f-season_3", "must be a number"), `value="three years"`, `value="x1"`, "Nothing was saved")...)},
		{name: "OKPercent", path: path, values: func() url.Values {
			return wsMerge(current(), "discount_rate", "7.5%", "volume_growth", " 4 % ", "volume_monthly", "21,500")
		}, status: http.StatusSeeOther, location: path, check: func(t *testing.T) {
			e, _ := p.st.GetEvaluation(ctx, p.demoID)
			if e.DiscountRate.String() != "0.075" || e.Volume.Growth.String() != "0.04" || e.Volume.Monthly.String() != "21500" {
				t.Errorf("stored %s %s %s", e.DiscountRate, e.Volume.Growth, e.Volume.Monthly)
			}
		}},
		// A format error and a range error in one submit: both are named
		// (the range checked by the store without saving), each with an
		// example that fits its field.
		{name: "ErrAllAtOnce", path: path, values: func() url.Values {
			return wsMerge(current(), "volume_monthly", "lots", "discount_rate", "150%", "price_full_at", "1.4")
		}, status: http.StatusUnprocessableEntity, want: append(wsFieldError("f-volume_monthly", "must be a number, such as 20,000; &#34;lots&#34; is not"),
			append(wsFieldError("f-discount_rate", "must be less than 1"),
				append(wsFieldError("f-price_full_at", "must be less than Zero score at"), `value="150%"`, `value="lots"`)...)...)},
		{name: "ErrRateExample", path: path, values: func() url.Values {
			return wsMerge(current(), "discount_rate", "eight")
		}, status: http.StatusUnprocessableEntity, want: wsFieldError("f-discount_rate", "must be a number, such as 8% or 0.08")},
		{name: "ErrEngineRule", path: path, values: func() url.Values {
			return wsMerge(current(), "discount_rate", "1.5", "price_full_at", "1.4")
		}, status: http.StatusUnprocessableEntity, want: append(wsFieldError("f-discount_rate", "must be less than 1"),
			append(wsFieldError("f-price_full_at", "must be less than Zero score at"), `value="1.5"`)...)},
		{name: "ErrStale", path: path, values: func() url.Values {
			v := wsMerge(current(), "name", "Renamed by me")
			// someone else saves in between
			e, _ := p.st.GetEvaluation(ctx, p.demoID)
			if _, err := p.st.UpdateEvaluation(ctx, "other", e.ID, e.Version, e.Settings); err != nil {
				t.Fatal(err)
			}
			return v
		}, status: http.StatusConflict, want: []string{`id="conflict"`, "Someone changed", `href="` + path + `"`, `value="Renamed by me"`}},
	})
}

func TestWorkspaceLines(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	ctx := context.Background()
	opts := wsDemoOptions(t, p)
	o := opts["in-house"]
	page := ui.OptionURL(p.demoID, o.ID)
	add := page + "/lines"
	line := func(name string) *store.Line {
		got, err := p.st.ListLines(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		for i := range got {
			if got[i].Name == name {
				return &got[i]
			}
		}
		return nil
	}
	wsRunPosts(t, p, p.demoID, page, []wsPost{
		{name: "OK", path: add, values: func() url.Values {
			return url.Values{"l_name": {"Night shift allowance"}, "l_category": {"personnel"}, "l_basis": {"fixed"},
				"l_amount": {"1,250.50"}, "l_escalation": {"0.03"}, "l_month": {"4"}} // month belongs to one-time lines: ignored
		}, status: http.StatusSeeOther, location: page, check: func(t *testing.T) {
			l := line("Night shift allowance")
			if l == nil || l.Amount.String() != "1250.5" || l.Escalation.String() != "0.03" || l.Month != nil {
				t.Errorf("stored %+v", l)
			}
		}},
		{name: "OKPerBlockWithCapacity", path: add, values: func() url.Values {
			return url.Values{"l_name": {"Weekend agents"}, "l_category": {"personnel"}, "l_basis": {"per_block"}, "l_amount": {"3900"},
				"l_cap_aht_minutes": {"6"}, "l_cap_occupancy": {"0.85"}, "l_cap_shrinkage": {"0.3"}, "l_cap_paid_hours": {"173.333"},
				"l_from_month": {"1"}, "l_to_month": {"6"}}
		}, status: http.StatusSeeOther, location: page, check: func(t *testing.T) {
			l := line("Weekend agents")
			if l == nil || l.Capacity == nil || l.Capacity.PaidHours.String() != "173.333" || *l.ToMonth != 6 {
				t.Errorf("stored %+v", l)
			}
		}},
	})
	// Edit, delete and the failures need the line ids: run them after.
	l := line("Night shift allowance")
	edit := fmt.Sprintf("%s/lines/%d", page, l.ID)
	wsRunPosts(t, p, p.demoID, page, []wsPost{
		{name: "OKEdit", path: edit, values: func() url.Values {
			return wsMerge(ui.LineValues(*line("Night shift allowance")), "l_amount", "1400")
		}, status: http.StatusSeeOther, location: page, check: func(t *testing.T) {
			if got := line("Night shift allowance"); got.Amount.String() != "1400" {
				t.Errorf("amount %s", got.Amount)
			}
		}},
		{name: "ErrEditNegative", path: edit, values: func() url.Values {
			return wsMerge(ui.LineValues(*line("Night shift allowance")), "l_amount", "-1")
		}, status: http.StatusUnprocessableEntity, want: append(wsFieldError("f-l_amount", "must be ≥ 0"), `value="-1"`, "Edit the line")},
		{name: "ErrEditStale", path: edit, values: func() url.Values {
			v := wsMerge(ui.LineValues(*line("Night shift allowance")), "l_amount", "1500")
			cur := line("Night shift allowance")
			if _, err := p.st.UpdateLine(ctx, "other", cur.ID, cur.Version, cur.Line); err != nil {
				t.Fatal(err)
			}
			return v
		}, status: http.StatusConflict, want: []string{`id="conflict"`, "Someone changed this cost line", `value="1500"`}},
		{name: "ErrDeleteStale", path: edit + "/delete", values: func() url.Values {
			return url.Values{"version": {strconv.FormatInt(line("Night shift allowance").Version-1, 10)}}
		}, status: http.StatusConflict, want: []string{`id="conflict"`}},
		{name: "OKDelete", path: edit + "/delete", values: func() url.Values {
			return url.Values{"version": {strconv.FormatInt(line("Night shift allowance").Version, 10)}}
		}, status: http.StatusSeeOther, location: page, check: func(t *testing.T) {
			if line("Night shift allowance") != nil {
				t.Error("the line is still there")
			}
		}},
	})
	// The failures of new lines.
	wsRunPosts(t, p, p.demoID, page, []wsPost{
		{name: "ErrNegativeAmount", path: add, values: func() url.Values {
			return url.Values{"l_name": {"Bad"}, "l_category": {"technology"}, "l_basis": {"fixed"}, "l_amount": {"-5"}}
		}, status: http.StatusUnprocessableEntity, want: append(wsFieldError("f-l_amount", "must be ≥ 0"), `value="-5"`, `value="Bad"`)},
		{name: "ErrWindow", path: add, values: func() url.Values {
			return url.Values{"l_name": {"Lease"}, "l_category": {"operations"}, "l_basis": {"fixed"}, "l_amount": {"100"},
				"l_from_month": {"9"}, "l_to_month": {"3"}}
		}, status: http.StatusUnprocessableEntity, want: append(wsFieldError("f-l_to_month", "must not be before the From month (9)"), `value="9"`)},
		{name: "ErrOneTimeWithoutMonth", path: add, values: func() url.Values {
			return url.Values{"l_name": {"Severance"}, "l_category": {"personnel"}, "l_basis": {"one_time"}, "l_amount": {"120000"}}
		}, status: http.StatusUnprocessableEntity, want: wsFieldError("f-l_month", "is required on a one-time line")},
		{name: "ErrCapacity", path: add, values: func() url.Values {
			return url.Values{"l_name": {"Agents"}, "l_category": {"personnel"}, "l_basis": {"per_block"}, "l_amount": {"3900"},
				"l_cap_aht_minutes": {"6"}, "l_cap_occupancy": {"1.2"}, "l_cap_shrinkage": {"0.3"}, "l_cap_paid_hours": {"160"}}
		}, status: http.StatusUnprocessableEntity, want: append(wsFieldError("f-l_cap_occupancy", "must be greater than 0 and at most 1"), `value="1.2"`)},
		{name: "ErrShareOnInHouse", path: add, values: func() url.Values {
			return url.Values{"l_name": {"Governance"}, "l_category": {"personnel"}, "l_basis": {"share_of_vendor"}, "l_amount": {"0.05"}}
		}, status: http.StatusUnprocessableEntity, want: wsFieldError("f-l_basis", "share_of_vendor is only allowed on an option with pricing")},
	})
}

func TestWorkspaceQuotes(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	ctx := context.Background()
	ws := fmt.Sprintf("/evaluations/%d/workspace", p.demoID)
	opts := wsDemoOptions(t, p)
	e, _ := p.st.GetEvaluation(ctx, p.demoID)
	byName := func(name string) *store.Option {
		list, err := p.st.ListOptions(ctx, p.demoID)
		if err != nil {
			t.Fatal(err)
		}
		for i := range list {
			if list[i].Name == name {
				return &list[i]
			}
		}
		return nil
	}
	vendorA := opts["vendor-a"]
	page := ui.OptionURL(p.demoID, vendorA.ID)
	quote := func(kv ...string) func() url.Values {
		return func() url.Values {
			cur, err := p.st.GetOption(ctx, vendorA.ID)
			if err != nil {
				t.Fatal(err)
			}
			v := ui.QuoteValues(cur, e.Currency)
			v["tier_up_to"], v["tier_price"] = []string{"10000", "20000", "", ""}, []string{"5.10", "4.70", "4.30", ""}
			return wsMerge(v, kv...)
		}
	}
	wsRunPosts(t, p, p.demoID, ws, []wsPost{
		{name: "OKAddVendor", path: ws + "/options", values: func() url.Values {
			return url.Values{"name": {"Vendor D: Porto Contact"}, "price": {"4.95"}, "p_currency": {"EUR"}, "p_fx_rate": {"1"}}
		}, status: http.StatusSeeOther, location: ws + "/options/", check: func(t *testing.T) {
			o := byName("Vendor D: Porto Contact")
			if o == nil || o.Slug != "vendor-d-porto-contact" || o.Kind != tco.KindVendor || o.Pricing == nil || o.Pricing.Tiers[0].Price.String() != "4.95" {
				t.Errorf("stored %+v", o)
			}
		}},
		{name: "OKAddVendorPerMinute", path: ws + "/options", values: func() url.Values {
			return url.Values{"name": {"Vendor M"}, "p_quoted": {"minute"}, "price": {"0.62"}, "p_unit_factor": {"6.5"}, "p_currency": {"CNY"}, "p_fx_rate": {"0.128"}}
		}, status: http.StatusSeeOther, location: ws + "/options/", check: func(t *testing.T) {
			o := byName("Vendor M")
			if o == nil || o.Pricing == nil || o.Pricing.Per != tco.PricingPerUnit || o.Pricing.UnitFactor.String() != "6.5" || o.Pricing.Currency != "CNY" || o.Pricing.Tiers[0].Price.String() != "0.62" {
				t.Errorf("stored %+v", o)
			}
		}},
		{name: "OKAddVendorPerFTE", path: ws + "/options", values: func() url.Values {
			return url.Values{"name": {"Vendor F"}, "p_quoted": {"fte"}, "price": {"4,150.00"}, "p_block_size": {"1,200"}, "p_currency": {"EUR"}, "p_fx_rate": {"1"}}
		}, status: http.StatusSeeOther, location: ws + "/options/", check: func(t *testing.T) {
			o := byName("Vendor F")
			if o == nil || o.Pricing == nil || o.Pricing.Per != tco.PricingPerBlock || o.Pricing.BlockSize == nil || o.Pricing.BlockSize.String() != "1200" || o.Pricing.Tiers[0].Price.String() != "4150" {
				t.Errorf("stored %+v", o)
			}
		}},
		{name: "ErrAddVendorPerMinute", path: ws + "/options", values: func() url.Values {
			return url.Values{"name": {"Vendor N"}, "p_quoted": {"minute"}, "price": {"0.6"}, "p_unit_factor": {"six"}, "p_currency": {"EUR"}}
		}, status: http.StatusUnprocessableEntity, want: append(wsFieldError("f-vendor-minutes", "must be a number, such as 6.5"), `value="six"`)},
		{name: "ErrAddVendor", path: ws + "/options", values: func() url.Values {
			return url.Values{"name": {""}, "price": {"four"}, "p_currency": {"EUR"}}
		}, status: http.StatusUnprocessableEntity, want: append(wsFieldError("f-vendor-price", "must be a number"), `value="four"`, `id="f-vendor-name-error"`,
			`<a href="#f-vendor-price">Price</a>`)},
		{name: "ErrAddVendorFX", path: ws + "/options", values: func() url.Values {
			return url.Values{"name": {"Vendor E"}, "price": {"1"}, "p_currency": {"EUR"}, "p_fx_rate": {"1.1"}}
		}, status: http.StatusUnprocessableEntity, want: append(wsFieldError("f-vendor-fx", "must be 1 when the quote is in the evaluation"), `value="1.1"`)},
		{name: "OKCopyBaseline", path: ws + "/improvement", values: func() url.Values {
			return url.Values{"name": {"In-house with voice bot"}, "volume_share": {"0.8"}}
		}, status: http.StatusSeeOther, location: ws + "/options/", check: func(t *testing.T) {
			o := byName("In-house with voice bot")
			if o == nil || o.Kind != tco.KindImprovement || o.VolumeShare.String() != "0.8" || len(o.Lines) != len(opts["in-house"].Lines) {
				t.Errorf("stored %+v", o)
			}
		}},
		{name: "ErrCopyBaselineShare", path: ws + "/improvement", values: func() url.Values {
			return url.Values{"name": {"Too much"}, "volume_share": {"1.5"}}
		}, status: http.StatusUnprocessableEntity, want: append(wsFieldError("f-improvement-share", "must be between 0 and 1"), `value="1.5"`)},
	})
	wsRunPosts(t, p, p.demoID, page, []wsPost{
		{name: "OKQuote", path: page, values: quote("p_minimum_charge", "30000", "p_setup_fee", "25000", "p_tier_mode", "all_units"),
			status: http.StatusSeeOther, location: page, check: func(t *testing.T) {
				o, _ := p.st.GetOption(ctx, vendorA.ID)
				pr := o.Pricing
				if len(pr.Tiers) != 3 || pr.Tiers[1].UpTo.String() != "20000" || pr.Tiers[2].UpTo != nil || pr.Tiers[2].Price.String() != "4.3" ||
					pr.MinimumCharge.String() != "30000" || pr.TierMode != "all_units" || len(o.Lines) != len(vendorA.Lines) {
					t.Errorf("stored %+v with %d lines", pr, len(o.Lines))
				}
			}},
		{name: "ErrTierOrder", path: page, values: func() url.Values {
			v := quote()()
			v["tier_up_to"], v["tier_price"] = []string{"20000", "10000", ""}, []string{"5", "4.5", "4"}
			return v
		}, status: http.StatusUnprocessableEntity, want: append(wsFieldError("f-tier-1-up_to", "must be greater than the previous tier&#39;s bound (20000)"),
			`<a href="#f-tier-1-up_to">Tier 2: up to</a>`,
			`id="f-tier-1-up_to" name="tier_up_to" value="10000"`, `id="f-tier-0-up_to" name="tier_up_to" value="20000"`)},
		{name: "ErrTierPrice", path: page, values: func() url.Values {
			v := quote()()
			v["tier_up_to"], v["tier_price"] = []string{"", "10000", ""}, []string{"", "", "4"} // first row blank: dropped
			return v
		}, status: http.StatusUnprocessableEntity, want: wsFieldError("f-tier-0-price", "is required")},
		{name: "ErrLastTierBound", path: page, values: func() url.Values {
			v := quote()()
			v["tier_up_to"], v["tier_price"] = []string{"10000"}, []string{"5"}
			return v
		}, status: http.StatusUnprocessableEntity, want: wsFieldError("f-tier-0-up_to", "must be left out on the last tier")},
		{name: "ErrFX", path: page, values: quote("p_currency", "USD", "p_fx_rate", "0"),
			status: http.StatusUnprocessableEntity, want: append(wsFieldError("f-p_fx_rate", "must be greater than 0"), `<option value="USD" selected>`)},
		{name: "ErrSlugTaken", path: page, values: quote("slug", "vendor-b"),
			status: http.StatusConflict, want: append(wsFieldError("f-slug", "another option of this evaluation already has this id"), `value="vendor-b"`)},
		{name: "ErrSlug", path: page, values: quote("slug", "Vendor A!"),
			status: http.StatusUnprocessableEntity, want: append(wsFieldError("f-slug", "must be 1 to 64 characters"), `value="Vendor A!"`)},
		{name: "ErrStale", path: page, values: func() url.Values {
			v := quote("p_fixed_monthly", "999")()
			cur, _ := p.st.GetOption(ctx, vendorA.ID)
			if _, err := p.st.UpdateOption(ctx, "other", cur.ID, cur.Version, store.OptionInput{Slug: cur.Slug, Name: cur.Name,
				Kind: cur.Kind, VolumeShare: &cur.VolumeShare, VendorID: cur.VendorID}); err != nil {
				t.Fatal(err)
			}
			return v
		}, status: http.StatusConflict, want: []string{`id="conflict"`, "Someone changed this option", `value="999"`}},
		{name: "OKNewVendorLinked", path: page + "/vendor", values: func() url.Values {
			cur, _ := p.st.GetOption(ctx, vendorA.ID)
			return url.Values{"v_name": {"Atlantic Contact Services SA"}, "v_email": {"bids@atlantic.example"}, "version": {strconv.FormatInt(cur.Version, 10)}}
		}, status: http.StatusSeeOther, location: page, check: func(t *testing.T) {
			cur, _ := p.st.GetOption(ctx, vendorA.ID)
			v, err := p.st.GetVendor(ctx, *cur.VendorID)
			if err != nil || v.Name != "Atlantic Contact Services SA" {
				t.Errorf("linked %v %v", v, err)
			}
		}},
		{name: "ErrNewVendorEmail", path: page + "/vendor", values: func() url.Values {
			cur, _ := p.st.GetOption(ctx, vendorA.ID)
			return url.Values{"v_name": {"Other BPO"}, "v_email": {"not-an-address"}, "version": {strconv.FormatInt(cur.Version, 10)}}
		}, status: http.StatusUnprocessableEntity, want: append(wsFieldError("f-v_email", "must be an e-mail address"), `value="not-an-address"`)},
		{name: "OKNewRound", path: page + "/rounds", values: func() url.Values {
			return url.Values{"r_label": {"best_and_final"}, "r_received": {"2026-12-01"}, "r_notes": {"BAFO"}}
		}, status: http.StatusSeeOther, location: page, check: func(t *testing.T) {
			rs, _ := p.st.ListRounds(ctx, vendorA.ID)
			last := rs[len(rs)-1]
			cur, _ := p.st.GetOption(ctx, vendorA.ID)
			if last.Label != store.LabelBestAndFinal || last.Received != "2026-12-01" || cur.RoundID != last.ID || len(last.Pricing.Tiers) != 3 {
				t.Errorf("round %+v", last)
			}
			body := p.get(page).body
			contains(t, "rounds", body, "Best and final", "2026-12-01", `<span class="ws-tag">current</span>`)
		}},
		{name: "ErrNewRoundDate", path: page + "/rounds", values: func() url.Values {
			return url.Values{"r_label": {"revised"}, "r_received": {"1 December"}}
		}, status: http.StatusUnprocessableEntity, want: append(wsFieldError("f-r_received", "must be a date YYYY-MM-DD"), `value="1 December"`)},
	})
	// Deleting: the baseline is refused, another option goes.
	base := opts["in-house"]
	wsRunPosts(t, p, p.demoID, ws, []wsPost{
		{name: "ErrDeleteBaseline", path: ui.OptionURL(p.demoID, base.ID) + "/delete", values: func() url.Values {
			return url.Values{"version": {strconv.FormatInt(base.Version, 10)}}
		}, status: http.StatusUnprocessableEntity, want: []string{"The option was not deleted", "baseline"}},
		{name: "ErrDeleteStale", path: ui.OptionURL(p.demoID, opts["vendor-c"].ID) + "/delete", values: func() url.Values {
			return url.Values{"version": {strconv.FormatInt(opts["vendor-c"].Version+1, 10)}}
		}, status: http.StatusConflict, want: []string{`id="conflict"`, "Someone changed this option"}},
		{name: "OKDelete", path: ui.OptionURL(p.demoID, opts["vendor-c"].ID) + "/delete", values: func() url.Values {
			return url.Values{"version": {strconv.FormatInt(opts["vendor-c"].Version, 10)}}
		}, status: http.StatusSeeOther, location: ws, check: func(t *testing.T) {
			if _, err := p.st.GetOption(ctx, opts["vendor-c"].ID); err == nil {
				t.Error("vendor C is still there")
			}
		}},
	})
}

func TestWorkspaceCriteria(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	ctx := context.Background()
	ws := fmt.Sprintf("/evaluations/%d/workspace", p.demoID)
	page := ws + "/criteria"
	crits, _ := p.st.ListCriteria(ctx, p.demoID)
	csat := crits[0]
	opts := wsDemoOptions(t, p)
	grid := func(kv ...string) func() url.Values {
		return func() url.Values {
			scores, err := p.st.ListScores(ctx, p.demoID)
			if err != nil {
				t.Fatal(err)
			}
			v := url.Values{}
			for _, s := range scores {
				v.Set(ui.ScoreName(s.OptionID, s.CriterionID), s.Value.String())
				v.Set("v."+ui.ScoreName(s.OptionID, s.CriterionID), strconv.FormatInt(s.Version, 10))
			}
			return wsMerge(v, kv...)
		}
	}
	score := func(opt string, crit int64) string {
		scores, _ := p.st.ListScores(ctx, p.demoID)
		for _, s := range scores {
			if s.OptionID == opts[opt].ID && s.CriterionID == crit {
				return s.Value.String()
			}
		}
		return ""
	}
	a, b := ui.ScoreName(opts["vendor-a"].ID, csat.ID), ui.ScoreName(opts["vendor-b"].ID, csat.ID)
	wsRunPosts(t, p, p.demoID, page, []wsPost{
		{name: "OKScores", path: ws + "/scores", values: grid(a, "9", b, "6.5"), status: http.StatusSeeOther, location: page,
			check: func(t *testing.T) {
				if score("vendor-a", csat.ID) != "9" || score("vendor-b", csat.ID) != "6.5" {
					t.Errorf("scores %s %s", score("vendor-a", csat.ID), score("vendor-b", csat.ID))
				}
			}},
		{name: "ErrScoreAboveScale", path: ws + "/scores", values: grid(a, "7", b, "11"), status: http.StatusUnprocessableEntity,
			want: append(wsFieldError("f-"+strings.ReplaceAll(b, ".", "-"), "must be at most the criterion&#39;s scale (10)"), `value="11"`, `value="7"`)},
		{name: "ErrScoreText", path: ws + "/scores", values: grid(a, "good"), status: http.StatusUnprocessableEntity,
			want: append(wsFieldError("f-"+strings.ReplaceAll(a, ".", "-"), "must be a number from 0 to 10"), `value="good"`)},
		{name: "ErrScoresStale", path: ws + "/scores", values: func() url.Values {
			v := grid(a, "4")()
			s, _ := p.st.ListScores(ctx, p.demoID)
			for _, sc := range s {
				if sc.OptionID == opts["vendor-b"].ID && sc.CriterionID == csat.ID {
					if _, err := p.st.UpdateScore(ctx, "other", sc.ID, sc.Version, sc.Value); err != nil {
						t.Fatal(err)
					}
				}
			}
			return v
		}, status: http.StatusConflict, want: []string{`id="conflict"`, "score grid", `value="4"`}},
		{name: "OKClearScore", path: ws + "/scores", values: grid(a, ""), status: http.StatusSeeOther, location: page,
			check: func(t *testing.T) {
				if score("vendor-a", csat.ID) != "" {
					t.Error("the score is still there")
				}
				contains(t, "summary", p.get(page).body, "no score on csat")
			}},
		{name: "OKAddCriterion", path: page, values: func() url.Values {
			return url.Values{"c_name": {"Data residency"}, "c_weight": {"10"}, "c_minimum": {"5"}}
		}, status: http.StatusSeeOther, location: page, check: func(t *testing.T) {
			cs, _ := p.st.ListCriteria(ctx, p.demoID)
			last := cs[len(cs)-1]
			if last.Key != "data-residency" || last.Scale.String() != "10" || last.Minimum.String() != "5" {
				t.Errorf("stored %+v", last)
			}
		}},
		{name: "ErrCriterionWeight", path: page, values: func() url.Values {
			return url.Values{"c_name": {"Uptime"}, "c_weight": {"0"}, "c_scale": {"10"}, "c_minimum": {"12"}}
		}, status: http.StatusUnprocessableEntity, want: append(wsFieldError("f-c_weight", "must be greater than 0"),
			append(wsFieldError("f-c_minimum", "must be at most the scale"), `value="Uptime"`)...)},
		{name: "ErrCriterionDuplicateKey", path: page, values: func() url.Values {
			return url.Values{"c_name": {"Another"}, "c_key": {"csat"}, "c_weight": {"5"}}
		}, status: http.StatusConflict, want: wsFieldError("f-c_key", "another criterion already has this key")},
		{name: "OKEditCriterion", path: fmt.Sprintf("%s/%d", page, csat.ID), values: func() url.Values {
			cur, _ := p.st.GetCriterion(ctx, csat.ID)
			return wsMerge(ui.CriterionValues(*cur), "c_weight", "35")
		}, status: http.StatusSeeOther, location: page, check: func(t *testing.T) {
			cur, _ := p.st.GetCriterion(ctx, csat.ID)
			if cur.Weight.String() != "35" {
				t.Errorf("weight %s", cur.Weight)
			}
		}},
		{name: "ErrEditCriterionStale", path: fmt.Sprintf("%s/%d", page, csat.ID), values: func() url.Values {
			cur, _ := p.st.GetCriterion(ctx, csat.ID)
			return wsMerge(ui.CriterionValues(*cur), "c_weight", "40", "version", strconv.FormatInt(cur.Version-1, 10))
		}, status: http.StatusConflict, want: []string{`id="conflict"`, `value="40"`}},
		{name: "OKDeleteCriterion", path: fmt.Sprintf("%s/%d/delete", page, crits[1].ID), values: func() url.Values {
			return url.Values{"version": {strconv.FormatInt(crits[1].Version, 10)}}
		}, status: http.StatusSeeOther, location: page},
	})
}

// TestWorkspaceNewEvaluation builds an evaluation from nothing through the
// forms: the summary says what is missing, then shows the figures, and
// they match the engine's.
func TestWorkspaceNewEvaluation(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	ctx := context.Background()
	res := p.postForm("/evaluations", "/", url.Values{"name": {"Help desk 2027"}, "currency": {"EUR"}, "start": {"2027-01"},
		"horizon_months": {"12"}, "volume_monthly": {"1000"}, "volume_unit": {"ticket"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("create: %d", res.status)
	}
	ws := res.header.Get("Location")
	id, _ := strconv.ParseInt(strings.Split(ws, "/")[2], 10, 64)
	page := p.get(ws)
	contains(t, "empty workspace", page.body, `id="summary-problems"`, "must have at least 2 options")
	opts, _ := p.st.ListOptions(ctx, id)
	base := ui.OptionURL(id, opts[0].ID)
	if r := p.postForm(base+"/lines", ws, url.Values{"l_name": {"Staff"}, "l_category": {"personnel"}, "l_basis": {"fixed"}, "l_amount": {"10000"}}); r.status != http.StatusSeeOther {
		t.Fatalf("line: %d %s", r.status, wsExcerpt(r.body))
	}
	if r := p.postForm(ws+"/options", ws, url.Values{"name": {"Vendor A"}, "price": {"8"}, "p_currency": {"EUR"}}); r.status != http.StatusSeeOther {
		t.Fatalf("vendor: %d %s", r.status, wsExcerpt(r.body))
	}
	page = p.get(ws + "?saved=option")
	// in-house 12 × 10,000 = 120,000; vendor 12 × 1,000 × 8 = 96,000: 20% saved
	contains(t, "summary", page.body, `data-option="in-house"`, `data-field="tco">€120,000</span>`, `data-field="tco">€96,000</span>`, "€24,000 <span class=\"small\">(20.0%)</span>")
	doc, _ := p.st.Document(ctx, id, nil)
	cmp, err := tco.Compare(doc, tco.CompareOptions{SkipAnalysis: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := cmp.Options[1].TCO.Value; !got.Equal(decimal.NewFromInt(96000)) {
		t.Errorf("engine TCO %s", got)
	}
}

// TestWorkspaceKeepsServiceLevel: the line form has fields for a capacity's
// four workload figures only, so saving it must keep the service level,
// open hours, interval and profile stored with the line (spec §8) instead of
// silently dropping them.
func TestWorkspaceKeepsServiceLevel(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	ctx := context.Background()
	o := wsDemoOptions(t, p)["in-house"]
	page := ui.OptionURL(p.demoID, o.ID)
	open := decimal.RequireFromString("260")
	stored, err := p.st.CreateLine(ctx, "test", o.ID, tco.Line{Name: "Agents to 80/20", Category: tco.CategoryPersonnel,
		Basis: tco.BasisPerBlock, Amount: decimal.RequireFromString("3900"),
		Capacity: &tco.Capacity{AHTMinutes: decimal.RequireFromString("6"), Occupancy: decimal.RequireFromString("0.85"),
			Shrinkage: decimal.RequireFromString("0.3"), PaidHours: decimal.RequireFromString("168"),
			ServiceLevel: &tco.ServiceLevel{Target: decimal.RequireFromString("0.8"), Seconds: decimal.RequireFromString("20")},
			OpenHours:    &open, IntervalMinutes: 30,
			Profile: []decimal.Decimal{decimal.RequireFromString("1"), decimal.RequireFromString("2"), decimal.RequireFromString("1")}}})
	if err != nil {
		t.Fatal(err)
	}
	edit := fmt.Sprintf("%s/lines/%d", page, stored.ID)
	res := p.postForm(edit, page, wsMerge(ui.LineValues(*stored), "l_cap_aht_minutes", "6.5"))
	if res.status != http.StatusSeeOther {
		t.Fatalf("POST %s: %d\n%s", edit, res.status, wsExcerpt(res.body))
	}
	lines, err := p.st.ListLines(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lines {
		if l.ID != stored.ID {
			continue
		}
		c := l.Capacity
		if c == nil || c.AHTMinutes.String() != "6.5" {
			t.Fatalf("the form's change was not saved: %+v", c)
		}
		if c.ServiceLevel == nil || c.ServiceLevel.Target.String() != "0.8" || c.OpenHours == nil || !c.OpenHours.Equal(open) ||
			c.IntervalMinutes != 30 || len(c.Profile) != 3 || c.Profile[1].String() != "2" {
			t.Errorf("the service level was dropped by the form: %+v", c)
		}
		return
	}
	t.Fatal("the line is gone")
}
