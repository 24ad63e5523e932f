-- Custom field definitions and their options join the reference data (ADR 0005): a change to
-- either, by whatever way, sets a new reference token in its own transaction, so every process
-- can serve the definitions from memory and still never show a stale one after a commit.

CREATE TRIGGER custom_fields_reference_version_insert AFTER INSERT ON custom_fields
BEGIN
    UPDATE reference_version SET token = random() WHERE id = 1;
END;

CREATE TRIGGER custom_fields_reference_version_update AFTER UPDATE ON custom_fields
BEGIN
    UPDATE reference_version SET token = random() WHERE id = 1;
END;

CREATE TRIGGER custom_fields_reference_version_delete AFTER DELETE ON custom_fields
BEGIN
    UPDATE reference_version SET token = random() WHERE id = 1;
END;

CREATE TRIGGER custom_field_options_reference_version_insert AFTER INSERT ON custom_field_options
BEGIN
    UPDATE reference_version SET token = random() WHERE id = 1;
END;

CREATE TRIGGER custom_field_options_reference_version_update AFTER UPDATE ON custom_field_options
BEGIN
    UPDATE reference_version SET token = random() WHERE id = 1;
END;

CREATE TRIGGER custom_field_options_reference_version_delete AFTER DELETE ON custom_field_options
BEGIN
    UPDATE reference_version SET token = random() WHERE id = 1;
END;
