package main

import (
	"crypto/tls"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
)

// TestServeHSTS (issue 12, defect 7): over TLS every answer carries
// Strict-Transport-Security for a year, without includeSubDomains unless
// -hsts-subdomains asks; over plain HTTP there is none. serve also leaves
// a data folder of 0700 with a database of 0600, correcting an existing
// world-readable one.
func TestServeHSTS(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	certFile, keyFile, pool := selfSigned(t, dir)
	data := filepath.Join(dir, "data")
	if err := os.MkdirAll(data, 0o755); err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	hsts := func(c *http.Client, url string) string {
		t.Helper()
		res, err := c.Get(url + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.Header.Get("Strict-Transport-Security")
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"TLS", []string{"-tls-cert", certFile, "-tls-key", keyFile}, "max-age=31536000"},
		{"TLSSubdomains", []string{"-tls-cert", certFile, "-tls-key", keyFile, "-hsts-subdomains"}, "max-age=31536000; includeSubDomains"},
		{"PlainHTTP", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			url, cancel, done := startServe(t, env(nil), append([]string{"serve", "-addr", "127.0.0.1:0", "-data", data}, tc.args...)...)
			defer func() { cancel(); <-done }()
			if got := hsts(client, url); got != tc.want {
				t.Errorf("Strict-Transport-Security %q, want %q", got, tc.want)
			}
		})
	}
	for path, want := range map[string]os.FileMode{data: 0o700, filepath.Join(data, "vendorcompare.db"): 0o600} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s: %v, want %v", filepath.Base(path), fi.Mode().Perm(), want)
		}
	}
}

// TestCacheBytesConfig: the caches' budget comes from
// VENDORCOMPARE_CACHE_BYTES, then -cache-bytes, in bytes or with a unit;
// nonsense is a usage error.
func TestCacheBytesConfig(t *testing.T) {
	t.Parallel()
	getenv := func(v string) func(string) string {
		return func(k string) string {
			if k == "VENDORCOMPARE_CACHE_BYTES" {
				return v
			}
			return ""
		}
	}
	for _, tc := range []struct {
		env  string
		args []string
		want int64
	}{
		{"", nil, 64 << 20},
		{"16MiB", nil, 16 << 20},
		{"16MiB", []string{"-cache-bytes", "1048576"}, 1 << 20},
		{"", []string{"-cache-bytes", "2G"}, 2 << 30},
	} {
		cfg, err := loadConfig(tc.args, getenv(tc.env), io.Discard)
		if err != nil || cfg.CacheBytes != tc.want {
			t.Errorf("env %q, args %q: %d, %v; want %d", tc.env, tc.args, cfg.CacheBytes, err, tc.want)
		}
	}
	for _, bad := range []string{"0", "-5MiB", "lots", "1.5MiB"} {
		if _, err := loadConfig([]string{"-cache-bytes", bad}, getenv(""), io.Discard); err == nil {
			t.Errorf("-cache-bytes %q was accepted", bad)
		}
		if _, err := loadConfig(nil, getenv(bad), io.Discard); err == nil {
			t.Errorf("VENDORCOMPARE_CACHE_BYTES=%q was accepted", bad)
		}
	}
}
