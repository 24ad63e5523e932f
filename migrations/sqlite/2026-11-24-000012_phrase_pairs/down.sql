-- PostgreSQL keeps word pairs for phrase search (see its twin). SQLite's FTS5 index stores
-- word positions itself: nothing to add.
SELECT 1;
