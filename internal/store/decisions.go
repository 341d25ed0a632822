package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"vendorcompare/internal/tco"
)

// Decision kinds: award the service to an option, reject (one option, or
// the proposal as a whole), or defer the decision.
const (
	DecisionAward  = "award"
	DecisionReject = "reject"
	DecisionDefer  = "defer"
)

// MaxRationale is the longest rationale, in characters.
const MaxRationale = 5000

// Decision is a recorded decision on an evaluation. Decisions are only
// ever added: a new one supersedes the earlier ones, which stay listed.
type Decision struct {
	ID           int64     `json:"id"`
	EvaluationID int64     `json:"evaluation_id"`
	Kind         string    `json:"kind"`
	OptionID     *int64    `json:"option_id"`
	OptionName   string    `json:"option_name"`
	Rationale    string    `json:"rationale"`
	DecidedBy    string    `json:"decided_by"`
	DecidedAt    time.Time `json:"decided_at"`
}

// DecisionInput records a decision. OptionID 0 names no option; an award
// needs one.
type DecisionInput struct {
	Kind      string `json:"kind"`
	OptionID  int64  `json:"option_id"`
	Rationale string `json:"rationale"`
}

func (in DecisionInput) check() error {
	var errs tco.Errors
	switch in.Kind {
	case DecisionAward:
		if in.OptionID == 0 {
			errs = append(errs, tco.FieldError{Path: "option_id", Message: "an award names the option it goes to"})
		}
	case DecisionReject, DecisionDefer:
	default:
		errs = append(errs, tco.FieldError{Path: "kind", Message: "must be award, reject or defer"})
	}
	if n := len([]rune(strings.TrimSpace(in.Rationale))); n == 0 || n > MaxRationale {
		errs = append(errs, tco.FieldError{Path: "rationale", Message: fmt.Sprintf("required, 1..%d characters", MaxRationale)})
	}
	if len(errs) > 0 {
		return invalid("invalid decision", errs)
	}
	return nil
}

const decisionCols = `id, evaluation_id, kind, option_id, option_name, rationale, decided_by, decided_at`

func scanDecision(row interface{ Scan(...any) error }) (Decision, error) {
	var d Decision
	var opt sql.NullInt64
	var at string
	err := row.Scan(&d.ID, &d.EvaluationID, &d.Kind, &opt, &d.OptionName, &d.Rationale, &d.DecidedBy, &at)
	if opt.Valid {
		d.OptionID = &opt.Int64
	}
	d.DecidedAt = parseTime(at)
	return d, err
}

// RecordDecision records a decision on an evaluation by actor, with its
// audit row, in one transaction. The option must belong to the evaluation.
func (s *Store) RecordDecision(ctx context.Context, actor string, evalID int64, in DecisionInput) (*Decision, error) {
	in.Rationale = strings.TrimSpace(in.Rationale)
	if err := in.check(); err != nil {
		return nil, err
	}
	var d Decision
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := getEvaluation(ctx, tx, evalID); err != nil {
			return err
		}
		var opt any
		name := ""
		if in.OptionID != 0 {
			err := tx.QueryRowContext(ctx, `SELECT name FROM options WHERE id = ? AND evaluation_id = ?`, in.OptionID, evalID).Scan(&name)
			if errors.Is(err, sql.ErrNoRows) {
				return invalid("invalid decision", tco.Errors{{Path: "option_id", Message: "no such option in this evaluation"}})
			}
			if err != nil {
				return fmt.Errorf("read option: %w", err)
			}
			opt = in.OptionID
		}
		var err error
		d, err = scanDecision(tx.QueryRowContext(ctx, `INSERT INTO decisions (evaluation_id, kind, option_id, option_name, rationale, decided_by, decided_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING `+decisionCols, evalID, in.Kind, opt, name, in.Rationale, actor, s.stamp()))
		if err != nil {
			return fmt.Errorf("record decision: %w", err)
		}
		return s.audit(ctx, tx, actor, "decision", d.ID, evalID, "create", nil, d)
	})
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// ListDecisions returns an evaluation's decisions, newest first; an
// unknown evaluation is ErrNotFound.
func (s *Store) ListDecisions(ctx context.Context, evalID int64) ([]Decision, error) {
	out := []Decision{}
	err := s.read(ctx, func(tx *sql.Tx) error {
		if _, err := getEvaluation(ctx, tx, evalID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+decisionCols+` FROM decisions WHERE evaluation_id = ? ORDER BY id DESC`, evalID)
		if err != nil {
			return fmt.Errorf("list decisions: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			d, err := scanDecision(rows)
			if err != nil {
				return fmt.Errorf("list decisions: %w", err)
			}
			out = append(out, d)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// qLatestDecision is an evaluation's newest decision (index
// decisions_evaluation).
const qLatestDecision = `SELECT ` + decisionCols + ` FROM decisions WHERE evaluation_id = ? ORDER BY id DESC LIMIT 1`

// LatestDecision returns an evaluation's newest decision, nil when none is
// recorded (or the evaluation is unknown): what the dashboard shows on
// every view, so one prepared read.
func (s *Store) LatestDecision(ctx context.Context, evalID int64) (*Decision, error) {
	d, err := scanDecision(s.readerStmts.stmts[qLatestDecision].QueryRowContext(ctx, evalID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("latest decision: %w", err)
	}
	return &d, nil
}

// GetDecision returns one recorded decision; an unknown id is ErrNotFound.
func (s *Store) GetDecision(ctx context.Context, id int64) (*Decision, error) {
	var d Decision
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		d, err = scanDecision(tx.QueryRowContext(ctx, `SELECT `+decisionCols+` FROM decisions WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("decision")
		}
		if err != nil {
			return fmt.Errorf("read decision: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// LatestDecisions returns the newest decision of each of the evaluations
// ids that has one, by evaluation id: the status column of the
// evaluations list, in one read whatever the page's length.
func (s *Store) LatestDecisions(ctx context.Context, ids []int64) (map[int64]Decision, error) {
	out := make(map[int64]Decision, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	q := `SELECT ` + decisionCols + ` FROM decisions WHERE id IN (SELECT MAX(id) FROM decisions WHERE evaluation_id IN (?` +
		strings.Repeat(", ?", len(ids)-1) + `) GROUP BY evaluation_id)`
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("latest decisions: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			d, err := scanDecision(rows)
			if err != nil {
				return fmt.Errorf("latest decisions: %w", err)
			}
			out[d.EvaluationID] = d
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
