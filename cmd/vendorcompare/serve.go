package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"

	"vendorcompare/data"
	"vendorcompare/internal/store"
	"vendorcompare/internal/web"
)

// serve runs the web server until ctx ends, then lets in-flight requests
// finish within Config.ShutdownTimeout. Once listening it prints the actual
// address to stdout ("-addr 127.0.0.1:0" picks a free port).
//
// Before listening it opens the store in the data folder (applying
// migrations) and loads the demo evaluation into an empty database; the
// store is closed after the server has drained.
func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) (err error) {
	cfg, err := loadConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil { // store.Open corrects an existing one
		return fmt.Errorf("create data folder: %w", err)
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))

	st, err := store.Open(ctx, cfg.DataDir)
	if err != nil {
		return fmt.Errorf("open the database: %w", err)
	}
	// Deferred, so it runs after Shutdown has let requests finish.
	defer func() {
		if cerr := st.Close(); cerr != nil {
			err = errors.Join(err, fmt.Errorf("close the database: %w", cerr))
		}
	}()
	if err := loadDemo(ctx, st, cfg.DataDir, stdout); err != nil {
		return err
	}

	srv := web.New(web.Config{Addr: cfg.Addr, TLSCertFile: cfg.TLSCert, TLSKeyFile: cfg.TLSKey, HSTSIncludeSubdomains: cfg.HSTSSubdomains,
		CacheBytes: cfg.CacheBytes, MemoryProbe: cfg.MemoryProbe}, web.Deps{Logger: logger, Store: st})
	scheme := "http"
	if cfg.TLSCert != "" {
		scheme = "https"
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	if _, err := fmt.Fprintf(stdout, "vendorcompare listening on %s://%s\n", scheme, ln.Addr()); err != nil {
		ln.Close()
		return fmt.Errorf("write address: %w", err)
	}
	if err := printSetupLink(ctx, st, scheme, ln.Addr(), stdout); err != nil { // accounts.go
		ln.Close()
		return fmt.Errorf("setup link: %w", err)
	}
	logger.Info("serving", slog.String("addr", ln.Addr().String()), slog.String("data", cfg.DataDir))

	errc := make(chan error, 1)
	go func() { errc <- srv.Start(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}

	logger.Info("shutting down", slog.Duration("timeout", cfg.ShutdownTimeout))
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; err != nil {
		return err
	}
	logger.Info("stopped")
	return nil
}

// loadDemo loads the demo evaluation into an empty database and says so:
// from the data folder's demo.json when there is one (make run, or a demo
// of your own), else from the copy built into the binary.
func loadDemo(ctx context.Context, st *store.Store, dir string, stdout io.Writer) error {
	from := filepath.Join(dir, store.DemoFile)
	var loaded bool
	var err error
	if _, serr := os.Stat(from); serr == nil {
		loaded, err = st.LoadDemo(ctx, dir)
	} else {
		from = "the copy built into the program"
		loaded, err = st.LoadDemoFS(ctx, data.Demo)
	}
	if err != nil {
		return fmt.Errorf("load the demo: %w", err)
	}
	if loaded {
		if _, err := fmt.Fprintf(stdout, "vendorcompare: new database %s: loaded the demo evaluation from %s\n", st.Path(), from); err != nil {
			return fmt.Errorf("write: %w", err)
		}
	}
	return nil
}
