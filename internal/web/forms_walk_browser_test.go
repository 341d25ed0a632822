package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"vendorcompare/internal/store"
)

// formFixture is how the walk fills one form: one row of walkFixtures.
//
// Keys of valid and bad are field names (the first field of that name), or,
// after a "$", a CSS selector inside the form ("$input.ws-score"). A value
// "@name" uploads the file walkFiles names. "{email}" is the signed-in
// user's address.
type formFixture struct {
	form  string            // METHOD and action, numbers as {id}: "POST /evaluations/{id}/workspace/criteria"
	row   string            // the instance to submit: the one whose table row holds this text
	valid map[string]string // typed before the valid submission; other fields keep what the page shows
	bad   map[string]string // typed before the invalid submission; nil: the form has nothing a person types
	errs  []string          // fields the invalid submission marks (default: the keys of bad)
	// stored is an SQL query for what this form changes; {1}, {2}… are the
	// numbers of the form's action in order. A valid submission must change
	// its answer, an invalid one must not.
	stored string
	want   string // the answer after the valid submission contains it (GET forms: the page does)
	order  int    // 1: deletes and other ends, after every other form; 2: signing out, the very last
}

// walkFixtures fills every form of the app. A form found on a page without
// a row here fails TestFormsWalk: adding a form is adding its row.
var walkFixtures = []formFixture{
	{form: "POST /login", valid: map[string]string{"email": "{email}", "password": testPassword},
		bad: map[string]string{"email": "{email}", "password": "not the password"}, errs: []string{},
		stored: "SELECT count(*) FROM user_sessions"},
	{form: "POST /logout", stored: "SELECT count(*) FROM sessions", order: 2},
	{form: "GET /", valid: map[string]string{"q": "customer"}, want: "matching “customer”"},
	{form: "GET /audit", valid: map[string]string{"entity": "evaluation", "change": "import"},
		want: "matching the filters"}, // a filter it cannot read is named, not refused: TestAuditTrailReadable
	{form: "GET /evaluations/{id}/audit", valid: map[string]string{"entity": "evaluation", "from": "2000-01-01"}, want: "matching the filters"},

	{form: "POST /evaluations", valid: map[string]string{"name": "Walk help desk", "start": "2027-01", "horizon_months": "24", "volume_monthly": "1,500", "volume_unit": "ticket"},
		bad:    map[string]string{"name": "Walk bad", "start": "2027-01", "horizon_months": "0", "volume_monthly": "lots", "volume_unit": "ticket"},
		errs:   []string{"horizon_months", "volume_monthly"},
		stored: "SELECT group_concat(name || ':' || volume_monthly) FROM evaluations", want: "Walk help desk:1500"},
	{form: "POST /evaluations/copy", stored: "SELECT count(*) FROM evaluations WHERE name LIKE 'Copy of %'", want: "1"},
	{form: "POST /evaluations/import", valid: map[string]string{"document": "@e2.json"}, bad: map[string]string{"document": "@broken.json"},
		stored: "SELECT count(*) || ' evaluations' FROM evaluations", want: "evaluations"},

	{form: "POST /evaluations/{id}/decisions", valid: map[string]string{"kind": "defer", "rationale": "Walk: wait for the best and final offers"},
		bad: map[string]string{"kind": "award", "option_id": "", "rationale": "Walk: award without an option"}, errs: []string{"option_id"},
		stored: "SELECT group_concat(kind || ':' || rationale) FROM decisions WHERE evaluation_id = {1}", want: "defer:Walk: wait"},

	{form: "POST /evaluations/{id}/bids", valid: map[string]string{"file": "@vendor.xlsx"}, bad: map[string]string{"file": "@photo.png"},
		stored: "SELECT group_concat(name) FROM options WHERE evaluation_id = {1}", want: "Walk Vendor"},

	{form: "POST /evaluations/{id}/workspace/settings", valid: map[string]string{"name": "Walk renamed", "discount_rate": "7%", "volume_monthly": "21,000", "fiscal_year_start": "4", "materiality": "1%"},
		bad:    map[string]string{"name": "Walk renamed", "discount_rate": "1.5", "horizon_months": "0", "volume_monthly": "many", "materiality": "20%"},
		errs:   []string{"discount_rate", "horizon_months", "volume_monthly", "materiality"},
		stored: "SELECT name || ':' || discount_rate || ':' || volume_monthly || ':' || fiscal_year_start || ':' || materiality FROM evaluations WHERE id = {1}",
		want:   "Walk renamed:0.07:21000:4:0.01"},
	{form: "POST /evaluations/{id}/workspace/risk", valid: map[string]string{"runs": "1500", "volume_low": "0.8", "volume_mode": "1", "volume_high": "1.3"},
		bad: map[string]string{"runs": "lots", "seed": "-1"}, errs: []string{"runs", "seed"},
		stored: "SELECT risk FROM evaluations WHERE id = {1}", want: `"runs":1500`},
	{form: "POST /evaluations/{id}/workspace/options", valid: map[string]string{"name": "Walk quote", "price": "4.25"},
		bad: map[string]string{"name": "Walk bad quote", "price": "cheap"}, errs: []string{"price"},
		stored: "SELECT group_concat(name) FROM options WHERE evaluation_id = {1}", want: "Walk quote"},
	{form: "POST /evaluations/{id}/workspace/improvement", valid: map[string]string{"name": "Walk chatbot", "volume_share": "0.8"},
		bad: map[string]string{"name": "Walk bad chatbot", "volume_share": "2"}, errs: []string{"volume_share"},
		stored: "SELECT group_concat(name || ':' || volume_share) FROM options WHERE evaluation_id = {1}", want: "Walk chatbot:0.8"},
	{form: "POST /evaluations/{id}/workspace/options/{id}", valid: map[string]string{"volume_share": "0.9"},
		bad: map[string]string{"volume_share": "-1"}, stored: "SELECT volume_share FROM options WHERE id = {2}", want: "0.9"},
	{form: "POST /evaluations/{id}/workspace/options/{id}/vendor", valid: map[string]string{"v_name": "Walk Vendor {2} Ltd", "v_email": "bids@walk.example"},
		bad: map[string]string{"v_name": "", "v_email": "not an address"}, errs: []string{"v_name", "v_email"},
		stored: "SELECT ifnull((SELECT name FROM vendors WHERE id = options.vendor_id), '-') FROM options WHERE id = {2}", want: "Walk Vendor"},
	{form: "POST /evaluations/{id}/workspace/options/{id}/lines", valid: map[string]string{"l_name": "Walk governance", "l_amount": "1,234.50"},
		bad: map[string]string{"l_name": "Walk bad line", "l_amount": "a lot", "l_escalation": "-150%"}, errs: []string{"l_amount", "l_escalation"},
		stored: "SELECT group_concat(name || ':' || amount) FROM lines WHERE round_id IN (SELECT id FROM rounds WHERE option_id = {2})", want: "Walk governance:1234.5"},
	{form: "POST /evaluations/{id}/workspace/options/{id}/lines/{id}", valid: map[string]string{"l_name": "Walk edited line"},
		bad: map[string]string{"l_amount": "x"}, stored: "SELECT name FROM lines WHERE id = {3}", want: "Walk edited line"},
	{form: "POST /evaluations/{id}/workspace/options/{id}/lines/{id}/delete", stored: "SELECT count(*) FROM lines WHERE id = {3}", want: "0", order: 1},
	{form: "GET /evaluations/{id}/workspace/options/{id}", valid: map[string]string{"st_volume": "20000", "st_aht": "6", "st_occupancy": "85%", "st_shrinkage": "0.3", "st_paid_hours": "173.33"}, want: "19.39"},
	{form: "POST /evaluations/{id}/workspace/options/{id}/rounds", valid: map[string]string{"r_label": "best_and_final", "r_notes": "Walk round"},
		bad: map[string]string{"r_received": "next week", "r_notes": "Walk bad round"}, errs: []string{"r_received"},
		stored: "SELECT group_concat(label || ':' || notes) FROM rounds WHERE option_id = {2}", want: "best_and_final:Walk round"},
	{form: "POST /evaluations/{id}/workspace/options/{id}/rounds/{id}", valid: map[string]string{"r_notes": "Walk edited round"},
		bad: map[string]string{"r_received": "someday", "r_notes": "Walk bad edit"}, errs: []string{"r_received"},
		stored: "SELECT notes FROM rounds WHERE id = {3}", want: "Walk edited round"},
	{form: "POST /evaluations/{id}/workspace/options/{id}/rounds/{id}/delete", stored: "SELECT count(*) FROM rounds WHERE id = {3}", want: "0", order: 1},
	{form: "POST /evaluations/{id}/workspace/options/{id}/delete", stored: "SELECT count(*) FROM options WHERE id = {2}", want: "0", order: 1},
	{form: "POST /evaluations/{id}/workspace/criteria", valid: map[string]string{"c_name": "Walk security", "c_weight": "15"},
		bad: map[string]string{"c_name": "Walk bad", "c_weight": "heavy", "c_scale": "-5"}, errs: []string{"c_weight", "c_scale"},
		stored: "SELECT group_concat(name || ':' || weight) FROM criteria WHERE evaluation_id = {1}", want: "Walk security:15"},
	{form: "POST /evaluations/{id}/workspace/criteria/{id}", valid: map[string]string{"c_weight": "12.5"},
		bad: map[string]string{"c_weight": "0"}, stored: "SELECT weight FROM criteria WHERE id = {2}", want: "12.5"},
	{form: "POST /evaluations/{id}/workspace/criteria/{id}/delete", stored: "SELECT count(*) FROM criteria WHERE id = {2}", want: "0", order: 1},
	{form: "POST /evaluations/{id}/workspace/scores", valid: map[string]string{"$input.ws-score": "6.25"},
		bad: map[string]string{"$input.ws-score": "99"}, errs: []string{"$input.ws-score"},
		stored: "SELECT group_concat(value) FROM scores WHERE option_id IN (SELECT id FROM options WHERE evaluation_id = {1})", want: "6.25"},
	// a vendor's own score (from the walk's bid), confirmed by its first button
	// (a typed score overrides it: 99 is off the scale)
	{form: "POST /evaluations/{id}/workspace/self-scores/{id}", valid: map[string]string{},
		bad: map[string]string{"$input.ws-score": "99"}, errs: []string{"$input.ws-score"},
		stored: "SELECT status FROM self_scores WHERE id = {2}", want: "confirmed"},

	{form: "POST /tokens", valid: map[string]string{"name": "Walk report script"}, bad: map[string]string{"name": "   "}, errs: []string{"name"},
		stored: "SELECT group_concat(name) FROM api_tokens", want: "Walk report script"},
	// among the ends, after the tokens' (fewer levels, so later): a new
	// password revokes them
	{form: "POST /account/password", valid: map[string]string{"current": testPassword, "password": "a new walk password 2027", "confirm": "a new walk password 2027"},
		bad: map[string]string{"current": "not my password at all", "password": "short", "confirm": "shorter"}, errs: []string{"current", "password"},
		stored: "SELECT password_hash FROM users WHERE email = '{email}'", want: "argon2id", order: 1},
	{form: "POST /tokens/{id}/revoke", stored: "SELECT count(*) FROM api_tokens WHERE revoked_at IS NOT NULL", want: "1", order: 1},
	{form: "POST /admin/users", valid: map[string]string{"email": "walk-new@example.com", "role": "viewer", "password": "a long walk password"},
		bad: map[string]string{"email": "not an address", "password": "short"}, errs: []string{"email", "password"},
		stored: "SELECT group_concat(email || ':' || role) FROM users", want: "walk-new@example.com:viewer"},
	{form: "POST /admin/users/{id}/role", row: "walk-new@example.com", valid: map[string]string{"role": "editor"},
		stored: "SELECT role FROM users WHERE id = {1}", want: "editor"},
	{form: "POST /admin/users/{id}/reset-link", row: "walk-new@example.com", stored: "SELECT count(*) FROM password_resets WHERE user_id = {1}", want: "1"},
	{form: "POST /admin/users/{id}/disable", row: "walk-new@example.com", stored: "SELECT disabled FROM users WHERE id = {1}", want: "1", order: 1},
	{form: "POST /admin/users/{id}/enable", row: "walk-new@example.com", stored: "SELECT disabled FROM users WHERE id = {1}", want: "0", order: 1},
}

// walkFiles are the files the fixtures upload, written to a temporary folder.
func walkFiles(t *testing.T, p *pageT) map[string]string {
	t.Helper()
	dir := t.TempDir()
	e2, err := os.ReadFile("../tco/testdata/e2.json")
	if err != nil {
		t.Fatal(err)
	}
	dl := p.get(fmt.Sprintf("/api/v1/evaluations/%d/bid-form", p.demoID))
	if dl.status != http.StatusOK {
		t.Fatalf("bid form: %d", dl.status)
	}
	files := map[string][]byte{
		"e2.json":     e2,
		"broken.json": []byte(`{"name": "", "currency": "EUR", "options": [`),
		"vendor.xlsx": fillVendorA(t, []byte(dl.body), "Walk Vendor", 4.5, nil),
		"photo.png":   []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
	}
	out := map[string]string{}
	for n, b := range files {
		out[n] = filepath.Join(dir, n)
		if err := os.WriteFile(out[n], b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// walkForm is one form found on a page.
type walkForm struct {
	Key    string   `json:"key"`    // "POST /evaluations/{id}/decisions"
	Action string   `json:"action"` // the action's path
	Typed  []string `json:"typed"`  // fields a person types in (text, number, textarea, file…)
	Row    string   `json:"row"`    // the text of its table row, if it is in one
}

// findForms lists the forms of the open page (not those in a <template>).
const findForms = `Array.from(document.forms).filter(f => !f.closest("template")).map(f => {
  const action = new URL(f.action, location.href).pathname;
  const method = (f.getAttribute("method") || "get").toUpperCase();
  const typed = Array.from(f.elements).filter(e => (e.tagName === "TEXTAREA" || (e.tagName === "INPUT" && !["hidden", "submit", "button", "checkbox", "radio"].includes(e.type)))).map(e => e.name);
  const row = (f.closest("tr") || {}).textContent || "";
  return {key: method + " " + action.replace(/\/\d+(?=\/|$)/g, "/{id}"), action, typed, row};
})`

var actionNumbers = regexp.MustCompile(`/(\d+)`)

// walkT is the walk of one role through one server.
type walkT struct {
	t     *testing.T
	b     *browserT
	p     *pageT
	role  store.Role
	level map[string]access // who may call each form key, from the server's route table
	email string
	files map[string]string
	seen  map[string]bool       // form keys found on some page
	done  map[string]bool       // form keys submitted with valid data
	tried map[string]bool       // page path + form key submitted
	urls  []string              // the pages whose forms the walk submits
	forms map[string][]walkForm // the forms of each of urls, as last seen
	dirty map[string]bool       // urls to look at again
}

// TestFormsWalk signs in as each role in Chromium, visits every page reachable
// from the navigation and the workspace tabs, and submits every form it finds
// twice: with bad values (the fields are marked, the values stay typed, the
// error summary has the focus and nothing is saved), then with good ones (the
// store holds the change). A form without a row in walkFixtures fails. No
// page may log a console error or violate the CSP.
//
// Each form is submitted by the least role the route table lets post it
// (viewers decide, editors edit, admins manage users); a higher role only
// finds it. The same form posted by an admin runs the same handler, the
// same CSRF check and the same page: what differs by role is who may post,
// and TestRouteMatrix checks that for every route and role. Walking every
// form as all three roles took 3× the Chromium time for nothing more.
func TestFormsWalk(t *testing.T) {
	t.Parallel()
	chromePath(t) // skip (or fail on CI) before the roles start
	var mu sync.Mutex
	seen := map[store.Role]map[string]bool{}
	done := map[store.Role]map[string]bool{}
	var level map[string]access
	// each role walks through its own server and tab, at once where the
	// cores allow Chromium more than one tab (takeTab)
	t.Run("roles", func(t *testing.T) {
		for _, role := range []store.Role{store.RoleViewer, store.RoleEditor, store.RoleAdmin} {
			t.Run(string(role), func(t *testing.T) {
				t.Parallel()
				p := startPages(t)
				b := newBrowser(t, p, 1280, 900)
				w := &walkT{t: t, b: b, p: p, role: role, level: formLevels(p.srv), email: "walk-" + string(role) + "@example.com", files: walkFiles(t, p),
					seen: map[string]bool{}, done: map[string]bool{}, tried: map[string]bool{},
					forms: map[string][]walkForm{}, dirty: map[string]bool{}}
				testUser(t, p.st, w.email, role)
				signOutBrowser(t, b)
				w.signIn()
				w.crawl()
				for _, order := range []int{0, 1, 2} {
					// a submission may bring a form forth (revoke after create):
					// look again until nothing new
					for pass := 0; pass < 3 && w.pass(order) > 0; pass++ {
					}
				}
				for k := range w.seen {
					if w.mine(k) && !w.done[k] {
						t.Errorf("%s: form %s was found but never submitted with valid data (no instance matched its fixture's row)", role, k)
					}
				}
				mu.Lock()
				seen[role], done[role], level = w.seen, w.done, w.level
				mu.Unlock()
				done := make([]string, 0, len(w.done))
				for k := range w.done {
					done = append(done, k)
				}
				sort.Strings(done)
				t.Logf("%s: %d pages, %d forms submitted: %s", role, len(w.urls), len(done), strings.Join(done, "; "))
			})
		}
	})
	// Every form some role found was submitted by the role it belongs to:
	// a form a viewer may post but only an editor's pages show would
	// otherwise go untried.
	for role, keys := range seen {
		for k := range keys {
			owner := ownerOf(level[k])
			if done[owner] != nil && !done[owner][k] {
				t.Errorf("form %s: found by %s, but the %s walk, whose form it is, never submitted it", k, role, owner)
			}
		}
	}
	// Each role sees its own forms: viewers decide, editors also edit, admins
	// also manage users.
	has := func(role store.Role, key string) bool { return seen[role][key] }
	for _, c := range []struct {
		role store.Role
		key  string
		want bool
	}{
		{store.RoleViewer, "POST /evaluations/{id}/decisions", true},
		{store.RoleViewer, "POST /tokens", true},
		{store.RoleViewer, "POST /evaluations", false},
		{store.RoleViewer, "POST /evaluations/{id}/workspace/settings", false},
		{store.RoleViewer, "POST /evaluations/{id}/bids", false},
		{store.RoleEditor, "POST /evaluations", true},
		{store.RoleEditor, "POST /evaluations/{id}/workspace/settings", true},
		{store.RoleEditor, "POST /evaluations/{id}/bids", true},
		{store.RoleEditor, "POST /admin/users", false},
		{store.RoleAdmin, "POST /admin/users", true},
		{store.RoleAdmin, "POST /admin/users/{id}/role", true},
	} {
		if seen[c.role] != nil && has(c.role, c.key) != c.want {
			t.Errorf("%s sees %s: %v, want %v", c.role, c.key, has(c.role, c.key), c.want)
		}
	}
}

// formLevels is who may post each form, by form key ("POST
// /evaluations/{id}/decisions"), from the server's route table.
func formLevels(srv *Server) map[string]access {
	m := map[string]access{}
	param := regexp.MustCompile(`:\w+`)
	for _, r := range srv.table {
		m[r.method+" "+param.ReplaceAllString(r.path, "{id}")] = r.who
	}
	return m
}

// ownerOf is the least role that may post a form of access a.
func ownerOf(a access) store.Role {
	switch a {
	case accessPublic, accessViewer:
		return store.RoleViewer
	case accessEditor:
		return store.RoleEditor
	default:
		return store.RoleAdmin
	}
}

// mine reports whether the walk's role is the one to submit a form.
func (w *walkT) mine(key string) bool {
	a, ok := w.level[key]
	if !ok {
		w.t.Errorf("form %s posts to no route of the table", key)
		return false
	}
	return ownerOf(a) == w.role
}

// fixture returns the row of a form key (fails the test without one).
func (w *walkT) fixture(key string) (formFixture, bool) {
	for _, f := range walkFixtures {
		if f.form == key {
			return f, true
		}
	}
	return formFixture{}, false
}

// signIn signs in through the login form: a bad password first.
func (w *walkT) signIn() {
	w.b.open("/login")
	w.submitBoth("/login", walkForm{Key: "POST /login", Action: "/login", Typed: []string{"email", "password"}})
	if got := eval[string](w.b, `location.pathname`); got != "/" {
		w.t.Fatalf("after signing in: at %s", got)
	}
}

// crawl visits every page reachable by links from "/": the navigation, the
// evaluation's pages and the workspace tabs, each path once (and each
// path with another set of query keys once: ?line=, ?criterion=).
//
// The editor, whose forms differ from one option page to the next
// (baseline, vendor, improvement), visits every instance of a page; a page
// kind without forms (an option's monthly table) once. The viewer, whose
// own forms are each on one page, visits one instance of each kind: every
// kind of page still loads for a viewer without a console error. The
// admin's own forms are all outside the evaluations, whose pages an admin
// sees as an editor does (the editor's walk), so the admin's walk stays
// outside them.
func (w *walkT) crawl() {
	queue := []string{"/"}
	visited := map[string]bool{}
	kinds := map[string]int{} // page kind → the forms its first instance had
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		l, err := url.Parse(u)
		if err != nil {
			w.t.Fatalf("crawl %s: %v", u, err)
		}
		kind := digits.ReplaceAllString(l.Path, "{id}") + "?" + queryKeys(l)
		if n, ok := kinds[kind]; ok && (n == 0 || w.role != store.RoleEditor) {
			continue
		}
		if w.role == store.RoleAdmin && strings.HasPrefix(u, "/evaluations/") {
			continue
		}
		w.b.open(u)
		w.b.waitFor(`document.readyState === "complete"`)
		if st := w.status(); st != http.StatusOK {
			w.t.Errorf("GET %s: %d", u, st)
			continue
		}
		w.clean("GET " + u)
		// each path once, and its variants with a query of their own forms
		// (?line=, ?criterion=)
		w.urls = append(w.urls, u)
		w.forms[u] = eval[[]walkForm](w.b, findForms)
		// the page's own forms: not the header's (signing out), on every page
		kinds[kind] = eval[int](w.b, `Array.from(document.forms).filter(f => !f.closest("template, .site-header")).length`)
		for _, href := range eval[[]string](w.b, `Array.from(document.querySelectorAll("a[href]")).filter(a => !a.hasAttribute("download")).map(a => a.href)`) {
			l, err := url.Parse(href)
			if err != nil || l.Host != strings.TrimPrefix(w.p.base, "http://") {
				continue
			}
			if strings.HasPrefix(l.Path, "/static/") || strings.HasPrefix(l.Path, "/api/") || l.Path == "/favicon.ico" {
				continue
			}
			id := l.Path + "?" + queryKeys(l)
			if visited[id] {
				continue
			}
			visited[id] = true
			l.Fragment = ""
			queue = append(queue, l.RequestURI())
		}
	}
}

// queryKeys is the sorted keys of a URL's query, joined by "&".
func queryKeys(l *url.URL) string {
	keys := make([]string, 0, len(l.Query()))
	for k := range l.Query() {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, "&")
}

// pass submits every form of order found on the pages and not submitted
// there yet; it returns how many it submitted. Pages a submission came from
// are looked at again (a form may appear: revoke after create).
func (w *walkT) pass(order int) int {
	type job struct {
		url string
		f   walkForm
	}
	var jobs []job
	for _, u := range w.urls {
		if w.dirty[u] {
			w.dirty[u] = false
			w.b.open(u)
			if w.status() != http.StatusOK {
				w.forms[u] = nil // deleted by an earlier form (or a line renumbered by a new round)
				w.b.reset()
				continue
			}
			w.forms[u] = eval[[]walkForm](w.b, findForms)
		}
		for _, f := range w.forms[u] {
			w.seen[f.Key] = true
			fx, ok := w.fixture(f.Key)
			// once per form and set of fields: the line form of every option
			// page is one form, the quote form of a vendor and of the
			// baseline two
			id := f.Key + " " + fieldSet(f.Typed)
			if !ok {
				if !w.tried[id] {
					w.t.Errorf("%s: form %s (fields %v) has no row in walkFixtures", u, f.Key, f.Typed)
				}
				w.tried[id] = true
				continue
			}
			if fx.order == 1 || fx.order == 2 {
				id = f.Key // one delete of each kind is enough
			}
			if fx.order != order || w.tried[id] || !strings.Contains(f.Row, fx.row) || !w.mine(f.Key) {
				continue
			}
			w.tried[id] = true
			jobs = append(jobs, job{u, f})
		}
	}
	// the edit pages (?line=) first, before a new round renumbers the
	// lines; deeper deletes first: a line before its option
	sort.SliceStable(jobs, func(i, j int) bool {
		if order == 1 {
			return strings.Count(jobs[i].f.Action, "/") > strings.Count(jobs[j].f.Action, "/")
		}
		return strings.Contains(jobs[i].url, "?") && !strings.Contains(jobs[j].url, "?")
	})
	for _, j := range jobs {
		w.b.open(j.url)
		w.submitBoth(j.url, j.f)
		// back on the page it came from (a redirect adds ?saved=): its
		// forms are there to read; anywhere else, look at it again
		if !strings.Contains(j.url, "?") && eval[string](w.b, `location.pathname`) == j.url && w.status() == http.StatusOK {
			w.forms[j.url] = eval[[]walkForm](w.b, findForms)
		} else {
			w.dirty[j.url] = true
		}
	}
	return len(jobs)
}

var digits = regexp.MustCompile(`\d+`)

// fieldSet is the kinds of fields a form has: names with their numbers
// taken out, each once (a score grid with one more criterion is the same
// form).
func fieldSet(names []string) string {
	set := map[string]bool{}
	for _, n := range names {
		set[digits.ReplaceAllString(n, "#")] = true
	}
	out := make([]string, 0, len(set))
	for n := range set {
		out = append(out, n)
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

// status is the HTTP status of the page shown.
func (w *walkT) status() int {
	return eval[int](w.b, `(performance.getEntriesByType("navigation")[0] || {}).responseStatus || 0`)
}

// clean fails for console errors and CSP violations, forgetting the 422s
// a refused form answers by design.
func (w *walkT) clean(what string) {
	w.t.Helper()
	w.b.mu.Lock()
	var kept []string
	for _, pr := range w.b.problems {
		if !strings.Contains(pr, "status of 422") && !strings.Contains(pr, "status of 401") {
			kept = append(kept, what+": "+pr)
		}
	}
	w.b.problems = kept
	w.b.mu.Unlock()
	w.b.clean()
	w.b.reset()
}

// stored runs a fixture's query for a form action.
func (w *walkT) stored(fx formFixture, action string) string {
	w.t.Helper()
	if fx.stored == "" {
		return ""
	}
	q := strings.ReplaceAll(fx.stored, "{email}", w.email)
	for i, m := range actionNumbers.FindAllStringSubmatch(action, -1) {
		q = strings.ReplaceAll(q, "{"+strconv.Itoa(i+1)+"}", m[1])
	}
	var out []string
	db := rawDB(w.t, w.p.st)
	defer db.Close()
	rows, err := db.QueryContext(context.Background(), q)
	if err != nil {
		w.t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	for rows.Next() {
		var v any
		if err := rows.Scan(&v); err != nil {
			w.t.Fatal(err)
		}
		out = append(out, fmt.Sprint(v))
	}
	return strings.Join(out, "\n")
}

// submitBoth submits form f of the page at u: with the fixture's bad values
// (when the form has typed fields), then with its valid ones.
func (w *walkT) submitBoth(u string, f walkForm) {
	w.t.Helper()
	fx, _ := w.fixture(f.Key)
	what := f.Key + " on " + u
	if len(f.Typed) > 0 && fx.bad == nil && !strings.HasPrefix(f.Key, "GET ") {
		w.t.Errorf("%s: the form has fields a person types (%v) but its fixture no invalid submission", what, f.Typed)
	}
	valid := fx.valid
	if fx.bad != nil {
		before := w.stored(fx, f.Action)
		shown := w.fill(fx, f, fx.bad)
		if st := w.status(); st < 400 {
			w.t.Errorf("%s with bad values: status %d, want a refusal", what, st)
		}
		errs := fx.errs
		if errs == nil {
			for k := range fx.bad {
				errs = append(errs, k)
			}
		}
		report := eval[map[string]any](w.b, fmt.Sprintf(`(() => {
			const want = %s, typed = %s;
			const form = Array.from(document.forms).find(x => new URL(x.action, location.href).pathname === %q);
			const el = k => form && (k.startsWith("$") ? form.querySelector(k.slice(1)) : form.elements.namedItem(k));
			const one = k => { const e = el(k); return e && e.length !== undefined && e.tagName !== "SELECT" ? e[0] : e; };
			const unmarked = want.filter(k => !one(k) || one(k).getAttribute("aria-invalid") !== "true");
			const lost = Object.keys(typed).filter(k => { const e = one(k); return e && !["password", "file"].includes(e.type) && e.value !== typed[k]; })
				.map(k => k + "=" + JSON.stringify(one(k).value));
			const summary = document.querySelector("[role=alert]");
			const focused = !!document.activeElement && !!document.activeElement.closest("[role=alert]");
			return {form: !!form, unmarked, lost, summary: !!summary, focused};
		})()`, mustJSON(errs), mustJSON(w.subst(fx.bad, f.Action)), f.Action))
		if report["form"] != true {
			w.t.Errorf("%s with bad values: the form is not on the page answered", what)
		} else {
			if v := report["unmarked"].([]any); len(v) > 0 {
				w.t.Errorf("%s with bad values: fields not marked invalid: %v", what, v)
			}
			if v := report["lost"].([]any); len(v) > 0 {
				w.t.Errorf("%s with bad values: typed values lost: %v", what, v)
			}
		}
		if report["summary"] != true || report["focused"] != true {
			w.t.Errorf("%s with bad values: error summary shown %v, has the focus %v", what, report["summary"], report["focused"])
		}
		w.shot(f.Key)
		if after := w.stored(fx, f.Action); after != before {
			w.t.Errorf("%s with bad values saved something: %q → %q", what, before, after)
		}
		w.clean(what + " (bad values)")
		if report["form"] == true {
			// the valid values go into the refused page's form, as a person
			// corrects what they typed: what only the bad values touched
			// gets back what the page first showed
			valid = map[string]string{}
			for k, v := range shown {
				if _, ok := fx.valid[k]; !ok && !strings.HasPrefix(fx.bad[k], "@") {
					valid[k] = v
				}
			}
			for k, v := range fx.valid {
				valid[k] = v
			}
		} else {
			w.b.open(u)
		}
	}
	before := w.stored(fx, f.Action)
	w.fill(fx, f, valid)
	if st := w.status(); st < 200 || st > 299 {
		w.t.Errorf("%s with valid values: status %d, body %.400s", what, st, eval[string](w.b, `document.querySelector("main") ? document.querySelector("main").innerText : document.body.innerText`))
	}
	after := w.stored(fx, f.Action)
	switch {
	case strings.HasPrefix(f.Key, "GET "):
		if body := eval[string](w.b, `document.body.innerText`); !strings.Contains(body, fx.want) {
			w.t.Errorf("%s: the page answered lacks %q", what, fx.want)
		}
	case after == before:
		w.t.Errorf("%s with valid values changed nothing in the store: %q", what, after)
	case !strings.Contains(after, fx.want):
		w.t.Errorf("%s with valid values: the store holds %q, want %q in it", what, after, fx.want)
	}
	w.done[f.Key] = true
	w.clean(what)
}

// subst replaces {email} in fixture values, and {1}, {2}… with the
// numbers of the form's action.
func (w *walkT) subst(m map[string]string, action string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		v = strings.ReplaceAll(v, "{email}", w.email)
		for i, n := range actionNumbers.FindAllStringSubmatch(action, -1) {
			v = strings.ReplaceAll(v, "{"+strconv.Itoa(i+1)+"}", n[1])
		}
		out[k] = v
	}
	return out
}

// fill types values into the first form with f's action (the one in the
// fixture's row, if it names one), submits it as its button does and waits
// for the page answered. It returns what the typed fields showed before.
func (w *walkT) fill(fx formFixture, f walkForm, values map[string]string) map[string]string {
	w.t.Helper()
	values = w.subst(values, f.Action)
	method, _, _ := strings.Cut(f.Key, " ")
	pick := fmt.Sprintf(`Array.from(document.forms).filter(x => !x.closest("template") && (x.getAttribute("method") || "get").toUpperCase() === %q && new URL(x.action, location.href).pathname === %q && ((x.closest("tr") || {}).textContent || "").includes(%q))[0]`, method, f.Action, fx.row)
	files := map[string]string{}
	typed := map[string]string{}
	for k, v := range values {
		if strings.HasPrefix(v, "@") {
			p, ok := w.files[v[1:]]
			if !ok {
				w.t.Fatalf("%s: no file %s", f.Key, v)
			}
			files[k] = p
			continue
		}
		typed[k] = v
	}
	shown := eval[map[string]string](w.b, fmt.Sprintf(`(() => {
		const form = %s;
		if (!form) return null;
		const shown = {};
		for (const [k, v] of Object.entries(%s)) {
			let e = k.startsWith("$") ? form.querySelector(k.slice(1)) : form.elements.namedItem(k);
			if (e && e.length !== undefined && e.tagName !== "SELECT") e = e[0];
			if (!e) throw new Error("no field " + k);
			shown[k] = e.value;
			e.value = v;
			e.dispatchEvent(new Event("input", {bubbles: true}));
			e.dispatchEvent(new Event("change", {bubbles: true}));
		}
		form.setAttribute("data-walk", "1");
		return shown;
	})()`, pick, mustJSON(typed)))
	if shown == nil {
		w.t.Fatalf("%s: no form to fill on %s", f.Key, eval[string](w.b, `location.href`))
	}
	for k, p := range files {
		sel := fmt.Sprintf(`form[data-walk] [name=%q]`, k)
		if err := w.b.do(chromedp.SetUploadFiles(chromedp.CSS(sel), []string{p})); err != nil {
			w.t.Fatalf("%s: upload %s: %v", f.Key, p, err)
		}
	}
	eval[bool](w.b, `(() => {
		window.confirm = () => true; // the delete buttons ask first
		window.__walkOld = true;
		const form = document.querySelector("form[data-walk]");
		form.requestSubmit(form.querySelector("button[type=submit]:not([name]), button:not([type]):not([name])") || undefined);
		return true;
	})()`)
	w.wait(f.Key, `!window.__walkOld && document.readyState === "complete"`)
	return shown
}

// wait is browserT.waitFor naming the form it waits for.
func (w *walkT) wait(what, expr string) {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(w.b.ctx, 30*time.Second)
	defer cancel()
	for {
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingInterval(20*time.Millisecond))); err == nil {
			return
		} else if ctx.Err() != nil {
			w.t.Fatalf("%s: the page did not answer (%v); at %s", what, err, eval[string](w.b, `location.href`))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// shot writes what the window shows after a refused submit (where the page
// landed) to $SCREENSHOT_DIR, when set.
func (w *walkT) shot(key string) {
	dir := os.Getenv("SCREENSHOT_DIR")
	if dir == "" {
		return
	}
	buf, err := chromedp.Run(w.b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		w.t.Fatalf("screenshot: %v", err)
	}
	name := "walk-" + strings.Trim(regexp.MustCompile(`[^a-z0-9]+`).ReplaceAllString(strings.ToLower(w.email+"-"+key), "-"), "-")
	if err := os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644); err != nil {
		w.t.Fatal(err)
	}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
