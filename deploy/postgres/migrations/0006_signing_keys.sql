-- JWT signing keys, rotatable: the newest key signs new tokens; every key not yet retired validates tokens (found by
-- the token header's kid). A superseded key is retired once every token it signed has expired.

CREATE TABLE signing_keys (
    key_id     text PRIMARY KEY,
    secret     bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    retired_at timestamptz
);

-- The key used before rotation existed stays valid for the tokens it signed.
INSERT INTO signing_keys (key_id, secret, created_at)
SELECT 'initial', secret, created_at FROM instance_secrets WHERE name = 'jwt-signing-key';
