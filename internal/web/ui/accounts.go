package ui

import (
	"context"
	"time"

	"vendorcompare/internal/store"
)

// AccountStore is what the account pages read and change in storage
// (internal/store): users, passwords, reset and setup links, API tokens.
// Every change is audited with the actor given.
type AccountStore interface {
	CreateUser(ctx context.Context, actor, email string, role store.Role, passwordHash string) (*store.User, error)
	Credentials(ctx context.Context, email string) (*store.User, string, error)
	ListUsers(ctx context.Context) ([]store.User, error)
	SetUserRole(ctx context.Context, actor string, id int64, role store.Role) (*store.User, error)
	SetUserDisabled(ctx context.Context, actor string, id int64, disabled bool) (*store.User, error)

	// Passwords: each change ends every session of the user and (unless
	// kept) revokes their API tokens.
	SetPassword(ctx context.Context, actor string, id int64, passwordHash string, keepTokens bool) (*store.PasswordChange, error)
	CreateResetLink(ctx context.Context, actor string, userID int64, hash string, expires time.Time) (*store.User, error)
	CheckResetLink(ctx context.Context, hash string) (*store.User, error)
	ResetPassword(ctx context.Context, hash, passwordHash string) (*store.PasswordChange, error)

	CheckSetupToken(ctx context.Context, hash string) error
	CreateFirstAdmin(ctx context.Context, hash, email, passwordHash string) (*store.User, error)

	CreateAPIToken(ctx context.Context, actor string, userID int64, name, hash, hint string, expires *time.Time) (*store.APIToken, error)
	ListAPITokens(ctx context.Context, userID int64) ([]store.APIToken, error)
	RevokeAPIToken(ctx context.Context, actor string, userID, id int64) error
}

// SignIns is package web's sign-in machinery (auth.go) as the account
// pages drive it: the attempt counts, the few argon2id slots and the
// session. It stays in web, beside the guard that reads the session.
type SignIns interface {
	// Store is the accounts' storage.
	Store() AccountStore
	// AttemptFrom counts a sign-in attempt from a client address; false,
	// with how long to wait, when it has too many recent ones.
	AttemptFrom(ip string) (ok bool, wait time.Duration)
	// ForgiveFrom forgets the address's attempts (a success, or an
	// attempt never checked).
	ForgiveFrom(ip string)
	// SlowDown counts an attempt on an account (the e-mail as typed,
	// lower-cased) and waits the longer the more recent ones it has.
	SlowDown(ctx context.Context, account string) error
	// ForgiveAccount forgets the account's attempts.
	ForgiveAccount(account string)
	// Hash runs a password hash or check in one of the argon2id slots:
	// edge.ErrPasswordBusy when none came free in time.
	Hash(ctx context.Context, f func()) error
	// SignIn starts a fresh session for u; SignOut ends the request's.
	SignIn(ctx context.Context, u *store.User) error
	SignOut(ctx context.Context) error
}
