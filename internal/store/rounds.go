package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"vendorcompare/internal/tco"
)

const roundCols = `id, option_id, seq, label, received, notes, version, created_at, updated_at`

func scanRound(row interface{ Scan(...any) error }) (Round, error) {
	var r Round
	var created, updated string
	err := row.Scan(&r.ID, &r.OptionID, &r.Seq, &r.Label, &r.Received, &r.Notes, &r.Version, &created, &updated)
	r.CreatedAt, r.UpdatedAt = parseTime(created), parseTime(updated)
	return r, err
}

func getRound(ctx context.Context, q queryer, id int64) (Round, error) {
	r, err := scanRound(q.QueryRowContext(ctx, `SELECT `+roundCols+` FROM rounds WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, notFound("round")
	}
	if err != nil {
		return r, fmt.Errorf("get round %d: %w", id, err)
	}
	r.Pricing, r.Lines, err = loadQuote(ctx, q, id)
	return r, err
}

// optionEvaluation returns the evaluation an option belongs to.
func optionEvaluation(ctx context.Context, q queryer, optionID int64) (int64, error) {
	var evalID int64
	err := q.QueryRowContext(ctx, `SELECT evaluation_id FROM options WHERE id = ?`, optionID).Scan(&evalID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, notFound("option")
	}
	if err != nil {
		return 0, fmt.Errorf("option %d: %w", optionID, err)
	}
	return evalID, nil
}

// ListRounds returns every round of an option, oldest first, each with its
// snapshot.
func (s *Store) ListRounds(ctx context.Context, optionID int64) ([]Round, error) {
	out := []Round{}
	err := s.read(ctx, func(tx *sql.Tx) error {
		if _, err := optionEvaluation(ctx, tx, optionID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+roundCols+` FROM rounds WHERE option_id = ? ORDER BY seq`, optionID)
		if err != nil {
			return fmt.Errorf("list rounds: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanRound(rows)
			if err != nil {
				return fmt.Errorf("list rounds: %w", err)
			}
			out = append(out, r)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		for i := range out {
			if out[i].Pricing, out[i].Lines, err = loadQuote(ctx, preparedTx{tx, s.readerStmts}, out[i].ID); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// GetRound returns one round with its snapshot.
func (s *Store) GetRound(ctx context.Context, id int64) (*Round, error) {
	var r Round
	err := s.read(ctx, func(tx *sql.Tx) (err error) {
		r, err = getRound(ctx, preparedTx{tx, s.readerStmts}, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// CreateRound records a new quote of an option (a revised bid, a best and
// final offer). It becomes the option's current quote; earlier rounds are
// kept. A nil in.Quote starts from a copy of the current round.
func (s *Store) CreateRound(ctx context.Context, actor string, optionID int64, in RoundInput) (*Round, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	var r Round
	err := s.write(ctx, func(tx *sql.Tx) error {
		o, err := getOption(ctx, tx, optionID)
		if err != nil {
			return err
		}
		e, err := getEvaluation(ctx, tx, o.EvaluationID)
		if err != nil {
			return err
		}
		var id int64
		scope := touchNothing // a copy of the current quote
		if in.Quote != nil {
			scope = touchOption(o.Slug)
		}
		err = s.guardTouching(ctx, tx, e.ID, scope, func() error {
			var seq int
			if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) + 1 FROM rounds WHERE option_id = ?`,
				optionID).Scan(&seq); err != nil {
				return fmt.Errorf("next round: %w", err)
			}
			q := Quote{Pricing: o.Pricing, Lines: plainLines(o.Lines)}
			if in.Quote != nil {
				q = *in.Quote
			}
			DefaultPricing(q.Pricing, e.Currency)
			id, err = insertRound(ctx, tx, s.stamp(), optionID, seq, in, q)
			return err
		})
		if err != nil {
			return err
		}
		if r, err = getRound(ctx, tx, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "round", id, e.ID, "create", nil, r)
	})
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// UpdateRound changes a round's label, date and notes and, with a Quote,
// replaces its snapshot, if its version is still version.
func (s *Store) UpdateRound(ctx context.Context, actor string, id, version int64, in RoundInput) (*Round, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	var after Round
	err := s.write(ctx, func(tx *sql.Tx) error {
		before, err := getRound(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			return staleVersion("round")
		}
		evalID, err := optionEvaluation(ctx, tx, before.OptionID)
		if err != nil {
			return err
		}
		e, err := getEvaluation(ctx, tx, evalID)
		if err != nil {
			return err
		}
		// A new snapshot of the current quote sets the option's values; a
		// label or a note sets none. An earlier round is not in the
		// document the guard sees: it is checked below with that round
		// chosen, as a request choosing it (?rounds=) would cost it.
		var scope touch
		var earlier *Option
		if in.Quote != nil {
			o, err := getOption(ctx, tx, before.OptionID)
			if err != nil {
				return err
			}
			if o.RoundID == id {
				scope = touchOption(o.Slug)
			} else {
				earlier = &o
			}
		}
		err = s.guardTouching(ctx, tx, evalID, scope, func() error {
			now := s.stamp()
			if _, err := tx.ExecContext(ctx, `UPDATE rounds SET label = ?, received = ?, notes = ?,
				version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
				in.Label, in.Received, in.Notes, now, id, version); err != nil {
				return fmt.Errorf("update round: %w", err)
			}
			if in.Quote == nil {
				return nil
			}
			q := *in.Quote
			DefaultPricing(q.Pricing, e.Currency)
			return writeQuote(ctx, tx, now, id, q)
		})
		if err != nil {
			return err
		}
		if earlier != nil && !IsConfirmed(ctx) {
			if err := earlierRoundFindings(ctx, tx, evalID, earlier, id); err != nil {
				return err
			}
		}
		if after, err = getRound(ctx, tx, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "round", id, evalID, "update", before, after)
	})
	if err != nil {
		return nil, err
	}
	return &after, nil
}

// DeleteRound deletes a round; the previous round becomes current if it was
// the latest. An option's only round cannot be deleted (ErrConflict). A
// version of 0 skips the check.
func (s *Store) DeleteRound(ctx context.Context, actor string, id, version int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		before, err := getRound(ctx, tx, id)
		if err != nil {
			return err
		}
		if version != 0 && before.Version != version {
			return staleVersion("round")
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM rounds WHERE option_id = ?`, before.OptionID).Scan(&n); err != nil {
			return fmt.Errorf("count rounds: %w", err)
		}
		if n < 2 {
			return conflict("an option keeps at least one round", nil)
		}
		evalID, err := optionEvaluation(ctx, tx, before.OptionID)
		if err != nil {
			return err
		}
		err = s.guard(ctx, tx, evalID, func() error {
			_, err := tx.ExecContext(ctx, `DELETE FROM rounds WHERE id = ?`, id)
			return err
		})
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "round", id, evalID, "delete", before, nil)
	})
}

// ListLines returns the lines of an option's current round.
func (s *Store) ListLines(ctx context.Context, optionID int64) ([]Line, error) {
	o, err := s.GetOption(ctx, optionID)
	if err != nil {
		return nil, err
	}
	return o.Lines, nil
}

// qLine reads a cost line with the evaluation it belongs to.
const qLine = `SELECT ` + lineCols + `, (SELECT o.evaluation_id FROM rounds r JOIN options o ON o.id = r.option_id
	WHERE r.id = lines.round_id) FROM lines WHERE id = ?`

// qLineVersion is the version check made on the reader before a line's
// save queues for the writer.
const qLineVersion = `SELECT version FROM lines WHERE id = ?`

func getLine(ctx context.Context, q queryer, id int64) (Line, int64, error) {
	var evalID sql.NullInt64
	l, err := scanLineWith(q.QueryRowContext(ctx, qLine, id), &evalID)
	if errors.Is(err, sql.ErrNoRows) {
		return l, 0, notFound("line")
	}
	if err != nil {
		return l, 0, fmt.Errorf("get line %d: %w", id, err)
	}
	if !evalID.Valid {
		return l, 0, fmt.Errorf("line %d: %w", id, sql.ErrNoRows)
	}
	return l, evalID.Int64, nil
}

// qLineOnly reads a cost line alone, for GetLine, which needs no
// evaluation.
const qLineOnly = `SELECT ` + lineCols + ` FROM lines WHERE id = ?`

// GetLine returns one cost line.
func (s *Store) GetLine(ctx context.Context, id int64) (*Line, error) {
	l, err := scanLine(s.readerStmts.stmts[qLineOnly].QueryRowContext(pointRead(ctx), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("line")
	}
	if err != nil {
		return nil, fmt.Errorf("get line %d: %w", id, err)
	}
	return &l, nil
}

// checkLineVersion answers a save naming a missing line or a stale
// version on the reader pool, without queueing for the writer: under
// concurrent edits of one line most saves are stale, and each held the
// writer's one connection only to be refused. A line's version only grows,
// and the reader sees every committed save, so a version it finds
// different from one the client read is stale for good. The check inside
// the write transaction stays the one that counts.
func (s *Store) checkLineVersion(ctx context.Context, id, version int64) error {
	var v int64
	err := s.readerStmts.stmts[qLineVersion].QueryRowContext(pointRead(ctx), id).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound("line")
	}
	if err != nil {
		return fmt.Errorf("get line %d: %w", id, err)
	}
	if v != version {
		return staleVersion("line")
	}
	return nil
}

// CreateLine appends a cost line to an option's current round.
func (s *Store) CreateLine(ctx context.Context, actor string, optionID int64, line tco.Line) (*Line, error) {
	var l Line
	err := s.write(ctx, func(tx *sql.Tx) error {
		o, err := getOption(ctx, tx, optionID)
		if err != nil {
			return err
		}
		var id int64
		err = s.guardTouching(ctx, tx, o.EvaluationID, touchLine(&id), func() error {
			var pos int
			if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(position) + 1, 0) FROM lines WHERE round_id = ?`,
				o.RoundID).Scan(&pos); err != nil {
				return fmt.Errorf("next line position: %w", err)
			}
			id, err = insertLine(ctx, tx, s.stamp(), o.RoundID, pos, line)
			return err
		})
		if err != nil {
			return err
		}
		if l, _, err = getLine(ctx, preparedTx{tx, s.writerStmts}, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "line", id, o.EvaluationID, "create", nil, l)
	})
	if err != nil {
		return nil, err
	}
	return &l, nil
}

// UpdateLine replaces a cost line if its version is still version.
func (s *Store) UpdateLine(ctx context.Context, actor string, id, version int64, line tco.Line) (*Line, error) {
	if err := s.checkLineVersion(ctx, id, version); err != nil {
		return nil, err
	}
	var after Line
	err := s.write(ctx, func(tx *sql.Tx) error {
		// The save has the writer: it runs to its end (a millisecond)
		// rather than watch the request's context at each statement, a
		// goroutine each in database/sql and the driver, inside the lock.
		ctx := context.WithoutCancel(ctx)
		ptx := preparedTx{tx, s.writerStmts}
		before, evalID, err := getLine(ctx, ptx, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			return staleVersion("line")
		}
		loaded := false
		err = s.guardWith(ctx, tx, evalID, func() error {
			args := []any{line.Name, line.Category, line.Basis, dec(line.Amount), decPtr(line.BlockSize)}
			args = append(args, capArgs(line.Capacity)...)
			args = append(args, intPtr(line.Month), intPtr(line.FromMonth), intPtr(line.ToMonth),
				dec(line.Escalation), decPtr(line.VolumeShare), s.stamp(), id, version)
			_, err := ptx.ExecContext(ctx, qUpdateLine, args...)
			if err != nil {
				return fmt.Errorf("update line: %w", err)
			}
			return nil
		}, func(b *guardState) (*tco.Document, error) {
			// Only the line's fields changed, not its round or position:
			// the document after is the one before with the line as now
			// stored, read as the loader reads it (scanLine).
			var err error
			if after, _, err = getLine(ctx, ptx, id); err != nil {
				return nil, err
			}
			loaded = true
			return b.withLine(id, after.Line), nil
		}, touchLine(&id))
		if err != nil {
			return err
		}
		if !loaded {
			if after, _, err = getLine(ctx, ptx, id); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, actor, "line", id, evalID, "update", before, after)
	})
	if err != nil {
		return nil, err
	}
	return &after, nil
}

const qUpdateLine = `UPDATE lines SET name = ?, category = ?, basis = ?, amount = ?,
	block_size = ?, cap_aht_minutes = ?, cap_occupancy = ?, cap_shrinkage = ?, cap_paid_hours = ?, cap_service_level = ?,
	month = ?, from_month = ?, to_month = ?, escalation = ?, volume_share = ?,
	version = version + 1, updated_at = ? WHERE id = ? AND version = ?`

// DeleteLine deletes a cost line. A version of 0 skips the check.
func (s *Store) DeleteLine(ctx context.Context, actor string, id, version int64) error {
	if version != 0 {
		if err := s.checkLineVersion(ctx, id, version); err != nil {
			return err
		}
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		before, evalID, err := getLine(ctx, preparedTx{tx, s.writerStmts}, id)
		if err != nil {
			return err
		}
		if version != 0 && before.Version != version {
			return staleVersion("line")
		}
		err = s.guard(ctx, tx, evalID, func() error {
			_, err := tx.ExecContext(ctx, `DELETE FROM lines WHERE id = ?`, id)
			return err
		})
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "line", id, evalID, "delete", before, nil)
	})
}
