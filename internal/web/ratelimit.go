package web

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"vendorcompare/internal/web/edge"
)

// limiter counts sign-in attempts per key (a client address, or an
// account) in a sliding window. An attempt is counted when it starts,
// before its password is checked (Attempt), and forgiven once it
// succeeds (Forgive): counting afterwards let 30 concurrent attempts all
// pass the check while none had failed yet. After max attempts within
// window the key is refused until the oldest leaves the window. A client
// address is echo's RealIP, which the server takes from the socket only
// (IPExtractor = ExtractIPDirect), so a forged X-Forwarded-For cannot
// give a client a fresh count.
type limiter struct {
	max    int
	window time.Duration
	now    func() time.Time

	mu       sync.Mutex
	failures map[string][]time.Time
	sweep    time.Time
}

// newLimiter returns a limiter of max attempts per window.
func newLimiter(max int, window time.Duration, now func() time.Time) *limiter {
	return &limiter{max: max, window: window, now: now, failures: map[string][]time.Time{}}
}

// recent drops the attempts of key older than the window and returns the
// rest; mu is held.
func (l *limiter) recent(key string, now time.Time) []time.Time {
	f := l.failures[key]
	i := 0
	for i < len(f) && now.Sub(f[i]) >= l.window {
		i++
	}
	f = f[i:]
	if len(f) == 0 {
		delete(l.failures, key)
		return nil
	}
	l.failures[key] = f
	return f
}

// Blocked reports whether key has used up its attempts, and when it may
// try again.
func (l *limiter) Blocked(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	f := l.recent(key, now)
	if len(f) < l.max {
		return false, 0
	}
	return true, f[len(f)-l.max].Add(l.window).Sub(now)
}

// Attempt counts an attempt of key unless key has used up its attempts:
// ok reports whether it may go ahead; if not, wait is when it may try
// again. n is how many attempts of key the window held before this one
// (those still in progress included).
func (l *limiter) Attempt(key string) (ok bool, wait time.Duration, n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	f := l.recent(key, now)
	if len(f) >= l.max {
		return false, f[len(f)-l.max].Add(l.window).Sub(now), len(f)
	}
	l.record(key, f, now)
	return true, 0, len(f)
}

// Fail records a failed attempt of key.
func (l *limiter) Fail(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.record(key, l.recent(key, now), now)
}

// record appends an attempt at now to f, key's recent attempts; mu is
// held. Once a minute it also forgets every key whose attempts have all
// left the window, so the map stays as small as the recent attackers.
func (l *limiter) record(key string, f []time.Time, now time.Time) {
	l.failures[key] = append(f, now)
	if now.Sub(l.sweep) > time.Minute {
		l.sweep = now
		for k := range l.failures {
			l.recent(k, now)
		}
	}
}

// Forgive takes back the newest attempt of key: it succeeded, or it
// never reached the password check (the server was busy).
func (l *limiter) Forgive(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	f := l.failures[key]
	switch len(f) {
	case 0:
	case 1:
		delete(l.failures, key)
	default:
		l.failures[key] = f[:len(f)-1]
	}
}

// Per-account slow-down: the first accountFreeAttempts attempts on one
// account within the window go ahead at once; each further one waits
// twice as long as the one before, from accountDelayBase up to
// accountDelayMax. It slows a guesser working from many addresses, and it
// only ever delays: a colleague who types wrong passwords at someone's
// address cannot lock that person out.
const (
	accountFreeAttempts = 3
	accountDelayBase    = time.Second
	accountDelayMax     = 10 * time.Second // well inside the handler's timeout
)

// accountDelay is the wait of an attempt on an account that already has n
// attempts in the window.
func accountDelay(n int) time.Duration {
	if n < accountFreeAttempts {
		return 0
	}
	shift := n - accountFreeAttempts
	if shift > 8 {
		return accountDelayMax
	}
	return min(accountDelayBase<<shift, accountDelayMax)
}

// argonWait is how long a password check waits for an argon2id slot
// before the server answers 503: long enough for a burst of colleagues
// signing in at nine, short enough not to hold a flood's goroutines.
const argonWait = 2 * time.Second

// argonGate bounds the argon2id hashes computed at once (each holds 19 MiB
// and a core for ~50 ms): a burst of sign-ins, wrong or right, from
// anywhere, cannot take more memory than slots × 19 MiB.
type argonGate struct {
	slots chan struct{}
	wait  time.Duration
	// runs counts the hashes computed, inflight those under way and peak
	// the most at once: what the tests assert.
	runs, inflight, peak atomic.Int64
}

func newArgonGate(n int, wait time.Duration) *argonGate {
	return &argonGate{slots: make(chan struct{}, n), wait: wait}
}

// run calls f, which computes one argon2id hash, once a slot is free; it
// returns edge.ErrPasswordBusy when none comes free within the gate's wait, or
// ctx's error when ctx ends first.
func (g *argonGate) run(ctx context.Context, f func()) error {
	select {
	case g.slots <- struct{}{}:
	default:
		t := time.NewTimer(g.wait)
		defer t.Stop()
		select {
		case g.slots <- struct{}{}:
		case <-t.C:
			return edge.ErrPasswordBusy
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	defer func() { <-g.slots }()
	n := g.inflight.Add(1)
	defer g.inflight.Add(-1)
	for p := g.peak.Load(); n > p && !g.peak.CompareAndSwap(p, n); p = g.peak.Load() {
	}
	g.runs.Add(1)
	f()
	return nil
}

// sleepCtx waits d, or until ctx ends (then it returns ctx's error).
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
