-- Full-text search, kept current in the transaction of every change (no batch indexer).
-- One document per ticket and audience: agents search title, number and every article;
-- customers only title, number and customer-visible articles, so an internal note can never
-- make a ticket show up in a customer's search. Weights: A title/subjects, B senders, D text.
-- The text-search configuration is a setting (`search_language`, default 'simple': no
-- stemming, right for mixed Norwegian/English/Dutch text); `vakt reindex` applies a change.
CREATE TABLE search_tickets (
    ticket_id BIGINT PRIMARY KEY NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    agent_document tsvector NOT NULL,
    customer_document tsvector NOT NULL
);
CREATE INDEX search_tickets_agent ON search_tickets USING GIN (agent_document);
CREATE INDEX search_tickets_customer ON search_tickets USING GIN (customer_document);

-- Concatenates tsvectors (positions shifted, so phrases never span two articles).
CREATE AGGREGATE tsvector_agg (tsvector) (SFUNC = tsvector_concat, STYPE = tsvector, INITCOND = '');

INSERT INTO settings (key, value, updated_at) VALUES ('search_language', 'simple', now() AT TIME ZONE 'utc')
ON CONFLICT (key) DO NOTHING;
