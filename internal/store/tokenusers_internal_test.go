package store

import (
	"context"
	"errors"
	"os"
	"testing"
)

// TestTokenUsersExact: a token's user is kept (a second lookup reads no
// SQL), and any commit, by this store, by SQL behind its back or by
// another Store on the same file (another connection, as the CLI is),
// is seen by the very next lookup.
func TestTokenUsersExact(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.tokens.shm == nil {
		t.Fatal("the store is in WAL mode but keeps no token users")
	}
	bob, err := s.CreateUser(ctx, "cli", "bob@example.com", RoleViewer, "x")
	if err != nil {
		t.Fatal(err)
	}
	tok, err := s.CreateAPIToken(ctx, "cli", bob.ID, "script", "hash-b", "vcp_b", nil)
	if err != nil {
		t.Fatal(err)
	}
	role := func() Role {
		t.Helper()
		u, err := s.UserByAPIToken(ctx, "hash-b")
		if err != nil {
			t.Fatalf("lookup: %v", err)
		}
		return u.Role
	}
	kept := func() bool {
		_, ok := s.tokens.get("hash-b")
		return ok
	}
	if role() != RoleViewer || !kept() || role() != RoleViewer {
		t.Fatal("bob's token is not kept as a viewer's")
	}

	// behind the store's back, on the writer pool
	if _, err := s.WriterDB().ExecContext(ctx, `UPDATE users SET role = 'editor' WHERE id = ?`, bob.ID); err != nil {
		t.Fatal(err)
	}
	if kept() {
		t.Fatal("the kept user survived a commit")
	}
	if r := role(); r != RoleEditor {
		t.Fatalf("role after a write behind the store's back = %s, want editor", r)
	}

	// another Store on the same database: its own connections
	other, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	role()
	if err := other.RevokeAPIToken(ctx, "cli", bob.ID, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UserByAPIToken(ctx, "hash-b"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a token revoked by another connection still works: %v", err)
	}
	if _, err := s.UserByAPIToken(ctx, "hash-unknown"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown token: %v", err)
	}
	if _, ok := s.tokens.get("hash-unknown"); ok {
		t.Fatal("an unknown token is kept")
	}

	// A -shm file deleted (as SQLite does when the last connection
	// anywhere closes) never moves again: nothing is answered from it.
	if _, ok := s.tokens.header(); !ok {
		t.Fatal("the header cannot be read")
	}
	if err := os.Remove(s.path + "-shm"); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.tokens.header(); ok {
		t.Fatal("a deleted -shm file's header is still trusted")
	}
}
