package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"vendorcompare/internal/store"
)

// evaluationNames lists the names GET /api/v1/evaluations answers to the
// API token tok (newToken, accounts_test.go).
func evaluationNames(t *testing.T, url, tok string) []string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url+"/api/v1/evaluations", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var page struct {
		Items []struct{ Name string }
		Total int
	}
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(res.Body)
		t.Fatalf("list evaluations: %d %s", res.StatusCode, b)
	}
	if err := json.NewDecoder(res.Body).Decode(&page); err != nil {
		t.Fatal(err)
	}
	names := []string{}
	for _, e := range page.Items {
		names = append(names, e.Name)
	}
	if page.Total != len(names) {
		t.Fatalf("total %d, %d items", page.Total, len(names))
	}
	return names
}

func stop(t *testing.T, cancel func(), done <-chan error) {
	t.Helper()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// TestServeLoadsDemo: serve on a fresh data folder (no demo.json in it)
// answers the API with the demo built into the binary, once: a second
// start keeps the database as it is.
func TestServeLoadsDemo(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	tok := newToken(t, data, "admin@example.com", "admin")
	url, cancel, done := startServe(t, env(nil), "serve", "-addr", "127.0.0.1:0", "-data", data)
	names := evaluationNames(t, url, tok)
	if len(names) != 1 || !strings.Contains(names[0], "Customer service centre") {
		t.Fatalf("demo not loaded: %q", names)
	}
	// Change something, restart: the demo is not loaded again.
	req, _ := http.NewRequest(http.MethodPost, url+"/api/v1/vendors", strings.NewReader(`{"name": "Added before restart"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("create vendor: %d", res.StatusCode)
	}
	stop(t, cancel, done)
	if _, err := os.Stat(filepath.Join(data, store.FileName)); err != nil {
		t.Fatalf("no database file: %v", err)
	}

	url, cancel, done = startServe(t, env(nil), "serve", "-addr", "127.0.0.1:0", "-data", data)
	if names := evaluationNames(t, url, tok); len(names) != 1 {
		t.Errorf("after restart: %q", names)
	}
	stop(t, cancel, done)
}

// TestServeLoadsDemoFromDataFolder: a demo.json in the data folder (as in
// the repository's data/, used by make run) wins over the built-in copy.
func TestServeLoadsDemoFromDataFolder(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	raw, err := os.ReadFile("../../data/" + store.DemoFile)
	if err != nil {
		t.Fatal(err)
	}
	raw = bytes.Replace(raw, []byte(`"name": "Customer service centre`), []byte(`"name": "Local demo: customer service centre`), 1)
	if err := os.WriteFile(filepath.Join(data, store.DemoFile), raw, 0o600); err != nil {
		t.Fatal(err)
	}
	tok := newToken(t, data, "admin@example.com", "admin")
	var out, errOut syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "-addr", "127.0.0.1:0", "-data", data}, env(nil), strings.NewReader(""), &out, &errOut)
	}()
	var url string
	for deadline := time.Now().Add(10 * time.Second); url == ""; {
		if m := listening.FindStringSubmatch(out.String()); m != nil {
			url = m[1]
		} else if time.Now().After(deadline) {
			cancel()
			t.Fatalf("not listening: %s %s", out.String(), errOut.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if names := evaluationNames(t, url, tok); len(names) != 1 || !strings.HasPrefix(names[0], "Local demo:") {
		t.Errorf("names %q", names)
	}
	if !strings.Contains(out.String(), "loaded the demo evaluation from "+filepath.Join(data, store.DemoFile)) {
		t.Errorf("serve did not say where the demo came from:\n%s", out.String())
	}
	stop(t, cancel, done)
}

// TestBackup: a backup taken while the server runs is a database that
// opens, passes the integrity check and holds the data.
func TestBackup(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	tok := newToken(t, data, "admin@example.com", "admin")
	url, cancel, done := startServe(t, env(nil), "serve", "-addr", "127.0.0.1:0", "-data", data)
	defer stop(t, cancel, done)
	if names := evaluationNames(t, url, tok); len(names) != 1 {
		t.Fatalf("names %q", names)
	}
	file := filepath.Join(t.TempDir(), "nested", "backup.db")
	out, _, err := runCmd(t, nil, "backup", "-data", data, file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "backed up") {
		t.Errorf("stdout %q", out)
	}

	restored := t.TempDir()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(restored, store.FileName), b, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st, err := store.Open(ctx, restored)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Check(ctx); err != nil {
		t.Fatal(err)
	}
	page, err := st.ListEvaluations(ctx, store.ListParams{})
	if err != nil || page.Total != 1 {
		t.Fatalf("restored database: %v, %+v", err, page)
	}

	for _, tc := range []struct {
		name  string
		args  []string
		usage bool
		msg   string
	}{
		{"ErrNoFile", []string{"backup", "-data", data}, true, "needs one FILE"},
		{"ErrExists", []string{"backup", "-data", data, file}, false, "refusing to overwrite"},
		{"ErrNoDatabase", []string{"backup", "-data", t.TempDir(), filepath.Join(t.TempDir(), "x.db")}, false, "no database"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := runCmd(t, nil, tc.args...)
			var u usageError
			if err == nil || errors.As(err, &u) != tc.usage || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("err %v (usage %v), want %q", err, errors.As(err, &u), tc.msg)
			}
		})
	}
}

// TestHelpBackup: help names the backup sub-command and its flag.
func TestHelpBackup(t *testing.T) {
	t.Parallel()
	out, _, err := runCmd(t, nil, "help")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "vendorcompare backup [-data DIR] FILE") {
		t.Errorf("help lacks backup:\n%s", out)
	}
	// -h of the sub-command prints its usage and is not an error.
	_, errOut, err := runCmd(t, nil, "backup", "-h")
	if err != nil || !strings.Contains(errOut, "usage: vendorcompare backup") {
		t.Errorf("backup -h: %v\n%s", err, errOut)
	}
}
