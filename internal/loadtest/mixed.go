package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/shopspring/decimal"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"vendorcompare/internal/store"
)

// editStep is what each successful edit adds to a line's amount: the final
// amount of a line must be its first plus step × its successful edits, or
// an edit was lost.
var editStep = decimal.RequireFromString("0.01")

// maxAttempts bounds the re-reads of one edit that keeps meeting 409.
const maxAttempts = 50

// Mixed is the outcome of the mixed workload.
type Mixed struct {
	Stat
	Edits     int64 // successful PUTs (200)
	Conflicts int64 // 409s, each followed by a re-read and a retry
	GaveUp    int64 // edits abandoned after maxAttempts conflicts
	Reads     int64
	Lost      int   // lines whose final amount or version disagree with the edits
	Audited   int64 // line updates in the audit log during the run
}

// mixedClient is an authenticated JSON client.
type mixedClient struct {
	base, token string
	http        *http.Client
}

func (c *mixedClient) do(ctx context.Context, method, path string, body any, out any) (int, time.Duration, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, 0, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, r)
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	t0 := time.Now()
	res, err := c.http.Do(req)
	if err != nil {
		return 0, time.Since(t0), err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	lat := time.Since(t0)
	if err != nil {
		return res.StatusCode, lat, err
	}
	if out != nil && res.StatusCode == http.StatusOK {
		if err := json.Unmarshal(data, out); err != nil {
			return res.StatusCode, lat, fmt.Errorf("decode %s: %w", path, err)
		}
	}
	return res.StatusCode, lat, nil
}

// lineBody is the PUT body of a line: the line's fields and the version
// it replaces (tco.Line has its own MarshalJSON, so it is merged by hand).
func lineBody(l store.Line) (map[string]any, error) {
	b, err := json.Marshal(l.Line)
	if err != nil {
		return nil, err
	}
	m := map[string]any{}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	m["version"] = l.Version
	return m, nil
}

// editableLines returns the fixed and per-unit cost lines of an
// evaluation's options (an amount there may grow by a cent and the
// document stays valid).
func editableLines(ctx context.Context, c *mixedClient, evalID int64, limit int) ([]store.Line, error) {
	var opts struct {
		Items []store.Option `json:"items"`
	}
	code, _, err := c.do(ctx, http.MethodGet, fmt.Sprintf("/api/v1/evaluations/%d/options?limit=500", evalID), nil, &opts)
	if err != nil || code != http.StatusOK {
		return nil, fmt.Errorf("list options: %d %v", code, err)
	}
	var out []store.Line
	for _, o := range opts.Items {
		for _, l := range o.Lines {
			if (l.Basis == "fixed" || l.Basis == "per_unit") && len(out) < limit {
				out = append(out, l)
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("evaluation %d has no fixed or per-unit line to edit", evalID)
	}
	return out, nil
}

// runMixed runs conns workers for d (or until max requests) over the
// demo's editable lines: half of the operations read (a line, or the
// evaluation's options), half edit a line: read it, PUT its amount plus a
// cent with the version read, and on 409 read again and retry. Afterwards
// every line must hold exactly its first amount plus a cent per
// successful edit, and its version must have grown by as many: otherwise
// an update was lost.
func runMixed(ctx context.Context, c *mixedClient, evalID int64, conns int, d time.Duration, max int64) (Mixed, error) {
	lines, err := editableLines(ctx, c, evalID, 8)
	if err != nil {
		return Mixed{}, err
	}
	auditBefore, err := lineAudits(ctx, c, evalID)
	if err != nil {
		return Mixed{}, err
	}
	succ := make([]atomic.Int64, len(lines))
	var out Mixed
	var mu sync.Mutex
	var m vegeta.Metrics
	var errs atomic.Int64
	var sample []string
	// byKind splits the latencies by request: where the tail is.
	kinds := []string{"GET line", "GET options", "PUT 200", "PUT 409"}
	byKind := map[string]*vegeta.Metrics{}
	for _, k := range kinds {
		byKind[k] = &vegeta.Metrics{}
	}
	record := func(kind string, code int, lat time.Duration, err error, want ...int) bool {
		r := &vegeta.Result{Code: uint16(code), Latency: lat, Timestamp: time.Now().Add(-lat)}
		ok := err == nil
		if ok {
			ok = false
			for _, w := range want {
				ok = ok || code == w
			}
		}
		if !ok {
			errs.Add(1)
			r.Error = fmt.Sprintf("status %d: %v", code, err)
		}
		if kind == "PUT" {
			kind = fmt.Sprintf("PUT %d", code)
		}
		mu.Lock()
		m.Add(r)
		if km := byKind[kind]; km != nil && ok {
			km.Add(r)
		}
		if !ok && len(sample) < 3 {
			sample = append(sample, r.Error)
		}
		mu.Unlock()
		return ok
	}
	var ops atomic.Int64
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for w := 0; w < conns; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			for time.Now().Before(deadline) && ops.Add(1) <= max && ctx.Err() == nil {
				i := rng.IntN(len(lines))
				path := fmt.Sprintf("/api/v1/lines/%d", lines[i].ID)
				switch r := rng.IntN(10); {
				case r < 4:
					var l store.Line
					code, lat, err := c.do(ctx, http.MethodGet, path, nil, &l)
					record("GET line", code, lat, err, http.StatusOK)
					atomic.AddInt64(&out.Reads, 1)
				case r < 5:
					code, lat, err := c.do(ctx, http.MethodGet, fmt.Sprintf("/api/v1/evaluations/%d/options", evalID), nil, nil)
					record("GET options", code, lat, err, http.StatusOK)
					atomic.AddInt64(&out.Reads, 1)
				default:
					edit(ctx, c, path, &succ[i], &out, record)
				}
			}
		}(w)
	}
	wg.Wait()
	m.Close()
	out.Stat = Stat{Name: "mixed quote edits", Connections: conns, Requests: m.Requests, Duration: m.Duration + m.Wait,
		P50: m.Latencies.P50, P99: m.Latencies.P99, Max: m.Latencies.Max, Errors: uint64(errs.Load()), Codes: m.StatusCodes}
	if out.Duration > 0 {
		out.RPS = float64(m.Requests) / out.Duration.Seconds()
	}

	// No lost update: every line's amount and version account for exactly
	// the edits acknowledged with 200.
	for i, l := range lines {
		var now store.Line
		code, _, err := c.do(ctx, http.MethodGet, fmt.Sprintf("/api/v1/lines/%d", l.ID), nil, &now)
		if err != nil || code != http.StatusOK {
			return out, fmt.Errorf("read line %d after the run: %d %v", l.ID, code, err)
		}
		n := succ[i].Load()
		want := l.Amount.Add(editStep.Mul(decimal.NewFromInt(n)))
		if !now.Amount.Equal(want) || now.Version != l.Version+n {
			out.Lost++
			sample = append(sample, fmt.Sprintf("line %d: amount %s version %d, want %s and %d after %d edits",
				l.ID, now.Amount, now.Version, want, l.Version+n, n))
		}
	}
	auditAfter, err := lineAudits(ctx, c, evalID)
	if err != nil {
		return out, err
	}
	out.Audited = int64(auditAfter - auditBefore)
	if out.Audited != out.Edits {
		out.Lost++
		sample = append(sample, fmt.Sprintf("%d line updates audited, %d acknowledged", out.Audited, out.Edits))
	}
	out.Extra = fmt.Sprintf("%d edits saved, %d conflicts (409, re-read and retried), %d edits given up, %d reads, %d lost updates (%d lines checked), %d audited",
		out.Edits, out.Conflicts, out.GaveUp, out.Reads, out.Lost, len(lines), out.Audited)
	for _, k := range kinds {
		km := byKind[k]
		km.Close()
		out.Extra += fmt.Sprintf("; %s %d p50 %s p99 %s", k, km.Requests, ms(km.Latencies.P50), ms(km.Latencies.P99))
	}
	if len(sample) > 0 {
		out.Extra += "; " + fmt.Sprint(sample)
	}
	return out, nil
}

// edit reads a line and saves its amount plus a cent with the version
// read, re-reading and retrying on 409.
func edit(ctx context.Context, c *mixedClient, path string, succ *atomic.Int64, out *Mixed,
	record func(string, int, time.Duration, error, ...int) bool) {
	for attempt := 0; attempt < maxAttempts; attempt++ {
		var l store.Line
		code, lat, err := c.do(ctx, http.MethodGet, path, nil, &l)
		if !record("GET line", code, lat, err, http.StatusOK) {
			return
		}
		l.Amount = l.Amount.Add(editStep)
		body, err := lineBody(l)
		if err != nil {
			record("", 0, 0, err)
			return
		}
		code, lat, err = c.do(ctx, http.MethodPut, path, body, nil)
		if !record("PUT", code, lat, err, http.StatusOK, http.StatusConflict) {
			return
		}
		if code == http.StatusOK {
			succ.Add(1)
			atomic.AddInt64(&out.Edits, 1)
			return
		}
		atomic.AddInt64(&out.Conflicts, 1)
	}
	atomic.AddInt64(&out.GaveUp, 1)
}

// lineAudits counts the audit log's line updates of an evaluation.
func lineAudits(ctx context.Context, c *mixedClient, evalID int64) (int, error) {
	var page struct {
		Total int `json:"total"`
	}
	code, _, err := c.do(ctx, http.MethodGet, fmt.Sprintf("/api/v1/evaluations/%d/audit?entity=line&limit=1", evalID), nil, &page)
	if err != nil || code != http.StatusOK {
		return 0, fmt.Errorf("audit: %d %v", code, err)
	}
	return page.Total, nil
}
