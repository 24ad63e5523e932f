DROP TABLE ticket_reads;
DROP TABLE bulk_runs;
DROP TABLE queue_relation_settings;
DROP INDEX tickets_merged_into;
ALTER TABLE tickets DROP COLUMN merged_into_id;
DROP TABLE ticket_links;
