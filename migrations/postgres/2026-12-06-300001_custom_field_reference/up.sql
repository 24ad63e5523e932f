-- Custom field definitions and their options join the reference data (ADR 0005): a change to
-- either, by whatever way, sets a new reference token in its own transaction, so every process
-- can serve the definitions from memory and still never show a stale one after a commit.
CREATE TRIGGER custom_fields_reference_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON custom_fields
    FOR EACH STATEMENT EXECUTE FUNCTION vakt_reference_changed();
CREATE TRIGGER custom_field_options_reference_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON custom_field_options
    FOR EACH STATEMENT EXECUTE FUNCTION vakt_reference_changed();
