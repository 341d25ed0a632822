package ui

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"vendorcompare/internal/store"
	"vendorcompare/internal/web/edge"
)

// auditPageSize is how many changes an audit page lists.
const auditPageSize = 50

// auditView is the data of templates/audit.html.
type auditView struct {
	// Evaluation is set on an evaluation's own audit page.
	Evaluation *store.Evaluation
	Entries    []auditRow
	Total      int
	PageNo     int
	Pages      int
	PrevURL    string
	NextURL    string
	// The filters as chosen, their choices, and what was wrong with them.
	Filter      auditQuery
	Filtered    bool
	Evaluations []choice // on /audit only
	Actors      []choice
	Entities    []choice
	Actions     []choice
	Problems    []string
	EvalNames   map[int64]string // on /audit: each evaluation's name, for its entries
}

// EvalName names an entry's evaluation: its name, or "evaluation 7" for
// one deleted since.
func (v auditView) EvalName(id *int64) string {
	if id == nil {
		return ""
	}
	if n, ok := v.EvalNames[*id]; ok {
		return n
	}
	return "evaluation " + strconv.FormatInt(*id, 10)
}

// auditQuery is the audit page's filters, as the query string carries them
// (the action as ?change=: a form field named "action" would hide the
// form's own action property from scripts).
type auditQuery struct {
	Evaluation, Actor, Entity, Action, From, To string
}

// values is the query string of the filters (and the page).
func (q auditQuery) values(page int) url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"evaluation": q.Evaluation, "actor": q.Actor, "entity": q.Entity, "change": q.Action, "from": q.From, "to": q.To} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	return v
}

// auditRow is one change as the page shows it: who, when, what in words,
// and the fields that changed with their values before and after.
type auditRow struct {
	store.AuditEntry
	What    string // "Changed cost line #12"
	Changes []fieldChange
}

// fieldChange is one changed field: its path in the record, its label for
// people, its values before and after ("" when the field did not exist on
// that side), and their first characters when they are long (a whole
// imported document), which the page shows folded.
type fieldChange struct {
	Field, Label            string
	Before, After           string
	BeforeShort, AfterShort string
}

// foldAt is the length past which a value is shown folded.
const foldAt = 120

// short returns the first foldAt characters of a long value and "…", or ""
// for a value short enough to show whole.
func short(v string) string {
	r := []rune(v)
	if len(r) <= foldAt {
		return ""
	}
	return string(r[:foldAt]) + "…"
}

// entityLabels name the audited record types for people.
var entityLabels = map[string]string{
	"evaluation": "evaluation", "option": "option", "round": "quote round", "line": "cost line",
	"criterion": "criterion", "score": "score", "vendor": "vendor", "decision": "decision",
	"self_score": "vendor's own score", "user": "user", "token": "API token",
}

// actionLabels name what was done.
var actionLabels = map[string]string{
	"create": "Created", "update": "Changed", "delete": "Deleted", "import": "Imported", "copy": "Copied",
}

// auditFieldLabels name the stored fields for people where their JSON name is
// not plain words.
var auditFieldLabels = map[string]string{
	"id": "ID", "slug": "identifier", "round_id": "quote round (id)", "option_id": "option (id)", "evaluation_id": "evaluation (id)",
	"vendor_id": "vendor (id)", "criterion_id": "criterion (id)", "user_id": "user (id)", "option_name": "option",
	"horizon_months": "horizon (months)", "discount_rate": "discount rate", "fx_rate": "exchange rate",
	"decided_by": "decided by", "decided_at": "decided at", "seq": "round number", "unit_factor": "unit factor",
	"block_size": "block size", "fiscal_year_start": "fiscal year starts", "max_fte": "maximum FTE",
	"key": "criterion", "per": "priced per", "min_score": "minimum score", "url": "URL", "sla": "SLA",
	"fte": "FTE", "aht": "handle time", "csat": "CSAT", "fcr": "FCR", "iso": "ISO",
}

// fieldLabel is a field path for people: "quote.pricing.tiers[0].price"
// reads "quote › pricing › tiers 1 › price", snake_case words spaced.
func fieldLabel(path string) string {
	parts := strings.Split(path, ".")
	for i, p := range parts {
		name, idx, _ := strings.Cut(p, "[")
		l, ok := auditFieldLabels[name]
		if !ok {
			l = strings.ReplaceAll(name, "_", " ")
		}
		for idx != "" { // tiers[0][1]: 1-based for people
			n, rest, _ := strings.Cut(idx, "]")
			if k, err := strconv.Atoi(n); err == nil {
				l += " " + strconv.Itoa(k+1)
			}
			idx = strings.TrimPrefix(rest, "[")
		}
		parts[i] = l
	}
	s := strings.Join(parts, " › ")
	if s != "" {
		s = strings.ToUpper(s[:1]) + s[1:]
	}
	return s
}

// what is an entry's action and record in words: "Changed cost line #12".
func what(e store.AuditEntry) string {
	a, ok := actionLabels[e.Action]
	if !ok {
		a = e.Action
	}
	ent, ok := entityLabels[e.Entity]
	if !ok {
		ent = strings.ReplaceAll(e.Entity, "_", " ")
	}
	return a + " " + ent + " #" + strconv.FormatInt(e.EntityID, 10)
}

// Audit shows every recorded change, newest first.
func (p *Handlers) Audit(c echo.Context) error {
	return p.renderAudit(c, nil, "/audit")
}

// EvaluationAudit shows the changes of one evaluation and everything in
// it, decisions included.
func (p *Handlers) EvaluationAudit(c echo.Context) error {
	id, err := edge.ID(c, "id")
	if err != nil {
		return err
	}
	e, err := p.store.GetEvaluation(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return p.renderAudit(c, e, "/evaluations/"+strconv.FormatInt(id, 10)+"/audit")
}

// renderAudit lists the changes the filters of the query string select:
// evaluation (on /audit), who, record type, action and a date range, the
// dates inclusive and in UTC. A filter it cannot read is named above the
// list and left out, never an error page.
func (p *Handlers) renderAudit(c echo.Context, e *store.Evaluation, base string) error {
	ctx := c.Request().Context()
	pageNo, _ := strconv.Atoi(c.QueryParam("page"))
	pageNo = max(pageNo, 1)
	hide := !edge.SeesAccountAudit(c)
	f := store.AuditFilter{Limit: auditPageSize, Offset: (pageNo - 1) * auditPageSize, HideAccounts: hide}
	title := "Audit trail"
	data := auditView{Evaluation: e, PageNo: pageNo}
	q := auditQuery{Actor: strings.TrimSpace(c.QueryParam("actor")), Entity: c.QueryParam("entity"), Action: c.QueryParam("change"),
		From: strings.TrimSpace(c.QueryParam("from")), To: strings.TrimSpace(c.QueryParam("to"))}
	if e != nil {
		f.EvaluationID = e.ID
		title = "Audit trail · " + e.Name
	} else if v := c.QueryParam("evaluation"); v != "" {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
			f.EvaluationID, q.Evaluation = id, v
		} else {
			data.Problems = append(data.Problems, "Evaluation: not one of the list")
		}
	}
	f.Actor = q.Actor
	if q.Entity != "" {
		if _, ok := entityLabels[q.Entity]; !ok || (hide && slices.Contains(store.AccountEntities, q.Entity)) {
			data.Problems = append(data.Problems, "Record type: not one of the list")
			q.Entity = ""
		}
		f.Entity = q.Entity
	}
	if q.Action != "" {
		if _, ok := actionLabels[q.Action]; !ok {
			data.Problems = append(data.Problems, "Action: not one of the list")
			q.Action = ""
		}
		f.Action = q.Action
	}
	for _, d := range []struct {
		label string
		s     *string
		t     *time.Time
		next  bool
	}{{"From", &q.From, &f.From, false}, {"To", &q.To, &f.To, true}} {
		if *d.s == "" {
			continue
		}
		t, err := time.Parse("2006-01-02", *d.s)
		if err != nil {
			data.Problems = append(data.Problems, d.label+": a date such as 2027-03-15") // kept as typed, to correct
			continue
		}
		if d.next { // "to" includes its whole day
			t = t.AddDate(0, 0, 1)
		}
		*d.t = t
	}
	data.Filter = q
	data.Filtered = q != auditQuery{}
	pg, err := p.store.Audit(ctx, f)
	if err != nil {
		return err
	}
	data.Total, data.Pages = pg.Total, max(1, (pg.Total+auditPageSize-1)/auditPageSize)
	for _, it := range pg.Items {
		data.Entries = append(data.Entries, auditRow{AuditEntry: it, What: what(it), Changes: diffJSON(it.Before, it.After)})
	}
	if err := p.auditChoices(c, &data, f.EvaluationID, hide); err != nil {
		return err
	}
	link := func(n int) string { return base + "?" + q.values(n).Encode() }
	if pageNo > 1 {
		data.PrevURL = link(pageNo - 1)
	}
	if pageNo < data.Pages {
		data.NextURL = link(pageNo + 1)
	}
	return p.render(c, http.StatusOK, "audit", view{Title: title, Nav: "audit", Data: data})
}

// auditChoices fills the filters' choices: who changed the evaluation (or
// anything), the record types and actions, and on /audit the evaluations.
func (p *Handlers) auditChoices(c echo.Context, data *auditView, evalID int64, hide bool) error {
	ctx := c.Request().Context()
	actors, err := p.store.AuditActors(ctx, evalID, hide)
	if err != nil {
		return err
	}
	data.Actors = []choice{{"", "Anyone"}}
	for _, a := range actors {
		data.Actors = append(data.Actors, choice{a, a})
	}
	data.Entities = []choice{{"", "Any record"}}
	for _, k := range []string{"evaluation", "option", "round", "line", "criterion", "score", "self_score", "vendor", "decision", "user", "token"} {
		if hide && slices.Contains(store.AccountEntities, k) {
			continue
		}
		l := entityLabels[k]
		data.Entities = append(data.Entities, choice{k, strings.ToUpper(l[:1]) + l[1:]})
	}
	data.Actions = []choice{{"", "Any action"}}
	for _, k := range []string{"create", "update", "delete", "import", "copy"} {
		data.Actions = append(data.Actions, choice{k, actionLabels[k]})
	}
	if data.Evaluation == nil {
		pg, err := p.store.ListEvaluations(ctx, store.ListParams{Limit: 500})
		if err != nil {
			return err
		}
		data.Evaluations = []choice{{"", "Every evaluation"}}
		data.EvalNames = map[int64]string{}
		for _, e := range pg.Items {
			data.Evaluations = append(data.Evaluations, choice{strconv.FormatInt(e.ID, 10), e.Name})
			data.EvalNames[e.ID] = e.Name
		}
	}
	return nil
}

// diffJSON lists the fields that differ between two JSON objects, nested
// objects (and arrays of the same length) field by field at their path
// ("quote.pricing.tiers[0].price"); a creation lists every field of after,
// a deletion every field of before. Values are compact JSON, strings
// unquoted. Non-objects compare whole.
func diffJSON(before, after json.RawMessage) []fieldChange {
	b, bok := object(before)
	a, aok := object(after)
	if !bok || !aok {
		bs, as := show(before), show(after)
		if bs == as {
			return nil
		}
		return []fieldChange{{Field: "(value)", Label: "Value", Before: bs, After: as, BeforeShort: short(bs), AfterShort: short(as)}}
	}
	var out []fieldChange
	diffObjects("", b, a, &out)
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

// diffObjects appends the differences of two decoded objects under path.
func diffObjects(path string, b, a map[string]json.RawMessage, out *[]fieldChange) {
	keys := map[string]bool{}
	for k := range b {
		keys[k] = true
	}
	for k := range a {
		keys[k] = true
	}
	for k := range keys {
		if path == "" && (k == "version" || k == "updated_at" || k == "created_at" || k == "id") {
			continue // bookkeeping every change moves; the record's id heads the entry
		}
		p := k
		if path != "" {
			p = path + "." + k
		}
		diffValues(p, b[k], a[k], out)
	}
}

// diffValues appends the difference of two values at path: objects on
// both sides field by field, arrays of one length item by item, anything
// else whole.
func diffValues(path string, bv, av json.RawMessage, out *[]fieldChange) {
	// an object on one side and nothing on the other (a creation, a
	// deletion) lists the object's fields too
	bo, bok := nested(bv)
	ao, aok := nested(av)
	if (bok || absent(bv)) && (aok || absent(av)) && (bok || aok) {
		diffObjects(path, bo, ao, out)
		return
	}
	var ba, aa []json.RawMessage
	if json.Unmarshal(bv, &ba) == nil && json.Unmarshal(av, &aa) == nil && ba != nil && aa != nil && len(ba) == len(aa) {
		for i := range ba {
			diffValues(path+"["+strconv.Itoa(i)+"]", ba[i], aa[i], out)
		}
		return
	}
	bs, as := show(bv), show(av)
	if bs != as {
		*out = append(*out, fieldChange{Field: path, Label: fieldLabel(path), Before: bs, After: as, BeforeShort: short(bs), AfterShort: short(as)})
	}
}

// absent reports whether a value is missing or null.
func absent(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) == 0 || string(t) == "null"
}

// nested decodes a JSON object value (not null, not absent).
func nested(raw json.RawMessage) (map[string]json.RawMessage, bool) {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || t[0] != '{' {
		return nil, false
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(t, &m) != nil {
		return nil, false
	}
	return m, true
}

// object decodes a JSON object; null or absent reads as an empty object.
func object(raw json.RawMessage) (map[string]json.RawMessage, bool) {
	if len(bytes.TrimSpace(raw)) == 0 || string(bytes.TrimSpace(raw)) == "null" {
		return map[string]json.RawMessage{}, true
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, false
	}
	return m, true
}

// show is a JSON value for a person: strings without quotes, null and
// absent as "", the rest compact.
func show(raw json.RawMessage) string {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || string(t) == "null" {
		return ""
	}
	var s string
	if t[0] == '"' && json.Unmarshal(t, &s) == nil {
		return s
	}
	var buf bytes.Buffer
	if json.Compact(&buf, t) != nil {
		return string(t)
	}
	return buf.String()
}
