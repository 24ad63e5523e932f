DELETE FROM settings WHERE key = 'search_phrase_pairs';
DROP INDEX search_tickets_pairs;
DROP FUNCTION vakt_add_pairs(tsvector, tsvector);
DROP FUNCTION vakt_phrase_pairs(regconfig, text);
DROP FUNCTION vakt_word_pairs(regconfig, text);
ALTER TABLE search_tickets DROP COLUMN phrase_pairs;
