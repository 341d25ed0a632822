-- A vendor's own quality scores, from its bid form. They are kept apart
-- from the scores procurement gives (table scores), which alone are
-- costed: a self-assessment is shown beside the criterion, and the option
-- stays incomplete on it until procurement confirms it (its value becomes
-- the score) or overrides it (procurement's own value does). status says
-- which; the audit log says who and when.

-- +goose Up
CREATE TABLE self_scores (
    id           INTEGER PRIMARY KEY,
    option_id    INTEGER NOT NULL REFERENCES options (id) ON DELETE CASCADE,
    criterion_id INTEGER NOT NULL REFERENCES criteria (id) ON DELETE CASCADE,
    value        TEXT    NOT NULL,
    status       TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'overridden')),
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL,
    UNIQUE (option_id, criterion_id)
);
CREATE INDEX self_scores_criterion ON self_scores (criterion_id);

-- +goose Down
DROP TABLE self_scores;
