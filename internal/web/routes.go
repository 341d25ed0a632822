package web

import (
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"vendorcompare/internal/evaluation"
	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
	"vendorcompare/internal/web/api"
	"vendorcompare/internal/web/ui"
)

// The route table: every route the server answers, in one list. New
// registers echo's routes from it, the guard (auth.go) takes who may call
// each route from it, and the OpenAPI description (openapi.go) is
// generated from its API entries, so the three cannot disagree. Add a
// route here and nowhere else.

// routeKind is the route middleware a route runs with.
type routeKind int

const (
	plainRoute routeKind = iota // none: the health probe, static files, the stateless compare
	apiRoute                    // the JSON API of stored evaluations: noStore, confirmParam
	pageRoute                   // a page: the CSRF check, errors rendered as a page
)

// route is one entry of the table.
type route struct {
	method  string // GET, POST, PUT or DELETE
	path    string // echo's form: /api/v1/options/:id
	head    bool   // a GET that answers HEAD too
	handler echo.HandlerFunc
	kind    routeKind
	who     access        // who may call it: routeAccess, the one rule (auth.go)
	op      *apiOperation // the OpenAPI description of an API route
}

// routeTable lists the server's routes. Without a store only the
// stateless ones (health, compare, static files); the spreadsheet routes
// only when the store saves bids (evaluation.BidStore; internal/store does).
// The page handlers are u's; the account pages need s.accounts.
func (s *Server) routeTable(u *ui.Handlers) []route {
	var t []route
	h := &api.Handlers{Store: s.deps.Store, Eval: s.eval, Now: time.Now} // Store nil: the stateless routes only
	plain := func(r route) {
		r.who = routeAccess(r.method, r.path)
		t = append(t, r)
	}
	apiOp := func(method, path string, h echo.HandlerFunc, op apiOperation) {
		plain(route{method: method, path: "/api/v1" + path, handler: h, kind: apiRoute, op: &op})
	}
	// Pages answer HEAD wherever they answer GET.
	page := func(method, path string, h echo.HandlerFunc) {
		plain(route{method: method, path: path, head: method == http.MethodGet, handler: h, kind: pageRoute})
	}
	get := func(path string, h echo.HandlerFunc) { page(http.MethodGet, path, h) }
	post := func(path string, h echo.HandlerFunc) { page(http.MethodPost, path, h) }

	plain(route{method: "GET", path: "/healthz", head: true, handler: s.health, op: &apiOperation{id: "health", summary: "Liveness probe", tag: "service",
		status: 200, response: map[string]string{}}})
	plain(route{method: "POST", path: "/api/v1/compare", handler: h.Compare, op: &apiOperation{id: "compare", summary: "Compare an evaluation document (spec section 7); 422 also for a document over the work budget (at most 1,000,000 amounts costed, 16,777,216 break-even boundaries, 700,000,000 work units), naming what to lower, or with an amount too large to cost exactly", tag: "compare",
		query: []string{"break_even_max", "runs", "seed"}, body: tco.Document{}, status: 200, response: tco.Comparison{},
		errors: []int{400, 413, 415, 422, 503}}})
	plain(route{method: "POST", path: "/api/v1/staffing", handler: h.Staffing, op: &apiOperation{id: "staffing", summary: "Staff one capacity for one month's volume (spec section 8): agents by interval, achieved service level by interval and weighted by contacts, average occupancy, heads by the capacity's method and by workload", tag: "compare",
		body: tco.StaffingRequest{}, status: 200, response: tco.StaffingPlan{}, errors: []int{400, 413, 415, 422}}})
	plain(route{method: "GET", path: "/static/*", head: true, handler: u.Static})
	// browsers ask for /favicon.ico when a page (a JSON error) names none
	if icon, ok := u.Asset("img/favicon.svg"); ok {
		plain(route{method: "GET", path: "/favicon.ico", handler: func(c echo.Context) error { return c.Redirect(http.StatusMovedPermanently, icon) }})
	}
	if s.deps.Store == nil {
		return t
	}

	// The JSON API (/api/v1). Collections nest under their owner
	// (/evaluations/{id}/options); a record is then addressed by its own
	// id (/options/{id}). Quotes are confidential: no answer goes to a
	// shared cache (noStore); ?confirm=1 confirms implausible values on
	// every write (confirm.go).
	apiOp("GET", "/openapi.json", s.openAPI, apiOperation{id: "openapi", summary: "This description", tag: "service",
		status: 200, response: map[string]any{}})

	apiOp("GET", "/evaluations", h.ListEvaluations, apiOperation{id: "listEvaluations", summary: "List evaluations, most recently changed first", tag: "evaluations",
		query: []string{"limit", "offset", "q"}, status: 200, response: evalPage, errors: []int{422}})
	apiOp("POST", "/evaluations", h.CreateEvaluation, apiOperation{id: "createEvaluation", summary: "Create an empty evaluation", tag: "evaluations",
		body: api.SettingsRequest{}, query: []string{"confirm"}, status: 201, response: store.Evaluation{}, errors: []int{400, 413, 415, 422}})
	apiOp("POST", "/evaluations/import", h.ImportEvaluation, apiOperation{id: "importEvaluation", summary: "Create an evaluation from a spec document; 422 for any document POST /compare refuses (the work budget, amounts too large to cost), as for every later save", tag: "evaluations",
		body: tco.Document{}, query: []string{"confirm"}, status: 201, response: api.CreatedID{}, errors: []int{400, 413, 415, 422}})
	apiOp("GET", "/evaluations/:id", h.GetEvaluation, apiOperation{id: "getEvaluation", summary: "Read an evaluation's settings", tag: "evaluations",
		status: 200, response: store.Evaluation{}, errors: errRead})
	apiOp("PUT", "/evaluations/:id", h.UpdateEvaluation, apiOperation{id: "updateEvaluation", summary: "Replace an evaluation's settings", tag: "evaluations",
		ifMatch: true, body: api.SettingsRequest{}, query: []string{"confirm"}, status: 200, response: store.Evaluation{}, errors: errUpdate})
	apiOp("DELETE", "/evaluations/:id", h.DeleteEvaluation, apiOperation{id: "deleteEvaluation", summary: "Delete an evaluation and everything in it", tag: "evaluations",
		query: []string{"version"}, ifMatch: true, status: 204, errors: errDelete})
	apiOp("POST", "/evaluations/:id/copy", h.CopyEvaluation, apiOperation{id: "copyEvaluation", summary: "Copy an evaluation with every round, criterion and score", tag: "evaluations",
		body: api.CopyRequest{}, status: 201, response: store.Evaluation{}, errors: errCreate})
	apiOp("GET", "/evaluations/:id/document", h.ExportDocument, apiOperation{id: "exportDocument", summary: "Export the evaluation as a spec document", tag: "evaluations",
		query: []string{"rounds"}, status: 200, response: tco.Document{}, errors: errList})
	apiOp("GET", "/evaluations/:id/comparison", h.EvaluationComparison, apiOperation{id: "evaluationComparison", summary: "Compare a stored evaluation (spec section 7)", tag: "evaluations",
		query: []string{"break_even_max", "rounds"}, status: 200, response: tco.Comparison{}, errors: []int{404, 422, 503}})

	apiOp("GET", "/evaluations/:id/audit", h.ListEvaluationAudit, apiOperation{id: "listEvaluationAudit", summary: "Changes to one evaluation, newest first", tag: "audit",
		query: []string{"entity", "limit", "offset"}, status: 200, response: auditPage, errors: errList})

	// Decisions (api/decisions.go): viewers record them too (auth.go viewerWrites).
	apiOp("GET", "/evaluations/:id/decisions", h.ListDecisions, apiOperation{id: "listDecisions", summary: "List an evaluation's decisions, newest first (the first is in force); ?q= searches option and rationale", tag: "decisions",
		query: []string{"limit", "offset", "q"}, status: 200, response: api.ListPage[store.Decision]{}, errors: errList})
	apiOp("POST", "/evaluations/:id/decisions", h.RecordDecision, apiOperation{id: "recordDecision", summary: "Record a decision (award to an option, reject, defer) with its rationale, by the caller, now; it supersedes the earlier ones, which stay listed", tag: "decisions",
		body: api.DecisionRequest{}, status: 201, response: store.Decision{}, errors: []int{400, 404, 413, 415, 422}})
	apiOp("GET", "/decisions/:id", h.GetDecision, apiOperation{id: "getDecision", summary: "Read a recorded decision", tag: "decisions",
		status: 200, response: store.Decision{}, errors: errRead})

	apiOp("GET", "/evaluations/:id/options", h.ListOptions, apiOperation{id: "listOptions", summary: "List an evaluation's options with their current quotes", tag: "options",
		query: []string{"limit", "offset", "q"}, status: 200, response: optPage, errors: errList})
	apiOp("POST", "/evaluations/:id/options", h.CreateOption, apiOperation{id: "createOption", summary: "Add an option (its first round holds the quote)", tag: "options",
		body: api.OptionRequest{}, query: []string{"confirm"}, status: 201, response: store.Option{}, errors: errCreate})
	apiOp("GET", "/options/:id", h.GetOption, apiOperation{id: "getOption", summary: "Read an option with its current quote", tag: "options",
		status: 200, response: store.Option{}, errors: errRead})
	apiOp("PUT", "/options/:id", h.UpdateOption, apiOperation{id: "updateOption", summary: "Replace an option (and with a quote, its current round's pricing and lines)", tag: "options",
		ifMatch: true, body: api.OptionRequest{}, query: []string{"confirm"}, status: 200, response: store.Option{}, errors: errUpdate})
	apiOp("DELETE", "/options/:id", h.DeleteOption, apiOperation{id: "deleteOption", summary: "Delete an option with its rounds, lines and scores", tag: "options",
		query: []string{"version"}, ifMatch: true, status: 204, errors: errDelete})

	apiOp("GET", "/options/:id/lines", h.ListLines, apiOperation{id: "listLines", summary: "List the cost lines of an option's current round", tag: "lines",
		query: []string{"limit", "offset", "q"}, status: 200, response: linePage, errors: errList})
	apiOp("POST", "/options/:id/lines", h.CreateLine, apiOperation{id: "createLine", summary: "Append a cost line to an option's current round", tag: "lines",
		body: api.LineRequest{}, query: []string{"confirm"}, status: 201, response: store.Line{}, errors: errCreate})
	apiOp("GET", "/lines/:id", h.GetLine, apiOperation{id: "getLine", summary: "Read a cost line", tag: "lines",
		status: 200, response: store.Line{}, errors: errRead})
	apiOp("PUT", "/lines/:id", h.UpdateLine, apiOperation{id: "updateLine", summary: "Replace a cost line", tag: "lines",
		ifMatch: true, body: api.LineRequest{}, query: []string{"confirm"}, status: 200, response: store.Line{}, errors: errUpdate})
	apiOp("DELETE", "/lines/:id", h.DeleteLine, apiOperation{id: "deleteLine", summary: "Delete a cost line", tag: "lines",
		query: []string{"version"}, ifMatch: true, status: 204, errors: errDelete})

	apiOp("GET", "/evaluations/:id/criteria", h.ListCriteria, apiOperation{id: "listCriteria", summary: "List an evaluation's quality criteria", tag: "criteria",
		query: []string{"limit", "offset", "q"}, status: 200, response: critPage, errors: errList})
	apiOp("POST", "/evaluations/:id/criteria", h.CreateCriterion, apiOperation{id: "createCriterion", summary: "Add a quality criterion", tag: "criteria",
		body: api.CriterionRequest{}, status: 201, response: store.Criterion{}, errors: errCreate})
	apiOp("GET", "/criteria/:id", h.GetCriterion, apiOperation{id: "getCriterion", summary: "Read a criterion", tag: "criteria",
		status: 200, response: store.Criterion{}, errors: errRead})
	apiOp("PUT", "/criteria/:id", h.UpdateCriterion, apiOperation{id: "updateCriterion", summary: "Replace a criterion", tag: "criteria",
		ifMatch: true, body: api.CriterionRequest{}, status: 200, response: store.Criterion{}, errors: errUpdate})
	apiOp("DELETE", "/criteria/:id", h.DeleteCriterion, apiOperation{id: "deleteCriterion", summary: "Delete a criterion and its scores", tag: "criteria",
		query: []string{"version"}, ifMatch: true, status: 204, errors: errDelete})

	apiOp("GET", "/evaluations/:id/scores", h.ListScores, apiOperation{id: "listScores", summary: "List every score of an evaluation", tag: "scores",
		query: []string{"limit", "offset", "q"}, status: 200, response: scorePage, errors: errList})
	apiOp("GET", "/options/:id/scores", h.ListOptionScores, apiOperation{id: "listOptionScores", summary: "List an option's scores", tag: "scores",
		query: []string{"limit", "offset", "q"}, status: 200, response: scorePage, errors: errList})
	apiOp("POST", "/options/:id/scores", h.CreateScore, apiOperation{id: "createScore", summary: "Score an option on a criterion (by key)", tag: "scores",
		body: api.ScoreRequest{}, status: 201, response: store.Score{}, errors: errCreate})
	apiOp("GET", "/scores/:id", h.GetScore, apiOperation{id: "getScore", summary: "Read a score", tag: "scores",
		status: 200, response: store.Score{}, errors: errRead})
	apiOp("PUT", "/scores/:id", h.UpdateScore, apiOperation{id: "updateScore", summary: "Change a score's value", tag: "scores",
		ifMatch: true, body: api.ScoreRequest{}, status: 200, response: store.Score{}, errors: errUpdate})
	apiOp("DELETE", "/scores/:id", h.DeleteScore, apiOperation{id: "deleteScore", summary: "Delete a score", tag: "scores",
		query: []string{"version"}, ifMatch: true, status: 204, errors: errDelete})

	apiOp("GET", "/vendors", h.ListVendors, apiOperation{id: "listVendors", summary: "List the vendor directory by name", tag: "vendors",
		query: []string{"limit", "offset", "q"}, status: 200, response: vendorPage, errors: []int{422}})
	apiOp("POST", "/vendors", h.CreateVendor, apiOperation{id: "createVendor", summary: "Add a vendor to the directory", tag: "vendors",
		body: api.VendorRequest{}, status: 201, response: store.Vendor{}, errors: []int{400, 409, 413, 415, 422}})
	apiOp("GET", "/vendors/:id", h.GetVendor, apiOperation{id: "getVendor", summary: "Read a vendor", tag: "vendors",
		status: 200, response: store.Vendor{}, errors: errRead})
	apiOp("PUT", "/vendors/:id", h.UpdateVendor, apiOperation{id: "updateVendor", summary: "Replace a vendor", tag: "vendors",
		ifMatch: true, body: api.VendorRequest{}, status: 200, response: store.Vendor{}, errors: errUpdate})
	apiOp("DELETE", "/vendors/:id", h.DeleteVendor, apiOperation{id: "deleteVendor", summary: "Delete a vendor no option links to", tag: "vendors",
		query: []string{"version"}, ifMatch: true, status: 204, errors: errDelete})

	apiOp("GET", "/options/:id/rounds", h.ListRounds, apiOperation{id: "listRounds", summary: "List an option's quote rounds, oldest first", tag: "rounds",
		query: []string{"limit", "offset", "q"}, status: 200, response: roundPage, errors: errList})
	apiOp("POST", "/options/:id/rounds", h.CreateRound, apiOperation{id: "createRound", summary: "Record a revised quote; it becomes the current one", tag: "rounds",
		body: api.RoundRequest{}, query: []string{"confirm"}, status: 201, response: store.Round{}, errors: errCreate})
	apiOp("GET", "/options/:id/rounds/comparison", h.CompareRounds, apiOperation{id: "compareRounds", summary: "Cost an option once per round, with each round's change", tag: "rounds",
		status: 200, response: evaluation.RoundComparison{}, errors: []int{404, 422}})
	apiOp("GET", "/rounds/:id", h.GetRound, apiOperation{id: "getRound", summary: "Read a round with its snapshot", tag: "rounds",
		status: 200, response: store.Round{}, errors: errRead})
	apiOp("PUT", "/rounds/:id", h.UpdateRound, apiOperation{id: "updateRound", summary: "Change a round (and with a quote, its snapshot)", tag: "rounds",
		ifMatch: true, body: api.RoundRequest{}, query: []string{"confirm"}, status: 200, response: store.Round{}, errors: errUpdate})
	apiOp("DELETE", "/rounds/:id", h.DeleteRound, apiOperation{id: "deleteRound", summary: "Delete a round (not an option's only one)", tag: "rounds",
		query: []string{"version"}, ifMatch: true, status: 204, errors: errDelete})

	apiOp("GET", "/audit", h.ListAudit, apiOperation{id: "listAudit", summary: "Every recorded change, newest first", tag: "audit",
		query: []string{"entity", "limit", "offset"}, status: 200, response: auditPage, errors: []int{422}})

	if s.eval.TakesBids() { // api/sheets.go: bid form, bid upload, exports
		apiOp("GET", "/evaluations/:id/bid-form", h.BidForm, apiOperation{id: "bidForm", summary: "Download the XLSX bid form to send to vendors", tag: "spreadsheets",
			status: 200, files: []string{evaluation.ContentTypeXLSX}, errors: []int{404, 422}})
		apiOp("POST", "/evaluations/:id/bids", h.ImportBid, apiOperation{id: "importBid", summary: "Upload a filled bid form or CSV bid: a new vendor option, or with option_id a new round of one; 422 lists every problem at its cell; 409 when a quote of the bid's vendor name exists (send option_id or new=1)", tag: "spreadsheets",
			upload: []string{"file", "option_id", "label", "vendor_id", "new"}, query: []string{"confirm"}, status: 201, response: store.Option{}, errors: []int{400, 404, 409, 413, 415, 422}})
		apiOp("GET", "/evaluations/:id/export", h.Export, apiOperation{id: "exportComparison", summary: "Download the comparison: the finance workbook (live formulas, the decision in force on its About sheet), the monthly tables as CSV, the JSON, or the text report with the decision in force", tag: "spreadsheets",
			query: []string{"format", "sep", "bom"}, status: 200, response: tco.Comparison{}, files: []string{evaluation.ContentTypeXLSX, evaluation.ContentTypeCSV, evaluation.ContentTypeText}, errors: []int{404, 422, 503}})
	}

	// The pages (internal/web/ui).
	get("/", u.ListEvaluations)
	post("/evaluations", u.CreateEvaluation)
	post("/evaluations/copy", u.CopyEvaluation)
	post("/evaluations/import", u.ImportEvaluation)
	get("/evaluations/:id", u.Dashboard)
	get("/evaluations/:id/print", u.Print)
	get("/evaluations/:id/print.css", u.PrintCSS) // the board pack's page footers (ui/print.go)
	get("/evaluations/:id/risk", u.HowSure)       // the "how sure" panel as a fragment, once the simulation is made (ui/howsure.go)
	get("/evaluations/:id/options/:option/monthly", u.Monthly)
	if s.eval.TakesBids() {
		get(bidsPagePath, u.Bids) // ui/bids.go; the upload takes bodies up to edge.UploadLimit (ownBodyLimit)
		post(bidsPagePath, u.UploadBid)
	}

	// The workspace (ui/workspace*.go): where procurement builds an
	// evaluation in forms. A failed save re-renders its form with the
	// values as typed, each error next to its field and status 422; a
	// stale version re-renders it with a conflict notice and status 409.
	// Nothing is written in either case. A successful save redirects (303)
	// to its section with ?saved=.
	const ws = "/evaluations/:id/workspace"
	get(ws, u.Workspace)                    // overview: options, add a quote, copy the baseline
	post(ws+"/options", u.CreateVendor)     // add a vendor quote
	post(ws+"/improvement", u.CopyBaseline) // copy the baseline as an improvement option
	get(ws+"/settings", u.Settings)         // settings form
	post(ws+"/settings", u.SaveSettings)
	get(ws+"/options/:option", u.Option)      // one option: quote, lines, staffing helper, rounds
	post(ws+"/options/:option", u.SaveOption) // save the option and its pricing and tiers
	post(ws+"/options/:option/delete", u.DeleteOption)
	post(ws+"/options/:option/vendor", u.CreateVendorLink) // create a directory vendor and link it
	post(ws+"/options/:option/rounds", u.CreateRound)      // a new round, copying the current quote
	post(ws+"/options/:option/rounds/:round", u.SaveRound)
	post(ws+"/options/:option/rounds/:round/delete", u.DeleteRound)
	post(ws+"/options/:option/lines", u.SaveLine)       // add a cost line
	post(ws+"/options/:option/lines/:line", u.SaveLine) // save a cost line
	post(ws+"/options/:option/lines/:line/delete", u.DeleteLine)
	get(ws+"/criteria", u.Criteria)                  // criteria and the score grid
	post(ws+"/criteria", u.SaveCriterion)            // add a criterion
	post(ws+"/criteria/:criterion", u.SaveCriterion) // save a criterion
	post(ws+"/criteria/:criterion/delete", u.DeleteCriterion)
	post(ws+"/scores", u.SaveScores)                  // the whole score grid at once
	post(ws+"/self-scores/:self", u.ResolveSelfScore) // a vendor's own score confirmed or overridden
	get(ws+"/risk", u.Risk)                           // risk settings (spec §9), ?preset=typical fills the preset in
	post(ws+"/risk", u.SaveRisk)                      // save them, or with do=remove remove them

	if s.cfg.MemoryProbe {
		plain(route{method: "GET", path: "/admin/debug/memory", handler: s.memory}) // debug.go; /admin: admins only
	}

	// Accounts (ui/login.go, passwords.go, tokens.go, users.go,
	// audit.go, decisions.go): signing in and out, the setup
	// link, API tokens, user management, the audit trail and decisions.
	get("/login", u.LoginForm)
	post("/login", u.Login)
	post("/logout", u.Logout)
	get("/setup", u.SetupForm)
	post("/setup", u.Setup)
	get("/reset-password", u.ResetForm)
	post("/reset-password", u.ResetPassword)
	get("/account/password", u.PasswordForm)
	post("/account/password", u.ChangePassword)

	get("/tokens", u.ListTokens)
	post("/tokens", u.CreateToken)
	post("/tokens/:id/revoke", u.RevokeToken)

	get("/admin/users", u.ListUsers)
	post("/admin/users", u.CreateUser)
	post("/admin/users/:id/role", u.SetRole)
	post("/admin/users/:id/disable", u.DisableUser)
	post("/admin/users/:id/enable", u.EnableUser)
	post("/admin/users/:id/reset-link", u.ResetLink)

	get("/audit", u.Audit)
	get("/evaluations/:id/audit", u.EvaluationAudit)
	get("/evaluations/:id/decisions", u.Decisions)
	post("/evaluations/:id/decisions", u.RecordDecision)
	return t
}

// register adds the table's routes to echo, each with its kind's route
// middleware (route middleware rather than Use, which would add
// catch-all routes).
func (s *Server) register(t []route, u *ui.Handlers) {
	mw := map[routeKind][]echo.MiddlewareFunc{
		apiRoute:  {noStore, confirmParam},
		pageRoute: {csrf(), u.PageErrors},
	}
	for _, r := range t {
		methods := []string{r.method}
		if r.head {
			methods = append(methods, http.MethodHead)
		}
		s.echo.Match(methods, r.path, r.handler, mw[r.kind]...)
	}
}

// accessOf is who may call each route of t by "METHOD /path", HEAD
// taking its GET's.
func accessOf(t []route) map[string]access {
	m := map[string]access{}
	for _, r := range t {
		m[r.method+" "+r.path] = r.who
		if r.head {
			m[http.MethodHead+" "+r.path] = r.who
		}
	}
	return m
}

// mustUI builds the pages' handlers. The embedded templates and files are
// part of the binary, so a template that does not parse is a programming
// error: it panics at start-up, and the tests catch it first.
func mustUI(s *Server) *ui.Handlers {
	d := ui.Deps{Store: s.deps.Store, Eval: s.eval, ErrorOf: s.errorOf}
	if s.accounts != nil {
		d.Accounts = s.accounts
	}
	u, err := ui.New(d)
	if err != nil {
		panic(fmt.Sprintf("web: %v", err))
	}
	return u
}
