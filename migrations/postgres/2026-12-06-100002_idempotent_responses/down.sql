ALTER TABLE idempotency_keys DROP COLUMN response_location;
ALTER TABLE idempotency_keys DROP COLUMN response_body;
ALTER TABLE idempotency_keys DROP COLUMN response_status;
ALTER TABLE idempotency_keys DROP COLUMN scope;
