package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/tco"
)

// Quote is a full snapshot of an option's costing: the vendor's pricing
// (nil for in-house options) and the cost lines, in order.
type Quote struct {
	Pricing *tco.Pricing `json:"pricing"`
	Lines   []tco.Line   `json:"lines"`
}

// Option is a stored option with its current quote (its latest round).
type Option struct {
	ID           int64           `json:"id"`
	EvaluationID int64           `json:"evaluation_id"`
	Position     int             `json:"position"`
	Slug         string          `json:"slug"` // the option's id in the document
	Name         string          `json:"name"`
	Kind         string          `json:"kind"`
	VolumeShare  decimal.Decimal `json:"volume_share"`
	VendorID     *int64          `json:"vendor_id"`
	Version      int64           `json:"version"`
	CreatedAt    time.Time       `json:"created_at"`
	UpdatedAt    time.Time       `json:"updated_at"`
	RoundID      int64           `json:"round_id"` // the current round
	Pricing      *tco.Pricing    `json:"pricing"`
	Lines        []Line          `json:"lines"`
}

// OptionInput creates or updates an option. VolumeShare nil means 1. A nil
// Quote leaves the costing alone (on create: no pricing and no lines); a
// non-nil Quote replaces the current round's pricing and lines in the same
// transaction.
type OptionInput struct {
	Slug        string           `json:"slug"`
	Name        string           `json:"name"`
	Kind        string           `json:"kind"`
	VolumeShare *decimal.Decimal `json:"volume_share"`
	VendorID    *int64           `json:"vendor_id"`
	Quote       *Quote           `json:"quote"`
}

// Line is a stored cost line of a round.
type Line struct {
	ID       int64 `json:"id"`
	RoundID  int64 `json:"round_id"`
	Position int   `json:"position"`
	tco.Line
	Version int64 `json:"version"`
}

// Round labels.
const (
	LabelInitial      = "initial"
	LabelRevised      = "revised"
	LabelBestAndFinal = "best_and_final"
)

// Round is one quote of an option, kept when a newer one arrives.
type Round struct {
	ID        int64        `json:"id"`
	OptionID  int64        `json:"option_id"`
	Seq       int          `json:"seq"` // 1, 2, …; the highest is the current quote
	Label     string       `json:"label"`
	Received  string       `json:"received"` // YYYY-MM-DD or empty
	Notes     string       `json:"notes"`
	Version   int64        `json:"version"`
	CreatedAt time.Time    `json:"created_at"`
	UpdatedAt time.Time    `json:"updated_at"`
	Pricing   *tco.Pricing `json:"pricing"`
	Lines     []Line       `json:"lines"`
}

// RoundInput creates or updates a round. On create a nil Quote copies the
// pricing and lines of the current round (start a revision from the quote
// on file); on update a nil Quote keeps the round's snapshot.
type RoundInput struct {
	Label    string `json:"label"`
	Received string `json:"received"`
	Notes    string `json:"notes"`
	Quote    *Quote `json:"quote"`
}

func (in RoundInput) check() error {
	var errs tco.Errors
	switch in.Label {
	case LabelInitial, LabelRevised, LabelBestAndFinal:
	default:
		errs = append(errs, tco.FieldError{Path: "label", Message: "must be initial, revised or best_and_final"})
	}
	if in.Received != "" {
		if _, err := time.Parse("2006-01-02", in.Received); err != nil {
			errs = append(errs, tco.FieldError{Path: "received", Message: "must be a date YYYY-MM-DD"})
		}
	}
	if len(errs) > 0 {
		return invalid("invalid round", errs)
	}
	return nil
}

// DefaultPricing fills the spec's defaults into zero values that are never
// legal: currency (the evaluation's), per, tier mode, unit_factor 0 (read
// as 1), from_month 0 (read as 1) and fx_rate 0 (read as 1) when the quote
// is in the evaluation's currency. A quote in another currency keeps a
// rate of 0: the rate is required then (spec §1), and validation says so
// at its path rather than cost the quote at 1:1.
func DefaultPricing(p *tco.Pricing, currency string) {
	if p == nil {
		return
	}
	if p.Currency == "" {
		p.Currency = currency
	}
	if p.Per == "" {
		p.Per = tco.PricingPerUnit
	}
	if p.TierMode == "" {
		p.TierMode = tco.TierModeGraduated
	}
	if p.FXRate.IsZero() && p.Currency == currency {
		p.FXRate = decimal.NewFromInt(1)
	}
	if p.UnitFactor.IsZero() {
		p.UnitFactor = decimal.NewFromInt(1)
	}
	if p.FromMonth == 0 {
		p.FromMonth = 1
	}
}

const optionCols = `o.id, o.evaluation_id, o.position, o.slug, o.name, o.kind, o.volume_share, o.vendor_id,
	o.version, o.created_at, o.updated_at,
	(SELECT r.id FROM rounds r WHERE r.option_id = o.id ORDER BY r.seq DESC LIMIT 1)`

func scanOption(row interface{ Scan(...any) error }) (Option, error) {
	var o Option
	var share, created, updated string
	var vendor, round sql.NullInt64
	if err := row.Scan(&o.ID, &o.EvaluationID, &o.Position, &o.Slug, &o.Name, &o.Kind, &share, &vendor,
		&o.Version, &created, &updated, &round); err != nil {
		return o, err
	}
	var err error
	if o.VolumeShare, err = parseDec(share); err != nil {
		return o, err
	}
	if vendor.Valid {
		o.VendorID = &vendor.Int64
	}
	o.RoundID = round.Int64
	o.CreatedAt, o.UpdatedAt = parseTime(created), parseTime(updated)
	return o, nil
}

// getOption loads an option and its current quote.
func getOption(ctx context.Context, q queryer, id int64) (Option, error) {
	o, err := scanOption(q.QueryRowContext(ctx, qOption, id))
	if errors.Is(err, sql.ErrNoRows) {
		return o, notFound("option")
	}
	if err != nil {
		return o, fmt.Errorf("get option %d: %w", id, err)
	}
	o.Pricing, o.Lines, err = loadQuote(ctx, q, o.RoundID)
	return o, err
}

// ListOptions returns the options of an evaluation in order, each with its
// current quote.
func (s *Store) ListOptions(ctx context.Context, evalID int64) ([]Option, error) {
	ctx = pointRead(ctx) // a few rows per option, each by key
	out := []Option{}
	err := s.read(ctx, func(tx *sql.Tx) error {
		ptx := preparedTx{tx, s.readerStmts}
		if _, err := getEvaluation(ctx, ptx, evalID); err != nil {
			return err
		}
		rows, err := ptx.QueryContext(ctx, qOptionsOf, evalID)
		if err != nil {
			return fmt.Errorf("list options: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			o, err := scanOption(rows)
			if err != nil {
				return fmt.Errorf("list options: %w", err)
			}
			out = append(out, o)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		return loadQuotes(ctx, ptx, out)
	})
	return out, err
}

// loadQuotes fills each option's current quote as loadQuote does, with the
// document loader's three statements (the round ids as one JSON array)
// whatever the number of options, rather than three per option.
func loadQuotes(ctx context.Context, q queryer, opts []Option) error {
	at := make(map[int64]int, len(opts)) // round id → option
	ids := make([]int64, 0, len(opts))
	for i := range opts {
		opts[i].Pricing, opts[i].Lines = nil, []Line{}
		if opts[i].RoundID != 0 {
			at[opts[i].RoundID] = i
			ids = append(ids, opts[i].RoundID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	b, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	rows, err := q.QueryContext(ctx, qDocPricing, string(b))
	if err != nil {
		return fmt.Errorf("load pricing: %w", err)
	}
	for rows.Next() {
		rid, p, err := scanPricing(rows)
		if err != nil {
			rows.Close()
			return fmt.Errorf("load pricing: %w", err)
		}
		opts[at[rid]].Pricing = p
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load pricing: %w", err)
	}
	rows, err = q.QueryContext(ctx, qDocTiers, string(b))
	if err != nil {
		return fmt.Errorf("load tiers: %w", err)
	}
	for rows.Next() {
		var rid int64
		var up sql.NullString
		var price string
		if err := rows.Scan(&rid, &up, &price); err != nil {
			rows.Close()
			return fmt.Errorf("load tiers: %w", err)
		}
		var d decs
		t := tco.Tier{UpTo: d.null(up), Price: d.one(price)}
		if d.err != nil {
			rows.Close()
			return d.err
		}
		if p := opts[at[rid]].Pricing; p != nil {
			p.Tiers = append(p.Tiers, t)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load tiers: %w", err)
	}
	rows, err = q.QueryContext(ctx, qDocLines, string(b))
	if err != nil {
		return fmt.Errorf("load lines: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		l, err := scanLine(rows)
		if err != nil {
			return fmt.Errorf("load lines: %w", err)
		}
		o := &opts[at[l.RoundID]]
		o.Lines = append(o.Lines, l)
	}
	return rows.Err()
}

// GetOption returns an option with its current quote.
func (s *Store) GetOption(ctx context.Context, id int64) (*Option, error) {
	var o Option
	err := s.read(ctx, func(tx *sql.Tx) (err error) {
		o, err = getOption(ctx, preparedTx{tx, s.readerStmts}, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &o, nil
}

// CreateOption adds an option at the end of an evaluation, with its first
// round (label initial) holding in.Quote, in one transaction.
func (s *Store) CreateOption(ctx context.Context, actor string, evalID int64, in OptionInput) (*Option, error) {
	var o Option
	err := s.write(ctx, func(tx *sql.Tx) error {
		e, err := getEvaluation(ctx, tx, evalID)
		if err != nil {
			return err
		}
		var id int64
		err = s.guardTouching(ctx, tx, evalID, touchOption(in.Slug), func() error {
			var pos int
			if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(position) + 1, 0) FROM options WHERE evaluation_id = ?`,
				evalID).Scan(&pos); err != nil {
				return fmt.Errorf("next option position: %w", err)
			}
			id, err = insertOption(ctx, tx, s.stamp(), evalID, pos, in)
			if err != nil {
				return err
			}
			q := Quote{}
			if in.Quote != nil {
				q = *in.Quote
			}
			DefaultPricing(q.Pricing, e.Currency)
			_, err = insertRound(ctx, tx, s.stamp(), id, 1, RoundInput{Label: LabelInitial}, q)
			return err
		})
		if err != nil {
			return err
		}
		if o, err = getOption(ctx, tx, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "option", id, evalID, "create", nil, o)
	})
	if err != nil {
		return nil, err
	}
	return &o, nil
}

func insertOption(ctx context.Context, tx *sql.Tx, now string, evalID int64, pos int, in OptionInput) (int64, error) {
	share := decimal.NewFromInt(1)
	if in.VolumeShare != nil {
		share = *in.VolumeShare
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO options (evaluation_id, position, slug, name, kind, volume_share,
		vendor_id, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		evalID, pos, in.Slug, in.Name, in.Kind, dec(share), in.VendorID, now, now)
	if err != nil {
		return 0, constraintError(fmt.Errorf("insert option: %w", err), "option id already used in this evaluation, or unknown vendor")
	}
	return res.LastInsertId()
}

// insertRound adds a round with its snapshot.
func insertRound(ctx context.Context, tx *sql.Tx, now string, optionID int64, seq int, in RoundInput, q Quote) (int64, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO rounds (option_id, seq, label, received, notes, version,
		created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?)`,
		optionID, seq, in.Label, in.Received, in.Notes, now, now)
	if err != nil {
		return 0, fmt.Errorf("insert round: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	return id, writeQuote(ctx, tx, now, id, q)
}

// writeQuote replaces a round's pricing, tiers and lines.
func writeQuote(ctx context.Context, tx *sql.Tx, now string, roundID int64, q Quote) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM pricing WHERE round_id = ?`, roundID); err != nil {
		return fmt.Errorf("replace pricing: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM lines WHERE round_id = ?`, roundID); err != nil {
		return fmt.Errorf("replace lines: %w", err)
	}
	if p := q.Pricing; p != nil {
		args := []any{roundID, p.Currency, dec(p.FXRate), p.Per, dec(p.UnitFactor), decPtr(p.BlockSize)}
		args = append(args, capArgs(p.Capacity)...)
		args = append(args, p.TierMode, dec(p.FixedMonthly), dec(p.MinimumUnits), dec(p.MinimumCharge),
			dec(p.Escalation), dec(p.SetupFee), dec(p.ExitFee), p.FromMonth)
		if _, err := tx.ExecContext(ctx, `INSERT INTO pricing (round_id, currency, fx_rate, per, unit_factor,
			block_size, cap_aht_minutes, cap_occupancy, cap_shrinkage, cap_paid_hours, cap_service_level, tier_mode,
			fixed_monthly, minimum_units, minimum_charge, escalation, setup_fee, exit_fee, from_month)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...); err != nil {
			return fmt.Errorf("insert pricing: %w", err)
		}
		for i, t := range p.Tiers {
			if _, err := tx.ExecContext(ctx, `INSERT INTO tiers (round_id, position, up_to, price) VALUES (?, ?, ?, ?)`,
				roundID, i, decPtr(t.UpTo), dec(t.Price)); err != nil {
				return fmt.Errorf("insert tier: %w", err)
			}
		}
	}
	for i, l := range q.Lines {
		if _, err := insertLine(ctx, tx, now, roundID, i, l); err != nil {
			return err
		}
	}
	return nil
}

func insertLine(ctx context.Context, tx *sql.Tx, now string, roundID int64, pos int, l tco.Line) (int64, error) {
	args := []any{roundID, pos, l.Name, l.Category, l.Basis, dec(l.Amount), decPtr(l.BlockSize)}
	args = append(args, capArgs(l.Capacity)...)
	args = append(args, intPtr(l.Month), intPtr(l.FromMonth), intPtr(l.ToMonth), dec(l.Escalation),
		decPtr(l.VolumeShare), now, now)
	res, err := tx.ExecContext(ctx, `INSERT INTO lines (round_id, position, name, category, basis, amount,
		block_size, cap_aht_minutes, cap_occupancy, cap_shrinkage, cap_paid_hours, cap_service_level, month, from_month,
		to_month, escalation, volume_share, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`, args...)
	if err != nil {
		return 0, fmt.Errorf("insert line: %w", err)
	}
	return res.LastInsertId()
}

const pricingCols = `round_id, currency, fx_rate, per, unit_factor, block_size,
	cap_aht_minutes, cap_occupancy, cap_shrinkage, cap_paid_hours, cap_service_level, tier_mode, fixed_monthly,
	minimum_units, minimum_charge, escalation, setup_fee, exit_fee, from_month`

func scanPricing(row interface{ Scan(...any) error }) (int64, *tco.Pricing, error) {
	var roundID int64
	var p tco.Pricing
	var fx, uf, fixed, minU, minC, esc, setup, exit string
	var block sql.NullString
	var c capCols
	dest := []any{&roundID, &p.Currency, &fx, &p.Per, &uf, &block}
	dest = append(dest, c.dest()...)
	dest = append(dest, &p.TierMode, &fixed, &minU, &minC, &esc, &setup, &exit, &p.FromMonth)
	if err := row.Scan(dest...); err != nil {
		return 0, nil, err
	}
	var d decs
	p.UnitFactor, p.BlockSize = d.one(uf), d.null(block)
	if fx != "" {
		p.FXRate = d.one(fx)
	} // else a rate left out (an empty text): zero, which validation names at its path

	p.Capacity = c.capacity(&d)
	p.FixedMonthly, p.MinimumUnits, p.MinimumCharge = d.one(fixed), d.one(minU), d.one(minC)
	p.Escalation, p.SetupFee, p.ExitFee = d.one(esc), d.one(setup), d.one(exit)
	p.Tiers = []tco.Tier{}
	return roundID, &p, d.err
}

const lineCols = `id, round_id, position, name, category, basis, amount, block_size,
	cap_aht_minutes, cap_occupancy, cap_shrinkage, cap_paid_hours, cap_service_level, month, from_month, to_month,
	escalation, volume_share, version`

func scanLine(row interface{ Scan(...any) error }) (Line, error) {
	return scanLineWith(row, nil)
}

// lineScan holds the scan targets of a line's row: the row is read into
// one allocation rather than one per column.
type lineScan struct {
	l               Line
	amount, esc     string
	block, share    sql.NullString
	month, from, to sql.NullInt64
	c               capCols
	dest            [20]any
}

// scanLineWith is scanLine for a row with one more column after the line's,
// scanned into extra when not nil.
func scanLineWith(row interface{ Scan(...any) error }, extra any) (Line, error) {
	s := new(lineScan)
	l := &s.l
	s.dest = [20]any{&l.ID, &l.RoundID, &l.Position, &l.Name, &l.Category, &l.Basis, &s.amount, &s.block,
		&s.c.AHT, &s.c.Occupancy, &s.c.Shrinkage, &s.c.PaidHours, &s.c.ServiceLevel,
		&s.month, &s.from, &s.to, &s.esc, &s.share, &l.Version, extra}
	dest := s.dest[:19]
	if extra != nil {
		dest = s.dest[:]
	}
	if err := row.Scan(dest...); err != nil {
		return *l, err
	}
	var d decs
	l.Amount, l.BlockSize, l.Capacity = d.one(s.amount), d.null(s.block), s.c.capacity(&d)
	l.Month, l.FromMonth, l.ToMonth = intNull(s.month), intNull(s.from), intNull(s.to)
	l.Escalation, l.VolumeShare = d.one(s.esc), d.null(s.share)
	return *l, d.err
}

// The statements of an option and of a round's quote, prepared on both
// pools (recordQueries): the options of an evaluation are listed on every
// view of them, a few statements per option, and parsing each was most of
// the listing's time.
const (
	qOption       = `SELECT ` + optionCols + ` FROM options o WHERE o.id = ?`
	qOptionsOf    = `SELECT ` + optionCols + ` FROM options o WHERE o.evaluation_id = ? ORDER BY o.position, o.id`
	qQuotePricing = `SELECT ` + pricingCols + ` FROM pricing WHERE round_id = ?`
	qQuoteTiers   = `SELECT up_to, price FROM tiers WHERE round_id = ? ORDER BY position`
	qQuoteLines   = `SELECT ` + lineCols + ` FROM lines WHERE round_id = ? ORDER BY position, id`
)

// recordQueries are prepared on both pools besides docQueries: the
// option and quote reads above, a cost line's reads and the version check
// of its save (rounds.go).
var recordQueries = []string{qOption, qOptionsOf, qQuotePricing, qQuoteTiers, qQuoteLines, qLine, qLineOnly, qLineVersion}

// loadQuote loads one round's pricing (nil when it has none) and lines.
func loadQuote(ctx context.Context, q queryer, roundID int64) (*tco.Pricing, []Line, error) {
	_, p, err := scanPricing(q.QueryRowContext(ctx, qQuotePricing, roundID))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		p = nil
	case err != nil:
		return nil, nil, fmt.Errorf("load pricing: %w", err)
	default:
		rows, err := q.QueryContext(ctx, qQuoteTiers, roundID)
		if err != nil {
			return nil, nil, fmt.Errorf("load tiers: %w", err)
		}
		for rows.Next() {
			var up sql.NullString
			var price string
			if err := rows.Scan(&up, &price); err != nil {
				rows.Close()
				return nil, nil, fmt.Errorf("load tiers: %w", err)
			}
			var d decs
			t := tco.Tier{UpTo: d.null(up), Price: d.one(price)}
			if d.err != nil {
				rows.Close()
				return nil, nil, d.err
			}
			p.Tiers = append(p.Tiers, t)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, err
		}
	}
	rows, err := q.QueryContext(ctx, qQuoteLines, roundID)
	if err != nil {
		return nil, nil, fmt.Errorf("load lines: %w", err)
	}
	defer rows.Close()
	lines := []Line{}
	for rows.Next() {
		l, err := scanLine(rows)
		if err != nil {
			return nil, nil, fmt.Errorf("load lines: %w", err)
		}
		lines = append(lines, l)
	}
	return p, lines, rows.Err()
}

// plainLines drops the store's bookkeeping from lines.
func plainLines(ls []Line) []tco.Line {
	out := make([]tco.Line, len(ls))
	for i, l := range ls {
		out[i] = l.Line
	}
	return out
}

// UpdateOption replaces an option's fields (slug, name, kind, volume share,
// vendor link: send them all) if its version is still version; with a Quote
// it also replaces the current round's pricing and lines, in the same
// transaction. Renaming the baseline's id renames the evaluation's
// baseline too.
func (s *Store) UpdateOption(ctx context.Context, actor string, id, version int64, in OptionInput) (*Option, error) {
	var after Option
	err := s.write(ctx, func(tx *sql.Tx) error {
		before, err := getOption(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			return staleVersion("option")
		}
		e, err := getEvaluation(ctx, tx, before.EvaluationID)
		if err != nil {
			return err
		}
		scope := touchNothing
		if in.Quote != nil {
			scope = touchOption(in.Slug)
		}
		err = s.guardTouching(ctx, tx, e.ID, scope, func() error {
			share := decimal.NewFromInt(1)
			if in.VolumeShare != nil {
				share = *in.VolumeShare
			}
			now := s.stamp()
			if _, err := tx.ExecContext(ctx, `UPDATE options SET slug = ?, name = ?, kind = ?, volume_share = ?,
				vendor_id = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
				in.Slug, in.Name, in.Kind, dec(share), in.VendorID, now, id, version); err != nil {
				return constraintError(fmt.Errorf("update option: %w", err), "option id already used in this evaluation, or unknown vendor")
			}
			if e.Baseline == before.Slug && in.Slug != before.Slug {
				if _, err := tx.ExecContext(ctx, `UPDATE evaluations SET baseline = ? WHERE id = ?`, in.Slug, e.ID); err != nil {
					return fmt.Errorf("rename baseline: %w", err)
				}
			}
			if in.Quote != nil {
				q := *in.Quote
				DefaultPricing(q.Pricing, e.Currency)
				if _, err := tx.ExecContext(ctx, `UPDATE rounds SET version = version + 1, updated_at = ? WHERE id = ?`,
					now, before.RoundID); err != nil {
					return fmt.Errorf("update round: %w", err)
				}
				return writeQuote(ctx, tx, now, before.RoundID, q)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if after, err = getOption(ctx, tx, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "option", id, e.ID, "update", before, after)
	})
	if err != nil {
		return nil, err
	}
	return &after, nil
}

// DeleteOption deletes an option with its rounds, lines and scores. It is
// refused (ErrInvalid) when the document would lose something it needs, such
// as its baseline or its second option. A version of 0 skips the check.
func (s *Store) DeleteOption(ctx context.Context, actor string, id, version int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		before, err := getOption(ctx, tx, id)
		if err != nil {
			return err
		}
		if version != 0 && before.Version != version {
			return staleVersion("option")
		}
		err = s.guard(ctx, tx, before.EvaluationID, func() error {
			_, err := tx.ExecContext(ctx, `DELETE FROM options WHERE id = ?`, id)
			return err
		})
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "option", id, before.EvaluationID, "delete", before, nil)
	})
}

// MarshalJSON writes id, round_id, position and version, then the line's
// fields as tco.Line writes them (tco.Line's own MarshalJSON would
// otherwise hide the bookkeeping).
func (l Line) MarshalJSON() ([]byte, error) {
	meta, err := json.Marshal(struct {
		ID       int64 `json:"id"`
		RoundID  int64 `json:"round_id"`
		Position int   `json:"position"`
		Version  int64 `json:"version"`
	}{l.ID, l.RoundID, l.Position, l.Version})
	if err != nil {
		return nil, err
	}
	body, err := json.Marshal(l.Line)
	if err != nil {
		return nil, err
	}
	return append(append(meta[:len(meta)-1], ','), body[1:]...), nil
}

// Quote returns the option's current quote as plain document values.
func (o *Option) Quote() Quote { return Quote{Pricing: o.Pricing, Lines: plainLines(o.Lines)} }

// Quote returns the round's snapshot as plain document values.
func (r *Round) Quote() Quote { return Quote{Pricing: r.Pricing, Lines: plainLines(r.Lines)} }
