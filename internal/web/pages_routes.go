package web

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

// pageRoutes registers the static files and, when st is not nil, the pages.
// Every page route runs with the CSRF check and renders its errors as an
// HTML page; add a page's routes to the list below.
//
// The embedded templates and files are part of the binary, so a template
// that does not parse is a programming error: it panics at start-up, and
// the tests catch it first.
func (s *Server) pageRoutes(st Store) {
	u, err := newUI(s, st)
	if err != nil {
		panic(fmt.Sprintf("web: %v", err))
	}
	s.echo.Match([]string{http.MethodGet, http.MethodHead}, "/static/*", u.static)
	// browsers ask for /favicon.ico when a page (a JSON error) names none
	if icon, ok := u.assets.URL("img/favicon.svg"); ok {
		s.echo.GET("/favicon.ico", func(c echo.Context) error { return c.Redirect(http.StatusMovedPermanently, icon) })
	}
	if st == nil {
		return
	}
	mw := []echo.MiddlewareFunc{csrf(), u.pageErrors}
	get := func(p string, h echo.HandlerFunc) {
		s.echo.Match([]string{http.MethodGet, http.MethodHead}, p, h, mw...)
	}
	post := func(p string, h echo.HandlerFunc) { s.echo.POST(p, h, mw...) }

	get("/", u.listEvaluations)
	post("/evaluations", u.createEvaluation)
	post("/evaluations/copy", u.copyEvaluation)
	post("/evaluations/import", u.importEvaluation)
	get("/evaluations/:id", u.dashboard)
	get("/evaluations/:id/print", u.print)
	get("/evaluations/:id/options/:option/monthly", u.monthly)
	u.workspaceRoutes(get, post) // pages_workspace.go
	u.bidPageRoutes(get, post)   // pages_sheets.go: bid form, bid upload, exports
}

// static serves an embedded file. Under its hashed name (the only name
// pages link) it may be cached for a year; under its plain name (module
// scripts import each other by it) it is revalidated by ETag.
func (u *ui) static(c echo.Context) error {
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
