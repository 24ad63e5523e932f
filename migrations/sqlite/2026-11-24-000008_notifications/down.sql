DROP TABLE presence_events;
DROP TABLE ticket_presence;
ALTER TABLE queue_mail_settings DROP COLUMN notify_customer_on_close;
DROP TABLE event_cursors;
DROP TABLE notifications;
DROP TABLE notification_templates;
DROP TABLE notification_preferences;
DROP TABLE notification_rules;
