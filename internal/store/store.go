// Package store keeps evaluations in SQLite: the evaluation settings, options,
// cost lines, vendor pricing and tiers, criteria and scores of the engine's
// document (internal/tco), a vendor directory shared by all evaluations, quote
// rounds (every revision of a vendor's quote kept as a full snapshot) and an
// audit log of every change.
//
// Every mutable record carries a version; an update or delete that names a
// stale version fails with ErrConflict and changes nothing. Every save is
// atomic with its audit row (one transaction, or one savepoint of the
// transaction of a batch of saves, see writeQueue) and acknowledged only once
// committed, and a save that would make the evaluation's document invalid
// fails with ErrInvalid (with the engine's field paths) and writes nothing.
//
// SQLite is opened once as two pools on one file (../shared/docs/stack.md): a
// one-connection writer with immediate transactions, used by every write and
// every read-then-write transaction, so writers queue in Go (writeQueue)
// instead of failing with SQLITE_BUSY; and a read-only pool for plain reads,
// which WAL lets run beside the writer.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync/atomic"
	"time"

	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // the pure-Go driver, registered as "sqlite"
)

// FileName is the database file inside the data directory.
const FileName = "vendorcompare.db"

//go:embed migrations/*.sql
var migrations embed.FS

// Store is the SQLite store. It is safe for concurrent use.
type Store struct {
	path   string
	dsn    string  // file URI with the common pragmas, for Backup
	writer *sql.DB // one connection, BEGIN IMMEDIATE
	reader *sql.DB // query_only
	now    func() time.Time
	// Prepared statements of the document loader on the reader pool.
	readerStmts *stmtCache
	// writerStmts are the same statements on the writer's one connection,
	// prepared at Open before any transaction holds it: every save
	// validates the evaluation's document before and after its change
	// (guard), two document loads inside the write lock.
	writerStmts *stmtCache
	// commits counts this process's committed writes (fingerprint.go).
	commits atomic.Uint64
	// queue runs the writes, in arrival order and in batches
	// (writequeue.go).
	queue writeQueue
	// wtx is the write transaction running: set, read and cleared only by
	// the batch's leader, while it runs the batch.
	wtx *writeTx
	// guards remembers, per evaluation, the problems of the state this
	// process last committed (guardcache.go).
	guards guardCache
	// tokens keeps API tokens' users until the next commit (tokenusers.go).
	tokens tokenUsers
}

// OpenOption configures Open.
type OpenOption func(*config)

type config struct {
	now     func() time.Time
	readers int
}

// WithClock sets the clock used for audit and record times (default
// time.Now). Tests inject a fixed clock.
func WithClock(now func() time.Time) OpenOption { return func(c *config) { c.now = now } }

// WithReaders sets the size of the read-only pool (default
// max(4, GOMAXPROCS)).
func WithReaders(n int) OpenOption { return func(c *config) { c.readers = n } }

// Open creates dir if needed, opens dir/vendorcompare.db with the writer and
// reader pools and applies the embedded migrations that are not applied yet.
func Open(ctx context.Context, dir string, opts ...OpenOption) (*Store, error) {
	cfg := config{now: time.Now, readers: max(4, runtime.GOMAXPROCS(0))}
	for _, o := range opts {
		o(&cfg)
	}
	path := filepath.Join(dir, FileName)
	if err := private(dir, path); err != nil {
		return nil, err
	}
	s, err := openFile(ctx, path, cfg)
	if err != nil {
		return nil, err
	}
	// Switching to WAL at open made the -wal and -shm files: SQLite gives
	// them the database's mode, but one left by an older build keeps its own.
	if err := chmodExisting(0o600, path+"-wal", path+"-shm"); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	// After the migrations: the statements name their tables.
	if s.readerStmts, err = prepareStmts(ctx, s.reader, slices.Concat(docQueries, recordQueries)); err != nil {
		s.Close()
		return nil, err
	}
	if s.writerStmts, err = prepareStmts(ctx, s.writer, slices.Concat(docQueries, recordQueries, writeQueries)); err != nil {
		s.Close()
		return nil, err
	}
	s.openTokenUsers(ctx)
	return s, nil
}

// The data folder and the database files hold password and token hashes
// and confidential quotes: only the server's own user may read them. The
// folder is 0700 and the database, its -wal and -shm files and backups are
// 0600, whatever the umask; older builds left them 0755/0644, so existing
// ones are corrected at every open.
const (
	dirMode  = 0o700
	fileMode = 0o600
)

// private creates dir and an empty database file at path (SQLite takes an
// empty file as a new database) with their private modes, or corrects the
// modes of existing ones and of the -wal and -shm files beside path.
func private(dir, path string) error {
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return fmt.Errorf("create data directory: %w", err)
	}
	if err := os.Chmod(dir, dirMode); err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, fileMode)
	switch {
	case err == nil:
		if err := f.Close(); err != nil {
			return fmt.Errorf("create %s: %w", path, err)
		}
	case !errors.Is(err, fs.ErrExist):
		return fmt.Errorf("create %s: %w", path, err)
	}
	return chmodExisting(fileMode, path, path+"-wal", path+"-shm")
}

// chmodExisting sets mode on each of files that exists.
func chmodExisting(mode os.FileMode, files ...string) error {
	for _, f := range files {
		if err := os.Chmod(f, mode); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("make %s private: %w", f, err)
		}
	}
	return nil
}

// openFile opens the two pools on path.
func openFile(ctx context.Context, path string, cfg config) (*Store, error) {
	// The file: URI form needs the path escaped, spaces and '?' included.
	u := (&url.URL{Scheme: "file", Opaque: (&url.URL{Path: path}).EscapedPath()}).String()
	common := "_time_format=sqlite&_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)"
	writer, err := sql.Open("sqlite", u+"?"+common+"&_pragma=synchronous(FULL)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open writer: %w", err)
	}
	// One connection: writers wait their turn in database/sql, never in
	// SQLite's busy handler, and a read-then-write transaction holds the
	// write lock from BEGIN.
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	writer.SetConnMaxLifetime(0)
	writer.SetConnMaxIdleTime(0)
	// Create the file and switch it to WAL before readers open it.
	if err := writer.PingContext(ctx); err != nil {
		writer.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	reader, err := sql.Open("sqlite", u+"?"+common+"&_query_only=1")
	if err != nil {
		writer.Close()
		return nil, fmt.Errorf("open reader: %w", err)
	}
	reader.SetMaxOpenConns(cfg.readers)
	reader.SetMaxIdleConns(cfg.readers)
	reader.SetConnMaxIdleTime(0)
	reader.SetConnMaxLifetime(0)
	if err := reader.PingContext(ctx); err != nil {
		writer.Close()
		reader.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return &Store{path: path, dsn: u + "?" + common, writer: writer, reader: reader, now: cfg.now}, nil
}

// migrate applies the embedded migrations through goose, each in its own
// transaction.
func (s *Store) migrate(ctx context.Context) error {
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, s.writer, fsys)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("apply migrations: %w", err)
	}
	return nil
}

// Path returns the database file's path.
func (s *Store) Path() string { return s.path }

// Close closes both pools.
func (s *Store) Close() error {
	var err error
	if s.readerStmts != nil {
		err = s.readerStmts.close()
	}
	if s.writerStmts != nil {
		err = errors.Join(err, s.writerStmts.close())
	}
	return errors.Join(err, s.tokens.close(), s.reader.Close(), s.writer.Close())
}

// Ping checks that both pools answer (a readiness probe).
func (s *Store) Ping(ctx context.Context) error {
	if err := s.writer.PingContext(ctx); err != nil {
		return err
	}
	return s.reader.PingContext(ctx)
}

// pointRead is the context of a read of a few rows by key, which takes
// microseconds: one that cannot end, since watching the request's context
// costs a goroutine per query in database/sql and in the driver, more
// than the read itself.
func pointRead(ctx context.Context) context.Context { return context.WithoutCancel(ctx) }

// read runs fn in one read transaction on the reader pool, so the several
// queries of one load see one snapshot.
func (s *Store) read(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.reader.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin read: %w", err)
	}
	defer tx.Rollback()
	return fn(tx)
}

// timeFormat is fixed-width, so stored times sort as text.
const timeFormat = "2006-01-02T15:04:05.000000000Z"

func (s *Store) stamp() string { return s.now().UTC().Format(timeFormat) }

func parseTime(v string) time.Time {
	t, _ := time.Parse(timeFormat, v)
	return t
}

// queryer is what the loaders need: a transaction or a pool.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}
