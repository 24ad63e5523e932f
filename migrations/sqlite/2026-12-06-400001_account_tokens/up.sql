-- Single-use tokens mailed to a user for self-service (a password reset; later also email
-- verification). Only the SHA-256 of the token is stored; a newer token of the same purpose
-- supersedes older ones (they get used_at), and using one sets used_at so it cannot be used again.
CREATE TABLE account_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX account_tokens_user_purpose ON account_tokens (user_id, purpose);
CREATE INDEX account_tokens_expires_at ON account_tokens (expires_at);
