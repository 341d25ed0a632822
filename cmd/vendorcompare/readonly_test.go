package main

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"vendorcompare/internal/store"
)

// fsImmutableFL is FS_IMMUTABLE_FL of linux/fs.h, which x/sys/unix does
// not name.
const fsImmutableFL = 0x00000010

// setImmutable sets or clears a file's immutable attribute (chattr +i):
// then nobody, root included, may write to it, which is what a disk
// remounted read-only under a running server looks like to it. Tests run
// as root here, so file permissions could not show that.
func setImmutable(path string, on bool) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	flags, err := unix.IoctlGetInt(int(f.Fd()), unix.FS_IOC_GETFLAGS)
	if err != nil {
		return err
	}
	if on {
		flags |= fsImmutableFL
	} else {
		flags &^= fsImmutableFL
	}
	return unix.IoctlSetPointerInt(int(f.Fd()), unix.FS_IOC_SETFLAGS, flags)
}

// TestReadOnlyDiskAnswers503: the running server's database files become
// unwritable (immutable) after some saves. Every write is then answered
// 503 with Retry-After, a plain message and the request id, reads keep
// working, nothing acknowledged is lost and nothing refused is saved; once
// the files are writable again, writes are acknowledged again.
func TestReadOnlyDiskAnswers503(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts a child server")
	}
	dir := demoDir(t)
	tok := newToken(t, dir, "ro@example.com", "editor")
	srv := startChild(t, dir, "VENDORCOMPARE_LOG_LEVEL=warn")
	defer srv.Stop()
	c := &apiClient{base: srv.URL, token: tok, http: &http.Client{Timeout: 20 * time.Second}}

	post := func(name string) (int, http.Header, []byte) {
		t.Helper()
		code, h, body, err := c.do("POST", "/api/v1/vendors", vendorBody(name))
		if err != nil {
			t.Fatal(err)
		}
		return code, h, body
	}
	saved := map[string]bool{}
	for i := range 5 {
		name := fmt.Sprintf("Before read-only %d", i)
		if code, _, body := post(name); code != http.StatusCreated {
			t.Fatalf("POST before: %d %s", code, body)
		}
		saved[name] = true
	}

	db := filepath.Join(dir, store.FileName)
	files := []string{db, db + "-wal"}
	for _, f := range files {
		if err := setImmutable(f, true); err != nil {
			if errors.Is(err, unix.ENOTTY) || errors.Is(err, unix.EOPNOTSUPP) {
				t.Skipf("this file system has no immutable attribute (%v)", err)
			}
			t.Fatalf("make %s immutable: %v", f, err)
		}
	}
	writable := func() {
		for _, f := range files {
			// A clean stop checkpoints and removes the WAL.
			if err := setImmutable(f, false); err != nil && !errors.Is(err, os.ErrNotExist) {
				t.Errorf("make %s writable: %v", f, err)
			}
		}
	}
	defer writable() // t.TempDir's clean-up must be able to delete them

	var refused []string
	for i := range 5 {
		name := fmt.Sprintf("While read-only %d", i)
		code, h, body := post(name)
		if code != http.StatusServiceUnavailable {
			t.Fatalf("POST on a read-only disk: %d %s, want 503", code, body)
		}
		check503(t, h, body)
		refused = append(refused, name)
	}
	for _, path := range []string{"/api/v1/vendors?limit=100", "/api/v1/evaluations/1/comparison", "/healthz"} {
		if code, _, body, err := c.do("GET", path, nil); err != nil || code != http.StatusOK {
			t.Errorf("GET %s on a read-only disk: %d %.200s %v", path, code, body, err)
		}
	}

	writable()
	name := "After read-only"
	if code, _, body := post(name); code != http.StatusCreated {
		t.Fatalf("POST once writable again: %d %s", code, body)
	}
	saved[name] = true
	if err := srv.Stop(); err != nil {
		t.Errorf("stop: %v", err)
	}

	keptNotRefused(t, dir, saved, refused)
	t.Logf("%d writes acknowledged, %d refused with 503 while read-only, all acknowledged kept", len(saved), len(refused))
}
