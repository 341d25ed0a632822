package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

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
	}
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
	fs.BoolVar(&cfg.HSTSSubdomains, "hsts-subdomains", false, "under TLS, extend HSTS to every subdomain (includeSubDomains)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return cfg, err
	}
	if len(pos) > 0 {
		return cfg, usageError{fmt.Sprintf("serve takes no arguments, got %q", pos)}
	}
	if (cfg.TLSCert == "") != (cfg.TLSKey == "") {
		return cfg, usageError{"-tls-cert and -tls-key go together"}
	}
	if cfg.DataDir == "" {
		return cfg, usageError{"-data must not be empty"}
	}
	return cfg, nil
}
