-- The cashless ledger (docs/architecture.md, "The money rules").
-- Amounts are bigint cents. Rows are only ever inserted, except balance rows (aggregated deltas) and card rows.

-- Every wallet the ledger knows. Venue and mint wallet ids are derived from their venue and asset.
CREATE TABLE ledger_wallets (
    wallet_id  uuid PRIMARY KEY,
    kind       smallint NOT NULL CHECK (kind BETWEEN 0 AND 3),   -- 0 user, 1 card, 2 venue, 3 mint
    venue_id   text,                                             -- venue wallets: their venue
    asset_id   uuid,                                             -- mint wallets: the asset they issue
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (kind <> 3 OR asset_id = wallet_id)
);

-- One row per LedgerWriter instance (one per silo start): the owner of one hash chain.
CREATE TABLE ledger_writers (
    writer_id  uuid PRIMARY KEY,
    host       text NOT NULL,
    process_id integer NOT NULL,
    started_at timestamptz NOT NULL DEFAULT now()
);

-- One link per committed batch. (writer_id, height) is unique, so a chain cannot fork.
CREATE TABLE ledger_chain (
    writer_id         uuid NOT NULL,
    height            bigint NOT NULL CHECK (height >= 1),
    prev_hash         bytea NOT NULL,
    hash              bytea NOT NULL,
    operation_count   integer NOT NULL,
    transaction_count integer NOT NULL,
    committed_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (writer_id, height)
);

-- One row per money operation: the client's idempotency key, the hash of the request and the result to replay.
CREATE TABLE ledger_operations (
    operation_id    uuid PRIMARY KEY,
    idempotency_key text NOT NULL UNIQUE CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    request_hash    bytea NOT NULL,
    kind            smallint NOT NULL,
    result          bytea NOT NULL,
    venue_id        text,
    card_uid        text,
    external_amount bigint NOT NULL DEFAULT 0 CHECK (external_amount >= 0),
    external_means  smallint NOT NULL DEFAULT 0,
    writer_id       uuid NOT NULL,
    height          bigint NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);

-- Double-entry movements. position orders the lines of one batch for its chain link.
CREATE TABLE ledger_transactions (
    transaction_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    operation_id   uuid NOT NULL,
    writer_id      uuid NOT NULL,
    height         bigint NOT NULL,
    position       integer NOT NULL,                 -- verification sorts by (writer_id, height, position); no index, to keep inserts cheap
    kind           smallint NOT NULL,
    asset_id       uuid NOT NULL,
    amount         bigint NOT NULL CHECK (amount > 0 OR (amount = 0 AND kind = 7)),
    from_wallet    uuid NOT NULL,
    to_wallet      uuid NOT NULL CHECK (to_wallet <> from_wallet),
    venue_id       text,
    card_uid       text,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ledger_transactions_from ON ledger_transactions (from_wallet, transaction_id);
CREATE INDEX ledger_transactions_to ON ledger_transactions (to_wallet, transaction_id);
CREATE INDEX ledger_transactions_venue ON ledger_transactions (venue_id, transaction_id) WHERE venue_id IS NOT NULL;
CREATE INDEX ledger_transactions_card ON ledger_transactions (card_uid, transaction_id) WHERE card_uid IS NOT NULL;

-- The last guard against a stale or duplicate wallet activation: each operation a wallet grain submits claims the
-- wallet's next sequence number, and a number can be claimed once.
CREATE TABLE ledger_wallet_sequence (
    wallet_id    uuid NOT NULL,
    seq          bigint NOT NULL CHECK (seq >= 1),
    operation_id uuid NOT NULL,
    CONSTRAINT ledger_wallet_sequence_pkey PRIMARY KEY (wallet_id, seq)
);

-- Balances, kept exact by the aggregated deltas of each batch. Only a mint (wallet id = asset id) may go negative.
CREATE TABLE ledger_balances (
    wallet_id uuid NOT NULL,
    asset_id  uuid NOT NULL,
    balance   bigint NOT NULL,
    PRIMARY KEY (wallet_id, asset_id),
    CONSTRAINT ledger_balances_non_negative CHECK (balance >= 0 OR wallet_id = asset_id)
);

-- Read models of the configuration grains (their state lives in Orleans storage), for lists and reports.
CREATE TABLE venues (
    venue_id   text PRIMARY KEY,
    name       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE assets (
    asset_id      uuid PRIMARY KEY,
    kind          text NOT NULL CHECK (kind IN ('FED', 'TLF', 'TNF', 'TIM', 'FID', 'SUB', 'BDG')),
    name          text NOT NULL,
    issuing_venue text,
    archived      boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'FED') = (issuing_venue IS NULL))
);
CREATE UNIQUE INDEX assets_one_fed ON assets ((kind)) WHERE kind = 'FED';

-- Users known by e-mail: the owner of a user wallet.
CREATE TABLE wallet_owners (
    email      text PRIMARY KEY,
    wallet_id  uuid NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Cards. The row is the CardGrain's state: only that grain changes it (version guards a stale activation).
CREATE TABLE cards (
    uid            text PRIMARY KEY CHECK (uid ~ '^([0-9A-F]{8}|[0-9A-F]{14})$'),
    number         text NOT NULL UNIQUE CHECK (number ~ '^[0-9A-Z]{8}$'),
    qr_id          text NOT NULL UNIQUE CHECK (length(qr_id) BETWEEN 1 AND 100),
    batch          text,
    state          smallint NOT NULL DEFAULT 0 CHECK (state BETWEEN 0 AND 3),  -- 0 blank, 1 anonymous, 2 identified, 3 lost
    card_wallet    uuid NOT NULL UNIQUE,       -- the card's own (anonymous) wallet
    user_wallet    uuid,                       -- set while identified (and kept when lost)
    fusion_pending boolean NOT NULL DEFAULT false,
    version        integer NOT NULL DEFAULT 0,
    registered_at  timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CHECK ((state = 2) <= (user_wallet IS NOT NULL))
);
CREATE INDEX cards_user_wallet ON cards (user_wallet) WHERE user_wallet IS NOT NULL;

-- Cashier (primary) rights, per card and venue.
CREATE TABLE card_cashier_grants (
    uid        text NOT NULL REFERENCES cards (uid),
    venue_id   text NOT NULL,
    granted_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (uid, venue_id)
);
