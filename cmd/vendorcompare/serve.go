package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"

	"vendorcompare/internal/web"
)

// serve runs the web server until ctx ends, then lets in-flight requests
// finish within Config.ShutdownTimeout. Once listening it prints the actual
// address to stdout ("-addr 127.0.0.1:0" picks a free port).
func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := loadConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return fmt.Errorf("create data folder: %w", err)
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))

	srv := web.New(web.Config{Addr: cfg.Addr}, web.Deps{Logger: logger})
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	if _, err := fmt.Fprintf(stdout, "vendorcompare listening on http://%s\n", ln.Addr()); err != nil {
		ln.Close()
		return fmt.Errorf("write address: %w", err)
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
