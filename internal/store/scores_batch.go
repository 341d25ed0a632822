package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/tco"
)

// ScoreChange is one cell of a score grid to save: the score of an option
// on the criterion with Key. Old is the score as the editor read it (nil
// when there was none) and carries the version the change expects; Value
// nil deletes the score.
type ScoreChange struct {
	OptionID int64
	Key      string
	Old      *Score
	Value    *decimal.Decimal
}

// SaveScores saves several scores of one evaluation in ONE transaction, so
// a score grid is saved whole or not at all: a stale version is
// ErrConflict, an unknown option or criterion ErrNotFound or ErrInvalid,
// and a result that would make the evaluation invalid ErrInvalid with the
// document's field paths; in each case nothing is written. Every change is
// audited.
func (s *Store) SaveScores(ctx context.Context, actor string, evalID int64, changes []ScoreChange) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := getEvaluation(ctx, tx, evalID); err != nil {
			return err
		}
		type audited struct {
			id            int64
			action        string
			before, after any
		}
		var log []audited
		err := s.guard(ctx, tx, evalID, func() error {
			for _, ch := range changes {
				optEval, err := optionEvaluation(ctx, tx, ch.OptionID)
				if err != nil {
					return err
				}
				if optEval != evalID {
					return notFound("option")
				}
				switch {
				case ch.Old == nil && ch.Value == nil:
					continue
				case ch.Old == nil:
					var critID int64
					err := tx.QueryRowContext(ctx, `SELECT id FROM criteria WHERE evaluation_id = ? AND key = ?`, evalID, ch.Key).Scan(&critID)
					if errors.Is(err, sql.ErrNoRows) {
						return invalid("invalid score", tco.Errors{{Path: "key", Message: fmt.Sprintf("%q is not a criterion of this evaluation", ch.Key)}})
					}
					if err != nil {
						return fmt.Errorf("find criterion: %w", err)
					}
					id, err := insertScore(ctx, tx, s.stamp(), ch.OptionID, critID, *ch.Value)
					if err != nil {
						return err
					}
					log = append(log, audited{id: id, action: "create"})
				default:
					before, _, err := getScore(ctx, tx, ch.Old.ID)
					if err != nil {
						return err
					}
					if before.Version != ch.Old.Version || before.OptionID != ch.OptionID {
						return staleVersion("score")
					}
					if ch.Value == nil {
						if _, err := tx.ExecContext(ctx, `DELETE FROM scores WHERE id = ?`, before.ID); err != nil {
							return fmt.Errorf("delete score: %w", err)
						}
						log = append(log, audited{id: before.ID, action: "delete", before: before})
						continue
					}
					if _, err := tx.ExecContext(ctx, `UPDATE scores SET value = ?, version = version + 1, updated_at = ?
						WHERE id = ? AND version = ?`, dec(*ch.Value), s.stamp(), before.ID, before.Version); err != nil {
						return fmt.Errorf("update score: %w", err)
					}
					log = append(log, audited{id: before.ID, action: "update", before: before})
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, a := range log {
			if a.action != "delete" {
				after, _, err := getScore(ctx, tx, a.id)
				if err != nil {
					return err
				}
				a.after = after
			}
			if err := s.audit(ctx, tx, actor, "score", a.id, evalID, a.action, a.before, a.after); err != nil {
				return err
			}
		}
		return nil
	})
}
