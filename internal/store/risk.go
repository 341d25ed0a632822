package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"vendorcompare/internal/tco"
)

// Risk is evaluation id's risk block (spec §9), nil when it has none.
func (s *Store) Risk(ctx context.Context, id int64) (*tco.Risk, error) {
	if _, err := getEvaluation(ctx, s.reader, id); err != nil {
		return nil, err
	}
	return loadRisk(ctx, s.reader, id)
}

// riskAudit is what the audit trail keeps of a change to the risk block.
type riskAudit struct {
	Version int64     `json:"version"`
	Risk    *tco.Risk `json:"risk"`
}

// SaveRisk replaces evaluation id's risk block (nil removes it) if the
// evaluation's version is still version, and returns the evaluation
// (version + 1). A block the engine refuses (its rules, or runs × the
// costing of a run over the work budget) is ErrInvalid with every problem
// at its path (risk.runs, risk.drivers.volume.low …) and nothing is saved.
func (s *Store) SaveRisk(ctx context.Context, actor string, id, version int64, r *tco.Risk) (*Evaluation, error) {
	raw := ""
	if r != nil {
		b, err := json.Marshal(r)
		if err != nil {
			return nil, fmt.Errorf("encode risk: %w", err)
		}
		raw = string(b)
	}
	var after Evaluation
	err := s.write(ctx, func(tx *sql.Tx) error {
		before, err := getEvaluation(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			return staleVersion("evaluation")
		}
		was, err := loadRisk(ctx, tx, id)
		if err != nil {
			return err
		}
		err = s.guard(ctx, tx, id, func() error {
			if _, err := tx.ExecContext(ctx, `UPDATE evaluations SET risk = ?, version = version + 1, updated_at = ?
				WHERE id = ? AND version = ?`, raw, s.stamp(), id, version); err != nil {
				return fmt.Errorf("update risk: %w", err)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if after, err = getEvaluation(ctx, tx, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "evaluation", id, id, "update",
			riskAudit{Version: before.Version, Risk: was}, riskAudit{Version: after.Version, Risk: r})
	})
	if err != nil {
		return nil, err
	}
	return &after, nil
}
