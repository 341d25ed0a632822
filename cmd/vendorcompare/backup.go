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

	"vendorcompare/internal/store"
)

// backup writes a consistent copy of the data folder's database to FILE
// (VACUUM INTO: safe while the server runs; an existing FILE is refused).
func backup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) (err error) {
	fset := flag.NewFlagSet("backup", flag.ContinueOnError)
	fset.SetOutput(stderr)
	dir := "./data"
	if v := getenv("VENDORCOMPARE_DATA"); v != "" {
		dir = v
	}
	fset.StringVar(&dir, "data", dir, "data folder holding "+store.FileName+" (env VENDORCOMPARE_DATA)")
	fset.Usage = func() {
		fmt.Fprintln(fset.Output(), "usage: vendorcompare backup [-data DIR] FILE")
		fset.PrintDefaults()
	}
	pos, err := parseFlags(fset, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || pos[0] == "" {
		return usageError{"backup needs one FILE to write"}
	}
	// Opening would create an empty database: refuse a folder without one.
	db := filepath.Join(dir, store.FileName)
	if _, err := os.Stat(db); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("no database to back up: %s does not exist", db)
	} else if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	st, err := store.Open(ctx, dir)
	if err != nil {
		return fmt.Errorf("open the database: %w", err)
	}
	defer func() {
		if cerr := st.Close(); cerr != nil {
			err = errors.Join(err, fmt.Errorf("close the database: %w", cerr))
		}
	}()
	if err := st.Backup(ctx, pos[0]); err != nil {
		return err
	}
	if _, err := fmt.Fprintf(stdout, "backed up %s to %s\n", st.Path(), pos[0]); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return nil
}
