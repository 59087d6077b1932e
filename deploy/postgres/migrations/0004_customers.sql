-- Customers sign in by e-mail, with no password: a one-time code and link are mailed to them. The account row is made at
-- the first successful sign-in (sign-up is the first sign-in).

CREATE TABLE customers (
    email              text PRIMARY KEY,
    created_at         timestamptz NOT NULL DEFAULT now(),
    last_signed_in_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per mailed sign-in: only SHA-256 hashes of the code and of the link's token are kept. A row is good once
-- (used_at), until expires_at, and for a few wrong codes (failed_attempts).
CREATE TABLE customer_sign_ins (
    sign_in_id       uuid PRIMARY KEY,
    email            text NOT NULL,
    code_hash        bytea NOT NULL,
    token_hash       bytea NOT NULL UNIQUE,
    expires_at       timestamptz NOT NULL,
    used_at          timestamptz,
    failed_attempts  integer NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX customer_sign_ins_email ON customer_sign_ins (email, expires_at);
