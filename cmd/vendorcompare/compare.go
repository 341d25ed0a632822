package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"

	"vendorcompare/internal/evaluation"
	"vendorcompare/internal/report"
	"vendorcompare/internal/report/words"
	"vendorcompare/internal/tco"
	"vendorcompare/internal/web"
)

// compare costs the evaluation document in a file ("-" for stdin) and prints
// the report, or with -json exactly the body POST /api/v1/compare returns.
// A bad document prints its problems to stderr, one per line with its path.
func compare(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the API's JSON instead of the table")
	beMax := fs.String("break-even-max", "", "top of the break-even volume range (default 3 × volume.monthly)")
	runsFlag := fs.String("runs", "", "risk runs, 100 to 20000, instead of the document's risk.runs (needs a risk block)")
	seedFlag := fs.String("seed", "", "risk seed, 0 to 2^53−1, instead of the document's risk.seed (needs a risk block)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: vendorcompare compare [-json] [-break-even-max N] [-runs N] [-seed S] FILE|-")
		fs.PrintDefaults()
	}
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"compare needs one FILE, or - for stdin"}
	}
	max, err := web.ParseBreakEvenMax(*beMax)
	if err != nil {
		return usageError{fmt.Sprintf("-break-even-max %q: must be a number ≥ 0", *beMax)}
	}
	runs, seed, err := tco.ParseRiskOverrides(*runsFlag, *seedFlag)
	if err != nil {
		var fields tco.Errors
		errors.As(err, &fields)
		return usageError{fmt.Sprintf("-%s: %s", fields[0].Path, fields[0].Message)}
	}

	name := pos[0]
	data, err := readInput(name, stdin)
	if err != nil {
		return err
	}
	if name == "-" {
		name = "stdin"
	}
	doc, err := tco.Decode(data)
	if err != nil {
		return documentError(name, err, stderr)
	}
	// The command line costs what the server does, the same way (one
	// comparison at a time is all a command needs, and its risk runs may
	// take every core: nobody else is waiting).
	cmp, err := evaluation.New(nil, evaluation.Config{MaxComparisons: 1, CacheBytes: -1, RiskWorkers: runtime.GOMAXPROCS(0)}).
		Compare(context.Background(), doc, tco.CompareOptions{BreakEvenMax: max, Runs: runs, Seed: seed})
	if err != nil {
		return documentError(name, err, stderr)
	}

	if !*asJSON {
		return report.Text(stdout, doc, cmp)
	}
	body, err := report.JSON(cmp)
	if err != nil {
		return err
	}
	if _, err := stdout.Write(body); err != nil {
		return fmt.Errorf("write comparison: %w", err)
	}
	return nil
}

// readInput reads the document from the named file, or stdin for "-".
func readInput(name string, stdin io.Reader) ([]byte, error) {
	if name == "-" {
		data, err := io.ReadAll(stdin)
		if err != nil {
			return nil, fmt.Errorf("read stdin: %w", err)
		}
		return data, nil
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("read document: %w", err)
	}
	return data, nil
}

// documentError prints a bad document's field problems to stderr, one per
// line with its JSON path, and returns an error that counts them.
func documentError(name string, err error, stderr io.Writer) error {
	var fields tco.Errors
	if !errors.As(err, &fields) {
		return fmt.Errorf("%s: %w", name, err)
	}
	for _, f := range fields.Sorted() {
		fmt.Fprintf(stderr, "%s: %s: %s\n", name, f.Path, f.Message)
	}
	return &problemsError{name: name, errs: fields}
}

// problemsError is a document with field problems, already listed on
// stderr; its message only counts them.
type problemsError struct {
	name string
	errs tco.Errors
}

func (e *problemsError) Error() string {
	return e.name + ": " + words.Count(len(e.errs), "problem") + " in the document"
}

func (e *problemsError) Unwrap() error { return e.errs }
