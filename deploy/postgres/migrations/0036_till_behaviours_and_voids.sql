-- Till product behaviours and voids (docs/architecture.md, "Till").

-- A membership product of the till's catalog names the membership it sells (memberships capability).
ALTER TABLE catalog_products ADD COLUMN membership_product_id uuid;

-- The ledger kind of the operation a sale line was written with (TransactionKind), so reports match lines and ledger per
-- kind even where a line kind is settled in several ways (a deposit given back in a sale, onto a card, or in cash).
-- Null for lines written before it: their kind alone says it.
ALTER TABLE sale_lines ADD COLUMN ledger_kind smallint;

-- A void line names the line it cancels; a line is voided at most once.
ALTER TABLE sale_lines ADD COLUMN voids_line_id bigint;
ALTER TABLE sale_lines ADD COLUMN reason text CHECK (reason IS NULL OR length(reason) BETWEEN 1 AND 500);
CREATE UNIQUE INDEX sale_lines_voided_once ON sale_lines (voids_line_id) WHERE voids_line_id IS NOT NULL;
