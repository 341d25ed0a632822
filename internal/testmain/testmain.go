// Package testmain is what the test binaries share before their tests run.
// It is imported by _test.go files only.
package testmain

import (
	"os"
	"runtime/debug"
	"testing"
)

// GC sets the garbage collector's target to 400% unless GOGC is set: the
// tests' garbage is short-lived and memory plentiful, and `go test ./...`
// is bound by CPU on two cores. It took a quarter off internal/tco's CPU
// (7.3 → 5.6 s) and 10–15% off the web package's non-browser tests
// (06 Dec, BENCHMARKS.md).
func GC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
}

// Run runs m's tests after GC and exits with their code: a package's
// whole TestMain.
func Run(m *testing.M) {
	GC()
	os.Exit(m.Run())
}
