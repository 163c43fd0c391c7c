-- Key rotation and explicit ordering; the same as migrations/sqlite/0002_key_ring.sql.
-- master_key_checks: one known plaintext sealed under each master key id, so a wrong key is
-- refused at startup. vat_mappings.position keeps the operator's order.

ALTER TABLE vat_mappings ADD COLUMN position INTEGER NOT NULL DEFAULT 0;

CREATE TABLE master_key_checks (
    key_id           TEXT PRIMARY KEY NOT NULL,
    check_ciphertext BYTEA NOT NULL,
    check_nonce      BYTEA NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX credentials_key_id ON credentials (key_id);
