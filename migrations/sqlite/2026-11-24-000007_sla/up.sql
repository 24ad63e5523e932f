-- SLAs and the time side of tickets (issue 7): business calendars, SLAs on a calendar,
-- hierarchical services with an optional SLA, a default SLA per queue, each ticket's SLA facts
-- and stored deadlines, the state types it went through (so pauses are exact even when states
-- are renamed), markers that make every warning and breach recorded once, and RT-style
-- reminders. Calendar and SLA settings are JSON text (the domain's CalendarSpec and SlaSpec).

CREATE TABLE calendars (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    name TEXT NOT NULL,
    spec TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX calendars_name_key ON calendars (name);

CREATE TABLE slas (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    name TEXT NOT NULL,
    calendar_id BIGINT NOT NULL REFERENCES calendars (id),
    spec TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX slas_name_key ON slas (name);
CREATE INDEX slas_calendar_id ON slas (calendar_id);

-- `name` is the last part; `full_name` the path (`IT::Printing`), unique, kept current when a
-- parent is renamed or a service moves.
CREATE TABLE services (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    name TEXT NOT NULL,
    full_name TEXT NOT NULL,
    parent_id BIGINT REFERENCES services (id),
    sla_id BIGINT REFERENCES slas (id),
    description TEXT NOT NULL DEFAULT '',
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX services_full_name_key ON services (full_name);
CREATE INDEX services_parent_id ON services (parent_id);
CREATE INDEX services_sla_id ON services (sla_id);

-- The SLA of a queue's tickets that have no service with an SLA.
CREATE TABLE queue_slas (
    queue_id BIGINT PRIMARY KEY NOT NULL REFERENCES queues (id),
    sla_id BIGINT NOT NULL REFERENCES slas (id),
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX queue_slas_sla_id ON queue_slas (sla_id);

-- On the hot row only what lists filter and sort by: the service, the SLA in force (derived:
-- the service's, else the queue's), and the earliest deadline of a running clock.
ALTER TABLE tickets ADD COLUMN service_id BIGINT REFERENCES services (id);
ALTER TABLE tickets ADD COLUMN sla_id BIGINT REFERENCES slas (id);
ALTER TABLE tickets ADD COLUMN escalation_at TIMESTAMP;
CREATE INDEX tickets_escalation ON tickets (escalation_at, id) WHERE escalation_at IS NOT NULL;
CREATE INDEX tickets_queue_escalation ON tickets (queue_id, escalation_at, id) WHERE escalation_at IS NOT NULL;
CREATE INDEX tickets_sla ON tickets (sla_id, id) WHERE sla_id IS NOT NULL;
CREATE INDEX tickets_service ON tickets (service_id, id) WHERE service_id IS NOT NULL;
-- Due pending tickets per state type (pending auto changes, pending reminders).
CREATE INDEX tickets_state_pending ON tickets (state_type, pending_until) WHERE pending_until IS NOT NULL;

-- One row per ticket: the facts the SLA clocks read (maintained by every article insert), the
-- stored deadlines, and when the escalation check next has something to record (`check_at`:
-- the earliest warning or deadline not yet recorded) or a pending reminder is due.
CREATE TABLE ticket_sla (
    ticket_id BIGINT PRIMARY KEY NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    first_agent_response_at TIMESTAMP,
    last_customer_contact_at TIMESTAMP,
    last_agent_response_at TIMESTAMP,
    first_response_due_at TIMESTAMP,
    update_due_at TIMESTAMP,
    solution_due_at TIMESTAMP,
    escalation_warning_at TIMESTAMP,
    check_at TIMESTAMP,
    reminder_due_at TIMESTAMP,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX ticket_sla_check ON ticket_sla (check_at) WHERE check_at IS NOT NULL;
CREATE INDEX ticket_sla_warning ON ticket_sla (escalation_warning_at) WHERE escalation_warning_at IS NOT NULL;
CREATE INDEX ticket_sla_reminder ON ticket_sla (reminder_due_at) WHERE reminder_due_at IS NOT NULL;

-- The state types a ticket went through and since when (history keeps state names, which
-- administrators may rename): pending and closed periods pause the clocks exactly.
CREATE TABLE ticket_state_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    state_type TEXT NOT NULL,
    since TIMESTAMP NOT NULL
);
CREATE INDEX ticket_state_log_ticket ON ticket_state_log (ticket_id, id);

-- A warning or breach recorded for one run of one clock (a clock runs again when the update
-- clock restarts on a new customer article): the key makes each recorded exactly once.
CREATE TABLE sla_marks (
    ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    target TEXT NOT NULL CHECK (target IN ('first_response', 'update', 'solution')),
    kind TEXT NOT NULL CHECK (kind IN ('warning', 'breach')),
    clock_started_at TIMESTAMP NOT NULL,
    due_at TIMESTAMP NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (ticket_id, target, kind, clock_started_at)
);

-- RT-style reminders: a small to-do on a ticket with an owner and a due time. `notified_at`
-- marks the due time as recorded (cleared when the due time changes).
CREATE TABLE reminders (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    owner_id BIGINT NOT NULL REFERENCES users (id),
    subject TEXT NOT NULL,
    due_at TIMESTAMP NOT NULL,
    done BOOLEAN NOT NULL DEFAULT 0,
    done_at TIMESTAMP,
    notified_at TIMESTAMP,
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX reminders_ticket ON reminders (ticket_id, id);
CREATE INDEX reminders_owner_open ON reminders (owner_id, due_at, id) WHERE NOT done;
CREATE INDEX reminders_due ON reminders (due_at) WHERE NOT done AND notified_at IS NULL;
