-- Ticket relations (ADR 0008): links stored once in their canonical direction (the reverse
-- is read from the same row), the ticket a merged ticket went into, the per-queue rule that
-- a ticket cannot close while its dependencies are open, bulk runs behind background jobs,
-- and what each agent has read.
CREATE TABLE ticket_links (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    -- parent_of, depends_on, refers_to, duplicate_of, master_of: "source <kind> target".
    kind TEXT NOT NULL CHECK (kind IN ('parent_of', 'depends_on', 'refers_to', 'duplicate_of', 'master_of')),
    source_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    target_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    CHECK (source_id <> target_id)
);
CREATE UNIQUE INDEX ticket_links_key ON ticket_links (source_id, kind, target_id);
CREATE INDEX ticket_links_target ON ticket_links (target_id, kind);

ALTER TABLE tickets ADD COLUMN merged_into_id BIGINT REFERENCES tickets (id);
CREATE INDEX tickets_merged_into ON tickets (merged_into_id) WHERE merged_into_id IS NOT NULL;

CREATE TABLE queue_relation_settings (
    queue_id BIGINT PRIMARY KEY NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
    -- A ticket of this queue cannot enter a closed state while a ticket it depends on is open.
    close_needs_dependencies BOOLEAN NOT NULL DEFAULT 0
);

-- Progress and per-ticket results of a bulk change (one background job each).
CREATE TABLE bulk_runs (
    job_id BIGINT PRIMARY KEY NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    created_by BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    total BIGINT NOT NULL,
    processed BIGINT NOT NULL DEFAULT 0,
    -- JSON array of {ticket, status, ticket_id?, code?, detail?}, in request order.
    results TEXT NOT NULL DEFAULT '[]',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX bulk_runs_created_by ON bulk_runs (created_by, job_id);

-- Per agent and ticket: how many articles the ticket had when they last read it. A ticket is
-- unread while its article_count is higher (or there is no row).
CREATE TABLE ticket_reads (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    read_count BIGINT NOT NULL,
    read_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, ticket_id)
);
CREATE INDEX ticket_reads_ticket_id ON ticket_reads (ticket_id);
