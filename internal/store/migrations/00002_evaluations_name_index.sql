-- Counting the evaluations a name search matches, and finding their last
-- change, reads this narrow covering index instead of every wide row.

-- +goose Up
CREATE INDEX evaluations_name ON evaluations (name, updated_at);

-- +goose Down
DROP INDEX evaluations_name;
