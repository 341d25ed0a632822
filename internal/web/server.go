// Package web is the HTTP side of vendorcompare: an echo v4 server with its
// middleware, one error handler that maps domain errors to statuses, and one
// handler file per resource.
package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"vendorcompare/internal/evaluation"
	"vendorcompare/internal/web/api"
	"vendorcompare/internal/web/edge"
)

// Defaults of Config.
const (
	DefaultAddr              = "127.0.0.1:8080"
	DefaultBodyLimit         = 1 << 20 // 1 MiB: a large evaluation is ~100 KiB
	DefaultReadHeaderTimeout = 5 * time.Second
	DefaultReadTimeout       = 30 * time.Second
	DefaultWriteTimeout      = 60 * time.Second
	DefaultIdleTimeout       = 120 * time.Second
	DefaultHandlerTimeout    = 30 * time.Second // below WriteTimeout, so the client hears the 503
)

// Config holds the server's settings. Zero fields take the defaults above.
type Config struct {
	// Addr is the address Start listens on when given no listener.
	Addr string
	// BodyLimit is the largest request body in bytes; more is a 413.
	BodyLimit int64

	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	WriteTimeout      time.Duration
	IdleTimeout       time.Duration
	// HandlerTimeout bounds the context every handler runs with.
	HandlerTimeout time.Duration
	// MaxComparisons is how many comparisons run at once (default
	// GOMAXPROCS); more wait for a slot until their context ends. A
	// comparison is CPU-bound and a fine break-even range can take a lot of
	// memory, so the bound keeps a burst from exhausting either.
	MaxComparisons int

	// TLSCertFile and TLSKeyFile, when set, make Start serve HTTPS with
	// this certificate and key; cookies are then marked Secure.
	TLSCertFile, TLSKeyFile string
	// CacheBytes is the memory every cached comparison and dashboard
	// shares (default evaluation.DefaultCacheBytes), measured by their
	// in-memory size; the least recently used go first. Negative keeps
	// nothing (the cold benchmarks).
	CacheBytes int64
	// MemoryProbe registers GET /admin/debug/memory (admins only): the
	// heap after a garbage collection and the cache's bytes, for the load
	// run's memory figures. Off unless asked for.
	MemoryProbe bool
	// HSTSIncludeSubdomains adds includeSubDomains to the
	// Strict-Transport-Security header sent over TLS: only for a host
	// whose every subdomain serves HTTPS, so it is asked for, never assumed.
	HSTSIncludeSubdomains bool
	// SessionIdleTimeout ends a browser session after this long without a
	// request; SessionLifetime ends it this long after sign-in.
	SessionIdleTimeout, SessionLifetime time.Duration
	// LoginFailures failed sign-ins from one client address within
	// LoginWindow make it wait (429) until the oldest leaves the window.
	LoginFailures int
	LoginWindow   time.Duration
	// PasswordChecks is how many argon2id hashes (sign-ins, the setup
	// link) run at once, default GOMAXPROCS: each holds 19 MiB and a core.
	PasswordChecks int
}

// withDefaults returns c with every zero field set to its default.
func (c Config) withDefaults() Config {
	set := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if c.Addr == "" {
		c.Addr = DefaultAddr
	}
	if c.BodyLimit <= 0 {
		c.BodyLimit = DefaultBodyLimit
	}
	set(&c.ReadHeaderTimeout, DefaultReadHeaderTimeout)
	set(&c.ReadTimeout, DefaultReadTimeout)
	set(&c.WriteTimeout, DefaultWriteTimeout)
	set(&c.IdleTimeout, DefaultIdleTimeout)
	set(&c.HandlerTimeout, DefaultHandlerTimeout)
	if c.MaxComparisons <= 0 {
		c.MaxComparisons = runtime.GOMAXPROCS(0)
	}
	set(&c.SessionIdleTimeout, DefaultSessionIdleTimeout)
	set(&c.SessionLifetime, DefaultSessionLifetime)
	if c.LoginFailures <= 0 {
		c.LoginFailures = DefaultLoginFailures
	}
	set(&c.LoginWindow, DefaultLoginWindow)
	if c.CacheBytes == 0 {
		c.CacheBytes = evaluation.DefaultCacheBytes
	}
	if c.PasswordChecks <= 0 {
		c.PasswordChecks = runtime.GOMAXPROCS(0)
	}
	return c
}

// Deps are the collaborators the server needs. Each later feature that needs
// storage declares here the small interface it uses (for example the
// evaluations it lists and saves), implemented by internal/store and wired
// in cmd/vendorcompare; routes() registers a feature's routes only when its
// dependency is set, so the stateless compare API runs without a database.
type Deps struct {
	// Logger receives request logs and unexpected errors; nil discards them.
	Logger *slog.Logger
	// Store keeps evaluations (internal/store); nil serves only the
	// stateless routes (/healthz, POST /api/v1/compare).
	Store Store
	// Accounts keeps users, sessions and API tokens (internal/store). With
	// a Store every route but /healthz, static files, /login and /setup
	// needs a signed-in user or an API token; nil takes the Store when it
	// implements Accounts. Without a Store the server keeps nothing and
	// its stateless routes stay open.
	Accounts Accounts
}

// Store is what the pages and the API need from storage (edge.Store).
type Store = edge.Store

// Server is the vendorcompare HTTP server.
type Server struct {
	cfg  Config
	deps Deps
	log  *slog.Logger
	echo *echo.Echo
	http *http.Server
	// eval loads, costs and presents evaluations (internal/evaluation):
	// the comparison slots and the one value cache.
	eval *evaluation.Service
	// accounts signs users in and guards every route (auth.go); nil
	// without a Store.
	accounts *accounts
	// table is every route (routes.go); access is who may call each, by
	// "METHOD /path".
	table  []route
	access map[string]access
	// openAPIDoc is the description of table's API routes, built once.
	openAPIDoc struct {
		once sync.Once
		body []byte
		err  error
	}
}

// New builds the server: echo with its middleware, error handler and routes,
// wrapped in an http.Server with timeouts (echo.New sets none).
func New(cfg Config, deps Deps) *Server {
	cfg = cfg.withDefaults()
	logger := deps.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	var st evaluation.Store
	if deps.Store != nil {
		st = deps.Store
	}
	s := &Server{cfg: cfg, deps: deps, log: logger,
		eval: evaluation.New(st, evaluation.Config{MaxComparisons: cfg.MaxComparisons, CacheBytes: cfg.CacheBytes})}

	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	// Trust the socket's address only: X-Forwarded-For is set by anyone.
	e.IPExtractor = echo.ExtractIPDirect()
	e.HTTPErrorHandler = s.handleError
	e.Logger.SetOutput(io.Discard) // everything is logged through slog
	s.echo = e

	e.Use(
		requestID,
		securityHeaders,
		hsts(cfg.HSTSIncludeSubdomains),
		compress, // outside logRequests, which writes the error answers
		s.logRequests,
		middleware.RecoverWithConfig(middleware.RecoverConfig{
			DisableStackAll: true,
			LogErrorFunc:    recovered,
		}),
		middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{
			Skipper: ownBodyLimit, // spreadsheet uploads: uploadBodyLimit, next
			Limit:   fmt.Sprintf("%dB", cfg.BodyLimit),
		}),
		uploadBodyLimit, // middleware.go: before anything reads the form (the CSRF check)
		middleware.ContextTimeoutWithConfig(middleware.ContextTimeoutConfig{
			Timeout:      cfg.HandlerTimeout,
			ErrorHandler: timedOut,
		}),
	)
	s.routes()

	s.http = &http.Server{
		Addr:              cfg.Addr,
		Handler:           e,
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	return s
}

// timedOut turns a handler's expired context into a 503 the client can act
// on; other errors pass unchanged.
func timedOut(err error, _ echo.Context) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return echo.NewHTTPError(http.StatusServiceUnavailable, "the server is busy or the request took too long; try again").WithInternal(err)
	}
	return err
}

// routes registers the route table (routes.go). With a store it turns on
// accounts: the session and guard middleware on every route (auth.go).
// It panics when the store keeps no accounts, since the server would
// otherwise serve stored evaluations to anyone.
func (s *Server) routes() {
	if s.deps.Store != nil {
		st := s.deps.Accounts
		if st == nil {
			var ok bool
			if st, ok = s.deps.Store.(Accounts); !ok {
				panic("web: a server with a Store needs Deps.Accounts")
			}
		}
		s.accounts = newAccounts(s.cfg, st)
		s.echo.Validator = api.NewValidator()
	}
	u := mustUI(s)
	if s.accounts != nil {
		s.accounts.ui = u
	}
	s.table = s.routeTable(u)
	s.access = accessOf(s.table)
	s.register(s.table, u)
	if s.accounts != nil {
		s.echo.Use(s.accounts.middleware(s)...)
	}
}

// Handler returns the server's HTTP handler with all middleware, for tests
// (httptest.NewServer) and for embedding.
func (s *Server) Handler() http.Handler { return s.echo }

// Start serves HTTP on ln, or on Config.Addr when ln is nil, until Shutdown.
// It returns nil after a clean Shutdown.
func (s *Server) Start(ln net.Listener) error {
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", s.cfg.Addr); err != nil {
			return fmt.Errorf("listen on %s: %w", s.cfg.Addr, err)
		}
	}
	serve := s.http.Serve
	if s.cfg.TLSCertFile != "" {
		serve = func(ln net.Listener) error { return s.http.ServeTLS(ln, s.cfg.TLSCertFile, s.cfg.TLSKeyFile) }
	}
	if err := serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// Shutdown stops accepting connections and waits for in-flight requests to
// finish, or for ctx to end.
func (s *Server) Shutdown(ctx context.Context) error {
	if s.accounts != nil {
		defer s.accounts.closeStore()
	}
	if err := s.http.Shutdown(ctx); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	return nil
}

// ParseBreakEvenMax reads the break_even_max setting (edge.BreakEvenMax),
// for the CLI.
var ParseBreakEvenMax = edge.BreakEvenMax
