CREATE TABLE queue_counts_single AS
    SELECT queue_id, state_type, SUM(ticket_count)::BIGINT AS ticket_count FROM queue_counts GROUP BY queue_id, state_type;
DROP TABLE queue_counts;
ALTER TABLE queue_counts_single RENAME TO queue_counts;
ALTER TABLE queue_counts ALTER COLUMN ticket_count SET NOT NULL;
ALTER TABLE queue_counts ADD PRIMARY KEY (queue_id, state_type);
ALTER TABLE queue_counts ADD FOREIGN KEY (queue_id) REFERENCES queues (id);
