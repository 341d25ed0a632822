package web

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
)

// encoded is a JSON answer kept ready to send, as is and gzipped: a
// comparison is ~10 KiB for two options and grows with every option and
// month, while its gzip is a seventh of that. Compressing once when the
// answer is made (and cached, comparecache.go) means a repeated request
// writes a seventh of the bytes for no compression work at all.
type encoded struct {
	json []byte
	gz   []byte // nil when not worth it (a small answer)
}

// gzipMin is the smallest answer worth compressing: below it the gzip
// header and a round of deflate cost more than the bytes they save.
const gzipMin = 1024

// newEncoded keeps body and, when large enough, its gzip (the same
// writer as pages, pagezip.go).
func newEncoded(body []byte) *encoded {
	e := &encoded{json: body}
	if len(body) < gzipMin {
		return e
	}
	var buf bytes.Buffer
	buf.Grow(len(body) / 6)
	if err := gzipPage(&buf, body, nil, nil); err != nil || buf.Len() >= len(body) {
		return e
	}
	e.gz = buf.Bytes()
	return e
}

// size is the memory the answer holds, for the cache's bound.
func (e *encoded) size() int64 { return int64(len(e.json) + len(e.gz)) }

// send writes the answer with status: gzipped when the client accepts it,
// with its Content-Length either way, and Vary: Accept-Encoding so that no
// cache mixes the two up.
func (e *encoded) send(c echo.Context, status int) error {
	h := c.Response().Header()
	h.Add(echo.HeaderVary, echo.HeaderAcceptEncoding)
	body := e.json
	if e.gz != nil && acceptsGzip(c.Request().Header.Get(echo.HeaderAcceptEncoding)) {
		h.Set(echo.HeaderContentEncoding, "gzip")
		body = e.gz
	}
	h.Set(echo.HeaderContentLength, strconv.Itoa(len(body)))
	return c.Blob(status, echo.MIMEApplicationJSON, body)
}

// acceptsGzip reports whether an Accept-Encoding header value allows gzip
// (RFC 9110 §12.5.3): "gzip" or "*" listed without q=0. "gzip;q=0", or
// "*" when gzip itself has q=0, refuses it.
func acceptsGzip(header string) bool {
	star, gz := false, -1 // gz: -1 unlisted, 0 refused, 1 accepted
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "gzip" && name != "x-gzip" && name != "*" {
			continue
		}
		ok := !zeroQ(params)
		switch {
		case name == "*":
			star = ok
		case ok:
			gz = 1
		default:
			gz = 0
		}
	}
	return gz == 1 || (gz == -1 && star)
}

// zeroQ reports whether a coding's parameters give it q=0 (q=0, q=0.0,
// q=0.000).
func zeroQ(params string) bool {
	for p := range strings.SplitSeq(params, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		return err == nil && q == 0
	}
	return false
}
