DROP AGGREGATE tsvector_agg (tsvector);
DROP TABLE search_tickets;
DELETE FROM settings WHERE key = 'search_language';
