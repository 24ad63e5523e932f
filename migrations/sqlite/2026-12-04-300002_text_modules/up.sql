-- Text modules (canned answers) and reply templates (salutations and signatures), all written
-- in the one template language of mail and notifications: `{{variable}}` (ADR 0009).
CREATE TABLE text_modules (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    keywords TEXT NOT NULL,
    language TEXT,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX text_modules_name ON text_modules (name);

-- The queues a module is offered in (none: all queues).
CREATE TABLE text_module_queues (
    text_module_id BIGINT NOT NULL REFERENCES text_modules (id) ON DELETE CASCADE,
    queue_id BIGINT NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
    PRIMARY KEY (text_module_id, queue_id)
);

-- Salutations and signatures (`kind`), chosen per queue.
CREATE TABLE reply_templates (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX reply_templates_kind_name ON reply_templates (kind, name);

ALTER TABLE queue_mail_settings ADD COLUMN salutation_id BIGINT REFERENCES reply_templates (id) ON DELETE SET NULL;
ALTER TABLE queue_mail_settings ADD COLUMN signature_id BIGINT REFERENCES reply_templates (id) ON DELETE SET NULL;

-- Today's per-queue texts become templates the queue points at.
INSERT INTO reply_templates (kind, name, body, created_at, updated_at)
SELECT 'salutation', q.name || ' (#' || q.id || ')', s.salutation, s.updated_at, s.updated_at
FROM queue_mail_settings s JOIN queues q ON q.id = s.queue_id WHERE s.salutation IS NOT NULL;
INSERT INTO reply_templates (kind, name, body, created_at, updated_at)
SELECT 'signature', q.name || ' (#' || q.id || ')', s.signature, s.updated_at, s.updated_at
FROM queue_mail_settings s JOIN queues q ON q.id = s.queue_id WHERE s.signature IS NOT NULL;
UPDATE queue_mail_settings SET salutation_id = (SELECT t.id FROM reply_templates t JOIN queues q ON t.name = q.name || ' (#' || q.id || ')'
    WHERE t.kind = 'salutation' AND q.id = queue_mail_settings.queue_id) WHERE salutation IS NOT NULL;
UPDATE queue_mail_settings SET signature_id = (SELECT t.id FROM reply_templates t JOIN queues q ON t.name = q.name || ' (#' || q.id || ')'
    WHERE t.kind = 'signature' AND q.id = queue_mail_settings.queue_id) WHERE signature IS NOT NULL;
