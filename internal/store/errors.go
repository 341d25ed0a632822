package store

import (
	"errors"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"vendorcompare/internal/tco"
)

// Code classifies a domain error; the web layer maps it to an HTTP status
// (invalid 422, not_found 404, conflict 409).
type Code string

// Error codes.
const (
	CodeInvalid  Code = "invalid"
	CodeNotFound Code = "not_found"
	CodeConflict Code = "conflict"
	// CodeUnavailable: the database cannot take writes now (a read-only
	// file system, a full disk, an I/O error); the web layer answers 503
	// and nothing of the request was saved.
	CodeUnavailable Code = "unavailable"
)

// Error is a domain error of the store. Compare with errors.Is against
// ErrNotFound, ErrConflict and ErrInvalid (they match on Code); an invalid
// save carries the engine's field errors in Fields, also reachable with
// errors.As(err, &tco.Errors{}).
type Error struct {
	Code    Code
	Message string
	Fields  tco.Errors // problems with their JSON paths (invalid only)
	Err     error      // cause, if any
	// Findings are the implausible values among Fields that await the
	// user's confirmation (plausible.go); Confirm is set when they alone
	// stand in the way, so the same write confirmed saves.
	Findings tco.Errors
	Confirm  bool
}

// Sentinels for errors.Is.
var (
	// ErrNotFound: the id names no record (or a record of another evaluation).
	ErrNotFound = &Error{Code: CodeNotFound, Message: "not found"}
	// ErrConflict: a stale version, or a unique or reference constraint.
	ErrConflict = &Error{Code: CodeConflict, Message: "conflict"}
	// ErrInvalid: the save would make the evaluation document invalid.
	ErrInvalid = &Error{Code: CodeInvalid, Message: "invalid"}
	// ErrUnavailable: the storage refused the write (read-only, full, I/O
	// error); the transaction was rolled back.
	ErrUnavailable = &Error{Code: CodeUnavailable, Message: "storage unavailable"}
)

// Error returns the message, with the field problems of an invalid save.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Message)
	if len(e.Fields) > 0 {
		b.WriteString(": ")
		b.WriteString(e.Fields.Error())
	} else if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Is matches any *Error with the same code, so errors.Is(err, ErrConflict)
// holds for every conflict.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// Unwrap returns the field errors of an invalid save (so errors.As finds
// tco.Errors), else the cause.
func (e *Error) Unwrap() error {
	if len(e.Fields) > 0 {
		return e.Fields
	}
	return e.Err
}

// ErrorCode returns the code of a domain error in err's chain, or "" for an
// unexpected error (the web layer answers 500).
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

func notFound(what string) error {
	return &Error{Code: CodeNotFound, Message: what + " not found"}
}

func conflict(msg string, cause error) error {
	return &Error{Code: CodeConflict, Message: msg, Err: cause}
}

func invalid(msg string, fields tco.Errors) error {
	return &Error{Code: CodeInvalid, Message: msg, Fields: fields}
}

// staleVersion is the conflict of an optimistic-concurrency check.
func staleVersion(what string) error {
	return &Error{Code: CodeConflict, Message: what + " was changed by someone else (stale version)"}
}

// constraintError turns a SQLite constraint violation into a conflict (a
// duplicate key, a vendor still in use) and returns other errors unchanged.
func constraintError(err error, msg string) error {
	if err == nil {
		return nil
	}
	s := err.Error()
	if strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "FOREIGN KEY constraint failed") ||
		strings.Contains(s, "constraint failed") {
		return conflict(msg, err)
	}
	return err
}

// storageError turns SQLite's read-only, full-disk and I/O failures into
// ErrUnavailable (kept as the cause) and returns other errors unchanged:
// they say nothing about the request, only that the disk cannot take a
// write now, so a client may retry later and nothing was saved.
func storageError(err error) error {
	var se *sqlite.Error
	if err == nil || ErrorCode(err) != "" || !errors.As(err, &se) {
		return err // a domain error already says what happened
	}
	switch se.Code() & 0xff { // the primary code of an extended one
	case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN:
		return &Error{Code: CodeUnavailable, Message: "the database cannot save changes right now (read-only or full disk); nothing was saved, try again later", Err: err}
	}
	return err
}
