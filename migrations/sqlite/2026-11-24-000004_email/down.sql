DROP TABLE mail_auto_answers;
DROP TABLE article_deliveries;
DROP TABLE queue_mail_settings;
DROP TABLE postmaster_filters;
DROP TABLE mail_raw;
DROP TABLE mail_messages;
DROP TABLE mail_accounts;
