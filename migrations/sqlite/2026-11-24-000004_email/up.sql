-- The email channel (issue 4): inbound messages stored raw before anything else happens, mail
-- accounts polled over IMAP/POP3, postmaster filters, per-queue mail settings, the delivery
-- state of outbound articles, and per-sender counters of automatic answers.

-- IMAP/POP3 accounts. The password is write-only through the API.
CREATE TABLE mail_accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    name TEXT NOT NULL,
    protocol TEXT NOT NULL CHECK (protocol IN ('imap', 'pop3')),
    host TEXT NOT NULL,
    port INTEGER NOT NULL,
    tls TEXT NOT NULL CHECK (tls IN ('tls', 'starttls', 'none')),
    username TEXT NOT NULL,
    password TEXT NOT NULL,
    folder TEXT NOT NULL DEFAULT 'INBOX',
    -- NULL: dispatch by recipient address (fallback: the default queue).
    queue_id BIGINT REFERENCES queues (id),
    poll_interval_seconds INTEGER NOT NULL,
    enabled BOOLEAN NOT NULL DEFAULT 1,
    accept_invalid_certs BOOLEAN NOT NULL DEFAULT 0,
    next_poll_at TIMESTAMP,
    last_poll_at TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX mail_accounts_name_key ON mail_accounts (name);

-- One row per received message (small: the bytes live in mail_raw). Written in its own short
-- transaction before parsing; the processing transaction moves it to processed/ignored, a
-- failure to quarantined with the reason.
CREATE TABLE mail_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('gateway', 'account')),
    account_id BIGINT REFERENCES mail_accounts (id) ON DELETE SET NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'processed', 'quarantined', 'ignored', 'deleted')),
    reason TEXT,
    -- The queue the gateway asked for (name or id as given) and correspond/comment.
    requested_queue TEXT,
    action TEXT NOT NULL CHECK (action IN ('correspond', 'comment')),
    sha256 TEXT NOT NULL,
    size BIGINT NOT NULL,
    message_id TEXT,
    sender TEXT,
    subject TEXT,
    ticket_id BIGINT REFERENCES tickets (id) ON DELETE SET NULL,
    article_id BIGINT REFERENCES articles (id) ON DELETE SET NULL,
    outcome TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    -- A quarantined message whose failure looked temporary is retried from this time on.
    retry_at TIMESTAMP,
    received_at TIMESTAMP NOT NULL,
    processed_at TIMESTAMP
);
CREATE INDEX mail_messages_status ON mail_messages (status, id);
CREATE INDEX mail_messages_sha256 ON mail_messages (sha256);
CREATE INDEX mail_messages_article ON mail_messages (article_id);
CREATE INDEX mail_messages_retry ON mail_messages (retry_at) WHERE status IN ('pending', 'quarantined');

-- The raw RFC 5322 bytes, exactly as received.
CREATE TABLE mail_raw (
    mail_message_id BIGINT PRIMARY KEY NOT NULL REFERENCES mail_messages (id) ON DELETE CASCADE,
    data BLOB NOT NULL
);

-- Postmaster filters, applied in position order before routing. conditions and actions are JSON.
CREATE TABLE postmaster_filters (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    enabled BOOLEAN NOT NULL DEFAULT 1,
    stop_after_match BOOLEAN NOT NULL DEFAULT 0,
    conditions TEXT NOT NULL,
    actions TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX postmaster_filters_name_key ON postmaster_filters (name);
CREATE INDEX postmaster_filters_position ON postmaster_filters (position, id);

-- Per-queue mail behaviour; a queue without a row uses the defaults.
CREATE TABLE queue_mail_settings (
    queue_id BIGINT PRIMARY KEY NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
    sender_name TEXT,
    follow_up_policy TEXT NOT NULL DEFAULT 'reopen' CHECK (follow_up_policy IN ('reopen', 'new_ticket', 'reject')),
    reject_text TEXT,
    auto_reply_enabled BOOLEAN NOT NULL DEFAULT 0,
    auto_reply_subject TEXT,
    auto_reply_body TEXT,
    salutation TEXT,
    signature TEXT,
    cc_as_watchers BOOLEAN NOT NULL DEFAULT 0,
    updated_at TIMESTAMP NOT NULL
);

-- Delivery state of outbound articles (replies, auto-replies, rejections): the outbox. A
-- send_mail job is enqueued in the same transaction as the row.
CREATE TABLE article_deliveries (
    article_id BIGINT PRIMARY KEY NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('reply', 'auto_reply', 'reject')),
    status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    sent_at TIMESTAMP,
    updated_at TIMESTAMP NOT NULL
);

-- Automatic answers per sender and day (the daily cap against loops).
CREATE TABLE mail_auto_answers (
    sender TEXT NOT NULL,
    day TEXT NOT NULL,
    answer_count BIGINT NOT NULL,
    PRIMARY KEY (sender, day)
);
