-- Sessions that really end, passwords reset by link, tokens that expire.
--
-- users.session_gen is written into every session at sign-in and compared
-- on each request: changing the password or disabling the user bumps it,
-- so every session signed in before, even one whose row a slow request
-- wrote back after it was deleted, is dead at its next request.
-- api_tokens.expires_at is a token's optional end (NULL: it never expires).
-- password_resets holds the one-time links an admin makes on the Users
-- page (only the secret's hash); each is spent by its first use.

-- +goose Up
ALTER TABLE users ADD COLUMN session_gen INTEGER NOT NULL DEFAULT 1;
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;

CREATE TABLE password_resets (
    hash       TEXT    PRIMARY KEY,                  -- hex SHA-256 of the secret
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_by TEXT    NOT NULL,
    expires_at TEXT    NOT NULL
);
CREATE INDEX password_resets_user ON password_resets (user_id);

-- +goose Down
DROP TABLE password_resets;
ALTER TABLE api_tokens DROP COLUMN expires_at;
ALTER TABLE users DROP COLUMN session_gen;
