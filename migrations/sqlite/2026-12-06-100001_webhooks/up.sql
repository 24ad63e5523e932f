-- Webhooks (issue 17, ADR 0011): subscriptions of third-party systems to ticket and knowledge
-- base events, and the log of their deliveries. Events come from the history log through the
-- cursor `webhooks` in `event_cursors`; each delivery is sent by a job.
CREATE TABLE webhooks (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    name TEXT NOT NULL,
    url TEXT NOT NULL,
    -- JSON list of event types (`ticket.created`, …).
    events TEXT NOT NULL,
    -- JSON list of queue ids whose tickets' events are sent; NULL: every queue.
    queue_ids TEXT,
    -- The HMAC key; write-only through the API.
    secret TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    disabled_at TIMESTAMP,
    disabled_reason TEXT,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- One event sent (or to be sent) to one webhook. Deliveries of one lane (a ticket, a KB
-- article) are sent one after another: `waiting` ones start when the one before finished.
CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    webhook_id BIGINT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    lane TEXT NOT NULL,
    ticket_id BIGINT,
    -- The JSON body, fixed when the event was read (retries and redeliveries send it again).
    payload TEXT NOT NULL,
    -- waiting, pending, succeeded, failed
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    response_status INTEGER,
    response_excerpt TEXT,
    error TEXT,
    duration_ms BIGINT,
    last_attempt_at TIMESTAMP,
    redelivery_of BIGINT,
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (webhook_id, id);
CREATE INDEX webhook_deliveries_lane ON webhook_deliveries (webhook_id, lane, status, id);

-- History written before webhooks existed is not announced.
INSERT INTO event_cursors (name, last_id, updated_at)
    SELECT 'webhooks', COALESCE(MAX(id), 0), '2026-12-06 00:00:00' FROM history;
