package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"vendorcompare/internal/evaluation"
	"vendorcompare/internal/report/words"
	"vendorcompare/internal/sheet"
	"vendorcompare/internal/store"
	"vendorcompare/internal/tco"
)

// importActor is who the audit log says made a change from the command
// line.
const importActor = "cli"

// importBid reads a vendor's bid (the filled XLSX bid form or a CSV bid;
// FILE "-" reads stdin) into a stored evaluation: a new vendor option, or
// with -round-of a new round of that option. A bid with problems prints
// each on its own line to stderr with its cell, saves nothing, and fails.
func importBid(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) (err error) {
	fset := flag.NewFlagSet("import", flag.ContinueOnError)
	fset.SetOutput(stderr)
	dir := dataDirFlag(fset, getenv)
	evalID := fset.Int64("evaluation", 0, "the evaluation's id (required)")
	roundOf := fset.Int64("round-of", 0, "save the bid as a new round of this option (its id) instead of a new option")
	label := fset.String("label", "", "the new round's label: initial, revised (default) or best_and_final; only with -round-of")
	confirm := fset.Bool("confirm", false, "import a bid form made for another evaluation (a copy included) or priced against a forecast that has changed since, and values that look implausible")
	vendor := fset.Int64("vendor", 0, "link the option to this vendor of the directory (its id); by default the vendor of the bid's name, if any")
	separate := fset.Bool("new", false, "save the bid as a separate quote even when the evaluation has a quote of the same name")
	fset.Usage = func() {
		fmt.Fprintln(fset.Output(), "usage: vendorcompare import [-data DIR] -evaluation ID [-round-of OPTION_ID [-label revised] | -new] [-vendor VENDOR_ID] [-confirm] FILE|-")
		fset.PrintDefaults()
	}
	pos, err := parseFlags(fset, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) != 1 || pos[0] == "":
		return usageError{"import needs one FILE (.xlsx or .csv), or - for stdin"}
	case *evalID <= 0:
		return usageError{"import needs -evaluation ID"}
	case *roundOf < 0 || *roundOf == 0 && *label != "":
		return usageError{"-label is for a new round: give -round-of OPTION_ID too"}
	case *roundOf > 0 && *separate:
		return usageError{"-new is for a separate quote: leave out -round-of, or -new"}
	case *vendor < 0:
		return usageError{"-vendor needs a vendor's id"}
	}
	link := store.BidLink{New: *separate}
	if *vendor > 0 {
		link.VendorID = vendor
	}
	var round *store.RoundTarget
	if *roundOf > 0 {
		round = &store.RoundTarget{OptionID: *roundOf, Label: *label}
		if round.Label == "" {
			round.Label = store.LabelRevised
		}
	}

	name := pos[0]
	in, size := stdin, int64(-1)
	if name == "-" {
		name = "stdin"
	} else {
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("read the bid: %w", err)
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil {
			size = fi.Size()
		}
		in = f
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
	if *confirm {
		ctx = store.Confirmed(ctx)
	}
	o, err := evaluation.New(st, evaluation.Config{CacheBytes: -1}).ImportBid(ctx, importActor, *evalID, in, size, round, link)
	var dup *store.DuplicateBid
	if errors.As(err, &dup) {
		return fmt.Errorf("%s: %s; nothing was saved: add -round-of %d to save it as a new round of %s, or -new to save it as a separate quote",
			name, dup.Error(), dup.OptionID, dup.Name)
	}
	if err != nil {
		return bidError(name, err, stderr)
	}
	if round != nil {
		_, err = fmt.Fprintf(stdout, "saved %s as round %q of option %d, %s (%s), of evaluation %d\n",
			name, round.Label, o.ID, o.Name, o.Slug, *evalID)
	} else {
		_, err = fmt.Fprintf(stdout, "saved %s as option %d, %s (%s), of evaluation %d\n", name, o.ID, o.Name, o.Slug, *evalID)
	}
	if err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return nil
}

// bidError prints every problem of a refused bid to stderr, one a line
// with its place (a cell, a CSV row and column, or the evaluation's path),
// and returns an error that counts them; other errors pass through.
func bidError(name string, err error, stderr io.Writer) error {
	var lines []string
	var problems sheet.Errors
	var fields tco.Errors
	var mismatch *sheet.MismatchError
	switch {
	case errors.As(err, &mismatch):
		return fmt.Errorf("%s: %w (run again with -confirm to import it)", name, err)
	case errors.As(err, &problems):
		lines = problems.Lines()
	case errors.Is(err, store.ErrInvalid) && errors.As(err, &fields):
		for _, f := range fields.Sorted() {
			lines = append(lines, f.Path+": "+f.Message)
		}
	default:
		return fmt.Errorf("%s: %w", name, err)
	}
	for _, l := range lines {
		fmt.Fprintf(stderr, "%s: %s\n", name, l)
	}
	var se *store.Error
	if errors.As(err, &se) && se.Confirm {
		n := len(lines)
		it := words.Agree(n, "it", "them")
		return fmt.Errorf("%s: %s %s implausible; nothing was saved: check %s, or run again with -confirm to save %s as %s",
			name, words.Count(n, "value"), words.Agree(n, "looks", "look"), it, it, words.Agree(n, "it is", "they are"))
	}
	return fmt.Errorf("%s: %s in the bid; nothing was saved", name, words.Count(len(lines), "problem"))
}

// dataDirFlag defines -data on fset: the data folder, by default ./data or
// VENDORCOMPARE_DATA.
func dataDirFlag(fset *flag.FlagSet, getenv func(string) string) *string {
	dir := "./data"
	if v := getenv("VENDORCOMPARE_DATA"); v != "" {
		dir = v
	}
	return fset.String("data", dir, "data folder holding "+store.FileName+" (env VENDORCOMPARE_DATA)")
}

// openData opens the database of an existing data folder. Opening would
// create an empty database, so a folder without one is an error instead.
func openData(ctx context.Context, dir string) (*store.Store, error) {
	db := filepath.Join(dir, store.FileName)
	if _, err := os.Stat(db); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no database: %s does not exist (run serve once, or give -data)", db)
	} else if err != nil {
		return nil, fmt.Errorf("open the database: %w", err)
	}
	st, err := store.Open(ctx, dir)
	if err != nil {
		return nil, fmt.Errorf("open the database: %w", err)
	}
	return st, nil
}
