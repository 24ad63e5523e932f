-- Full-text search with FTS5, kept current in the transaction of every change. One row per
-- article (rowid = article id) and one per ticket (rowid = ticket id, for title and number);
-- a ticket matches when every positive term occurs in its title/number or in one of the
-- articles its reader may see (customers: customer-visible articles only).
CREATE VIRTUAL TABLE search_articles USING fts5(
    subject, sender, body,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);
CREATE VIRTUAL TABLE search_titles USING fts5(
    title, number,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);

INSERT INTO settings (key, value, updated_at) VALUES ('search_language', 'simple', strftime('%Y-%m-%d %H:%M:%f', 'now'))
ON CONFLICT (key) DO NOTHING;
