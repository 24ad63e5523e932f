DROP TABLE search_titles;
DROP TABLE search_articles;
DELETE FROM settings WHERE key = 'search_language';
