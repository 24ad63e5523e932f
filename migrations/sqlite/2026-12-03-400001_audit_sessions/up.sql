-- The administrators' audit log: who changed which user, role, group grant, queue or setting,
-- when, with the values before and after. Append-only: a trigger refuses UPDATE and DELETE.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    at TIMESTAMP NOT NULL,
    actor_id BIGINT,
    actor_label TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id BIGINT,
    entity_label TEXT NOT NULL,
    subject_user_id BIGINT,
    before_value TEXT,
    after_value TEXT
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id);
CREATE INDEX audit_log_actor ON audit_log (actor_id, id);
CREATE INDEX audit_log_subject ON audit_log (subject_user_id, id);
CREATE INDEX audit_log_at ON audit_log (at, id);

-- A sign-in: one chain of rotated refresh tokens, shown to its user and endable at once.
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    method TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    client_address TEXT,
    user_agent TEXT,
    ended_at TIMESTAMP
);
CREATE INDEX sessions_user_id ON sessions (user_id, id);

ALTER TABLE refresh_tokens ADD COLUMN session_id BIGINT REFERENCES sessions (id) ON DELETE CASCADE;
CREATE INDEX refresh_tokens_session_id ON refresh_tokens (session_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
