package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"vendorcompare/internal/tco"
)

// Vendor is an entry of the vendor directory, shared by all evaluations.
type Vendor struct {
	ID             int64     `json:"id"`
	Name           string    `json:"name"`
	Contact        string    `json:"contact"`
	Email          string    `json:"email"`
	Certifications []string  `json:"certifications"`
	Notes          string    `json:"notes"`
	Version        int64     `json:"version"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// VendorInput creates or updates a vendor.
type VendorInput struct {
	Name           string   `json:"name"`
	Contact        string   `json:"contact"`
	Email          string   `json:"email"`
	Certifications []string `json:"certifications"`
	Notes          string   `json:"notes"`
}

func (in VendorInput) check() error {
	var errs tco.Errors
	if n := len(strings.TrimSpace(in.Name)); n == 0 || len(in.Name) > 200 {
		errs = append(errs, tco.FieldError{Path: "name", Message: "required, 1..200 characters"})
	}
	if in.Email != "" && !strings.Contains(in.Email, "@") {
		errs = append(errs, tco.FieldError{Path: "email", Message: "must be an e-mail address"})
	}
	if len(errs) > 0 {
		return invalid("invalid vendor", errs)
	}
	return nil
}

func certText(c []string) string {
	if c == nil {
		c = []string{}
	}
	b, _ := json.Marshal(c)
	return string(b)
}

// Page is one page of a list.
type Page[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}

const vendorCols = `id, name, contact, email, certifications, notes, version, created_at, updated_at`

func scanVendor(row interface{ Scan(...any) error }) (Vendor, error) {
	var v Vendor
	var certs, created, updated string
	if err := row.Scan(&v.ID, &v.Name, &v.Contact, &v.Email, &certs, &v.Notes, &v.Version, &created, &updated); err != nil {
		return v, err
	}
	if err := json.Unmarshal([]byte(certs), &v.Certifications); err != nil {
		return v, fmt.Errorf("stored certifications: %w", err)
	}
	v.CreatedAt, v.UpdatedAt = parseTime(created), parseTime(updated)
	return v, nil
}

func getVendor(ctx context.Context, q queryer, id int64) (Vendor, error) {
	v, err := scanVendor(q.QueryRowContext(ctx, `SELECT `+vendorCols+` FROM vendors WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return v, notFound("vendor")
	}
	if err != nil {
		return v, fmt.Errorf("get vendor %d: %w", id, err)
	}
	return v, nil
}

// ListVendors returns a page of vendors whose name contains p.Search, by
// name.
func (s *Store) ListVendors(ctx context.Context, p ListParams) (*Page[Vendor], error) {
	p = p.norm()
	page := &Page[Vendor]{Items: []Vendor{}, Limit: p.Limit, Offset: p.Offset}
	pat := likePattern(p.Search)
	err := s.read(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM vendors WHERE name LIKE ? ESCAPE '\'`, pat).Scan(&page.Total); err != nil {
			return fmt.Errorf("count vendors: %w", err)
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+vendorCols+` FROM vendors WHERE name LIKE ? ESCAPE '\'
			ORDER BY name, id LIMIT ? OFFSET ?`, pat, p.Limit, p.Offset)
		if err != nil {
			return fmt.Errorf("list vendors: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			v, err := scanVendor(rows)
			if err != nil {
				return fmt.Errorf("list vendors: %w", err)
			}
			page.Items = append(page.Items, v)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return page, nil
}

// GetVendor returns one vendor.
func (s *Store) GetVendor(ctx context.Context, id int64) (*Vendor, error) {
	v, err := getVendor(ctx, s.reader, id)
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// CreateVendor adds a vendor; a name already in the directory (ignoring
// case) is ErrConflict.
func (s *Store) CreateVendor(ctx context.Context, actor string, in VendorInput) (*Vendor, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	var v Vendor
	err := s.write(ctx, func(tx *sql.Tx) error {
		id, err := insertVendor(ctx, tx, s.stamp(), in)
		if err != nil {
			return err
		}
		if v, err = getVendor(ctx, tx, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "vendor", id, 0, "create", nil, v)
	})
	if err != nil {
		return nil, err
	}
	return &v, nil
}

func insertVendor(ctx context.Context, tx *sql.Tx, now string, in VendorInput) (int64, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO vendors (name, contact, email, certifications, notes, version,
		created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?)`,
		in.Name, in.Contact, in.Email, certText(in.Certifications), in.Notes, now, now)
	if err != nil {
		return 0, constraintError(fmt.Errorf("insert vendor: %w", err), "a vendor with this name exists")
	}
	return res.LastInsertId()
}

// UpdateVendor replaces a vendor if its version is still version.
func (s *Store) UpdateVendor(ctx context.Context, actor string, id, version int64, in VendorInput) (*Vendor, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	var after Vendor
	err := s.write(ctx, func(tx *sql.Tx) error {
		before, err := getVendor(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			return staleVersion("vendor")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE vendors SET name = ?, contact = ?, email = ?, certifications = ?,
			notes = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
			in.Name, in.Contact, in.Email, certText(in.Certifications), in.Notes, s.stamp(), id, version); err != nil {
			return constraintError(fmt.Errorf("update vendor: %w", err), "a vendor with this name exists")
		}
		if after, err = getVendor(ctx, tx, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, "vendor", id, 0, "update", before, after)
	})
	if err != nil {
		return nil, err
	}
	return &after, nil
}

// DeleteVendor deletes a vendor; one still linked to an option is
// ErrConflict. A version of 0 skips the check.
func (s *Store) DeleteVendor(ctx context.Context, actor string, id, version int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		before, err := getVendor(ctx, tx, id)
		if err != nil {
			return err
		}
		if version != 0 && before.Version != version {
			return staleVersion("vendor")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM vendors WHERE id = ?`, id); err != nil {
			return constraintError(fmt.Errorf("delete vendor: %w", err), "the vendor is linked to options")
		}
		return s.audit(ctx, tx, actor, "vendor", id, 0, "delete", before, nil)
	})
}
