-- One running export per Octopus dossier, held as a lease that expires if its holder dies.
CREATE TABLE dossier_locks (
    dossier_id INTEGER PRIMARY KEY,
    run_id     TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

ALTER TABLE runs ADD COLUMN dry_run INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN message TEXT;

CREATE INDEX runs_tenant_started ON runs (tenant_id, started_at);
