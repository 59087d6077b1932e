-- The ledger operations a till wrote (those carrying sale lines), one row each, written by the ledger writer in the same
-- transaction as the lines. Reports match the till's operations with the ledger by a join on this small table instead of
-- looking for each operation among the period's sale lines.
CREATE TABLE till_operations (
    operation_id uuid PRIMARY KEY,
    venue_id     text NOT NULL,
    created_at   timestamptz NOT NULL
);
CREATE INDEX till_operations_venue_time ON till_operations (venue_id, created_at);

INSERT INTO till_operations (operation_id, venue_id, created_at)
SELECT DISTINCT ON (operation_id) operation_id, venue_id, created_at FROM sale_lines ORDER BY operation_id;
