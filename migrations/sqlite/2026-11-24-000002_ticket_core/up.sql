-- Ticket core: groups and rights, roles, customers and companies, reference data (states,
-- priorities, types, queues), tickets, articles (bodies and blobs kept out of the hot rows),
-- attachments stored once per SHA-256, watchers, the append-only history, idempotency keys,
-- queue counters (no COUNT(*) over tickets per request) and ticket-number counters.

CREATE TABLE agent_groups (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX agent_groups_name_key ON agent_groups (name);

CREATE TABLE roles (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX roles_name_key ON roles (name);

-- Direct grants: rights is a bit mask of ro, move_into, create, note, owner, steal, priority, rw.
CREATE TABLE group_members (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    group_id BIGINT NOT NULL REFERENCES agent_groups (id) ON DELETE CASCADE,
    rights BIGINT NOT NULL,
    queue_manager BOOLEAN NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, group_id)
);
CREATE INDEX group_members_group_id ON group_members (group_id);

CREATE TABLE role_grants (
    role_id BIGINT NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    group_id BIGINT NOT NULL REFERENCES agent_groups (id) ON DELETE CASCADE,
    rights BIGINT NOT NULL,
    PRIMARY KEY (role_id, group_id)
);
CREATE INDEX role_grants_group_id ON role_grants (group_id);

CREATE TABLE user_roles (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role_id BIGINT NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, role_id)
);
CREATE INDEX user_roles_role_id ON user_roles (role_id);

CREATE TABLE customer_companies (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    name TEXT NOT NULL,
    email_domain TEXT,
    notes TEXT NOT NULL DEFAULT '',
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX customer_companies_name_key ON customer_companies (name);
CREATE INDEX customer_companies_email_domain ON customer_companies (email_domain);

ALTER TABLE users ADD COLUMN company_id BIGINT REFERENCES customer_companies (id);
ALTER TABLE users ADD COLUMN sees_company_tickets BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN login TEXT;
CREATE UNIQUE INDEX users_login_key ON users (login);
CREATE INDEX users_company_id ON users (company_id, id);

CREATE TABLE states (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    name TEXT NOT NULL,
    state_type TEXT NOT NULL CHECK (state_type IN ('new', 'open', 'pending_reminder', 'pending_auto', 'closed', 'merged', 'removed')),
    -- For pending_auto states: the state a ticket changes to when its pending time comes.
    next_state_id BIGINT REFERENCES states (id),
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX states_name_key ON states (name);

-- The id is the level (1 = very low … 5 = very high): sorting by priority sorts by id.
CREATE TABLE priorities (
    id BIGINT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX priorities_name_key ON priorities (name);

CREATE TABLE ticket_types (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    name TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX ticket_types_name_key ON ticket_types (name);

CREATE TABLE queues (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    name TEXT NOT NULL,
    group_id BIGINT NOT NULL REFERENCES agent_groups (id),
    parent_id BIGINT REFERENCES queues (id),
    email_address TEXT,
    default_priority_id BIGINT REFERENCES priorities (id),
    customer_open BOOLEAN NOT NULL DEFAULT 0,
    description TEXT NOT NULL DEFAULT '',
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX queues_name_key ON queues (name);
CREATE UNIQUE INDEX queues_email_address_key ON queues (email_address);
CREATE INDEX queues_group_id ON queues (group_id);

CREATE TABLE ticket_counters (
    counter_key TEXT PRIMARY KEY NOT NULL,
    value BIGINT NOT NULL
);

CREATE TABLE tickets (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    number TEXT NOT NULL,
    title TEXT NOT NULL,
    queue_id BIGINT NOT NULL REFERENCES queues (id),
    state_id BIGINT NOT NULL REFERENCES states (id),
    -- Copy of the state's type, so lists filter and count by type without a join.
    state_type TEXT NOT NULL,
    priority_id BIGINT NOT NULL REFERENCES priorities (id),
    type_id BIGINT REFERENCES ticket_types (id),
    owner_id BIGINT REFERENCES users (id),
    responsible_id BIGINT REFERENCES users (id),
    customer_id BIGINT REFERENCES users (id),
    company_id BIGINT REFERENCES customer_companies (id),
    created_by BIGINT REFERENCES users (id),
    pending_until TIMESTAMP,
    time_accounted_minutes BIGINT NOT NULL DEFAULT 0,
    article_count BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    closed_at TIMESTAMP
);
CREATE UNIQUE INDEX tickets_number_key ON tickets (number);
-- One index per list filter and sort, each ending in id for keyset pagination.
CREATE INDEX tickets_queue_state_priority ON tickets (queue_id, state_type, priority_id, id);
CREATE INDEX tickets_queue_state_updated ON tickets (queue_id, state_type, updated_at, id);
CREATE INDEX tickets_queue_state_created ON tickets (queue_id, state_type, created_at, id);
CREATE INDEX tickets_queue_updated ON tickets (queue_id, updated_at, id);
CREATE INDEX tickets_state_updated ON tickets (state_type, updated_at, id);
CREATE INDEX tickets_owner_state_updated ON tickets (owner_id, state_type, updated_at, id);
CREATE INDEX tickets_responsible ON tickets (responsible_id, updated_at, id);
CREATE INDEX tickets_customer_updated ON tickets (customer_id, updated_at, id);
CREATE INDEX tickets_company_updated ON tickets (company_id, updated_at, id);
CREATE INDEX tickets_updated ON tickets (updated_at, id);
CREATE INDEX tickets_created ON tickets (created_at, id);
CREATE INDEX tickets_pending ON tickets (pending_until);

CREATE TABLE articles (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    sender_type TEXT NOT NULL CHECK (sender_type IN ('agent', 'customer', 'system')),
    channel TEXT NOT NULL CHECK (channel IN ('email', 'phone', 'web', 'api', 'note')),
    customer_visible BOOLEAN NOT NULL,
    author_id BIGINT REFERENCES users (id),
    from_address TEXT,
    to_addresses TEXT,
    cc_addresses TEXT,
    subject TEXT NOT NULL,
    message_id TEXT,
    in_reply_to TEXT,
    time_accounted_minutes BIGINT NOT NULL DEFAULT 0,
    attachment_count BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX articles_ticket_id ON articles (ticket_id, id);
CREATE INDEX articles_message_id ON articles (message_id);

CREATE TABLE article_bodies (
    article_id BIGINT PRIMARY KEY NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    body_text TEXT NOT NULL,
    body_html TEXT
);

-- Attachment contents, stored once per SHA-256.
CREATE TABLE blobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    sha256 TEXT NOT NULL,
    size BIGINT NOT NULL,
    data BLOB NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX blobs_sha256_key ON blobs (sha256);

CREATE TABLE attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    blob_id BIGINT NOT NULL REFERENCES blobs (id),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    content_id TEXT,
    inline BOOLEAN NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX attachments_article_id ON attachments (article_id, id);
CREATE INDEX attachments_blob_id ON attachments (blob_id);

CREATE TABLE ticket_watchers (
    ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (ticket_id, user_id)
);
CREATE INDEX ticket_watchers_user_id ON ticket_watchers (user_id, ticket_id);

-- Append-only audit trail and event log (workers read it by id).
CREATE TABLE history (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    actor_id BIGINT REFERENCES users (id),
    kind TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    article_id BIGINT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX history_ticket_id ON history (ticket_id, id);

CREATE TABLE idempotency_keys (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    ticket_id BIGINT REFERENCES tickets (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX idempotency_keys_user_key ON idempotency_keys (user_id, idempotency_key);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- Tickets per queue and state type, maintained in the transaction of every change.
CREATE TABLE queue_counts (
    queue_id BIGINT NOT NULL REFERENCES queues (id),
    state_type TEXT NOT NULL,
    ticket_count BIGINT NOT NULL,
    PRIMARY KEY (queue_id, state_type)
);

-- Reference data of a fresh installation.
INSERT INTO agent_groups (name, description, created_at, updated_at)
VALUES ('users', 'Default group: give agents rights here to let them work the General queue', strftime('%Y-%m-%d %H:%M:%f', 'now'), strftime('%Y-%m-%d %H:%M:%f', 'now'));

INSERT INTO states (name, state_type, created_at, updated_at) VALUES
    ('new', 'new', strftime('%Y-%m-%d %H:%M:%f', 'now'), strftime('%Y-%m-%d %H:%M:%f', 'now')),
    ('open', 'open', strftime('%Y-%m-%d %H:%M:%f', 'now'), strftime('%Y-%m-%d %H:%M:%f', 'now')),
    ('pending reminder', 'pending_reminder', strftime('%Y-%m-%d %H:%M:%f', 'now'), strftime('%Y-%m-%d %H:%M:%f', 'now')),
    ('closed successful', 'closed', strftime('%Y-%m-%d %H:%M:%f', 'now'), strftime('%Y-%m-%d %H:%M:%f', 'now')),
    ('closed unsuccessful', 'closed', strftime('%Y-%m-%d %H:%M:%f', 'now'), strftime('%Y-%m-%d %H:%M:%f', 'now')),
    ('pending auto close+', 'pending_auto', strftime('%Y-%m-%d %H:%M:%f', 'now'), strftime('%Y-%m-%d %H:%M:%f', 'now')),
    ('pending auto close-', 'pending_auto', strftime('%Y-%m-%d %H:%M:%f', 'now'), strftime('%Y-%m-%d %H:%M:%f', 'now')),
    ('merged', 'merged', strftime('%Y-%m-%d %H:%M:%f', 'now'), strftime('%Y-%m-%d %H:%M:%f', 'now')),
    ('removed', 'removed', strftime('%Y-%m-%d %H:%M:%f', 'now'), strftime('%Y-%m-%d %H:%M:%f', 'now'));
UPDATE states SET next_state_id = (SELECT id FROM states WHERE name = 'closed successful') WHERE name = 'pending auto close+';
UPDATE states SET next_state_id = (SELECT id FROM states WHERE name = 'closed unsuccessful') WHERE name = 'pending auto close-';

INSERT INTO priorities (id, name, created_at, updated_at) VALUES
    (1, '1 very low', strftime('%Y-%m-%d %H:%M:%f', 'now'), strftime('%Y-%m-%d %H:%M:%f', 'now')),
    (2, '2 low', strftime('%Y-%m-%d %H:%M:%f', 'now'), strftime('%Y-%m-%d %H:%M:%f', 'now')),
    (3, '3 normal', strftime('%Y-%m-%d %H:%M:%f', 'now'), strftime('%Y-%m-%d %H:%M:%f', 'now')),
    (4, '4 high', strftime('%Y-%m-%d %H:%M:%f', 'now'), strftime('%Y-%m-%d %H:%M:%f', 'now')),
    (5, '5 very high', strftime('%Y-%m-%d %H:%M:%f', 'now'), strftime('%Y-%m-%d %H:%M:%f', 'now'));

INSERT INTO ticket_types (name, created_at, updated_at) VALUES
    ('Unclassified', strftime('%Y-%m-%d %H:%M:%f', 'now'), strftime('%Y-%m-%d %H:%M:%f', 'now')),
    ('Incident', strftime('%Y-%m-%d %H:%M:%f', 'now'), strftime('%Y-%m-%d %H:%M:%f', 'now')),
    ('Service request', strftime('%Y-%m-%d %H:%M:%f', 'now'), strftime('%Y-%m-%d %H:%M:%f', 'now')),
    ('Problem', strftime('%Y-%m-%d %H:%M:%f', 'now'), strftime('%Y-%m-%d %H:%M:%f', 'now'));

INSERT INTO queues (name, group_id, default_priority_id, customer_open, description, created_at, updated_at)
VALUES ('General', (SELECT id FROM agent_groups WHERE name = 'users'), 3, 1,
        'Where tickets go when nothing else decides', strftime('%Y-%m-%d %H:%M:%f', 'now'), strftime('%Y-%m-%d %H:%M:%f', 'now'));
