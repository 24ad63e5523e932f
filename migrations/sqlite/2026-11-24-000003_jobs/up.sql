-- Background jobs: everything periodic or retried (outbound mail, mail polling, escalation
-- checks, pending auto-close, reminders, notifications, webhooks). Workers of any number of
-- `vakt serve` processes claim due jobs under a lease; a job whose lease runs out (its worker
-- died) is claimed again. Failures back off exponentially; after max_attempts a job is dead
-- and waits for an administrator.
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'dead')),
    run_at TIMESTAMP NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    locked_by TEXT,
    locked_until TIMESTAMP,
    last_error TEXT,
    -- At most one queued or running job per unique key (e.g. one poll per mail account).
    unique_key TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
CREATE INDEX jobs_due ON jobs (run_at) WHERE status = 'queued';
CREATE INDEX jobs_leases ON jobs (locked_until) WHERE status = 'running';
CREATE INDEX jobs_status ON jobs (status, id);
CREATE UNIQUE INDEX jobs_unique_key ON jobs (unique_key) WHERE status IN ('queued', 'running');
