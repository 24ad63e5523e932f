-- One vote per article from each anonymous reader: the reader is a keyed hash of their address
-- (never the address itself); a second vote from there changes the first instead of adding one.
CREATE TABLE kb_anonymous_votes (
    article_id BIGINT NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
    voter TEXT NOT NULL,
    helpful BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (article_id, voter)
);
