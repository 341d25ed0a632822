-- The first schema of vendorcompare. Money, rates and volumes are TEXT
-- holding exact decimals (shopspring/decimal String form): never REAL, so an
-- amount of 1.005 reads back as 1.005. Times are UTC TEXT in a fixed-width
-- RFC 3339 form, so they sort as text.

-- +goose Up
CREATE TABLE evaluations (
    id                 INTEGER PRIMARY KEY,
    name               TEXT    NOT NULL,
    currency           TEXT    NOT NULL,
    start              TEXT    NOT NULL,              -- YYYY-MM
    horizon_months     INTEGER NOT NULL,
    discount_rate      TEXT    NOT NULL,
    timing             TEXT    NOT NULL,
    escalation         TEXT    NOT NULL,
    volume_unit        TEXT    NOT NULL,
    volume_monthly     TEXT    NOT NULL,
    volume_growth      TEXT    NOT NULL,
    volume_seasonality TEXT    NOT NULL,              -- JSON array of 12 decimal strings
    price_weight       TEXT    NOT NULL,
    price_basis        TEXT    NOT NULL,
    price_formula      TEXT    NOT NULL,
    price_full_at      TEXT    NOT NULL,
    price_zero_at      TEXT    NOT NULL,
    baseline           TEXT    NOT NULL,              -- slug of the baseline option
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL
);
CREATE INDEX evaluations_updated ON evaluations (updated_at DESC, id DESC);

-- The vendor directory is shared by every evaluation.
CREATE TABLE vendors (
    id             INTEGER PRIMARY KEY,
    name           TEXT    NOT NULL COLLATE NOCASE UNIQUE,
    contact        TEXT    NOT NULL DEFAULT '',
    email          TEXT    NOT NULL DEFAULT '',
    certifications TEXT    NOT NULL DEFAULT '[]',    -- JSON array of strings
    notes          TEXT    NOT NULL DEFAULT '',
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL
);

CREATE TABLE options (
    id            INTEGER PRIMARY KEY,
    evaluation_id INTEGER NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    slug          TEXT    NOT NULL,                  -- the option id of the document
    name          TEXT    NOT NULL,
    kind          TEXT    NOT NULL DEFAULT '',
    volume_share  TEXT    NOT NULL,
    vendor_id     INTEGER REFERENCES vendors (id) ON DELETE RESTRICT,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    UNIQUE (evaluation_id, slug)
);
CREATE INDEX options_evaluation ON options (evaluation_id, position);
CREATE INDEX options_vendor ON options (vendor_id);

-- A round is one quote of an option: a full snapshot of its pricing and
-- lines. The option's current quote is its round with the highest seq. Every
-- option has at least one round (the baseline's only round is its costing).
CREATE TABLE rounds (
    id         INTEGER PRIMARY KEY,
    option_id  INTEGER NOT NULL REFERENCES options (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    label      TEXT    NOT NULL CHECK (label IN ('initial', 'revised', 'best_and_final')),
    received   TEXT    NOT NULL DEFAULT '',          -- YYYY-MM-DD or empty
    notes      TEXT    NOT NULL DEFAULT '',
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL,
    UNIQUE (option_id, seq)
);

CREATE TABLE pricing (
    round_id        INTEGER PRIMARY KEY REFERENCES rounds (id) ON DELETE CASCADE,
    currency        TEXT    NOT NULL,
    fx_rate         TEXT    NOT NULL,
    per             TEXT    NOT NULL,
    unit_factor     TEXT    NOT NULL,
    block_size      TEXT,
    cap_aht_minutes TEXT,
    cap_occupancy   TEXT,
    cap_shrinkage   TEXT,
    cap_paid_hours  TEXT,
    tier_mode       TEXT    NOT NULL,
    fixed_monthly   TEXT    NOT NULL,
    minimum_units   TEXT    NOT NULL,
    minimum_charge  TEXT    NOT NULL,
    escalation      TEXT    NOT NULL,
    setup_fee       TEXT    NOT NULL,
    exit_fee        TEXT    NOT NULL,
    from_month      INTEGER NOT NULL
);

CREATE TABLE tiers (
    round_id INTEGER NOT NULL REFERENCES pricing (round_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    up_to    TEXT,                                   -- NULL on the last tier
    price    TEXT    NOT NULL,
    PRIMARY KEY (round_id, position)
);

CREATE TABLE lines (
    id              INTEGER PRIMARY KEY,
    round_id        INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    name            TEXT    NOT NULL,
    category        TEXT    NOT NULL,
    basis           TEXT    NOT NULL,
    amount          TEXT    NOT NULL,
    block_size      TEXT,
    cap_aht_minutes TEXT,
    cap_occupancy   TEXT,
    cap_shrinkage   TEXT,
    cap_paid_hours  TEXT,
    month           INTEGER,
    from_month      INTEGER,
    to_month        INTEGER,
    escalation      TEXT    NOT NULL,
    volume_share    TEXT,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
);
CREATE INDEX lines_round ON lines (round_id, position);

CREATE TABLE criteria (
    id            INTEGER PRIMARY KEY,
    evaluation_id INTEGER NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    key           TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    weight        TEXT    NOT NULL,
    scale         TEXT    NOT NULL,
    minimum       TEXT,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    UNIQUE (evaluation_id, key)
);

CREATE TABLE scores (
    id           INTEGER PRIMARY KEY,
    option_id    INTEGER NOT NULL REFERENCES options (id) ON DELETE CASCADE,
    criterion_id INTEGER NOT NULL REFERENCES criteria (id) ON DELETE CASCADE,
    value        TEXT    NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL,
    UNIQUE (option_id, criterion_id)
);
CREATE INDEX scores_criterion ON scores (criterion_id);

-- The audit log outlives what it describes: no foreign keys.
CREATE TABLE audit (
    id            INTEGER PRIMARY KEY,
    at            TEXT    NOT NULL,
    actor         TEXT    NOT NULL,
    entity        TEXT    NOT NULL,
    entity_id     INTEGER NOT NULL,
    evaluation_id INTEGER,
    action        TEXT    NOT NULL,
    before        TEXT,                              -- JSON, NULL on create
    after         TEXT                               -- JSON, NULL on delete
);
CREATE INDEX audit_evaluation ON audit (evaluation_id, id);

-- +goose Down
DROP TABLE audit;
DROP TABLE scores;
DROP TABLE criteria;
DROP TABLE lines;
DROP TABLE tiers;
DROP TABLE pricing;
DROP TABLE rounds;
DROP TABLE options;
DROP TABLE vendors;
DROP TABLE evaluations;
