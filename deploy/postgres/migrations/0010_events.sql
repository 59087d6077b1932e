-- Events, their reservations and tickets. The event grain is the only writer of an event's rows and of its seat counts;
-- these tables make what it decided durable (a reservation is answered only once its row is committed) and answer the
-- public agenda without touching any grain.

CREATE TABLE events (
    event_id    uuid PRIMARY KEY,
    venue_id    text NOT NULL,
    state       smallint NOT NULL,                  -- 0 draft, 1 published, 2 cancelled, 3 archived
    title       text NOT NULL,
    description text NOT NULL DEFAULT '',
    starts_at   timestamptz NOT NULL,               -- UTC instants; time_zone says how the venue shows them
    ends_at     timestamptz NOT NULL,
    time_zone   text NOT NULL,                      -- IANA name
    tags        text[] NOT NULL DEFAULT '{}',
    image_url   text,
    capacity    integer NOT NULL CHECK (capacity >= 0),
    private     boolean NOT NULL DEFAULT false,
    nominative  boolean NOT NULL DEFAULT false,
    hold_seconds integer CHECK (hold_seconds > 0),        -- null: the configured default
    prices      jsonb NOT NULL DEFAULT '[]',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    search      tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, title || ' ' || description)) STORED,
    CHECK (ends_at >= starts_at)
);

-- The agenda lists published public events by start: a partial btree in cursor order, GIN for tags and for text.
CREATE INDEX events_agenda ON events (starts_at, event_id) WHERE state = 1 AND NOT private;
CREATE INDEX events_agenda_venue ON events (venue_id, starts_at, event_id) WHERE state = 1 AND NOT private;
CREATE INDEX events_tags ON events USING gin (tags) WHERE state = 1 AND NOT private;
CREATE INDEX events_search ON events USING gin (search) WHERE state = 1 AND NOT private;
CREATE INDEX events_by_venue ON events (venue_id, starts_at);

CREATE TABLE reservations (
    reservation_id  uuid PRIMARY KEY,
    event_id        uuid NOT NULL REFERENCES events (event_id),
    customer        text NOT NULL,                  -- the customer's e-mail (their account)
    idempotency_key text NOT NULL,
    request_hash    bytea NOT NULL,
    state           smallint NOT NULL,              -- 0 held, 1 confirmed, 2 cancelled, 3 expired
    seats           jsonb NOT NULL,
    total           bigint NOT NULL CHECK (total >= 0),
    held_until      timestamptz NOT NULL,
    confirm_token_hash bytea,                       -- a free reservation's e-mailed link (hash only)
    payer_wallet    uuid,
    payment         jsonb,                          -- the ledger movements paid, reversed by a refund
    created_at      timestamptz NOT NULL DEFAULT now(),
    confirmed_at    timestamptz,
    cancelled_at    timestamptz,
    UNIQUE (customer, idempotency_key)
);

CREATE INDEX reservations_live ON reservations (event_id) WHERE state IN (0, 1);
CREATE INDEX reservations_customer ON reservations (customer, created_at DESC);
CREATE UNIQUE INDEX reservations_token ON reservations (confirm_token_hash) WHERE confirm_token_hash IS NOT NULL;

CREATE TABLE tickets (
    ticket_id       uuid PRIMARY KEY,
    reservation_id  uuid NOT NULL REFERENCES reservations (reservation_id),
    event_id        uuid NOT NULL,
    venue_id        text NOT NULL,
    price_id        text NOT NULL,
    holder_name     text,
    code            text NOT NULL UNIQUE,
    state           smallint NOT NULL DEFAULT 0,    -- 0 valid, 1 cancelled
    checked_in_at   timestamptz,
    checked_in_by   text,
    checked_in_where text
);

CREATE INDEX tickets_reservation ON tickets (reservation_id);
CREATE INDEX tickets_event ON tickets (event_id);

-- One ECDSA P-256 key per venue signs its tickets; the public half is published for offline checks. Like the token
-- signing keys, the private key is kept in the database, readable only by the service's role.
CREATE TABLE venue_ticket_keys (
    venue_id    text PRIMARY KEY,
    key_id      text NOT NULL UNIQUE,
    private_key bytea NOT NULL,                     -- PKCS#8
    public_key  bytea NOT NULL,                     -- SubjectPublicKeyInfo
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
