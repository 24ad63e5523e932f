-- PostgreSQL only: its agents' search documents are stored inline with lz4. SQLite's FTS5
-- index has no such choice; this folder keeps the two migration lists alike.
SELECT 1;
