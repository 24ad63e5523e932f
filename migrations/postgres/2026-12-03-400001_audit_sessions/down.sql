ALTER TABLE refresh_tokens DROP COLUMN session_id;
DROP TABLE sessions;
DROP TABLE audit_log;
DROP FUNCTION audit_log_append_only();
