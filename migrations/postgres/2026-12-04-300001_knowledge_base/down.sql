DROP TABLE search_kb;
DROP TABLE kb_votes;
DROP TABLE kb_attachments;
DROP TABLE kb_article_history;
DROP TABLE kb_article_versions;
DROP TABLE kb_articles;
DROP TABLE kb_categories;
