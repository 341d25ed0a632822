package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

	"vendorcompare/internal/tco"
)

// The guard (evaluations.go) remembers, per evaluation, the document and
// problems of the state this process last committed, and skips loading
// them while qGuardKey is unchanged: without it the mixed edits' p99 was
// 1.2–2.7 s against 0.66–1.5 s alternated at load 37–47, and a line's save
// allocates 11,700 times instead of 5,100 (BenchmarkUpdateLine;
// BENCHMARKS.md, issue 13).
//
// qGuardKey moves with any write: the evaluation's created_at and
// updated_at, total_changes() of the writer's connection (every row it
// touched; a transaction's own audit rows are counted, see seal) and its
// data_version (another connection committed). A state is recorded only
// after its commit.
const qGuardKey = `SELECT created_at, updated_at, total_changes(),
	(SELECT data_version FROM pragma_data_version) FROM evaluations WHERE id = ?`

const qTotalChanges = `SELECT total_changes()`

// writeQueries are prepared on the writer's connection only: those of
// every guarded save (the guard's key, the touch, the audit row), of a
// cost line's update, the most frequent save, and a batch's savepoints.
var writeQueries = []string{qGuardKey, qTotalChanges, qTouch, qAudit, qUpdateLine, qSavepoint, qRelease, qRollbackTo}

// guardCacheMax bounds the remembered evaluations (each with its
// document); past it the cache starts again empty.
const guardCacheMax = 256

type guardKey struct {
	created, updated string
	changes          int64 // total_changes() of the writer's connection
	dataVersion      int64 // PRAGMA data_version of the writer's connection
}

func readGuardKey(ctx context.Context, q queryer, evalID int64) (guardKey, error) {
	var k guardKey
	err := q.QueryRowContext(ctx, qGuardKey, evalID).Scan(&k.created, &k.updated, &k.changes, &k.dataVersion)
	if errors.Is(err, sql.ErrNoRows) {
		return k, notFound("evaluation")
	}
	if err != nil {
		return k, fmt.Errorf("evaluation %d: %w", evalID, err)
	}
	return k, nil
}

// writeTx is what write keeps about the transaction it runs.
type writeTx struct {
	tx     *sql.Tx
	audits int64 // audit rows written so far
	// pending are the problems of each evaluation after its last guard in
	// this transaction, with the key read right after that guard's touch
	// and the audit rows written by then.
	pending map[int64]pendingGuard
}

type pendingGuard struct {
	key    guardKey
	audits int64
	state  *guardState
}

// guardState is what a guard knows of an evaluation's state: the paths
// with a problem, the document, and where each cost line is in it. It is
// never modified once made (later saves share the document and copy what
// they change, withLine).
type guardState struct {
	had    map[string]bool
	doc    *tco.Document
	lineAt map[int64]linePos
}

// withLine returns the state's document with the cost line id replaced by
// l: the document after a save that changed only that line's fields (not
// its round or position). A line that is not in the document (one of an
// earlier round) leaves it as it is.
func (g *guardState) withLine(id int64, l tco.Line) *tco.Document {
	pos, ok := g.lineAt[id]
	if !ok {
		return g.doc
	}
	doc := *g.doc
	doc.Options = slices.Clone(g.doc.Options)
	o := &doc.Options[pos.opt]
	o.Lines = slices.Clone(o.Lines)
	o.Lines[pos.line] = l
	return &doc
}

// current reports whether p still describes the evaluation whose key is
// now k: nothing but the transaction's own audit rows changed since.
func (p pendingGuard) current(k guardKey, audits int64) bool {
	want := p.key
	want.changes += audits - p.audits
	return want == k
}

// guardEntry is one remembered evaluation: the state whose key is key.
type guardEntry struct {
	evalID int64
	key    guardKey
	state  *guardState
}

type guardCache struct {
	mu sync.Mutex
	m  map[int64]guardEntry
	// hits and misses count the guards that used a remembered state and
	// those that could not (tests read them).
	hits, misses atomic.Uint64
}

func (c *guardCache) lookup(evalID int64, k guardKey) *guardState {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[evalID]; ok && e.key == k {
		return e.state
	}
	return nil
}

// record keeps the entries sealed by a transaction that has committed.
func (c *guardCache) record(entries []guardEntry) {
	if len(entries) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m)+len(entries) > guardCacheMax {
		c.m = make(map[int64]guardEntry)
	}
	for _, e := range entries {
		c.m[e.evalID] = e
	}
}

// knownState returns the evaluation's current state if it is known
// without loading it (nil otherwise): from an earlier guard of this
// transaction, or from the state this process last committed.
func (s *Store) knownState(w *writeTx, evalID int64, k guardKey) *guardState {
	if p, ok := w.pending[evalID]; ok {
		if p.current(k, w.audits) {
			s.guards.hits.Add(1)
			return p.state
		}
		s.guards.misses.Add(1)
		return nil
	}
	if st := s.guards.lookup(evalID, k); st != nil {
		s.guards.hits.Add(1)
		return st
	}
	s.guards.misses.Add(1)
	return nil
}

// remember keeps the evaluation's state after a guard of w.
func (w *writeTx) remember(evalID int64, k guardKey, st *guardState) {
	if w.pending == nil {
		w.pending = make(map[int64]pendingGuard)
	}
	w.pending[evalID] = pendingGuard{key: k, audits: w.audits, state: st}
}

// seal turns the transaction's pending problems into entries to record
// once it commits: those whose evaluation nothing but audit rows changed
// after their guard, keyed by the total_changes() the commit leaves. Any
// doubt (an error) records nothing.
func (s *Store) seal(ctx context.Context, w *writeTx) []guardEntry {
	if len(w.pending) == 0 {
		return nil
	}
	var changes int64
	err := preparedTx{w.tx, s.writerStmts}.QueryRowContext(ctx, qTotalChanges).Scan(&changes)
	if err != nil {
		return nil
	}
	var out []guardEntry
	for evalID, p := range w.pending {
		k := p.key
		k.changes = changes
		if p.current(k, w.audits) {
			out = append(out, guardEntry{evalID: evalID, key: k, state: p.state})
		}
	}
	return out
}

// inWrite returns the state of the write transaction tx, or nil when tx
// is not the one write is running.
func (s *Store) inWrite(tx *sql.Tx) *writeTx {
	if w := s.wtx; w != nil && w.tx == tx {
		return w
	}
	return nil
}
