package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"vendorcompare/internal/store"
)

// mode returns path's permission bits.
func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

// TestFileModes (issue 12, defect 7): the data folder is 0700 and the
// database, its -wal and -shm files and backups 0600 (they hold password
// and token hashes and confidential quotes), whatever the umask; files an
// older build left world-readable are corrected when the store opens.
func TestFileModes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	db := filepath.Join(dir, store.FileName)
	check := func(when string) {
		t.Helper()
		if m := mode(t, dir); m != 0o700 {
			t.Errorf("%s: data folder %v, want 0700", when, m)
		}
		for _, f := range []string{db, db + "-wal", db + "-shm"} {
			if m := mode(t, f); m != 0o600 {
				t.Errorf("%s: %s %v, want 0600", when, filepath.Base(f), m)
			}
		}
	}
	st, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.LoadDemo(ctx, "../../data"); err != nil {
		t.Fatal(err)
	}
	check("new database")
	backup := filepath.Join(t.TempDir(), "backups", "nightly.db")
	if err := st.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	if m := mode(t, backup); m != 0o600 {
		t.Errorf("backup %v, want 0600", m)
	}
	if m := mode(t, filepath.Dir(backup)); m != 0o700 {
		t.Errorf("new backup folder %v, want 0700", m)
	}
	if err := st.Backup(ctx, backup); err == nil {
		t.Error("a second backup overwrote the first")
	}

	// As an older build left them, the server still running (its -wal and
	// -shm in place): corrected by the next open.
	for _, f := range []string{db, db + "-wal", db + "-shm"} {
		if err := os.Chmod(f, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	st2, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	check("reopened")
	st2.Close()
	st.Close()
}
