package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// usage is the text of `vendorcompare help`.
const usage = `vendorcompare compares keeping a service in-house with vendor quotes.

Usage:
  vendorcompare [serve] [flags]       run the web app and the JSON API (the default)
  vendorcompare compare [flags] FILE  cost an evaluation document (FILE "-" reads stdin)
  vendorcompare backup [-data DIR] FILE
                                      copy the database to FILE, safely while serving
  vendorcompare import -evaluation ID [-round-of OPTION_ID [-label L]] [-data DIR] FILE
                                      read a vendor's bid (the .xlsx bid form or a .csv) into
                                      an evaluation; every problem is printed with its cell
  vendorcompare export -evaluation ID -format xlsx|csv|json|text -o FILE [-data DIR]
                                      write the comparison for finance (-o - for stdout)
  vendorcompare user add -email E -role R [-data DIR]
                                      add a user (admin, editor or viewer); the password is
                                      the first line of standard input
  vendorcompare user passwd -email E [-data DIR]
                                      set a new password (standard input); ends their sessions
  vendorcompare token create -email E [-name N] [-data DIR]
                                      print a new personal API token (the last line)
  vendorcompare help                  show this help

serve flags:
  -addr ADDR   listen address (default 127.0.0.1:8080; env VENDORCOMPARE_ADDR)
  -data DIR    data folder, created if missing (default ./data; env VENDORCOMPARE_DATA)
  -tls-cert FILE -tls-key FILE   serve HTTPS with this certificate and key

compare flags:
  -json                print the API's JSON instead of the table
  -break-even-max N    top of the break-even volume range (default 3 × volume.monthly)

Environment:
  VENDORCOMPARE_LOG_LEVEL   debug, info (default), warn or error
`

// usageError is a mistake in the command line; main exits with status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// run is the whole program, with its environment passed in so that tests
// drive it like a user: args without the program name, getenv for the
// environment, and the three standard streams. ctx ends on SIGINT/SIGTERM.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd, rest := "serve", args
	if len(args) > 0 && (!strings.HasPrefix(args[0], "-") || isHelp(args[0])) {
		cmd, rest = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = serve(ctx, rest, getenv, stdout, stderr)
	case "compare":
		err = compare(rest, stdin, stdout, stderr)
	case "user":
		err = user(ctx, rest, getenv, stdin, stdout, stderr)
	case "token":
		err = token(ctx, rest, getenv, stdout, stderr)
	case "backup":
		err = backup(ctx, rest, getenv, stdout, stderr)
	case "import":
		err = importBid(ctx, rest, getenv, stdin, stdout, stderr)
	case "export":
		err = export(ctx, rest, getenv, stdout, stderr)
	default:
		if isHelp(cmd) {
			_, err = io.WriteString(stdout, usage)
			break
		}
		return usageError{fmt.Sprintf("unknown command %q; run 'vendorcompare help'", cmd)}
	}
	if errors.Is(err, flag.ErrHelp) {
		return nil // the flag set has printed its usage
	}
	return err
}

// parseFlags parses args with fs, allowing flags after positional arguments
// ("compare e2.json -json"), and returns the positional ones.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// isHelp reports whether arg asks for help.
func isHelp(arg string) bool {
	switch arg {
	case "help", "-h", "-help", "--help":
		return true
	}
	return false
}
