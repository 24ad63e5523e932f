DROP TRIGGER queues_reference_version ON queues;
DROP TRIGGER ticket_types_reference_version ON ticket_types;
DROP TRIGGER priorities_reference_version ON priorities;
DROP TRIGGER states_reference_version ON states;
DROP FUNCTION vakt_reference_changed();
DROP TABLE reference_version;
