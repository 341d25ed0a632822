package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/tco"
)

// Criterion is a stored quality criterion of an evaluation.
type Criterion struct {
	ID           int64 `json:"id"`
	EvaluationID int64 `json:"evaluation_id"`
	Position     int   `json:"position"`
	tco.Criterion
	Version int64 `json:"version"`
}

// Score is one option's score on one criterion.
type Score struct {
	ID          int64           `json:"id"`
	OptionID    int64           `json:"option_id"`
	CriterionID int64           `json:"criterion_id"`
	Key         string          `json:"key"` // the criterion's key
	Value       decimal.Decimal `json:"value"`
	Version     int64           `json:"version"`
}

const criterionCols = `id, evaluation_id, position, key, name, weight, scale, minimum, version`

func scanCriterion(row interface{ Scan(...any) error }) (Criterion, error) {
	var c Criterion
	var weight, scale string
	var minimum sql.NullString
	if err := row.Scan(&c.ID, &c.EvaluationID, &c.Position, &c.Key, &c.Name, &weight, &scale, &minimum, &c.Version); err != nil {
		return c, err
	}
	var d decs
	c.Weight, c.Scale, c.Minimum = d.one(weight), d.one(scale), d.null(minimum)
	return c, d.err
}

func getCriterion(ctx context.Context, q queryer, id int64) (Criterion, error) {
	c, err := scanCriterion(q.QueryRowContext(ctx, `SELECT `+criterionCols+` FROM criteria WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, notFound("criterion")
	}
	if err != nil {
		return c, fmt.Errorf("get criterion %d: %w", id, err)
	}
	return c, nil
}

// ListCriteria returns an evaluation's criteria in order.
func (s *Store) ListCriteria(ctx context.Context, evalID int64) ([]Criterion, error) {
	out := []Criterion{}
	err := s.read(ctx, func(tx *sql.Tx) error {
		if _, err := getEvaluation(ctx, tx, evalID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+criterionCols+` FROM criteria WHERE evaluation_id = ?
			ORDER BY position, id`, evalID)
		if err != nil {
			return fmt.Errorf("list criteria: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			c, err := scanCriterion(rows)
			if err != nil {
				return fmt.Errorf("list criteria: %w", err)
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	return out, err
}

// GetCriterion returns one criterion.
func (s *Store) GetCriterion(ctx context.Context, id int64) (*Criterion, error) {
	c, err := getCriterion(ctx, s.reader, id)
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// CreateCriterion appends a criterion (a zero scale means the default 10).
// Options without a score on it become incomplete, as the spec says.
func (s *Store) CreateCriterion(ctx context.Context, actor string, evalID int64, in tco.Criterion) (*Criterion, error) {
	if in.Scale.IsZero() {
		in.Scale = decimal.NewFromInt(10)
	}
	var c Criterion
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := getEvaluation(ctx, tx, evalID); err != nil {
			return err
		}
		var id int64
		err := s.guard(ctx, tx, evalID, func() error {
			var pos int
			if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(position) + 1, 0) FROM criteria WHERE evaluation_id = ?`,
				evalID).Scan(&pos); err != nil {
				return fmt.Errorf("next criterion position: %w", err)
			}
			var err error
			id, err = insertCriterion(ctx, tx, s.stamp(), evalID, pos, in)
			return err
		})
		if err != nil {
			return err
		}
		if c, err = getCriterion(ctx, tx, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "criterion", id, evalID, "create", nil, c)
	})
	if err != nil {
		return nil, err
	}
	return &c, nil
}

func insertCriterion(ctx context.Context, tx *sql.Tx, now string, evalID int64, pos int, in tco.Criterion) (int64, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO criteria (evaluation_id, position, key, name, weight, scale,
		minimum, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		evalID, pos, in.Key, in.Name, dec(in.Weight), dec(in.Scale), decPtr(in.Minimum), now, now)
	if err != nil {
		return 0, constraintError(fmt.Errorf("insert criterion: %w", err), "criterion key already used in this evaluation")
	}
	return res.LastInsertId()
}

// UpdateCriterion replaces a criterion if its version is still version;
// its scores follow a change of key.
func (s *Store) UpdateCriterion(ctx context.Context, actor string, id, version int64, in tco.Criterion) (*Criterion, error) {
	if in.Scale.IsZero() {
		in.Scale = decimal.NewFromInt(10)
	}
	var after Criterion
	err := s.write(ctx, func(tx *sql.Tx) error {
		before, err := getCriterion(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			return staleVersion("criterion")
		}
		err = s.guard(ctx, tx, before.EvaluationID, func() error {
			_, err := tx.ExecContext(ctx, `UPDATE criteria SET key = ?, name = ?, weight = ?, scale = ?, minimum = ?,
				version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
				in.Key, in.Name, dec(in.Weight), dec(in.Scale), decPtr(in.Minimum), s.stamp(), id, version)
			return constraintError(err, "criterion key already used in this evaluation")
		})
		if err != nil {
			return err
		}
		if after, err = getCriterion(ctx, tx, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "criterion", id, before.EvaluationID, "update", before, after)
	})
	if err != nil {
		return nil, err
	}
	return &after, nil
}

// DeleteCriterion deletes a criterion and its scores. A version of 0 skips
// the check.
func (s *Store) DeleteCriterion(ctx context.Context, actor string, id, version int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		before, err := getCriterion(ctx, tx, id)
		if err != nil {
			return err
		}
		if version != 0 && before.Version != version {
			return staleVersion("criterion")
		}
		err = s.guard(ctx, tx, before.EvaluationID, func() error {
			_, err := tx.ExecContext(ctx, `DELETE FROM criteria WHERE id = ?`, id)
			return err
		})
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "criterion", id, before.EvaluationID, "delete", before, nil)
	})
}

const scoreSelect = `SELECT s.id, s.option_id, s.criterion_id, c.key, s.value, s.version
	FROM scores s JOIN criteria c ON c.id = s.criterion_id`

func scanScore(row interface{ Scan(...any) error }) (Score, error) {
	var sc Score
	var value string
	if err := row.Scan(&sc.ID, &sc.OptionID, &sc.CriterionID, &sc.Key, &value, &sc.Version); err != nil {
		return sc, err
	}
	var err error
	sc.Value, err = parseDec(value)
	return sc, err
}

// getScore returns a score and its evaluation.
func getScore(ctx context.Context, q queryer, id int64) (Score, int64, error) {
	sc, err := scanScore(q.QueryRowContext(ctx, scoreSelect+` WHERE s.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return sc, 0, notFound("score")
	}
	if err != nil {
		return sc, 0, fmt.Errorf("get score %d: %w", id, err)
	}
	evalID, err := optionEvaluation(ctx, q, sc.OptionID)
	return sc, evalID, err
}

// ListScores returns every score of an evaluation's options, by option and
// criterion order.
func (s *Store) ListScores(ctx context.Context, evalID int64) ([]Score, error) {
	out := []Score{}
	err := s.read(ctx, func(tx *sql.Tx) error {
		if _, err := getEvaluation(ctx, tx, evalID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, scoreSelect+` JOIN options o ON o.id = s.option_id
			WHERE o.evaluation_id = ? ORDER BY o.position, o.id, c.position, c.id`, evalID)
		if err != nil {
			return fmt.Errorf("list scores: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			sc, err := scanScore(rows)
			if err != nil {
				return fmt.Errorf("list scores: %w", err)
			}
			out = append(out, sc)
		}
		return rows.Err()
	})
	return out, err
}

// GetScore returns one score.
func (s *Store) GetScore(ctx context.Context, id int64) (*Score, error) {
	sc, _, err := getScore(ctx, s.reader, id)
	if err != nil {
		return nil, err
	}
	return &sc, nil
}

// CreateScore scores an option on the criterion with key. A second score
// for the same pair is ErrConflict; an unknown key is ErrInvalid.
func (s *Store) CreateScore(ctx context.Context, actor string, optionID int64, key string, value decimal.Decimal) (*Score, error) {
	var sc Score
	err := s.write(ctx, func(tx *sql.Tx) error {
		evalID, err := optionEvaluation(ctx, tx, optionID)
		if err != nil {
			return err
		}
		var critID int64
		err = tx.QueryRowContext(ctx, `SELECT id FROM criteria WHERE evaluation_id = ? AND key = ?`, evalID, key).Scan(&critID)
		if errors.Is(err, sql.ErrNoRows) {
			return invalid("invalid score", tco.Errors{{Path: "key", Message: "is not a criterion of this evaluation"}})
		}
		if err != nil {
			return fmt.Errorf("find criterion: %w", err)
		}
		var id int64
		err = s.guard(ctx, tx, evalID, func() error {
			id, err = insertScore(ctx, tx, s.stamp(), optionID, critID, value)
			return err
		})
		if err != nil {
			return err
		}
		if sc, _, err = getScore(ctx, tx, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "score", id, evalID, "create", nil, sc)
	})
	if err != nil {
		return nil, err
	}
	return &sc, nil
}

func insertScore(ctx context.Context, tx *sql.Tx, now string, optionID, critID int64, value decimal.Decimal) (int64, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO scores (option_id, criterion_id, value, version, created_at, updated_at)
		VALUES (?, ?, ?, 1, ?, ?)`, optionID, critID, dec(value), now, now)
	if err != nil {
		return 0, constraintError(fmt.Errorf("insert score: %w", err), "the option already has a score on this criterion")
	}
	return res.LastInsertId()
}

// UpdateScore changes a score's value if its version is still version.
func (s *Store) UpdateScore(ctx context.Context, actor string, id, version int64, value decimal.Decimal) (*Score, error) {
	var after Score
	err := s.write(ctx, func(tx *sql.Tx) error {
		before, evalID, err := getScore(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			return staleVersion("score")
		}
		err = s.guard(ctx, tx, evalID, func() error {
			_, err := tx.ExecContext(ctx, `UPDATE scores SET value = ?, version = version + 1, updated_at = ?
				WHERE id = ? AND version = ?`, dec(value), s.stamp(), id, version)
			return err
		})
		if err != nil {
			return err
		}
		if after, _, err = getScore(ctx, tx, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "score", id, evalID, "update", before, after)
	})
	if err != nil {
		return nil, err
	}
	return &after, nil
}

// DeleteScore deletes a score (the option becomes incomplete). A version of
// 0 skips the check.
func (s *Store) DeleteScore(ctx context.Context, actor string, id, version int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		before, evalID, err := getScore(ctx, tx, id)
		if err != nil {
			return err
		}
		if version != 0 && before.Version != version {
			return staleVersion("score")
		}
		err = s.guard(ctx, tx, evalID, func() error {
			_, err := tx.ExecContext(ctx, `DELETE FROM scores WHERE id = ?`, id)
			return err
		})
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "score", id, evalID, "delete", before, nil)
	})
}
