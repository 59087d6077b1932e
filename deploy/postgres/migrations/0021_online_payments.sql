-- Online payment through Stripe Checkout: the venues' connected accounts, the sessions we created, the webhook events we
-- processed (idempotency by event id), and online refunds (idempotency by our key, one row per original payment refunded).

CREATE TABLE venue_stripe_accounts (
    venue_id   text PRIMARY KEY,
    account_id text NOT NULL CHECK (account_id ~ '^acct_[A-Za-z0-9]{1,64}$'),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE checkout_sessions (
    session_id     text PRIMARY KEY,
    client_key     text NOT NULL UNIQUE,              -- the customer's idempotency key, scoped to them
    kind           smallint NOT NULL CHECK (kind BETWEEN 0 AND 1),     -- CheckoutKind
    customer_email text NOT NULL,
    wallet_id      uuid NOT NULL,                     -- the customer's wallet: membership holder, or where FED is credited
    venue_id       text,
    stripe_account text,                              -- null: the platform's own account
    product_id     uuid,
    amount         bigint NOT NULL CHECK (amount > 0),
    currency       text NOT NULL,
    status         smallint NOT NULL DEFAULT 0 CHECK (status BETWEEN 0 AND 4),  -- CheckoutStatus
    url            text,
    payment_intent text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    completed_at   timestamptz,
    CHECK ((kind = 0) = (product_id IS NOT NULL AND venue_id IS NOT NULL))
);
CREATE INDEX checkout_sessions_fed ON checkout_sessions (wallet_id, completed_at DESC) WHERE kind = 1 AND status = 2;

CREATE TABLE stripe_events (
    event_id    text PRIMARY KEY,
    type        text NOT NULL,
    session_id  text,
    received_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE online_refunds (
    refund_key       text NOT NULL,                   -- the customer's key, scoped to them
    session_id       text NOT NULL REFERENCES checkout_sessions (session_id),
    wallet_id        uuid NOT NULL,
    payment_intent   text NOT NULL,
    amount           bigint NOT NULL CHECK (amount > 0),
    requested        bigint NOT NULL,                 -- the whole refund asked for under refund_key
    stripe_refund_id text,                            -- set once Stripe answered
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (refund_key, session_id)
);
CREATE INDEX online_refunds_session ON online_refunds (session_id);
