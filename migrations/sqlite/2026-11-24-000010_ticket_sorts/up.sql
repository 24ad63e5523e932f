-- Sort keys of the ticket list that are not plain columns, kept on the ticket row so that each
-- sort has an index and pages by keyset (a join to users or states could do neither at a
-- million tickets). Written in the transaction of every change they derive from (ticket
-- insert/update, a user's name or address, a state's type); computed in Rust
-- (vakt_domain::sort), backfilled here with the SQL equivalent (SQLite's lower() folds ASCII
-- only: a backfilled key with other capitals is refreshed by the ticket's next change).
--   title_sort     the title, trimmed and lower-cased, at most 64 characters
--   state_sort     the state type's place in the life cycle: new 0, open 1, pending_reminder 2,
--                  pending_auto 3, closed 4, merged 5, removed 6
--   owner_sort     the owner's display name (else address), lower-cased; '' without an owner
--   customer_sort  the same for the customer user
ALTER TABLE tickets ADD COLUMN title_sort TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN state_sort BIGINT NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN owner_sort TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN customer_sort TEXT NOT NULL DEFAULT '';

UPDATE tickets SET
    title_sort = lower(substr(trim(title), 1, 64)),
    state_sort = CASE state_type
        WHEN 'new' THEN 0 WHEN 'open' THEN 1 WHEN 'pending_reminder' THEN 2
        WHEN 'pending_auto' THEN 3 WHEN 'closed' THEN 4 WHEN 'merged' THEN 5 ELSE 6 END,
    owner_sort = COALESCE((SELECT lower(substr(trim(CASE WHEN trim(u.name) = '' THEN u.email ELSE u.name END), 1, 64))
                           FROM users u WHERE u.id = tickets.owner_id), ''),
    customer_sort = COALESCE((SELECT lower(substr(trim(CASE WHEN trim(u.name) = '' THEN u.email ELSE u.name END), 1, 64))
                              FROM users u WHERE u.id = tickets.customer_id), '');

-- Each new sort: within a queue and over everything visible, ending in id for the keyset.
-- (queue, key, id) serves a queue view with or without a state filter: with one, PostgreSQL
-- takes the queue's few open tickets from tickets_queue_state_* and sorts them; without one,
-- it walks this in order. (queue, state type, key, id) could not serve the latter at all.
CREATE INDEX tickets_queue_title ON tickets (queue_id, title_sort, id);
CREATE INDEX tickets_title ON tickets (title_sort, id);
CREATE INDEX tickets_queue_owner_name ON tickets (queue_id, owner_sort, id);
CREATE INDEX tickets_owner_name ON tickets (owner_sort, id);
CREATE INDEX tickets_queue_customer_name ON tickets (queue_id, customer_sort, id);
CREATE INDEX tickets_customer_name ON tickets (customer_sort, id);
-- The state order groups state types, so a queue view filtered by types walks this in order.
CREATE INDEX tickets_queue_state_rank ON tickets (queue_id, state_sort, id);
CREATE INDEX tickets_state_rank ON tickets (state_sort, id);
-- Pending tickets are few: partial indexes for the pending_until sort and pending_before.
CREATE INDEX tickets_pending_due ON tickets (pending_until, id) WHERE pending_until IS NOT NULL;
CREATE INDEX tickets_queue_pending_due ON tickets (queue_id, pending_until, id) WHERE pending_until IS NOT NULL;
