package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/tco"
)

// Settings are the evaluation-level fields of the document: everything but
// criteria and options, which are records of their own.
type Settings struct {
	Name          string          `json:"name"`
	Currency      string          `json:"currency"`
	Start         string          `json:"start"` // YYYY-MM
	HorizonMonths int             `json:"horizon_months"`
	DiscountRate  decimal.Decimal `json:"discount_rate"`
	Timing        string          `json:"timing"`
	Escalation    string          `json:"escalation"`
	Volume        tco.Volume      `json:"volume"`
	Baseline      string          `json:"baseline"` // option id (slug) of the baseline
	Price         tco.Price       `json:"price"`
	// FiscalYearStart and Materiality are the reading settings (spec §1);
	// nil is "not set" (NULL): the spec's defaults apply and an export
	// leaves them out, as the document that never set them.
	FiscalYearStart *int             `json:"fiscal_year_start,omitempty"`
	Materiality     *decimal.Decimal `json:"materiality,omitempty"`
}

// Evaluation is a stored evaluation: its settings and bookkeeping.
type Evaluation struct {
	ID int64 `json:"id"`
	Settings
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"` // last change to the evaluation or anything in it
}

// ListParams pages and filters a list. Limit 0 means 50; at most 500.
type ListParams struct {
	Search string // case-insensitive substring of the name
	Limit  int
	Offset int
}

func (p ListParams) norm() ListParams {
	if p.Limit <= 0 {
		p.Limit = 50
	}
	p.Limit = min(p.Limit, 500)
	p.Offset = max(p.Offset, 0)
	return p
}

// likePattern escapes the LIKE wildcards of a search term.
func likePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}

// EvaluationPage is one page of evaluations, most recently changed first.
type EvaluationPage struct {
	Items      []Evaluation `json:"items"`
	Total      int          `json:"total"`       // matching evaluations, all pages
	LastChange time.Time    `json:"last_change"` // newest UpdatedAt among them (zero when none)
	Limit      int          `json:"limit"`
	Offset     int          `json:"offset"`
}

// DefaultSettings fills the spec's defaults into zero values that are never
// legal: empty timing, escalation, price basis and formula, no seasonality,
// and anchors both zero. Zero rates and weights are legal and stay.
func DefaultSettings(st *Settings) {
	if st.Timing == "" {
		st.Timing = tco.TimingEnd
	}
	if st.Escalation == "" {
		st.Escalation = tco.EscalationAnniversary
	}
	if len(st.Volume.Seasonality) == 0 {
		st.Volume.Seasonality = make([]decimal.Decimal, 12)
		for i := range st.Volume.Seasonality {
			st.Volume.Seasonality[i] = decimal.NewFromInt(1)
		}
	}
	if st.Price.Basis == "" {
		st.Price.Basis = tco.PriceBasisPV
	}
	if st.Price.Formula == "" {
		st.Price.Formula = tco.FormulaAnchored
	}
	if st.Price.FullAt.IsZero() && st.Price.ZeroAt.IsZero() {
		st.Price.FullAt = decimal.RequireFromString("0.7")
		st.Price.ZeroAt = decimal.RequireFromString("1.3")
	}
}

const qEvaluation = `SELECT ` + evalCols + ` FROM evaluations WHERE id = ?`

const evalCols = `id, name, currency, start, horizon_months, discount_rate, timing, escalation,
	volume_unit, volume_monthly, volume_growth, volume_seasonality,
	price_weight, price_basis, price_formula, price_full_at, price_zero_at,
	baseline, fiscal_year_start, materiality, version, created_at, updated_at`

func scanEvaluation(row interface{ Scan(...any) error }) (Evaluation, error) {
	var e Evaluation
	var rate, monthly, growth, season, pw, full, zero, created, updated string
	var fiscal sql.NullInt64
	var materiality sql.NullString
	err := row.Scan(&e.ID, &e.Name, &e.Currency, &e.Start, &e.HorizonMonths, &rate, &e.Timing, &e.Escalation,
		&e.Volume.Unit, &monthly, &growth, &season,
		&pw, &e.Price.Basis, &e.Price.Formula, &full, &zero,
		&e.Baseline, &fiscal, &materiality, &e.Version, &created, &updated)
	if err != nil {
		return e, err
	}
	var p decs
	e.DiscountRate = p.one(rate)
	e.Volume.Monthly = p.one(monthly)
	e.Volume.Growth = p.one(growth)
	e.Price.Weight = p.one(pw)
	e.Price.FullAt = p.one(full)
	e.Price.ZeroAt = p.one(zero)
	e.FiscalYearStart = intNull(fiscal)
	e.Materiality = p.null(materiality)
	if p.err != nil {
		return e, p.err
	}
	if e.Volume.Seasonality, err = parseSeasonality(season); err != nil {
		return e, err
	}
	e.CreatedAt, e.UpdatedAt = parseTime(created), parseTime(updated)
	return e, nil
}

// ListEvaluations returns a page of evaluations whose name contains
// p.Search, most recently changed first, with the total count.
func (s *Store) ListEvaluations(ctx context.Context, p ListParams) (*EvaluationPage, error) {
	p = p.norm()
	page := &EvaluationPage{Items: []Evaluation{}, Limit: p.Limit, Offset: p.Offset}
	// Without a search the WHERE is left out, so the count reads the
	// smallest index and the last change is one step of evaluations_updated.
	where, args := ``, []any{}
	if p.Search != "" {
		where, args = `WHERE name LIKE ? ESCAPE '\'`, []any{likePattern(p.Search)}
	}
	err := s.read(ctx, func(tx *sql.Tx) error {
		var last sql.NullString
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*), MAX(updated_at) FROM evaluations `+where, args...,
		).Scan(&page.Total, &last); err != nil {
			return fmt.Errorf("count evaluations: %w", err)
		}
		if last.Valid {
			page.LastChange = parseTime(last.String)
		}
		q := `SELECT ` + evalCols + ` FROM evaluations ` + where + `
			ORDER BY updated_at DESC, id DESC LIMIT ? OFFSET ?`
		if p.Search != "" {
			// A search finds its page's ids in the narrow name index and
			// sorts only the matches: walking the order's index instead
			// read every wide row for its name (19 ms at 10,000
			// evaluations for a rare name).
			q = `SELECT ` + evalCols + ` FROM evaluations WHERE id IN (
				SELECT id FROM evaluations INDEXED BY evaluations_name ` + where + `
				ORDER BY updated_at DESC, id DESC LIMIT ? OFFSET ?)
			ORDER BY updated_at DESC, id DESC`
		}
		rows, err := tx.QueryContext(ctx, q, append(args, p.Limit, p.Offset)...)
		if err != nil {
			return fmt.Errorf("list evaluations: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			e, err := scanEvaluation(rows)
			if err != nil {
				return fmt.Errorf("list evaluations: %w", err)
			}
			page.Items = append(page.Items, e)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return page, nil
}

// GetEvaluation returns one evaluation's settings.
func (s *Store) GetEvaluation(ctx context.Context, id int64) (*Evaluation, error) {
	e, err := getEvaluation(ctx, s.reader, id)
	if err != nil {
		return nil, err
	}
	return &e, nil
}

func getEvaluation(ctx context.Context, q queryer, id int64) (Evaluation, error) {
	e, err := scanEvaluation(q.QueryRowContext(ctx, qEvaluation, id))
	if errors.Is(err, sql.ErrNoRows) {
		return e, notFound("evaluation")
	}
	if err != nil {
		return e, fmt.Errorf("get evaluation %d: %w", id, err)
	}
	return e, nil
}

// CreateEvaluation creates an evaluation with no options or criteria yet
// (DefaultSettings is applied first). The settings themselves must be valid;
// the document is complete once it has a baseline and a second option.
func (s *Store) CreateEvaluation(ctx context.Context, actor string, st Settings) (*Evaluation, error) {
	DefaultSettings(&st)
	doc := &tco.Document{Name: st.Name, Currency: st.Currency, Start: st.Start, HorizonMonths: st.HorizonMonths,
		DiscountRate: st.DiscountRate, Timing: st.Timing, Escalation: st.Escalation, Volume: st.Volume,
		Baseline: st.Baseline, Price: st.Price, FiscalYearStart: st.FiscalYearStart, Materiality: st.Materiality,
		Criteria: []tco.Criterion{}, Options: []tco.Option{}}
	var errs tco.Errors
	for _, f := range validate(doc) {
		// An empty evaluation has no options yet, so no baseline either.
		if strings.HasPrefix(f.Path, "options") || strings.HasPrefix(f.Path, "baseline") {
			continue
		}
		errs = append(errs, f)
	}
	// New settings set every value: each implausible one needs confirming.
	var fs tco.Findings
	if !IsConfirmed(ctx) {
		fs = tco.Implausible(doc)
	}
	if len(errs) > 0 || len(fs) > 0 {
		return nil, refusal(errs, fs)
	}
	var e Evaluation
	err := s.write(ctx, func(tx *sql.Tx) error {
		id, err := insertEvaluation(ctx, tx, s.stamp(), st)
		if err != nil {
			return err
		}
		if e, err = getEvaluation(ctx, tx, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "evaluation", id, id, "create", nil, e)
	})
	if err != nil {
		return nil, err
	}
	return &e, nil
}

func insertEvaluation(ctx context.Context, tx *sql.Tx, now string, st Settings) (int64, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO evaluations (name, currency, start, horizon_months,
		discount_rate, timing, escalation, volume_unit, volume_monthly, volume_growth, volume_seasonality,
		price_weight, price_basis, price_formula, price_full_at, price_zero_at, baseline,
		fiscal_year_start, materiality, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		st.Name, st.Currency, st.Start, st.HorizonMonths, dec(st.DiscountRate), st.Timing, st.Escalation,
		st.Volume.Unit, dec(st.Volume.Monthly), dec(st.Volume.Growth), seasonalityText(st.Volume.Seasonality),
		dec(st.Price.Weight), st.Price.Basis, st.Price.Formula, dec(st.Price.FullAt), dec(st.Price.ZeroAt),
		st.Baseline, intPtr(st.FiscalYearStart), decPtr(st.Materiality), now, now)
	if err != nil {
		return 0, fmt.Errorf("insert evaluation: %w", err)
	}
	return res.LastInsertId()
}

// UpdateEvaluation replaces the settings of evaluation id if its version is
// still version; it returns the updated evaluation (version + 1).
func (s *Store) UpdateEvaluation(ctx context.Context, actor string, id, version int64, st Settings) (*Evaluation, error) {
	DefaultSettings(&st)
	var after Evaluation
	err := s.write(ctx, func(tx *sql.Tx) error {
		before, err := getEvaluation(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			return staleVersion("evaluation")
		}
		err = s.guardTouching(ctx, tx, id, touchSettings, func() error {
			_, err := tx.ExecContext(ctx, `UPDATE evaluations SET name = ?, currency = ?, start = ?,
				horizon_months = ?, discount_rate = ?, timing = ?, escalation = ?, volume_unit = ?,
				volume_monthly = ?, volume_growth = ?, volume_seasonality = ?, price_weight = ?,
				price_basis = ?, price_formula = ?, price_full_at = ?, price_zero_at = ?, baseline = ?,
				fiscal_year_start = ?, materiality = ?, version = version + 1, updated_at = ?
				WHERE id = ? AND version = ?`,
				st.Name, st.Currency, st.Start, st.HorizonMonths, dec(st.DiscountRate), st.Timing, st.Escalation,
				st.Volume.Unit, dec(st.Volume.Monthly), dec(st.Volume.Growth), seasonalityText(st.Volume.Seasonality),
				dec(st.Price.Weight), st.Price.Basis, st.Price.Formula, dec(st.Price.FullAt), dec(st.Price.ZeroAt),
				st.Baseline, intPtr(st.FiscalYearStart), decPtr(st.Materiality), s.stamp(), id, version)
			if err != nil {
				return fmt.Errorf("update evaluation: %w", err)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if after, err = getEvaluation(ctx, tx, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "evaluation", id, id, "update", before, after)
	})
	if err != nil {
		return nil, err
	}
	return &after, nil
}

// DeleteEvaluation deletes an evaluation and everything in it. A version of
// 0 skips the version check.
func (s *Store) DeleteEvaluation(ctx context.Context, actor string, id, version int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		before, err := getEvaluation(ctx, tx, id)
		if err != nil {
			return err
		}
		if version != 0 && before.Version != version {
			return staleVersion("evaluation")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM evaluations WHERE id = ?`, id); err != nil {
			return fmt.Errorf("delete evaluation: %w", err)
		}
		return s.audit(ctx, tx, actor, "evaluation", id, id, "delete", before, nil)
	})
}

// touch records a change inside an evaluation: its updated_at moves (the
// list's order and last change), its version does not, so editing a line
// never makes someone's open settings form stale.
func (s *Store) touch(ctx context.Context, q queryer, evalID int64) error {
	_, err := q.ExecContext(ctx, qTouch, s.stamp(), evalID)
	if err != nil {
		return fmt.Errorf("touch evaluation: %w", err)
	}
	return nil
}

const qTouch = `UPDATE evaluations SET updated_at = ? WHERE id = ?`

// validate returns every reason the engine would refuse to compare the
// document: its rules, and once they hold, the work budget and amounts too
// large to cost exactly (tco.Check). So nothing is stored that the
// comparison, exports and bid form would then answer with 422.
func validate(doc *tco.Document) tco.Errors {
	errs, _ := check(doc)
	return errs
}

// check is validate that also says whether the problems are the budget's
// or the costing's (costing), found only once the rules hold.
func check(doc *tco.Document) (errs tco.Errors, costing bool) {
	if err := doc.Validate(); err != nil {
		return fieldErrors(err), false
	}
	if err := tco.Check(doc); err != nil {
		return fieldErrors(err), true
	}
	return nil, false
}

// fieldErrors returns an engine error's field problems.
func fieldErrors(err error) tco.Errors {
	var fe tco.Errors
	if errors.As(err, &fe) {
		return fe
	}
	return tco.Errors{{Path: "", Message: err.Error()}}
}

// guard applies change inside tx and refuses it (ErrInvalid, so the caller's
// transaction rolls back) when the evaluation's document afterwards has a
// problem at a path that had none before. Comparing against the document
// before the change lets an evaluation be built step by step (it is
// incomplete until it has a baseline and a second option) while no save can
// break what was valid.
//
// The engine's work budget and exact costing count as problems too
// (check), so no save makes a stored document one the comparison refuses.
//
// The state before is usually known without loading the document: it is
// the one this process left after its last save of the evaluation, when
// nothing can have changed it since (guardcache.go).
func (s *Store) guard(ctx context.Context, tx *sql.Tx, evalID int64, change func() error) error {
	return s.guardWith(ctx, tx, evalID, change, nil, nil)
}

// guardTouching is guard for a write that sets values: implausible values
// in the parts scope names, or new anywhere, also refuse it unless ctx
// carries the user's confirmation (plausible.go).
func (s *Store) guardTouching(ctx context.Context, tx *sql.Tx, evalID int64, scope touch, change func() error) error {
	return s.guardWith(ctx, tx, evalID, change, nil, scope)
}

// afterChange returns the document after a change from the state before
// it (which it must not modify), without loading it, or nil to have it
// loaded.
type afterChange func(before *guardState) (*tco.Document, error)

// guardWith is guard with a way to know the document after the change.
func (s *Store) guardWith(ctx context.Context, tx *sql.Tx, evalID int64, change func() error, after afterChange, scope touch) error {
	ptx := preparedTx{tx, s.writerStmts}
	w := s.inWrite(tx)
	var before *guardState
	if w != nil {
		k, err := readGuardKey(ctx, ptx, evalID)
		if err != nil {
			return err
		}
		before = s.knownState(w, evalID, k)
	}
	if before == nil {
		lineAt := map[int64]linePos{}
		doc, err := loadDocumentAt(ctx, ptx, evalID, nil, lineAt)
		if err != nil {
			return err
		}
		before = &guardState{had: problemPaths(check(doc)), doc: doc, lineAt: lineAt}
	}
	if err := change(); err != nil {
		return err
	}
	var doc *tco.Document
	lineAt := before.lineAt
	if after != nil {
		var err error
		if doc, err = after(before); err != nil {
			return err
		}
	}
	if doc == nil {
		lineAt = map[int64]linePos{}
		var err error
		if doc, err = loadDocumentAt(ctx, ptx, evalID, nil, lineAt); err != nil {
			return err
		}
	}
	problems, costing := check(doc)
	var fresh tco.Errors
	for _, f := range problems {
		if !before.had[problemKey(f.Path, costing)] {
			fresh = append(fresh, f)
		}
	}
	if found := unconfirmed(ctx, scope, before.doc, doc, lineAt); len(fresh) > 0 || len(found) > 0 {
		return refusal(fresh, found)
	}
	if err := s.touch(ctx, ptx, evalID); err != nil {
		return err
	}
	if w != nil {
		// Read after the touch: the key of the state remembered.
		if k, err := readGuardKey(ctx, ptx, evalID); err == nil {
			w.remember(evalID, k, &guardState{had: problemPaths(problems, costing), doc: doc, lineAt: lineAt})
		}
	}
	return nil
}

// problemPaths is the set of paths with a problem (never nil), keyed by
// problemKey.
func problemPaths(errs tco.Errors, costing bool) map[string]bool {
	had := make(map[string]bool, len(errs))
	for _, f := range errs {
		had[problemKey(f.Path, costing)] = true
	}
	return had
}

// problemKey keys a problem's path apart for the budget's and the
// costing's problems: a document still missing its second option has a
// problem at "options", and adding one must not pass a comparison over
// the budget, reported at the same path, as an old problem.
func problemKey(path string, costing bool) string {
	if costing {
		return "\x00" + path
	}
	return path
}
