-- The audit log grows with every change (about 100,000 rows for 10,000
-- evaluations and 100,000 quotes), and its rows are wide (the before and
-- after of each change). Filtering by entity read every row: audit_entity
-- answers the count and the page. A page deep in the log skipped its
-- offset over the wide rows themselves: audit_id is a narrow copy of the
-- order, so the offset is skipped there and only the page's rows are read
-- (store.Audit selects the page's ids first).

-- +goose Up
CREATE INDEX audit_entity ON audit (entity, id);
CREATE INDEX audit_id ON audit (id);

-- +goose Down
DROP INDEX audit_id;
DROP INDEX audit_entity;
