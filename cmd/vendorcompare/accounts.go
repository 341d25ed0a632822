package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"vendorcompare/internal/auth"
	"vendorcompare/internal/store"
)

// setupLinkLifetime is how long the first-admin setup link works.
const setupLinkLifetime = 24 * time.Hour

// cliActor is who the audit log names for changes made from the command
// line (the person at the server's console).
const cliActor = "cli"

// dataFlag adds -data (default $VENDORCOMPARE_DATA or ./data) to fs.
func dataFlag(fs *flag.FlagSet, getenv func(string) string) *string {
	def := "./data"
	if v := getenv("VENDORCOMPARE_DATA"); v != "" {
		def = v
	}
	return fs.String("data", def, "data folder (env VENDORCOMPARE_DATA)")
}

// userUsage is the usage line of `vendorcompare user`.
const userUsage = "usage: vendorcompare user add -data DIR -email E -role admin|editor|viewer, or user passwd -data DIR -email E [-keep-tokens] (the password on standard input)"

// user runs `vendorcompare user add -data DIR -email E -role R`: it adds a
// user whose password is the first line of standard input (so it stays out
// of the shell history and the process list); and `user passwd`, which
// sets a new password the same way.
func user(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "passwd" {
		return passwd(ctx, args[1:], getenv, stdin, stdout, stderr)
	}
	if len(args) == 0 || args[0] != "add" {
		return usageError{userUsage}
	}
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := dataFlag(fs, getenv)
	email := fs.String("email", "", "the user's e-mail address (required)")
	role := fs.String("role", "", "admin, editor or viewer (required)")
	pos, err := parseFlags(fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) > 0 || *email == "" || !store.Role(*role).Valid() {
		return usageError{"user add needs -email and -role admin|editor|viewer, and no arguments"}
	}
	pw, err := readPassword(stdin)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, *data)
	if err != nil {
		return fmt.Errorf("open the database: %w", err)
	}
	defer st.Close()
	u, err := st.CreateUser(ctx, cliActor, *email, store.Role(*role), auth.HashPassword(pw))
	if err != nil {
		return fmt.Errorf("add user: %w", err)
	}
	_, err = fmt.Fprintf(stdout, "added %s %s; they sign in at /login\n", u.Role, u.Email)
	return err
}

// readPassword reads one line of r as a password (no echo needed: it is
// piped or typed) and checks its length.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(r, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the password: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if err := auth.CheckPassword(pw); err != nil {
		return "", usageError{"the password on standard input " + err.Error()}
	}
	return pw, nil
}

// tokenUsage is the usage line of `vendorcompare token`.
const tokenUsage = "usage: vendorcompare token create -data DIR -email E [-name N] [-expires 90d]"

// token runs `vendorcompare token create -data DIR -email E [-name N]
// [-expires D]`: it makes a personal API token for the user and prints it
// as the last line. -expires takes days (90d), weeks (12w) or a duration
// (36h); without it the token never expires.
func token(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return usageError{tokenUsage}
	}
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := dataFlag(fs, getenv)
	email := fs.String("email", "", "the e-mail address of the token's user (required)")
	name := fs.String("name", "command line", "what the token is for")
	lifetime := fs.String("expires", "", "when the token expires: in days (90d), weeks (12w) or a duration (36h); default never")
	pos, err := parseFlags(fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) > 0 || *email == "" {
		return usageError{"token create needs -email, and no arguments"}
	}
	d, err := auth.ParseLifetime(*lifetime)
	if err != nil {
		return usageError{"token create -expires " + err.Error()}
	}
	var expires *time.Time
	if d > 0 {
		t := time.Now().Add(d).UTC()
		expires = &t
	}
	st, err := store.Open(ctx, *data)
	if err != nil {
		return fmt.Errorf("open the database: %w", err)
	}
	defer st.Close()
	u, _, err := st.Credentials(ctx, *email)
	if err != nil {
		return fmt.Errorf("token for %s: %w", *email, err)
	}
	if u.Disabled {
		return fmt.Errorf("token for %s: the user is disabled", u.Email)
	}
	secret, hash := auth.NewSecret(auth.APITokenPrefix)
	hint := secret[:len(auth.APITokenPrefix)+4] + "…"
	if _, err := st.CreateAPIToken(ctx, cliActor, u.ID, *name, hash, hint, expires); err != nil {
		return fmt.Errorf("create token: %w", err)
	}
	until := "never expires"
	if expires != nil {
		until = "expires " + expires.Format("2006-01-02 15:04") + " UTC"
	}
	_, err = fmt.Fprintf(stdout, "API token for %s (%s), %s, shown once; send it as Authorization: Bearer <token>\n%s\n", u.Email, u.Role, until, secret)
	return err
}

// printSetupLink prints, when the database has no user yet, a one-time
// link that creates the first admin: there is no default password. Each
// start with no user makes a new link and the older ones stop working.
func printSetupLink(ctx context.Context, st *store.Store, scheme string, addr net.Addr, stdout io.Writer) error {
	n, err := st.CountUsers(ctx)
	if err != nil || n > 0 {
		return err
	}
	secret, hash := auth.NewSecret(auth.SetupTokenPrefix)
	if err := st.CreateSetupToken(ctx, hash, time.Now().Add(setupLinkLifetime)); err != nil {
		return err
	}
	host := addr.String()
	if tcp, ok := addr.(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		host = net.JoinHostPort("localhost", fmt.Sprint(tcp.Port))
	}
	_, err = fmt.Fprintf(stdout, "No user yet. Create the first admin within 24 hours at this one-time link:\n  %s://%s/setup?token=%s\n", scheme, host, secret)
	return err
}

// passwd runs `vendorcompare user passwd -data DIR -email E
// [-keep-tokens]`: it sets the user's password to the first line of
// standard input, ends every session of theirs and, unless -keep-tokens,
// revokes their API tokens (a forgotten admin password is recovered this
// way).
func passwd(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("user passwd", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := dataFlag(fs, getenv)
	email := fs.String("email", "", "the user's e-mail address (required)")
	keep := fs.Bool("keep-tokens", false, "keep the user's API tokens working (by default a new password revokes them)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 || *email == "" {
		return usageError{userUsage}
	}
	pw, err := readPassword(stdin)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, *data)
	if err != nil {
		return fmt.Errorf("open the database: %w", err)
	}
	defer st.Close()
	u, _, err := st.Credentials(ctx, *email)
	if err != nil {
		return fmt.Errorf("user %s: %w", *email, err)
	}
	pc, err := st.SetPassword(ctx, cliActor, u.ID, auth.HashPassword(pw), *keep)
	if err != nil {
		return err
	}
	tokens := "their API tokens were kept (-keep-tokens)"
	if !*keep {
		tokens = fmt.Sprintf("%d API token(s) of theirs revoked", pc.TokensRevoked)
	}
	_, err = fmt.Fprintf(stdout, "new password set for %s; every session of theirs has ended; %s\n", u.Email, tokens)
	return err
}
