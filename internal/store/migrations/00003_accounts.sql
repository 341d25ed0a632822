-- Accounts: users with a role, their browser sessions (the table scs's
-- sqlite3store expects, plus which user each session belongs to, so that
-- disabling a user ends every session of theirs), personal API tokens, the
-- one-time link that creates the first admin, and the decisions recorded on
-- evaluations. Secrets are never stored: passwords as argon2id hashes,
-- tokens as SHA-256 hashes.

-- +goose Up
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT    NOT NULL COLLATE NOCASE UNIQUE,
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
    password_hash TEXT    NOT NULL,                  -- argon2id, PHC string
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL
);

-- Exactly the table github.com/alexedwards/scs/sqlite3store reads and
-- writes (token is scs's SHA-256 of the cookie value: HashTokenInStore).
CREATE TABLE sessions (
    token  TEXT PRIMARY KEY,
    data   BLOB NOT NULL,
    expiry REAL NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);

-- Which user a session (by its stored token) belongs to.
CREATE TABLE user_sessions (
    token      TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT    NOT NULL
);
CREATE INDEX user_sessions_user ON user_sessions (user_id);

CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    hash       TEXT    NOT NULL UNIQUE,              -- hex SHA-256 of the secret
    hint       TEXT    NOT NULL,                     -- the secret's first characters, to tell tokens apart
    created_at TEXT    NOT NULL,
    revoked_at TEXT                                  -- NULL while the token works
);
CREATE INDEX api_tokens_user ON api_tokens (user_id, id);

CREATE TABLE setup_tokens (
    hash       TEXT PRIMARY KEY,                     -- hex SHA-256 of the secret
    expires_at TEXT NOT NULL
);

-- A decision on an evaluation: award to an option, reject, or defer, with
-- the rationale. option_name keeps the option's name as it was when the
-- option is later deleted.
CREATE TABLE decisions (
    id            INTEGER PRIMARY KEY,
    evaluation_id INTEGER NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
    kind          TEXT    NOT NULL CHECK (kind IN ('award', 'reject', 'defer')),
    option_id     INTEGER REFERENCES options (id) ON DELETE SET NULL,
    option_name   TEXT    NOT NULL DEFAULT '',
    rationale     TEXT    NOT NULL,
    decided_by    TEXT    NOT NULL,
    decided_at    TEXT    NOT NULL
);
CREATE INDEX decisions_evaluation ON decisions (evaluation_id, id);

-- +goose Down
DROP TABLE decisions;
DROP TABLE setup_tokens;
DROP TABLE api_tokens;
DROP TABLE user_sessions;
DROP TABLE sessions;
DROP TABLE users;
