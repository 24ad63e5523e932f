DROP TABLE kb_anonymous_votes;
