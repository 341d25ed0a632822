package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"vendorcompare/internal/store"
)

// hashOf is a stand-in password hash: the store keeps whatever hash it is
// given (internal/auth makes the real ones).
const hashOf = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$a2V5"

func TestUsers(t *testing.T) {
	t.Parallel()
	s := openStore(t)
	ctx := context.Background()
	if n, err := s.CountUsers(ctx); err != nil || n != 0 {
		t.Fatalf("count = %d, %v; want 0", n, err)
	}
	admin, err := s.CreateUser(ctx, "cli", "Ann@example.com", store.RoleAdmin, hashOf)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		u, hash, err := s.Credentials(ctx, "ann@EXAMPLE.com")
		if err != nil || u.ID != admin.ID || hash != hashOf || u.Role != store.RoleAdmin || u.Disabled {
			t.Fatalf("credentials = %+v %q %v", u, hash, err)
		}
	})
	t.Run("ErrConflictDuplicate", func(t *testing.T) {
		if _, err := s.CreateUser(ctx, "cli", "ANN@example.com", store.RoleViewer, hashOf); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("err = %v; want conflict", err)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		if _, err := s.CreateUser(ctx, "cli", "not an address", "boss", hashOf); !errors.Is(err, store.ErrInvalid) {
			t.Fatalf("err = %v; want invalid", err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		if _, _, err := s.Credentials(ctx, "nobody@example.com"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("err = %v", err)
		}
		if _, err := s.GetUser(ctx, 999); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("ErrConflictLastAdmin", func(t *testing.T) {
		if _, err := s.SetUserRole(ctx, "ann", admin.ID, store.RoleViewer); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("demote last admin: err = %v", err)
		}
		if _, err := s.SetUserDisabled(ctx, "ann", admin.ID, true); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("disable last admin: err = %v", err)
		}
	})
	ed, err := s.CreateUser(ctx, "ann@example.com", "ed@example.com", store.RoleEditor, hashOf)
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.SetUserRole(ctx, "ann@example.com", ed.ID, store.RoleViewer)
	if err != nil || u.Role != store.RoleViewer || u.Version != 2 {
		t.Fatalf("set role = %+v, %v", u, err)
	}
	list, err := s.ListUsers(ctx)
	if err != nil || len(list) != 2 || list[0].Email != "Ann@example.com" {
		t.Fatalf("list = %+v, %v", list, err)
	}
	// Every change is audited, without the password hash.
	page, err := s.Audit(ctx, store.AuditFilter{Entity: "user"})
	if err != nil || page.Total != 3 {
		t.Fatalf("audit = %+v, %v", page, err)
	}
	for _, e := range page.Items {
		if string(e.After) != "null" && containsHash(string(e.After)) {
			t.Errorf("audit row %d holds the password hash: %s", e.ID, e.After)
		}
	}
	if page.Items[0].Actor != "ann@example.com" || page.Items[0].Action != "update" {
		t.Errorf("newest audit entry %+v", page.Items[0])
	}
}

func containsHash(s string) bool {
	for i := 0; i+8 <= len(s); i++ {
		if s[i:i+8] == "$argon2i" {
			return true
		}
	}
	return false
}

// TestSessionsEndWhenDisabled: disabling a user deletes every stored
// session of theirs, and only theirs.
func TestSessionsEndWhenDisabled(t *testing.T) {
	t.Parallel()
	s := openStore(t)
	ctx := context.Background()
	if _, err := s.CreateUser(ctx, "cli", "admin@example.com", store.RoleAdmin, hashOf); err != nil {
		t.Fatal(err)
	}
	ed, _ := s.CreateUser(ctx, "cli", "ed@example.com", store.RoleEditor, hashOf)
	vi, _ := s.CreateUser(ctx, "cli", "vi@example.com", store.RoleViewer, hashOf)
	ss := s.Sessions(time.Hour, 12*time.Hour)
	t.Cleanup(ss.Close)
	add := func(cookie string, userID int64) {
		t.Helper()
		if err := ss.Start(ctx, cookie, userID); err != nil {
			t.Fatal(err)
		}
		if err := ss.CommitCtx(ctx, store.SessionKey(cookie), []byte{0}, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	add("ed-laptop", ed.ID)
	add("ed-phone", ed.ID)
	add("vi-laptop", vi.ID)
	if n, err := s.CountSessions(ctx, ed.ID); err != nil || n != 2 {
		t.Fatalf("ed's sessions = %d, %v; want 2", n, err)
	}
	if _, err := s.SetUserDisabled(ctx, "admin@example.com", ed.ID, true); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.CountSessions(ctx, ed.ID); n != 0 {
		t.Fatalf("ed's sessions after disabling = %d; want 0", n)
	}
	var left int
	s.ReaderDB().QueryRow(`SELECT COUNT(*) FROM sessions`).Scan(&left)
	if left != 1 {
		t.Fatalf("%d sessions left; want vi's one", left)
	}
	u, err := s.SetUserDisabled(ctx, "admin@example.com", ed.ID, false)
	if err != nil || u.Disabled {
		t.Fatalf("enable = %+v, %v", u, err)
	}
}

func TestAPITokens(t *testing.T) {
	t.Parallel()
	s := openStore(t)
	ctx := context.Background()
	ann, _ := s.CreateUser(ctx, "cli", "ann@example.com", store.RoleAdmin, hashOf)
	bob, _ := s.CreateUser(ctx, "cli", "bob@example.com", store.RoleViewer, hashOf)
	tok, err := s.CreateAPIToken(ctx, "bob@example.com", bob.ID, "laptop script", "hash-1", "vcp_abcd", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		u, err := s.UserByAPIToken(ctx, "hash-1")
		if err != nil || u.ID != bob.ID || u.Role != store.RoleViewer {
			t.Fatalf("user = %+v, %v", u, err)
		}
	})
	t.Run("ErrNotFoundUnknown", func(t *testing.T) {
		if _, err := s.UserByAPIToken(ctx, "hash-2"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("ErrNotFoundOtherUsers", func(t *testing.T) {
		if err := s.RevokeAPIToken(ctx, "ann@example.com", ann.ID, tok.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("ann revoked bob's token: %v", err)
		}
	})
	t.Run("ErrInvalidName", func(t *testing.T) {
		if _, err := s.CreateAPIToken(ctx, "bob", bob.ID, " ", "hash-3", "x", nil); !errors.Is(err, store.ErrInvalid) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("DisabledUser", func(t *testing.T) {
		s.SetUserDisabled(ctx, "ann@example.com", bob.ID, true)
		defer s.SetUserDisabled(ctx, "ann@example.com", bob.ID, false)
		if _, err := s.UserByAPIToken(ctx, "hash-1"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("a disabled user's token works: %v", err)
		}
	})
	if err := s.RevokeAPIToken(ctx, "bob@example.com", bob.ID, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UserByAPIToken(ctx, "hash-1"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a revoked token works: %v", err)
	}
	list, err := s.ListAPITokens(ctx, bob.ID)
	if err != nil || len(list) != 1 || list[0].RevokedAt == nil || list[0].Name != "laptop script" {
		t.Fatalf("list = %+v, %v", list, err)
	}
	page, _ := s.Audit(ctx, store.AuditFilter{Entity: "token"})
	if page.Total != 2 {
		t.Fatalf("token audit rows = %d; want 2 (create, revoke)", page.Total)
	}
}

func TestSetupToken(t *testing.T) {
	t.Parallel()
	s := openStore(t) // its clock starts at 2026-11-27 09:00 UTC
	ctx := context.Background()
	start := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	if err := s.CreateSetupToken(ctx, "old", start.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateSetupToken(ctx, "new", start.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	t.Run("ErrNotFoundReplaced", func(t *testing.T) {
		if _, err := s.CreateFirstAdmin(ctx, "old", "a@example.com", hashOf); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("err = %v", err)
		}
	})
	if err := s.CheckSetupToken(ctx, "new"); err != nil {
		t.Fatal(err)
	}
	u, err := s.CreateFirstAdmin(ctx, "new", "a@example.com", hashOf)
	if err != nil || u.Role != store.RoleAdmin {
		t.Fatalf("first admin = %+v, %v", u, err)
	}
	t.Run("ErrNotFoundUsed", func(t *testing.T) {
		if _, err := s.CreateFirstAdmin(ctx, "new", "b@example.com", hashOf); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("ErrNotFoundExpired", func(t *testing.T) {
		s2 := openStore(t)
		s2.CreateSetupToken(ctx, "past", start.Add(-time.Minute))
		if err := s2.CheckSetupToken(ctx, "past"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestDecisions(t *testing.T) {
	t.Parallel()
	s := openStore(t)
	ctx := context.Background()
	evalID, _, vendor := twoOptions(t, s)
	if latest, err := s.LatestDecision(ctx, evalID); err != nil || latest != nil {
		t.Fatalf("latest decision before any = %+v, %v; want nil", latest, err)
	}
	d, err := s.RecordDecision(ctx, "vi@example.com", evalID, store.DecisionInput{Kind: store.DecisionAward, OptionID: vendor.ID, Rationale: " Cheapest at equal quality. "})
	if err != nil {
		t.Fatal(err)
	}
	if d.OptionName != "Vendor A" || d.Rationale != "Cheapest at equal quality." || d.DecidedBy != "vi@example.com" {
		t.Fatalf("decision %+v", d)
	}
	if _, err := s.RecordDecision(ctx, "vi@example.com", evalID, store.DecisionInput{Kind: store.DecisionDefer, Rationale: "Wait for the BAFO."}); err != nil {
		t.Fatal(err)
	}
	if latest, err := s.LatestDecision(ctx, evalID); err != nil || latest == nil || latest.Kind != store.DecisionDefer || latest.Rationale != "Wait for the BAFO." {
		t.Fatalf("latest decision = %+v, %v; want the deferral recorded last", latest, err)
	}
	t.Run("ErrInvalid", func(t *testing.T) {
		for _, in := range []store.DecisionInput{
			{Kind: store.DecisionAward, Rationale: "no option"},
			{Kind: "maybe", Rationale: "x"},
			{Kind: store.DecisionReject},
			{Kind: store.DecisionAward, OptionID: 9999, Rationale: "other evaluation's option"},
		} {
			if _, err := s.RecordDecision(ctx, "vi", evalID, in); !errors.Is(err, store.ErrInvalid) {
				t.Errorf("%+v: err = %v; want invalid", in, err)
			}
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		if _, err := s.RecordDecision(ctx, "vi", 999, store.DecisionInput{Kind: store.DecisionDefer, Rationale: "x"}); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("err = %v", err)
		}
	})
	list, err := s.ListDecisions(ctx, evalID)
	if err != nil || len(list) != 2 || list[0].Kind != store.DecisionDefer || list[1].OptionID == nil || *list[1].OptionID != vendor.ID {
		t.Fatalf("list = %+v, %v", list, err)
	}
	page, _ := s.Audit(ctx, store.AuditFilter{EvaluationID: evalID, Entity: "decision"})
	if page.Total != 2 || page.Items[0].Actor != "vi@example.com" {
		t.Fatalf("decision audit = %+v", page)
	}
}
