package web

import (
	"net/http"
	"runtime"

	"github.com/labstack/echo/v4"
)

// memoryReport is the answer of GET /admin/debug/memory.
type memoryReport struct {
	HeapInuse    uint64 `json:"heap_inuse"` // bytes in in-use spans, after a collection
	HeapAlloc    uint64 `json:"heap_alloc"` // bytes of live objects, after a collection
	CacheBytes   int64  `json:"cache_bytes"`
	CacheEntries int    `json:"cache_entries"`
}

// memory answers GET /admin/debug/memory (Config.MemoryProbe, admins
// only): it collects garbage, then reports the heap and the caches'
// bytes, so that the load run can show that the heap, less the caches,
// comes back to where it started.
func (s *Server) memory(c echo.Context) error {
	// Twice: the first collection moves sync.Pool contents (the gzip
	// writers, ~1 MiB each) to their victim caches, the second frees them.
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	n, entries := s.eval.Cached()
	return c.JSON(http.StatusOK, memoryReport{HeapInuse: m.HeapInuse, HeapAlloc: m.HeapAlloc, CacheBytes: n, CacheEntries: entries})
}
