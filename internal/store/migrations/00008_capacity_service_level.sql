-- A capacity staffed to a service level (spec §8, issue 15): the target
-- and its seconds, the open hours, the interval and the intraday profile,
-- kept as one JSON object beside the four workload columns; NULL for a
-- workload capacity (or none).

-- +goose Up
ALTER TABLE pricing ADD COLUMN cap_service_level TEXT;
ALTER TABLE lines ADD COLUMN cap_service_level TEXT;

-- +goose Down
ALTER TABLE lines DROP COLUMN cap_service_level;
ALTER TABLE pricing DROP COLUMN cap_service_level;
