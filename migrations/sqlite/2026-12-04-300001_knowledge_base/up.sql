-- Knowledge base (ADR 0009): a tree of categories, each owned by an agent group whose rights
-- decide who reads internal articles (`ro`) and who edits and publishes (`rw`); articles with
-- translations linked as one entry, published versions, history, attachments and votes.
CREATE TABLE kb_categories (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    parent_id BIGINT REFERENCES kb_categories (id),
    group_id BIGINT NOT NULL REFERENCES agent_groups (id),
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    position BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX kb_categories_parent_id ON kb_categories (parent_id);

-- `entry_id` links translations: the id of the entry's first article, one article per language.
-- `version` is the number of the latest published version (0: never published).
CREATE TABLE kb_articles (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    entry_id BIGINT NOT NULL,
    category_id BIGINT NOT NULL REFERENCES kb_categories (id),
    language TEXT NOT NULL,
    title TEXT NOT NULL,
    slug TEXT NOT NULL,
    body_html TEXT NOT NULL,
    body_text TEXT NOT NULL,
    keywords TEXT NOT NULL,
    visibility TEXT NOT NULL,
    state TEXT NOT NULL,
    version BIGINT NOT NULL,
    view_count BIGINT NOT NULL,
    helpful_count BIGINT NOT NULL,
    not_helpful_count BIGINT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_by BIGINT NOT NULL REFERENCES users (id),
    updated_at TIMESTAMP NOT NULL,
    published_at TIMESTAMP
);
CREATE UNIQUE INDEX kb_articles_entry_language ON kb_articles (entry_id, language);
CREATE INDEX kb_articles_category_id ON kb_articles (category_id, id);
CREATE INDEX kb_articles_state_visibility ON kb_articles (state, visibility, id);

-- Every publication (and every change of a published article) is a version.
CREATE TABLE kb_article_versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    article_id BIGINT NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    title TEXT NOT NULL,
    body_html TEXT NOT NULL,
    body_text TEXT NOT NULL,
    keywords TEXT NOT NULL,
    visibility TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX kb_article_versions_article_version ON kb_article_versions (article_id, version);

-- Who changed what (append-only; `detail` is JSON).
CREATE TABLE kb_article_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    article_id BIGINT NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
    actor_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX kb_article_history_article_id ON kb_article_history (article_id, id);

CREATE TABLE kb_attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    article_id BIGINT NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
    blob_id BIGINT NOT NULL REFERENCES blobs (id),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX kb_attachments_article_id ON kb_attachments (article_id, id);

-- One vote per signed-in user and article (anonymous votes only count).
CREATE TABLE kb_votes (
    article_id BIGINT NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    helpful BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (article_id, user_id)
);

-- Full-text search with FTS5 (rowid = article id), written in the transaction of the change.
CREATE VIRTUAL TABLE search_kb USING fts5(
    subject, sender, keywords, body,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
);
