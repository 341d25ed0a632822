package web

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"html"
	"maps"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
	"vendorcompare/internal/web/ui"
)

// Issue 11's loose ends, through the real server as a browser sends its
// forms: rounds edited and deleted in the workspace, imported bids linked
// to the vendor directory and refused as duplicates, vendors' own scores
// kept apart until confirmed, and stored evaluations that fail a newer
// rule opened with a banner instead of a 500.

// postFileAsBrowser submits a multipart form with fields and, when
// content is not nil, the file "file", as a browser does.
func postFileAsBrowser(p *pageT, path, from string, fields url.Values, filename string, content []byte) pageRes {
	p.t.Helper()
	var pairs []string
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		for _, v := range fields[k] {
			pairs = append(pairs, k, v)
		}
	}
	return p.postMultipart(path, from, pairs, "file", filename, content)
}

// TestWorkspaceRounds: a round's label, date and notes are edited in the
// workspace, a stale edit is a 409 that keeps the typed values, and a
// round is deleted (the one before becomes current) except an option's
// only round, which is refused with a message saying what to do.
func TestWorkspaceRounds(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	ctx := context.Background()
	opts := wsDemoOptions(t, p)
	vendorA := opts["vendor-a"] // two rounds in the demo
	page := ui.OptionURL(p.demoID, vendorA.ID)
	rounds, err := p.st.ListRounds(ctx, vendorA.ID)
	if err != nil || len(rounds) != 2 {
		t.Fatalf("demo rounds of vendor A: %d %v", len(rounds), err)
	}
	first, latest := rounds[0], rounds[1]
	version := func(id int64) string {
		r, err := p.st.GetRound(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return strconv.FormatInt(r.Version, 10)
	}

	t.Run("EditForm", func(t *testing.T) {
		res := p.get(fmt.Sprintf("%s?round=%d", page, first.ID))
		if res.status != http.StatusOK {
			t.Fatalf("GET: %d", res.status)
		}
		contains(t, "edit form", res.body, "Edit round 1",
			fmt.Sprintf(`action="%s/rounds/%d"`, page, first.ID),
			fmt.Sprintf(`action="%s/rounds/%d/delete"`, page, latest.ID))
		if res := p.get(fmt.Sprintf("%s?round=%d", page, opts["vendor-b"].RoundID)); res.status != http.StatusNotFound {
			t.Errorf("another option's round: %d, want 404", res.status)
		}
	})
	wsRunBrowserPosts(t, p, p.demoID, page, []wsPost{
		{name: "OKEdit", path: fmt.Sprintf("%s/rounds/%d", page, first.ID), values: func() url.Values {
			return url.Values{"r_label": {"initial"}, "r_received": {"2026-10-02"}, "r_notes": {"First offer, by e-mail"},
				"version": {version(first.ID)}}
		}, status: http.StatusSeeOther, location: page, check: func(t *testing.T) {
			r, _ := p.st.GetRound(ctx, first.ID)
			if r.Received != "2026-10-02" || r.Notes != "First offer, by e-mail" || r.Label != store.LabelInitial {
				t.Errorf("stored %+v", r)
			}
		}},
		{name: "ErrEditDate", path: fmt.Sprintf("%s/rounds/%d", page, first.ID), values: func() url.Values {
			return url.Values{"r_label": {"initial"}, "r_received": {"2 October"}, "version": {version(first.ID)}}
		}, status: http.StatusUnprocessableEntity, want: append(wsFieldError("f-r_received", "must be a date YYYY-MM-DD"),
			`value="2 October"`, "Edit round 1")},
		{name: "ErrEditStale", path: fmt.Sprintf("%s/rounds/%d", page, first.ID), values: func() url.Values {
			v := url.Values{"r_label": {"revised"}, "r_notes": {"typed before the other save"}, "version": {version(first.ID)}}
			r, _ := p.st.GetRound(ctx, first.ID)
			if _, err := p.st.UpdateRound(ctx, "other", r.ID, r.Version, store.RoundInput{Label: r.Label, Received: r.Received, Notes: "changed by someone else"}); err != nil {
				t.Fatal(err)
			}
			return v
		}, status: http.StatusConflict, want: []string{`id="conflict"`, "Someone changed this round", `value="typed before the other save"`}},
		{name: "ErrDeleteStale", path: fmt.Sprintf("%s/rounds/%d/delete", page, latest.ID), values: func() url.Values {
			return url.Values{"version": {strconv.FormatInt(latest.Version+7, 10)}}
		}, status: http.StatusConflict, want: []string{`id="conflict"`, "Someone changed this round"}},
		{name: "OKDeleteCurrent", path: fmt.Sprintf("%s/rounds/%d/delete", page, latest.ID), values: func() url.Values {
			return url.Values{"version": {version(latest.ID)}}
		}, status: http.StatusSeeOther, location: page, check: func(t *testing.T) {
			o, _ := p.st.GetOption(ctx, vendorA.ID)
			if o.RoundID != first.ID {
				t.Errorf("current round %d, want the first (%d)", o.RoundID, first.ID)
			}
			if _, err := p.st.GetRound(ctx, latest.ID); err == nil {
				t.Error("the round is still there")
			}
		}},
		{name: "ErrDeleteOnly", path: fmt.Sprintf("%s/rounds/%d/delete", page, first.ID), values: func() url.Values {
			return url.Values{"version": {version(first.ID)}}
		}, status: http.StatusConflict, want: []string{"Round 1 was not deleted: it is the only quote of " + vendorA.Name,
			"Start a new round first, or delete the option itself"}},
	})
	if res := p.get(page); !strings.Contains(res.body, "only round") || strings.Contains(res.body, "/rounds/"+strconv.FormatInt(first.ID, 10)+"/delete") {
		t.Error("the only round still offers a delete button")
	}
}

// wsRunBrowserPosts is wsRunPosts with a browser's headers.
func wsRunBrowserPosts(t *testing.T, p *pageT, evalID int64, from string, posts []wsPost) {
	t.Helper()
	for _, tt := range posts {
		t.Run(tt.name, func(t *testing.T) {
			v := tt.values()
			before := wsState(t, p, evalID)
			res := p.postAsBrowser(tt.path, from, v)
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
				if page := p.get(loc); page.status != http.StatusOK || !strings.Contains(page.body, `id="saved"`) {
					t.Fatalf("GET %s after the save: %d", loc, page.status)
				}
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

// storeE2 stores a copy of worked example E2 and returns its id and its
// vendor's option.
func storeE2(t *testing.T, p *pageT, name string) (int64, store.Option) {
	t.Helper()
	ctx := context.Background()
	data, err := os.ReadFile("../tco/testdata/e2.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := tco.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	doc.Name = name
	id, err := p.st.ImportDocument(ctx, "test", doc)
	if err != nil {
		t.Fatal(err)
	}
	opts, err := p.st.ListOptions(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range opts {
		if o.Slug == "vendor-a" {
			return id, o
		}
	}
	t.Fatal("no vendor-a")
	return 0, store.Option{}
}

// rawSQL runs statements on the database file directly, as an older
// version of the app (or an earlier rule) left it, bypassing every check.
func rawSQL(t *testing.T, p *pageT, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+p.st.Path()+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// TestStoredEvaluationBanner: an evaluation stored before a rule existed
// opens with a banner naming what to fix, each problem linked to its
// field, on the dashboard, the board pack and the workspace; the API's
// comparison, exports and bid form keep their 422 with the path. Never a
// 500.
func TestStoredEvaluationBanner(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	cases := []struct {
		name  string
		sql   func(roundID int64) []string
		path  string // the problem's document path
		link  string // the banner's link, after the option's page
		label string
	}{
		{name: "FXMissing", sql: func(r int64) []string {
			// Saved while an empty rate still meant 1:1, between different currencies.
			return []string{fmt.Sprintf(`UPDATE pricing SET currency = 'GBP', fx_rate = '' WHERE round_id = %d`, r)}
		}, path: "options[1].pricing.fx_rate", link: "#f-p_fx_rate", label: "FX rate"},
		{name: "Uncostable", sql: func(r int64) []string {
			return []string{fmt.Sprintf(`UPDATE tiers SET price = '99999999999999999999999' WHERE round_id = %d`, r)}
		}, path: "options[1].pricing", label: "too large to cost exactly"}, // the invoice: the problem names its place
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id, o := storeE2(t, p, "Old "+tc.name)
			rawSQL(t, p, tc.sql(o.RoundID)...)
			ev := fmt.Sprintf("/evaluations/%d", id)
			want := []string{"to fix", tc.label}
			if tc.link != "" {
				want = append(want, fmt.Sprintf(`<a href="%s%s">%s: FX rate</a>`, ui.OptionURL(id, o.ID), tc.link, o.Name))
			}
			for _, page := range []string{ev, ev + "/print", ev + "/workspace", ui.OptionURL(id, o.ID), ev + "/workspace/criteria", ev + "/workspace/settings"} {
				res := p.get(page)
				if res.status != http.StatusOK {
					t.Fatalf("GET %s: %d, want 200 with the banner", page, res.status)
				}
				contains(t, page, res.body, want...)
			}
			if res := p.get(ev + "/bids"); res.status != http.StatusOK {
				t.Errorf("GET bids page: %d", res.status)
			}
			for _, api := range []string{"/api/v1" + ev + "/comparison", "/api/v1" + ev + "/export?format=xlsx",
				"/api/v1" + ev + "/export?format=csv", "/api/v1" + ev + "/export?format=json", "/api/v1" + ev + "/bid-form"} {
				res := p.get(api)
				if res.status != http.StatusUnprocessableEntity {
					t.Errorf("GET %s: %d, want 422", api, res.status)
				}
				contains(t, api, res.body, `"fields":{"`+tc.path+`"`)
			}
		})
	}
}

// TestBidVendorLinkAndDuplicate (API): an imported bid is linked to the
// directory's vendor of the same name (trimmed, in any case) or to the one
// vendor_id names; re-importing a vendor already quoted as a new quote is a
// 409 naming the option, unless the request names the option (a new
// round) or says new=1.
func TestBidVendorLinkAndDuplicate(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	id := importE2(t, a) // in-house and "Vendor A"
	var northwind, other struct{ ID int64 }
	a.must(http.StatusCreated, &northwind, "POST", "/api/v1/vendors", map[string]any{"name": "Northwind Contact"})
	a.must(http.StatusCreated, &other, "POST", "/api/v1/vendors", map[string]any{"name": "Other BPO"})
	type opt struct {
		ID       int64  `json:"id"`
		Slug     string `json:"slug"`
		Name     string `json:"name"`
		VendorID *int64 `json:"vendor_id"`
		RoundID  int64  `json:"round_id"`
	}
	o := a.demoOptionsOf(id)["vendor-a"]
	vendorA := opt{ID: o.ID, Slug: o.Slug, Name: o.Name, RoundID: o.RoundID}
	if vendorA.Name != "Vendor A" {
		t.Fatalf("e2's vendor-a is %q", vendorA.Name)
	}

	t.Run("LinkedByName", func(t *testing.T) {
		var o opt
		res := a.upload(id, "northwind.csv", []byte(vendorACSV("  NORTHWIND contact ")))
		if res.status != http.StatusCreated {
			t.Fatalf("upload: %d %s", res.status, res.body)
		}
		json.Unmarshal(res.body, &o)
		if o.VendorID == nil || *o.VendorID != northwind.ID {
			t.Errorf("vendor_id %v, want %d (the directory's Northwind Contact)", o.VendorID, northwind.ID)
		}
	})
	t.Run("LinkedByID", func(t *testing.T) {
		var o opt
		res := a.upload(id, "c.csv", []byte(vendorACSV("Vendor C")), "vendor_id", strconv.FormatInt(other.ID, 10))
		if res.status != http.StatusCreated {
			t.Fatalf("upload: %d %s", res.status, res.body)
		}
		json.Unmarshal(res.body, &o)
		if o.VendorID == nil || *o.VendorID != other.ID {
			t.Errorf("vendor_id %v, want %d", o.VendorID, other.ID)
		}
	})
	t.Run("NotLinked", func(t *testing.T) {
		var o opt
		res := a.upload(id, "d.csv", []byte(vendorACSV("Vendor D")))
		json.Unmarshal(res.body, &o)
		if res.status != http.StatusCreated || o.VendorID != nil {
			t.Errorf("upload: %d, vendor_id %v, want none", res.status, o.VendorID)
		}
	})
	t.Run("ErrUnknownVendor", func(t *testing.T) {
		n, audits := a.optionTotal(id), a.auditTotal()
		res := a.upload(id, "e.csv", []byte(vendorACSV("Vendor E")), "vendor_id", "99999")
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(string(res.body), `"vendor_id":"is not in the vendor directory"`) {
			t.Errorf("upload: %d %s", res.status, res.body)
		}
		if a.optionTotal(id) != n || a.auditTotal() != audits {
			t.Error("a refused bid was saved")
		}
	})
	t.Run("ErrDuplicate", func(t *testing.T) {
		n, audits := a.optionTotal(id), a.auditTotal()
		res := a.upload(id, "a-again.csv", []byte(vendorACSV(" vendor a ")))
		if res.status != http.StatusConflict {
			t.Fatalf("re-import of Vendor A: %d %s, want 409", res.status, res.body)
		}
		contains(t, "409", string(res.body), fmt.Sprintf("Vendor A already has a quote in this evaluation (option %d)", vendorA.ID), "new round", "separate quote")
		if a.optionTotal(id) != n || a.auditTotal() != audits {
			t.Error("a refused bid was saved")
		}
	})
	t.Run("OKNewRound", func(t *testing.T) {
		var o opt
		res := a.upload(id, "a-again.csv", []byte(vendorACSV("Vendor A")), "option_id", strconv.FormatInt(vendorA.ID, 10))
		json.Unmarshal(res.body, &o)
		if res.status != http.StatusCreated || o.ID != vendorA.ID || o.RoundID == vendorA.RoundID {
			t.Errorf("new round: %d %s", res.status, res.body)
		}
	})
	t.Run("OKSeparate", func(t *testing.T) {
		var o opt
		n := a.optionTotal(id)
		res := a.upload(id, "a-again.csv", []byte(vendorACSV("Vendor A")), "new", "1")
		json.Unmarshal(res.body, &o)
		if res.status != http.StatusCreated || o.ID == vendorA.ID || o.Name != "Vendor A" || a.optionTotal(id) != n+1 {
			t.Errorf("separate quote: %d %s", res.status, res.body)
		}
	})
	t.Run("ErrNewWithOption", func(t *testing.T) {
		res := a.upload(id, "a.csv", []byte(vendorACSV("Vendor A")), "new", "1", "option_id", strconv.FormatInt(vendorA.ID, 10))
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(string(res.body), `"new":`) {
			t.Errorf("new with option_id: %d %s", res.status, res.body)
		}
	})
}

// TestBidsPageDuplicate (browser headers): re-uploading a quoted vendor as
// a new quote is a 409 page that offers a new round of it or a separate
// quote, carrying the file; each choice saves without choosing the file
// again. The vendor select links the directory's vendor.
func TestBidsPageDuplicate(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	ctx := context.Background()
	path := fmt.Sprintf("/evaluations/%d/bids", p.demoID)
	opts := wsDemoOptions(t, p)
	vendorA := opts["vendor-a"]
	dir, err := p.st.ListVendors(ctx, store.ListParams{})
	if err != nil || len(dir.Items) == 0 {
		t.Fatalf("demo vendors: %v", err)
	}
	page := p.get(path)
	contains(t, "bids page", page.body, `name="vendor_id"`, fmt.Sprintf(`<option value="%d">%s</option>`, dir.Items[0].ID, dir.Items[0].Name), `name="new"`)

	// in the demo's currency, without scores (the demo has other criteria)
	csv := []byte(strings.NewReplacer("score,csat,8\nscore,security,9\n", "", "pricing,currency,USD", "pricing,currency,EUR").Replace(vendorACSV(vendorA.Name)))
	before, audits := p.counts(p.demoID)
	// (no label: a new quote with the round select sent is issue 11 defect 2, fixed apart)
	res := postFileAsBrowser(p, path, path, url.Values{"option_id": {""}}, "atlantic.csv", csv)
	if res.status != http.StatusConflict {
		t.Fatalf("re-upload: %d, want 409\n%s", res.status, wsExcerpt(res.body))
	}
	contains(t, "409 page", res.body, `id="duplicate"`, "already has a quote in this evaluation",
		fmt.Sprintf(`name="option_id" value="%d">Add as a new round of %s</button>`, vendorA.ID, html.EscapeString(vendorA.Name)),
		`name="new" value="1">Add as a separate quote</button>`, `name="file_data" value="`, `value="atlantic.csv"`)
	if after, n := p.counts(p.demoID); len(after) != len(before) || n != audits {
		t.Fatal("the refused upload saved something")
	}
	carried := func(body string) url.Values {
		m := regexp.MustCompile(`name="file_data" value="([^"]+)"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatal("no carried file")
		}
		return url.Values{"file_name": {"atlantic.csv"}, "file_data": {m[1]}, "vendor_id": {""}}
	}

	t.Run("NewRound", func(t *testing.T) {
		v := carried(res.body)
		v.Set("option_id", strconv.FormatInt(vendorA.ID, 10))
		got := postFileAsBrowser(p, path, path, v, "", nil)
		if got.status != http.StatusSeeOther || !strings.Contains(got.header.Get("Location"), "round=1") {
			t.Fatalf("new round: %d %q\n%s", got.status, got.header.Get("Location"), wsExcerpt(got.body))
		}
		o, _ := p.st.GetOption(ctx, vendorA.ID)
		if o.RoundID == vendorA.RoundID {
			t.Error("no new round")
		}
	})
	t.Run("Separate", func(t *testing.T) {
		v := carried(res.body)
		v.Set("new", "1")
		v.Set("vendor_id", strconv.FormatInt(dir.Items[0].ID, 10))
		got := postFileAsBrowser(p, path, path, v, "", nil)
		if got.status != http.StatusSeeOther {
			t.Fatalf("separate: %d\n%s", got.status, wsExcerpt(got.body))
		}
		after, _ := p.counts(p.demoID)
		if len(after) != len(before)+1 {
			t.Errorf("%d options, want %d", len(after), len(before)+1)
		}
		saved := p.get(got.header.Get("Location"))
		contains(t, "saved notice", saved.body, "as a new vendor quote", "linked to <strong>"+html.EscapeString(dir.Items[0].Name))
	})
}

// TestSelfAssessedScores (browser headers): the scores a vendor gives
// itself on the bid form are stored as its self-assessment, shown beside
// the criterion, and kept out of the costed document (the option is
// incomplete on each) until procurement confirms or overrides each, one
// audited action per score; a bad or stale action saves nothing.
func TestSelfAssessedScores(t *testing.T) {
	t.Parallel()
	p := startPages(t)
	ctx := context.Background()
	bids := fmt.Sprintf("/evaluations/%d/bids", p.demoID)
	page := fmt.Sprintf("/evaluations/%d/workspace/criteria", p.demoID)
	bid := strings.NewReplacer("score,csat,8\nscore,security,9\n", "score,csat,9\nscore,fcr,8\nscore,security,7\n",
		"pricing,currency,USD", "pricing,currency,EUR").Replace(vendorACSV("Vendor D"))
	res := postFileAsBrowser(p, bids, bids, url.Values{}, "vendor-d.csv", []byte(bid))
	if res.status != http.StatusSeeOther {
		t.Fatalf("upload: %d\n%s", res.status, wsExcerpt(res.body))
	}
	vendorD := wsDemoOptions(t, p)["vendor-d"]
	result := func() *tco.OptionResult {
		t.Helper()
		c, err := p.st.Comparison(ctx, p.demoID, store.CompareOptions{Engine: tco.CompareOptions{SkipAnalysis: true}})
		if err != nil {
			t.Fatal(err)
		}
		for i := range c.Options {
			if c.Options[i].ID == "vendor-d" {
				return &c.Options[i]
			}
		}
		t.Fatal("vendor-d not compared")
		return nil
	}
	if r := result(); r.Status != "incomplete" || strings.Join(r.Missing, ",") != "csat,fcr,security,flexibility,transition" {
		t.Fatalf("vendor-d %s, missing %v: the vendor's own scores were costed", r.Status, r.Missing)
	}
	scores, _ := p.st.ListScores(ctx, p.demoID)
	for _, s := range scores {
		if s.OptionID == vendorD.ID {
			t.Fatalf("a costed score from the bid: %+v", s)
		}
	}
	selfs, err := p.st.ListSelfScores(ctx, p.demoID)
	if err != nil {
		t.Fatal(err)
	}
	own := map[string]store.SelfScore{}
	for _, s := range selfs {
		if s.OptionID == vendorD.ID {
			own[s.Key] = s
		}
	}
	if len(own) != 3 || !own["csat"].Value.Equal(decimal.NewFromInt(9)) || own["csat"].Status != store.SelfPending {
		t.Fatalf("self-assessments %+v", own)
	}
	body := p.get(page).body
	contains(t, "criteria page", body, `id="self-scores"`, "own: 9", "not yet confirmed",
		fmt.Sprintf(`action="%s/self-scores/%d"`, strings.TrimSuffix(page, "/criteria"), own["csat"].ID), "Confirm 9")

	ver := func(key string) string {
		t.Helper()
		all, _ := p.st.ListSelfScores(ctx, p.demoID)
		for _, s := range all {
			if s.OptionID == vendorD.ID && s.Key == key {
				return strconv.FormatInt(s.Version, 10)
			}
		}
		t.Fatalf("no self-assessment %s", key)
		return ""
	}
	scoreOf := func(key string) string {
		t.Helper()
		all, _ := p.st.ListScores(ctx, p.demoID)
		for _, s := range all {
			if s.OptionID == vendorD.ID && s.Key == key {
				return s.Value.String()
			}
		}
		return ""
	}
	self := func(key string) string {
		return fmt.Sprintf("%s/self-scores/%d", strings.TrimSuffix(page, "/criteria"), own[key].ID)
	}
	field := func(key string) string { return "self." + strconv.FormatInt(own[key].ID, 10) }
	wsRunBrowserPosts(t, p, p.demoID, page, []wsPost{
		{name: "OKConfirm", path: self("csat"), values: func() url.Values {
			return url.Values{"do": {"confirm"}, "version": {ver("csat")}}
		}, status: http.StatusSeeOther, location: page, check: func(t *testing.T) {
			if got := scoreOf("csat"); got != "9" {
				t.Errorf("csat score %q, want the vendor's 9", got)
			}
			a, _ := p.st.Audit(ctx, store.AuditFilter{EvaluationID: p.demoID, Entity: "self_score", Limit: 1})
			if len(a.Items) == 0 || a.Items[0].Action != "confirm" || a.Items[0].Actor != "pages-admin@example.com" {
				t.Errorf("audit %+v", a.Items)
			}
		}},
		{name: "ErrOverrideScale", path: self("fcr"), values: func() url.Values {
			return url.Values{"do": {"override"}, field("fcr"): {"12"}, "version": {ver("fcr")}}
		}, status: http.StatusUnprocessableEntity, want: append(wsFieldError(fmt.Sprintf("f-self-%d", own["fcr"].ID), "must be at most the criterion"), `value="12"`)},
		{name: "ErrOverrideBlank", path: self("fcr"), values: func() url.Values {
			return url.Values{"do": {"override"}, "version": {ver("fcr")}}
		}, status: http.StatusUnprocessableEntity, want: wsFieldError(fmt.Sprintf("f-self-%d", own["fcr"].ID), "enter your score")},
		{name: "OKOverride", path: self("fcr"), values: func() url.Values {
			return url.Values{"do": {"override"}, field("fcr"): {"6"}, "version": {ver("fcr")}}
		}, status: http.StatusSeeOther, location: page, check: func(t *testing.T) {
			if got := scoreOf("fcr"); got != "6" {
				t.Errorf("fcr score %q, want procurement's 6", got)
			}
		}},
		{name: "ErrStale", path: self("security"), values: func() url.Values {
			v := url.Values{"do": {"confirm"}, "version": {ver("security")}}
			if _, err := p.st.ResolveSelfScore(ctx, "other", own["security"].ID, own["security"].Version, nil); err != nil {
				t.Fatal(err)
			}
			return v
		}, status: http.StatusConflict, want: []string{`id="conflict"`, "Someone changed this vendor"}},
	})
	if r := result(); strings.Join(r.Missing, ",") != "flexibility,transition" {
		t.Errorf("missing after confirming %v, want flexibility and transition", r.Missing)
	}
}
