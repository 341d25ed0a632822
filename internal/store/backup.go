package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Backup writes a consistent copy of the database to file with VACUUM INTO,
// while the server keeps running (it reads one snapshot; writers are not
// blocked in WAL mode). It refuses to overwrite an existing file.
//
// To restore: stop the server, move vendorcompare.db and any
// vendorcompare.db-wal and vendorcompare.db-shm out of the data directory,
// copy the backup in as vendorcompare.db, and start the server.
func (s *Store) Backup(ctx context.Context, file string) error {
	abs, err := filepath.Abs(file)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if _, err := os.Stat(abs); err == nil {
		return conflict(fmt.Sprintf("backup: %s exists; refusing to overwrite it", abs), nil)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), dirMode); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	// The copy is made private before a byte is in it: VACUUM INTO writes
	// into an empty file, and would create a missing one 0644.
	f, err := os.OpenFile(abs, os.O_RDWR|os.O_CREATE|os.O_EXCL, fileMode)
	if errors.Is(err, fs.ErrExist) {
		return conflict(fmt.Sprintf("backup: %s exists; refusing to overwrite it", abs), nil)
	} else if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	done := false
	defer func() {
		if !done {
			os.Remove(abs) // nothing half-written left behind
		}
	}()
	// A connection of its own: the reader pool is query_only, which SQLite
	// applies to VACUUM INTO's output too, and the writer must stay free.
	// VACUUM INTO only reads the source, in one snapshot.
	db, err := sql.Open("sqlite", s.dsn)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, abs); err != nil {
		return fmt.Errorf("backup to %s: %w", abs, err)
	}
	if err := os.Chmod(abs, fileMode); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	done = true
	return nil
}

// Check runs PRAGMA integrity_check and returns an error unless SQLite
// answers ok.
func (s *Store) Check(ctx context.Context) error {
	rows, err := s.reader.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return fmt.Errorf("integrity check: %w", err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("integrity check: %s", strings.Join(problems, "; "))
	}
	return nil
}
