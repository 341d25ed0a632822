package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"vendorcompare/internal/store"
)

// Issue 11 defects 3 and 5 in the workspace forms, sent as a browser sends
// them: a rate left blank is never read as 1, and an implausible value is
// saved only on a second submit with the confirm box ticked, the typed
// values kept in between and nothing saved before.

// confirmBox is the confirm box as the "confirm" partial renders it.
const confirmBox = `id="f-confirm" name="confirm" type="checkbox" value="1"`

func TestWorkspaceConfirm(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	base := fmt.Sprintf("/evaluations/%d/workspace", p.demoID)
	opts := wsDemoOptions(t, p)

	t.Run("VendorQuoteFXRate", func(t *testing.T) {
		quote := url.Values{"name": {"Vendor Z"}, "price": {"4.5"}, "p_currency": {"USD"}, "p_fx_rate": {""}}
		before := wsState(t, p, p.demoID)
		// Defect 3: the rate left blank is refused at its field, never 1.
		res := p.postAsBrowser(base+"/options", base, wsMerge(quote))
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("blank rate: status %d", res.status)
		}
		contains(t, "blank rate", res.body, wsFieldError("f-vendor-fx", "is required when the quote&#39;s currency (USD) differs from the evaluation&#39;s (EUR)")...)
		if strings.Contains(res.body, confirmBox) {
			t.Error("a missing rate offers the confirm box: it is not a value to confirm")
		}
		// Defect 5: a rate of exactly 1 between USD and EUR asks.
		res = p.postAsBrowser(base+"/options", base, wsMerge(quote, "p_fx_rate", "1"))
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("rate 1: status %d", res.status)
		}
		contains(t, "rate 1", res.body, confirmBox,
			"Nothing was saved: 1 value looks implausible",
			"an exchange rate of exactly 1 between USD and EUR",
			`id="f-vendor-name" name="name" type="text" value="Vendor Z"`,
			`id="f-vendor-price" name="price" type="text" value="4.5"`,
			`id="f-vendor-fx" name="p_fx_rate" type="text" value="1"`)
		if now := wsState(t, p, p.demoID); now != before {
			t.Fatal("an unconfirmed quote was saved")
		}
		res = p.postAsBrowser(base+"/options", base, wsMerge(quote, "p_fx_rate", "1", "confirm", "1"))
		if res.status != http.StatusSeeOther {
			t.Fatalf("confirmed: status %d: %.300s", res.status, res.body)
		}
		z, ok := wsDemoOptions(t, p)["vendor-z"]
		if !ok || z.Pricing.Currency != "USD" || z.Pricing.FXRate.String() != "1" {
			t.Fatalf("saved %+v", z)
		}
	})

	t.Run("LineEscalation", func(t *testing.T) {
		inHouse := opts["in-house"]
		path := fmt.Sprintf("%s/options/%d/lines", base, inHouse.ID)
		from := fmt.Sprintf("%s/options/%d", base, inHouse.ID)
		line := url.Values{"l_name": {"Rent"}, "l_category": {"operations"}, "l_basis": {"fixed"}, "l_amount": {"1000"}, "l_escalation": {"0.3"}}
		before := wsState(t, p, p.demoID)
		res := p.postAsBrowser(path, from, wsMerge(line))
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", res.status)
		}
		contains(t, "escalation 0.3", res.body, confirmBox,
			`an escalation of 30% a year for the line &#34;Rent&#34; is more than 25%`,
			`id="f-l_escalation-error"`, `value="Rent"`, `name="l_escalation" type="text" value="0.3"`)
		if now := wsState(t, p, p.demoID); now != before {
			t.Fatal("an unconfirmed line was saved")
		}
		// Ticked but with another problem: the box stays ticked beside it.
		res = p.postAsBrowser(path, from, wsMerge(line, "l_amount", "lots", "confirm", "1"))
		contains(t, "ticked, amount bad", res.body, confirmBox+" checked")
		if res := p.postAsBrowser(path, from, wsMerge(line, "confirm", "1")); res.status != http.StatusSeeOther {
			t.Fatalf("confirmed: status %d", res.status)
		}
	})

	t.Run("NewEvaluationDemand", func(t *testing.T) {
		v := url.Values{"name": {"Help desk"}, "currency": {"EUR"}, "start": {"2027-01"}, "horizon_months": {"36"},
			"volume_monthly": {"20000000000"}, "volume_unit": {"ticket"}}
		res := p.postAsBrowser("/evaluations", "/", wsMerge(v))
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", res.status)
		}
		contains(t, "demand 2e10", res.body, confirmBox, "a demand of 20,000,000,000 tickets a month is more than 1,000,000,000",
			`name="volume_monthly" type="text" value="20000000000"`)
		if res := p.postAsBrowser("/evaluations", "/", wsMerge(v, "confirm", "1")); res.status != http.StatusSeeOther {
			t.Fatalf("confirmed: status %d", res.status)
		}
	})

	t.Run("SettingsHorizon", func(t *testing.T) {
		e, err := p.st.GetEvaluation(context.Background(), p.demoID)
		if err != nil {
			t.Fatal(err)
		}
		v := url.Values{"name": {e.Name}, "currency": {e.Currency}, "start": {e.Start}, "horizon_months": {"300"},
			"discount_rate": {e.DiscountRate.String()}, "timing": {e.Timing}, "escalation": {e.Escalation},
			"baseline": {e.Baseline}, "volume_unit": {e.Volume.Unit}, "volume_monthly": {e.Volume.Monthly.String()},
			"volume_growth": {e.Volume.Growth.String()}, "price_weight": {e.Price.Weight.String()},
			"price_basis": {e.Price.Basis}, "price_formula": {e.Price.Formula}, "price_full_at": {e.Price.FullAt.String()},
			"price_zero_at": {e.Price.ZeroAt.String()}, "version": {strconv.FormatInt(e.Version, 10)}}
		for i, s := range e.Volume.Seasonality {
			v.Set(fmt.Sprintf("season_%d", i+1), s.String())
		}
		res := p.postAsBrowser(base+"/settings", base+"/settings", v)
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", res.status)
		}
		contains(t, "horizon 300", res.body, confirmBox, "a horizon of 300 months (25 years)", `name="horizon_months" type="text" value="300"`)
		v.Set("confirm", "1")
		if res := p.postAsBrowser(base+"/settings", base+"/settings", v); res.status != http.StatusSeeOther {
			t.Fatalf("confirmed: status %d", res.status)
		}
		if e, _ := p.st.GetEvaluation(context.Background(), p.demoID); e.HorizonMonths != 300 {
			t.Errorf("horizon %d", e.HorizonMonths)
		}
	})
}

// TestWorkspaceConfirmBrowser: in Chromium, a vendor quote at a rate of 1
// between two currencies shows the finding and the confirm box with the
// typed values kept; ticked and sent again, it is saved.
func TestWorkspaceConfirmBrowser(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	for _, width := range []int{1280, 390} {
		t.Run(strconv.Itoa(width), func(t *testing.T) {
			b := newBrowser(t, p, width, 900)
			name := fmt.Sprintf("Vendor W%d", width)
			b.open(fmt.Sprintf("/evaluations/%d/workspace", p.demoID))
			if err := b.do(
				chromedp.SendKeys(chromedp.ID("f-vendor-name"), name),
				chromedp.SetValue(chromedp.ID("f-vendor-price"), "4.6"),
				chromedp.SetValue(chromedp.ID("f-vendor-currency"), "USD"),
				chromedp.SetValue(chromedp.ID("f-vendor-fx"), "1"),
				chromedp.Submit(chromedp.ID("f-vendor-name"))); err != nil {
				t.Fatal(err)
			}
			b.waitFor(`!!document.getElementById("f-confirm")`)
			if got := eval[string](b, `[document.getElementById("f-vendor-name").value, document.getElementById("f-vendor-price").value, document.getElementById("f-vendor-currency").value, document.getElementById("f-vendor-fx").value, document.getElementById("f-confirm").checked].join(" | ")`); got != name+" | 4.6 | USD | 1 | false" {
				t.Errorf("after the first submit: %q", got)
			}
			if got := eval[string](b, `document.querySelector("#add-vendor .notice.bad").textContent`); !strings.Contains(got, "an exchange rate of exactly 1 between USD and EUR") {
				t.Errorf("summary %q", got)
			}
			if _, ok := optionNamed(t, p, name); ok {
				t.Fatal("saved before the confirmation")
			}
			b.screenshot(fmt.Sprintf("confirm-vendor-%d", width))
			b.reset() // the 422 of the refused submit, logged by the browser
			b.clean()
			if err := b.do(chromedp.Click(chromedp.ID("f-confirm")), chromedp.Submit(chromedp.ID("f-vendor-name"))); err != nil {
				t.Fatal(err)
			}
			b.waitFor(`location.search.includes("saved=option-added")`)
			o, ok := optionNamed(t, p, name)
			if !ok || o.Pricing.Currency != "USD" || o.Pricing.FXRate.String() != "1" || o.Pricing.Tiers[0].Price.String() != "4.6" {
				t.Fatalf("saved %+v", o)
			}
			b.clean()
		})
	}
}

// optionNamed finds a demo option by name.
func optionNamed(t testing.TB, p *pageT, name string) (store.Option, bool) {
	t.Helper()
	for _, o := range wsDemoOptions(t, p) {
		if o.Name == name {
			return o, true
		}
	}
	return store.Option{}, false
}

// TestBidCurrencyChangedConfirm (issue 11 defects 3 and 5): a bid form
// whose currency was changed to USD while the prefilled rate of 1 stayed
// is a rate of exactly 1 between two currencies: refused until confirmed,
// on the bids page (the box shown, the file kept) and through the
// API (422 "confirm": true, then ?confirm=1); a blank rate is refused at
// its cell and no confirmation lifts it.
func TestBidCurrencyChangedConfirm(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	path := fmt.Sprintf("/evaluations/%d/bids", p.demoID)
	dl := p.get(fmt.Sprintf("/api/v1/evaluations/%d/bid-form", p.demoID))
	if dl.status != http.StatusOK {
		t.Fatalf("bid form: %d", dl.status)
	}
	usd := fillVendorA(t, []byte(dl.body), "Vendor U", 4.5, func(f *excelize.File) {
		setCell(t, f, "Pricing", pricingCell["currency"], "USD")
	})
	blank := fillVendorA(t, []byte(dl.body), "Vendor V", 4.5, func(f *excelize.File) {
		setCell(t, f, "Pricing", pricingCell["currency"], "USD")
		setCell(t, f, "Pricing", pricingCell["fx_rate"], "")
	})

	opts, audits := p.counts(p.demoID)
	res := p.postBid(path, "vendor-v.xlsx", blank)
	if res.status != http.StatusUnprocessableEntity || strings.Contains(res.body, confirmBox) {
		t.Fatalf("blank rate: status %d, or the confirm box offered", res.status)
	}
	contains(t, "blank rate", res.body, "Pricing!"+pricingCell["fx_rate"], "is required when the quote&#39;s currency (USD) differs from the evaluation&#39;s (EUR)")

	res = p.postBid(path, "vendor-u.xlsx", usd)
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("rate 1: status %d", res.status)
	}
	contains(t, "rate 1", res.body, confirmBox, "an exchange rate of exactly 1 between USD and EUR", "The file is kept: tick the box and save again.")
	if now, n := p.counts(p.demoID); len(now) != len(opts) || n != audits {
		t.Fatal("an unconfirmed bid was saved")
	}
	res = p.postBid(path, "vendor-u.xlsx", usd, "confirm", "1")
	if res.status != http.StatusSeeOther {
		t.Fatalf("confirmed: status %d", res.status)
	}
	if u, ok := optionNamed(t, p, "Vendor U"); !ok || u.Pricing.Currency != "USD" || !u.Pricing.FXRate.Equal(decimal.NewFromInt(1)) {
		t.Fatalf("saved %+v", u)
	}

	a := newAPI(t)
	api := fillVendorA(t, a.must(http.StatusOK, nil, "GET", "/api/v1/evaluations/1/bid-form", nil).body, "Vendor U", 4.5, func(f *excelize.File) {
		setCell(t, f, "Pricing", pricingCell["currency"], "USD")
	})
	body, ct := multipartBody(t, "vendor-u.xlsx", api)
	r := a.call("POST", "/api/v1/evaluations/1/bids", body, "Content-Type", ct)
	if e := errorOf(t, r); r.status != http.StatusUnprocessableEntity || !e.Confirm || !strings.Contains(e.Fields["options[5].pricing.fx_rate"], "exactly 1 between USD and EUR") {
		t.Fatalf("API: %d %s", r.status, r.body)
	}
	if r := a.call("POST", "/api/v1/evaluations/1/bids?confirm=1", body, "Content-Type", ct); r.status != http.StatusCreated {
		t.Fatalf("API confirmed: %d %s", r.status, r.body)
	}
}
