-- Notifications and live updates (issue 7, items 5 and 6): which events notify whom
-- (rules), each agent's choices (preferences), the texts (templates per event and language),
-- in-app notifications, the dispatcher's position in the history log, customer notification
-- on close per queue, and who is looking at or answering a ticket right now (presence).

-- One rule per agent event. `recipients` is a comma list of roles: owner, responsible,
-- watchers, queue_members, queue_members_if_unowned, mentioned, reminder_owner. `email` and
-- `in_app` are the channels of agents who have not chosen for themselves.
CREATE TABLE notification_rules (
    event TEXT PRIMARY KEY NOT NULL,
    recipients TEXT NOT NULL,
    email BOOLEAN NOT NULL,
    in_app BOOLEAN NOT NULL,
    enabled BOOLEAN NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- An agent's own channels for one event (no row: the rule's).
CREATE TABLE notification_preferences (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    event TEXT NOT NULL,
    email BOOLEAN NOT NULL,
    in_app BOOLEAN NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, event)
);

-- Subject and body per event and language, with {{variables}}.
CREATE TABLE notification_templates (
    event TEXT NOT NULL,
    language TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (event, language)
);

-- In-app notifications. One per recipient, history row and event: the unique key is the
-- last line of defence against a history row being dispatched twice.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    event TEXT NOT NULL,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    history_id BIGINT NOT NULL,
    actor_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    read_at TIMESTAMP
);
CREATE UNIQUE INDEX notifications_once ON notifications (user_id, history_id, event);
CREATE INDEX notifications_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id, id) WHERE read_at IS NULL;
CREATE INDEX notifications_ticket ON notifications (ticket_id);

-- Positions of consumers of the history log (the notification dispatcher). `last_id`: every
-- history row up to it is handled. `gap_since`/`gap_xmax`: the id after `last_id` is missing
-- (a transaction that has not committed, or rolled back) since then; on PostgreSQL the
-- snapshot xmax recorded while waiting tells when every transaction that could own it ended.
CREATE TABLE event_cursors (
    name TEXT PRIMARY KEY NOT NULL,
    last_id BIGINT NOT NULL,
    gap_since TIMESTAMP,
    gap_xmax BIGINT,
    updated_at TIMESTAMP NOT NULL
);
-- Existing history is not announced again.
INSERT INTO event_cursors (name, last_id, updated_at)
    SELECT 'notifications', COALESCE(MAX(id), 0), '2026-11-24 00:00:00' FROM history;

-- Customers are told when their ticket is closed (per queue; replies are mailed anyway).
ALTER TABLE queue_mail_settings ADD COLUMN notify_customer_on_close BOOLEAN NOT NULL DEFAULT FALSE;

-- Who has a ticket open (and is writing an answer) until `expires_at`.
CREATE TABLE ticket_presence (
    ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    composing BOOLEAN NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (ticket_id, user_id)
);
CREATE INDEX ticket_presence_expires_at ON ticket_presence (expires_at);

-- Presence changes, read by every server process's live-update poller; short-lived.
CREATE TABLE presence_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    present BOOLEAN NOT NULL,
    composing BOOLEAN NOT NULL,
    expires_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX presence_events_created_at ON presence_events (created_at);


INSERT INTO notification_rules (event, recipients, email, in_app, enabled, updated_at) VALUES
    ('ticket_created', 'queue_members', TRUE, TRUE, TRUE, '2026-11-24 00:00:00'),
    ('customer_follow_up', 'owner,queue_members_if_unowned,watchers', TRUE, TRUE, TRUE, '2026-11-24 00:00:00'),
    ('owner_changed', 'owner', TRUE, TRUE, TRUE, '2026-11-24 00:00:00'),
    ('queue_moved', 'queue_members', TRUE, TRUE, TRUE, '2026-11-24 00:00:00'),
    ('escalation_warning', 'owner,responsible,queue_members', TRUE, TRUE, TRUE, '2026-11-24 00:00:00'),
    ('escalation_breach', 'owner,responsible,queue_members', TRUE, TRUE, TRUE, '2026-11-24 00:00:00'),
    ('reminder_due', 'reminder_owner', TRUE, TRUE, TRUE, '2026-11-24 00:00:00'),
    ('mentioned', 'mentioned', TRUE, TRUE, TRUE, '2026-11-24 00:00:00');

INSERT INTO notification_templates (event, language, subject, body, updated_at) VALUES
    ('ticket_created', 'en', 'New ticket {{ticket_number}} in {{queue}}: {{ticket_title}}', 'Hello {{recipient}},

{{actor}} created ticket {{ticket_number}} "{{ticket_title}}" in queue {{queue}} (customer: {{customer}}).

{{detail}}

{{link}}
', '2026-11-24 00:00:00'),
    ('customer_follow_up', 'en', 'Customer follow-up on {{ticket_number}}: {{ticket_title}}', 'Hello {{recipient}},

{{customer}} wrote again on ticket {{ticket_number}} "{{ticket_title}}" in queue {{queue}}.

{{detail}}

{{link}}
', '2026-11-24 00:00:00'),
    ('owner_changed', 'en', 'You now own {{ticket_number}}: {{ticket_title}}', 'Hello {{recipient}},

{{actor}} made you the owner of ticket {{ticket_number}} "{{ticket_title}}" in queue {{queue}}.

{{link}}
', '2026-11-24 00:00:00'),
    ('queue_moved', 'en', 'Ticket {{ticket_number}} moved to {{queue}}: {{ticket_title}}', 'Hello {{recipient}},

{{actor}} moved ticket {{ticket_number}} "{{ticket_title}}" into queue {{queue}}.

{{link}}
', '2026-11-24 00:00:00'),
    ('escalation_warning', 'en', 'Escalation warning for {{ticket_number}}: {{ticket_title}}', 'Hello {{recipient}},

the {{target}} time of ticket {{ticket_number}} "{{ticket_title}}" in queue {{queue}} runs out at {{deadline}}.

{{link}}
', '2026-11-24 00:00:00'),
    ('escalation_breach', 'en', 'Escalated: {{ticket_number}}: {{ticket_title}}', 'Hello {{recipient}},

the {{target}} time of ticket {{ticket_number}} "{{ticket_title}}" in queue {{queue}} ran out at {{deadline}}.

{{link}}
', '2026-11-24 00:00:00'),
    ('reminder_due', 'en', 'Reminder: {{ticket_number}}: {{ticket_title}}', 'Hello {{recipient}},

a reminder on ticket {{ticket_number}} "{{ticket_title}}" in queue {{queue}} is due now. {{detail}}

{{link}}
', '2026-11-24 00:00:00'),
    ('mentioned', 'en', '{{actor}} mentioned you on {{ticket_number}}: {{ticket_title}}', 'Hello {{recipient}},

{{actor}} mentioned you in an internal note on ticket {{ticket_number}} "{{ticket_title}}" in queue {{queue}}.

{{detail}}

{{link}}
', '2026-11-24 00:00:00'),
    ('ticket_closed', 'en', 'Your request {{ticket_number}} is closed: {{ticket_title}}', 'Dear {{customer}},

your request {{ticket_number}} "{{ticket_title}}" has been closed. If you still need help, simply answer this message.

{{link}}
', '2026-11-24 00:00:00'),
    ('ticket_created', 'nl', 'Nieuw ticket {{ticket_number}} in {{queue}}: {{ticket_title}}', 'Hallo {{recipient}},

{{actor}} heeft ticket {{ticket_number}} "{{ticket_title}}" aangemaakt in wachtrij {{queue}} (klant: {{customer}}).

{{detail}}

{{link}}
', '2026-11-24 00:00:00'),
    ('customer_follow_up', 'nl', 'Nieuw bericht van de klant op {{ticket_number}}: {{ticket_title}}', 'Hallo {{recipient}},

{{customer}} heeft opnieuw geschreven op ticket {{ticket_number}} "{{ticket_title}}" in wachtrij {{queue}}.

{{detail}}

{{link}}
', '2026-11-24 00:00:00'),
    ('owner_changed', 'nl', 'Je bent nu eigenaar van {{ticket_number}}: {{ticket_title}}', 'Hallo {{recipient}},

{{actor}} heeft je eigenaar gemaakt van ticket {{ticket_number}} "{{ticket_title}}" in wachtrij {{queue}}.

{{link}}
', '2026-11-24 00:00:00'),
    ('queue_moved', 'nl', 'Ticket {{ticket_number}} verplaatst naar {{queue}}: {{ticket_title}}', 'Hallo {{recipient}},

{{actor}} heeft ticket {{ticket_number}} "{{ticket_title}}" verplaatst naar wachtrij {{queue}}.

{{link}}
', '2026-11-24 00:00:00'),
    ('escalation_warning', 'nl', 'Escalatiewaarschuwing voor {{ticket_number}}: {{ticket_title}}', 'Hallo {{recipient}},

de {{target}} van ticket {{ticket_number}} "{{ticket_title}}" in wachtrij {{queue}} verloopt om {{deadline}}.

{{link}}
', '2026-11-24 00:00:00'),
    ('escalation_breach', 'nl', 'Geëscaleerd: {{ticket_number}}: {{ticket_title}}', 'Hallo {{recipient}},

de {{target}} van ticket {{ticket_number}} "{{ticket_title}}" in wachtrij {{queue}} is verlopen om {{deadline}}.

{{link}}
', '2026-11-24 00:00:00'),
    ('reminder_due', 'nl', 'Herinnering: {{ticket_number}}: {{ticket_title}}', 'Hallo {{recipient}},

er is nu een herinnering voor ticket {{ticket_number}} "{{ticket_title}}" in wachtrij {{queue}}. {{detail}}

{{link}}
', '2026-11-24 00:00:00'),
    ('mentioned', 'nl', '{{actor}} noemde je op {{ticket_number}}: {{ticket_title}}', 'Hallo {{recipient}},

{{actor}} heeft je genoemd in een interne notitie op ticket {{ticket_number}} "{{ticket_title}}" in wachtrij {{queue}}.

{{detail}}

{{link}}
', '2026-11-24 00:00:00'),
    ('ticket_closed', 'nl', 'Uw verzoek {{ticket_number}} is gesloten: {{ticket_title}}', 'Beste {{customer}},

uw verzoek {{ticket_number}} "{{ticket_title}}" is gesloten. Heeft u nog hulp nodig, beantwoord dan gewoon dit bericht.

{{link}}
', '2026-11-24 00:00:00'),
    ('ticket_created', 'nb', 'Ny sak {{ticket_number}} i {{queue}}: {{ticket_title}}', 'Hei {{recipient}},

{{actor}} opprettet sak {{ticket_number}} «{{ticket_title}}» i køen {{queue}} (kunde: {{customer}}).

{{detail}}

{{link}}
', '2026-11-24 00:00:00'),
    ('customer_follow_up', 'nb', 'Ny henvendelse fra kunden i {{ticket_number}}: {{ticket_title}}', 'Hei {{recipient}},

{{customer}} har skrevet igjen i sak {{ticket_number}} «{{ticket_title}}» i køen {{queue}}.

{{detail}}

{{link}}
', '2026-11-24 00:00:00'),
    ('owner_changed', 'nb', 'Du eier nå {{ticket_number}}: {{ticket_title}}', 'Hei {{recipient}},

{{actor}} har gjort deg til eier av sak {{ticket_number}} «{{ticket_title}}» i køen {{queue}}.

{{link}}
', '2026-11-24 00:00:00'),
    ('queue_moved', 'nb', 'Sak {{ticket_number}} flyttet til {{queue}}: {{ticket_title}}', 'Hei {{recipient}},

{{actor}} flyttet sak {{ticket_number}} «{{ticket_title}}» til køen {{queue}}.

{{link}}
', '2026-11-24 00:00:00'),
    ('escalation_warning', 'nb', 'Eskaleringsvarsel for {{ticket_number}}: {{ticket_title}}', 'Hei {{recipient}},

fristen for {{target}} i sak {{ticket_number}} «{{ticket_title}}» i køen {{queue}} går ut {{deadline}}.

{{link}}
', '2026-11-24 00:00:00'),
    ('escalation_breach', 'nb', 'Eskalert: {{ticket_number}}: {{ticket_title}}', 'Hei {{recipient}},

fristen for {{target}} i sak {{ticket_number}} «{{ticket_title}}» i køen {{queue}} gikk ut {{deadline}}.

{{link}}
', '2026-11-24 00:00:00'),
    ('reminder_due', 'nb', 'Påminnelse: {{ticket_number}}: {{ticket_title}}', 'Hei {{recipient}},

en påminnelse for sak {{ticket_number}} «{{ticket_title}}» i køen {{queue}} har forfalt. {{detail}}

{{link}}
', '2026-11-24 00:00:00'),
    ('mentioned', 'nb', '{{actor}} nevnte deg i {{ticket_number}}: {{ticket_title}}', 'Hei {{recipient}},

{{actor}} nevnte deg i et internt notat i sak {{ticket_number}} «{{ticket_title}}» i køen {{queue}}.

{{detail}}

{{link}}
', '2026-11-24 00:00:00'),
    ('ticket_closed', 'nb', 'Saken din {{ticket_number}} er lukket: {{ticket_title}}', 'Hei {{customer}},

saken din {{ticket_number}} «{{ticket_title}}» er lukket. Trenger du mer hjelp, kan du svare på denne e-posten.

{{link}}
', '2026-11-24 00:00:00'),
    ('ticket_created', 'de', 'Neues Ticket {{ticket_number}} in {{queue}}: {{ticket_title}}', 'Hallo {{recipient}},

{{actor}} hat das Ticket {{ticket_number}} „{{ticket_title}}“ in der Queue {{queue}} erstellt (Kunde: {{customer}}).

{{detail}}

{{link}}
', '2026-11-24 00:00:00'),
    ('customer_follow_up', 'de', 'Neue Kundennachricht zu {{ticket_number}}: {{ticket_title}}', 'Hallo {{recipient}},

{{customer}} hat erneut zum Ticket {{ticket_number}} „{{ticket_title}}“ in der Queue {{queue}} geschrieben.

{{detail}}

{{link}}
', '2026-11-24 00:00:00'),
    ('owner_changed', 'de', 'Sie sind jetzt Besitzer von {{ticket_number}}: {{ticket_title}}', 'Hallo {{recipient}},

{{actor}} hat Sie zum Besitzer des Tickets {{ticket_number}} „{{ticket_title}}“ in der Queue {{queue}} gemacht.

{{link}}
', '2026-11-24 00:00:00'),
    ('queue_moved', 'de', 'Ticket {{ticket_number}} nach {{queue}} verschoben: {{ticket_title}}', 'Hallo {{recipient}},

{{actor}} hat das Ticket {{ticket_number}} „{{ticket_title}}“ in die Queue {{queue}} verschoben.

{{link}}
', '2026-11-24 00:00:00'),
    ('escalation_warning', 'de', 'Eskalationswarnung für {{ticket_number}}: {{ticket_title}}', 'Hallo {{recipient}},

die Frist für die {{target}} des Tickets {{ticket_number}} „{{ticket_title}}“ in der Queue {{queue}} endet am {{deadline}}.

{{link}}
', '2026-11-24 00:00:00'),
    ('escalation_breach', 'de', 'Eskaliert: {{ticket_number}}: {{ticket_title}}', 'Hallo {{recipient}},

die Frist für die {{target}} des Tickets {{ticket_number}} „{{ticket_title}}“ in der Queue {{queue}} ist am {{deadline}} abgelaufen.

{{link}}
', '2026-11-24 00:00:00'),
    ('reminder_due', 'de', 'Erinnerung: {{ticket_number}}: {{ticket_title}}', 'Hallo {{recipient}},

eine Erinnerung zum Ticket {{ticket_number}} „{{ticket_title}}“ in der Queue {{queue}} ist fällig. {{detail}}

{{link}}
', '2026-11-24 00:00:00'),
    ('mentioned', 'de', '{{actor}} hat Sie in {{ticket_number}} erwähnt: {{ticket_title}}', 'Hallo {{recipient}},

{{actor}} hat Sie in einer internen Notiz zum Ticket {{ticket_number}} „{{ticket_title}}“ in der Queue {{queue}} erwähnt.

{{detail}}

{{link}}
', '2026-11-24 00:00:00'),
    ('ticket_closed', 'de', 'Ihre Anfrage {{ticket_number}} ist geschlossen: {{ticket_title}}', 'Guten Tag {{customer}},

Ihre Anfrage {{ticket_number}} „{{ticket_title}}“ wurde geschlossen. Wenn Sie weitere Hilfe benötigen, antworten Sie einfach auf diese Nachricht.

{{link}}
', '2026-11-24 00:00:00');
