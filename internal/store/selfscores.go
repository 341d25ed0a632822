package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/shopspring/decimal"
)

// The statuses of a vendor's self-assessment.
const (
	SelfPending    = "pending"    // not yet looked at: the option is incomplete on the criterion unless scored
	SelfConfirmed  = "confirmed"  // procurement took the vendor's value as its score
	SelfOverridden = "overridden" // procurement gave its own score instead
)

// SelfScore is a vendor's own score on a criterion, from its bid. It is
// never costed: only Score is, once procurement confirms or overrides it.
type SelfScore struct {
	ID          int64           `json:"id"`
	OptionID    int64           `json:"option_id"`
	CriterionID int64           `json:"criterion_id"`
	Key         string          `json:"key"`
	Value       decimal.Decimal `json:"value"`
	Status      string          `json:"status"`
	Version     int64           `json:"version"`
}

const selfSelect = `SELECT s.id, s.option_id, s.criterion_id, c.key, s.value, s.status, s.version
	FROM self_scores s JOIN criteria c ON c.id = s.criterion_id`

func scanSelf(row interface{ Scan(...any) error }) (SelfScore, error) {
	var sc SelfScore
	var value string
	if err := row.Scan(&sc.ID, &sc.OptionID, &sc.CriterionID, &sc.Key, &value, &sc.Status, &sc.Version); err != nil {
		return sc, err
	}
	var err error
	sc.Value, err = parseDec(value)
	return sc, err
}

// ListSelfScores returns the vendors' own scores of an evaluation's
// options, by option and criterion order.
func (s *Store) ListSelfScores(ctx context.Context, evalID int64) ([]SelfScore, error) {
	out := []SelfScore{}
	err := s.read(ctx, func(tx *sql.Tx) error {
		if _, err := getEvaluation(ctx, tx, evalID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, selfSelect+` JOIN options o ON o.id = s.option_id
			WHERE o.evaluation_id = ? ORDER BY o.position, o.id, c.position, c.id`, evalID)
		if err != nil {
			return fmt.Errorf("list self-assessments: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			sc, err := scanSelf(rows)
			if err != nil {
				return fmt.Errorf("list self-assessments: %w", err)
			}
			out = append(out, sc)
		}
		return rows.Err()
	})
	return out, err
}

// putSelfScore records a vendor's own score from a bid, pending again
// when it replaces an earlier one; it audits the change (self_score
// create or update) and leaves the option's costed score alone.
func (s *Store) putSelfScore(ctx context.Context, tx *sql.Tx, actor string, evalID, optionID, critID int64, value decimal.Decimal) error {
	now := s.stamp()
	before, err := scanSelf(tx.QueryRowContext(ctx, selfSelect+` WHERE s.option_id = ? AND s.criterion_id = ?`, optionID, critID))
	var id int64
	switch {
	case errors.Is(err, sql.ErrNoRows):
		res, err := tx.ExecContext(ctx, `INSERT INTO self_scores (option_id, criterion_id, value, status, version, created_at, updated_at)
			VALUES (?, ?, ?, 'pending', 1, ?, ?)`, optionID, critID, dec(value), now, now)
		if err != nil {
			return fmt.Errorf("insert self-assessment: %w", err)
		}
		if id, err = res.LastInsertId(); err != nil {
			return err
		}
	case err != nil:
		return fmt.Errorf("find self-assessment: %w", err)
	case before.Value.Equal(value) && before.Status == SelfPending:
		return nil
	default:
		id = before.ID
		if _, err := tx.ExecContext(ctx, `UPDATE self_scores SET value = ?, status = 'pending', version = version + 1, updated_at = ?
			WHERE id = ?`, dec(value), now, id); err != nil {
			return fmt.Errorf("update self-assessment: %w", err)
		}
	}
	after, err := scanSelf(tx.QueryRowContext(ctx, selfSelect+` WHERE s.id = ?`, id))
	if err != nil {
		return fmt.Errorf("get self-assessment: %w", err)
	}
	if before.ID == 0 {
		return s.audit(ctx, tx, actor, "self_score", id, evalID, "create", nil, after)
	}
	return s.audit(ctx, tx, actor, "self_score", id, evalID, "update", before, after)
}

// ResolveSelfScore settles a vendor's own score, if its version is still
// version: with value nil procurement confirms it (the vendor's value
// becomes the option's score on the criterion), else procurement
// overrides it with value. The score is created or replaced under the
// evaluation's rules (a value above the criterion's scale is ErrInvalid at
// its document path) and both changes are audited (self_score confirm or
// override, score create or update).
func (s *Store) ResolveSelfScore(ctx context.Context, actor string, id, version int64, value *decimal.Decimal) (*SelfScore, error) {
	var after SelfScore
	err := s.write(ctx, func(tx *sql.Tx) error {
		before, err := scanSelf(tx.QueryRowContext(ctx, selfSelect+` WHERE s.id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("self-assessment")
		}
		if err != nil {
			return fmt.Errorf("get self-assessment: %w", err)
		}
		if before.Version != version {
			return staleVersion("self-assessment")
		}
		evalID, err := optionEvaluation(ctx, tx, before.OptionID)
		if err != nil {
			return err
		}
		status, v := SelfConfirmed, before.Value
		if value != nil {
			status, v = SelfOverridden, *value
		}
		old, oerr := scanScore(tx.QueryRowContext(ctx, scoreSelect+` WHERE s.option_id = ? AND s.criterion_id = ?`,
			before.OptionID, before.CriterionID))
		if oerr != nil && !errors.Is(oerr, sql.ErrNoRows) {
			return fmt.Errorf("find score: %w", oerr)
		}
		var scoreID int64
		err = s.guard(ctx, tx, evalID, func() error {
			now := s.stamp()
			if errors.Is(oerr, sql.ErrNoRows) {
				if scoreID, err = insertScore(ctx, tx, now, before.OptionID, before.CriterionID, v); err != nil {
					return err
				}
			} else {
				scoreID = old.ID
				if _, err := tx.ExecContext(ctx, `UPDATE scores SET value = ?, version = version + 1, updated_at = ? WHERE id = ?`,
					dec(v), now, old.ID); err != nil {
					return fmt.Errorf("update score: %w", err)
				}
			}
			_, err := tx.ExecContext(ctx, `UPDATE self_scores SET status = ?, version = version + 1, updated_at = ? WHERE id = ?`,
				status, now, id)
			return err
		})
		if err != nil {
			return err
		}
		if after, err = scanSelf(tx.QueryRowContext(ctx, selfSelect+` WHERE s.id = ?`, id)); err != nil {
			return fmt.Errorf("get self-assessment: %w", err)
		}
		action := "confirm"
		if value != nil {
			action = "override"
		}
		if err := s.audit(ctx, tx, actor, "self_score", id, evalID, action, before, after); err != nil {
			return err
		}
		sc, _, err := getScore(ctx, tx, scoreID)
		if err != nil {
			return err
		}
		if errors.Is(oerr, sql.ErrNoRows) {
			return s.audit(ctx, tx, actor, "score", scoreID, evalID, "create", nil, sc)
		}
		return s.audit(ctx, tx, actor, "score", scoreID, evalID, "update", old, sc)
	})
	if err != nil {
		return nil, err
	}
	return &after, nil
}
