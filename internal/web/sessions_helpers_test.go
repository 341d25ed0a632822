package web

import (
	"database/sql"
	"sync"
	"testing"
	"time"

	"vendorcompare/internal/store"
)

// rawDB opens the store's database file on a pool of its own, for tests
// that read or write behind the store's back (as another process or an
// older version would); the web package itself runs no SQL. The caller
// closes it.
func rawDB(t testing.TB, st *store.Store) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+st.Path()+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// offsetClock is the wall clock moved on by the test (store.WithClock):
// a session's timeouts pass without waiting for them.
type offsetClock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *offsetClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *offsetClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}
