package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// qFingerprint reads what changes with every change inside an evaluation,
// and its newest decision's id (index decisions_evaluation).
const qFingerprint = `SELECT created_at, updated_at,
	(SELECT COALESCE(MAX(id), 0) FROM decisions WHERE evaluation_id = evaluations.id)
	FROM evaluations WHERE id = ?`

// Fingerprint returns a value that differs whenever the evaluation's
// document may differ from when an equal value was returned, for caching
// what is computed from the document (the web layer's stored comparison)
// without loading it. It joins the evaluation's created_at (an id reused
// after a delete is another evaluation) and updated_at (moved by every
// change inside it, also by other processes such as the import command)
// with the count of this process's commits, which moves with every write
// even under a clock that does not (a fixed test clock), and the id of
// its newest decision (a decision does not change the document, but the
// dashboard shows it; another process may record one). One indexed read
// of a prepared statement: far cheaper than the document's seven queries.
//
// The commit count is read first, so a value is never newer than the
// state it stands for: a write that commits meanwhile changes the next
// fingerprint. An unknown id is ErrNotFound.
func (s *Store) Fingerprint(ctx context.Context, evalID int64) (string, error) {
	commits := s.commits.Load()
	var created, updated string
	var decision int64
	err := s.readerStmts.stmts[qFingerprint].QueryRowContext(ctx, evalID).Scan(&created, &updated, &decision)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("evaluation")
	}
	if err != nil {
		return "", fmt.Errorf("fingerprint evaluation %d: %w", evalID, err)
	}
	return fmt.Sprintf("%d|%s|%s|%d|d%d", evalID, created, updated, commits, decision), nil
}
