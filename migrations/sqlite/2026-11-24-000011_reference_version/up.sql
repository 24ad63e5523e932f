-- A token that changes with every change to the reference data (states, priorities, ticket
-- types, queues), so that each process can keep that data in memory and read one small row per
-- request instead of four tables. Triggers change it in the transaction of the change, whoever
-- makes it (the API, an import, SQL by hand). The token is random, not a counter, so that a
-- process serving several databases (or a copy of one) can key its cache by it.
CREATE TABLE reference_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    token BIGINT NOT NULL
);
INSERT INTO reference_version (id, token) VALUES (1, random());

CREATE TRIGGER states_reference_version_insert AFTER INSERT ON states
BEGIN
    UPDATE reference_version SET token = random() WHERE id = 1;
END;

CREATE TRIGGER states_reference_version_update AFTER UPDATE ON states
BEGIN
    UPDATE reference_version SET token = random() WHERE id = 1;
END;

CREATE TRIGGER states_reference_version_delete AFTER DELETE ON states
BEGIN
    UPDATE reference_version SET token = random() WHERE id = 1;
END;

CREATE TRIGGER priorities_reference_version_insert AFTER INSERT ON priorities
BEGIN
    UPDATE reference_version SET token = random() WHERE id = 1;
END;

CREATE TRIGGER priorities_reference_version_update AFTER UPDATE ON priorities
BEGIN
    UPDATE reference_version SET token = random() WHERE id = 1;
END;

CREATE TRIGGER priorities_reference_version_delete AFTER DELETE ON priorities
BEGIN
    UPDATE reference_version SET token = random() WHERE id = 1;
END;

CREATE TRIGGER ticket_types_reference_version_insert AFTER INSERT ON ticket_types
BEGIN
    UPDATE reference_version SET token = random() WHERE id = 1;
END;

CREATE TRIGGER ticket_types_reference_version_update AFTER UPDATE ON ticket_types
BEGIN
    UPDATE reference_version SET token = random() WHERE id = 1;
END;

CREATE TRIGGER ticket_types_reference_version_delete AFTER DELETE ON ticket_types
BEGIN
    UPDATE reference_version SET token = random() WHERE id = 1;
END;

CREATE TRIGGER queues_reference_version_insert AFTER INSERT ON queues
BEGIN
    UPDATE reference_version SET token = random() WHERE id = 1;
END;

CREATE TRIGGER queues_reference_version_update AFTER UPDATE ON queues
BEGIN
    UPDATE reference_version SET token = random() WHERE id = 1;
END;

CREATE TRIGGER queues_reference_version_delete AFTER DELETE ON queues
BEGIN
    UPDATE reference_version SET token = random() WHERE id = 1;
END;
