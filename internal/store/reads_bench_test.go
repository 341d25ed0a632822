package store_test

import (
	"context"
	"encoding/json"
	"syscall"
	"testing"
	"time"

	"vendorcompare/internal/store"
)

// BenchmarkRequestReads times, one at a time, the store's part of a
// signed-in request that hits the web layer's caches: the session's find
// and commit, the user, the evaluation's fingerprint, an API token's user,
// and a cost line's JSON (every line read, saved and audited is encoded).
func BenchmarkRequestReads(b *testing.B) {
	s := openStore(b)
	ctx := context.Background()
	if _, err := s.LoadDemo(ctx, "../../data"); err != nil {
		b.Fatal(err)
	}
	u, err := s.CreateUser(ctx, "bench", "bench@example.com", store.RoleEditor, "x")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.CreateAPIToken(ctx, "bench", u.ID, "bench", "token-hash", "vcp_x", nil); err != nil {
		b.Fatal(err)
	}
	ss := s.Sessions(30*time.Minute, 12*time.Hour)
	b.Cleanup(ss.Close)
	if err := ss.Start(ctx, "cookie", u.ID); err != nil {
		b.Fatal(err)
	}
	key := store.SessionKey("cookie")
	if err := ss.CommitCtx(ctx, key, []byte("session data of about this size"), time.Time{}); err != nil {
		b.Fatal(err)
	}
	opts, err := s.ListOptions(ctx, 1)
	if err != nil {
		b.Fatal(err)
	}
	line := opts[0].Lines[0]
	for _, c := range []struct {
		name string
		op   func() error
	}{
		{"session-find", func() error { _, _, err := ss.FindCtx(ctx, key); return err }},
		{"session-commit", func() error {
			return ss.CommitCtx(ctx, key, []byte("session data of about this size"), time.Time{})
		}},
		{"user", func() error { _, err := s.GetUser(ctx, u.ID); return err }},
		{"fingerprint", func() error { _, err := s.Fingerprint(ctx, 1); return err }},
		{"token-user", func() error { _, err := s.UserByAPIToken(ctx, "token-hash"); return err }},
		{"line-json", func() error { _, err := json.Marshal(line); return err }},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := cpuTime()
			for b.Loop() {
				if err := c.op(); err != nil {
					b.Fatal(err)
				}
			}
			// the process's CPU time moves less with other work on the
			// shared cores than wall time does
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
		})
	}
}

// cpuTime is the process's user and system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
