-- Idempotency-Key on every creating POST (issue 17 point 2): besides the ticket a key created
-- (ticket creation keeps its own, transactional path), a key remembers the endpoint it was
-- used on and the first response, which a retry gets again byte for byte.
ALTER TABLE idempotency_keys ADD COLUMN scope TEXT;
ALTER TABLE idempotency_keys ADD COLUMN response_status INTEGER;
ALTER TABLE idempotency_keys ADD COLUMN response_body TEXT;
ALTER TABLE idempotency_keys ADD COLUMN response_location TEXT;
