package ui

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"path"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
)

// Static serves an embedded file. Under its hashed name (the only name
// pages link) it may be cached for a year; under its plain name (module
// scripts import each other by it) it is revalidated by ETag.
func (u *Handlers) Static(c echo.Context) error {
	name, etag, immutable, ok := u.assets.Lookup(c.Param("*"))
	if !ok {
		return echo.NewHTTPError(http.StatusNotFound, "no such file")
	}
	f, err := u.assets.Open(name)
	if err != nil {
		return fmt.Errorf("open static %s: %w", name, err)
	}
	defer f.Close()
	rs, ok := f.(io.ReadSeeker)
	if !ok {
		return fmt.Errorf("static %s: not seekable", name)
	}
	h := c.Response().Header()
	if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		h.Set(echo.HeaderContentType, ct)
	}
	if path.Ext(name) == ".md" {
		h.Set(echo.HeaderContentType, "text/plain; charset=utf-8")
	}
	h.Set("ETag", strconv.Quote(etag))
	if immutable {
		h.Set(echo.HeaderCacheControl, "public, max-age=31536000, immutable")
	} else {
		h.Set(echo.HeaderCacheControl, "no-cache")
	}
	http.ServeContent(c.Response(), c.Request(), name, time.Time{}, rs)
	return nil
}
