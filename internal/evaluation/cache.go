package evaluation

import (
	"container/list"
	"sync"
)

// DefaultCacheBytes is the memory all cached comparisons and dashboards
// share (Config.CacheBytes, the server's -cache-bytes).
const DefaultCacheBytes = 64 << 20

// entryOverhead is what an entry costs beyond its measured bytes: the
// list element, the map slot and the entry itself.
const entryOverhead = 256

// cache is the one value cache: comparisons and dashboards as the values
// the engine and Dashboard made (not encoded), each keyed by the store's
// fingerprint of its evaluation and what was computed from it, and sized
// by the memory they hold (memSize). It is a least-recently-used list
// bounded by bytes: a count bound let two dashboards of a 1 MiB document
// hold gigabytes. An entry larger than an eighth of the budget is not
// kept, so that one cannot flush all the others. A change anywhere in an
// evaluation moves its fingerprint, so an entry is never stale: it is
// never looked up again and ages out.
type cache struct {
	mu   sync.Mutex
	max  int64
	size int64
	ll   *list.List // of *byteEntry, most recently used first
	m    map[key]*list.Element
}

// key is a cached value's key: the store's fingerprint of the evaluation
// and what was computed from it, with its options.
type key struct {
	fp, what string
}

type byteEntry struct {
	key  key
	val  any
	size int64
}

func newCache(max int64) *cache {
	return &cache{max: max, ll: list.New(), m: map[key]*list.Element{}}
}

// get returns the value kept under key and marks it recently used.
func (c *cache) get(k key) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[k]
	if !ok {
		return nil, false
	}
	c.ll.MoveToFront(e)
	return e.Value.(*byteEntry).val, true
}

// put keeps val under key at size bytes, replacing what key held, and
// evicts the least recently used entries beyond the budget. It reports
// whether val was kept (not when larger than an eighth of the budget).
func (c *cache) put(k key, val any, size int64) bool {
	size += entryOverhead
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[k]; ok {
		c.drop(e)
	}
	if size > c.max/8 {
		return false
	}
	c.m[k] = c.ll.PushFront(&byteEntry{key: k, val: val, size: size})
	c.size += size
	c.evict()
	return true
}

// drop removes e; mu is held.
func (c *cache) drop(e *list.Element) {
	be := e.Value.(*byteEntry)
	c.ll.Remove(e)
	delete(c.m, be.key)
	c.size -= be.size
}

// evict drops least recently used entries until the budget holds; mu is
// held.
func (c *cache) evict() {
	for c.size > c.max {
		c.drop(c.ll.Back())
	}
}

// bytes returns the bytes held and the number of entries.
func (c *cache) bytes() (int64, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size, len(c.m)
}

// clear drops every entry (for the cold-render benchmarks).
func (c *cache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ll.Init()
	clear(c.m)
	c.size = 0
}

// Cached returns the bytes the value cache holds and its number of
// entries (the load run's memory figures).
func (s *Service) Cached() (bytes int64, entries int) { return s.cache.bytes() }
