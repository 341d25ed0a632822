package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"vendorcompare/internal/store"
)

// TestTokenChangesAtOnce: every change made through the store (role,
// disabled, revoked) is seen by the very next lookup of a token's user.
func TestTokenChangesAtOnce(t *testing.T) {
	t.Parallel()
	s := openStore(t)
	ctx := context.Background()
	ann, _ := s.CreateUser(ctx, "cli", "ann@example.com", store.RoleAdmin, hashOf)
	bob, _ := s.CreateUser(ctx, "cli", "bob@example.com", store.RoleViewer, hashOf)
	tok, err := s.CreateAPIToken(ctx, "bob@example.com", bob.ID, "script", "hash-b", "vcp_b", nil)
	if err != nil {
		t.Fatal(err)
	}
	role := func() store.Role {
		t.Helper()
		u, err := s.UserByAPIToken(ctx, "hash-b")
		if err != nil {
			t.Fatalf("lookup: %v", err)
		}
		return u.Role
	}
	if role() != store.RoleViewer || role() != store.RoleViewer { // the second is cached
		t.Fatal("bob is not a viewer")
	}
	if _, err := s.SetUserRole(ctx, "ann@example.com", bob.ID, store.RoleEditor); err != nil {
		t.Fatal(err)
	}
	if r := role(); r != store.RoleEditor {
		t.Fatalf("role after the change = %s, want editor at once", r)
	}
	if _, err := s.SetUserDisabled(ctx, "ann@example.com", bob.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UserByAPIToken(ctx, "hash-b"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a disabled user's cached token works: %v", err)
	}
	if _, err := s.SetUserDisabled(ctx, "ann@example.com", bob.ID, false); err != nil {
		t.Fatal(err)
	}
	role()
	if err := s.RevokeAPIToken(ctx, "bob@example.com", bob.ID, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UserByAPIToken(ctx, "hash-b"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a revoked cached token works: %v", err)
	}
	_ = ann
}

// TestTokenRacingRevocation: lookups running while the token is revoked
// may see it live, but none after the revocation returned.
func TestTokenRacingRevocation(t *testing.T) {
	t.Parallel()
	s := openStore(t)
	ctx := context.Background()
	bob, _ := s.CreateUser(ctx, "cli", "bob@example.com", store.RoleEditor, hashOf)
	tok, err := s.CreateAPIToken(ctx, "bob@example.com", bob.ID, "script", "hash-r", "vcp_r", nil)
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
					s.UserByAPIToken(ctx, "hash-r")
				}
			}
		}()
	}
	time.Sleep(20 * time.Millisecond)
	if err := s.RevokeAPIToken(ctx, "bob@example.com", bob.ID, tok.ID); err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		if _, err := s.UserByAPIToken(ctx, "hash-r"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("lookup %d after the revocation: %v", i, err)
		}
	}
	close(stop)
	wg.Wait()
}

// TestTokenOtherProcess: a revocation written by another process on the
// same database file is seen at the next lookup.
func TestTokenOtherProcess(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := context.Background()
	a, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	bob, _ := a.CreateUser(ctx, "cli", "bob@example.com", store.RoleEditor, hashOf)
	tok, err := a.CreateAPIToken(ctx, "bob@example.com", bob.ID, "script", "hash-p", "vcp_p", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.UserByAPIToken(ctx, "hash-p"); err != nil {
		t.Fatal(err)
	}
	b, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if filepath.Clean(a.Path()) != filepath.Clean(b.Path()) {
		t.Fatal("not the same file")
	}
	if err := b.RevokeAPIToken(ctx, "bob@example.com", bob.ID, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.UserByAPIToken(ctx, "hash-p"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("another process's revocation is not seen: %v", err)
	}
}
