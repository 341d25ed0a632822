package web

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"vendorcompare/internal/store"
	"vendorcompare/internal/web/edge"
)

// securityHeaders sets the headers every response carries, errors included.
// The CSP allows only this origin: pages have no inline script or style.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy",
			"default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		return next(c)
	}
}

// hsts tells browsers to reach the server over HTTPS only, for a year
// (RFC 6797), on every answer given over TLS: a cookie or a price list is
// then never sent in clear by a mistyped http:// link. Over plain HTTP
// the header would be ignored, so it is not sent.
func hsts(includeSubdomains bool) echo.MiddlewareFunc {
	value := "max-age=31536000"
	if includeSubdomains {
		value += "; includeSubDomains"
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if c.IsTLS() {
				c.Response().Header().Set("Strict-Transport-Security", value)
			}
			return next(c)
		}
	}
}

// requestID gives every request an id, echoed in the X-Request-ID response
// header, logged with the request and shown in 500 messages. A client's own
// X-Request-ID is kept when it is short and plain, so ids can be followed
// across services without letting arbitrary text into the logs.
func requestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Request().Header.Get(echo.HeaderXRequestID)
		if !plainID(id) {
			id = newRequestID()
		}
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		return next(c)
	}
}

// plainID reports whether id is 1..64 characters of [A-Za-z0-9._-].
func plainID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
		default:
			return false
		}
	}
	return true
}

// newRequestID returns 16 random bytes in hex.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go ≥ 1.24)
	return hex.EncodeToString(b[:])
}

// requestIDOf returns the id requestID gave the request.
func requestIDOf(c echo.Context) string {
	return c.Response().Header().Get(echo.HeaderXRequestID)
}

// logRequests logs one line per request with its status and duration. It
// hands an error to the error handler itself, so that the logged status is
// the one sent.
func (s *Server) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		if err := next(c); err != nil {
			c.Error(err)
		}
		req := c.Request()
		s.log.LogAttrs(req.Context(), slog.LevelInfo, "request",
			slog.String("method", req.Method),
			slog.String("path", req.URL.Path),
			slog.Int("status", c.Response().Status),
			slog.Int64("bytes", c.Response().Size),
			slog.Duration("duration", time.Since(start)),
			slog.String("remote_ip", c.RealIP()),
			slog.String("request_id", requestIDOf(c)),
		)
		return nil
	}
}

// panicError is a recovered panic with the stack where it happened, for the
// error handler's log.
type panicError struct {
	err   error
	stack []byte
}

func (p *panicError) Error() string { return fmt.Sprintf("panic: %v", p.err) }
func (p *panicError) Unwrap() error { return p.err }

// recovered is the Recover middleware's hook: it keeps the stack with the
// error so that the error handler logs both once, with the request id.
func recovered(_ echo.Context, err error, stack []byte) error {
	return &panicError{err: err, stack: stack}
}

// The routes that take a spreadsheet upload. They have their own body
// limit (edge.UploadLimit): the server-wide one (Config.BodyLimit) skips them.
const (
	bidsAPIPath  = "/api/v1/evaluations/:id/bids"
	bidsPagePath = "/evaluations/:id/bids"
)

// ownBodyLimit reports whether the request's route is an upload with its
// own body limit. It is the Skipper of the server-wide BodyLimit
// middleware, which runs after routing, so c.Path() is the route's pattern.
func ownBodyLimit(c echo.Context) bool {
	switch c.Path() {
	case bidsAPIPath, bidsPagePath:
		return true
	}
	return false
}

// uploadBodyLimit is the body limit of the upload routes (ownBodyLimit),
// server-wide middleware right after BodyLimit so that it holds before
// anything reads the form, the CSRF check of the sign-in guard included: a
// declared length over edge.UploadLimit is refused at once, and a longer body
// than declared stops being read at the limit. Other routes pass.
func uploadBodyLimit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !ownBodyLimit(c) {
			return next(c)
		}
		req := c.Request()
		if req.ContentLength > edge.UploadLimit {
			return edge.TooLarge()
		}
		req.Body = http.MaxBytesReader(c.Response(), req.Body, edge.UploadLimit)
		return next(c)
	}
}

// noStore marks a response as not to be stored by any cache: the JSON
// API's (quotes are confidential).
func noStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
		return next(c)
	}
}

// csrf returns the CSRF middleware of the pages: the token travels in the
// form field _csrf or the X-CSRF-Token header and in a cookie that is
// SameSite=Strict, HttpOnly, and Secure when the request came over TLS.
// Browsers that send Sec-Fetch-Site are checked by it instead (echo's
// middleware); the token still guards the others.
func csrf() echo.MiddlewareFunc {
	conf := middleware.CSRFConfig{
		TokenLookup:    "form:_csrf,header:" + echo.HeaderXCSRFToken,
		CookieName:     "_csrf",
		CookiePath:     "/",
		CookieHTTPOnly: true,
		CookieSameSite: http.SameSiteStrictMode,
		// A missing token is a refusal like a wrong one (echo answers 400).
		ErrorHandler: func(err error, _ echo.Context) error {
			return echo.NewHTTPError(http.StatusForbidden,
				"the request carried no valid CSRF token (an expired form, or another site); reload the page and try again").WithInternal(err)
		},
	}
	plain := middleware.CSRFWithConfig(conf)
	conf.CookieSecure = true
	secure := middleware.CSRFWithConfig(conf)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		p, s := plain(next), secure(next)
		return func(c echo.Context) error {
			if c.IsTLS() {
				return s(c)
			}
			return p(c)
		}
	}
}

// confirmParam reads ?confirm= on an API request: 1 (or true) puts the
// user's confirmation in the request's context for the store; anything
// else but nothing is a 422, so a typo never saves unconfirmed values
// silently nor confirms them by accident.
func confirmParam(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		switch c.QueryParam("confirm") {
		case "":
		case "1", "true":
			req := c.Request()
			c.SetRequest(req.WithContext(store.Confirmed(req.Context())))
		default:
			return edge.Problem("confirm", "must be 1 to save values that look implausible as they are")
		}
		return next(c)
	}
}
