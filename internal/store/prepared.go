package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// stmtCache holds every request's point reads, the write path's and the
// document loader's statements, prepared once at Open: unprepared, the
// mixed edits' p99 was 1.1–2.0 s against 0.66–1.5 s alternated at load
// 37–47, and a session find, user or fingerprint costs 9–23 CPU-µs more
// each (BenchmarkRequestReads; BENCHMARKS.md, issue 13). Never prepared
// later: inside a transaction that would need a second connection.
type stmtCache struct {
	stmts map[string]*sql.Stmt
}

// docQueries are the statements the cache prepares: the document
// loader's, the API token lookup every API call makes and the session
// lookup of every signed-in request.
var docQueries = []string{qEvaluation, qDocOptions, qRoundOwner, qDocPricing, qDocTiers, qDocLines, qDocCriteria, qDocScores,
	qUserByAPIToken, qFingerprint, qUserByID, qLatestDecision, qFindSession}

func prepareStmts(ctx context.Context, db *sql.DB, queries []string) (*stmtCache, error) {
	c := &stmtCache{stmts: make(map[string]*sql.Stmt, len(queries))}
	for _, q := range queries {
		st, err := db.PrepareContext(ctx, q)
		if err != nil {
			c.close()
			return nil, fmt.Errorf("prepare: %w", err)
		}
		c.stmts[q] = st
	}
	return c, nil
}

func (c *stmtCache) close() error {
	var errs []error
	for _, st := range c.stmts {
		errs = append(errs, st.Close())
	}
	return errors.Join(errs...)
}

// preparedTx runs a transaction's queries through the cache's statements
// (re-prepared by database/sql on the transaction's own connection at most
// once per connection), and any other query as is. It is a queryer, so the
// loaders take it where they take a *sql.Tx.
type preparedTx struct {
	tx    *sql.Tx
	cache *stmtCache
}

func (p preparedTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st, ok := p.cache.stmts[query]; ok {
		return p.tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return p.tx.QueryContext(ctx, query, args...)
}

func (p preparedTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st, ok := p.cache.stmts[query]; ok {
		return p.tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return p.tx.QueryRowContext(ctx, query, args...)
}

func (p preparedTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st, ok := p.cache.stmts[query]; ok {
		return p.tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return p.tx.ExecContext(ctx, query, args...)
}
