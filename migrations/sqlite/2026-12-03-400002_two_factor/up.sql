-- Two-factor authentication for local accounts: a TOTP secret per user (confirmed once the
-- user typed a code from their app) and single-use recovery codes, stored hashed.
CREATE TABLE user_totp (
    user_id BIGINT PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    secret TEXT NOT NULL,
    confirmed_at TIMESTAMP,
    last_step BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE recovery_codes (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX recovery_codes_user_id ON recovery_codes (user_id);
