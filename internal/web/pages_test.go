package web

import (
	cryptotls "crypto/tls"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"vendorcompare/internal/store"
	"vendorcompare/static"
)

// TestPagesRender: every page renders for the demo evaluation with status
// 200, its key text, no inline script or style, and only assets that exist.
func TestPagesRender(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	opts, err := p.st.ListOptions(t.Context(), p.demoID)
	if err != nil || len(opts) < 2 {
		t.Fatalf("options: %v", err)
	}
	id := p.demoID
	cases := []struct {
		name, path string
		want       []string
	}{
		{"evaluations", "/", []string{"Evaluations", "Customer service centre", "New evaluation", "Upload a document", `name="_csrf"`}},
		{"search", "/?q=customer", []string{"Customer service centre", "matching “customer”"}},
		{"searchNone", "/?q=zzzz", []string{"No evaluation matches"}},
		{"dashboard", fmt.Sprintf("/evaluations/%d", id), []string{
			"Recommendation", "Vendor A is recommended: it saves €800K (15.1%) on PV over 36 months and leads Vendor B by 1.5 points. It is not the cheapest: Vendor B costs €216K less on PV.",
			"Why Vendor A over Vendor B?", "Vendor B is €216K cheaper on PV but scores 7 points lower on quality (1.5 points behind overall).",
			"Vendor B would overtake Vendor A if price weighed more than 50.7% instead of 40%.",
			"Ranking", "Total cost by category", "Quality against cost", "Cumulative savings against In-house today",
			"Break-even: monthly cost against volume", "What would change the answer", "stops saving money if its prices rise",
			"Not ranked", "Information security (ISO 27001, GDPR) scored 6, below the minimum 7",
			"Quote rounds of Vendor A", "What the best-and-final offer changed",
			`id="chart-data"`, `data-chart="tco"`, `data-chart="savings"`, `data-chart="breakEven"`, `data-chart="scatter"`, `data-chart="tornado"`, `data-chart="rounds"`,
			"€4,743,434"}},
		{"print", fmt.Sprintf("/evaluations/%d/print", id), []string{"Board pack", "print-body", "Recommendation", `id="page-1"`, `id="sign-off"`, `id="appendix"`, "No decision yet"}},
		{"monthly", fmt.Sprintf("/evaluations/%d/options/%d/monthly", id, opts[0].ID), []string{"Monthly table", opts[0].Name, "Personnel", `id="grand-total"`}},
		{"monthlyLines", fmt.Sprintf("/evaluations/%d/options/%d/monthly?lines=1", id, opts[0].ID), []string{"Cost lines by month"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := p.get(c.path)
			if res.status != http.StatusOK {
				t.Fatalf("GET %s: %d\n%s", c.path, res.status, res.body)
			}
			if ct := res.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("Content-Type %q", ct)
			}
			contains(t, c.path, res.body, c.want...)
			noInline(t, c.path, res.body)
			assetsExist(t, p, res.body)
		})
	}
	t.Run("NotFound", func(t *testing.T) {
		for _, path := range []string{"/evaluations/999999", "/evaluations/abc", fmt.Sprintf("/evaluations/%d/options/999999/monthly", id)} {
			res := p.get(path)
			if res.status != http.StatusNotFound || !strings.Contains(res.body, "This page does not exist") {
				t.Errorf("GET %s: %d, want the 404 page", path, res.status)
			}
		}
	})
}

var (
	inlineScript = regexp.MustCompile(`<script(?:\s[^>]*)?>`)
	styleAttr    = regexp.MustCompile(`\sstyle=`)
	assetRef     = regexp.MustCompile(`(?:src|href)="(/static/[^"]+)"`)
)

// noInline fails for an inline script, a <style> element or a style
// attribute: the CSP would block them.
func noInline(t *testing.T, what, body string) {
	t.Helper()
	for _, tag := range inlineScript.FindAllString(body, -1) {
		if !strings.Contains(tag, "src=") && !strings.Contains(tag, `type="application/json"`) {
			t.Errorf("%s: inline script %s", what, tag)
		}
	}
	if strings.Contains(body, "<style") || styleAttr.MatchString(body) {
		t.Errorf("%s: inline style", what)
	}
}

// assetsExist fetches every /static/ URL of a page: each must be served
// (hashed, cacheable for a year).
func assetsExist(t *testing.T, p *pageT, body string) {
	t.Helper()
	for _, m := range assetRef.FindAllStringSubmatch(body, -1) {
		res := p.get(m[1])
		if res.status != http.StatusOK || len(res.body) == 0 {
			t.Errorf("GET %s: %d", m[1], res.status)
		}
		if cc := res.header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
			t.Errorf("GET %s: Cache-Control %q, want immutable", m[1], cc)
		}
	}
}

// TestVendoredAssets: the chart library and its plugin, copied from
// node_modules by `npm run vendor`, are embedded with their licences. Run
// `make vendor` when this fails.
func TestVendoredAssets(t *testing.T) {
	t.Parallel()
	for _, f := range []string{
		"vendor/chart.umd.min.js", "vendor/chart.js.LICENSE.md",
		"vendor/chartjs-plugin-annotation.min.js", "vendor/chartjs-plugin-annotation.LICENSE.md",
		"css/app.css", "js/charts.js",
	} {
		b, err := fs.ReadFile(static.FS, f)
		if err != nil {
			t.Errorf("%s is not embedded (run `make vendor`): %v", f, err)
			continue
		}
		if len(b) < 100 {
			t.Errorf("%s is only %d bytes", f, len(b))
		}
	}
}

// TestStaticFiles: a hashed URL is cached for a year, a plain name is
// revalidated by ETag, an unknown file is a 404.
func TestStaticFiles(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	a, err := static.NewAssets(static.FS)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := a.URL("css/app.css")
	res := p.get(u)
	if res.status != 200 || !strings.Contains(res.header.Get("Cache-Control"), "immutable") || !strings.HasPrefix(res.header.Get("Content-Type"), "text/css") {
		t.Errorf("GET %s: %d %v", u, res.status, res.header)
	}
	res = p.get("/static/js/charts.js")
	if res.status != 200 || res.header.Get("Cache-Control") != "no-cache" || res.header.Get("ETag") == "" {
		t.Errorf("plain name: %d %v", res.status, res.header)
	}
	req, _ := http.NewRequest(http.MethodGet, p.base+"/static/js/charts.js", nil)
	req.Header.Set("If-None-Match", res.header.Get("ETag"))
	if r := p.do(req); r.status != http.StatusNotModified {
		t.Errorf("revalidation: %d, want 304", r.status)
	}
	if r := p.get("/static/nope.js"); r.status != http.StatusNotFound {
		t.Errorf("unknown file: %d", r.status)
	}
}

// TestCreateEvaluationForm: the new-evaluation form creates the evaluation
// with its in-house baseline and redirects to the workspace; a bad field
// comes back with its error next to it and nothing saved; a POST without
// the CSRF token is refused.
func TestCreateEvaluationForm(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	ctx := t.Context()
	count := func() int {
		pg, err := p.st.ListEvaluations(ctx, storeListAll)
		if err != nil {
			t.Fatal(err)
		}
		return pg.Total
	}
	before := count()
	t.Run("OK", func(t *testing.T) {
		res := p.postForm("/evaluations", "/", url.Values{"name": {"Help desk 2028"}, "currency": {"GBP"}, "start": {"2028-01"},
			"horizon_months": {"48"}, "volume_monthly": {"5000"}, "volume_unit": {"ticket"}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("status %d\n%s", res.status, res.body)
		}
		loc := res.header.Get("Location")
		var id int64
		if _, err := fmt.Sscanf(loc, "/evaluations/%d/workspace", &id); err != nil {
			t.Fatalf("Location %q", loc)
		}
		e, err := p.st.GetEvaluation(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if e.Name != "Help desk 2028" || e.Currency != "GBP" || e.HorizonMonths != 48 || e.Baseline != "in-house" {
			t.Errorf("stored %+v", e.Settings)
		}
		opts, err := p.st.ListOptions(ctx, id)
		if err != nil || len(opts) != 1 || opts[0].Slug != "in-house" || opts[0].Kind != "in_house" {
			t.Errorf("baseline option: %+v %v", opts, err)
		}
		au, err := p.st.Audit(ctx, store.AuditFilter{EvaluationID: id})
		if err != nil || len(au.Items) == 0 {
			t.Fatalf("audit: %v", err)
		}
		for _, a := range au.Items {
			if a.Actor != "pages-admin@example.com" {
				t.Errorf("audit %s %s by %q, want the signed-in user", a.Action, a.Entity, a.Actor)
			}
		}
	})
	t.Run("ErrFields", func(t *testing.T) {
		n := count()
		res := p.postForm("/evaluations", "/", url.Values{"name": {""}, "currency": {"EUR"}, "start": {"2027-13"},
			"horizon_months": {"0"}, "volume_monthly": {"20000"}, "volume_unit": {"contact"}})
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", res.status)
		}
		contains(t, "form errors", res.body, "Nothing was saved", `id="f-name-error"`, `id="f-horizon_months-error"`, `id="f-start-error"`, `aria-invalid="true"`, `value="20000"`,
			// the summary names each field by its label and links to it
			`<a href="#f-horizon_months">Horizon (months)</a>: `)
		if count() != n {
			t.Error("a bad form saved an evaluation")
		}
	})
	t.Run("ErrCSRF", func(t *testing.T) {
		n := count()
		res := p.postForm("/evaluations", "/", url.Values{"_csrf": {"forged"}, "name": {"X"}, "currency": {"EUR"}, "start": {"2027-01"},
			"horizon_months": {"12"}, "volume_monthly": {"1"}, "volume_unit": {"call"}})
		if res.status != http.StatusForbidden {
			t.Errorf("forged token: status %d", res.status)
		}
		if count() != n {
			t.Error("a forged form saved an evaluation")
		}
	})
	if count() != before+1 {
		t.Errorf("evaluations: %d, want %d", count(), before+1)
	}
}

// storeListAll lists up to 500 evaluations.
var storeListAll = store.ListParams{Limit: 500}

// TestImportAndCopyForms: a valid uploaded document becomes a new
// evaluation and opens its dashboard; a bad one lists every problem with
// its field path and saves nothing; copying makes a full copy.
func TestImportAndCopyForms(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	ctx := t.Context()
	count := func() int {
		pg, err := p.st.ListEvaluations(ctx, storeListAll)
		if err != nil {
			t.Fatal(err)
		}
		return pg.Total
	}
	doc, err := os.ReadFile("../../data/demo.json")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		n := count()
		res := p.postFile("/evaluations/import", "/", "document", "demo.json", doc)
		if res.status != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/evaluations/") {
			t.Fatalf("status %d, Location %q\n%s", res.status, res.header.Get("Location"), res.body)
		}
		if count() != n+1 {
			t.Error("the import saved no evaluation")
		}
		if page := p.get(res.header.Get("Location")); page.status != http.StatusOK || !strings.Contains(page.body, "Recommendation") {
			t.Errorf("the imported dashboard: %d", page.status)
		}
	})
	t.Run("ErrFields", func(t *testing.T) {
		n := count()
		bad := strings.Replace(string(doc), `"horizon_months": 36`, `"horizon_months": 0`, 1)
		bad = strings.Replace(bad, `"currency": "EUR"`, `"currency": "euro"`, 1)
		res := p.postFile("/evaluations/import", "/", "document", "bad.json", []byte(bad))
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", res.status)
		}
		contains(t, "import errors", res.body, "Nothing was imported", "<code>horizon_months</code>", "<code>currency</code>")
		if count() != n {
			t.Error("a bad document was saved")
		}
	})
	t.Run("ErrMalformed", func(t *testing.T) {
		n := count()
		res := p.postFile("/evaluations/import", "/", "document", "x.json", []byte(`{"name": `))
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Nothing was imported") {
			t.Errorf("status %d", res.status)
		}
		if count() != n {
			t.Error("a malformed document was saved")
		}
	})
	t.Run("Copy", func(t *testing.T) {
		n := count()
		res := p.postForm("/evaluations/copy", "/", url.Values{"id": {strconv.FormatInt(p.demoID, 10)}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("status %d\n%s", res.status, res.body)
		}
		var id int64
		if _, err := fmt.Sscanf(res.header.Get("Location"), "/evaluations/%d", &id); err != nil || id == p.demoID {
			t.Fatalf("Location %q", res.header.Get("Location"))
		}
		e, err := p.st.GetEvaluation(ctx, id)
		if err != nil || !strings.HasPrefix(e.Name, "Copy of Customer service centre") {
			t.Errorf("copy: %+v %v", e, err)
		}
		if count() != n+1 {
			t.Error("no copy saved")
		}
		if r := p.postForm("/evaluations/copy", "/", url.Values{"id": {"999999"}}); r.status != http.StatusNotFound {
			t.Errorf("copy of an unknown evaluation: %d", r.status)
		}
	})
}

// TestNotReady: a new evaluation with only its baseline shows what is
// missing instead of an error, on the dashboard, the board pack and the
// monthly table.
func TestNotReady(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	res := p.postForm("/evaluations", "/", url.Values{"name": {"Blank"}, "currency": {"EUR"}, "start": {"2027-01"},
		"horizon_months": {"12"}, "volume_monthly": {"100"}, "volume_unit": {"call"}})
	var id int64
	if _, err := fmt.Sscanf(res.header.Get("Location"), "/evaluations/%d/workspace", &id); err != nil {
		t.Fatalf("create: %d %q", res.status, res.header.Get("Location"))
	}
	opts, err := p.st.ListOptions(t.Context(), id)
	if err != nil || len(opts) != 1 {
		t.Fatalf("options %v %v", opts, err)
	}
	for _, path := range []string{fmt.Sprintf("/evaluations/%d", id), fmt.Sprintf("/evaluations/%d/print", id),
		fmt.Sprintf("/evaluations/%d/options/%d/monthly", id, opts[0].ID)} {
		res := p.get(path)
		if res.status != http.StatusOK {
			t.Errorf("GET %s: %d", path, res.status)
		}
		contains(t, path, res.body, "Blank cannot be compared yet", `id="problems"`, "<code>options</code>", fmt.Sprintf(`href="/evaluations/%d/workspace"`, id))
	}
}

// TestCSRFCookie: the pages' CSRF cookie is HttpOnly and SameSite=Strict,
// and Secure when the request came over TLS.
func TestCSRFCookie(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	h := p.srv.Handler()
	for _, tls := range []bool{false, true} {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		base, _ := url.Parse(p.base)
		for _, k := range p.client.Jar.Cookies(base) { // the signed-in session
			if k.Name != "_csrf" {
				req.AddCookie(k)
			}
		}
		if tls {
			req.TLS = &cryptotls.ConnectionState{}
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var c *http.Cookie
		for _, k := range rec.Result().Cookies() {
			if k.Name == "_csrf" {
				c = k
			}
		}
		if c == nil {
			t.Fatalf("tls=%v: no _csrf cookie (status %d)", tls, rec.Code)
		}
		if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Secure != tls {
			t.Errorf("tls=%v: cookie HttpOnly=%v SameSite=%v Secure=%v", tls, c.HttpOnly, c.SameSite, c.Secure)
		}
		if !strings.Contains(rec.Body.String(), `name="_csrf" value="`+c.Value+`"`) {
			t.Errorf("tls=%v: the forms do not carry the cookie's token", tls)
		}
	}
}
