-- Queue counts were one row per (queue, state type): every ticket created in a busy queue
-- updated the same row. Each count is now spread over 16 slot rows (summed when read).
CREATE TABLE queue_counts_slotted (
    queue_id BIGINT NOT NULL REFERENCES queues (id),
    state_type TEXT NOT NULL,
    slot SMALLINT NOT NULL DEFAULT 0,
    ticket_count BIGINT NOT NULL,
    PRIMARY KEY (queue_id, state_type, slot)
);
INSERT INTO queue_counts_slotted (queue_id, state_type, slot, ticket_count)
    SELECT queue_id, state_type, 0, ticket_count FROM queue_counts;
DROP TABLE queue_counts;
ALTER TABLE queue_counts_slotted RENAME TO queue_counts;
