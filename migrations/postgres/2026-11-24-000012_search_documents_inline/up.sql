-- The agents' search document is stored inside the row, compressed with lz4, instead of in the
-- TOAST table with pglz: a search that checks document after document (a phrase of common
-- words among the newest tickets) then reads one heap page per document instead of a TOAST
-- index probe and chunks, and decompresses about four times faster (docs/performance.md).
-- A document too big for a page still moves out of line. Customer documents stay as they
-- are: customer searches are narrowed to the customer's own tickets first.
-- Only documents written from now on take the new form; `vakt reindex` rewrites the others
-- (batch by batch, while search keeps working).
ALTER TABLE search_tickets ALTER COLUMN agent_document SET STORAGE MAIN;
DO $$
BEGIN
    ALTER TABLE search_tickets ALTER COLUMN agent_document SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'PostgreSQL was built without lz4: search documents keep the default compression';
END $$;
