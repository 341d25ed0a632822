package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/tco"
)

// seedNames are the name prefixes of generated evaluations, so that a
// search (?q=Help desk) matches one in len(seedNames), as in a real
// directory of evaluations of several services.
var seedNames = []string{
	"Customer service centre", "Help desk", "Payroll processing", "Facilities management",
	"IT service desk", "Document scanning", "Debt collection", "Translation services",
}

// SeedBatch is how many evaluations Seed writes per transaction: big
// enough that SQLite's commit (an fsync) is paid rarely, small enough that
// other writers are not held up for long.
const SeedBatch = 250

// Seed fills the store for load and scale measurements: n evaluations
// (and a vendor directory of n/20),
// each a copy of doc (validated first) under a generated name and volume,
// whose vendor options get revised quote rounds (each 1% cheaper than the
// one before) until the evaluation holds quotesPer vendor quotes. Every
// evaluation and round is written with its audit row, as the API would;
// the rows go in through the store's own inserts, SeedBatch evaluations
// per transaction, which is far faster than one request per record.
// progress, when not nil, is called after each transaction with the
// evaluations written so far.
func (s *Store) Seed(ctx context.Context, actor string, doc *tco.Document, n, quotesPer int, progress func(done int)) error {
	if errs := validate(doc); len(errs) > 0 {
		return invalid("invalid document", errs)
	}
	var vendors []tco.Option
	for _, o := range doc.Options {
		if o.Pricing != nil {
			vendors = append(vendors, o)
		}
	}
	for done := 0; done < n; {
		end := min(done+SeedBatch, n)
		err := s.write(ctx, func(tx *sql.Tx) error {
			for i := done; i < end; i++ {
				if err := s.seedOne(ctx, tx, actor, doc, vendors, i, quotesPer); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("seed evaluation %d: %w", done, err)
		}
		done = end
		if progress != nil {
			progress(done)
		}
	}
	return nil
}

// seedOne writes the i-th generated evaluation and its extra rounds.
func (s *Store) seedOne(ctx context.Context, tx *sql.Tx, actor string, doc *tco.Document, vendors []tco.Option, i, quotesPer int) error {
	if i%20 == 0 { // a vendor directory of n/20 entries
		if err := s.seedVendor(ctx, tx, actor, i/20); err != nil {
			return err
		}
	}
	d := *doc
	d.Name = fmt.Sprintf("%s #%05d", seedNames[i%len(seedNames)], i)
	d.Volume.Monthly = doc.Volume.Monthly.Add(decimal.NewFromInt(int64(i % 500)))
	evalID, opts, err := s.importTx(ctx, tx, actor, &d)
	if err != nil {
		return err
	}
	if len(vendors) == 0 {
		return nil
	}
	now := s.stamp()
	seq := map[string]int{}
	for q := len(vendors); q < quotesPer; q++ {
		o := vendors[q%len(vendors)]
		seq[o.ID]++
		p := *o.Pricing
		p.Tiers = append([]tco.Tier(nil), p.Tiers...)
		cut := decimal.NewFromInt(1).Sub(decimal.New(int64(seq[o.ID]), -2))
		for k := range p.Tiers {
			p.Tiers[k].Price = p.Tiers[k].Price.Mul(cut).Round(4)
		}
		in := RoundInput{Label: LabelRevised}
		id, err := insertRound(ctx, tx, now, opts[o.ID], 1+seq[o.ID], in, Quote{Pricing: &p, Lines: o.Lines})
		if err != nil {
			return err
		}
		after := map[string]any{"option_id": opts[o.ID], "seq": 1 + seq[o.ID], "label": in.Label, "pricing": &p}
		if err := s.audit(ctx, tx, actor, "round", id, evalID, "create", nil, after); err != nil {
			return err
		}
	}
	return nil
}

// seedVendor writes the k-th generated vendor of the directory.
func (s *Store) seedVendor(ctx context.Context, tx *sql.Tx, actor string, k int) error {
	now := s.stamp()
	in := VendorInput{Name: fmt.Sprintf("Generated vendor %05d", k), Contact: "Sales desk",
		Email: fmt.Sprintf("sales%05d@example.com", k), Certifications: []string{"ISO 27001"}}
	res, err := tx.ExecContext(ctx, `INSERT INTO vendors (name, contact, email, certifications, notes, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, 1, ?, ?)`, in.Name, in.Contact, in.Email, `["ISO 27001"]`, in.Notes, now, now)
	if err != nil {
		return constraintError(err, "vendor name taken")
	}
	id, err := res.LastInsertId()
	if err != nil {
		return err
	}
	return s.audit(ctx, tx, actor, "vendor", id, 0, "create", nil, in)
}
