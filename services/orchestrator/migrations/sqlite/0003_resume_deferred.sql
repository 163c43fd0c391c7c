-- Runs with deferred items (Octopus's daily cap) are resumed by the orchestrator itself.
ALTER TABLE runs ADD COLUMN resume_at TEXT;
ALTER TABLE runs ADD COLUMN resumed_by TEXT;
