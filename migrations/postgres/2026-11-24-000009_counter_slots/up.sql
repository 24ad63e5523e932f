-- Queue counts were one row per (queue, state type): every ticket created in a busy queue
-- updated the same row, so concurrent transactions queued behind each other's commits. Each
-- count is now spread over 16 slot rows (summed when read); a change touches one random slot.
ALTER TABLE queue_counts ADD COLUMN slot SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE queue_counts DROP CONSTRAINT queue_counts_pkey;
ALTER TABLE queue_counts ADD PRIMARY KEY (queue_id, state_type, slot);
