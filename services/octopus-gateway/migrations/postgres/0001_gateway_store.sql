-- The octopus-gateway's shared store (PostgreSQL, production): daily call counters per dossier
-- and endpoint, dossier sessions shared by replicas, and reference data read from Octopus.

CREATE TABLE quota_usage (
    dossier_id INTEGER NOT NULL,
    endpoint   TEXT    NOT NULL,
    -- Europe/Brussels calendar day, YYYY-MM-DD.
    day        TEXT    NOT NULL,
    used       BIGINT  NOT NULL,
    PRIMARY KEY (dossier_id, endpoint, day)
);

CREATE TABLE sessions (
    tenant_id      TEXT    NOT NULL,
    dossier_id     INTEGER NOT NULL,
    base_url       TEXT    NOT NULL DEFAULT '',
    dossier_token  TEXT    NOT NULL DEFAULT '',
    issued_at_ms   BIGINT  NOT NULL DEFAULT 0,
    -- A replica opening a new session holds this claim so the others wait instead of connecting.
    claim_until_ms BIGINT  NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, dossier_id)
);

CREATE TABLE reference_data (
    dossier_id    INTEGER NOT NULL,
    kind          TEXT    NOT NULL,
    body          BYTEA   NOT NULL,
    fetched_at_ms BIGINT  NOT NULL,
    stale         BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (dossier_id, kind)
);

CREATE TABLE journal_last (
    dossier_id  INTEGER NOT NULL,
    bookyear_id INTEGER NOT NULL,
    journal_key TEXT    NOT NULL,
    last_nr     INTEGER NOT NULL,
    PRIMARY KEY (dossier_id, bookyear_id, journal_key)
);
