-- Key rotation and explicit ordering.
-- master_key_checks: one known plaintext sealed under each master key id, so a wrong key is
-- refused at startup instead of failing later on each tenant. vat_mappings.position keeps the
-- operator's order on every backend (rows written before this migration keep rowid order).

ALTER TABLE vat_mappings ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
UPDATE vat_mappings SET position = rowid;

CREATE TABLE master_key_checks (
    key_id           TEXT PRIMARY KEY NOT NULL,
    check_ciphertext BLOB NOT NULL,
    check_nonce      BLOB NOT NULL,
    created_at       TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX credentials_key_id ON credentials (key_id);
