package web

import (
	"container/list"
	"sync"
)

// DefaultCacheBytes is the memory all cached comparisons and dashboards
// share (Config.CacheBytes).
const DefaultCacheBytes = 64 << 20

// entryOverhead is what an entry costs beyond its measured bytes: the
// list element, the map slot and the entry itself.
const entryOverhead = 256

// byteCache is the one budget every cached answer and page draws from: a
// least-recently-used list whose entries carry their size in bytes (a
// comparison's encoded JSON and gzip; a dashboard's values and rendered
// pages, dashcache.go). Keeping the total under max is what bounds the
// server's memory: a count bound let two dashboards of a 1 MiB document
// hold gigabytes. An entry larger than an eighth of the budget is not
// kept, so that one cannot flush all the others.
type byteCache struct {
	mu   sync.Mutex
	max  int64
	size int64
	ll   *list.List // of *byteEntry, most recently used first
	m    map[any]*list.Element
}

type byteEntry struct {
	key  any
	val  any
	size int64
}

func newByteCache(max int64) *byteCache {
	return &byteCache{max: max, ll: list.New(), m: map[any]*list.Element{}}
}

// get returns the value kept under key and marks it recently used.
func (c *byteCache) get(key any) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok {
		return nil, false
	}
	c.ll.MoveToFront(e)
	return e.Value.(*byteEntry).val, true
}

// put keeps val under key at size bytes, replacing what key held, and
// evicts the least recently used entries beyond the budget. It reports
// whether val was kept (not when larger than an eighth of the budget).
func (c *byteCache) put(key, val any, size int64) bool {
	size += entryOverhead
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[key]; ok {
		c.drop(e)
	}
	if size > c.max/8 {
		return false
	}
	c.m[key] = c.ll.PushFront(&byteEntry{key: key, val: val, size: size})
	c.size += size
	c.evict()
	return true
}

// add only keeps val under key when key holds nothing yet.
func (c *byteCache) add(key, val any, size int64) {
	c.mu.Lock()
	_, ok := c.m[key]
	c.mu.Unlock()
	if !ok {
		c.put(key, val, size)
	}
}

// grow records that the entry of key, if it still holds val, now holds
// delta bytes more (a page rendered from it, or fewer when dropped), and
// evicts beyond the budget.
func (c *byteCache) grow(key, val any, delta int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok {
		return
	}
	be := e.Value.(*byteEntry)
	if be.val != val {
		return
	}
	be.size += delta
	c.size += delta
	if be.size > c.max/8 {
		c.drop(e)
		return
	}
	c.evict()
}

// drop removes e; mu is held.
func (c *byteCache) drop(e *list.Element) {
	be := e.Value.(*byteEntry)
	c.ll.Remove(e)
	delete(c.m, be.key)
	c.size -= be.size
}

// evict drops least recently used entries until the budget holds; mu is
// held.
func (c *byteCache) evict() {
	for c.size > c.max {
		c.drop(c.ll.Back())
	}
}

// bytes returns the bytes held and the number of entries.
func (c *byteCache) bytes() (int64, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size, len(c.m)
}

// clear drops every entry (for the cold-render benchmarks).
func (c *byteCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ll.Init()
	clear(c.m)
	c.size = 0
}
