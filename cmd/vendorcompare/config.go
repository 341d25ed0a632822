package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"vendorcompare/internal/evaluation"
	"vendorcompare/internal/web"
)

// Config is the server's settings: defaults, overridden by the environment,
// overridden by flags.
type Config struct {
	// Addr is the listen address, host:port; port 0 picks a free one.
	Addr string
	// DataDir holds the database and the demo evaluations; created if missing.
	DataDir string
	// LogLevel is the least severe level logged.
	LogLevel slog.Level
	// TLSCert and TLSKey are the PEM files of HTTPS; both or neither.
	TLSCert, TLSKey string
	// HSTSSubdomains adds includeSubDomains to HSTS under TLS.
	HSTSSubdomains bool
	// CacheBytes is the memory of the cached comparisons and dashboards.
	CacheBytes int64
	// MemoryProbe serves /admin/debug/memory (for the load run).
	MemoryProbe bool
	// ShutdownTimeout bounds how long in-flight requests may take to finish
	// after SIGINT/SIGTERM.
	ShutdownTimeout time.Duration
}

// loadConfig builds the serve Config from the environment and the flags in
// args; positional arguments are a usage error.
func loadConfig(args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	cfg := Config{
		Addr:            web.DefaultAddr,
		DataDir:         "./data",
		LogLevel:        slog.LevelInfo,
		ShutdownTimeout: 15 * time.Second,
		CacheBytes:      evaluation.DefaultCacheBytes,
	}
	cacheBytes := byteSize(cfg.CacheBytes)
	if v := getenv("VENDORCOMPARE_CACHE_BYTES"); v != "" {
		if err := cacheBytes.Set(v); err != nil {
			return cfg, usageError{fmt.Sprintf("VENDORCOMPARE_CACHE_BYTES=%q: %v", v, err)}
		}
	}
	cfg.MemoryProbe = getenv("VENDORCOMPARE_DEBUG_MEMORY") == "1"
	if v := getenv("VENDORCOMPARE_ADDR"); v != "" {
		cfg.Addr = v
	}
	if v := getenv("VENDORCOMPARE_DATA"); v != "" {
		cfg.DataDir = v
	}
	if v := getenv("VENDORCOMPARE_LOG_LEVEL"); v != "" {
		if err := cfg.LogLevel.UnmarshalText([]byte(v)); err != nil {
			return cfg, usageError{fmt.Sprintf("VENDORCOMPARE_LOG_LEVEL=%q: want debug, info, warn or error", v)}
		}
	}

	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "listen address (env VENDORCOMPARE_ADDR)")
	fs.StringVar(&cfg.DataDir, "data", cfg.DataDir, "data folder, created if missing (env VENDORCOMPARE_DATA)")
	fs.StringVar(&cfg.TLSCert, "tls-cert", "", "certificate file (PEM): serve HTTPS, with -tls-key")
	fs.StringVar(&cfg.TLSKey, "tls-key", "", "private key file (PEM) of -tls-cert")
	fs.Var(&cacheBytes, "cache-bytes", "memory of the cached comparisons and dashboards: bytes, or with KiB, MiB or GiB (env VENDORCOMPARE_CACHE_BYTES; default 64MiB)")
	fs.BoolVar(&cfg.HSTSSubdomains, "hsts-subdomains", false, "under TLS, extend HSTS to every subdomain (includeSubDomains)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return cfg, err
	}
	if len(pos) > 0 {
		return cfg, usageError{fmt.Sprintf("serve takes no arguments, got %q", pos)}
	}
	cfg.CacheBytes = int64(cacheBytes)
	if (cfg.TLSCert == "") != (cfg.TLSKey == "") {
		return cfg, usageError{"-tls-cert and -tls-key go together"}
	}
	if cfg.DataDir == "" {
		return cfg, usageError{"-data must not be empty"}
	}
	return cfg, nil
}

// byteSize is a flag of a size in bytes: a whole number, optionally with
// KiB, MiB or GiB (or K, M, G, the same powers of 1024).
type byteSize int64

func (b *byteSize) String() string { return strconv.FormatInt(int64(*b), 10) }

func (b *byteSize) Set(s string) error {
	num := strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}} {
		if strings.HasSuffix(num, u.suffix) {
			num, mult = strings.TrimSpace(strings.TrimSuffix(num, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n < 1 || n > (1<<50)/mult {
		return fmt.Errorf("want a positive size in bytes, KiB, MiB or GiB, got %q", s)
	}
	*b = byteSize(n * mult)
	return nil
}
