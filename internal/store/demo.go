package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"vendorcompare/internal/tco"
)

// Demo data files in the data directory.
const (
	DemoFile      = "demo.json"       // the evaluation, a spec document (every vendor at its first round)
	DemoExtraFile = "demo-extra.json" // vendor directory entries and later quote rounds
)

// demoExtra is the part of the demo that is not a spec document.
type demoExtra struct {
	Vendors []struct {
		Option string `json:"option"` // option id the vendor is linked to
		VendorInput
		Initial struct {
			Received string `json:"received"`
			Notes    string `json:"notes"`
		} `json:"initial"`
	} `json:"vendors"`
	Rounds []struct {
		Option string `json:"option"`
		RoundInput
		Pricing *tco.Pricing `json:"pricing"`
		Lines   []tco.Line   `json:"lines"` // nil: the current round's lines
	} `json:"rounds"`
}

// LoadDemo loads the demo evaluation of dataDir (DemoFile, and DemoExtraFile
// when present) into an empty database, in one transaction, and reports
// whether it did. A database holding any evaluation or vendor is left alone,
// so calling it at every start-up is safe; so is a data folder without
// DemoFile (nothing is loaded). The demo's audit rows name the actor "demo".
func (s *Store) LoadDemo(ctx context.Context, dataDir string) (bool, error) {
	return s.LoadDemoFS(ctx, os.DirFS(dataDir))
}

// LoadDemoFS is LoadDemo reading DemoFile and DemoExtraFile from fsys, such
// as the copy embedded in the binary (package vendorcompare/data), so the
// program loads its demo wherever it runs.
func (s *Store) LoadDemoFS(ctx context.Context, fsys fs.FS) (bool, error) {
	raw, err := fs.ReadFile(fsys, DemoFile)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil // a data folder without the demo: nothing to load
	}
	if err != nil {
		return false, fmt.Errorf("demo: %w", err)
	}
	doc, err := tco.Decode(raw)
	if err != nil {
		return false, fmt.Errorf("demo %s: %w", DemoFile, err)
	}
	var extra demoExtra
	if b, err := fs.ReadFile(fsys, DemoExtraFile); err == nil {
		d := json.NewDecoder(bytes.NewReader(b))
		d.DisallowUnknownFields()
		if err := d.Decode(&extra); err != nil {
			return false, fmt.Errorf("demo %s: %w", DemoExtraFile, err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return false, fmt.Errorf("demo: %w", err)
	}
	loaded := false
	err = s.write(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM evaluations) + (SELECT COUNT(*) FROM vendors)`).Scan(&n); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		if n > 0 {
			return nil
		}
		const actor = "demo"
		evalID, opts, err := s.importTx(ctx, tx, actor, doc)
		if err != nil {
			return err
		}
		now := s.stamp()
		for _, v := range extra.Vendors {
			oid, ok := opts[v.Option]
			if !ok {
				return fmt.Errorf("demo vendor %q: no option %q", v.Name, v.Option)
			}
			vid, err := insertVendor(ctx, tx, now, v.VendorInput)
			if err != nil {
				return err
			}
			vend, err := getVendor(ctx, tx, vid)
			if err != nil {
				return err
			}
			if err := s.audit(ctx, tx, actor, "vendor", vid, 0, "create", nil, vend); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE options SET vendor_id = ? WHERE id = ?`, vid, oid); err != nil {
				return fmt.Errorf("demo: link vendor: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE rounds SET received = ?, notes = ? WHERE option_id = ? AND seq = 1`,
				v.Initial.Received, v.Initial.Notes, oid); err != nil {
				return fmt.Errorf("demo: first round: %w", err)
			}
		}
		for _, r := range extra.Rounds {
			oid, ok := opts[r.Option]
			if !ok {
				return fmt.Errorf("demo round: no option %q", r.Option)
			}
			if err := r.RoundInput.check(); err != nil {
				return fmt.Errorf("demo round of %s: %w", r.Option, err)
			}
			o, err := getOption(ctx, tx, oid)
			if err != nil {
				return err
			}
			q := Quote{Pricing: r.Pricing, Lines: r.Lines}
			if q.Lines == nil {
				q.Lines = plainLines(o.Lines)
			}
			DefaultPricing(q.Pricing, doc.Currency)
			var seq int
			if err := tx.QueryRowContext(ctx, `SELECT MAX(seq) + 1 FROM rounds WHERE option_id = ?`, oid).Scan(&seq); err != nil {
				return fmt.Errorf("demo: %w", err)
			}
			rid, err := insertRound(ctx, tx, now, oid, seq, r.RoundInput, q)
			if err != nil {
				return err
			}
			round, err := getRound(ctx, tx, rid)
			if err != nil {
				return err
			}
			if err := s.audit(ctx, tx, actor, "round", rid, evalID, "create", nil, round); err != nil {
				return err
			}
		}
		final, err := loadDocument(ctx, tx, evalID, nil)
		if err != nil {
			return err
		}
		if errs := validate(final); len(errs) > 0 {
			return invalid("demo rounds make the evaluation invalid", errs)
		}
		loaded = true
		return nil
	})
	return loaded, err
}
