CREATE TABLE queue_counts_single (
    queue_id BIGINT NOT NULL REFERENCES queues (id),
    state_type TEXT NOT NULL,
    ticket_count BIGINT NOT NULL,
    PRIMARY KEY (queue_id, state_type)
);
INSERT INTO queue_counts_single SELECT queue_id, state_type, SUM(ticket_count) FROM queue_counts GROUP BY queue_id, state_type;
DROP TABLE queue_counts;
ALTER TABLE queue_counts_single RENAME TO queue_counts;
