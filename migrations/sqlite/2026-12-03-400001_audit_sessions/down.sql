-- SQLite cannot drop a column that references another table: rebuild refresh_tokens.
CREATE TABLE refresh_tokens_previous (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
INSERT INTO refresh_tokens_previous (id, user_id, token_hash, created_at, expires_at, revoked_at)
    SELECT id, user_id, token_hash, created_at, expires_at, revoked_at FROM refresh_tokens;
DROP TABLE refresh_tokens;
ALTER TABLE refresh_tokens_previous RENAME TO refresh_tokens;
CREATE UNIQUE INDEX refresh_tokens_hash_key ON refresh_tokens (token_hash);
CREATE INDEX refresh_tokens_user_id ON refresh_tokens (user_id);
DROP TABLE sessions;
DROP TRIGGER audit_log_no_update;
DROP TRIGGER audit_log_no_delete;
DROP TABLE audit_log;
