// Package ui is the browser side of vendorcompare: the page handlers (one
// file per resource), their templates (templates/, embedded here) and the
// one way a page binds its form (form.go: postedForm). Package web routes
// to the handlers and wraps them in its middleware; shared request helpers
// come from web/edge.
package ui

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"vendorcompare/internal/evaluation"
	"vendorcompare/internal/report"
	"vendorcompare/internal/report/words"
	"vendorcompare/internal/store"
	"vendorcompare/internal/web/edge"
	"vendorcompare/static"
)

// The page templates, embedded and parsed once at start-up.
//
// Layout of templates/:
//
//	_layout.html    the app's layout: defines "layout", which draws the
//	                header, navigation and footer around the page's "main"
//	_print.html     the board-pack layout ("layout" again): no navigation
//	_partials.html  shared pieces every page may call (form fields, CSRF,
//	                error summary, status badge); see the comments there
//	_*.html         other shared pieces (_dashboard.html: the sections the
//	                dashboard and the board pack share), parsed with every page
//	NAME.html       one page: defines "title" and "main" (and optionally
//	                "head" for extra <link>/<script src> tags)
//
// A page is drawn in _layout.html unless printPages names it. Pages are
// found by listing the folder, so adding NAME.html registers it; render
// refuses a name that was not found, and web's pages_test.go renders every page.
//
//go:embed templates/*.html
var templateFS embed.FS

// printPages are the pages drawn in the print layout.
var printPages = map[string]bool{"print": true}

// view is what every page template receives: the layout's fields, and the
// page's own data in .Data. Inside a page use .Data.X (or {{with .Data}}
// and $.CSRF).
type view struct {
	// Title is the page's <title> (the layout appends the app's name).
	Title string
	// Nav names the navigation entry to mark as current ("evaluations").
	Nav string
	// CSRF is the request's CSRF token, for {{template "csrf" $}}.
	CSRF string
	// Test is set by the query flag ?test=1: charts skip their animation,
	// so browser tests see them drawn at once.
	Test bool
	// Data is the page's own data.
	Data any
	// User is the signed-in user (nil on the login and setup pages);
	// CanEdit is set when their role may change evaluations, so pages
	// show edit controls only then ({{if $.CanEdit}}).
	User    *store.User
	CanEdit bool
}

// Handlers are the browser side of the server: the parsed pages, the
// hashed static files, and the page handlers (one file per resource:
// evaluations.go, dashboard.go, workspace*.go, login.go, users.go …).
// Package web's route table names them.
type Handlers struct {
	store    edge.Store
	eval     *evaluation.Service
	accounts SignIns
	errorOf  func(err error, c echo.Context) (status int, message, requestID string)
	pages    *pages
	assets   *static.Assets
}

// Deps are what the pages work with.
type Deps struct {
	// Store keeps evaluations; nil serves only the static files.
	Store edge.Store
	// Eval loads, costs and presents evaluations.
	Eval *evaluation.Service
	// Accounts signs users in (web's auth.go); nil without a Store.
	Accounts SignIns
	// ErrorOf is the status and message the API answers for err (web's
	// error handler), which the error page shows.
	ErrorOf func(err error, c echo.Context) (status int, message, requestID string)
}

// New parses the templates and hashes the static files.
func New(d Deps) (*Handlers, error) {
	assets, err := static.NewAssets(static.FS)
	if err != nil {
		return nil, err
	}
	sub, err := fs.Sub(templateFS, "templates")
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	p, err := newPages(sub, assets)
	if err != nil {
		return nil, err
	}
	return &Handlers{store: d.Store, eval: d.Eval, accounts: d.Accounts, errorOf: d.ErrorOf, pages: p, assets: assets}, nil
}

// Asset is the content-hashed URL of a static file.
func (u *Handlers) Asset(name string) (string, bool) { return u.assets.URL(name) }

// pages holds every parsed page, each with its layout and the partials.
type pages struct {
	assets *static.Assets
	byName map[string]*template.Template
	bufs   sync.Pool
}

// newPages parses every page of fsys (the templates folder) with its
// layout; an error names the file that failed.
func newPages(fsys fs.FS, assets *static.Assets) (*pages, error) {
	p := &pages{assets: assets, byName: map[string]*template.Template{}}
	p.bufs.New = func() any { return new(bytes.Buffer) }
	funcs := p.funcs()
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("list templates: %w", err)
	}
	var shared []string // every _*.html but the layouts
	for _, e := range entries {
		if n := e.Name(); !e.IsDir() && strings.HasPrefix(n, "_") && path.Ext(n) == ".html" && n != "_layout.html" && n != "_print.html" {
			shared = append(shared, n)
		}
	}
	// The shared partials are parsed once and each page's set cloned from
	// them: parsing every partial again for each page was most of the
	// cost of starting a server (a quarter of the web package's test CPU,
	// which starts one per test). The page's own label func replaces the
	// placeholder in its clone.
	base, err := template.New("").Funcs(funcs).Funcs(template.FuncMap{"label": func(string) string { return "" }}).ParseFS(fsys, shared...)
	if err != nil {
		return nil, fmt.Errorf("parse shared templates: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || path.Ext(name) != ".html" || strings.HasPrefix(name, "_") {
			continue
		}
		page := strings.TrimSuffix(name, ".html")
		layout := "_layout.html"
		if printPages[page] {
			layout = "_print.html"
		}
		labels, err := fieldLabels(fsys, name)
		if err != nil {
			return nil, err
		}
		t, err := base.Clone()
		if err != nil {
			return nil, fmt.Errorf("clone templates for %s: %w", name, err)
		}
		t, err = t.Funcs(template.FuncMap{"label": labels}).ParseFS(fsys, layout, name)
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", name, err)
		}
		for _, need := range []string{"layout", "title", "main"} {
			if t.Lookup(need) == nil {
				return nil, fmt.Errorf("template %s: no %q defined", name, need)
			}
		}
		p.byName[page] = t
	}
	return p, nil
}

// Names returns the registered page names, sorted.
func (p *pages) Names() []string {
	out := make([]string, 0, len(p.byName))
	for n := range p.byName {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// execute draws page name with v into a buffer (so a template error never
// sends half a page) and returns it; the caller returns the buffer with
// put.
func (p *pages) execute(name string, v *view) (*bytes.Buffer, error) {
	t, ok := p.byName[name]
	if !ok {
		return nil, fmt.Errorf("no page template %q", name)
	}
	buf := p.bufs.Get().(*bytes.Buffer)
	buf.Reset()
	if err := t.ExecuteTemplate(buf, "layout", v); err != nil {
		p.put(buf)
		return nil, fmt.Errorf("render %s: %w", name, err)
	}
	return buf, nil
}

func (p *pages) put(b *bytes.Buffer) {
	if b.Cap() <= 1<<20 {
		p.bufs.Put(b)
	}
}

// render draws a page with its layout and sends it with status, filling
// the layout's fields the handler leaves empty (CSRF token, test flag,
// user). Pages are private to the evaluation's team: never stored in
// shared caches. The compress middleware gzips them.
func (u *Handlers) render(c echo.Context, status int, name string, v view) error {
	v = u.viewer(c, v)
	buf, err := u.pages.execute(name, &v)
	if err != nil {
		return err
	}
	defer u.pages.put(buf)
	h := c.Response().Header()
	h.Set(echo.HeaderCacheControl, "no-store")
	h.Set(echo.HeaderContentLength, strconv.Itoa(buf.Len()))
	return c.HTMLBlob(status, buf.Bytes())
}

// viewer is v with what every page shows of the request's viewer: the
// signed-in user, whether they may edit, the CSRF token and the test flag.
func (u *Handlers) viewer(c echo.Context, v view) view {
	if v.CSRF == "" {
		v.CSRF = edge.CSRFToken(c)
	}
	v.Test = v.Test || c.QueryParam("test") == "1"
	if v.User == nil {
		v.User = edge.User(c)
	}
	v.CanEdit = v.User != nil && v.User.Role.CanEdit()
	return v
}

// funcs are the template functions every page may use:
//
//	asset "css/app.css"      the file's content-hashed URL
//	money .Currency x        1,234,567.89 with the currency's sign: "€1,234,567.89"
//	money0 .Currency x       whole units: "€1,234,568"
//	moneyShort .Currency x   "€3.1M", "€450K", "€820"
//	num x                    a number with thousands separators and up to 2 decimals
//	pct x                    a fraction as a percentage, one decimal: 0.182 → "18.2%"
//	score x                  one decimal: 84.04 → "84.0"; nil → "—"
//	monthLabel "2027-03"     "Mar 2027"
//	plural "box"             "boxes" (report/words: the one plural rule)
//	count n "line"           "1 line", "3 lines", "1,200 lines"
//	signClass x              "saving" when x > 0, "loss" when x < 0
//	category "personnel"     a cost category in words
//	roundLabel, roundsKey    a quote round's label in words; its chart key
//	field NAME LABEL FORM …  the arguments of the "field" and "select"
//	                         partials (see _partials.html, form.go)
//	add, sub                 integer arithmetic for indexes
//
// x may be tco.Money, *tco.Money, decimal.Decimal, tco.Number, float64,
// *float64 or int; nil pointers print "—".
func (p *pages) funcs() template.FuncMap {
	return template.FuncMap{
		"asset": func(name string) (string, error) {
			u, ok := p.assets.URL(name)
			if !ok {
				return "", fmt.Errorf("no static file %q", name)
			}
			return u, nil
		},
		"money":      func(cur string, x any) string { return formatMoney(cur, x, -1) },
		"money0":     func(cur string, x any) string { return formatMoney(cur, x, 0) },
		"moneyShort": moneyShort,
		"num":        func(x any) string { return formatNumber(x, 2) },
		"pct":        formatPct,
		"score":      formatScore,
		"monthLabel": monthLabel,
		"plural":     words.Plural,
		"count":      countOf,
		"signClass":  signClass,
		"field":      fieldFunc,
		"category":   evaluation.CategoryLabel,
		"roundLabel": evaluation.RoundLabel,
		"selfStatus": selfStatus,
		"roundsKey":  evaluation.RoundsKey,
		"add":        func(a, b int) int { return a + b },
		"sub":        func(a, b int) int { return a - b },
	}
}

// The figures' formats are internal/report's (one copy for the pages,
// the dashboard's sentences and the terminal report).
const dash = report.Dash

// countOf is n with the noun in the right number ("1 line", "3 lines"),
// for the templates, whose counts are int or int64.
func countOf(n any, noun string) (string, error) {
	switch v := n.(type) {
	case int:
		return words.Count(v, noun), nil
	case int64:
		return words.Count(int(v), noun), nil
	}
	return "", fmt.Errorf("count: %T is not a count", n)
}

var (
	toDecimal    = report.Decimal
	formatMoney  = report.Money
	moneyShort   = report.MoneyShort
	formatNumber = report.Number
	formatPct    = report.Pct
	formatScore  = report.Score
	monthLabel   = words.Month
)

// signClass is the CSS class of a saving: "saving" above zero, "loss"
// below, "" at zero or for a missing value.
func signClass(x any) string {
	d, _, ok := toDecimal(x)
	switch {
	case !ok || d.IsZero():
		return ""
	case d.Sign() > 0:
		return "saving"
	default:
		return "loss"
	}
}

// PageErrors renders a page error (not found, invalid input, a failure) as
// an HTML page with the status the API would answer, instead of the JSON
// error body.
func (u *Handlers) PageErrors(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		err := next(c)
		if err == nil || c.Response().Committed {
			return err
		}
		status, msg, id := u.errorOf(err, c)
		if c.Request().Method == http.MethodHead {
			return c.NoContent(status)
		}
		v := view{Title: http.StatusText(status), Data: errorPage{Status: status, Message: asSentence(msg), RequestID: id}}
		if rerr := u.render(c, status, "error", v); rerr != nil {
			return err // fall back to the JSON error
		}
		return nil
	}
}

// asSentence starts a message with a capital and ends it with a full stop:
// the API's "evaluation not found" reads "Evaluation not found." on a page.
func asSentence(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	if r[0] >= 'a' && r[0] <= 'z' {
		r[0] -= 'a' - 'A'
	}
	if last := r[len(r)-1]; last != '.' && last != '!' && last != '?' {
		r = append(r, '.')
	}
	return string(r)
}

// errorPage is the data of templates/error.html.
type errorPage struct {
	Status    int
	Message   string
	RequestID string
}

// fieldCall finds the fields a page declares with the field partial:
// (field "NAME" "Label" …).
var fieldCall = regexp.MustCompile(`\(field "([^"]+)" "([^"]+)"`)

// fieldLabels returns the page's template function label: a field's name
// to the label the page shows for it, so the error summary names a field
// in the page's words ("Horizon (months)", not horizon_months). Unknown
// names give "".
func fieldLabels(fsys fs.FS, name string) (func(string) string, error) {
	src, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("read template %s: %w", name, err)
	}
	m := map[string]string{}
	for _, c := range fieldCall.FindAllStringSubmatch(string(src), -1) {
		if _, ok := m[c[1]]; !ok {
			m[c[1]] = c[2]
		}
	}
	return func(field string) string { return m[field] }, nil
}
