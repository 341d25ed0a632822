package loadtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Targets of the full run (issue 7).
const (
	// TargetP99 is the highest p99 latency of every target.
	TargetP99 = 50 * time.Millisecond
	// TargetCompareRatio is the least compare/healthz throughput ratio.
	TargetCompareRatio = 0.5
)

// Config is one load run.
type Config struct {
	// Bin is the vendorcompare binary; empty builds it into the temporary
	// folder.
	Bin string
	// Connections is the number of concurrent connections (closed loop).
	Connections int
	// Duration is how long each target is attacked; MaxRequests bounds
	// each target's requests as well.
	Duration    time.Duration
	MaxRequests uint64
	// Quick only reports: missed targets do not fail the run (CI keeps the
	// script working in a few seconds on a busy machine).
	Quick bool
	// Example is the evaluation document POSTed to /api/v1/compare.
	Example string
	// Keep keeps the temporary folder (database and server log).
	Keep bool
	// Only, when not empty, runs just the target of that key (healthz,
	// compare, comparison, dashboard or mixed) and checks just its own
	// targets: the compare/healthz ratio only when both ran.
	Only string
	// Gunzip makes the load client decompress gzipped answers (Go's
	// transparent decompression) instead of counting and discarding their
	// bytes as they come, as wrk does. The client shares the machine's two
	// cores with the server, so this measures the client's work too.
	Gunzip bool
	Out    io.Writer
}

// TargetKeys are the keys of Config.Only, in the order of the full run.
var TargetKeys = []string{"healthz", "compare", "comparison", "dashboard", "mixed"}

// Report is the outcome of a run.
type Report struct {
	Stats  []Stat
	Mixed  Mixed
	Ratio  float64 // compare / healthz throughput
	Missed []string
	// ratio and mixed say whether the ratio and the mixed workload were
	// measured (a run with Config.Only measures one target).
	ratio, mixed bool
}

// Run starts the server on a temporary copy of the demo data, measures
// every target and prints the table and the targets missed. The error
// says the run itself failed (the server did not start, a setup step
// failed); missed targets are in Report.Missed.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	out := cfg.Out
	if cfg.Only != "" && !slices.Contains(TargetKeys, cfg.Only) {
		return nil, fmt.Errorf("no target %q: one of %s", cfg.Only, strings.Join(TargetKeys, ", "))
	}
	tmp, bin, cleanup, err := prepare(ctx, "load", cfg.Keep, cfg.Bin, out)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	doc, err := os.ReadFile(cfg.Example)
	if err != nil {
		return nil, err
	}
	data := filepath.Join(tmp, "data")
	const email = "load-editor@example.com"
	token, err := Editor(ctx, bin, data, email)
	if err != nil {
		return nil, err
	}
	// An admin reads the server's heap before and after the run
	// (/admin/debug/memory, served only with VENDORCOMPARE_DEBUG_MEMORY=1).
	const adminEmail = "load-admin@example.com"
	if _, err := CLI(ctx, bin, Password+"\n", "user", "add", "-data", data, "-email", adminEmail, "-role", "admin"); err != nil {
		return nil, err
	}
	srv, err := Start(ctx, bin, data, "VENDORCOMPARE_DEBUG_MEMORY=1")
	if err != nil {
		return nil, err
	}
	defer func() {
		if err := srv.Stop(); err != nil {
			fmt.Fprintf(out, "server stop: %v\n", err)
		}
	}()
	cookie, err := Login(ctx, srv.URL, email)
	if err != nil {
		return nil, err
	}
	client := &mixedClient{base: srv.URL, token: token,
		http: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: cfg.Connections, MaxConnsPerHost: cfg.Connections}}}
	evalID, err := demoEvaluation(ctx, client)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(out, "machine: %s\n", Machine())
	fmt.Fprintf(out, "server %s (pid %d), demo evaluation %d, %d connections, %v or %d requests per target, GOMAXPROCS %d\n",
		srv.URL, srv.Pid(), evalID, cfg.Connections, cfg.Duration, cfg.MaxRequests, runtime.GOMAXPROCS(0))

	bearer := http.Header{"Authorization": {"Bearer " + token}}
	jsonBearer := http.Header{"Authorization": {"Bearer " + token}, "Content-Type": {"application/json"}}
	page := http.Header{"Cookie": {cookie}}
	if !cfg.Gunzip {
		// Accept gzip as every browser does. Named explicitly, Go's client
		// hands the compressed bytes over as they are, and the attack
		// counts and discards them, as wrk would: decompressing would
		// measure the client, which shares the two cores, not the server.
		bearer.Set("Accept-Encoding", "gzip")
		jsonBearer.Set("Accept-Encoding", "gzip")
		page.Set("Accept-Encoding", "gzip")
	}
	targets := []struct {
		key, name string
		t         vegeta.Target
	}{
		{"healthz", "GET /healthz", vegeta.Target{Method: "GET", URL: srv.URL + "/healthz"}},
		{"compare", "POST /api/v1/compare (e2.json)", vegeta.Target{Method: "POST", URL: srv.URL + "/api/v1/compare", Body: doc, Header: jsonBearer}},
		{"comparison", "GET /api/v1/evaluations/{id}/comparison", vegeta.Target{Method: "GET", URL: fmt.Sprintf("%s/api/v1/evaluations/%d/comparison", srv.URL, evalID), Header: bearer}},
		{"dashboard", "GET /evaluations/{id} (dashboard)", vegeta.Target{Method: "GET", URL: fmt.Sprintf("%s/evaluations/%d", srv.URL, evalID), Header: page}},
	}
	adminCookie, err := Login(ctx, srv.URL, adminEmail)
	if err != nil {
		return nil, err
	}
	memCold, err := readMemory(ctx, client.http, srv.URL, adminCookie)
	if err != nil {
		return nil, err
	}
	// The baseline is taken after a few requests of each kind: the first
	// ones fill what any server holds once it has served (pools, prepared
	// statements, the reader pool's connections, template buffers).
	warm(ctx, client.http, vegeta.Target{Method: "GET", URL: srv.URL + "/healthz"}, 20)
	warm(ctx, client.http, vegeta.Target{Method: "POST", URL: srv.URL + "/api/v1/compare", Body: doc, Header: jsonBearer}, 20)
	warm(ctx, client.http, vegeta.Target{Method: "GET", URL: fmt.Sprintf("%s/api/v1/evaluations/%d/comparison", srv.URL, evalID), Header: bearer}, 20)
	warm(ctx, client.http, vegeta.Target{Method: "GET", URL: fmt.Sprintf("%s/evaluations/%d", srv.URL, evalID), Header: page}, 20)
	memBefore, err := readMemory(ctx, client.http, srv.URL, adminCookie)
	if err != nil {
		return nil, err
	}
	rep := &Report{}
	var healthz, compare float64 // throughputs, for the ratio
	for _, tg := range targets {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if cfg.Only != "" && cfg.Only != tg.key {
			continue
		}
		if !cfg.Quick {
			warm(ctx, client.http, tg.t, 50)
		}
		st := attack(tg.name, cfg.Connections, cfg.Duration, cfg.MaxRequests, http.StatusOK, tg.t)
		rep.Stats = append(rep.Stats, st)
		switch tg.key {
		case "healthz":
			healthz = st.RPS
		case "compare":
			compare = st.RPS
		}
		fmt.Fprintf(out, "  %-42s %8.0f req/s  p50 %-9s p99 %-9s errors %d\n", st.Name, st.RPS, ms(st.P50), ms(st.P99), st.Errors)
	}
	rep.ratio = cfg.Only == ""
	if rep.ratio && healthz > 0 {
		rep.Ratio = compare / healthz
	}
	if cfg.Only == "" || cfg.Only == "mixed" {
		mixed, err := runMixed(ctx, client, evalID, cfg.Connections, cfg.Duration, int64(cfg.MaxRequests))
		if err != nil {
			return nil, err
		}
		rep.Mixed = mixed
		rep.mixed = true
		rep.Stats = append(rep.Stats, mixed.Stat)
	}
	memAfter, err := readMemory(ctx, client.http, srv.URL, adminCookie)
	if err != nil {
		return nil, err
	}
	rep.check()
	rep.print(out, cfg)
	fmt.Fprintf(out, "server heap in use after a GC, cold: %s (caches %s)\n", mib(memCold.HeapInuse), mib(uint64(memCold.CacheBytes)))
	fmt.Fprintf(out, "server live heap (HeapAlloc) after a GC: cold %s, before %s, after %s; less the caches: %s → %s (%+.1f MiB)\n",
		mib(memCold.HeapAlloc), mib(memBefore.HeapAlloc), mib(memAfter.HeapAlloc),
		mib(memBefore.HeapAlloc-uint64(memBefore.CacheBytes)), mib(memAfter.HeapAlloc-uint64(memAfter.CacheBytes)),
		(float64(memAfter.HeapAlloc)-float64(memAfter.CacheBytes)-float64(memBefore.HeapAlloc)+float64(memBefore.CacheBytes))/(1<<20))
	fmt.Fprintf(out, "server heap in use after a GC: before %s (caches %s), after %s (caches %s, %d entries); less the caches: %s → %s (%+.1f MiB)\n",
		mib(memBefore.HeapInuse), mib(uint64(memBefore.CacheBytes)), mib(memAfter.HeapInuse), mib(uint64(memAfter.CacheBytes)), memAfter.CacheEntries,
		mib(memBefore.HeapInuse-uint64(memBefore.CacheBytes)), mib(memAfter.HeapInuse-uint64(memAfter.CacheBytes)),
		(float64(memAfter.HeapInuse)-float64(memAfter.CacheBytes)-float64(memBefore.HeapInuse)+float64(memBefore.CacheBytes))/(1<<20))
	fmt.Fprintf(out, "machine after the run: %s\n", Machine())
	return rep, nil
}

// check lists the targets missed.
func (r *Report) check() {
	for _, s := range r.Stats {
		if s.P99 >= TargetP99 {
			r.Missed = append(r.Missed, fmt.Sprintf("%s: p99 %s, target under %s", s.Name, ms(s.P99), ms(TargetP99)))
		}
		if s.Errors > 0 {
			r.Missed = append(r.Missed, fmt.Sprintf("%s: %d errors, target 0", s.Name, s.Errors))
		}
		if s.Requests == 0 {
			r.Missed = append(r.Missed, fmt.Sprintf("%s: no request answered", s.Name))
		}
	}
	if r.ratio && r.Ratio < TargetCompareRatio {
		r.Missed = append(r.Missed, fmt.Sprintf("compare/healthz throughput %.3f, target at least %.2f", r.Ratio, TargetCompareRatio))
	}
	if !r.mixed {
		return
	}
	if r.Mixed.Lost > 0 {
		r.Missed = append(r.Missed, fmt.Sprintf("mixed workload: %d lost updates, target 0", r.Mixed.Lost))
	}
	if r.Mixed.Edits == 0 {
		r.Missed = append(r.Missed, "mixed workload: no edit saved")
	}
}

// print writes the table, the ratio and the targets missed.
func (r *Report) print(out io.Writer, cfg Config) {
	fmt.Fprintln(out)
	w := tabwriter.NewWriter(out, 2, 8, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "target\tconns\trequests\treq/s\tp50\tp99\tmax\terrors\tstatuses\t")
	for _, s := range r.Stats {
		fmt.Fprintf(w, "%s\t%d\t%d\t%.0f\t%s\t%s\t%s\t%d\t%s\t\n", s.Name, s.Connections, s.Requests, s.RPS,
			ms(s.P50), ms(s.P99), ms(s.Max), s.Errors, codes(s.Codes))
	}
	w.Flush()
	fmt.Fprintln(out)
	if r.ratio {
		fmt.Fprintf(out, "compare / healthz throughput: %.3f (target ≥ %.2f)\n", r.Ratio, TargetCompareRatio)
	}
	others := r.Stats
	if r.mixed {
		fmt.Fprintf(out, "mixed workload: %s\n", r.Mixed.Extra)
		others = r.Stats[:len(r.Stats)-1]
	}
	for _, s := range others {
		if s.Extra != "" {
			fmt.Fprintf(out, "%s: %s\n", s.Name, s.Extra)
		}
	}
	if len(r.Missed) == 0 {
		fmt.Fprintln(out, "all targets met")
		return
	}
	verb := "MISSED"
	if cfg.Quick {
		verb = "missed (report only in -quick)"
	}
	fmt.Fprintf(out, "%s:\n  %s\n", verb, strings.Join(r.Missed, "\n  "))
}

// demoEvaluation returns the id of the first listed evaluation (the demo,
// on a fresh database).
func demoEvaluation(ctx context.Context, c *mixedClient) (int64, error) {
	var page struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	code, _, err := c.do(ctx, http.MethodGet, "/api/v1/evaluations?limit=1", nil, &page)
	if err != nil || code != http.StatusOK {
		return 0, fmt.Errorf("list evaluations: %d %v", code, err)
	}
	if len(page.Items) == 0 {
		return 0, errors.New("the database holds no evaluation (no demo loaded?)")
	}
	return page.Items[0].ID, nil
}

// prepare makes the run's temporary folder (kept when keep is set, else
// removed by cleanup) and builds the server into it unless bin names one.
func prepare(ctx context.Context, name string, keep bool, bin string, out io.Writer) (tmp, server string, cleanup func(), err error) {
	tmp, err = os.MkdirTemp("", "vendorcompare-"+name+"-")
	if err != nil {
		return "", "", nil, err
	}
	cleanup = func() { os.RemoveAll(tmp) }
	if keep {
		fmt.Fprintf(out, "temporary folder kept: %s\n", tmp)
		cleanup = func() {}
	}
	if bin == "" {
		fmt.Fprintln(out, "building cmd/vendorcompare …")
		if bin, err = Build(ctx, tmp); err != nil {
			cleanup()
			return "", "", nil, err
		}
	}
	return tmp, bin, cleanup, nil
}

// memory is the answer of the server's /admin/debug/memory.
type memory struct {
	HeapInuse    uint64 `json:"heap_inuse"`
	HeapAlloc    uint64 `json:"heap_alloc"`
	CacheBytes   int64  `json:"cache_bytes"`
	CacheEntries int    `json:"cache_entries"`
}

// readMemory asks the server to collect garbage and report its heap and
// its caches' bytes.
func readMemory(ctx context.Context, c *http.Client, base, cookie string) (memory, error) {
	var m memory
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/admin/debug/memory", nil)
	req.Header.Set("Cookie", cookie)
	res, err := c.Do(req)
	if err != nil {
		return m, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return m, fmt.Errorf("GET /admin/debug/memory: status %d", res.StatusCode)
	}
	return m, json.NewDecoder(res.Body).Decode(&m)
}

// mib formats bytes in MiB.
func mib(b uint64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }
