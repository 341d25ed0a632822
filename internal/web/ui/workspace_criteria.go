package ui

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
	"vendorcompare/internal/web/edge"
)

// wsCriteriaPage is the data of templates/workspace_criteria.html.
type wsCriteriaPage struct {
	*wsBase
	Criteria []store.Criterion
	Crit     *form // add or edit a criterion
	CritID   int64 // the criterion being edited, 0 for a new one
	Scores   *form // the score grid as typed
	Grid     []wsScoreRow
	Danger   *form
	Selfs    []wsSelfRow // the vendors' own scores, to confirm or override
	Self     *form       // the confirm/override forms as typed
}

// wsSelfRow is a vendor's own score with what procurement has now.
type wsSelfRow struct {
	store.SelfScore
	Option, Criterion, Scale string
	Score                    string // procurement's score on the criterion, "" for none
	Field                    string // the override input's name: "self.ID"
}

// wsScoreRow is one option's row of the score grid.
type wsScoreRow struct {
	Option store.Option
	Cells  []wsScoreCell
}

// wsScoreCell is one input of the score grid.
type wsScoreCell struct {
	Name, ID, VersionName string
	Value, Version, Error string
	Label                 string // "Vendor A: Customer satisfaction"
	Scale                 string
	Self                  *store.SelfScore // the vendor's own score, if its bid gave one
}

// criterionFields maps a criterion's document paths (after
// "criteria[k].") to the form's fields.
var criterionFields = map[string]string{"key": "c_key", "name": "c_name", "weight": "c_weight", "scale": "c_scale", "minimum": "c_minimum"}

// ScoreName is the grid input of an option's score on a criterion.
func ScoreName(optionID, critID int64) string { return fmt.Sprintf("score.%d.%d", optionID, critID) }

// Criteria shows the criteria and the score grid: GET
// /evaluations/:id/workspace/criteria; ?criterion=ID opens one in the form.
func (u *Handlers) Criteria(c echo.Context) error {
	b, err := u.wsLoad(c, "criteria")
	if err != nil {
		return err
	}
	crits, err := u.store.ListCriteria(c.Request().Context(), b.ID)
	if err != nil {
		return err
	}
	var cf *form
	var cid int64
	if id, _ := strconv.ParseInt(c.QueryParam("criterion"), 10, 64); id > 0 {
		for _, cr := range crits {
			if cr.ID == id {
				cf, cid = newForm(CriterionValues(cr)), id
			}
		}
		if cf == nil {
			return store.ErrNotFound
		}
	}
	return u.wsShowCriteria(c, http.StatusOK, b, crits, cf, cid, nil, nil)
}

// selfStatus is a self-assessment's status in words.
func selfStatus(s string) string {
	return map[string]string{store.SelfPending: "not yet confirmed", store.SelfConfirmed: "confirmed",
		store.SelfOverridden: "overridden"}[s]
}

// CriterionValues fills the criterion form with a stored criterion.
func CriterionValues(cr store.Criterion) url.Values {
	return url.Values{"c_key": {cr.Key}, "c_name": {cr.Name}, "c_weight": {cr.Weight.String()}, "c_scale": {cr.Scale.String()},
		"c_minimum": {decString(cr.Minimum)}, "version": {strconv.FormatInt(cr.Version, 10)}}
}

// wsShowCriteria renders the criteria page; nil forms show stored values.
func (u *Handlers) wsShowCriteria(c echo.Context, status int, b *wsBase, crits []store.Criterion, cf *form, cid int64, sf, danger *form) error {
	return u.wsShowCriteriaWith(c, status, b, crits, cf, cid, sf, danger, nil)
}

// wsShowCriteriaWith is wsShowCriteria with the self-assessment forms.
func (u *Handlers) wsShowCriteriaWith(c echo.Context, status int, b *wsBase, crits []store.Criterion, cf *form, cid int64, sf, danger, self *form) error {
	p := &wsCriteriaPage{wsBase: b, Criteria: crits, Crit: cf, CritID: cid, Scores: sf, Danger: danger, Self: self}
	if p.Crit == nil {
		p.Crit = newForm(url.Values{"c_scale": {"10"}})
	}
	if p.Danger == nil {
		p.Danger = newForm(nil)
	}
	if p.Scores == nil {
		scores, err := u.store.ListScores(c.Request().Context(), b.ID)
		if err != nil {
			return err
		}
		v := url.Values{}
		for _, s := range scores {
			v.Set(ScoreName(s.OptionID, s.CriterionID), s.Value.String())
			v.Set("v."+ScoreName(s.OptionID, s.CriterionID), strconv.FormatInt(s.Version, 10))
		}
		p.Scores = newForm(v)
	}
	selfs, err := u.store.ListSelfScores(c.Request().Context(), b.ID)
	if err != nil {
		return err
	}
	own := map[string]*store.SelfScore{}
	for i := range selfs {
		own[ScoreName(selfs[i].OptionID, selfs[i].CriterionID)] = &selfs[i]
	}
	if p.Self == nil {
		p.Self = newForm(nil)
	}
	b.labels = map[string]string{}
	for _, o := range b.Options {
		row := wsScoreRow{Option: o}
		for _, cr := range crits {
			n := ScoreName(o.ID, cr.ID)
			b.labels[n] = o.Name + ": " + cr.Name
			row.Cells = append(row.Cells, wsScoreCell{Name: n, ID: "f-" + strings.ReplaceAll(n, ".", "-"), VersionName: "v." + n,
				Value: p.Scores.Values.Get(n), Version: p.Scores.Values.Get("v." + n), Error: p.Scores.Errors[n],
				Label: o.Name + ": " + cr.Name, Scale: cr.Scale.String(), Self: own[n]})
			if sf := own[n]; sf != nil {
				field := "self." + strconv.FormatInt(sf.ID, 10)
				b.labels[field] = o.Name + ": your score on " + cr.Name
				if b.ids == nil {
					b.ids = map[string]string{}
				}
				b.ids[field] = "f-self-" + strconv.FormatInt(sf.ID, 10)
				p.Selfs = append(p.Selfs, wsSelfRow{SelfScore: *sf, Option: o.Name, Criterion: cr.Name, Scale: cr.Scale.String(),
					Score: p.Scores.Values.Get(n), Field: field})
			}
		}
		p.Grid = append(p.Grid, row)
	}
	return u.wsRender(c, status, "workspace_criteria", "Criteria and scores", b, p)
}

// SaveCriterion adds (POST …/criteria) or saves (POST
// …/criteria/:criterion) a quality criterion.
func (u *Handlers) SaveCriterion(c echo.Context) error {
	b, err := u.wsLoad(c, "criteria")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	crits, err := u.store.ListCriteria(ctx, b.ID)
	if err != nil {
		return err
	}
	var cid int64
	k := len(crits)
	if c.Param("criterion") != "" {
		if cid, err = edge.ID(c, "criterion"); err != nil {
			return err
		}
		k = -1
		for i, cr := range crits {
			if cr.ID == cid {
				k = i
			}
		}
		if k < 0 {
			return store.ErrNotFound
		}
	}
	f, err := postedForm(c)
	if err != nil {
		return err
	}
	in := tco.Criterion{Key: f.Get("c_key"), Name: f.Get("c_name"), Weight: wsDec(f, "c_weight"),
		Scale: wsDecOr(f, "c_scale", decimal.NewFromInt(10)), Minimum: wsDecPtr(f, "c_minimum")}
	if in.Name == "" {
		f.Fail("c_name", "is required, such as Customer satisfaction")
	}
	if in.Key == "" && in.Name != "" {
		in.Key = tco.Slug(in.Name, "option", nil)
	}
	save, failed := checkContext(c, f)
	if cid == 0 {
		_, err = u.store.CreateCriterion(save, wsActor(c), b.ID, in)
	} else {
		_, err = u.store.UpdateCriterion(save, wsActor(c), cid, wsVersion(f), in)
	}
	if failed {
		f.FromError(err, pathMapper(fmt.Sprintf("criteria[%d].", k), criterionFields))
		f.Message = "Nothing was saved. Please correct the fields marked below."
		return u.wsShowCriteria(c, http.StatusUnprocessableEntity, b, crits, f, cid, nil, nil)
	}
	if wsConflict(b, err, "criterion", fmt.Sprintf("/evaluations/%d/workspace/criteria?criterion=%d#criterion-form", b.ID, cid)) {
		return u.wsShowCriteria(c, http.StatusConflict, b, crits, f, cid, nil, nil)
	}
	if errors.Is(err, store.ErrConflict) {
		f.Fail("c_key", "another criterion already has this key")
		f.Message = "Nothing was saved."
		return u.wsShowCriteria(c, http.StatusConflict, b, crits, f, cid, nil, nil)
	}
	if f.FromError(err, pathMapper(fmt.Sprintf("criteria[%d].", k), criterionFields)) {
		return u.wsShowCriteria(c, http.StatusUnprocessableEntity, b, crits, f, cid, nil, nil)
	}
	if err != nil {
		return err
	}
	return wsRedirect(c, b, fmt.Sprintf("/evaluations/%d/workspace/criteria", b.ID), "criterion", "criteria")
}

// DeleteCriterion deletes a criterion and its scores: POST
// …/criteria/:criterion/delete.
func (u *Handlers) DeleteCriterion(c echo.Context) error {
	b, err := u.wsLoad(c, "criteria")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	crits, err := u.store.ListCriteria(ctx, b.ID)
	if err != nil {
		return err
	}
	cid, err := edge.ID(c, "criterion")
	if err != nil {
		return err
	}
	found := false
	for _, cr := range crits {
		found = found || cr.ID == cid
	}
	if !found {
		return store.ErrNotFound
	}
	f, err := postedForm(c)
	if err != nil {
		return err
	}
	err = u.store.DeleteCriterion(ctx, wsActor(c), cid, wsVersion(f))
	if wsConflict(b, err, "criterion", fmt.Sprintf("/evaluations/%d/workspace/criteria", b.ID)) {
		return u.wsShowCriteria(c, http.StatusConflict, b, crits, nil, 0, nil, nil)
	}
	if f.FromError(err, func(string) string { return "" }) {
		f.Message = "The criterion was not deleted."
		return u.wsShowCriteria(c, http.StatusUnprocessableEntity, b, crits, nil, 0, nil, f)
	}
	if err != nil {
		return err
	}
	return wsRedirect(c, b, fmt.Sprintf("/evaluations/%d/workspace/criteria", b.ID), "criterion-deleted", "criteria")
}

// scoreChange is one cell of the grid that differs from the store.
type scoreChange struct {
	optionID int64
	key      string
	old      *store.Score
	value    *decimal.Decimal // nil: delete
}

// SaveScores saves the whole score grid: POST …/workspace/scores. Every
// cell is checked first, against its version and against the engine's
// rules on the whole document with the new scores, so a bad or stale cell
// saves nothing; then the changed cells are written.
func (u *Handlers) SaveScores(c echo.Context) error {
	b, err := u.wsLoad(c, "criteria")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	crits, err := u.store.ListCriteria(ctx, b.ID)
	if err != nil {
		return err
	}
	stored, err := u.store.ListScores(ctx, b.ID)
	if err != nil {
		return err
	}
	f, err := postedForm(c)
	if err != nil {
		return err
	}
	have := map[string]*store.Score{}
	for i := range stored {
		have[ScoreName(stored[i].OptionID, stored[i].CriterionID)] = &stored[i]
	}
	doc, err := u.store.Document(ctx, b.ID, nil)
	if err != nil {
		return err
	}
	before := map[string]bool{}
	for _, e := range validationErrors(doc) {
		before[e.Path] = true
	}
	var changes []scoreChange
	stale := false
	pathField := map[string]string{}
	for i, o := range b.Options {
		for _, cr := range crits {
			n := ScoreName(o.ID, cr.ID)
			pathField[fmt.Sprintf("options[%d].scores.%s", i, cr.Key)] = n
			old := have[n]
			if ver := f.Get("v." + n); (old == nil) != (ver == "") || (old != nil && ver != strconv.FormatInt(old.Version, 10)) {
				stale = true
			}
			var val *decimal.Decimal
			if f.Get(n) != "" {
				d, ok := parseDec(f.Get(n))
				if !ok {
					f.Fail(n, "must be a number from 0 to "+cr.Scale.String())
					continue
				}
				val = &d
			}
			if i < len(doc.Options) {
				if val == nil {
					delete(doc.Options[i].Scores, cr.Key)
				} else {
					doc.Options[i].Scores[cr.Key] = *val
				}
			}
			if (old == nil && val == nil) || (old != nil && val != nil && old.Value.Equal(*val)) {
				continue
			}
			changes = append(changes, scoreChange{optionID: o.ID, key: cr.Key, old: old, value: val})
		}
	}
	show := func(status int) error {
		return u.wsShowCriteria(c, status, b, crits, nil, 0, f, nil)
	}
	if stale && !f.HasErrors() {
		wsSetConflict(b, "score grid", fmt.Sprintf("/evaluations/%d/workspace/criteria#scores", b.ID))
		return show(http.StatusConflict)
	}
	for _, e := range validationErrors(doc) {
		if before[e.Path] {
			continue
		}
		if n, ok := pathField[e.Path]; ok {
			f.Fail(n, e.Message)
		} else if strings.Contains(e.Path, ".scores") {
			f.Other = append(f.Other, e)
		}
	}
	if f.HasErrors() {
		f.Message = "Nothing was saved. Please correct the scores marked below."
		return show(http.StatusUnprocessableEntity)
	}
	batch := make([]store.ScoreChange, len(changes))
	for i, ch := range changes {
		batch[i] = store.ScoreChange{OptionID: ch.optionID, Key: ch.key, Old: ch.old, Value: ch.value}
	}
	err = u.store.SaveScores(ctx, wsActor(c), b.ID, batch) // all cells or none
	if wsConflict(b, err, "score grid", fmt.Sprintf("/evaluations/%d/workspace/criteria#scores", b.ID)) {
		return show(http.StatusConflict)
	}
	if f.FromError(err, func(p string) string { return pathField[p] }) {
		return show(http.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	return wsRedirect(c, b, fmt.Sprintf("/evaluations/%d/workspace/criteria", b.ID), "scores", "summary")
}

// validationErrors is the engine's list of problems of doc (nil when it is
// valid).
func validationErrors(doc *tco.Document) tco.Errors {
	var fe tco.Errors
	if err := doc.Validate(); err != nil && errors.As(err, &fe) {
		return fe
	}
	return nil
}

// ResolveSelfScore confirms a vendor's own score (it becomes the
// option's score) or overrides it with procurement's: POST
// …/workspace/self-scores/:self with do=confirm, or do=override and the
// value in self.ID. Audited by the store; a stale version is a 409.
func (u *Handlers) ResolveSelfScore(c echo.Context) error {
	b, err := u.wsLoad(c, "criteria")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	sid, err := edge.ID(c, "self")
	if err != nil {
		return err
	}
	selfs, err := u.store.ListSelfScores(ctx, b.ID)
	if err != nil {
		return err
	}
	var sf *store.SelfScore
	for i := range selfs {
		if selfs[i].ID == sid {
			sf = &selfs[i]
		}
	}
	if sf == nil {
		return store.ErrNotFound
	}
	crits, err := u.store.ListCriteria(ctx, b.ID)
	if err != nil {
		return err
	}
	f, err := postedForm(c)
	if err != nil {
		return err
	}
	field := "self." + strconv.FormatInt(sid, 10)
	var value *decimal.Decimal
	do := f.Get("do")
	if do == "" {
		// sent without a button (a script's submit): a typed score overrides
		do = "confirm"
		if f.Get(field) != "" {
			do = "override"
		}
	}
	switch do {
	case "confirm":
	case "override":
		d, ok := parseDec(f.Get(field))
		if !ok {
			f.Fail(field, "enter your score, a number such as 7")
		}
		value = &d
	default:
		f.Fail(field, "choose confirm or override")
	}
	show := func(status int) error {
		if f.Message == "" {
			f.Message = "Nothing was saved. Please correct the score marked below."
		}
		return u.wsShowCriteriaSelf(c, status, b, crits, f)
	}
	if f.HasErrors() {
		return show(http.StatusUnprocessableEntity)
	}
	_, err = u.store.ResolveSelfScore(ctx, wsActor(c), sid, wsVersion(f), value)
	if wsConflict(b, err, "vendor's score", fmt.Sprintf("/evaluations/%d/workspace/criteria#self-scores", b.ID)) {
		return show(http.StatusConflict)
	}
	if f.FromError(err, func(string) string { return field }) {
		return show(http.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	saved := "self-confirmed"
	if value != nil {
		saved = "self-overridden"
	}
	return wsRedirect(c, b, fmt.Sprintf("/evaluations/%d/workspace/criteria", b.ID), saved, "self-scores")
}

// wsShowCriteriaSelf renders the criteria page with the self-assessment
// forms as typed.
func (u *Handlers) wsShowCriteriaSelf(c echo.Context, status int, b *wsBase, crits []store.Criterion, self *form) error {
	return u.wsShowCriteriaWith(c, status, b, crits, nil, 0, nil, nil, self)
}
