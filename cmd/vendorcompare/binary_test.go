package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"vendorcompare/internal/chromium"
	"vendorcompare/static"
)

// TestBuiltBinaryServesCharts is the issue-13 promise: `go build
// ./cmd/vendorcompare && ./vendorcompare` with no Node on the PATH, run
// with no arguments in an empty folder, serves on its defaults (a new
// SQLite database in ./data, the demo loaded, a one-time setup link
// printed), answers 200 for every embedded static file including the
// vendored chart library, and (with Chromium) draws the demo dashboard's
// charts without a console error.
func TestBuiltBinaryServesCharts(t *testing.T) {
	t.Parallel()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("go is not on the PATH: %v", err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "vendorcompare")
	// The PATH as it is, minus node and npm, so the build proves it needs
	// neither (and keeps the cgo setting of this test's build, which lets
	// the build cache serve it).
	build := exec.Command(goBin, "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "PATH="+pathWithout(t, filepath.Join(dir, "path"), "node", "nodejs", "npm", "npx", "corepack"))
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	work := filepath.Join(dir, "fresh")
	if err := os.Mkdir(work, 0o700); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	srv := exec.CommandContext(ctx, bin) // no arguments: serve on the defaults
	srv.Dir = work
	// a free port instead of the default :8080, which another server may hold
	srv.Env = []string{"PATH=/nonexistent", "VENDORCOMPARE_ADDR=127.0.0.1:0"}
	srv.Cancel = func() error { return srv.Process.Signal(os.Interrupt) }
	srv.WaitDelay = 10 * time.Second
	stdout, err := srv.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	srv.Stderr = io.Discard
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		if err := srv.Wait(); err != nil && ctx.Err() == nil {
			t.Errorf("server: %v", err)
		}
	})

	base, setup, printed := readStartup(t, stdout)
	if _, err := os.Stat(filepath.Join(work, "data", "vendorcompare.db")); err != nil {
		t.Errorf("no database in ./data: %v", err)
	}
	if !strings.Contains(printed, "loaded the demo evaluation") {
		t.Errorf("no demo loaded; the server printed:\n%s", printed)
	}

	// Every embedded file answers 200 at its hashed URL, the chart library
	// above all (a plain build used to answer 500 for it).
	assets, err := static.NewAssets(static.FS)
	if err != nil {
		t.Fatal(err)
	}
	var vendored int
	for _, name := range assets.Names() {
		u, _ := assets.URL(name)
		res, err := http.Get(base + u)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || n == 0 {
			t.Errorf("GET %s: %d, %d bytes", u, res.StatusCode, n)
		}
		if strings.HasPrefix(name, "vendor/") && strings.HasSuffix(name, ".min.js") {
			vendored++
		}
	}
	if vendored < 2 {
		t.Errorf("%d vendored scripts embedded, want the chart library and its plugin", vendored)
	}

	chartsInBrowser(t, base, setup)
}

// pathWithout links every program of $PATH except the named ones into dir
// (the first of a name wins, as in a lookup) and returns dir as a PATH.
func pathWithout(t *testing.T, dir string, names ...string) string {
	t.Helper()
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, d := range filepath.SplitList(os.Getenv("PATH")) {
		entries, _ := os.ReadDir(d) // a missing folder on the PATH is no error
		for _, e := range entries {
			if slices.Contains(names, e.Name()) || e.IsDir() {
				continue
			}
			if _, err := os.Lstat(filepath.Join(dir, e.Name())); err == nil {
				continue
			}
			if err := os.Symlink(filepath.Join(d, e.Name()), filepath.Join(dir, e.Name())); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, n := range names {
		if p, err := exec.LookPath(filepath.Join(dir, n)); err == nil {
			t.Fatalf("%s is still reachable: %s", n, p)
		}
	}
	return dir
}

// readStartup reads the server's first lines until the setup link: the
// base URL, the link and everything printed.
func readStartup(t *testing.T, r io.Reader) (base, setup, printed string) {
	t.Helper()
	listening := regexp.MustCompile(`listening on (http://\S+)`)
	link := regexp.MustCompile(`(http://\S+/setup\?token=\S+)`)
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	timeout := time.After(30 * time.Second)
	var all strings.Builder
	for setup == "" {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("the server stopped before printing a setup link:\n%s", all.String())
			}
			all.WriteString(line + "\n")
			if m := listening.FindStringSubmatch(line); m != nil {
				base = m[1]
			}
			if m := link.FindStringSubmatch(line); m != nil {
				setup = m[1]
			}
		case <-timeout:
			t.Fatalf("no setup link within 30 s:\n%s", all.String())
		}
	}
	if base == "" {
		t.Fatalf("no listening address:\n%s", all.String())
	}
	go func() { // keep draining so the server never blocks on its stdout
		for range lines {
		}
	}()
	return base, setup, all.String()
}

// chartsInBrowser creates the first admin through the printed link in
// headless Chromium, opens the demo's dashboard and waits until every chart
// canvas has a Chart.js instance with painted pixels; any console error or
// exception fails. Without Chromium it skips, except under CI=true.
func chartsInBrowser(t *testing.T, base, setup string) {
	chrome := chromium.Find(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chrome), chromedp.WindowSize(1280, 900), chromedp.DisableGPU)
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer acancel()
	var mu sync.Mutex // the listener runs on the tab's event loop
	var problems []string
	bctx, bcancel := chromedp.NewContext(actx, chromedp.WithListener(func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError {
				var parts []string
				for _, a := range ev.Args {
					parts = append(parts, a.Description+strings.Trim(string(a.Value), `"`))
				}
				problems = append(problems, "console.error: "+strings.Join(parts, " "))
			}
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+ev.ExceptionDetails.Text)
		}
	}))
	defer bcancel()
	// generous: Chromium on a loaded 2-core machine takes its time
	ctx, cancel := context.WithTimeout(bctx, 3*time.Minute)
	defer cancel()
	fail := func(step string, err error) {
		t.Helper()
		mu.Lock()
		defer mu.Unlock()
		t.Fatalf("%s: %v; browser problems: %q", step, err, problems)
	}
	poll := func(step, expr string) {
		t.Helper()
		var err error
		for ctx.Err() == nil {
			// a navigation under way destroys the page's context: try again
			if _, err = chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingInterval(50*time.Millisecond))); err == nil {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
		fail(step, err)
	}

	const pw = "a long passphrase for the test"
	if err := chromedp.Do(ctx,
		chromedp.Navigate(setup),
		chromedp.SendKeys(`input[name="email"]`, "admin@example.com"),
		chromedp.SendKeys(`input[name="password"]`, pw),
		chromedp.SendKeys(`input[name="confirm"]`, pw),
		chromedp.Submit(`input[name="confirm"]`),
	); err != nil {
		fail("fill in the setup form", err)
	}
	poll("leave the setup page, signed in", `location.pathname !== "/setup" && document.readyState === "complete"`)
	// the demo is the first evaluation of the new database
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/evaluations/1?test=1")); err != nil {
		fail("open the dashboard", err)
	}
	poll("draw the charts", `document.documentElement.dataset.chartsDrawn !== undefined`)
	type drawn struct{ Canvases, Drawn, Blank int }
	got, err := chromedp.Run(ctx, chromedp.Evaluate[drawn](`(() => {
	  const cs = [...document.querySelectorAll("canvas[data-chart]")];
	  const blank = cs.filter((c) => {
	    if (!window.Chart || !Chart.getChart(c)) return true;
	    const px = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
	    for (let i = 3; i < px.length; i += 4) if (px[i] !== 0) return false;
	    return true;
	  });
	  return {Canvases: cs.length, Drawn: Number(document.documentElement.dataset.chartsDrawn), Blank: blank.length};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if got.Canvases < 5 || got.Drawn != got.Canvases || got.Blank != 0 {
		t.Errorf("dashboard charts: %+v, want every canvas drawn", got)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(problems) > 0 {
		t.Errorf("browser problems: %q", problems)
	}
}
