package store_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"vendorcompare/internal/store"
)

// setClock is a store clock a test moves by hand.
type setClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *setClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *setClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func openClocked(t *testing.T) (*store.Store, *setClock) {
	t.Helper()
	c := &setClock{t: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)}
	s, err := store.Open(context.Background(), t.TempDir(), store.WithClock(c.now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, c
}

// addSession stores a session row for cookie token as the session store
// does at sign-in, and its owner.
func addSession(t *testing.T, s *store.Store, token string, userID int64) {
	t.Helper()
	ctx := context.Background()
	ss := s.Sessions(time.Hour, 12*time.Hour)
	defer ss.Close()
	if err := ss.Start(ctx, token, userID); err != nil {
		t.Fatal(err)
	}
	if err := ss.CommitCtx(ctx, store.SessionKey(token), []byte{0}, time.Time{}); err != nil {
		t.Fatal(err)
	}
}

// TestSetPassword: a new password ends every session, moves the session
// generation on and revokes the user's live API tokens (not another
// user's), unless keepTokens; the audit names no hash.
func TestSetPassword(t *testing.T) {
	t.Parallel()
	s := openStore(t)
	ctx := context.Background()
	u, _ := s.CreateUser(ctx, "cli", "ann@example.com", store.RoleAdmin, hashOf)
	bob, _ := s.CreateUser(ctx, "cli", "bob@example.com", store.RoleViewer, hashOf)
	addSession(t, s, "ann-laptop", u.ID)
	addSession(t, s, "ann-phone", u.ID)
	for _, h := range []string{"ann-1", "ann-2"} {
		if _, err := s.CreateAPIToken(ctx, "ann", u.ID, h, h, "vcp_x", nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.CreateAPIToken(ctx, "bob", bob.ID, "bob", "bob-1", "vcp_y", nil); err != nil {
		t.Fatal(err)
	}
	pc, err := s.SetPassword(ctx, "cli", u.ID, "new-hash", false)
	if err != nil {
		t.Fatal(err)
	}
	if pc.TokensRevoked != 2 || pc.User.SessionGen != u.SessionGen+1 {
		t.Fatalf("change = %+v; want 2 tokens revoked, generation %d", pc, u.SessionGen+1)
	}
	if _, hash, _ := s.Credentials(ctx, "ann@example.com"); hash != "new-hash" {
		t.Fatalf("hash %q", hash)
	}
	if n, _ := s.CountSessions(ctx, u.ID); n != 0 {
		t.Fatalf("%d sessions survive the reset", n)
	}
	for _, h := range []string{"ann-1", "ann-2"} {
		if _, err := s.UserByAPIToken(ctx, h); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("token %s works after the password change: %v", h, err)
		}
	}
	if _, err := s.UserByAPIToken(ctx, "bob-1"); err != nil {
		t.Fatalf("another user's token stopped working: %v", err)
	}
	page, _ := s.Audit(ctx, store.AuditFilter{Entity: "user", Limit: 1})
	if containsHash(string(page.Items[0].After)) || strings.Contains(string(page.Items[0].After), "new-hash") {
		t.Fatalf("audit holds the hash: %s", page.Items[0].After)
	}
	t.Run("KeepTokens", func(t *testing.T) {
		if _, err := s.CreateAPIToken(ctx, "ann", u.ID, "ann-3", "ann-3", "vcp_z", nil); err != nil {
			t.Fatal(err)
		}
		pc, err := s.SetPassword(ctx, "cli", u.ID, "newer-hash", true)
		if err != nil || pc.TokensRevoked != 0 {
			t.Fatalf("change = %+v, %v", pc, err)
		}
		if _, err := s.UserByAPIToken(ctx, "ann-3"); err != nil {
			t.Fatalf("a kept token stopped working: %v", err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		if _, err := s.SetPassword(ctx, "cli", 999, "x", false); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unknown user: %v", err)
		}
	})
}

// TestCommitSession: a session row that was deleted (signed out, ended by
// a password change) is not written back by a later commit of the same
// session; only a started session is inserted. scs's own store REPLACEd it.
func TestCommitSession(t *testing.T) {
	t.Parallel()
	s := openStore(t)
	ctx := context.Background()
	u, _ := s.CreateUser(ctx, "cli", "ann@example.com", store.RoleAdmin, hashOf)
	ss := s.Sessions(time.Hour, 12*time.Hour)
	t.Cleanup(ss.Close)
	key := store.SessionKey("ann-laptop")
	if err := ss.CommitCtx(ctx, key, []byte{1}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, found, _ := ss.FindCtx(ctx, key); found {
		t.Fatal("a commit of a session never started inserted it")
	}
	addSession(t, s, "ann-laptop", u.ID)
	if err := ss.CommitCtx(ctx, key, []byte{2}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if b, found, err := ss.FindCtx(ctx, key); err != nil || !found || string(b) != "\x02" {
		t.Fatalf("update of a live session: %v %v %v", b, found, err)
	}
	if err := ss.DeleteCtx(ctx, key); err != nil {
		t.Fatal(err)
	}
	if err := ss.CommitCtx(ctx, key, []byte{3}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.ReaderDB().QueryRow(`SELECT (SELECT COUNT(*) FROM sessions) + (SELECT COUNT(*) FROM user_sessions)`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d session rows after signing out, %v", n, err)
	}
}

// TestSessionExpiry: the store's clock decides when a session ends: after
// the idle timeout without a commit, at the lifetime however busy, and a
// renewal within a thirtieth of the idle timeout is not written.
func TestSessionExpiry(t *testing.T) {
	t.Parallel()
	s, clock := openClocked(t)
	ctx := context.Background()
	u, _ := s.CreateUser(ctx, "cli", "ann@example.com", store.RoleAdmin, hashOf)
	ss := s.Sessions(30*time.Minute, 3*time.Hour)
	t.Cleanup(ss.Close)
	start := func(token string) string {
		t.Helper()
		if err := ss.Start(ctx, token, u.ID); err != nil {
			t.Fatal(err)
		}
		key := store.SessionKey(token)
		if err := ss.CommitCtx(ctx, key, []byte{1}, time.Time{}); err != nil {
			t.Fatal(err)
		}
		return key
	}
	alive := func(key string) bool {
		t.Helper()
		_, found, err := ss.FindCtx(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		return found
	}
	t.Run("Idle", func(t *testing.T) {
		key := start("idle")
		clock.add(29 * time.Minute)
		if !alive(key) {
			t.Fatal("ended before the idle timeout")
		}
		clock.add(2 * time.Minute)
		if alive(key) {
			t.Fatal("alive after the idle timeout")
		}
	})
	t.Run("Renewals", func(t *testing.T) {
		key := start("renew")
		before := ss.Commits()
		clock.add(30 * time.Second) // under a minute: not written
		if err := ss.CommitCtx(ctx, key, []byte{1}, time.Time{}); err != nil {
			t.Fatal(err)
		}
		if n := ss.Commits() - before; n != 0 {
			t.Fatalf("a renewal within a thirtieth of the idle timeout was written (%d)", n)
		}
		if err := ss.CommitCtx(ctx, key, []byte{2}, time.Time{}); err != nil {
			t.Fatal(err)
		}
		if n := ss.Commits() - before; n != 1 {
			t.Fatalf("a change of the data was not written (%d)", n)
		}
		clock.add(2 * time.Minute)
		if err := ss.CommitCtx(ctx, key, []byte{2}, time.Time{}); err != nil {
			t.Fatal(err)
		}
		if n := ss.Commits() - before; n != 2 {
			t.Fatalf("a renewal of two minutes was not written (%d)", n)
		}
	})
	t.Run("Lifetime", func(t *testing.T) {
		key := start("busy")
		for range 17 { // 2 h 50 min, a request every 10 minutes
			clock.add(10 * time.Minute)
			if !alive(key) {
				t.Fatal("a busy session ended within its lifetime")
			}
			if err := ss.CommitCtx(ctx, key, []byte{1}, time.Time{}); err != nil {
				t.Fatal(err)
			}
		}
		clock.add(11 * time.Minute)
		if alive(key) {
			t.Fatal("a busy session outlived its lifetime")
		}
	})
}

// TestDisableBumpsGeneration: disabling a user moves the session
// generation on; enabling and role changes do not.
func TestDisableBumpsGeneration(t *testing.T) {
	t.Parallel()
	s := openStore(t)
	ctx := context.Background()
	s.CreateUser(ctx, "cli", "ann@example.com", store.RoleAdmin, hashOf)
	bob, _ := s.CreateUser(ctx, "cli", "bob@example.com", store.RoleViewer, hashOf)
	after, err := s.SetUserRole(ctx, "ann", bob.ID, store.RoleEditor)
	if err != nil || after.SessionGen != bob.SessionGen {
		t.Fatalf("role change: %+v %v; generation must stay %d", after, err, bob.SessionGen)
	}
	after, err = s.SetUserDisabled(ctx, "ann", bob.ID, true)
	if err != nil || after.SessionGen != bob.SessionGen+1 {
		t.Fatalf("disable: %+v %v; want generation %d", after, err, bob.SessionGen+1)
	}
	again, err := s.SetUserDisabled(ctx, "ann", bob.ID, false)
	if err != nil || again.SessionGen != after.SessionGen {
		t.Fatalf("enable: %+v %v", again, err)
	}
}

// TestTokenExpiry: a token with an expiry works until then and is
// ErrNotFound from that moment, cached or not; one without never expires;
// an expiry in the past is refused.
func TestTokenExpiry(t *testing.T) {
	t.Parallel()
	s, c := openClocked(t)
	ctx := context.Background()
	u, _ := s.CreateUser(ctx, "cli", "ann@example.com", store.RoleAdmin, hashOf)
	end := c.now().Add(90 * 24 * time.Hour)
	tok, err := s.CreateAPIToken(ctx, "ann", u.ID, "report", "h-exp", "vcp_e", &end)
	if err != nil || tok.ExpiresAt == nil || !tok.ExpiresAt.Equal(end) {
		t.Fatalf("token = %+v, %v", tok, err)
	}
	if _, err := s.CreateAPIToken(ctx, "ann", u.ID, "forever", "h-never", "vcp_n", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UserByAPIToken(ctx, "h-exp"); err != nil {
		t.Fatalf("before its expiry: %v", err)
	}
	c.add(90*24*time.Hour - time.Second)
	if _, err := s.UserByAPIToken(ctx, "h-exp"); err != nil {
		t.Fatalf("a second before its expiry: %v", err)
	}
	c.add(time.Second)
	if _, err := s.UserByAPIToken(ctx, "h-exp"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("at its expiry: %v; want not found", err)
	}
	if _, err := s.UserByAPIToken(ctx, "h-never"); err != nil {
		t.Fatalf("a token without expiry: %v", err)
	}
	list, _ := s.ListAPITokens(ctx, u.ID)
	if len(list) != 2 || !list[1].Expired(c.now()) || list[0].Expired(c.now()) {
		t.Fatalf("list = %+v", list)
	}
	t.Run("ErrInvalidPast", func(t *testing.T) {
		past := c.now().Add(-time.Minute)
		if _, err := s.CreateAPIToken(ctx, "ann", u.ID, "old", "h-past", "vcp_p", &past); !errors.Is(err, store.ErrInvalid) {
			t.Fatalf("err = %v; want invalid", err)
		}
	})
}

// TestResetLink: an admin's link sets a new password once, ends the
// user's sessions and revokes their tokens; a newer link replaces it, an
// expired or used one is ErrNotFound, a disabled user gets none.
func TestResetLink(t *testing.T) {
	t.Parallel()
	s, c := openClocked(t)
	ctx := context.Background()
	s.CreateUser(ctx, "cli", "ann@example.com", store.RoleAdmin, hashOf)
	bob, _ := s.CreateUser(ctx, "cli", "bob@example.com", store.RoleViewer, hashOf)
	addSession(t, s, "bob-laptop", bob.ID)
	s.CreateAPIToken(ctx, "bob", bob.ID, "script", "bob-tok", "vcp_b", nil)

	if _, err := s.CreateResetLink(ctx, "ann@example.com", bob.ID, "old", c.now().Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateResetLink(ctx, "ann@example.com", bob.ID, "new", c.now().Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	t.Run("ErrNotFoundReplaced", func(t *testing.T) {
		if _, err := s.CheckResetLink(ctx, "old"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("err = %v", err)
		}
	})
	if u, err := s.CheckResetLink(ctx, "new"); err != nil || u.ID != bob.ID {
		t.Fatalf("check = %+v, %v", u, err)
	}
	pc, err := s.ResetPassword(ctx, "new", "bob-new-hash")
	if err != nil || pc.TokensRevoked != 1 || pc.User.ID != bob.ID {
		t.Fatalf("reset = %+v, %v", pc, err)
	}
	if _, hash, _ := s.Credentials(ctx, "bob@example.com"); hash != "bob-new-hash" {
		t.Fatalf("hash %q", hash)
	}
	if n, _ := s.CountSessions(ctx, bob.ID); n != 0 {
		t.Fatalf("%d sessions survive the reset", n)
	}
	if _, err := s.UserByAPIToken(ctx, "bob-tok"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("token after reset: %v", err)
	}
	page, _ := s.Audit(ctx, store.AuditFilter{Entity: "user", Limit: 1})
	if page.Items[0].Actor != "bob@example.com" {
		t.Errorf("reset audited as %q, want the user", page.Items[0].Actor)
	}
	t.Run("ErrNotFoundUsed", func(t *testing.T) {
		if _, err := s.ResetPassword(ctx, "new", "again"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("ErrNotFoundExpired", func(t *testing.T) {
		s.CreateResetLink(ctx, "ann@example.com", bob.ID, "later", c.now().Add(time.Hour))
		c.add(time.Hour)
		if _, err := s.ResetPassword(ctx, "later", "x"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("ErrConflictDisabled", func(t *testing.T) {
		s.CreateResetLink(ctx, "ann@example.com", bob.ID, "before-disable", c.now().Add(time.Hour))
		if _, err := s.SetUserDisabled(ctx, "ann", bob.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateResetLink(ctx, "ann@example.com", bob.ID, "x", c.now().Add(time.Hour)); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("err = %v", err)
		}
		if _, err := s.ResetPassword(ctx, "before-disable", "x"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("a disabled user's link: %v", err)
		}
	})
}
