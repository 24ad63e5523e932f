ALTER TABLE queue_mail_settings DROP COLUMN signature_id;
ALTER TABLE queue_mail_settings DROP COLUMN salutation_id;
DROP TABLE reply_templates;
DROP TABLE text_module_queues;
DROP TABLE text_modules;
