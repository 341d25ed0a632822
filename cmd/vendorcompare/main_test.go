package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"vendorcompare/internal/tco"
	"vendorcompare/internal/web"
)

const e2Path = "../../internal/tco/testdata/e2.json"

// env is a getenv over a map, so tests never read the real environment.
func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// runCmd runs the program with args and returns its stdout, stderr and error.
func runCmd(t *testing.T, stdin io.Reader, args ...string) (string, string, error) {
	t.Helper()
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, env(nil), stdin, &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestCompareTable(t *testing.T) {
	t.Parallel()
	out, _, err := runCmd(t, nil, "compare", e2Path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"E2 36-month outsourcing decision",
		"Vendor A (vendor-a)",
		"4,071,167.36", "3,655,591.30", // vendor-a TCO and PV
		"4,531,012.08", "4,026,911.71", // in-house TCO and PV
		"459,844.72", "371,320.41", // savings
		"10.1%",                // savings as a share of the baseline TCO
		"month 17", "month 18", // payback, nominal and discounted
		"76.5", "84.0", "65.4", "64.4", "74.0", "50.0", // scores to one decimal (76.547…)
		"monthly view:", "horizon view:", "contacts/month",
		"Vendor A stops saving money if its prices rise",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	// vendor-a ranks first: its line comes before the baseline's.
	if a, b := strings.Index(out, "1  Vendor A"), strings.Index(out, "2  In-house"); a < 0 || b < 0 || a > b {
		t.Errorf("ranking is not vendor-a 1, in-house 2:\n%s", out)
	}
}

func TestCompareJSONEqualsAPI(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile(e2Path)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		flags []string
		query string
	}{
		{"Default", nil, ""},
		{"BreakEvenMax", []string{"-break-even-max", "45000"}, "?break_even_max=45000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append(append([]string{"compare", "-json"}, tc.flags...), e2Path)
			cli, _, err := runCmd(t, nil, args...)
			if err != nil {
				t.Fatal(err)
			}

			ts := httptest.NewServer(web.New(web.Config{}, web.Deps{}).Handler())
			defer ts.Close()
			res, err := http.Post(ts.URL+"/api/v1/compare"+tc.query, "application/json", bytes.NewReader(doc))
			if err != nil {
				t.Fatal(err)
			}
			api, err := io.ReadAll(res.Body)
			res.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != http.StatusOK {
				t.Fatalf("API status %d: %s", res.StatusCode, api)
			}
			if cli != string(api) {
				t.Errorf("compare -json and the API differ:\ncli: %.300s\napi: %.300s", cli, api)
			}
		})
	}
}

func TestCompareStdin(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile(e2Path)
	if err != nil {
		t.Fatal(err)
	}
	fromFile, _, err := runCmd(t, nil, "compare", e2Path, "-json") // a flag after the file works too
	if err != nil {
		t.Fatal(err)
	}
	fromStdin, _, err := runCmd(t, bytes.NewReader(doc), "compare", "-json", "-")
	if err != nil {
		t.Fatal(err)
	}
	if fromStdin != fromFile || !strings.Contains(fromStdin, `"tco":"4071167.36"`) {
		t.Errorf("stdin gives a different result:\n%.300s", fromStdin)
	}
}

func TestCompareErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(badDocument), 0o600); err != nil {
		t.Fatal(err)
	}
	malformed := filepath.Join(dir, "malformed.json")
	if err := os.WriteFile(malformed, []byte(`{"name": `), 0o600); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name      string
		args      []string
		usage     bool     // a command-line mistake (exit status 2)
		inStderr  []string // lines the user must see
		inMessage string
	}{
		{name: "ErrFields", args: []string{"compare", bad},
			inStderr: []string{
				bad + ": colour: unknown field",
				bad + ": options[0].scores.q: ",
				bad + ": options[1].pricing.tiers[0].price: must be ≥ 0",
			},
			inMessage: "3 problems in the document"},
		{name: "ErrMalformed", args: []string{"compare", malformed}, inMessage: "malformed JSON"},
		{name: "ErrMissingFile", args: []string{"compare", filepath.Join(dir, "none.json")}, inMessage: "no such file"},
		{name: "ErrNoFile", args: []string{"compare"}, usage: true, inMessage: "needs one FILE"},
		{name: "ErrTwoFiles", args: []string{"compare", e2Path, e2Path}, usage: true, inMessage: "needs one FILE"},
		{name: "ErrBreakEvenMax", args: []string{"compare", "-break-even-max", "-3", e2Path}, usage: true,
			inMessage: "-break-even-max"},
		{name: "ErrUnknownFlag", args: []string{"compare", "-nope", e2Path}, usage: true},
		{name: "ErrUnknownCommand", args: []string{"frobnicate"}, usage: true, inMessage: "unknown command"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, err := runCmd(t, nil, tc.args...)
			if err == nil {
				t.Fatalf("no error; stdout:\n%s", out)
			}
			var u usageError
			if errors.As(err, &u) != tc.usage {
				t.Errorf("usage error = %v, want %v: %v", !tc.usage, tc.usage, err)
			}
			var fields tco.Errors
			if errors.As(err, &fields) != (len(tc.inStderr) > 0) {
				t.Errorf("error %v: field problems not reachable with errors.As", err)
			}
			if !strings.Contains(err.Error(), tc.inMessage) {
				t.Errorf("error %q lacks %q", err, tc.inMessage)
			}
			for _, line := range tc.inStderr {
				if !strings.Contains(errOut, line) {
					t.Errorf("stderr lacks %q:\n%s", line, errOut)
				}
			}
			if out != "" {
				t.Errorf("stdout not empty on error:\n%s", out)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"help"}, {"-h"}} {
		out, _, err := runCmd(t, nil, args...)
		if err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		for _, want := range []string{"serve", "compare", "-addr", "-data", "-json", "-break-even-max"} {
			if !strings.Contains(out, want) {
				t.Errorf("%v: help lacks %q", args, want)
			}
		}
	}
}

// syncBuffer is a bytes.Buffer safe for the server's goroutine.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var listening = regexp.MustCompile(`listening on (https?://\S+)`)

// startServe runs "serve" with args until the returned cancel is called;
// it waits for the printed address. done yields run's result.
func startServe(t *testing.T, getenv func(string) string, args ...string) (url string, cancel func(), done <-chan error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	ch := make(chan error, 1)
	go func() { ch <- run(ctx, args, getenv, strings.NewReader(""), &out, &errOut) }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if m := listening.FindStringSubmatch(out.String()); m != nil {
			return m[1], cancel, ch
		}
		select {
		case err := <-ch:
			cancel()
			t.Fatalf("serve stopped before listening: %v\n%s", err, errOut.String())
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve printed no address:\n%s\n%s", out.String(), errOut.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestServe(t *testing.T) {
	t.Parallel()
	data := filepath.Join(t.TempDir(), "new", "data")
	url, cancel, done := startServe(t, env(nil), "serve", "-addr", "127.0.0.1:0", "-data", data)
	defer cancel()

	res, err := http.Get(url + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || strings.TrimSpace(string(body)) != `{"status":"ok"}` {
		t.Fatalf("healthz: %d %s", res.StatusCode, body)
	}
	if fi, err := os.Stat(data); err != nil || !fi.IsDir() {
		t.Errorf("data folder %s not created: %v", data, err)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v after cancel", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop after cancel")
	}
	if _, err := http.Get(url + "/healthz"); err == nil {
		t.Error("server still answers after shutdown")
	}
}

// TestServeDefaultCommand: with no sub-command the program serves, and the
// environment sets the address and data folder.
func TestServeDefaultCommand(t *testing.T) {
	t.Parallel()
	data := filepath.Join(t.TempDir(), "envdata")
	getenv := env(map[string]string{"VENDORCOMPARE_ADDR": "127.0.0.1:0", "VENDORCOMPARE_DATA": data})
	url, cancel, done := startServe(t, getenv)
	res, err := http.Get(url + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("healthz: %d", res.StatusCode)
	}
	if _, err := os.Stat(data); err != nil {
		t.Errorf("data folder from the environment not created: %v", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestServeFinishesInFlight: a request in progress when the signal comes
// still gets its answer.
func TestServeFinishesInFlight(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile(e2Path)
	if err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	tok := newToken(t, data, "viewer@example.com", "viewer") // accounts_test.go
	url, cancel, done := startServe(t, env(nil), "-addr", "127.0.0.1:0", "-data", data)

	// Send the headers and half the body, cancel, then send the rest.
	pr, pw := io.Pipe()
	result := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodPost, url+"/api/v1/compare", pr)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			result <- -1
			return
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		result <- res.StatusCode
	}()
	if _, err := pw.Write(doc[:len(doc)/2]); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // the request is now in the handler
	cancel()
	time.Sleep(100 * time.Millisecond)
	if _, err := pw.Write(doc[len(doc)/2:]); err != nil {
		t.Fatal(err)
	}
	pw.Close()

	if status := <-result; status != http.StatusOK {
		t.Errorf("in-flight request got %d, want 200", status)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestServeErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		args   []string
		getenv func(string) string
		usage  bool
	}{
		{"ErrArgument", []string{"serve", "extra"}, env(nil), true},
		{"ErrLogLevel", []string{"serve", "-addr", "127.0.0.1:0"}, env(map[string]string{"VENDORCOMPARE_LOG_LEVEL": "loud"}), true},
		{"ErrAddr", []string{"serve", "-addr", "not-an-address", "-data", t.TempDir()}, env(nil), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := run(context.Background(), tc.args, tc.getenv, strings.NewReader(""), io.Discard, io.Discard)
			if err == nil {
				t.Fatal("no error")
			}
			var u usageError
			if errors.As(err, &u) != tc.usage {
				t.Errorf("usage error = %v, want %v: %v", !tc.usage, tc.usage, err)
			}
		})
	}
}

// badDocument has an unknown field, a negative tier price and a score over
// its scale.
const badDocument = `{"name": "bad", "currency": "USD", "start": "2027-01", "horizon_months": 12, "colour": "red",
 "volume": {"unit": "contact", "monthly": 1000}, "baseline": "a",
 "criteria": [{"key": "q", "name": "Q", "weight": 1, "scale": 10}],
 "options": [
  {"id": "a", "name": "A", "lines": [{"name": "f", "category": "operations", "basis": "fixed", "amount": 100}], "scores": {"q": 11}},
  {"id": "b", "name": "B", "pricing": {"tiers": [{"up_to": 10, "price": -1}, {"price": 1}]}, "scores": {"q": 5}}]}`
