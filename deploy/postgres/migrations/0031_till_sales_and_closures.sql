-- Sale lines, cashier sessions and closures (docs/architecture.md, "Till"). A sale line is written by the ledger writer in
-- the same transaction as its ledger operation, so reports over sale lines and the ledger agree to the cent. Rows are only
-- inserted; a void is a new line with negative amounts.

CREATE TABLE sale_lines (
    line_id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    operation_id     uuid NOT NULL,
    venue_id         text NOT NULL,
    point_of_sale_id text,
    session_id       uuid,
    cashier          text,                 -- the staff user who sold
    kind             smallint NOT NULL,    -- SaleLineKind: 0 sale, 1 top-up, 2 refund, 3 deposit return, 4 void, 5 badge
    product_id       uuid,
    product_name     text NOT NULL,
    category_id      uuid,
    category_name    text,
    vat_rate         integer NOT NULL,     -- basis points
    quantity         integer NOT NULL,     -- units this row counts (a line split over several means counts once)
    unit_price       bigint NOT NULL,
    amount           bigint NOT NULL,      -- signed cents this row accounts for, paid in its means (and asset)
    means            smallint NOT NULL,    -- 0 card (asset_id says which), 1 cash, 2 bank card
    asset_id         uuid,
    card_uid         text,
    table_id         text,
    order_id         uuid,
    created_at       timestamptz NOT NULL
);
CREATE INDEX sale_lines_venue_time ON sale_lines (venue_id, created_at);
CREATE INDEX sale_lines_operation ON sale_lines (operation_id);

-- Reports read a venue's period of the ledger.
CREATE INDEX ledger_operations_venue_time ON ledger_operations (venue_id, created_at) WHERE venue_id IS NOT NULL;
CREATE INDEX ledger_transactions_venue_time ON ledger_transactions (venue_id, created_at) WHERE venue_id IS NOT NULL;

-- How a venue's business day turns (its time zone and hour) and whether it closes by itself then.
CREATE TABLE till_settings (
    venue_id   text PRIMARY KEY,
    time_zone  text NOT NULL DEFAULT 'Europe/Paris',
    day_turn   time NOT NULL DEFAULT '04:00',
    auto_close boolean NOT NULL DEFAULT false
);

-- A cashier's session at a till: the float put in the drawer, then the cash counted at the end.
CREATE TABLE till_sessions (
    session_id       uuid PRIMARY KEY,
    venue_id         text NOT NULL,
    point_of_sale_id text NOT NULL,
    user_id          uuid NOT NULL,
    opening_float    bigint NOT NULL CHECK (opening_float >= 0),
    opened_at        timestamptz NOT NULL DEFAULT now(),
    counted_cash     bigint CHECK (counted_cash >= 0),
    expected_cash    bigint,
    closed_at        timestamptz,
    CHECK ((closed_at IS NULL) = (counted_cash IS NULL))
);
-- One open session per cashier and venue.
CREATE UNIQUE INDEX till_sessions_one_open ON till_sessions (venue_id, user_id) WHERE closed_at IS NULL;
CREATE INDEX till_sessions_venue_time ON till_sessions (venue_id, closed_at);

-- Z closures: immutable snapshots. Each covers from the previous one's end to its own; later corrections land in the next.
CREATE TABLE till_closures (
    closure_id   uuid PRIMARY KEY,
    venue_id     text NOT NULL,
    number       integer NOT NULL CHECK (number >= 1),
    business_day date NOT NULL,
    period_start timestamptz NOT NULL,
    period_end   timestamptz NOT NULL CHECK (period_end >= period_start),
    closed_by    text NOT NULL,
    automatic    boolean NOT NULL DEFAULT false,
    report       jsonb NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (venue_id, number)
);

-- Closures are never changed nor removed.
CREATE FUNCTION till_closures_immutable() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN RAISE EXCEPTION 'till closures are immutable'; END $$;
CREATE TRIGGER till_closures_no_change BEFORE UPDATE OR DELETE ON till_closures
    FOR EACH ROW EXECUTE FUNCTION till_closures_immutable();
