package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/tco"
)

// SeedBench fills the store for benchmarks in one transaction: n copies of
// doc (names numbered, demand varied), and extra rounds on every option
// with pricing until each evaluation holds quotesPer vendor quote rounds.
// It skips validation and audit: speed matters more than checks here.
func (s *Store) SeedBench(ctx context.Context, doc *tco.Document, n, quotesPer int) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		for i := 0; i < n; i++ {
			d := *doc
			d.Name = fmt.Sprintf("%s #%04d", doc.Name, i)
			d.Volume.Monthly = doc.Volume.Monthly.Add(decimal.NewFromInt(int64(i % 500)))
			_, opts, err := s.importTx(ctx, tx, "bench", &d)
			if err != nil {
				return err
			}
			var vendors []tco.Option
			for _, o := range doc.Options {
				if o.Pricing != nil {
					vendors = append(vendors, o)
				}
			}
			if len(vendors) == 0 {
				continue
			}
			now := s.stamp()
			seq := map[string]int{}
			for q := len(vendors); q < quotesPer; q++ {
				o := vendors[q%len(vendors)]
				seq[o.ID]++
				p := *o.Pricing
				p.Tiers = append([]tco.Tier(nil), p.Tiers...)
				cut := decimal.NewFromInt(1).Sub(decimal.New(int64(seq[o.ID]), -2)) // 1% cheaper each round
				for k := range p.Tiers {
					p.Tiers[k].Price = p.Tiers[k].Price.Mul(cut).Round(4)
				}
				if _, err := insertRound(ctx, tx, now, opts[o.ID], 1+seq[o.ID], RoundInput{Label: LabelRevised},
					Quote{Pricing: &p, Lines: o.Lines}); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// ReaderDB exposes the read-only pool to tests of the schema.
func (s *Store) ReaderDB() *sql.DB { return s.reader }

// WriterDB is the writer pool, for tests that write behind the store's back.
func (s *Store) WriterDB() *sql.DB { return s.writer }
