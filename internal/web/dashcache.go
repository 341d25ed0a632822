package web

import (
	"context"
	"sync"
)

// dashboardCacheSize is how many evaluations' dashboards are kept.
const dashboardCacheSize = 64

// dashboardCache keeps the built dashboards (everything the page shows
// but the user and the CSRF token) of recently viewed
// evaluations, keyed by the store's fingerprint of the evaluation
// (fingerprint.go in the store): the comparison with break-even and
// sensitivity, the cost curves and the quote rounds cost ~15 ms of CPU,
// and a board meeting reloads one evaluation again and again. Any change
// inside the evaluation changes its fingerprint, so a stale dashboard is
// never shown. Entries are shared: callers copy before changing one.
type dashboardCache struct {
	mu sync.Mutex
	m  map[int64]dashboardEntry // by evaluation id: one version each
}

type dashboardEntry struct {
	fp string
	d  *dashboardPage
}

// dashboardKey returns the evaluation's fingerprint, ok false when the
// store has none (then nothing is cached).
func (s *Server) dashboardKey(ctx context.Context, id int64) (string, bool) {
	f, ok := s.deps.Store.(fingerprinter)
	if !ok {
		return "", false
	}
	fp, err := f.Fingerprint(ctx, id)
	return fp, err == nil
}

// get returns a copy of the dashboard built for the evaluation at fp.
func (c *dashboardCache) get(id int64, fp string) (*dashboardPage, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[id]
	if !ok || e.fp != fp {
		return nil, false
	}
	d := *e.d
	return &d, true
}

// put keeps d as the evaluation's dashboard at fp, replacing an older one;
// when full, an arbitrary other evaluation's entry makes room.
func (c *dashboardCache) put(id int64, fp string, d *dashboardPage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[int64]dashboardEntry{}
	}
	if _, ok := c.m[id]; !ok && len(c.m) >= dashboardCacheSize {
		for k := range c.m {
			delete(c.m, k)
			break
		}
	}
	cp := *d
	c.m[id] = dashboardEntry{fp: fp, d: &cp}
}

// clear drops every kept dashboard (for the cold-render benchmark).
func (c *dashboardCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m = nil
}
