package web

import (
	"sync"
	"time"
)

// limiter counts failed sign-ins per client address in a sliding window:
// after max failures within window, the address is refused (429) until the
// oldest of them leaves the window. The address is echo's RealIP, which the
// server takes from the socket only (IPExtractor = ExtractIPDirect), so a
// forged X-Forwarded-For cannot give a client a fresh count.
type limiter struct {
	max    int
	window time.Duration
	now    func() time.Time

	mu       sync.Mutex
	failures map[string][]time.Time
	sweep    time.Time
}

// newLimiter returns a limiter of max failures per window.
func newLimiter(max int, window time.Duration, now func() time.Time) *limiter {
	return &limiter{max: max, window: window, now: now, failures: map[string][]time.Time{}}
}

// recent drops the failures of ip older than the window and returns the
// rest; mu is held.
func (l *limiter) recent(ip string, now time.Time) []time.Time {
	f := l.failures[ip]
	i := 0
	for i < len(f) && now.Sub(f[i]) >= l.window {
		i++
	}
	f = f[i:]
	if len(f) == 0 {
		delete(l.failures, ip)
		return nil
	}
	l.failures[ip] = f
	return f
}

// Blocked reports whether ip has used up its failures, and when it may try
// again.
func (l *limiter) Blocked(ip string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	f := l.recent(ip, now)
	if len(f) < l.max {
		return false, 0
	}
	return true, f[len(f)-l.max].Add(l.window).Sub(now)
}

// Fail records a failed attempt from ip. Once a minute it also forgets
// every address whose failures have all left the window, so the map stays
// as small as the recent attackers.
func (l *limiter) Fail(ip string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.failures[ip] = append(l.recent(ip, now), now)
	if now.Sub(l.sweep) > time.Minute {
		l.sweep = now
		for k := range l.failures {
			l.recent(k, now)
		}
	}
}
