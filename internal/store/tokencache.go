package store

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
	"time"
)

// tokenCacheTTL bounds how long a token's user is answered from memory.
// Changes made through this process (revoking a token, disabling a user,
// changing a role) take effect at the next request, as before; the TTL
// only bounds how late a change written by another process on the same
// database (a second server) is seen.
const tokenCacheTTL = time.Second

// tokenCacheMax bounds the entries; when full, the cache starts over.
const tokenCacheMax = 4096

// tokenCache keeps the users of recently presented API tokens. Every API
// call looks its token up, and on a cached comparison that lookup (a
// join in SQLite) was a third of the work. Only live tokens are kept, so
// guessing tokens cannot fill it.
//
// Revocation stays immediate: every account write in this process bumps
// gen after it commits, and an entry is used only while gen is what it
// was before the entry's lookup began. A lookup racing with a revocation
// therefore records the old generation and is never used again.
type tokenCache struct {
	gen atomic.Uint64
	mu  sync.Mutex
	m   map[string]tokenEntry
	now func() time.Time // the monotonic clock; tests replace it
}

type tokenEntry struct {
	u       User
	expires *time.Time // the token's expiry, nil: never
	gen     uint64
	at      time.Time
}

func (c *tokenCache) clock() time.Time {
	if c.now != nil {
		return c.now()
	}
	return time.Now()
}

// get returns the cached user of the token hash and the token's expiry,
// if the entry is still valid (the caller checks the expiry).
func (c *tokenCache) get(hash string) (User, *time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[hash]
	if !ok || e.gen != c.gen.Load() || c.clock().Sub(e.at) >= tokenCacheTTL {
		return User{}, nil, false
	}
	return e.u, e.expires, true
}

// put keeps u as the token's user, with the token's expiry, looked up at
// generation gen (read before the lookup began) and time at.
func (c *tokenCache) put(hash string, u User, expires *time.Time, gen uint64, at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= tokenCacheMax {
		c.m = make(map[string]tokenEntry)
	}
	c.m[hash] = tokenEntry{u: u, expires: expires, gen: gen, at: at}
}

// invalidate ends every entry: called after each account write.
func (c *tokenCache) invalidate() { c.gen.Add(1) }

// writeAccounts is write for the changes to users and API tokens: after
// it, committed or not, no cached token answers from before it.
func (s *Store) writeAccounts(ctx context.Context, fn func(tx *sql.Tx) error) error {
	defer s.tokens.invalidate()
	return s.write(ctx, fn)
}
