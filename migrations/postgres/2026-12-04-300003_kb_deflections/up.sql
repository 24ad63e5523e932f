-- How often a customer read an article while writing a new ticket and then left without
-- submitting it: the ticket the article saved (deflection).
ALTER TABLE kb_articles ADD COLUMN deflection_count BIGINT NOT NULL DEFAULT 0;
