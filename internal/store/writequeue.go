package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
)

// Saves queue here first come first served and run in batches, each save
// in its savepoint of one transaction, none answered before the commit:
// without the queue (database/sql hands the one connection to a random
// waiter) the mixed edits' p99 was 2.6–6.6 s against 0.66–1.5 s
// alternated at load 37–47 (BENCHMARKS.md, issue 13). A failing save is
// rolled back to its savepoint alone; a failed commit fails the batch. The
// session store and the migrations use the writer pool directly.
type writeQueue struct {
	mu      sync.Mutex
	waiting []*writeReq
	busy    bool // a batch is running or its lead is being handed over
}

// maxBatch bounds the saves of one transaction.
const maxBatch = 64

// writeReq is one save waiting for or in a batch.
type writeReq struct {
	ctx  context.Context
	fn   func(tx *sql.Tx) error
	done chan writeResult // its outcome, once
	lead chan []*writeReq // the batch it is handed to lead
}

type writeResult struct {
	err      error
	panicked bool
	panicVal any
}

func (r *writeReq) finish(res writeResult) { r.done <- res }

// get returns the outcome, re-raising in the save's own goroutine a panic
// of its fn (run by the batch's leader).
func (res writeResult) get() error {
	if res.panicked {
		panic(res.panicVal)
	}
	return res.err
}

// withdraw takes r out of the queue if it is still waiting there.
func (q *writeQueue) withdraw(r *writeReq) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, x := range q.waiting {
		if x == r {
			q.waiting = append(q.waiting[:i], q.waiting[i+1:]...)
			return true
		}
	}
	return false
}

// ErrDryRun is what a save under DryRun answers when it passed every
// check: nothing was saved.
var ErrDryRun = errors.New("dry run: checked, nothing saved")

type dryRunKey struct{}

// DryRun returns a context under which a save runs its checks (the
// evaluation's rules included) and is then undone: it answers the errors a
// real save would, or ErrDryRun. A form whose fields failed their format
// asks this for the rest, so that one answer names every problem.
func DryRun(ctx context.Context) context.Context { return context.WithValue(ctx, dryRunKey{}, true) }

// write runs fn in a transaction on the writer and commits it; any error
// of fn rolls back everything fn did. A read-only or full disk becomes
// ErrUnavailable (storageError). See writeQueue.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if ctx.Value(dryRunKey{}) != nil {
		// a save that passed every check fails now, so it is undone as
		// any failed save is
		inner := fn
		fn = func(tx *sql.Tx) error {
			if err := inner(tx); err != nil {
				return err
			}
			return ErrDryRun
		}
	}
	r := &writeReq{ctx: ctx, fn: fn, done: make(chan writeResult, 1), lead: make(chan []*writeReq, 1)}
	q := &s.queue
	q.mu.Lock()
	if !q.busy {
		q.busy = true
		q.mu.Unlock()
		s.runBatch([]*writeReq{r})
		return (<-r.done).get()
	}
	q.waiting = append(q.waiting, r)
	q.mu.Unlock()
	select {
	case res := <-r.done:
		return res.get()
	case batch := <-r.lead:
		s.runBatch(batch)
		return (<-r.done).get()
	case <-ctx.Done():
		if q.withdraw(r) {
			return fmt.Errorf("begin: %w", ctx.Err())
		}
	}
	// Already taken into a batch: its leader answers it.
	select {
	case res := <-r.done:
		return res.get()
	case batch := <-r.lead:
		s.runBatch(batch)
		return (<-r.done).get()
	}
}

// runBatch runs batch with every save waiting now, in one transaction,
// then hands the lead to the next save waiting, if any.
func (s *Store) runBatch(batch []*writeReq) {
	q := &s.queue
	q.mu.Lock()
	n := min(len(q.waiting), maxBatch-len(batch))
	batch = append(batch, q.waiting[:n]...)
	q.waiting = append(q.waiting[:0], q.waiting[n:]...)
	q.mu.Unlock()

	var run []*writeReq
	for _, r := range batch {
		if err := r.ctx.Err(); err != nil {
			r.finish(writeResult{err: fmt.Errorf("begin: %w", err)})
			continue
		}
		run = append(run, r)
	}
	defer s.handOff() // even if the batch panics outside the saves' fns
	if len(run) > 0 {
		s.commitBatch(run)
	}
}

// handOff gives the lead to the save at the head of the queue, or leaves
// the queue idle.
func (s *Store) handOff() {
	q := &s.queue
	q.mu.Lock()
	if len(q.waiting) == 0 {
		q.busy = false
		q.mu.Unlock()
		return
	}
	next := q.waiting[0]
	q.waiting = q.waiting[1:]
	q.mu.Unlock()
	next.lead <- []*writeReq{next}
}

// The savepoint of each save of a batch of more than one.
const (
	qSavepoint  = `SAVEPOINT save`
	qRelease    = `RELEASE save`
	qRollbackTo = `ROLLBACK TO save`
)

// commitBatch runs the fns of run in one transaction and commits it, then
// answers every save of run.
func (s *Store) commitBatch(run []*writeReq) {
	answered := false
	fail := func(err error) {
		answered = true
		for _, r := range run {
			r.finish(writeResult{err: storageError(err)})
		}
	}
	defer func() {
		if !answered { // a panic outside the fns: nobody may wait forever
			fail(fmt.Errorf("save interrupted: %v", recover()))
		}
	}()
	// Not rolled back by database/sql when a context ends: each save's
	// statements use its own context, and a save that fails is rolled back
	// to its savepoint.
	tx, err := s.writer.BeginTx(context.Background(), nil)
	if err != nil {
		fail(fmt.Errorf("begin: %w", err))
		return
	}
	defer tx.Rollback()
	w := &writeTx{tx: tx}
	s.wtx = w
	defer func() { s.wtx = nil }()
	ptx := preparedTx{tx, s.writerStmts}
	ctx := context.Background()
	many := len(run) > 1
	results := make([]writeResult, len(run))
	saved := 0
	for i, r := range run {
		if many {
			if _, err := ptx.ExecContext(ctx, qSavepoint); err != nil {
				fail(fmt.Errorf("savepoint: %w", err))
				return
			}
		}
		mark := w.mark()
		res := callWrite(r.fn, tx)
		if res.err == nil && !res.panicked {
			saved++
			if many {
				if _, err := ptx.ExecContext(ctx, qRelease); err != nil {
					fail(fmt.Errorf("release savepoint: %w", err))
					return
				}
			}
			continue
		}
		if res.err != nil {
			res.err = storageError(res.err)
		}
		results[i] = res
		if !many {
			break
		}
		// This save alone is undone, and what the guard learnt in it.
		if _, err := ptx.ExecContext(ctx, qRollbackTo); err != nil {
			fail(fmt.Errorf("roll back a save: %w", err))
			return
		}
		if _, err := ptx.ExecContext(ctx, qRelease); err != nil {
			fail(fmt.Errorf("release savepoint: %w", err))
			return
		}
		w.reset(mark)
	}
	if saved == 0 {
		tx.Rollback()
		answered = true
		for i, r := range run {
			r.finish(results[i])
		}
		return
	}
	// Where the guard's states still describe what is committed, their
	// key is read now, in the transaction.
	sealed := s.seal(ctx, w)
	if err := tx.Commit(); err != nil {
		fail(fmt.Errorf("commit: %w", err))
		return
	}
	s.commits.Add(uint64(saved))
	s.guards.record(sealed)
	answered = true
	for i, r := range run {
		r.finish(results[i])
	}
}

// callWrite runs fn, turning a panic into a result the save's own
// goroutine raises again.
func callWrite(fn func(tx *sql.Tx) error, tx *sql.Tx) (res writeResult) {
	defer func() {
		if v := recover(); v != nil {
			res = writeResult{panicked: true, panicVal: v}
		}
	}()
	return writeResult{err: fn(tx)}
}

// writeMark is what a save of a batch may add to its writeTx, taken
// before it runs so that a save rolled back to its savepoint leaves
// nothing behind.
type writeMark struct {
	audits  int64
	pending map[int64]pendingGuard
}

func (w *writeTx) mark() writeMark {
	m := writeMark{audits: w.audits}
	if len(w.pending) > 0 {
		m.pending = make(map[int64]pendingGuard, len(w.pending))
		for k, v := range w.pending {
			m.pending[k] = v
		}
	}
	return m
}

func (w *writeTx) reset(m writeMark) {
	w.audits = m.audits
	w.pending = m.pending
}
