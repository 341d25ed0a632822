package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// PasswordChange says what a new password ended besides the old one.
type PasswordChange struct {
	// User is the user as changed (with the new session generation, for
	// signing the browser that made the change in again).
	User User
	// TokensRevoked is how many live API tokens were revoked.
	TokensRevoked int
}

// SetPassword replaces a user's password hash and ends every session of
// theirs at once (a stolen session must not outlive a reset): their rows
// are deleted and the session generation moves on, so a request in flight
// that writes its session back cannot keep it either. Unless keepTokens,
// every API token of the user still working is revoked too. The audit row
// says that the password changed, never the hash.
func (s *Store) SetPassword(ctx context.Context, actor string, id int64, passwordHash string, keepTokens bool) (*PasswordChange, error) {
	var pc PasswordChange
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		pc, err = s.setPasswordTx(ctx, tx, actor, id, passwordHash, keepTokens)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &pc, nil
}

func (s *Store) setPasswordTx(ctx context.Context, tx *sql.Tx, actor string, id int64, passwordHash string, keepTokens bool) (PasswordChange, error) {
	var pc PasswordChange
	u, err := scanUser(tx.QueryRowContext(ctx, `UPDATE users SET password_hash = ?, version = version + 1, updated_at = ?,
		session_gen = session_gen + 1 WHERE id = ? RETURNING `+userCols, passwordHash, s.stamp(), id))
	if errors.Is(err, sql.ErrNoRows) {
		return pc, notFound("user")
	}
	if err != nil {
		return pc, fmt.Errorf("set password: %w", err)
	}
	pc.User = u
	if err := endSessions(ctx, tx, id); err != nil {
		return pc, err
	}
	if !keepTokens {
		if pc.TokensRevoked, err = s.revokeTokens(ctx, tx, actor, id); err != nil {
			return pc, err
		}
	}
	after := map[string]any{"password": "(changed)", "email": u.Email, "sessions": "(ended)"}
	if pc.TokensRevoked > 0 {
		after["tokens_revoked"] = pc.TokensRevoked
	}
	return pc, s.audit(ctx, tx, actor, "user", id, 0, "update", map[string]any{"password": "(old)"}, after)
}

// revokeTokens revokes every API token of a user not yet revoked (expired
// ones included: they must not come back), auditing each, and returns how
// many.
func (s *Store) revokeTokens(ctx context.Context, tx *sql.Tx, actor string, userID int64) (int, error) {
	rows, err := tx.QueryContext(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL
		RETURNING `+tokenCols, s.stamp(), userID)
	if err != nil {
		return 0, fmt.Errorf("revoke tokens: %w", err)
	}
	var revoked []APIToken
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			rows.Close()
			return 0, fmt.Errorf("revoke tokens: %w", err)
		}
		revoked = append(revoked, t)
	}
	if err := rows.Close(); err != nil {
		return 0, fmt.Errorf("revoke tokens: %w", err)
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("revoke tokens: %w", err)
	}
	for _, after := range revoked {
		before := after
		before.RevokedAt = nil
		if err := s.audit(ctx, tx, actor, "token", after.ID, 0, "update", before, after); err != nil {
			return 0, err
		}
	}
	return len(revoked), nil
}

// errResetLink is the answer to a password reset link that is unknown,
// used, expired, replaced by a newer one, or whose user is disabled.
var errResetLink = &Error{Code: CodeNotFound, Message: "this password reset link is invalid, used or expired; ask an admin for a new one"}

// CreateResetLink stores the hash of a new one-time password reset secret
// for a user, valid until expires, replacing any earlier link of theirs:
// only the newest works. A disabled user gets none (ErrConflict); an
// unknown one is ErrNotFound. Audited as a change of the user.
func (s *Store) CreateResetLink(ctx context.Context, actor string, userID int64, hash string, expires time.Time) (*User, error) {
	var u User
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		u, err = scanUser(tx.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE id = ?`, userID))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("user")
		}
		if err != nil {
			return fmt.Errorf("read user: %w", err)
		}
		if u.Disabled {
			return conflict("the user is disabled: enable them before resetting their password", nil)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM password_resets WHERE user_id = ?`, userID); err != nil {
			return fmt.Errorf("replace reset link: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO password_resets (hash, user_id, created_by, expires_at) VALUES (?, ?, ?, ?)`,
			hash, userID, actor, expires.UTC().Format(timeFormat)); err != nil {
			return fmt.Errorf("store reset link: %w", err)
		}
		return s.audit(ctx, tx, actor, "user", userID, 0, "update", nil,
			map[string]any{"email": u.Email, "password_reset_link": "(made, until " + expires.UTC().Format(time.RFC3339) + ")"})
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// CheckResetLink returns the user whose live reset link has this hash; an
// unknown, used or expired link, or a disabled user, is ErrNotFound.
func (s *Store) CheckResetLink(ctx context.Context, hash string) (*User, error) {
	var u User
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		u, err = s.resetUser(ctx, tx, hash)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}

func (s *Store) resetUser(ctx context.Context, tx *sql.Tx, hash string) (User, error) {
	u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+prefixed("u.", userCols)+` FROM password_resets r JOIN users u ON u.id = r.user_id
		WHERE r.hash = ? AND r.expires_at > ? AND u.disabled = 0`, hash, s.stamp()))
	if errors.Is(err, sql.ErrNoRows) {
		return u, errResetLink
	}
	if err != nil {
		return u, fmt.Errorf("check reset link: %w", err)
	}
	return u, nil
}

// ResetPassword spends a live reset link: in one transaction the link is
// deleted, the user's password replaced, every session of theirs ended
// and their API tokens revoked (as SetPassword). The audit names the user
// as the actor. A link that cannot be used is ErrNotFound.
func (s *Store) ResetPassword(ctx context.Context, hash, passwordHash string) (*PasswordChange, error) {
	var pc PasswordChange
	err := s.write(ctx, func(tx *sql.Tx) error {
		u, err := s.resetUser(ctx, tx, hash)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM password_resets WHERE user_id = ?`, u.ID); err != nil {
			return fmt.Errorf("spend reset link: %w", err)
		}
		pc, err = s.setPasswordTx(ctx, tx, u.Email, u.ID, passwordHash, false)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &pc, nil
}

// prefixed qualifies each column of a comma-separated list with p ("u.").
func prefixed(p, cols string) string {
	parts := strings.Split(cols, ", ")
	for i := range parts {
		parts[i] = p + parts[i]
	}
	return strings.Join(parts, ", ")
}
