ALTER TABLE queue_mail_settings DROP COLUMN trust_field_headers;
DROP TABLE custom_field_values;
DROP TABLE custom_field_options;
DROP TABLE custom_fields;
