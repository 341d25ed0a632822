package store

import (
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/shopspring/decimal"

	"vendorcompare/internal/tco"
)

// dec stores a decimal exactly, as its shortest decimal string.
func dec(d decimal.Decimal) string { return d.String() }

// decPtr stores an optional decimal (NULL when nil).
func decPtr(d *decimal.Decimal) any {
	if d == nil {
		return nil
	}
	return d.String()
}

// intPtr stores an optional int (NULL when nil).
func intPtr(v *int) any {
	if v == nil {
		return nil
	}
	return int64(*v)
}

// parseDec reads a stored decimal; a bad one means the file was edited by
// hand, reported as an error rather than a silent zero.
func parseDec(s string) (decimal.Decimal, error) {
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Zero, fmt.Errorf("stored decimal %q: %w", s, err)
	}
	return d, nil
}

func parseDecNull(s sql.NullString) (*decimal.Decimal, error) {
	if !s.Valid {
		return nil, nil
	}
	d, err := parseDec(s.String)
	if err != nil {
		return nil, err
	}
	return &d, nil
}

func intNull(v sql.NullInt64) *int {
	if !v.Valid {
		return nil
	}
	i := int(v.Int64)
	return &i
}

// decs parses many stored decimals, keeping the first error.
type decs struct{ err error }

func (p *decs) one(s string) decimal.Decimal {
	d, err := parseDec(s)
	if err != nil && p.err == nil {
		p.err = err
	}
	return d
}

func (p *decs) null(s sql.NullString) *decimal.Decimal {
	d, err := parseDecNull(s)
	if err != nil && p.err == nil {
		p.err = err
	}
	return d
}

// capCols are the nullable capacity columns: the four of the workload
// block and the service level's (spec §8) as one JSON object.
type capCols struct {
	AHT, Occupancy, Shrinkage, PaidHours, ServiceLevel sql.NullString
}

// capSL is the service-level part of a capacity as stored.
type capSL struct {
	ServiceLevel    *tco.ServiceLevel `json:"service_level,omitempty"`
	OpenHours       *decimal.Decimal  `json:"open_hours,omitempty"`
	IntervalMinutes int               `json:"interval_minutes,omitempty"`
	Profile         []decimal.Decimal `json:"profile,omitempty"`
}

func capArgs(c *tco.Capacity) []any {
	if c == nil {
		return []any{nil, nil, nil, nil, nil}
	}
	var sl any
	if c.ServiceLevel != nil || c.OpenHours != nil || c.IntervalMinutes != 0 || c.Profile != nil {
		b, _ := json.Marshal(capSL{c.ServiceLevel, c.OpenHours, c.IntervalMinutes, c.Profile})
		sl = string(b)
	}
	return []any{dec(c.AHTMinutes), dec(c.Occupancy), dec(c.Shrinkage), dec(c.PaidHours), sl}
}

func (c *capCols) dest() []any {
	return []any{&c.AHT, &c.Occupancy, &c.Shrinkage, &c.PaidHours, &c.ServiceLevel}
}

func (c *capCols) capacity(p *decs) *tco.Capacity {
	if !c.AHT.Valid {
		return nil
	}
	cp := &tco.Capacity{
		AHTMinutes: p.one(c.AHT.String),
		Occupancy:  p.one(c.Occupancy.String),
		Shrinkage:  p.one(c.Shrinkage.String),
		PaidHours:  p.one(c.PaidHours.String),
	}
	if c.ServiceLevel.Valid {
		var sl capSL
		if err := json.Unmarshal([]byte(c.ServiceLevel.String), &sl); err != nil && p.err == nil {
			p.err = fmt.Errorf("capacity service level %q: %w", c.ServiceLevel.String, err)
		}
		cp.ServiceLevel, cp.OpenHours, cp.IntervalMinutes, cp.Profile = sl.ServiceLevel, sl.OpenHours, sl.IntervalMinutes, sl.Profile
	}
	return cp
}

// seasonalityText stores the 12 multipliers as a JSON array of strings.
func seasonalityText(s []decimal.Decimal) string {
	out := make([]string, len(s))
	for i, d := range s {
		out[i] = d.String()
	}
	b, _ := json.Marshal(out)
	return string(b)
}

func parseSeasonality(text string) ([]decimal.Decimal, error) {
	var ss []string
	if err := json.Unmarshal([]byte(text), &ss); err != nil {
		return nil, fmt.Errorf("stored seasonality: %w", err)
	}
	out := make([]decimal.Decimal, len(ss))
	for i, s := range ss {
		d, err := parseDec(s)
		if err != nil {
			return nil, err
		}
		out[i] = d
	}
	return out, nil
}

// toJSON renders an audit snapshot.
func toJSON(v any) any {
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return string(b)
}
