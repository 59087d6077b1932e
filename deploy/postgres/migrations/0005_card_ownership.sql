-- Who may change a card's owner (README "Linking a card: the owner's proofs").

-- A card blocked by a venue's staff pays nothing anywhere; its money stays where it is. Only that venue lifts the block.
ALTER TABLE cards
    ADD COLUMN blocked_by     text,
    ADD COLUMN blocked_reason text,
    ADD COLUMN blocked_at     timestamptz,
    ADD CHECK ((blocked_by IS NULL) = (blocked_at IS NULL));

-- A link started at a counter: the card was shown there, the e-mail is not proven yet. Nothing moves until the mailed
-- token comes back (confirmed_at). Only the token's SHA-256 is kept. The key becomes the fusion's ledger key.
CREATE TABLE card_link_requests (
    idempotency_key text PRIMARY KEY,
    uid             text NOT NULL REFERENCES cards (uid),
    email           text NOT NULL,
    venue_id        text NOT NULL,
    token_hash      bytea NOT NULL UNIQUE,
    requested_at    timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    confirmed_at    timestamptz
);
CREATE INDEX card_link_requests_uid ON card_link_requests (uid);
