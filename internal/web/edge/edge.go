// Package edge is what the JSON API (web/api) and the pages (web/ui)
// both read from a request and answer with: the signed-in user, the
// record id in the path, the CSRF token, field problems (422) and the
// store they work on. Package web sets the user and serves both.
package edge

import (
	"bytes"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/shopspring/decimal"

	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
)

// Keys of the echo context.
const (
	// userKey holds the request's *store.User (set by web's guard).
	userKey = "vendorcompare.user"
	// viaTokenKey is set when the request was authenticated by an API
	// token rather than the session cookie.
	viaTokenKey = "vendorcompare.via_token"
)

// SetUser records the request's signed-in user.
func SetUser(c echo.Context, u *store.User) { c.Set(userKey, u) }

// SetViaToken records that an API token, not the session, vouched for the
// request's user.
func SetViaToken(c echo.Context) { c.Set(viaTokenKey, true) }

// User returns the signed-in user of the request, or nil.
func User(c echo.Context) *store.User {
	u, _ := c.Get(userKey).(*store.User)
	return u
}

// ViaToken reports whether the request was authenticated by an API token.
func ViaToken(c echo.Context) bool {
	v, _ := c.Get(viaTokenKey).(bool)
	return v
}

// Actor names who makes a change, for the audit log: the signed-in user
// or the API token's user, by e-mail address. Every route that changes
// stored data requires one, so the fallback "api" is never recorded; no
// header lets a client name someone else.
func Actor(c echo.Context) string {
	if u := User(c); u != nil {
		return u.Email
	}
	return "api"
}

// SeesAccountAudit reports whether the request's user may read the audit
// entries of users and tokens: admins only. Without accounts (no user at
// all) there are none to read.
func SeesAccountAudit(c echo.Context) bool {
	u := User(c)
	return u != nil && u.Role == store.RoleAdmin
}

// CSRFToken is the request's CSRF token (web's csrf middleware).
func CSRFToken(c echo.Context) string {
	t, _ := c.Get(middleware.DefaultCSRFConfig.ContextKey).(string)
	return t
}

// ID reads the numeric id in the path parameter name. An id that is not a
// positive integer names nothing: 404, as an unknown id does.
func ID(c echo.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, store.ErrNotFound
	}
	return id, nil
}

// Error is every problem with a request's body, query or form at its path
// (422), worded as the request's rather than a document's.
type Error struct{ Fields tco.Errors }

func (e *Error) Error() string { return "bad request: " + e.Fields.Error() }

// Unwrap gives the field problems to errors.As(err, &tco.Errors{}).
func (e *Error) Unwrap() error { return e.Fields }

// Problem is an Error naming one field.
func Problem(path, msg string) error {
	return &Error{Fields: tco.Errors{{Path: path, Message: msg}}}
}

// Fields wraps field problems of a request in an Error; other errors
// pass.
func Fields(err error) error {
	var fe tco.Errors
	if errors.As(err, &fe) {
		return &Error{Fields: fe}
	}
	return err
}

// Join joins the field problems of several query parameters, so that one
// 422 names them all; an error that is not field problems is returned as
// it is.
func Join(errs ...error) error {
	var all tco.Errors
	for _, err := range errs {
		var fe tco.Errors
		switch {
		case err == nil:
		case errors.As(err, &fe):
			all = append(all, fe...)
		default:
			return err
		}
	}
	return &Error{Fields: all}
}

// RequireJSON rejects a request body that is not declared as UTF-8 JSON
// with 415, before reading it.
func RequireJSON(r *http.Request) error {
	mt, params, err := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
	if err != nil || (mt != echo.MIMEApplicationJSON && !strings.HasSuffix(mt, "+json")) {
		return echo.NewHTTPError(http.StatusUnsupportedMediaType, "Content-Type must be application/json")
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return echo.NewHTTPError(http.StatusUnsupportedMediaType, "the document must be UTF-8 JSON")
	}
	return nil
}

// ReadJSON is a JSON request's body: 415 unless it is declared UTF-8 JSON
// (RequireJSON), 413 past the body limit, 400 when it cannot be read.
func ReadJSON(r *http.Request) ([]byte, error) {
	if err := RequireJSON(r); err != nil {
		return nil, err
	}
	// Read into a buffer of the declared length (at most 64 KiB ahead, so
	// that a false Content-Length reserves little): io.ReadAll's growing
	// from 512 bytes was a tenth of a cached POST /compare's CPU
	// (BenchmarkComparePostedCached, BENCHMARKS.md issue 13).
	buf := bytes.NewBuffer(make([]byte, 0, min(max(r.ContentLength, 0), 64<<10)+bytes.MinRead))
	_, err := buf.ReadFrom(r.Body)
	data := buf.Bytes()
	if err != nil {
		var herr *echo.HTTPError
		if errors.As(err, &herr) { // 413 from the body limit
			return nil, herr
		}
		return nil, echo.NewHTTPError(http.StatusBadRequest, "could not read the request body").WithInternal(err)
	}
	return data, nil
}

// BreakEvenMax reads the break_even_max setting (the top of the
// break-even volume range): empty means the engine's default (nil), else a
// plain decimal number ≥ 0 such as "60000" or "4416.5". A bad value is a
// tco.Errors on the path "break_even_max", so the API answers 422 like any
// other field problem. Exponents are refused: "1e999999" would ask the
// engine for an absurd range.
func BreakEvenMax(s string) (*decimal.Decimal, error) {
	if s == "" {
		return nil, nil
	}
	if !plainNumber(s) {
		return nil, tco.Errors{{Path: "break_even_max", Message: "must be a number ≥ 0, such as 60000"}}
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return nil, tco.Errors{{Path: "break_even_max", Message: "must be a number ≥ 0, such as 60000"}}
	}
	return &d, nil
}

// plainNumber reports whether s is digits with at most one decimal point,
// at most 30 characters.
func plainNumber(s string) bool {
	if len(s) > 30 {
		return false
	}
	digits, dots := 0, 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '.':
			dots++
		default:
			return false
		}
	}
	return digits > 0 && dots <= 1
}

// RoundSelection reads ?rounds=OPTION:ROUND,… (option and round ids): the
// rounds to cost instead of those options' latest. Empty selects none.
func RoundSelection(q string) (store.RoundSelection, error) {
	if q == "" {
		return nil, nil
	}
	bad := Problem("rounds", "must be OPTION:ROUND pairs of ids separated by commas, such as 12:40,13:44")
	sel := store.RoundSelection{}
	for _, pair := range strings.Split(q, ",") {
		o, r, ok := strings.Cut(strings.TrimSpace(pair), ":")
		oid, oerr := strconv.ParseInt(o, 10, 64)
		rid, rerr := strconv.ParseInt(r, 10, 64)
		if !ok || oerr != nil || rerr != nil || oid <= 0 || rid <= 0 || len(sel) >= 100 {
			return nil, bad
		}
		sel[oid] = rid
	}
	return sel, nil
}

// AcceptsGzip reports whether an Accept-Encoding header value allows gzip
// (RFC 9110 §12.5.3): "gzip" or "*" listed without q=0. "gzip;q=0", or
// "*" when gzip itself has q=0, refuses it.
func AcceptsGzip(header string) bool {
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

// LocalPath returns next when it is a path on this site ("/evaluations/3"),
// else "/": an open redirect to another site after login is refused.
func LocalPath(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsAny(next, "\r\n\t\\") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	if u.Path == "/login" || u.Path == "/logout" || u.Path == "/setup" || u.Path == "/reset-password" {
		return "/"
	}
	return next
}

// ErrPasswordBusy is a password check or hash that found every argon2id
// slot busy for too long: nothing was checked (web's argonGate).
var ErrPasswordBusy = errors.New("every password check slot is busy")
