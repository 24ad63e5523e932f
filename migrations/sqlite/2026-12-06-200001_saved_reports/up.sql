-- Saved reports: a report (`volume`, `backlog`, …) and the query string of its endpoint under a
-- name, private to its owner or shared by an administrator with the agents of a group.
CREATE TABLE saved_reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    owner_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    group_id BIGINT REFERENCES agent_groups (id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    report TEXT NOT NULL,
    query TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX saved_reports_owner_id ON saved_reports (owner_id, id);
CREATE INDEX saved_reports_group_id ON saved_reports (group_id, id);
