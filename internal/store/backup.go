package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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
	if err := os.MkdirAll(filepath.Dir(abs), 0o750); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	// A dedicated connection of the reader pool: VACUUM INTO only reads
	// the source database.
	conn, err := s.reader.Conn(ctx)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `VACUUM INTO ?`, abs); err != nil {
		return fmt.Errorf("backup to %s: %w", abs, err)
	}
	return nil
}
