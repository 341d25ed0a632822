package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/tco"
)

// RoundTarget names the existing option an imported bid revises, and the
// new round's label (initial, revised or best_and_final), date received
// (YYYY-MM-DD or empty) and notes.
type RoundTarget struct {
	OptionID int64
	Label    string
	Received string
	Notes    string
}

// BidLink says how an imported bid meets the vendor directory and the
// evaluation's other quotes.
type BidLink struct {
	// VendorID links the option to this vendor of the directory. Nil links
	// it to the vendor whose name is the bid's (trimmed, in any case), if
	// there is one; for a new round, only an option not yet linked.
	VendorID *int64
	// New saves the bid as a new option even when the evaluation already
	// has a quote of the same name (else that is a DuplicateBid conflict).
	New bool
}

// DuplicateBid is why a bid imported as a new quote was refused: the
// evaluation already has a quote of that name (trimmed, in any case).
// It is inside the ErrConflict the import returns (errors.As).
type DuplicateBid struct {
	OptionID int64  // the quote there is
	Name     string // its name
}

func (d *DuplicateBid) Error() string {
	return fmt.Sprintf("%s already has a quote in this evaluation (option %d)", d.Name, d.OptionID)
}

// sameName compares names as people type them: trimmed, in any case.
func sameName(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// ImportBid saves a vendor's bid read from a spreadsheet (internal/sheet)
// into evaluation evalID, in one transaction with its audit rows.
//
// With round nil the bid becomes a new option: opt's id (as the slug),
// name, kind and volume share, a first round (label initial) with its
// pricing and lines. With round set, it becomes a new round of the option
// round names, which must belong to evalID: the round holds the bid's
// pricing and lines and becomes the current quote; the option keeps its
// slug and name. Either way the bid's scores are the vendor's own
// (SelfScore, pending): they are not costed, and the option's scores stay
// as procurement gave them until it confirms or overrides each
// (ResolveSelfScore).
//
// link names the vendor of the directory (see BidLink); a new quote whose
// name an option of the evaluation already has is refused, unless
// link.New, as ErrConflict holding a *DuplicateBid, so that a re-imported
// bid does not silently become a second "Vendor A".
//
// The evaluation's whole document is validated with the change before it
// commits: a problem the change brings is ErrInvalid with the engine's
// paths, and nothing is written. A score on a criterion the evaluation does
// not have is ErrInvalid too, and so is a vendor id the directory lacks.
func (s *Store) ImportBid(ctx context.Context, actor string, evalID int64, opt *tco.Option, round *RoundTarget, link BidLink) (*Option, error) {
	if opt == nil {
		return nil, invalid("invalid bid", tco.Errors{{Path: "", Message: "no bid"}})
	}
	if round != nil {
		if err := (RoundInput{Label: round.Label, Received: round.Received}).check(); err != nil {
			return nil, err
		}
	}
	var o Option
	err := s.write(ctx, func(tx *sql.Tx) error {
		e, err := getEvaluation(ctx, tx, evalID)
		if err != nil {
			return err
		}
		crit, err := criterionIDs(ctx, tx, evalID, opt.Scores)
		if err != nil {
			return err
		}
		q := Quote{Pricing: opt.Pricing, Lines: slices.Clone(opt.Lines)}
		if q.Pricing != nil {
			p := *q.Pricing
			q.Pricing = &p
		}
		DefaultPricing(q.Pricing, e.Currency)
		vendorID, err := bidVendor(ctx, tx, opt.Name, link.VendorID)
		if err != nil {
			return err
		}
		if round == nil {
			if !link.New {
				if err := noDuplicate(ctx, tx, evalID, opt.Name); err != nil {
					return err
				}
			}
			o, err = s.bidOption(ctx, tx, actor, evalID, opt, q, crit, vendorID)
		} else {
			o, err = s.bidRound(ctx, tx, actor, evalID, opt, q, crit, *round)
			if err == nil && vendorID != nil && (link.VendorID != nil || o.VendorID == nil) {
				o, err = s.linkVendor(ctx, tx, actor, o, *vendorID)
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &o, nil
}

// bidVendor is the vendor an imported bid links to: id, which must be in
// the directory, or else the vendor named name (trimmed, in any case), or
// none.
func bidVendor(ctx context.Context, tx *sql.Tx, name string, id *int64) (*int64, error) {
	if id != nil {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM vendors WHERE id = ?`, *id).Scan(&n); err != nil {
			return nil, fmt.Errorf("find vendor: %w", err)
		}
		if n == 0 {
			return nil, invalid("invalid bid", tco.Errors{{Path: "vendor_id", Message: "is not in the vendor directory"}})
		}
		return id, nil
	}
	// In Go rather than SQL: SQLite's NOCASE folds ASCII only ("Müller").
	rows, err := tx.QueryContext(ctx, `SELECT id, name FROM vendors`)
	if err != nil {
		return nil, fmt.Errorf("find vendor: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var vid int64
		var vname string
		if err := rows.Scan(&vid, &vname); err != nil {
			return nil, fmt.Errorf("find vendor: %w", err)
		}
		if sameName(vname, name) {
			return &vid, nil
		}
	}
	return nil, rows.Err()
}

// noDuplicate refuses a new quote named like one the evaluation has.
func noDuplicate(ctx context.Context, tx *sql.Tx, evalID int64, name string) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, name FROM options WHERE evaluation_id = ? ORDER BY position`, evalID)
	if err != nil {
		return fmt.Errorf("find option: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var oname string
		if err := rows.Scan(&id, &oname); err != nil {
			return fmt.Errorf("find option: %w", err)
		}
		if sameName(oname, name) {
			d := &DuplicateBid{OptionID: id, Name: oname}
			return conflict(d.Error()+": import it as a new round of that option, or as a separate quote", d)
		}
	}
	return rows.Err()
}

// linkVendor links option o to vendor vendorID (the document does not
// change: no guard), audited as an update of the option.
func (s *Store) linkVendor(ctx context.Context, tx *sql.Tx, actor string, o Option, vendorID int64) (Option, error) {
	if o.VendorID != nil && *o.VendorID == vendorID {
		return o, nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE options SET vendor_id = ?, version = version + 1, updated_at = ? WHERE id = ?`,
		vendorID, s.stamp(), o.ID); err != nil {
		return o, fmt.Errorf("link vendor: %w", err)
	}
	after, err := getOption(ctx, tx, o.ID)
	if err != nil {
		return o, err
	}
	return after, s.audit(ctx, tx, actor, "option", o.ID, o.EvaluationID, "update", o, after)
}

// criterionIDs maps each scored key to its criterion's id; a key the
// evaluation has no criterion for is ErrInvalid at its scores path.
func criterionIDs(ctx context.Context, tx *sql.Tx, evalID int64, scores map[string]decimal.Decimal) (map[string]int64, error) {
	crit, err := queryCriteria(ctx, tx, evalID)
	if err != nil {
		return nil, err
	}
	ids := make(map[string]int64, len(crit))
	for _, c := range crit {
		ids[c.Key] = c.ID
	}
	var errs tco.Errors
	for _, k := range sortedKeys(scores) {
		if _, ok := ids[k]; !ok {
			errs = append(errs, tco.FieldError{Path: "scores." + k, Message: "is not a criterion of this evaluation"})
		}
	}
	if len(errs) > 0 {
		return nil, invalid("invalid bid", errs)
	}
	return ids, nil
}

// sortedKeys returns a score map's keys in order, so that rows are written
// (and audited) in a stable order.
func sortedKeys(m map[string]decimal.Decimal) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// bidOption inserts the bid as a new option with its first round, under
// the guard, and its self-assessed scores; it audits the option (action
// import) and each self-assessment (create).
func (s *Store) bidOption(ctx context.Context, tx *sql.Tx, actor string, evalID int64, opt *tco.Option, q Quote, crit map[string]int64, vendorID *int64) (Option, error) {
	var id int64
	err := s.guardTouching(ctx, tx, evalID, touchOption(opt.ID), func() error {
		var pos int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(position) + 1, 0) FROM options WHERE evaluation_id = ?`,
			evalID).Scan(&pos); err != nil {
			return fmt.Errorf("next option position: %w", err)
		}
		kind := opt.Kind
		if kind == "" {
			kind = tco.KindVendor
		}
		share := opt.VolumeShare
		if share.IsZero() {
			share = decimal.NewFromInt(1)
		}
		now := s.stamp()
		var err error
		id, err = insertOption(ctx, tx, now, evalID, pos, OptionInput{Slug: opt.ID, Name: opt.Name, Kind: kind, VolumeShare: &share, VendorID: vendorID})
		if err != nil {
			return err
		}
		_, err = insertRound(ctx, tx, now, id, 1, RoundInput{Label: LabelInitial}, q)
		return err
	})
	if err != nil {
		return Option{}, err
	}
	o, err := getOption(ctx, tx, id)
	if err != nil {
		return o, err
	}
	if err := s.audit(ctx, tx, actor, "option", id, evalID, "import", nil, o); err != nil {
		return o, err
	}
	for _, k := range sortedKeys(opt.Scores) {
		if err := s.putSelfScore(ctx, tx, actor, evalID, id, crit[k], opt.Scores[k]); err != nil {
			return o, err
		}
	}
	return o, nil
}

// bidRound adds the bid as a new round of an existing option and sets its
// scores, under the guard; it audits the round (create) and each score
// (create or update).
func (s *Store) bidRound(ctx context.Context, tx *sql.Tx, actor string, evalID int64, opt *tco.Option, q Quote, crit map[string]int64, target RoundTarget) (Option, error) {
	before, err := getOption(ctx, tx, target.OptionID)
	if errors.Is(err, ErrNotFound) || err == nil && before.EvaluationID != evalID {
		return Option{}, notFound("option")
	}
	if err != nil {
		return Option{}, err
	}
	var roundID int64
	err = s.guardTouching(ctx, tx, evalID, touchOption(before.Slug), func() error {
		var seq int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) + 1 FROM rounds WHERE option_id = ?`,
			target.OptionID).Scan(&seq); err != nil {
			return fmt.Errorf("next round: %w", err)
		}
		in := RoundInput{Label: target.Label, Received: target.Received, Notes: target.Notes}
		var err error
		roundID, err = insertRound(ctx, tx, s.stamp(), target.OptionID, seq, in, q)
		return err
	})
	if err != nil {
		return Option{}, err
	}
	r, err := getRound(ctx, tx, roundID)
	if err != nil {
		return Option{}, err
	}
	if err := s.audit(ctx, tx, actor, "round", roundID, evalID, "create", nil, r); err != nil {
		return Option{}, err
	}
	for _, k := range sortedKeys(opt.Scores) {
		if err := s.putSelfScore(ctx, tx, actor, evalID, target.OptionID, crit[k], opt.Scores[k]); err != nil {
			return Option{}, err
		}
	}
	return getOption(ctx, tx, target.OptionID)
}
