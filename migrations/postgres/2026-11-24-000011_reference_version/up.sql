-- A token that changes with every change to the reference data (states, priorities, ticket
-- types, queues), so that each process can keep that data in memory and read one small row per
-- request instead of four tables. Triggers change it in the transaction of the change, whoever
-- makes it (the API, an import, SQL by hand). The token is random, not a counter, so that a
-- process serving several databases (or a copy of one) can key its cache by it.
CREATE TABLE reference_version (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    token BIGINT NOT NULL
);
INSERT INTO reference_version (id, token) VALUES (1, (random() * 9.0e18)::bigint);

CREATE FUNCTION vakt_reference_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE reference_version SET token = (random() * 9.0e18)::bigint WHERE id = 1;
    RETURN NULL;
END
$$;

CREATE TRIGGER states_reference_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON states
    FOR EACH STATEMENT EXECUTE FUNCTION vakt_reference_changed();
CREATE TRIGGER priorities_reference_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON priorities
    FOR EACH STATEMENT EXECUTE FUNCTION vakt_reference_changed();
CREATE TRIGGER ticket_types_reference_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ticket_types
    FOR EACH STATEMENT EXECUTE FUNCTION vakt_reference_changed();
CREATE TRIGGER queues_reference_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON queues
    FOR EACH STATEMENT EXECUTE FUNCTION vakt_reference_changed();
