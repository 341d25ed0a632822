package ui

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strconv"

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
}

// auditRow is one change as the page shows it: who, when, what, and the
// fields that changed with their values before and after.
type auditRow struct {
	store.AuditEntry
	Changes []fieldChange
}

// fieldChange is one changed field: its values before and after as
// compact JSON ("" when the field did not exist on that side), and their
// first characters when they are long (a whole imported document), which
// the page shows folded.
type fieldChange struct {
	Field, Before, After    string
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

func (p *Handlers) renderAudit(c echo.Context, e *store.Evaluation, base string) error {
	pageNo, _ := strconv.Atoi(c.QueryParam("page"))
	pageNo = max(pageNo, 1)
	f := store.AuditFilter{Limit: auditPageSize, Offset: (pageNo - 1) * auditPageSize, HideAccounts: !edge.SeesAccountAudit(c)}
	title := "Audit trail"
	if e != nil {
		f.EvaluationID = e.ID
		title = "Audit trail · " + e.Name
	}
	pg, err := p.store.Audit(c.Request().Context(), f)
	if err != nil {
		return err
	}
	data := auditView{Evaluation: e, Total: pg.Total, PageNo: pageNo, Pages: max(1, (pg.Total+auditPageSize-1)/auditPageSize)}
	for _, it := range pg.Items {
		data.Entries = append(data.Entries, auditRow{AuditEntry: it, Changes: diffJSON(it.Before, it.After)})
	}
	link := func(n int) string { return base + "?" + url.Values{"page": {strconv.Itoa(n)}}.Encode() }
	if pageNo > 1 {
		data.PrevURL = link(pageNo - 1)
	}
	if pageNo < data.Pages {
		data.NextURL = link(pageNo + 1)
	}
	return p.render(c, http.StatusOK, "audit", view{Title: title, Nav: "audit", Data: data})
}

// diffJSON lists the fields that differ between two JSON objects, by name;
// a creation lists every field of after, a deletion every field of before.
// Values are compact JSON, strings unquoted. Non-objects compare whole.
func diffJSON(before, after json.RawMessage) []fieldChange {
	b, bok := object(before)
	a, aok := object(after)
	if !bok || !aok {
		bs, as := show(before), show(after)
		if bs == as {
			return nil
		}
		return []fieldChange{{Field: "(value)", Before: bs, After: as, BeforeShort: short(bs), AfterShort: short(as)}}
	}
	keys := map[string]bool{}
	for k := range b {
		keys[k] = true
	}
	for k := range a {
		keys[k] = true
	}
	var out []fieldChange
	for k := range keys {
		if k == "version" || k == "updated_at" || k == "created_at" {
			continue // bookkeeping every change moves
		}
		bv, av := show(b[k]), show(a[k])
		if bv != av {
			out = append(out, fieldChange{Field: k, Before: bv, After: av, BeforeShort: short(bv), AfterShort: short(av)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
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
