package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/tco"
)

// RoundSelection picks, per option id, the round whose quote the document
// uses instead of the option's latest round.
type RoundSelection map[int64]int64

// CompareOptions are the settings of Comparison.
type CompareOptions struct {
	Rounds RoundSelection     // nil: every option's latest round
	Engine tco.CompareOptions // passed to tco.Compare
}

// Document builds the engine's document of an evaluation: its settings,
// criteria, and each option with the quote of its latest round (or of the
// round rounds picks for it) and its scores. The result is what export
// writes and what Comparison costs.
func (s *Store) Document(ctx context.Context, evalID int64, rounds RoundSelection) (*tco.Document, error) {
	var doc *tco.Document
	err := s.read(ctx, func(tx *sql.Tx) (err error) {
		doc, err = loadDocument(ctx, preparedTx{tx, s.readerStmts}, evalID, rounds)
		return err
	})
	return doc, err
}

// Comparison costs an evaluation: Document, then tco.Compare. A document
// the engine rejects (for example one still missing its second option) is
// ErrInvalid with the engine's field paths.
func (s *Store) Comparison(ctx context.Context, evalID int64, opts CompareOptions) (*tco.Comparison, error) {
	doc, err := s.Document(ctx, evalID, opts.Rounds)
	if err != nil {
		return nil, err
	}
	return compare(doc, opts.Engine)
}

func compare(doc *tco.Document, o tco.CompareOptions) (*tco.Comparison, error) {
	c, err := tco.Compare(doc, o)
	if err != nil {
		var fe tco.Errors
		if errors.As(err, &fe) {
			return nil, invalid("the evaluation cannot be compared yet", fe)
		}
		return nil, fmt.Errorf("compare: %w", err)
	}
	return c, nil
}

// The document loader's statements; fixed SQL, so the reader pool prepares
// them once (see stmtCache). Round ids travel as one JSON array, so one
// statement serves any number of options.
const (
	qDocOptions = `SELECT o.id, o.slug, o.name, o.kind, o.volume_share,
		(SELECT r.id FROM rounds r WHERE r.option_id = o.id ORDER BY r.seq DESC LIMIT 1)
		FROM options o WHERE o.evaluation_id = ? ORDER BY o.position, o.id`
	qRoundOwner = `SELECT option_id FROM rounds WHERE id = ?`
	qDocPricing = `SELECT ` + pricingCols + ` FROM pricing WHERE round_id IN (SELECT value FROM json_each(?))`
	qDocTiers   = `SELECT round_id, up_to, price FROM tiers
		WHERE round_id IN (SELECT value FROM json_each(?)) ORDER BY round_id, position`
	qDocLines = `SELECT ` + lineCols + ` FROM lines
		WHERE round_id IN (SELECT value FROM json_each(?)) ORDER BY round_id, position, id`
	qDocCriteria = `SELECT ` + criterionCols + ` FROM criteria WHERE evaluation_id = ? ORDER BY position, id`
	qDocScores   = `SELECT s.option_id, c.key, s.value FROM scores s
		JOIN criteria c ON c.id = s.criterion_id WHERE c.evaluation_id = ?`
)

// loadDocument reads an evaluation's document through q (one transaction,
// so one snapshot). It runs a fixed number of queries whatever the size.
func loadDocument(ctx context.Context, q queryer, evalID int64, sel RoundSelection) (*tco.Document, error) {
	return loadDocumentAt(ctx, q, evalID, sel, nil)
}

// linePos is where a cost line is in a document: Options[opt].Lines[line].
type linePos struct{ opt, line int }

// loadDocumentAt is loadDocument that also records, when lineAt is not
// nil, the position of every cost line of the document by its id.
func loadDocumentAt(ctx context.Context, q queryer, evalID int64, sel RoundSelection, lineAt map[int64]linePos) (*tco.Document, error) {
	e, err := getEvaluation(ctx, q, evalID)
	if err != nil {
		return nil, err
	}
	doc := &tco.Document{Name: e.Name, Currency: e.Currency, Start: e.Start, HorizonMonths: e.HorizonMonths,
		DiscountRate: e.DiscountRate, Timing: e.Timing, Escalation: e.Escalation, Volume: e.Volume,
		Baseline: e.Baseline, Price: e.Price, FiscalYearStart: e.FiscalYearStart, Materiality: e.Materiality,
		Criteria: []tco.Criterion{}, Options: []tco.Option{}}
	if doc.Risk, err = loadRisk(ctx, q, evalID); err != nil {
		return nil, err
	}

	rows, err := q.QueryContext(ctx, qDocOptions, evalID)
	if err != nil {
		return nil, fmt.Errorf("load options: %w", err)
	}
	optIndex := map[int64]int{}   // option id → index
	roundIndex := map[int64]int{} // round id → index
	var roundIDs []int64
	for rows.Next() {
		var id int64
		var round sql.NullInt64
		var share string
		var o tco.Option
		if err := rows.Scan(&id, &o.ID, &o.Name, &o.Kind, &share, &round); err != nil {
			rows.Close()
			return nil, fmt.Errorf("load options: %w", err)
		}
		if o.VolumeShare, err = parseDec(share); err != nil {
			rows.Close()
			return nil, err
		}
		o.Lines, o.Scores = []tco.Line{}, map[string]decimal.Decimal{}
		i := len(doc.Options)
		optIndex[id] = i
		doc.Options = append(doc.Options, o)
		rid := round.Int64
		if r, ok := sel[id]; ok {
			rid = r
		}
		roundIndex[rid] = i
		roundIDs = append(roundIDs, rid)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for optID, roundID := range sel {
		var owner int64
		err := q.QueryRowContext(ctx, qRoundOwner, roundID).Scan(&owner)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && owner != optID) {
			return nil, notFound("round of that option")
		}
		if err != nil {
			return nil, fmt.Errorf("check round: %w", err)
		}
		if _, ok := optIndex[optID]; !ok {
			return nil, notFound("option")
		}
	}

	if len(roundIDs) > 0 {
		// One fixed statement whatever the number of rounds: the ids travel
		// as a JSON array.
		ids, err := json.Marshal(roundIDs)
		if err != nil {
			return nil, err
		}
		if err := loadPricing(ctx, q, doc, string(ids), roundIndex); err != nil {
			return nil, err
		}
		rows, err := q.QueryContext(ctx, qDocLines, string(ids))
		if err != nil {
			return nil, fmt.Errorf("load lines: %w", err)
		}
		for rows.Next() {
			l, err := scanLine(rows)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("load lines: %w", err)
			}
			i := roundIndex[l.RoundID]
			o := &doc.Options[i]
			if lineAt != nil {
				lineAt[l.ID] = linePos{i, len(o.Lines)}
			}
			o.Lines = append(o.Lines, l.Line)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}

	rows, err = q.QueryContext(ctx, qDocCriteria, evalID)
	if err != nil {
		return nil, fmt.Errorf("load criteria: %w", err)
	}
	for rows.Next() {
		c, err := scanCriterion(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("load criteria: %w", err)
		}
		doc.Criteria = append(doc.Criteria, c.Criterion)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	rows, err = q.QueryContext(ctx, qDocScores, evalID)
	if err != nil {
		return nil, fmt.Errorf("load scores: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var optID int64
		var key, value string
		if err := rows.Scan(&optID, &key, &value); err != nil {
			return nil, fmt.Errorf("load scores: %w", err)
		}
		v, err := parseDec(value)
		if err != nil {
			return nil, err
		}
		if i, ok := optIndex[optID]; ok {
			doc.Options[i].Scores[key] = v
		}
	}
	return doc, rows.Err()
}

// loadPricing fills the pricing and tiers of the chosen rounds.
func loadPricing(ctx context.Context, q queryer, doc *tco.Document, ids string, roundIndex map[int64]int) error {
	rows, err := q.QueryContext(ctx, qDocPricing, ids)
	if err != nil {
		return fmt.Errorf("load pricing: %w", err)
	}
	for rows.Next() {
		rid, p, err := scanPricing(rows)
		if err != nil {
			rows.Close()
			return fmt.Errorf("load pricing: %w", err)
		}
		doc.Options[roundIndex[rid]].Pricing = p
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = q.QueryContext(ctx, qDocTiers, ids)
	if err != nil {
		return fmt.Errorf("load tiers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var rid int64
		var up sql.NullString
		var price string
		if err := rows.Scan(&rid, &up, &price); err != nil {
			return fmt.Errorf("load tiers: %w", err)
		}
		var d decs
		t := tco.Tier{UpTo: d.null(up), Price: d.one(price)}
		if d.err != nil {
			return d.err
		}
		if p := doc.Options[roundIndex[rid]].Pricing; p != nil {
			p.Tiers = append(p.Tiers, t)
		}
	}
	return rows.Err()
}

// loadRisk reads an evaluation's risk block (spec §9); nil when it has none.
func loadRisk(ctx context.Context, q queryer, evalID int64) (*tco.Risk, error) {
	var raw string
	if err := q.QueryRowContext(ctx, `SELECT risk FROM evaluations WHERE id = ?`, evalID).Scan(&raw); err != nil {
		return nil, fmt.Errorf("load risk: %w", err)
	}
	if raw == "" {
		return nil, nil
	}
	var k tco.Risk
	if err := json.Unmarshal([]byte(raw), &k); err != nil {
		return nil, fmt.Errorf("load risk: %w", err)
	}
	return &k, nil
}

func settingsOf(doc *tco.Document) Settings {
	return Settings{Name: doc.Name, Currency: doc.Currency, Start: doc.Start, HorizonMonths: doc.HorizonMonths,
		DiscountRate: doc.DiscountRate, Timing: doc.Timing, Escalation: doc.Escalation, Volume: doc.Volume,
		Baseline: doc.Baseline, Price: doc.Price, FiscalYearStart: doc.FiscalYearStart, Materiality: doc.Materiality}
}

// ImportDocument creates an evaluation from a complete document (as decoded
// by tco.Decode, defaults applied) in one transaction: settings, criteria,
// options each with a first round, and scores. An invalid document is
// ErrInvalid with every problem and writes nothing.
func (s *Store) ImportDocument(ctx context.Context, actor string, doc *tco.Document) (int64, error) {
	if doc == nil {
		return 0, invalid("invalid document", tco.Errors{{Path: "", Message: "no document"}})
	}
	if errs := validate(doc); len(errs) > 0 {
		return 0, invalid("invalid document", errs)
	}
	// An import sets every value: each implausible one needs confirming.
	if fs := tco.Implausible(doc); len(fs) > 0 && !IsConfirmed(ctx) {
		return 0, refusal(nil, fs)
	}
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) (err error) {
		id, _, err = s.importTx(ctx, tx, actor, doc)
		return err
	})
	return id, err
}

// importTx inserts a validated document and audits it; it returns the new
// evaluation and its options' ids by slug.
func (s *Store) importTx(ctx context.Context, tx *sql.Tx, actor string, doc *tco.Document) (int64, map[string]int64, error) {
	now := s.stamp()
	id, err := insertEvaluation(ctx, tx, now, settingsOf(doc))
	if err != nil {
		return 0, nil, err
	}
	if doc.Risk != nil {
		b, err := json.Marshal(doc.Risk)
		if err != nil {
			return 0, nil, fmt.Errorf("encode risk: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE evaluations SET risk = ? WHERE id = ?`, string(b), id); err != nil {
			return 0, nil, fmt.Errorf("insert risk: %w", err)
		}
	}
	crit := map[string]int64{}
	for i, c := range doc.Criteria {
		cid, err := insertCriterion(ctx, tx, now, id, i, c)
		if err != nil {
			return 0, nil, err
		}
		crit[c.Key] = cid
	}
	opts := map[string]int64{}
	for i, o := range doc.Options {
		share := o.VolumeShare
		oid, err := insertOption(ctx, tx, now, id, i, OptionInput{Slug: o.ID, Name: o.Name, Kind: o.Kind, VolumeShare: &share})
		if err != nil {
			return 0, nil, err
		}
		opts[o.ID] = oid
		if _, err := insertRound(ctx, tx, now, oid, 1, RoundInput{Label: LabelInitial},
			Quote{Pricing: o.Pricing, Lines: o.Lines}); err != nil {
			return 0, nil, err
		}
		for _, c := range doc.Criteria { // criteria order keeps the insert order stable
			if v, ok := o.Scores[c.Key]; ok {
				if _, err := insertScore(ctx, tx, now, oid, crit[c.Key], v); err != nil {
					return 0, nil, err
				}
			}
		}
	}
	return id, opts, s.audit(ctx, tx, actor, "evaluation", id, id, "import", nil, doc)
}

// CopyEvaluation copies an evaluation with everything in it (every round of
// every option, criteria, scores, vendor links) under a new name, in one
// transaction, and returns the copy.
func (s *Store) CopyEvaluation(ctx context.Context, actor string, id int64, name string) (*Evaluation, error) {
	var e Evaluation
	err := s.write(ctx, func(tx *sql.Tx) error {
		src, err := getEvaluation(ctx, tx, id)
		if err != nil {
			return err
		}
		st := src.Settings
		if name != "" {
			st.Name = name
		}
		if n := len(st.Name); n == 0 || n > 200 {
			return invalid("invalid copy", tco.Errors{{Path: "name", Message: "required, 1..200 characters"}})
		}
		now := s.stamp()
		newID, err := insertEvaluation(ctx, tx, now, st)
		if err != nil {
			return err
		}
		// the risk block (spec §9) is part of the document: the copy has it too
		if _, err := tx.ExecContext(ctx, `UPDATE evaluations SET risk = (SELECT risk FROM evaluations WHERE id = ?) WHERE id = ?`, id, newID); err != nil {
			return fmt.Errorf("copy risk: %w", err)
		}
		cs, err := queryCriteria(ctx, tx, id)
		if err != nil {
			return err
		}
		for _, c := range cs {
			if _, err := insertCriterion(ctx, tx, now, newID, c.Position, c.Criterion); err != nil {
				return err
			}
		}
		var opts []Option
		rows, err := tx.QueryContext(ctx, `SELECT `+optionCols+` FROM options o WHERE o.evaluation_id = ?
			ORDER BY o.position, o.id`, id)
		if err != nil {
			return fmt.Errorf("copy options: %w", err)
		}
		for rows.Next() {
			o, err := scanOption(rows)
			if err != nil {
				rows.Close()
				return fmt.Errorf("copy options: %w", err)
			}
			opts = append(opts, o)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, o := range opts {
			share := o.VolumeShare
			oid, err := insertOption(ctx, tx, now, newID, o.Position, OptionInput{Slug: o.Slug, Name: o.Name,
				Kind: o.Kind, VolumeShare: &share, VendorID: o.VendorID})
			if err != nil {
				return err
			}
			rrows, err := tx.QueryContext(ctx, `SELECT `+roundCols+` FROM rounds WHERE option_id = ? ORDER BY seq`, o.ID)
			if err != nil {
				return fmt.Errorf("copy rounds: %w", err)
			}
			var rs []Round
			for rrows.Next() {
				r, err := scanRound(rrows)
				if err != nil {
					rrows.Close()
					return fmt.Errorf("copy rounds: %w", err)
				}
				rs = append(rs, r)
			}
			rrows.Close()
			for _, r := range rs {
				p, ls, err := loadQuote(ctx, tx, r.ID)
				if err != nil {
					return err
				}
				if _, err := insertRound(ctx, tx, now, oid, r.Seq, RoundInput{Label: r.Label, Received: r.Received, Notes: r.Notes},
					Quote{Pricing: p, Lines: plainLines(ls)}); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO scores (option_id, criterion_id, value, version, created_at, updated_at)
				SELECT ?, c2.id, s.value, 1, ?, ?
				FROM scores s JOIN criteria c ON c.id = s.criterion_id
				JOIN criteria c2 ON c2.evaluation_id = ? AND c2.key = c.key
				WHERE s.option_id = ?`, oid, now, now, newID, o.ID); err != nil {
				return fmt.Errorf("copy scores: %w", err)
			}
		}
		if e, err = getEvaluation(ctx, tx, newID); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "evaluation", newID, newID, "copy", src, e)
	})
	if err != nil {
		return nil, err
	}
	return &e, nil
}

func queryCriteria(ctx context.Context, q queryer, evalID int64) ([]Criterion, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+criterionCols+` FROM criteria WHERE evaluation_id = ? ORDER BY position, id`, evalID)
	if err != nil {
		return nil, fmt.Errorf("load criteria: %w", err)
	}
	defer rows.Close()
	var out []Criterion
	for rows.Next() {
		c, err := scanCriterion(rows)
		if err != nil {
			return nil, fmt.Errorf("load criteria: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
