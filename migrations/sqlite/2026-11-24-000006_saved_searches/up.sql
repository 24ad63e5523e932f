-- Saved searches: a ticket-list query (the query string of GET /api/v1/tickets) under a name,
-- private to its owner or shared with the agents of a group.
CREATE TABLE saved_searches (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    owner_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    group_id BIGINT REFERENCES agent_groups (id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    query TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX saved_searches_owner_id ON saved_searches (owner_id, id);
CREATE INDEX saved_searches_group_id ON saved_searches (group_id, id);
