package store

import (
	"bytes"
	"context"
	"os"
	"strings"
	"sync"
	"time"
)

// tokenUsers keeps the users of API tokens looked up since the database
// last changed: without it cmd/loadtest's compare/healthz target failed in
// three of eight full runs (0.370-0.479; median 0.54, with it 0.73), the
// token's SQLite read being 40% of a cached POST /compare's CPU
// (BENCHMARKS.md, "POST /compare against /healthz").
//
// It is exact, not timed: an entry is used only while the WAL index
// header in the -shm file (its change counter, last frame and salts, both
// copies, bytes 0-95) is what it was before the entry's lookup began. Any
// commit by any connection of any process rewrites that header, as it is
// how SQLite's own readers see a commit, so a kept user is what the query
// would read now; the token's expiry is compared with the clock on every
// use. Only live tokens are kept, and at most tokenUsersMax, so guessing
// tokens cannot fill it.
type tokenUsers struct {
	shm  *os.File // nil: not in WAL mode, nothing is kept
	path string
	fi   os.FileInfo // shm's, to tell a -shm file made anew (gone)
	mu   sync.Mutex
	m    map[string]tokenUser
}

// tokenUsersMax bounds the entries; when full, the map starts over.
const tokenUsersMax = 4096

// walHeaderLen is the two copies of the WAL index header.
const walHeaderLen = 96

type tokenUser struct {
	u       User
	expires *time.Time
	hdr     [walHeaderLen]byte
}

// openTokenUsers keeps token users only when the database is in WAL mode
// (its -shm header then moves with every commit).
func (s *Store) openTokenUsers(ctx context.Context) {
	var mode string
	if err := s.reader.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil || !strings.EqualFold(mode, "wal") {
		return
	}
	f, err := os.Open(s.path + "-shm")
	if err != nil {
		return
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return
	}
	s.tokens.shm, s.tokens.path, s.tokens.fi = f, s.path+"-shm", fi
}

// header reads the WAL index header; ok is false when it cannot be read,
// its two copies differ (a commit is writing it) or the -shm file is no
// longer the one opened (SQLite deletes it when the last connection of
// all processes closes: the one kept open would then never move).
func (c *tokenUsers) header() (h [walHeaderLen]byte, ok bool) {
	if c.shm == nil {
		return h, false
	}
	if n, err := c.shm.ReadAt(h[:], 0); n != walHeaderLen || err != nil {
		return h, false
	}
	// After the read: a file deleted before it is caught here.
	if c.gone() {
		return h, false
	}
	return h, bytes.Equal(h[:48], h[48:]) && h[12] == 1 // isInit
}

// get returns the kept user of hash if no commit happened since it was
// looked up.
func (c *tokenUsers) get(hash string) (tokenUser, bool) {
	h, ok := c.header()
	if !ok {
		return tokenUser{}, false
	}
	c.mu.Lock()
	e, found := c.m[hash]
	c.mu.Unlock()
	return e, found && e.hdr == h
}

// put keeps u under hash, looked up after the header was hdr.
func (c *tokenUsers) put(hash string, e tokenUser) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= tokenUsersMax {
		c.m = make(map[string]tokenUser)
	}
	c.m[hash] = e
}

func (c *tokenUsers) close() error {
	if c.shm == nil {
		return nil
	}
	return c.shm.Close()
}
