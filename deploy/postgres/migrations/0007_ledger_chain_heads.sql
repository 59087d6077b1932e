-- The hash chain covers every stored fact of an operation and each writer's head (docs/architecture.md, "Tamper evidence").
--
-- Version 2 links hash, per operation, its kind, key, request hash, result, venue, card, time, external amount and means,
-- and, per line, its operation, kind, asset, amount, wallets, venue, card and time. Links written before this migration
-- keep version 1 (operation id, kind, key, request hash; line position, asset, amount, wallets) and are still verified
-- that way, so a database that already holds them stays verifiable; only their extra columns are not covered.
ALTER TABLE ledger_chain ADD COLUMN chain_version smallint NOT NULL DEFAULT 1 CHECK (chain_version IN (1, 2));

-- Each writer's last link, updated in the same transaction as each batch: a chain cut at its end, or removed whole, no
-- longer ends at its head. Heads of the chains already written are taken from their last link.
CREATE TABLE ledger_writer_heads (
    writer_id  uuid PRIMARY KEY,
    height     bigint NOT NULL CHECK (height >= 1),
    hash       bytea NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO ledger_writer_heads (writer_id, height, hash)
SELECT DISTINCT ON (writer_id) writer_id, height, hash FROM ledger_chain ORDER BY writer_id, height DESC;
