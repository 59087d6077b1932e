-- Memberships: products a venue sells, and one row per purchase. A holder's validity is computed from these rows when
-- asked (never a stored flag).

CREATE TABLE membership_products (
    product_id          uuid PRIMARY KEY,
    venue_id            text NOT NULL,
    name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    duration            smallint NOT NULL CHECK (duration BETWEEN 0 AND 8),  -- MembershipDuration
    price               bigint NOT NULL CHECK (price >= 0),
    requires_validation boolean NOT NULL DEFAULT false,
    time_zone           text NOT NULL,                                     -- IANA id: calendar units follow the venue's clock
    archived            boolean NOT NULL DEFAULT false,
    created_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX membership_products_venue ON membership_products (venue_id);

-- wallet_id is the holder: the wallet the card paid from at the time (a card's own wallet while anonymous), or the
-- customer's wallet online. A card's own wallet keeps counting for the user its card is linked to.
CREATE TABLE membership_purchases (
    purchase_id      uuid PRIMARY KEY,
    idempotency_key  text NOT NULL UNIQUE,
    product_id       uuid NOT NULL REFERENCES membership_products (product_id),
    venue_id         text NOT NULL,
    wallet_id        uuid NOT NULL,
    card_uid         text,
    channel          smallint NOT NULL CHECK (channel BETWEEN 0 AND 3),   -- MembershipChannel
    amount           bigint NOT NULL CHECK (amount >= 0),
    operation_id     uuid,                                              -- the ledger sale when paid from the wallet
    checkout_session text,                                              -- the Stripe session when paid online
    starts_at        timestamptz NOT NULL,
    ends_at          timestamptz,                                       -- null: lifetime
    purchased_at     timestamptz NOT NULL DEFAULT now(),
    validated_at     timestamptz,                                       -- null while awaiting a venue ADMIN
    CHECK (ends_at IS NULL OR ends_at > starts_at)
);
CREATE INDEX membership_purchases_holder ON membership_purchases (wallet_id, venue_id);
CREATE INDEX membership_purchases_pending ON membership_purchases (venue_id, purchased_at) WHERE validated_at IS NULL;
