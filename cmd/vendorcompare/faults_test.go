package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"vendorcompare/data"
	"vendorcompare/internal/loadtest"
	"vendorcompare/internal/store"
)

// The fault tests run the real program (run, serve) in a child process:
// this test binary started again with childEnv set runs TestServeChild,
// which is `vendorcompare serve` with the arguments in childEnv. A child
// can be killed with SIGKILL, stopped with SIGTERM, and given a file size
// limit (a full disk) without touching the test process.
const (
	childEnv      = "VENDORCOMPARE_FAULTS_CHILD" // serve's arguments, separated by \x1f
	childFSizeEnv = "VENDORCOMPARE_FAULTS_FSIZE" // RLIMIT_FSIZE in bytes, for a full disk
	childArgSep   = "\x1f"
)

// TestServeChild is the child server of the fault tests; it is skipped in
// an ordinary run.
func TestServeChild(t *testing.T) {
	args := os.Getenv(childEnv)
	if args == "" {
		t.Skip("only the fault tests' child process runs this")
	}
	if v := os.Getenv(childFSizeEnv); v != "" {
		// Files may not grow past n bytes: writes beyond fail with EFBIG,
		// as on a full disk. SIGXFSZ would kill the process instead.
		n, _ := strconv.ParseUint(v, 10, 64)
		signal.Ignore(syscall.SIGXFSZ)
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: n, Max: n}); err != nil {
			fmt.Fprintln(os.Stderr, "setrlimit:", err)
			os.Exit(3)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, strings.Split(args, childArgSep), os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "vendorcompare:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// startChild starts the child server on data (127.0.0.1:0) with extra
// environment entries, and stops it (SIGKILL) at the end of the test if
// the test has not.
func startChild(t *testing.T, data string, env ...string) *loadtest.Server {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestServeChild$", "-test.count=1")
	args := strings.Join([]string{"serve", "-addr", "127.0.0.1:0", "-data", data}, childArgSep)
	srv, err := loadtest.StartCmd(context.Background(), cmd, filepath.Join(t.TempDir(), "server.log"),
		append([]string{childEnv + "=" + args}, env...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Kill)
	return srv
}

// apiClient calls the child's API with a token.
type apiClient struct {
	base, token string
	http        *http.Client
}

func (c *apiClient) do(method, path string, body []byte) (int, http.Header, []byte, error) {
	req, err := http.NewRequest(method, c.base+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := c.http.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, b, err
}

func vendorBody(name string) []byte {
	b, _ := json.Marshal(map[string]string{"name": name})
	return b
}

// storedVendors returns the names of every vendor in the database.
func storedVendors(t *testing.T, data string) map[string]bool {
	t.Helper()
	st, err := store.Open(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	names := map[string]bool{}
	for off := 0; ; off += 500 {
		p, err := st.ListVendors(context.Background(), store.ListParams{Limit: 500, Offset: off})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range p.Items {
			names[v.Name] = true
		}
		if off+500 >= p.Total {
			return names
		}
	}
}

// integrity runs SQLite's integrity check on the database in data.
func integrity(t *testing.T, data string) {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(data, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ok string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Errorf("integrity_check: %q %v", ok, err)
	}
}

// TestKillDuringAPIWrites: the server is killed with SIGKILL while eight
// clients create vendors and import evaluations through the API; every
// write answered 2xx is in the database afterwards, SQLite's integrity
// check passes, and the server starts again on it.
func TestKillDuringAPIWrites(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts a child server")
	}
	data := t.TempDir()
	tok := newToken(t, data, "kill@example.com", "editor")
	doc, err := os.ReadFile(e2Path)
	if err != nil {
		t.Fatal(err)
	}
	srv := startChild(t, data)
	c := &apiClient{base: srv.URL, token: tok, http: &http.Client{Timeout: 20 * time.Second}}

	var mu sync.Mutex
	vendors := map[string]bool{}
	var imports []int64
	acked := 0
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if i%4 == 3 {
					code, _, body, err := c.do("POST", "/api/v1/evaluations/import", doc)
					if err == nil && code == http.StatusCreated {
						var r struct {
							ID int64 `json:"id"`
						}
						json.Unmarshal(body, &r)
						mu.Lock()
						imports = append(imports, r.ID)
						acked++
						mu.Unlock()
					} else if err != nil {
						return // killed
					}
					continue
				}
				name := fmt.Sprintf("Kill vendor %d-%d", w, i)
				code, _, _, err := c.do("POST", "/api/v1/vendors", vendorBody(name))
				if err != nil {
					return // killed
				}
				if code == http.StatusCreated {
					mu.Lock()
					vendors[name] = true
					acked++
					mu.Unlock()
				}
			}
		}(w)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		mu.Lock()
		n := acked
		mu.Unlock()
		if n >= 150 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	srv.Kill() // SIGKILL, in the middle of the clients' writes
	close(stop)
	wg.Wait()
	if acked < 20 {
		t.Fatalf("only %d writes acknowledged before the kill", acked)
	}

	integrity(t, data)
	stored := storedVendors(t, data)
	for name := range vendors {
		if !stored[name] {
			t.Errorf("acknowledged vendor %q lost", name)
		}
	}
	st, err := store.Open(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range imports {
		if _, err := st.Document(context.Background(), id, nil); err != nil {
			t.Errorf("acknowledged import %d: %v", id, err)
		}
	}
	st.Close()
	t.Logf("%d vendors and %d imports acknowledged before SIGKILL, all present", len(vendors), len(imports))

	// The server starts again on the database and serves what was saved.
	srv = startChild(t, data)
	c.base = srv.URL
	if code, _, body, err := c.do("GET", "/api/v1/vendors?limit=1", nil); err != nil || code != http.StatusOK {
		t.Errorf("after restart: %d %s %v", code, body, err)
	}
	if err := srv.Stop(); err != nil {
		t.Errorf("stop: %v", err)
	}
}

// TestFullDiskAnswers503: the server runs with a file size limit, so its
// database cannot grow past it (EFBIG, as a full disk gives). Writes are
// acknowledged until the disk is "full", then answered 503 with
// Retry-After and a plain message; reads keep working; every write
// acknowledged before is still there afterwards, and none refused is.
func TestFullDiskAnswers503(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts a child server")
	}
	dir := demoDir(t)
	tok := newToken(t, dir, "full@example.com", "editor")

	srv := startChild(t, dir, childFSizeEnv+"=262144", "VENDORCOMPARE_LOG_LEVEL=warn")
	c := &apiClient{base: srv.URL, token: tok, http: &http.Client{Timeout: 20 * time.Second}}
	saved := map[string]bool{}
	var refused []string
	for i := 0; i < 2000 && len(refused) < 3; i++ {
		name := fmt.Sprintf("Full vendor %04d %s", i, strings.Repeat("x", 150))
		code, h, body, err := c.do("POST", "/api/v1/vendors", vendorBody(name))
		if err != nil {
			t.Fatal(err)
		}
		switch code {
		case http.StatusCreated:
			// Also after a refusal: a smaller write may still fit, and
			// what is acknowledged must be kept.
			saved[name] = true
		case http.StatusServiceUnavailable:
			refused = append(refused, name)
			check503(t, h, body)
		default:
			t.Fatalf("POST vendor on a filling disk: %d %s", code, body)
		}
	}
	if len(refused) == 0 {
		t.Fatalf("%d writes and no 503: the file size limit did not bite", len(saved))
	}
	if len(saved) == 0 {
		t.Fatal("no write acknowledged before the disk filled")
	}
	// Reads still answer while the disk is full.
	code, _, body, err := c.do("GET", "/api/v1/vendors?limit=500&q=Full+vendor", nil)
	if err != nil || code != http.StatusOK {
		t.Fatalf("list on a full disk: %d %s %v", code, body, err)
	}
	var page struct {
		Total int `json:"total"`
	}
	json.Unmarshal(body, &page)
	if page.Total != len(saved) {
		t.Errorf("a full disk lists %d vendors, %d were acknowledged", page.Total, len(saved))
	}
	srv.Stop() // may fail to checkpoint on the full disk: the WAL keeps the writes

	keptNotRefused(t, dir, saved, refused)
	t.Logf("%d writes acknowledged, then %d refused with 503; all acknowledged ones kept", len(saved), len(refused))
}

// demoDir is a data folder holding the demo, closed (so checkpointed: a
// child server starts with an empty WAL).
func demoDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	st, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.LoadDemoFS(context.Background(), data.Demo); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// check503 checks a refused write's answer: Retry-After, a plain message
// and the request id.
func check503(t *testing.T, h http.Header, body []byte) {
	t.Helper()
	if h.Get("Retry-After") == "" || !strings.Contains(string(body), "nothing was saved") ||
		!strings.Contains(string(body), h.Get("X-Request-ID")) {
		t.Errorf("503: headers %v body %s: want Retry-After, a plain message and the request id", h, body)
	}
}

// keptNotRefused checks the stopped server's database: intact, every
// acknowledged vendor in it, no refused one.
func keptNotRefused(t *testing.T, dir string, saved map[string]bool, refused []string) {
	t.Helper()
	integrity(t, dir)
	stored := storedVendors(t, dir)
	for name := range saved {
		if !stored[name] {
			t.Errorf("acknowledged vendor %.20q lost", name)
		}
	}
	for _, name := range refused {
		if stored[name] {
			t.Errorf("refused vendor %.20q was saved", name)
		}
	}
}

// TestShutdownUnderLoad: SIGTERM while sixteen clients compare and write
// and four requests are half sent: the four get their 200, no request the
// server had answered or begun is cut off (the only failures are
// connections refused or reset after the signal, which the server never
// read), every acknowledged write is saved, and the process exits 0.
func TestShutdownUnderLoad(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts a child server")
	}
	data := t.TempDir()
	tok := newToken(t, data, "term@example.com", "editor")
	doc, err := os.ReadFile(e2Path)
	if err != nil {
		t.Fatal(err)
	}
	srv := startChild(t, data)
	// New connection per request: an idle keep-alive connection closed by
	// Shutdown would otherwise fail a request the server never saw.
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	c := &apiClient{base: srv.URL, token: tok, http: client}

	var mu sync.Mutex
	var signalled time.Time
	statuses := map[int]int{}
	var bad []string
	saved := map[string]bool{}
	var wg sync.WaitGroup
	for w := 0; w < 16; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; ; i++ {
				var code int
				var err error
				name := fmt.Sprintf("Term vendor %d-%d", w, i)
				if w%2 == 0 {
					code, _, _, err = c.do("POST", "/api/v1/compare", doc)
				} else {
					code, _, _, err = c.do("POST", "/api/v1/vendors", vendorBody(name))
				}
				mu.Lock()
				sig := signalled
				if err != nil {
					// After the signal the server closes its idle keep-alive
					// connections: a POST sent on one just then ends in EOF
					// (the client does not retry a POST), like a reset.
					refused := errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF)
					if sig.IsZero() || !refused {
						bad = append(bad, err.Error())
					}
					mu.Unlock()
					return
				}
				statuses[code]++
				if code == http.StatusCreated {
					saved[name] = true
				}
				if code != http.StatusOK && code != http.StatusCreated {
					bad = append(bad, fmt.Sprintf("status %d", code))
				}
				mu.Unlock()
				if !sig.IsZero() && time.Since(sig) > 20*time.Second {
					return
				}
			}
		}(w)
	}
	// Four requests whose bodies are half sent when the signal comes.
	slow := make(chan int, 4)
	var writers []*io.PipeWriter
	for i := 0; i < 4; i++ {
		pr, pw := io.Pipe()
		writers = append(writers, pw)
		go func() {
			req, _ := http.NewRequest("POST", srv.URL+"/api/v1/compare", pr)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+tok)
			res, err := client.Do(req)
			if err != nil {
				slow <- -1
				return
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			slow <- res.StatusCode
		}()
		if _, err := pw.Write(doc[:len(doc)/2]); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(1500 * time.Millisecond) // load running, slow requests in their handlers
	mu.Lock()
	signalled = time.Now()
	mu.Unlock()
	if err := syscall.Kill(srv.Pid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	for _, pw := range writers {
		pw.Write(doc[len(doc)/2:])
		pw.Close()
	}
	for i := 0; i < 4; i++ {
		if code := <-slow; code != http.StatusOK {
			t.Errorf("request in flight at SIGTERM got %d, want 200", code)
		}
	}
	if err := srv.Wait(); err != nil {
		t.Errorf("server exit after SIGTERM: %v", err)
	}
	wg.Wait()
	if len(bad) > 0 {
		t.Errorf("%d requests cut off or failed (want none): %v", len(bad), bad[:min(len(bad), 5)])
	}
	if statuses[http.StatusOK] == 0 || statuses[http.StatusCreated] == 0 {
		t.Errorf("statuses %v: the load did not run", statuses)
	}
	stored := storedVendors(t, data)
	for name := range saved {
		if !stored[name] {
			t.Errorf("acknowledged vendor %q lost", name)
		}
	}
	integrity(t, data)
	t.Logf("statuses under load %v; %d writes acknowledged, all saved", statuses, len(saved))
}
