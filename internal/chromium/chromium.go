// Package chromium finds the browser the Chromium tests drive, for the
// test files of every package that has them (internal/web, cmd).
package chromium

import (
	"os"
	"os/exec"
	"testing"
)

// candidates are looked for in order. Chromium's headless shell first:
// the same Blink, V8 and printing as the full browser without its
// windowing layer, it runs the web package's browser tests on about a third
// of the CPU (TestBrowserAccessibility 8.6 s → 3.1 s of CPU, children
// included, 06 Dec), which on a 2-core machine is most of `go test ./...`.
// Debian packages it as chromium-headless-shell; the full browser stays
// a fallback.
var candidates = []string{
	"/usr/bin/chromium-headless-shell", "chromium-headless-shell",
	"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable",
}

// Find returns the Chromium to drive: $CHROME_BIN, else the first of the
// candidates installed. Without one the test is skipped on a developer
// machine and fails when CI=true (the browser tests must run there).
func Find(t testing.TB) string {
	t.Helper()
	ci := os.Getenv("CI") == "true"
	if p := os.Getenv("CHROME_BIN"); p != "" {
		// a CHROME_BIN that names no program is a missing Chromium, not a crash later
		if _, err := exec.LookPath(p); err == nil {
			return p
		}
		if ci {
			t.Fatalf("CHROME_BIN=%q is not a program: the Chromium tests must run on CI", p)
		}
		t.Skipf("CHROME_BIN=%q is not a program: skipping the Chromium tests", p)
	}
	for _, n := range candidates {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	if ci {
		t.Fatal("Chromium not found (set CHROME_BIN or install chromium-headless-shell or chromium): browser tests must run on CI")
	}
	t.Skip("Chromium not found: set CHROME_BIN or install chromium-headless-shell or chromium to run the browser tests")
	return ""
}
