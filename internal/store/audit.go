package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// AuditEntry is one recorded change.
type AuditEntry struct {
	ID           int64           `json:"id"`
	At           time.Time       `json:"at"`
	Actor        string          `json:"actor"`
	Entity       string          `json:"entity"` // evaluation, option, round, line, criterion, score, vendor
	EntityID     int64           `json:"entity_id"`
	EvaluationID *int64          `json:"evaluation_id"` // nil for vendors
	Action       string          `json:"action"`        // create, update, delete, import, copy
	Before       json.RawMessage `json:"before"`        // null on create
	After        json.RawMessage `json:"after"`         // null on delete
}

// AuditFilter selects audit entries, newest first. Limit 0 means 50.
type AuditFilter struct {
	EvaluationID int64  // 0: every evaluation and the vendor directory
	Entity       string // "" for all
	// HideAccounts leaves out the entries of AccountEntities: the
	// administration trail of accounts is for admins only.
	HideAccounts bool
	Actor        string    // "" for all: who made the change (an e-mail, "cli", "api")
	Action       string    // "" for all: create, update, delete, import, copy
	From, To     time.Time // zero for open: changes at or after From, before To
	Limit        int
	Offset       int
}

// AccountEntities are the audited entities of account administration:
// users (e-mail, role, disabled) and their API tokens.
var AccountEntities = []string{"user", "token"}

// audit writes one audit row inside the change's own transaction, so a
// change and its record commit or vanish together. evalID 0 means none.
func (s *Store) audit(ctx context.Context, tx *sql.Tx, actor, entity string, entityID, evalID int64, action string, before, after any) error {
	var ev any
	if evalID != 0 {
		ev = evalID
	}
	var b, a any
	if before != nil {
		b = toJSON(before)
	}
	if after != nil {
		a = toJSON(after)
	}
	_, err := preparedTx{tx, s.writerStmts}.ExecContext(ctx, qAudit, s.stamp(), actor, entity, entityID, ev, action, b, a)
	if err != nil {
		return fmt.Errorf("write audit: %w", err)
	}
	if w := s.inWrite(tx); w != nil {
		w.audits++ // the one row the guard's cache allows after a guard (seal)
	}
	return nil
}

const qAudit = `INSERT INTO audit (at, actor, entity, entity_id, evaluation_id, action, before, after)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?)`

// Audit lists recorded changes, newest first, with the total count.
func (s *Store) Audit(ctx context.Context, f AuditFilter) (*Page[AuditEntry], error) {
	p := ListParams{Limit: f.Limit, Offset: f.Offset}.norm()
	page := &Page[AuditEntry]{Items: []AuditEntry{}, Limit: p.Limit, Offset: p.Offset}
	where, args := `WHERE 1 = 1`, []any{}
	if f.EvaluationID != 0 {
		where += ` AND evaluation_id = ?`
		args = append(args, f.EvaluationID)
	}
	if f.Entity != "" {
		where += ` AND entity = ?`
		args = append(args, f.Entity)
	}
	if f.HideAccounts {
		where += ` AND entity NOT IN (?` + strings.Repeat(`, ?`, len(AccountEntities)-1) + `)`
		for _, e := range AccountEntities {
			args = append(args, e)
		}
	}
	if f.Actor != "" {
		where += ` AND actor = ?`
		args = append(args, f.Actor)
	}
	if f.Action != "" {
		where += ` AND action = ?`
		args = append(args, f.Action)
	}
	// Stored times are fixed-width text (timeFormat): they compare as text.
	if !f.From.IsZero() {
		where += ` AND at >= ?`
		args = append(args, f.From.UTC().Format(timeFormat))
	}
	if !f.To.IsZero() {
		where += ` AND at < ?`
		args = append(args, f.To.UTC().Format(timeFormat))
	}
	err := s.read(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit `+where, args...).Scan(&page.Total); err != nil {
			return fmt.Errorf("count audit: %w", err)
		}
		// The page's ids first, from a narrow index, then only their wide
		// rows: an offset deep in the log is skipped in the index.
		rows, err := tx.QueryContext(ctx, `SELECT id, at, actor, entity, entity_id, evaluation_id, action, before, after
			FROM audit WHERE id IN (SELECT id FROM audit `+where+` ORDER BY id DESC LIMIT ? OFFSET ?)
			ORDER BY id DESC`, append(args, p.Limit, p.Offset)...)
		if err != nil {
			return fmt.Errorf("list audit: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var e AuditEntry
			var at string
			var ev sql.NullInt64
			var before, after sql.NullString
			if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Entity, &e.EntityID, &ev, &e.Action, &before, &after); err != nil {
				return fmt.Errorf("list audit: %w", err)
			}
			e.At = parseTime(at)
			if ev.Valid {
				e.EvaluationID = &ev.Int64
			}
			e.Before, e.After = rawJSON(before), rawJSON(after)
			page.Items = append(page.Items, e)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return page, nil
}

func rawJSON(s sql.NullString) json.RawMessage {
	if !s.Valid {
		return json.RawMessage("null")
	}
	return json.RawMessage(s.String)
}

// AuditActors lists who made the changes of an evaluation (0: of every
// evaluation and the directory), by name, at most 500: the choices of the
// audit page's "who" filter. hideAccounts leaves out actors seen only in
// account administration, as Audit does.
func (s *Store) AuditActors(ctx context.Context, evalID int64, hideAccounts bool) ([]string, error) {
	where, args := `WHERE 1 = 1`, []any{}
	if evalID != 0 {
		where += ` AND evaluation_id = ?`
		args = append(args, evalID)
	}
	if hideAccounts {
		where += ` AND entity NOT IN (?` + strings.Repeat(`, ?`, len(AccountEntities)-1) + `)`
		for _, e := range AccountEntities {
			args = append(args, e)
		}
	}
	out := []string{}
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT DISTINCT actor FROM audit `+where+` ORDER BY actor LIMIT 500`, args...)
		if err != nil {
			return fmt.Errorf("audit actors: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var a string
			if err := rows.Scan(&a); err != nil {
				return fmt.Errorf("audit actors: %w", err)
			}
			out = append(out, a)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
