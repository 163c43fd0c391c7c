-- Tenants, their locations → Octopus dossiers, journal overrides, VAT mappings and the
-- encrypted Octopus credentials; the same logical schema as migrations/sqlite/0001_init.sql.
-- Each secret has its own random nonce; key_id names the master key it is sealed under.

CREATE TABLE tenants (
    id                         TEXT PRIMARY KEY NOT NULL,
    name                       TEXT NOT NULL,
    default_revenue_account    INTEGER NOT NULL,
    default_receivable_account INTEGER NOT NULL,
    rounding_policy            TEXT NOT NULL CHECK (rounding_policy IN ('octopus_total', 'document')),
    limit_name                 BIGINT NOT NULL CHECK (limit_name >= 0),
    limit_street_and_nr        BIGINT NOT NULL CHECK (limit_street_and_nr >= 0),
    limit_city                 BIGINT NOT NULL CHECK (limit_city >= 0),
    limit_email                BIGINT NOT NULL CHECK (limit_email >= 0),
    octopus_base_url           TEXT NOT NULL DEFAULT '',
    created_at                 TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at                 TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE tenant_locations (
    tenant_id     TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    location_name TEXT NOT NULL,
    dossier_id    INTEGER NOT NULL CHECK (dossier_id > 0),
    PRIMARY KEY (tenant_id, location_name)
);

CREATE TABLE journal_overrides (
    tenant_id           TEXT NOT NULL,
    location_name       TEXT NOT NULL,
    planmanager_code    TEXT NOT NULL,
    octopus_journal_key TEXT NOT NULL,
    PRIMARY KEY (tenant_id, location_name, planmanager_code),
    FOREIGN KEY (tenant_id, location_name)
        REFERENCES tenant_locations (tenant_id, location_name) ON DELETE CASCADE
);

CREATE TABLE vat_mappings (
    tenant_id    TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    rate         TEXT NOT NULL,
    regime       TEXT NOT NULL,
    octopus_code TEXT NOT NULL,
    PRIMARY KEY (tenant_id, rate, regime)
);

CREATE TABLE credentials (
    tenant_id                      TEXT PRIMARY KEY NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    key_id                         TEXT NOT NULL,
    user_ciphertext                BYTEA,
    user_nonce                     BYTEA,
    password_ciphertext            BYTEA NOT NULL,
    password_nonce                 BYTEA NOT NULL,
    software_house_uuid_ciphertext BYTEA NOT NULL,
    software_house_uuid_nonce      BYTEA NOT NULL,
    updated_at                     TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP
);
