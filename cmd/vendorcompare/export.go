package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"vendorcompare/internal/evaluation"
	"vendorcompare/internal/sheet"
)

// export writes a stored evaluation's comparison for finance: the XLSX
// workbook of live formulas, the CSV of the monthly tables or the
// comparison's JSON, to -o FILE (by default the evaluation's safe file name
// in the current folder; "-" is stdout, for csv, json and text).
func export(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) (err error) {
	fset := flag.NewFlagSet("export", flag.ContinueOnError)
	fset.SetOutput(stderr)
	dir := dataDirFlag(fset, getenv)
	evalID := fset.Int64("evaluation", 0, "the evaluation's id (required)")
	format := fset.String("format", "xlsx", "xlsx (the finance workbook), csv (the monthly tables), json (the comparison) or text (the report with the decision in force)")
	out := fset.String("o", "", `the file to write ("-" for stdout, csv, json and text only; default the evaluation's name)`)
	sep := fset.String("sep", "comma", "csv only: comma (RFC 4180) or semicolon (';' and a decimal comma, for Excel in European locales)")
	bom := fset.Bool("bom", false, "csv only: start with a UTF-8 byte-order mark, so that Excel reads the text as UTF-8")
	fset.Usage = func() {
		fmt.Fprintln(fset.Output(), "usage: vendorcompare export [-data DIR] -evaluation ID [-format xlsx|csv|json|text] [-sep comma|semicolon] [-bom] [-o FILE|-]")
		fset.PrintDefaults()
	}
	pos, err := parseFlags(fset, args)
	if err != nil {
		return err
	}
	f, ferr := evaluation.ParseFormat(*format)
	switch {
	case len(pos) != 0:
		return usageError{fmt.Sprintf("export takes no FILE argument (%q): write it with -o FILE", pos[0])}
	case *evalID <= 0:
		return usageError{"export needs -evaluation ID"}
	case ferr != nil:
		return usageError{"-format " + ferr.Error()}
	case *out == "-" && f == evaluation.XLSX:
		return usageError{"an XLSX workbook is binary: write it to a file with -o FILE"}
	case *sep != "comma" && *sep != "semicolon":
		return usageError{fmt.Sprintf("-sep %q: must be comma or semicolon", *sep)}
	case (*sep != "comma" || *bom) && f != evaluation.CSV:
		return usageError{"-sep and -bom are for -format csv"}
	}

	st, err := openData(ctx, *dir)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := st.Close(); cerr != nil {
			err = errors.Join(err, fmt.Errorf("close the database: %w", cerr))
		}
	}()
	file, err := evaluation.New(st, evaluation.Config{CacheBytes: -1}).Export(ctx, *evalID, f, evaluation.ExportOptions{
		By: cliUser(getenv), CSV: sheet.CSVOptions{Semicolon: *sep == "semicolon", BOM: *bom}})
	if err != nil {
		return fmt.Errorf("evaluation %d: %w", *evalID, err)
	}
	if *out == "-" {
		if _, err := stdout.Write(file.Body); err != nil {
			return fmt.Errorf("write: %w", err)
		}
		return nil
	}
	name := *out
	if name == "" {
		name = file.Name
	}
	if err := writeFile(name, file.Body); err != nil {
		return err
	}
	if _, err := fmt.Fprintf(stdout, "wrote %s (%d bytes)\n", name, len(file.Body)); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return nil
}

// writeFile writes data to name through a temporary file in the same
// folder, renamed into place, so that a failed export never leaves half a
// workbook where the last good one was.
func writeFile(name string, data []byte) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}

// cliUser names who runs a command, for the workbook's About sheet: the
// command line and the system's user name.
func cliUser(getenv func(string) string) string {
	if u := getenv("USER"); u != "" {
		return "command line (" + u + ")"
	}
	return "command line"
}
