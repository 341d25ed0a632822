// Command loadtest measures the real vendorcompare server under load and
// at scale, on loopback only, bounded in time and requests (see
// internal/loadtest and BENCHMARKS.md).
//
// Usage:
//
//	loadtest [-bin bin/vendorcompare] [-c 64] [-d 10s] [-n 200000]   the load run; exits 1 when a target is missed
//	loadtest -quick                                                   2 s per target, 8 connections, report only
//	loadtest -gunzip                                                  the client decompresses gzipped answers too
//	loadtest -only mixed [-d 5s]                                      one target alone (healthz, compare, comparison, dashboard, mixed)
//	loadtest -scale [-evaluations 10000] [-quotes 10] [-samples 200]  the listings on a generated database
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"vendorcompare/internal/loadtest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	bin := fs.String("bin", "", "vendorcompare binary (default: build ./cmd/vendorcompare)")
	conns := fs.Int("c", 64, "concurrent connections")
	dur := fs.Duration("d", 10*time.Second, "duration of each target")
	max := fs.Uint64("n", 200000, "most requests per target")
	quick := fs.Bool("quick", false, "a few seconds per target with 8 connections; report only")
	example := fs.String("example", "internal/tco/testdata/e2.json", "document POSTed to /api/v1/compare")
	keep := fs.Bool("keep", false, "keep the temporary folder (database, server log)")
	gunzip := fs.Bool("gunzip", false, "decompress gzipped answers in the client instead of discarding their bytes")
	only := fs.String("only", "", "run one target alone: "+strings.Join(loadtest.TargetKeys, ", "))
	scale := fs.Bool("scale", false, "generate a large database and time every listing instead")
	evals := fs.Int("evaluations", 10000, "scale: evaluations to generate")
	quotes := fs.Int("quotes", 10, "scale: vendor quotes per evaluation")
	samples := fs.Uint64("samples", 200, "scale: requests per listing")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *scale {
		rep, err := loadtest.Scale(ctx, loadtest.ScaleConfig{Bin: *bin, Evaluations: *evals, QuotesPer: *quotes,
			Samples: *samples, Keep: *keep, Out: os.Stdout})
		if err != nil {
			return err
		}
		if len(rep.Missed) > 0 && !*quick {
			return fmt.Errorf("%d targets missed", len(rep.Missed))
		}
		return nil
	}
	cfg := loadtest.Config{Bin: *bin, Connections: *conns, Duration: *dur, MaxRequests: *max,
		Example: *example, Keep: *keep, Only: *only, Gunzip: *gunzip, Out: os.Stdout}
	if *quick {
		cfg.Quick = true
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		if !set["c"] {
			cfg.Connections = 8
		}
		if !set["d"] {
			cfg.Duration = 2 * time.Second
		}
	}
	rep, err := loadtest.Run(ctx, cfg)
	if err != nil {
		return err
	}
	if len(rep.Missed) > 0 && !cfg.Quick {
		return fmt.Errorf("%d targets missed", len(rep.Missed))
	}
	return nil
}
