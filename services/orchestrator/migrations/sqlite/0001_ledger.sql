-- The orchestrator's ledger: runs, what was sent to which Octopus dossier, and item outcomes.

CREATE TABLE runs (
    run_id       TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL,
    location     TEXT NOT NULL,
    dossier_id   INTEGER NOT NULL,
    request_json TEXT NOT NULL,
    status       TEXT NOT NULL,
    started_at   TEXT NOT NULL,
    finished_at  TEXT,
    report_json  TEXT
);

-- One row per (dossier, PlanManager customer): the Octopus relation and the hash of what was sent.
CREATE TABLE relations (
    dossier_id           INTEGER NOT NULL,
    customer_id          INTEGER NOT NULL,
    relation_key         INTEGER NOT NULL,
    external_relation_id INTEGER NOT NULL,
    payload_hash         TEXT NOT NULL,
    run_id               TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    PRIMARY KEY (dossier_id, customer_id)
);

-- One row per (dossier, PlanManager invoice). `state` is 'sending' while a POST is in flight
-- (the intent is written before the call) and 'booked' once Octopus holds it.
CREATE TABLE bookings (
    dossier_id           INTEGER NOT NULL,
    invoice_id           INTEGER NOT NULL,
    bookyear_id          INTEGER NOT NULL,
    journal_key          TEXT NOT NULL,
    document_sequence_nr INTEGER NOT NULL,
    bookyear_period_nr   INTEGER NOT NULL,
    amount               TEXT NOT NULL,
    payload_hash         TEXT NOT NULL,
    state                TEXT NOT NULL,
    run_id               TEXT NOT NULL,
    attempts             INTEGER NOT NULL DEFAULT 0,
    updated_at           TEXT NOT NULL,
    PRIMARY KEY (dossier_id, invoice_id)
);
