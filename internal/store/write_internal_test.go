package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// fixedClock never moves: updated_at stays the same across saves, so only
// the rest of the guard cache's key can tell them apart.
func fixedClock() time.Time { return time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC) }

// demoStore opens dir (a new temporary folder when empty) with a fixed
// clock and loads the demo into it if it is empty.
func demoStore(t *testing.T, dir string) *Store {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	ctx := context.Background()
	s, err := Open(ctx, dir, WithClock(fixedClock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.LoadDemo(ctx, "../../data"); err != nil {
		t.Fatal(err)
	}
	return s
}

// demoLine returns a fixed-price cost line of the demo evaluation (id 1):
// a cent more on its amount keeps the document valid.
func demoLine(t *testing.T, s *Store) Line {
	t.Helper()
	opts, err := s.ListOptions(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range opts {
		for _, l := range o.Lines {
			if l.Basis == "fixed" || l.Basis == "per_unit" {
				return l
			}
		}
	}
	t.Fatal("the demo has no fixed or per-unit line")
	return Line{}
}

var cent = decimal.RequireFromString("0.01")

// bump saves the line's amount plus a cent through s.
func bump(t *testing.T, s *Store, id int64) (*Line, error) {
	t.Helper()
	l, err := s.GetLine(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	l.Amount = l.Amount.Add(cent)
	return s.UpdateLine(context.Background(), "test", l.ID, l.Version, l.Line)
}

func mustBump(t *testing.T, s *Store, id int64) {
	t.Helper()
	if _, err := bump(t, s, id); err != nil {
		t.Fatal(err)
	}
}

// rawExec changes the database through db without the guard or touch, as
// a write path that forgot them (or another program) would.
func rawExec(t *testing.T, db *sql.DB, query string, args ...any) {
	t.Helper()
	if _, err := db.ExecContext(context.Background(), query, args...); err != nil {
		t.Fatal(err)
	}
}

func wantErrCode(t *testing.T, err error, code Code) {
	t.Helper()
	if ErrorCode(err) != code {
		t.Fatalf("error %v, want code %s", err, code)
	}
}

// setBaseline saves the demo evaluation's settings with another baseline.
func setBaseline(t *testing.T, s *Store, baseline string) error {
	t.Helper()
	ctx := context.Background()
	e, err := s.GetEvaluation(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	st := e.Settings
	st.Baseline = baseline
	_, err = s.UpdateEvaluation(ctx, "test", 1, e.Version, st)
	return err
}

// TestGuardCacheUsed: consecutive saves of one evaluation load its document
// once each, not twice: the problems after one are the next one's before.
func TestGuardCacheUsed(t *testing.T) {
	t.Parallel()
	s := demoStore(t, "")
	l := demoLine(t, s)
	mustBump(t, s, l.ID)
	h0, m0 := s.guards.hits.Load(), s.guards.misses.Load()
	for range 10 {
		mustBump(t, s, l.ID)
	}
	if h, m := s.guards.hits.Load()-h0, s.guards.misses.Load()-m0; h != 10 || m != 0 {
		t.Fatalf("%d hits, %d misses over 10 saves; want 10 and 0", h, m)
	}
}

// TestGuardCacheAnotherWriter: a second Open of the same folder (another
// process, as far as SQLite is concerned) changes the evaluation, under the
// same fixed clock, so updated_at does not move; the first store's next
// save must validate against the evaluation as it now is, both ways: a
// problem the other writer added does not make an unrelated save fail,
// and one it fixed may not come back.
func TestGuardCacheAnotherWriter(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	a := demoStore(t, dir)
	b := demoStore(t, dir)
	l := demoLine(t, a)
	bw := b.writer
	mustBump(t, a, l.ID) // a remembers: no problem
	baseline := func() string {
		e, err := a.GetEvaluation(context.Background(), 1)
		if err != nil {
			t.Fatal(err)
		}
		return e.Baseline
	}
	valid := baseline()

	// A guarded save through b: a's next save must not use what it
	// remembered (b's commit moved a's data_version, not updated_at).
	mustBump(t, b, l.ID)
	m0 := a.guards.misses.Load()
	mustBump(t, a, l.ID)
	if a.guards.misses.Load() != m0+1 {
		t.Fatal("a used its remembered problems after b's save")
	}

	// b breaks the baseline without the guard: an unrelated save by a is
	// still allowed (the problem was there before it).
	rawExec(t, bw, `UPDATE evaluations SET baseline = 'nobody' WHERE id = 1`)
	if _, err := bump(t, a, l.ID); err != nil {
		t.Fatalf("a save that adds no problem was refused: %v", err)
	}
	// b fixes it again: a may not break it now.
	rawExec(t, bw, `UPDATE evaluations SET baseline = ? WHERE id = 1`, valid)
	wantErrCode(t, setBaseline(t, a, "nobody"), CodeInvalid)
	if got := baseline(); got != valid {
		t.Fatalf("baseline %q after a refused save, want %q", got, valid)
	}
}

// TestGuardCacheSameConnection: a change on the writer's own connection
// that bypasses the guard (the session store shares it) is seen too.
func TestGuardCacheSameConnection(t *testing.T) {
	t.Parallel()
	s := demoStore(t, "")
	l := demoLine(t, s)
	w := s.writer
	e, _ := s.GetEvaluation(context.Background(), 1)
	mustBump(t, s, l.ID)
	rawExec(t, w, `UPDATE evaluations SET baseline = 'nobody' WHERE id = 1`)
	if _, err := bump(t, s, l.ID); err != nil {
		t.Fatalf("a save that adds no problem was refused: %v", err)
	}
	rawExec(t, w, `UPDATE evaluations SET baseline = ? WHERE id = 1`, e.Baseline)
	wantErrCode(t, setBaseline(t, s, "nobody"), CodeInvalid)
}

// TestGuardCacheRefusal: a refused save records nothing; the refusal
// semantics stay: a new problem is refused, an old one is not.
func TestGuardCacheRefusal(t *testing.T) {
	t.Parallel()
	s := demoStore(t, "")
	ctx := context.Background()
	l := demoLine(t, s)
	e, _ := s.GetEvaluation(ctx, 1)
	mustBump(t, s, l.ID)
	bad, _ := s.GetLine(ctx, l.ID)
	bad.Amount = decimal.NewFromInt(-3)
	_, err := s.UpdateLine(ctx, "test", bad.ID, bad.Version, bad.Line)
	wantErrCode(t, err, CodeInvalid)
	if now, _ := s.GetLine(ctx, l.ID); now.Version != bad.Version || now.Amount.IsNegative() {
		t.Fatalf("a refused save changed the line: %+v", now)
	}
	wantErrCode(t, setBaseline(t, s, "nobody"), CodeInvalid)
	mustBump(t, s, l.ID)
	if err := setBaseline(t, s, e.Baseline); err != nil {
		t.Fatal(err)
	}
}

// TestGuardTwiceInOneTransaction: a second guard of the same evaluation in
// one transaction compares with the state the first left, not with the
// committed one.
func TestGuardTwiceInOneTransaction(t *testing.T) {
	t.Parallel()
	s := demoStore(t, "")
	ctx := context.Background()
	l := demoLine(t, s)
	e, _ := s.GetEvaluation(ctx, 1)
	w := s.writer
	rawExec(t, w, `UPDATE evaluations SET baseline = 'nobody' WHERE id = 1`)
	mustBump(t, s, l.ID) // remembers the baseline problem, committed
	err := s.write(ctx, func(tx *sql.Tx) error {
		set := func(b string) func() error {
			return func() error {
				_, err := tx.ExecContext(ctx, `UPDATE evaluations SET baseline = ? WHERE id = 1`, b)
				return err
			}
		}
		if err := s.guard(ctx, tx, 1, set(e.Baseline)); err != nil {
			return err
		}
		return s.guard(ctx, tx, 1, set("nobody"))
	})
	wantErrCode(t, err, CodeInvalid)
}

// queueBusy reports whether a batch runs or saves wait.
func queueBusy(s *Store) bool {
	s.queue.mu.Lock()
	defer s.queue.mu.Unlock()
	return s.queue.busy || len(s.queue.waiting) > 0
}

// waitQueued waits until n saves wait in the write queue (not yet in a
// batch).
func waitQueued(t *testing.T, s *Store, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		s.queue.mu.Lock()
		k := len(s.queue.waiting)
		s.queue.mu.Unlock()
		if k == n {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("%d writes never queued", n)
}

// hold takes the writer with a write that waits for release.
func hold(t *testing.T, s *Store) (release func()) {
	t.Helper()
	held, done := make(chan struct{}), make(chan struct{})
	errc := make(chan error, 1)
	go func() {
		errc <- s.write(context.Background(), func(*sql.Tx) error {
			close(held)
			<-done
			return nil
		})
	}()
	<-held
	return func() {
		close(done)
		if err := <-errc; err != nil {
			t.Error(err)
		}
	}
}

// TestWriteFIFO: writes waiting for the writer run in the order they
// came; one whose context ends while it waits returns the context's error
// and gives up its place without taking the turn of anyone behind.
func TestWriteFIFO(t *testing.T) {
	t.Parallel()
	s := demoStore(t, "")
	release := hold(t, s)
	const n = 8
	var mu sync.Mutex
	var order []int
	var wg sync.WaitGroup
	errs := make([]error, n)
	cancelled := 3
	ctx3, cancel := context.WithCancel(context.Background())
	for i := range n {
		ctx := context.Background()
		if i == cancelled {
			ctx = ctx3
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.write(ctx, func(*sql.Tx) error {
				mu.Lock()
				order = append(order, i)
				mu.Unlock()
				return nil
			})
		}()
		waitQueued(t, s, i+1)
	}
	cancel()
	waitQueued(t, s, n-1)
	release()
	wg.Wait()
	want := []int{0, 1, 2, 4, 5, 6, 7}
	if len(order) != len(want) {
		t.Fatalf("order %v, want %v", order, want)
	}
	for i := range want {
		if order[i] != want[i] {
			t.Fatalf("order %v, want %v", order, want)
		}
	}
	for i, err := range errs {
		if i == cancelled {
			if !errors.Is(err, context.Canceled) {
				t.Errorf("the cancelled write returned %v", err)
			}
		} else if err != nil {
			t.Errorf("write %d: %v", i, err)
		}
	}
	// No turn leaked: the queue is idle and the next write runs at once.
	if queueBusy(s) {
		t.Fatal("the write queue is still busy")
	}
	ctx, cancelWrite := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancelWrite()
	if err := s.write(ctx, func(*sql.Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
}

// TestWriteCancelled: a write whose context is already over does not
// run, even with the gate free.
func TestWriteCancelled(t *testing.T) {
	t.Parallel()
	s := demoStore(t, "")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ran := false
	err := s.write(ctx, func(*sql.Tx) error { ran = true; return nil })
	if !errors.Is(err, context.Canceled) || ran {
		t.Fatalf("err %v, ran %v", err, ran)
	}
	if queueBusy(s) {
		t.Fatal("the write queue is still busy")
	}
}

// TestStaleLineAnsweredEarly: a save with a version already stale is
// answered at once by the reader's check, without waiting for the writer.
func TestStaleLineAnsweredEarly(t *testing.T) {
	t.Parallel()
	s := demoStore(t, "")
	ctx := context.Background()
	l := demoLine(t, s)
	mustBump(t, s, l.ID)

	release := hold(t, s)
	defer release()
	_, err := s.UpdateLine(ctx, "test", l.ID, l.Version, l.Line) // l.Version is stale already
	wantErrCode(t, err, CodeConflict)
}

// TestConcurrentLineEditsTwoStores: two stores on one file (two processes
// as far as SQLite can tell) and many goroutines edit a few lines with
// the version they read: every acknowledged save is in the final amounts,
// versions and audit log, and every other answer is a conflict.
func TestConcurrentLineEditsTwoStores(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	stores := []*Store{demoStore(t, dir), demoStore(t, dir)}
	ctx := context.Background()
	opts, _ := stores[0].ListOptions(ctx, 1)
	var lines []Line
	for _, o := range opts {
		for _, l := range o.Lines {
			if (l.Basis == "fixed" || l.Basis == "per_unit") && len(lines) < 4 {
				lines = append(lines, l)
			}
		}
	}
	audits := func() int {
		p, err := stores[0].Audit(ctx, AuditFilter{EvaluationID: 1, Entity: "line", Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		return p.Total
	}
	audit0 := audits()
	const workers, rounds = 16, 20
	ok := make([]int64, len(lines))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := stores[w%2]
			for r := range rounds {
				i := (w + r) % len(lines)
				l, err := s.GetLine(ctx, lines[i].ID)
				if err != nil {
					t.Error(err)
					return
				}
				l.Amount = l.Amount.Add(cent)
				_, err = s.UpdateLine(ctx, "test", l.ID, l.Version, l.Line)
				switch {
				case err == nil:
					mu.Lock()
					ok[i]++
					mu.Unlock()
				case ErrorCode(err) != CodeConflict:
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	var total int64
	for i, l := range lines {
		now, err := stores[1].GetLine(ctx, l.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := l.Amount.Add(cent.Mul(decimal.NewFromInt(ok[i])))
		if !now.Amount.Equal(want) || now.Version != l.Version+ok[i] {
			t.Errorf("line %d: amount %s version %d, want %s and %d", l.ID, now.Amount, now.Version, want, l.Version+ok[i])
		}
		total += ok[i]
	}
	if got := audits() - audit0; int64(got) != total {
		t.Errorf("%d line updates audited, %d acknowledged", got, total)
	}
	if total == 0 {
		t.Fatal("no save committed")
	}
	t.Logf("%d saves committed of %d", total, workers*rounds)
}

// TestLineSaveDocument: the document a cost line's save validates and
// leaves for the next save, made from the one before without loading it,
// is the document as loaded, for a line of a current round (replaced in
// place), one of an earlier round (not in the document) and a refused
// save (nothing kept).
func TestLineSaveDocument(t *testing.T) {
	t.Parallel()
	s := demoStore(t, "")
	ctx := context.Background()
	opts, err := s.ListOptions(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	var o Option
	for _, x := range opts {
		if len(x.Lines) >= 2 {
			o = x
			break
		}
	}
	if o.ID == 0 {
		t.Fatal("no option with two lines in the demo")
	}
	old := o.Lines[1] // a line of the round the next one replaces
	if _, err := s.CreateRound(ctx, "test", o.ID, RoundInput{Label: LabelRevised}); err != nil {
		t.Fatal(err)
	}
	cur, err := s.ListLines(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string) { t.Helper(); checkRemembered(t, s, what) }
	mustBump(t, s, cur[0].ID) // loads: the round's creation moved the key
	check("first save")
	h0 := s.guards.hits.Load()
	for _, l := range cur {
		mustBump(t, s, l.ID)
		check(fmt.Sprintf("line %d", l.ID))
	}
	mustBump(t, s, old.ID)
	check("a line of an earlier round")
	if s.guards.hits.Load()-h0 != uint64(len(cur)+1) {
		t.Fatalf("%d of %d saves used the remembered document", s.guards.hits.Load()-h0, len(cur)+1)
	}
	bad, _ := s.GetLine(ctx, cur[0].ID)
	bad.Amount = decimal.NewFromInt(-3)
	_, err = s.UpdateLine(ctx, "test", bad.ID, bad.Version, bad.Line)
	wantErrCode(t, err, CodeInvalid)
	check("after a refused save")
	mustBump(t, s, cur[1].ID)
	check("after a save following a refused one")
}

// checkRemembered fails unless the state the guard remembers for the demo
// evaluation is its document as loaded, with its problems.
func checkRemembered(t *testing.T, s *Store, what string) {
	t.Helper()
	s.guards.mu.Lock()
	e, ok := s.guards.m[1]
	s.guards.mu.Unlock()
	if !ok {
		t.Fatalf("%s: nothing remembered", what)
	}
	loaded, err := s.Document(context.Background(), 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := mustJSONString(t, e.state.doc), mustJSONString(t, loaded); got != want {
		t.Fatalf("%s: remembered document\n%s\nloaded\n%s", what, got, want)
	}
	if len(validate(loaded)) != len(e.state.had) {
		t.Fatalf("%s: %d problems remembered, %d found", what, len(e.state.had), len(validate(loaded)))
	}
}

func mustJSONString(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestWriteBatch: saves that queue behind a running one commit together,
// in arrival order; one whose fn fails or panics is undone alone and gets
// its own error (or its panic, in its own goroutine); the others are
// saved.
func TestWriteBatch(t *testing.T) {
	t.Parallel()
	s := demoStore(t, "")
	ctx := context.Background()
	w := s.writer
	rawExec(t, w, `CREATE TABLE batch_test (name TEXT NOT NULL)`)
	insert := func(tx *sql.Tx, name string) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO batch_test (name) VALUES (?)`, name)
		return err
	}
	errB := errors.New("b fails")
	fns := map[string]func(*sql.Tx) error{
		"a": func(tx *sql.Tx) error { return insert(tx, "a") },
		"b": func(tx *sql.Tx) error {
			if err := insert(tx, "b"); err != nil {
				return err
			}
			return errB
		},
		"c": func(tx *sql.Tx) error {
			if err := insert(tx, "c"); err != nil {
				return err
			}
			panic("c panics")
		},
		"d": func(tx *sql.Tx) error { return insert(tx, "d") },
	}
	release := hold(t, s)
	type outcome struct {
		err      error
		panicked any
	}
	results := map[string]chan outcome{}
	for i, name := range []string{"a", "b", "c", "d"} {
		ch := make(chan outcome, 1)
		results[name] = ch
		go func() {
			var out outcome
			defer func() {
				out.panicked = recover()
				ch <- out
			}()
			out.err = s.write(ctx, fns[name])
		}()
		waitQueued(t, s, i+1)
	}
	commits := s.commits.Load()
	release()
	got := map[string]outcome{}
	for name, ch := range results {
		got[name] = <-ch
	}
	if got["a"].err != nil || got["d"].err != nil || got["a"].panicked != nil || got["d"].panicked != nil {
		t.Fatalf("a %+v, d %+v", got["a"], got["d"])
	}
	if !errors.Is(got["b"].err, errB) {
		t.Fatalf("b %+v", got["b"])
	}
	if got["c"].panicked != "c panics" {
		t.Fatalf("c %+v", got["c"])
	}
	if n := s.commits.Load() - commits; n != 3 { // hold's, a's and d's
		t.Fatalf("%d saves committed, want 3", n)
	}
	rows, err := s.reader.QueryContext(ctx, `SELECT name FROM batch_test ORDER BY rowid`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		names = append(names, n)
	}
	if strings.Join(names, ",") != "a,d" {
		t.Fatalf("saved %v, want a and d", names)
	}
	if queueBusy(s) {
		t.Fatal("the write queue is still busy")
	}
}

// TestGuardInBatchUndone: a save of a batch that passes the guard and then
// fails is rolled back to its savepoint, and so is what the guard learnt
// in it: the next save of the batch compares with the state the
// evaluation is really in.
func TestGuardInBatchUndone(t *testing.T) {
	t.Parallel()
	s := demoStore(t, "")
	ctx := context.Background()
	l := demoLine(t, s)
	e, _ := s.GetEvaluation(ctx, 1)
	w := s.writer
	rawExec(t, w, `UPDATE evaluations SET baseline = 'nobody' WHERE id = 1`)
	mustBump(t, s, l.ID) // remembers the baseline problem

	release := hold(t, s)
	fixed := make(chan error, 1)
	go func() {
		fixed <- s.write(ctx, func(tx *sql.Tx) error {
			err := s.guard(ctx, tx, 1, func() error {
				_, err := tx.ExecContext(ctx, `UPDATE evaluations SET baseline = ? WHERE id = 1`, e.Baseline)
				return err
			})
			if err != nil {
				return err
			}
			return errors.New("fails after the guard")
		})
	}()
	waitQueued(t, s, 1)
	bumped := make(chan error, 1)
	go func() {
		_, err := bump(t, s, l.ID) // the baseline problem is still there: allowed
		bumped <- err
	}()
	waitQueued(t, s, 2)
	release()
	if err := <-fixed; err == nil {
		t.Fatal("the failing save succeeded")
	}
	if err := <-bumped; err != nil {
		t.Fatalf("a save that adds no problem was refused: %v", err)
	}
	if got, _ := s.GetEvaluation(ctx, 1); got.Baseline != "nobody" {
		t.Fatalf("baseline %q: the failed save was kept", got.Baseline)
	}
	checkRemembered(t, s, "after the batch")
}
