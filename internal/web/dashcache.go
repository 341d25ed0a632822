package web

import (
	"context"
)

// dashboardCache keeps the built dashboards (everything the page shows
// but the user and the CSRF token) of recently viewed evaluations, one
// version each, in the server's byte budget (cachebudget.go), keyed by
// the evaluation and checked against the store's fingerprint of it
// (fingerprint.go in the store): the comparison with break-even and
// sensitivity, the cost curves and the quote rounds cost ~15 ms of CPU,
// and a board meeting reloads one evaluation again and again. Any change
// inside the evaluation changes its fingerprint, so a stale dashboard is
// never shown. Entries are shared: callers copy before changing one.
type dashboardCache struct {
	b *byteCache
}

// dashKey is the byte cache's key of an evaluation's dashboard.
type dashKey int64

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
func (c dashboardCache) get(id int64, fp string) (*dashboardPage, bool) {
	v, ok := c.b.get(dashKey(id))
	if !ok {
		return nil, false
	}
	e := v.(*dashboardEntry)
	if e.fp != fp {
		return nil, false
	}
	d := *e.d
	return &d, true
}

// put keeps d as the evaluation's dashboard at fp, replacing an older
// one. Its size is what its values hold (memSize) and then what its
// rendered pages add (renderedBody.account).
func (c dashboardCache) put(id int64, fp string, d *dashboardPage) {
	cp := *d
	e := &dashboardEntry{fp: fp, d: &cp}
	cp.body = nil // measured as it renders, below
	size := memSize(&cp)
	cp.body = d.body
	if d.body != nil {
		d.body.account = func(delta int64) { c.b.grow(dashKey(id), e, delta) }
	}
	c.b.put(dashKey(id), e, size)
}

// clear drops every kept dashboard and answer (for the cold-render
// benchmarks): they share one budget.
func (c dashboardCache) clear() { c.b.clear() }
