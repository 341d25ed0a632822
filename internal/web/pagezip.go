package web

import (
	"bytes"
	"compress/flate"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"html/template"
	"strconv"
	"sync"

	"github.com/labstack/echo/v4"
)

// Pages go out gzipped to every browser (all accept it): the dashboard is
// 45 KiB of HTML and ~7 KiB gzipped. Most of it is its body, the same
// for every user of an unchanged evaluation (pages_dashboard.go), so the
// body is compressed once, when it is rendered, into deflate blocks that
// stand alone: they refer to nothing before them, and end on a byte
// boundary (a sync flush) without closing the stream. A view then
// compresses only its own few KiB around the body, before and after, and
// splices the three into one gzip stream (RFC 1951 allows a stream to be
// any sequence of blocks; back-references are relative, so blocks made
// with no history decode the same anywhere). The CRC-32 of the whole page
// is computed per view (~10 µs for 45 KiB).

// htmlPart is a piece of a page rendered once and sent many times, with
// its deflate blocks.
type htmlPart struct {
	html    []byte
	deflate []byte // stand-alone, sync-flushed, not final
}

// partLevel is the compression level of parts: made on the first view
// after a change, so its time counts too. On the demo dashboard's body
// level 4 gives 12.3 KB in 1.4 ms, the default (6) 11.8 KB in 2.0 ms.
const partLevel = 4

var partFlate = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, partLevel)
	return w
}}

// newHTMLPart keeps html and compresses it once.
func newHTMLPart(html []byte) (*htmlPart, error) {
	var buf bytes.Buffer
	buf.Grow(len(html) / 3)
	w := partFlate.Get().(*flate.Writer)
	defer partFlate.Put(w)
	w.Reset(&buf)
	if _, err := w.Write(html); err != nil {
		return nil, err
	}
	if err := w.Flush(); err != nil {
		return nil, err
	}
	return &htmlPart{html: html, deflate: buf.Bytes()}, nil
}

// partMarker stands in the rendered page where an htmlPart goes. The
// random part keeps it from ever matching page content (which cannot
// hold "<!--" anyway: html/template escapes every value).
var partMarker = func() string {
	b := make([]byte, 12)
	rand.Read(b)
	return "<!--vc:part:" + hex.EncodeToString(b) + "-->"
}()

// partMarkerHTML is partMarker for a template field.
var partMarkerHTML = template.HTML(partMarker)

// splitAtPart cuts a page rendered with partMarker into what goes before
// and after the part.
func splitAtPart(page []byte) (head, tail []byte, err error) {
	i := bytes.Index(page, []byte(partMarker))
	if i < 0 {
		return nil, nil, fmt.Errorf("the page has no place for its part")
	}
	return page[:i], page[i+len(partMarker):], nil
}

var (
	fastFlate = sync.Pool{New: func() any {
		w, _ := flate.NewWriter(nil, flate.BestSpeed)
		return w
	}}
	gzipBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}
)

// gzipHeader is a gzip member header: deflate, no name, no time, unknown
// OS (RFC 1952 §2.3).
var gzipHeader = []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255}

// gzipPage writes head, part (may be nil) and tail as one gzip stream to
// dst, compressing head and tail at the fastest level.
func gzipPage(dst *bytes.Buffer, head []byte, part *htmlPart, tail []byte) error {
	dst.Write(gzipHeader)
	w := fastFlate.Get().(*flate.Writer)
	defer fastFlate.Put(w)
	w.Reset(dst)
	if _, err := w.Write(head); err != nil {
		return err
	}
	crc := crc32.ChecksumIEEE(head)
	size := len(head) + len(tail)
	if part != nil {
		if err := w.Flush(); err != nil {
			return err
		}
		dst.Write(part.deflate)
		// The tail's blocks must not refer back across the part: a new
		// stream state, with no history.
		w.Reset(dst)
		crc = crc32.Update(crc, crc32.IEEETable, part.html)
		size += len(part.html)
	}
	if _, err := w.Write(tail); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	crc = crc32.Update(crc, crc32.IEEETable, tail)
	dst.Write(binary.LittleEndian.AppendUint32(binary.LittleEndian.AppendUint32(nil, crc), uint32(size)))
	return nil
}

// preparedPage is a rendered page ready to send: head, part (may be nil)
// and tail, and once made (zip) its whole gzip stream, so that a page
// kept for reuse costs no compression at all.
type preparedPage struct {
	head, tail []byte
	part       *htmlPart
	gz         []byte // nil: compressed per request
}

// size is the page's length as plain HTML.
func (p *preparedPage) size() int {
	n := len(p.head) + len(p.tail)
	if p.part != nil {
		n += len(p.part.html)
	}
	return n
}

// kept is the memory the page holds of its own (its part is the
// dashboard body's, counted there).
func (p *preparedPage) kept() int64 {
	return int64(len(p.head) + len(p.tail) + len(p.gz))
}

// zip makes and keeps the page's gzip stream.
func (p *preparedPage) zip() error {
	var buf bytes.Buffer
	if err := gzipPage(&buf, p.head, p.part, p.tail); err != nil {
		return fmt.Errorf("gzip page: %w", err)
	}
	p.gz = buf.Bytes()
	return nil
}

// send sends the page with status: gzipped when the client accepts it,
// always with its length, Vary: Accept-Encoding, and Cache-Control:
// no-store (pages are private to the evaluation's team).
func (p *preparedPage) send(c echo.Context, status int) error {
	res := c.Response()
	h := res.Header()
	h.Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	h.Set(echo.HeaderCacheControl, "no-store")
	h.Add(echo.HeaderVary, echo.HeaderAcceptEncoding)
	if acceptsGzip(c.Request().Header.Get(echo.HeaderAcceptEncoding)) {
		gz := p.gz
		if gz == nil {
			buf := gzipBufs.Get().(*bytes.Buffer)
			defer func() {
				if buf.Cap() <= 1<<20 {
					gzipBufs.Put(buf)
				}
			}()
			buf.Reset()
			if err := gzipPage(buf, p.head, p.part, p.tail); err != nil {
				return fmt.Errorf("gzip page: %w", err)
			}
			gz = buf.Bytes()
		}
		h.Set(echo.HeaderContentEncoding, "gzip")
		h.Set(echo.HeaderContentLength, strconv.Itoa(len(gz)))
		res.WriteHeader(status)
		_, err := res.Write(gz)
		return err
	}
	h.Set(echo.HeaderContentLength, strconv.Itoa(p.size()))
	res.WriteHeader(status)
	if _, err := res.Write(p.head); err != nil {
		return err
	}
	if p.part != nil {
		if _, err := res.Write(p.part.html); err != nil {
			return err
		}
	}
	_, err := res.Write(p.tail)
	return err
}
