-- Custom fields (SPEC §2; ADR 0007): administrators define fields of tickets, articles,
-- customers and companies; values are rows of one typed table, so adding or retiring a field
-- is an INSERT or UPDATE, never a schema change.
CREATE TABLE custom_fields (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    object_type TEXT NOT NULL CHECK (object_type IN ('ticket', 'article', 'customer', 'company')),
    key TEXT NOT NULL,
    field_type TEXT NOT NULL,
    labels TEXT NOT NULL,
    required BOOLEAN NOT NULL DEFAULT 0,
    pattern TEXT,
    min_value TEXT,
    max_value TEXT,
    max_length INTEGER,
    default_value TEXT,
    queue_ids TEXT,
    type_ids TEXT,
    customer_visibility TEXT NOT NULL DEFAULT 'hidden' CHECK (customer_visibility IN ('hidden', 'read_only', 'editable')),
    position INTEGER NOT NULL DEFAULT 0,
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX custom_fields_object_key ON custom_fields (object_type, key);

-- The options of dropdown and multiselect fields, in order; retired ones stay for the values
-- that use them.
CREATE TABLE custom_field_options (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    field_id BIGINT NOT NULL REFERENCES custom_fields (id) ON DELETE CASCADE,
    value TEXT NOT NULL,
    labels TEXT NOT NULL,
    position INTEGER NOT NULL,
    retired BOOLEAN NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX custom_field_options_value ON custom_field_options (field_id, value);

-- One row per value (a multiselect has one per chosen option), typed by column: text-like
-- values and option keys in value_text, integers and checkboxes in value_int, decimals in
-- value_num (their exact text in value_text), dates and times in value_time.
CREATE TABLE custom_field_values (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    field_id BIGINT NOT NULL REFERENCES custom_fields (id) ON DELETE CASCADE,
    object_id BIGINT NOT NULL,
    value_text TEXT,
    value_int BIGINT,
    value_num REAL,
    value_time TIMESTAMP
);
CREATE INDEX custom_field_values_object ON custom_field_values (object_id, field_id);
CREATE INDEX custom_field_values_text ON custom_field_values (field_id, value_text, object_id) WHERE value_text IS NOT NULL;
CREATE INDEX custom_field_values_int ON custom_field_values (field_id, value_int, object_id) WHERE value_int IS NOT NULL;
CREATE INDEX custom_field_values_num ON custom_field_values (field_id, value_num, object_id) WHERE value_num IS NOT NULL;
CREATE INDEX custom_field_values_time ON custom_field_values (field_id, value_time, object_id) WHERE value_time IS NOT NULL;

-- Whether inbound mail to a queue may set fields with `X-Vakt-Field-<key>` headers.
ALTER TABLE queue_mail_settings ADD COLUMN trust_field_headers BOOLEAN NOT NULL DEFAULT 0;
