package web

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"vendorcompare/internal/web/edge"

	"github.com/labstack/echo/v4"
)

// compress is the one compression of answers: every text answer (pages,
// JSON, scripts, styles, CSV) of at least gzipMin bytes goes out gzipped
// to a client whose Accept-Encoding allows it (q=0 honoured), with Vary:
// Accept-Encoding on every answer so that no cache mixes the two up. A
// comparison's JSON shrinks about sevenfold, the dashboard's HTML about
// fourfold. Range requests, HEAD, bodies already encoded and other media
// types (the XLSX downloads are zip files already) pass as they are.
func compress(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		res, req := c.Response(), c.Request()
		res.Header().Add(echo.HeaderVary, echo.HeaderAcceptEncoding)
		if req.Method == http.MethodHead || req.Header.Get("Range") != "" ||
			!edge.AcceptsGzip(req.Header.Get(echo.HeaderAcceptEncoding)) {
			return next(c)
		}
		w := &gzipWriter{ResponseWriter: res.Writer}
		res.Writer = w
		err := next(c)
		res.Writer = w.ResponseWriter
		return errors.Join(err, w.close())
	}
}

// gzipMin is the smallest body worth compressing: below it the gzip
// header and a round of deflate cost more than the bytes they save.
const gzipMin = 1024

var (
	gzipWriters = sync.Pool{New: func() any {
		w, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
		return w
	}}
	gzipBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}
)

// gzipWriter holds back the status and a text body until the handler is
// done, then sends it gzipped with its Content-Length (pages and JSON
// answers are tens of KiB); any other body passes on unchanged from its
// first byte.
type gzipWriter struct {
	http.ResponseWriter
	status  int // held back; 0 until WriteHeader
	buf     *bytes.Buffer
	passing bool // not held back: written through as it comes
}

func (w *gzipWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *gzipWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if !w.passing && w.buf == nil && !compressible(w.Header(), w.status) {
		w.pass()
	}
	if w.passing {
		return w.ResponseWriter.Write(b)
	}
	if w.buf == nil {
		w.buf = gzipBufs.Get().(*bytes.Buffer)
		w.buf.Reset()
	}
	return w.buf.Write(b)
}

// pass sends the status and what is held back, and writes the rest
// through.
func (w *gzipWriter) pass() {
	w.passing = true
	w.ResponseWriter.WriteHeader(w.status)
	if w.buf != nil {
		w.ResponseWriter.Write(w.buf.Bytes())
		w.release()
	}
}

// Flush sends what is written so far, uncompressed (http.Flusher).
func (w *gzipWriter) Flush() {
	if w.status != 0 && !w.passing {
		w.pass()
	}
	http.NewResponseController(w.ResponseWriter).Flush()
}

// Unwrap gives http.ResponseController the connection's writer.
func (w *gzipWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// close sends a held-back answer: gzipped when large enough, else as it
// is, with its length either way.
func (w *gzipWriter) close() error {
	if w.passing || w.status == 0 {
		return nil
	}
	h := w.Header()
	if w.buf == nil || w.buf.Len() < gzipMin {
		if w.buf != nil {
			h.Set(echo.HeaderContentLength, strconv.Itoa(w.buf.Len()))
		}
		w.pass()
		return nil
	}
	zb := gzipBufs.Get().(*bytes.Buffer)
	zb.Reset()
	defer putBuf(zb)
	zw := gzipWriters.Get().(*gzip.Writer)
	zw.Reset(zb)
	_, err := zw.Write(w.buf.Bytes())
	if err == nil {
		err = zw.Close()
	}
	zw.Reset(io.Discard)
	gzipWriters.Put(zw)
	if err != nil {
		return fmt.Errorf("gzip the answer: %w", err)
	}
	w.release()
	h.Set(echo.HeaderContentEncoding, "gzip")
	h.Set(echo.HeaderContentLength, strconv.Itoa(zb.Len()))
	w.ResponseWriter.WriteHeader(w.status)
	_, err = w.ResponseWriter.Write(zb.Bytes())
	return err
}

// release returns the held-back buffer to its pool.
func (w *gzipWriter) release() {
	putBuf(w.buf)
	w.buf = nil
}

// putBuf returns b to the pool unless it grew past 1 MiB.
func putBuf(b *bytes.Buffer) {
	if b.Cap() <= 1<<20 {
		gzipBufs.Put(b)
	}
}

// compressible reports whether an answer with these headers is text worth
// compressing: not already encoded, not an empty status, a text media type.
func compressible(h http.Header, status int) bool {
	if h.Get(echo.HeaderContentEncoding) != "" || status < 200 || status == http.StatusNoContent ||
		status == http.StatusNotModified || status == http.StatusPartialContent {
		return false
	}
	mt, _, err := mime.ParseMediaType(h.Get(echo.HeaderContentType))
	if err != nil {
		return false
	}
	switch {
	case strings.HasPrefix(mt, "text/"), mt == "application/json", strings.HasSuffix(mt, "+json"),
		mt == "application/javascript", mt == "image/svg+xml":
		return true
	}
	return false
}
