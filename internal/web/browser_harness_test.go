package web

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// The browser test harness: headless Chromium (chromedp) against the page
// test server.
//
//	b := newBrowser(t, p, 1280, 900)       // skips without Chromium, fails on CI
//	b.open("/evaluations/1?test=1")        // navigate and wait for the load
//	b.screenshot("dashboard-1280")         // $SCREENSHOT_DIR/dashboard-1280.png, if set
//	b.clean()                              // no console error, no CSP violation
//
// Use ?test=1 on pages with charts: it turns their animation off.

// chromePath finds Chromium: $CHROME_BIN, /usr/bin/chromium, or chromium /
// chromium-browser / google-chrome on the PATH. Without it the test is
// skipped on a developer machine but fails when CI=true.
func chromePath(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("CHROME_BIN"); p != "" {
		// a CHROME_BIN that names no program is a missing Chromium, not a crash later
		if _, err := exec.LookPath(p); err == nil {
			return p
		}
		if os.Getenv("CI") == "true" {
			t.Fatalf("CHROME_BIN=%q is not a program: the Chromium tests must run on CI", p)
		}
		t.Skipf("CHROME_BIN=%q is not a program: skipping the Chromium tests", p)
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, n := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("Chromium not found (set CHROME_BIN or install chromium): browser tests must run on CI")
	}
	t.Skip("Chromium not found: set CHROME_BIN or install chromium to run the browser tests")
	return ""
}

// browserT is one Chromium tab with its collected problems.
type browserT struct {
	t   testing.TB
	p   *pageT
	ctx context.Context

	mu       sync.Mutex
	problems []string // console errors, exceptions, error log entries
}

// cspProbe records every Content-Security-Policy violation of the page in
// window.__csp. Injected through the DevTools protocol, so the CSP does not
// apply to it.
const cspProbe = `(() => {
  window.__csp = [];
  document.addEventListener("securitypolicyviolation", (e) => {
    window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber);
  });
})();`

// newBrowser starts headless Chromium with a window of width × height CSS
// pixels, collecting console errors and exceptions; it closes with the
// test.
func newBrowser(t testing.TB, p *pageT, width, height int) *browserT {
	t.Helper()
	path := chromePath(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.WindowSize(width, height),
		chromedp.DisableGPU,
		chromedp.Flag("hide-scrollbars", true),
	)
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	b := &browserT{t: t, p: p}
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithListener(b.listen))
	t.Cleanup(func() { cancel(); acancel() })
	// start the browser without a deadline, then bound each step
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	b.ctx = ctx
	if _, err := chromedp.Call(ctx, log.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("log.enable: %v", err)
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspProbe}); err != nil {
		t.Fatalf("inject the CSP probe: %v", err)
	}
	if err := b.do(chromedp.EmulateViewport(int64(width), int64(height))); err != nil {
		t.Fatalf("viewport: %v", err)
	}
	b.shareSession() // auth_browser_helpers_test.go: signed in as the page client's user
	return b
}

// listen runs in the tab's event loop: it only records.
func (b *browserT) listen(ev any) {
	var msg string
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			parts := make([]string, 0, len(ev.Args))
			for _, a := range ev.Args {
				if a.Description != "" {
					parts = append(parts, a.Description)
				} else {
					parts = append(parts, strings.Trim(string(a.Value), `"`))
				}
			}
			msg = "console." + string(ev.Type) + ": " + strings.Join(parts, " ")
		}
	case *runtime.EventExceptionThrown:
		msg = "exception: " + ev.ExceptionDetails.Text
		if ev.ExceptionDetails.Exception != nil {
			msg += " " + ev.ExceptionDetails.Exception.Description
		}
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError {
			msg = fmt.Sprintf("log %s: %s %s", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL)
		}
	}
	if msg != "" {
		b.mu.Lock()
		b.problems = append(b.problems, msg)
		b.mu.Unlock()
	}
}

// do runs actions with a 30-second bound.
func (b *browserT) do(actions ...chromedp.Action[chromedp.Void]) error {
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	return chromedp.Do(ctx, actions...)
}

// eval evaluates a JavaScript expression and decodes its result into T.
func eval[T any](b *browserT, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// open navigates to a path of the test server and waits for the load.
func (b *browserT) open(path string) {
	b.t.Helper()
	if err := b.do(chromedp.Navigate(b.p.base + path)); err != nil {
		b.t.Fatalf("open %s: %v", path, err)
	}
}

// waitFor polls a JavaScript expression until it is truthy (10 s).
func (b *browserT) waitFor(expr string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	var err error
	for {
		// a navigation under way destroys the page's context: try again
		if _, err = chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingInterval(20*time.Millisecond))); err == nil || ctx.Err() != nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		b.mu.Lock()
		problems := append([]string(nil), b.problems...)
		b.mu.Unlock()
		b.t.Fatalf("wait for %s: %v; browser problems so far: %q", expr, err, problems)
	}
}

// reset forgets the problems collected so far.
func (b *browserT) reset() {
	b.mu.Lock()
	b.problems = nil
	b.mu.Unlock()
}

// clean fails the test for every console error, exception or error log
// entry so far, and every CSP violation of the current page.
func (b *browserT) clean() {
	b.t.Helper()
	b.mu.Lock()
	problems := append([]string(nil), b.problems...)
	b.mu.Unlock()
	for _, p := range problems {
		b.t.Errorf("browser console: %s", p)
	}
	for _, v := range eval[[]string](b, `window.__csp || ["the CSP probe did not run"]`) {
		b.t.Errorf("CSP violation: %s", v)
	}
}

// screenshot writes a full-page PNG to $SCREENSHOT_DIR/name.png when the
// variable is set (for looking at the pages); it does nothing otherwise.
func (b *browserT) screenshot(name string) {
	b.t.Helper()
	dir := os.Getenv("SCREENSHOT_DIR")
	if dir == "" {
		return
	}
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	file := filepath.Join(dir, name+".png")
	if err := os.WriteFile(file, buf, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot %s", file)
}
