-- Who may call the API: staff users (JWT), devices (one point of sale each) and partner instances.
-- Secrets and keys are stored only as hashes; a key is shown once, when it is created.

CREATE TABLE instance_secrets (
    name       text PRIMARY KEY,
    secret     bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE staff_users (
    user_id           uuid PRIMARY KEY,
    email             text NOT NULL UNIQUE,
    -- PBKDF2-SHA256: "iterations$salt$hash", all base64.
    secret_hash       text NOT NULL,
    is_instance_admin boolean NOT NULL DEFAULT false,
    created_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE venue_roles (
    user_id    uuid NOT NULL REFERENCES staff_users (user_id),
    venue_id   text NOT NULL,
    role       text NOT NULL CHECK (role IN ('ADMIN', 'CASHIER', 'VIEWER')),
    granted_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, venue_id)
);

CREATE TABLE devices (
    device_id         uuid PRIMARY KEY,
    venue_id          text NOT NULL,
    point_of_sale_id  text NOT NULL,
    name              text NOT NULL,
    -- SHA-256 of a 256-bit random key: a slow hash adds nothing against guessing such a key.
    key_hash          bytea NOT NULL UNIQUE,
    created_at        timestamptz NOT NULL DEFAULT now(),
    revoked_at        timestamptz
);

CREATE TABLE partners (
    partner_id  uuid PRIMARY KEY,
    name        text NOT NULL,
    key_hash    bytea NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);
