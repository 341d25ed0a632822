-- An evaluation's risk block (spec §9: runs, seed and the drivers'
-- triangular ranges) as the engine's JSON, '' for none. It travels with
-- the document: an import keeps it and the document export gives it back.

-- +goose Up
ALTER TABLE evaluations ADD COLUMN risk TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE evaluations DROP COLUMN risk;
