package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// Sessions is the store of browser sessions for scs (it implements
// scs.Store and scs.CtxStore, with scs's HashTokenInStore): the table
// sessions, and user_sessions naming each session's user so that
// disabling the user or changing the password ends it (endSessions).
//
// The store, not scs, decides when a session expires, with the store's
// clock (WithClock): at the earlier of its sign-in (user_sessions) plus
// the lifetime and its last request plus the idle timeout. scs's own
// expiry, taken from the wall clock, is ignored.
//
// A commit never brings an ended session back: scs's sqlite3store saved
// with REPLACE, so a request in flight when its session was deleted wrote
// the row back when it finished. Here a commit inserts only a session
// just started (Start) and otherwise only updates an existing row.
//
// With an idle timeout scs commits after every request to push the expiry
// back: a write per page view, queued behind every save. A commit that
// changes nothing but the expiry, by less than a thirtieth of the idle
// timeout past what this process last wrote, is skipped: a session then
// ends between 29 and 30 minutes after its last request instead of 30.
type Sessions struct {
	s              *Store
	idle, lifetime time.Duration
	renewEvery     time.Duration

	mu      sync.Mutex
	written map[string]sessionMark // by stored token: what this process last wrote
	fresh   map[string]time.Time   // sessions started, not yet written: when
	commits atomic.Int64

	stop chan struct{}
	done chan struct{}
}

// sessionMark is a session as last written.
type sessionMark struct {
	data   []byte
	expiry time.Time // the idle expiry written
}

// sessionMarksMax bounds the marks kept; when full, expired ones go, and
// if none has, all (the next commit of each is then simply written).
const sessionMarksMax = 100_000

// freshFor is how long a started session may wait for its first commit
// (at the end of the same request) before it is forgotten.
const freshFor = time.Minute

// sessionCleanup is how often expired sessions are deleted.
const sessionCleanup = 5 * time.Minute

// Sessions returns the session store for scs with the given idle timeout
// (0: none) and lifetime, and starts deleting expired sessions every five
// minutes until Close.
func (s *Store) Sessions(idle, lifetime time.Duration) *Sessions {
	if lifetime <= 0 {
		lifetime = 24 * time.Hour // scs's default
	}
	ss := &Sessions{s: s, idle: idle, lifetime: lifetime, renewEvery: idle / 30,
		written: map[string]sessionMark{}, fresh: map[string]time.Time{},
		stop: make(chan struct{}), done: make(chan struct{})}
	go ss.cleanup()
	return ss
}

// Close stops the deleting of expired sessions.
func (ss *Sessions) Close() {
	select {
	case <-ss.stop:
	default:
		close(ss.stop)
	}
	<-ss.done
}

func (ss *Sessions) cleanup() {
	defer close(ss.done)
	t := time.NewTicker(sessionCleanup)
	defer t.Stop()
	for {
		select {
		case <-ss.stop:
			return
		case <-t.C:
			// A failure is retried at the next tick; Find ignores expired rows anyway.
			ss.s.writer.Exec(`DELETE FROM sessions WHERE expiry < julianday(?)`, julian(ss.s.now()))
		}
	}
}

// julian formats t for SQLite's julianday().
func julian(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000") }

// SessionKey is the key under which scs (with HashTokenInStore) stores the
// session whose cookie holds token: the unpadded base64url SHA-256 of it.
func SessionKey(token string) string {
	h := sha256.Sum256([]byte(token))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

// Start records that the session of cookie token, just made at sign-in,
// belongs to a user (so that disabling the user ends it, and its lifetime
// counts from now); its first commit inserts it. The user's sessions that
// have expired or ended since are forgotten.
func (ss *Sessions) Start(ctx context.Context, token string, userID int64) error {
	key := SessionKey(token)
	ss.mu.Lock()
	now := time.Now()
	for k, at := range ss.fresh {
		if now.Sub(at) > freshFor {
			delete(ss.fresh, k)
		}
	}
	ss.fresh[key] = now
	ss.mu.Unlock()
	s := ss.s
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM user_sessions WHERE user_id = ? AND token NOT IN (SELECT token FROM sessions)`, userID); err != nil {
			return fmt.Errorf("forget old sessions: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO user_sessions (token, user_id, created_at) VALUES (?, ?, ?)`,
			key, userID, s.stamp()); err != nil {
			return fmt.Errorf("add session: %w", err)
		}
		return nil
	})
}

// Commits returns how many commits were written (not skipped).
func (ss *Sessions) Commits() int64 { return ss.commits.Load() }

// qFindSession reads a live session's data; the caller passes now.
const qFindSession = `SELECT data FROM sessions WHERE token = ? AND expiry > julianday(?)`

// FindCtx returns the data of a live session.
func (ss *Sessions) FindCtx(ctx context.Context, key string) ([]byte, bool, error) {
	var b []byte
	err := ss.s.readerStmts.stmts[qFindSession].QueryRowContext(ctx, key, julian(ss.s.now())).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("find session: %w", err)
	}
	return b, true, nil
}

// CommitCtx writes a session's data and pushes its expiry back (scs's
// expiry argument is ignored: see Sessions). A session not started and
// whose row is gone (signed out, ended, expired) stays gone.
func (ss *Sessions) CommitCtx(ctx context.Context, key string, b []byte, _ time.Time) error {
	now := ss.s.now()
	idleExp := now.Add(ss.lifetime) // no idle timeout: only the lifetime ends it
	if ss.idle > 0 {
		idleExp = now.Add(ss.idle)
	}
	ss.mu.Lock()
	m, ok := ss.written[key]
	_, isNew := ss.fresh[key]
	delete(ss.fresh, key)
	ss.mu.Unlock()
	if !isNew && ok && bytes.Equal(m.data, b) && !idleExp.Before(m.expiry) && idleExp.Sub(m.expiry) < ss.renewEvery {
		return nil
	}
	saved, err := ss.commit(ctx, key, b, idleExp, isNew)
	if err != nil {
		return err
	}
	ss.commits.Add(1)
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if !saved { // ended while the request ran: it stays ended
		delete(ss.written, key)
		return nil
	}
	if len(ss.written) >= sessionMarksMax {
		for k, v := range ss.written {
			if v.expiry.Before(now) {
				delete(ss.written, k)
			}
		}
		if len(ss.written) >= sessionMarksMax {
			clear(ss.written)
		}
	}
	ss.written[key] = sessionMark{data: bytes.Clone(b), expiry: idleExp}
	return nil
}

// commit inserts (isNew) or updates the session row with expiry the
// earlier of idleExp and its owner's sign-in plus the lifetime; a session
// without an owner record expires at once. saved is false when an update
// found no row.
func (ss *Sessions) commit(ctx context.Context, key string, data []byte, idleExp time.Time, isNew bool) (saved bool, err error) {
	life := ss.lifetime.Hours() / 24
	// expiry, from idle expiry (?1), lifetime in days (?2), key (?3)
	const expiry = `min(julianday(?1), coalesce((SELECT julianday(created_at) + ?2 FROM user_sessions WHERE token = ?3), 0))`
	if isNew {
		if _, err := ss.s.writer.ExecContext(ctx, `INSERT INTO sessions (token, data, expiry) VALUES (?3, ?4, `+expiry+`)`,
			julian(idleExp), life, key, data); err != nil {
			return false, fmt.Errorf("save session: %w", err)
		}
		return true, nil
	}
	res, err := ss.s.writer.ExecContext(ctx, `UPDATE sessions SET data = ?4, expiry = `+expiry+` WHERE token = ?3`,
		julian(idleExp), life, key, data)
	if err != nil {
		return false, fmt.Errorf("save session: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("save session: %w", err)
	}
	return n > 0, nil
}

// DeleteCtx deletes a session and its owner record: signing out.
func (ss *Sessions) DeleteCtx(ctx context.Context, key string) error {
	ss.mu.Lock()
	delete(ss.written, key)
	delete(ss.fresh, key)
	ss.mu.Unlock()
	if _, err := ss.s.writer.ExecContext(ctx, `DELETE FROM sessions WHERE token = ?`, key); err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	if _, err := ss.s.writer.ExecContext(ctx, `DELETE FROM user_sessions WHERE token = ?`, key); err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}

// Find is FindCtx without a context (scs.Store).
func (ss *Sessions) Find(key string) ([]byte, bool, error) {
	return ss.FindCtx(context.Background(), key)
}

// Commit is CommitCtx without a context (scs.Store).
func (ss *Sessions) Commit(key string, b []byte, expiry time.Time) error {
	return ss.CommitCtx(context.Background(), key, b, expiry)
}

// Delete is DeleteCtx without a context (scs.Store).
func (ss *Sessions) Delete(key string) error { return ss.DeleteCtx(context.Background(), key) }

// CountSessions returns how many stored sessions belong to a user.
func (s *Store) CountSessions(ctx context.Context, userID int64) (int, error) {
	var n int
	err := s.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM sessions JOIN user_sessions USING (token) WHERE user_id = ?`, userID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count sessions: %w", err)
	}
	return n, nil
}

// endSessions deletes every session of a user.
func endSessions(ctx context.Context, tx *sql.Tx, userID int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token IN (SELECT token FROM user_sessions WHERE user_id = ?)`, userID); err != nil {
		return fmt.Errorf("end sessions: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM user_sessions WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("end sessions: %w", err)
	}
	return nil
}
