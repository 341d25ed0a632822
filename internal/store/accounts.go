package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"vendorcompare/internal/tco"
)

// Role is what a user may do: an admin everything, users included; an
// editor (procurement) creates and edits evaluations, vendors, quotes and
// scores; a viewer (leadership) reads evaluations and comparisons and
// records decisions.
type Role string

// The roles.
const (
	RoleAdmin  Role = "admin"
	RoleEditor Role = "editor"
	RoleViewer Role = "viewer"
)

// Roles lists the roles, most powerful first.
var Roles = []Role{RoleAdmin, RoleEditor, RoleViewer}

// Valid reports whether r is one of the roles.
func (r Role) Valid() bool { return r == RoleAdmin || r == RoleEditor || r == RoleViewer }

// CanEdit reports whether r may change evaluations, vendors and quotes.
func (r Role) CanEdit() bool { return r == RoleAdmin || r == RoleEditor }

// User is an account. Its password hash never leaves the store except
// through Credentials.
type User struct {
	ID        int64     `json:"id"`
	Email     string    `json:"email"`
	Role      Role      `json:"role"`
	Disabled  bool      `json:"disabled"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// SessionGen is written into each session at sign-in; a password
	// change or disabling bumps it, which ends every older session (a
	// session's generation must equal its user's). Never shown or audited.
	SessionGen int64 `json:"-"`
}

// APIToken is a personal API token; only its hash is stored, and Hint (the
// secret's first characters) tells a user's tokens apart.
type APIToken struct {
	ID        int64      `json:"id"`
	UserID    int64      `json:"user_id"`
	Name      string     `json:"name"`
	Hint      string     `json:"hint"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at"`
	// ExpiresAt is when the token stops working; nil: never.
	ExpiresAt *time.Time `json:"expires_at"`
}

// Expired reports whether the token has expired at now.
func (t APIToken) Expired(now time.Time) bool { return t.ExpiresAt != nil && !now.Before(*t.ExpiresAt) }

const userCols = `id, email, role, disabled, version, created_at, updated_at, session_gen`

func scanUser(row interface{ Scan(...any) error }) (User, error) {
	var u User
	var created, updated string
	err := row.Scan(&u.ID, &u.Email, &u.Role, &u.Disabled, &u.Version, &created, &updated, &u.SessionGen)
	u.CreatedAt, u.UpdatedAt = parseTime(created), parseTime(updated)
	return u, err
}

// CheckUser validates an e-mail address and a role as CreateUser does,
// without saving (a form reports them beside its own checks).
func CheckUser(email string, role Role) error { return checkUser(email, role) }

// checkUser validates an e-mail address and a role.
func checkUser(email string, role Role) error {
	var errs tco.Errors
	if n := len(email); n < 3 || n > 254 || !strings.Contains(email, "@") || strings.ContainsAny(email, " \t\r\n<>\"") {
		errs = append(errs, tco.FieldError{Path: "email", Message: "must be an e-mail address"})
	}
	if !role.Valid() {
		errs = append(errs, tco.FieldError{Path: "role", Message: "must be admin, editor or viewer"})
	}
	if len(errs) > 0 {
		return invalid("invalid user", errs)
	}
	return nil
}

// CountUsers returns how many users exist, disabled ones included.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := s.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

// CreateUser adds an enabled user with an already hashed password
// (internal/auth). A taken e-mail address (in any case) is ErrConflict.
func (s *Store) CreateUser(ctx context.Context, actor, email string, role Role, passwordHash string) (*User, error) {
	email = strings.TrimSpace(email)
	if err := checkUser(email, role); err != nil {
		return nil, err
	}
	var u User
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		u, err = s.insertUser(ctx, tx, actor, email, role, passwordHash)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}

func (s *Store) insertUser(ctx context.Context, tx *sql.Tx, actor, email string, role Role, hash string) (User, error) {
	now := s.stamp()
	row := tx.QueryRowContext(ctx, `INSERT INTO users (email, role, password_hash, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?) RETURNING `+userCols, email, role, hash, now, now)
	u, err := scanUser(row)
	if err != nil {
		return u, constraintError(err, "a user with this e-mail address exists")
	}
	return u, s.audit(ctx, tx, actor, "user", u.ID, 0, "create", nil, u)
}

// qUserByID reads a user by id.
const qUserByID = `SELECT ` + userCols + ` FROM users WHERE id = ?`

// GetUser returns a user by id. Every signed-in page asks it: the
// statement is prepared once, at Open.
func (s *Store) GetUser(ctx context.Context, id int64) (*User, error) {
	u, err := scanUser(s.readerStmts.stmts[qUserByID].QueryRowContext(ctx, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("user")
	}
	if err != nil {
		return nil, fmt.Errorf("get user: %w", err)
	}
	return &u, nil
}

// Credentials returns the user with an e-mail address (in any case) and
// their password hash, for a login; an unknown address is ErrNotFound.
func (s *Store) Credentials(ctx context.Context, email string) (*User, string, error) {
	var hash string
	row := s.reader.QueryRowContext(ctx, `SELECT `+userCols+`, password_hash FROM users WHERE email = ?`, strings.TrimSpace(email))
	var u User
	var created, updated string
	err := row.Scan(&u.ID, &u.Email, &u.Role, &u.Disabled, &u.Version, &created, &updated, &u.SessionGen, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", notFound("user")
	}
	if err != nil {
		return nil, "", fmt.Errorf("read credentials: %w", err)
	}
	u.CreatedAt, u.UpdatedAt = parseTime(created), parseTime(updated)
	return &u, hash, nil
}

// ListUsers returns every user by e-mail address.
func (s *Store) ListUsers(ctx context.Context) ([]User, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT `+userCols+` FROM users ORDER BY email`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	out := []User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// SetUserRole changes a user's role. Demoting the last enabled admin is
// ErrConflict: somebody must be able to manage users.
func (s *Store) SetUserRole(ctx context.Context, actor string, id int64, role Role) (*User, error) {
	if !role.Valid() {
		return nil, invalid("invalid user", tco.Errors{{Path: "role", Message: "must be admin, editor or viewer"}})
	}
	return s.updateUser(ctx, actor, id, func(before User) (User, error) {
		after := before
		after.Role = role
		return after, nil
	})
}

// SetUserDisabled disables or enables a user. Disabling ends every session
// of theirs at once (their API tokens stop working too, as they carry the
// user); disabling the last enabled admin is ErrConflict.
func (s *Store) SetUserDisabled(ctx context.Context, actor string, id int64, disabled bool) (*User, error) {
	return s.updateUser(ctx, actor, id, func(before User) (User, error) {
		after := before
		after.Disabled = disabled
		return after, nil
	})
}

// updateUser applies change to a user in one transaction, saves the role
// and disabled flag, audits, and ends the user's sessions when disabled.
func (s *Store) updateUser(ctx context.Context, actor string, id int64, change func(User) (User, error)) (*User, error) {
	var after User
	err := s.write(ctx, func(tx *sql.Tx) error {
		before, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("user")
		}
		if err != nil {
			return fmt.Errorf("read user: %w", err)
		}
		want, err := change(before)
		if err != nil {
			return err
		}
		losesAdmin := before.Role == RoleAdmin && !before.Disabled && (want.Role != RoleAdmin || want.Disabled)
		if losesAdmin {
			var others int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0 AND id <> ?`, id).Scan(&others); err != nil {
				return fmt.Errorf("count admins: %w", err)
			}
			if others == 0 {
				return conflict("the last enabled admin cannot be demoted or disabled", nil)
			}
		}
		if want.Role == before.Role && want.Disabled == before.Disabled {
			after = before
			return nil
		}
		// Disabling bumps the session generation: a session whose row a
		// request in flight writes back afterwards is dead all the same.
		bump := 0
		if want.Disabled && !before.Disabled {
			bump = 1
		}
		after, err = scanUser(tx.QueryRowContext(ctx, `UPDATE users SET role = ?, disabled = ?, version = version + 1, updated_at = ?,
			session_gen = session_gen + ? WHERE id = ? RETURNING `+userCols, want.Role, want.Disabled, s.stamp(), bump, id))
		if err != nil {
			return fmt.Errorf("update user: %w", err)
		}
		if after.Disabled {
			if err := endSessions(ctx, tx, id); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, actor, "user", id, 0, "update", before, after)
	})
	if err != nil {
		return nil, err
	}
	return &after, nil
}

// CreateSetupToken stores the hash of a new one-time setup secret valid
// until expires, replacing any earlier one: only the newest link works.
func (s *Store) CreateSetupToken(ctx context.Context, hash string, expires time.Time) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM setup_tokens`); err != nil {
			return fmt.Errorf("replace setup token: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO setup_tokens (hash, expires_at) VALUES (?, ?)`,
			hash, expires.UTC().Format(timeFormat)); err != nil {
			return fmt.Errorf("store setup token: %w", err)
		}
		return nil
	})
}

// errSetupLink is the answer to a setup link that is unknown, used or
// expired, or to one used after a user exists.
var errSetupLink = &Error{Code: CodeNotFound, Message: "this setup link is invalid, used or expired; restart the server for a new one, or add a user with 'vendorcompare user add'"}

// CheckSetupToken reports (as ErrNotFound) a setup secret hash that cannot
// create the first admin: unknown, expired, or users exist already.
func (s *Store) CheckSetupToken(ctx context.Context, hash string) error {
	return s.read(ctx, func(tx *sql.Tx) error { return s.checkSetup(ctx, tx, hash) })
}

func (s *Store) checkSetup(ctx context.Context, tx *sql.Tx, hash string) error {
	var users, live int
	err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM users),
		(SELECT COUNT(*) FROM setup_tokens WHERE hash = ? AND expires_at > ?)`, hash, s.stamp()).Scan(&users, &live)
	if err != nil {
		return fmt.Errorf("check setup link: %w", err)
	}
	if live == 0 || users > 0 {
		return errSetupLink
	}
	return nil
}

// CreateFirstAdmin uses a setup secret's hash to create the first admin,
// in one transaction that also spends the secret. It fails with
// ErrNotFound when the link is unknown, expired or users exist.
func (s *Store) CreateFirstAdmin(ctx context.Context, hash, email, passwordHash string) (*User, error) {
	email = strings.TrimSpace(email)
	if err := checkUser(email, RoleAdmin); err != nil {
		return nil, err
	}
	var u User
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := s.checkSetup(ctx, tx, hash); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM setup_tokens`); err != nil {
			return fmt.Errorf("spend setup link: %w", err)
		}
		var err error
		u, err = s.insertUser(ctx, tx, email, email, RoleAdmin, passwordHash)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}

const tokenCols = `id, user_id, name, hint, created_at, revoked_at, expires_at`

func scanToken(row interface{ Scan(...any) error }) (APIToken, error) {
	var t APIToken
	var created string
	var revoked, expires sql.NullString
	err := row.Scan(&t.ID, &t.UserID, &t.Name, &t.Hint, &created, &revoked, &expires)
	t.CreatedAt = parseTime(created)
	t.RevokedAt, t.ExpiresAt = nullTime(revoked), nullTime(expires)
	return t, err
}

// nullTime parses a stored time that may be NULL.
func nullTime(v sql.NullString) *time.Time {
	if !v.Valid {
		return nil
	}
	t := parseTime(v.String)
	return &t
}

// CreateAPIToken stores a personal API token of a user: its name, the
// secret's hash (internal/auth), a hint, and when it expires (nil:
// never). An expiry that is not in the future is invalid.
func (s *Store) CreateAPIToken(ctx context.Context, actor string, userID int64, name, hash, hint string, expires *time.Time) (*APIToken, error) {
	name = strings.TrimSpace(name)
	var errs tco.Errors
	if n := len([]rune(name)); n == 0 || n > 100 {
		errs = append(errs, tco.FieldError{Path: "name", Message: "required, 1..100 characters"})
	}
	var exp any
	if expires != nil {
		if !expires.After(s.now()) {
			errs = append(errs, tco.FieldError{Path: "expires", Message: "must be in the future"})
		}
		exp = expires.UTC().Format(timeFormat)
	}
	if len(errs) > 0 {
		return nil, invalid("invalid token", errs)
	}
	var t APIToken
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		t, err = scanToken(tx.QueryRowContext(ctx, `INSERT INTO api_tokens (user_id, name, hash, hint, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING `+tokenCols, userID, name, hash, hint, s.stamp(), exp))
		if err != nil {
			if strings.Contains(err.Error(), "FOREIGN KEY") {
				return notFound("user")
			}
			return constraintError(err, "token exists")
		}
		return s.audit(ctx, tx, actor, "token", t.ID, 0, "create", nil, t)
	})
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// ListAPITokens returns a user's tokens, newest first, revoked ones too.
func (s *Store) ListAPITokens(ctx context.Context, userID int64) ([]APIToken, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE user_id = ? ORDER BY id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	out := []APIToken{}
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, fmt.Errorf("list tokens: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeAPIToken revokes a token of the user, effective at the next
// request. Another user's token is ErrNotFound; revoking twice changes
// nothing.
func (s *Store) RevokeAPIToken(ctx context.Context, actor string, userID, id int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		before, err := scanToken(tx.QueryRowContext(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE id = ? AND user_id = ?`, id, userID))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("token")
		}
		if err != nil {
			return fmt.Errorf("read token: %w", err)
		}
		if before.RevokedAt != nil {
			return nil
		}
		after, err := scanToken(tx.QueryRowContext(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? RETURNING `+tokenCols, s.stamp(), id))
		if err != nil {
			return fmt.Errorf("revoke token: %w", err)
		}
		return s.audit(ctx, tx, actor, "token", id, 0, "update", before, after)
	})
}

// qUserByAPIToken finds the enabled user of a live API token by its hash,
// with the token's expiry (NULL: never); an expired token is left to the
// caller, which compares the expiry with the store's clock.
const qUserByAPIToken = `SELECT u.id, u.email, u.role, u.disabled, u.version, u.created_at, u.updated_at, u.session_gen, t.expires_at
	FROM api_tokens t JOIN users u ON u.id = t.user_id
	WHERE t.hash = ? AND t.revoked_at IS NULL AND u.disabled = 0`

// UserByAPIToken returns the enabled user whose live token has this hash;
// an unknown, revoked or expired token, or a disabled user, is
// ErrNotFound.
func (s *Store) UserByAPIToken(ctx context.Context, hash string) (*User, error) {
	// Every API call asks this: the statement is prepared once, at Open,
	// and the user is kept until the next commit (tokenusers.go).
	if e, ok := s.tokens.get(hash); ok {
		if e.expires != nil && !s.now().Before(*e.expires) {
			return nil, notFound("token")
		}
		u := e.u
		return &u, nil
	}
	hdr, keep := s.tokens.header() // before the read: a commit after it moves the header
	var u User
	var created, updated string
	var expires sql.NullString
	err := s.readerStmts.stmts[qUserByAPIToken].QueryRowContext(ctx, hash).Scan(&u.ID, &u.Email, &u.Role, &u.Disabled, &u.Version,
		&created, &updated, &u.SessionGen, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("token")
	}
	if err != nil {
		return nil, fmt.Errorf("read token: %w", err)
	}
	u.CreatedAt, u.UpdatedAt = parseTime(created), parseTime(updated)
	exp := nullTime(expires)
	if keep {
		s.tokens.put(hash, tokenUser{u: u, expires: exp, hdr: hdr})
	}
	if exp != nil && !s.now().Before(*exp) {
		return nil, notFound("token")
	}
	return &u, nil
}
