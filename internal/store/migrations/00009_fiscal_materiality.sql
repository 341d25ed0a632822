-- The two reading settings of an evaluation (spec §1): the month its
-- fiscal year begins (1..12) and the materiality share (an exact decimal
-- as TEXT, 0..0.1). NULL means the document does not set them: existing
-- evaluations keep the spec's defaults (January, 0.005) and their exports
-- leave the fields out, as a document that never set them.

-- +goose Up
ALTER TABLE evaluations ADD COLUMN fiscal_year_start INTEGER;
ALTER TABLE evaluations ADD COLUMN materiality TEXT;

-- +goose Down
ALTER TABLE evaluations DROP COLUMN materiality;
ALTER TABLE evaluations DROP COLUMN fiscal_year_start;
