ALTER TABLE kb_articles DROP COLUMN deflection_count;
