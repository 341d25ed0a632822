// Package loadtest measures the real vendorcompare server: it builds the
// binary, starts it on a temporary data folder (loopback only), creates an
// editor and an API token through the command line, signs in through the
// login form, and drives it with vegeta (github.com/tsenart/vegeta/v12) as
// a library. Every attack is bounded in time and in requests.
//
// Run (cmd/loadtest) is the load run: health, the stateless comparison,
// the stored comparison, the dashboard page and a mixed workload of quote
// edits with optimistic versions, checked afterwards for lost updates.
// Scale generates 10,000 evaluations and 100,000 quotes and times every
// list page and API listing.
package loadtest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"
)

// Password is the password of the users the load run creates.
const Password = "load-test passphrase 2026"

// Build compiles cmd/vendorcompare (CGO_ENABLED=0, as make build does)
// into dir and returns the binary's path. It runs in the module's root,
// found with `go env GOMOD`.
func Build(ctx context.Context, dir string) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(out)))
	bin := filepath.Join(dir, "vendorcompare")
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", bin, "./cmd/vendorcompare")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/vendorcompare: %w\n%s", err, b)
	}
	return bin, nil
}

// CLI runs a sub-command of the binary with stdin and returns its stdout.
func CLI(ctx context.Context, bin, stdin string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("vendorcompare %s: %w: %s", strings.Join(args, " "), err, errOut.String())
	}
	return out.String(), nil
}

// Editor adds an editor to the database in data (`user add`) and returns
// a new API token of theirs (`token create`, its last line).
func Editor(ctx context.Context, bin, data, email string) (string, error) {
	if _, err := CLI(ctx, bin, Password+"\n", "user", "add", "-data", data, "-email", email, "-role", "editor"); err != nil {
		return "", err
	}
	out, err := CLI(ctx, bin, "", "token", "create", "-data", data, "-email", email, "-name", "load test")
	if err != nil {
		return "", err
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	return strings.TrimSpace(lines[len(lines)-1]), nil
}

// Server is a running vendorcompare serve process.
type Server struct {
	// URL is where it listens, http://127.0.0.1:PORT.
	URL string
	// Log is the file that receives its standard error (the request log).
	Log  string
	cmd  *exec.Cmd
	done chan error
}

var listening = regexp.MustCompile(`listening on (http://\S+)`)

// Start runs `bin serve -addr 127.0.0.1:0 -data data` and waits until it
// prints its address. Its log goes to data/../server.log; extraEnv is added
// to its environment. The process runs until Stop or Kill.
func Start(ctx context.Context, bin, data string, extraEnv ...string) (*Server, error) {
	return StartCmd(ctx, exec.Command(bin, "serve", "-addr", "127.0.0.1:0", "-data", data), filepath.Join(filepath.Dir(data), "server.log"), extraEnv...)
}

// StartCmd is Start with a command of the caller's (a wrapper such as
// prlimit, or a test binary); its log goes to logFile.
func StartCmd(ctx context.Context, cmd *exec.Cmd, logFile string, extraEnv ...string) (*Server, error) {
	logf, err := os.Create(logFile)
	if err != nil {
		return nil, err
	}
	cmd.Env = append(os.Environ(), extraEnv...)
	cmd.Stderr = logf
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		logf.Close()
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("start server: %w", err)
	}
	s := &Server{Log: logFile, cmd: cmd, done: make(chan error, 1)}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		sent := false
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil && !sent {
				found <- m[1]
				sent = true
			}
		}
		io.Copy(io.Discard, stdout)
		s.done <- cmd.Wait()
		logf.Close()
	}()
	select {
	case s.URL = <-found:
		return s, nil
	case err := <-s.done:
		s.done <- err
		b, _ := os.ReadFile(logFile)
		return nil, fmt.Errorf("server stopped before listening: %v\n%s", err, b)
	case <-time.After(60 * time.Second):
		s.Kill()
		return nil, errors.New("server printed no address within 60 s")
	case <-ctx.Done():
		s.Kill()
		return nil, ctx.Err()
	}
}

// Pid is the server's process id.
func (s *Server) Pid() int { return s.cmd.Process.Pid }

// Stop sends SIGTERM and waits (up to 30 s) for a graceful exit; it
// returns the process's exit error, nil on a clean stop.
func (s *Server) Stop() error {
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	select {
	case err := <-s.done:
		s.done <- err
		return err
	case <-time.After(30 * time.Second):
		s.Kill()
		return errors.New("server did not stop within 30 s of SIGTERM")
	}
}

// Kill ends the server with SIGKILL, as a crash would, and waits for it.
func (s *Server) Kill() {
	s.cmd.Process.Signal(syscall.SIGKILL)
	err := <-s.done
	s.done <- err
}

// Wait waits for the process to exit and returns its exit error.
func (s *Server) Wait() error {
	err := <-s.done
	s.done <- err
	return err
}

// Login signs email in through the login form (its CSRF token included)
// and returns the Cookie header of the session.
func Login(ctx context.Context, base, email string) (string, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/login", nil)
	res, err := c.Do(req)
	if err != nil {
		return "", err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	u, _ := url.Parse(base)
	var token string
	for _, ck := range jar.Cookies(u) {
		if ck.Name == "_csrf" {
			token = ck.Value
		}
	}
	form := url.Values{"_csrf": {token}, "email": {email}, "password": {Password}, "next": {"/"}}
	req, _ = http.NewRequestWithContext(ctx, http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err = c.Do(req)
	if err != nil {
		return "", err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		return "", fmt.Errorf("sign in: status %d", res.StatusCode)
	}
	var parts []string
	for _, ck := range jar.Cookies(u) {
		parts = append(parts, ck.Name+"="+ck.Value)
	}
	return strings.Join(parts, "; "), nil
}
