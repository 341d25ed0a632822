package loadtest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Stat is what one target measured.
type Stat struct {
	Name        string
	Connections int
	Requests    uint64
	Duration    time.Duration
	RPS         float64 // answered requests per second (any status)
	P50, P99    time.Duration
	Max         time.Duration
	Errors      uint64 // transport errors and unexpected statuses
	Codes       map[string]int
	// Extra is a line of target-specific figures (the mixed workload's
	// edits, conflicts and lost updates).
	Extra string
}

// boundedPacer sends as fast as the workers allow (closed loop: each of
// the connections sends its next request when the previous is answered),
// and stops after max hits.
type boundedPacer struct{ max uint64 }

func (p boundedPacer) Pace(_ time.Duration, hits uint64) (time.Duration, bool) {
	return 0, hits >= p.max
}

func (p boundedPacer) Rate(time.Duration) float64 { return 0 }

// attack runs targets round-robin with conns connections for d or max
// requests, whichever ends first, and counts every answer whose status is
// not want as an error.
func attack(name string, conns int, d time.Duration, max uint64, want int, targets ...vegeta.Target) Stat {
	a := vegeta.NewAttacker(
		vegeta.Workers(uint64(conns)), vegeta.MaxWorkers(uint64(conns)),
		vegeta.Connections(conns), vegeta.MaxConnections(conns),
		vegeta.Timeout(30*time.Second), vegeta.KeepAlive(true),
		vegeta.Redirects(vegeta.NoFollow), vegeta.HTTP2(false),
	)
	var m vegeta.Metrics
	var errs uint64
	var sample []string
	for res := range a.Attack(vegeta.NewStaticTargeter(targets...), boundedPacer{max}, d, name) {
		m.Add(res)
		if res.Error != "" || int(res.Code) != want {
			errs++
			if len(sample) < 3 {
				sample = append(sample, fmt.Sprintf("%d %s %.120s", res.Code, res.Error, res.Body))
			}
		}
	}
	m.Close()
	s := Stat{Name: name, Connections: conns, Requests: m.Requests, Duration: m.Duration + m.Wait,
		P50: m.Latencies.P50, P99: m.Latencies.P99, Max: m.Latencies.Max, Errors: errs, Codes: m.StatusCodes}
	if s.Duration > 0 {
		s.RPS = float64(m.Requests) / s.Duration.Seconds()
	}
	if len(sample) > 0 {
		s.Extra = "first errors: " + strings.Join(sample, " | ")
	}
	return s
}

// sequential times n requests of target one after another (one
// connection), for latency at rest: the scale run's listings.
func sequential(name string, n uint64, target vegeta.Target) Stat {
	return attack(name, 1, 5*time.Minute, n, http.StatusOK, target)
}

// warm sends a few requests so that the first measured ones do not pay for
// cold caches and new connections.
func warm(ctx context.Context, client *http.Client, t vegeta.Target, n int) {
	for i := 0; i < n; i++ {
		req, err := t.Request()
		if err != nil {
			return
		}
		res, err := client.Do(req.WithContext(ctx))
		if err != nil {
			return
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
}

// codes formats a status histogram: "200×1234 409×5".
func codes(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s×%d", k, m[k])
	}
	return b.String()
}

// ms formats a duration in milliseconds with one decimal.
func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
