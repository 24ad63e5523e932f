//! The database schema, maintained by hand (ids are `BigInt` on both backends).
//! The acceptance test `schema_matches_both_backends` compares it with both migrated databases.
#![allow(missing_docs)]

diesel::table! {
    /// Key/value settings that must be shared by all server processes (e.g. the JWT secret).
    settings (key) {
        key -> Text,
        value -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Agents (staff, `is_admin` for administrators) and customer users in one table.
    users (id) {
        id -> BigInt,
        kind -> Text,
        email -> Text,
        name -> Text,
        password_hash -> Nullable<Text>,
        is_admin -> Bool,
        active -> Bool,
        language -> Nullable<Text>,
        time_zone -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        company_id -> Nullable<BigInt>,
        sees_company_tickets -> Bool,
        login -> Nullable<Text>,
    }
}

diesel::table! {
    /// Opaque refresh tokens (SHA-256 hashed), rotated on use.
    refresh_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        session_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    /// Personal API tokens for scripts and third-party systems (SHA-256 hashed).
    api_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        name -> Text,
        token_hash -> Text,
        token_prefix -> Text,
        scope -> Text,
        created_at -> Timestamp,
        expires_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// Failed logins per subject (`account:<email>` or `address:<ip>`), for lockouts.
    login_failures (id) {
        id -> BigInt,
        subject -> Text,
        failed_at -> Timestamp,
    }
}

diesel::table! {
    /// Groups own queues; agents get rights per group.
    agent_groups (id) {
        id -> BigInt,
        name -> Text,
        description -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Roles bundle group grants and are given to agents.
    roles (id) {
        id -> BigInt,
        name -> Text,
        description -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Direct grants of rights (bit mask) on a group to an agent; queue managers manage members.
    group_members (user_id, group_id) {
        user_id -> BigInt,
        group_id -> BigInt,
        rights -> BigInt,
        queue_manager -> Bool,
    }
}

diesel::table! {
    /// Rights (bit mask) a role grants on a group.
    role_grants (role_id, group_id) {
        role_id -> BigInt,
        group_id -> BigInt,
        rights -> BigInt,
    }
}

diesel::table! {
    /// Roles given to agents.
    user_roles (user_id, role_id) {
        user_id -> BigInt,
        role_id -> BigInt,
    }
}

diesel::table! {
    /// Customer companies (organisations).
    customer_companies (id) {
        id -> BigInt,
        name -> Text,
        email_domain -> Nullable<Text>,
        notes -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Ticket states (admin-defined), each of a state type.
    states (id) {
        id -> BigInt,
        name -> Text,
        state_type -> Text,
        next_state_id -> Nullable<BigInt>,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Priorities; the id is the level.
    priorities (id) {
        id -> BigInt,
        name -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Ticket types.
    ticket_types (id) {
        id -> BigInt,
        name -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Queues: responsibility areas, each owned by a group.
    queues (id) {
        id -> BigInt,
        name -> Text,
        group_id -> BigInt,
        parent_id -> Nullable<BigInt>,
        email_address -> Nullable<Text>,
        default_priority_id -> Nullable<BigInt>,
        customer_open -> Bool,
        description -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// A random token that triggers change with every change to states, priorities, ticket
    /// types and queues (the key of each process's cache of them).
    reference_version (id) {
        id -> BigInt,
        token -> BigInt,
    }
}

diesel::table! {
    /// Counters behind ticket numbers (one per day, or one for ever).
    ticket_counters (counter_key) {
        counter_key -> Text,
        value -> BigInt,
    }
}

diesel::table! {
    /// Tickets.
    tickets (id) {
        id -> BigInt,
        number -> Text,
        title -> Text,
        queue_id -> BigInt,
        state_id -> BigInt,
        state_type -> Text,
        priority_id -> BigInt,
        type_id -> Nullable<BigInt>,
        owner_id -> Nullable<BigInt>,
        responsible_id -> Nullable<BigInt>,
        customer_id -> Nullable<BigInt>,
        company_id -> Nullable<BigInt>,
        created_by -> Nullable<BigInt>,
        pending_until -> Nullable<Timestamp>,
        time_accounted_minutes -> BigInt,
        article_count -> BigInt,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
        service_id -> Nullable<BigInt>,
        sla_id -> Nullable<BigInt>,
        escalation_at -> Nullable<Timestamp>,
        /// Sort key: the title, trimmed and lower-cased (vakt_domain::sort).
        title_sort -> Text,
        /// Sort key: the state type's place in the life cycle.
        state_sort -> BigInt,
        /// Sort key: the owner's name (else address), lower-cased; '' without an owner.
        owner_sort -> Text,
        /// Sort key: the customer's name (else address), lower-cased; '' without a customer.
        customer_sort -> Text,
        /// The ticket this one was merged into (its state type is then `merged`).
        merged_into_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    /// Articles: the conversation of a ticket (bodies in `article_bodies`).
    articles (id) {
        id -> BigInt,
        ticket_id -> BigInt,
        sender_type -> Text,
        channel -> Text,
        customer_visible -> Bool,
        author_id -> Nullable<BigInt>,
        from_address -> Nullable<Text>,
        to_addresses -> Nullable<Text>,
        cc_addresses -> Nullable<Text>,
        subject -> Text,
        message_id -> Nullable<Text>,
        in_reply_to -> Nullable<Text>,
        time_accounted_minutes -> BigInt,
        attachment_count -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Article bodies: plain text and sanitised HTML.
    article_bodies (article_id) {
        article_id -> BigInt,
        body_text -> Text,
        body_html -> Nullable<Text>,
    }
}

diesel::table! {
    /// Attachment contents, once per SHA-256.
    blobs (id) {
        id -> BigInt,
        sha256 -> Text,
        size -> BigInt,
        data -> Binary,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Attachments of articles.
    attachments (id) {
        id -> BigInt,
        article_id -> BigInt,
        blob_id -> BigInt,
        filename -> Text,
        content_type -> Text,
        size -> BigInt,
        content_id -> Nullable<Text>,
        inline -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Agents (and customers) watching a ticket.
    ticket_watchers (ticket_id, user_id) {
        ticket_id -> BigInt,
        user_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// The append-only audit trail and event log.
    history (id) {
        id -> BigInt,
        ticket_id -> BigInt,
        actor_id -> Nullable<BigInt>,
        kind -> Text,
        old_value -> Nullable<Text>,
        new_value -> Nullable<Text>,
        article_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Idempotency keys of creating requests: the ticket created (ticket creation) or the
    /// endpoint and first response (every other creating POST).
    idempotency_keys (id) {
        id -> BigInt,
        user_id -> BigInt,
        idempotency_key -> Text,
        request_hash -> Text,
        ticket_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        scope -> Nullable<Text>,
        response_status -> Nullable<Integer>,
        response_body -> Nullable<Text>,
        response_location -> Nullable<Text>,
    }
}

diesel::table! {
    /// Tickets per queue and state type, spread over slots (summed when read).
    queue_counts (queue_id, state_type, slot) {
        queue_id -> BigInt,
        state_type -> Text,
        ticket_count -> BigInt,
        slot -> SmallInt,
    }
}

diesel::table! {
    /// Background jobs.
    jobs (id) {
        id -> BigInt,
        kind -> Text,
        payload -> Text,
        status -> Text,
        run_at -> Timestamp,
        attempts -> Integer,
        max_attempts -> Integer,
        locked_by -> Nullable<Text>,
        locked_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        unique_key -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// IMAP/POP3 accounts polled for inbound mail.
    mail_accounts (id) {
        id -> BigInt,
        name -> Text,
        protocol -> Text,
        host -> Text,
        port -> Integer,
        tls -> Text,
        username -> Text,
        password -> Text,
        folder -> Text,
        queue_id -> Nullable<BigInt>,
        poll_interval_seconds -> Integer,
        enabled -> Bool,
        accept_invalid_certs -> Bool,
        next_poll_at -> Nullable<Timestamp>,
        last_poll_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Received messages (raw bytes in `mail_raw`) and what became of them.
    mail_messages (id) {
        id -> BigInt,
        source -> Text,
        account_id -> Nullable<BigInt>,
        status -> Text,
        reason -> Nullable<Text>,
        requested_queue -> Nullable<Text>,
        action -> Text,
        sha256 -> Text,
        size -> BigInt,
        message_id -> Nullable<Text>,
        sender -> Nullable<Text>,
        subject -> Nullable<Text>,
        ticket_id -> Nullable<BigInt>,
        article_id -> Nullable<BigInt>,
        outcome -> Nullable<Text>,
        attempts -> Integer,
        retry_at -> Nullable<Timestamp>,
        received_at -> Timestamp,
        processed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// Raw RFC 5322 bytes of received messages.
    mail_raw (mail_message_id) {
        mail_message_id -> BigInt,
        data -> Binary,
    }
}

diesel::table! {
    /// Postmaster filters (conditions and actions as JSON).
    postmaster_filters (id) {
        id -> BigInt,
        name -> Text,
        position -> Integer,
        enabled -> Bool,
        stop_after_match -> Bool,
        conditions -> Text,
        actions -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Per-queue mail behaviour.
    queue_mail_settings (queue_id) {
        queue_id -> BigInt,
        sender_name -> Nullable<Text>,
        follow_up_policy -> Text,
        reject_text -> Nullable<Text>,
        auto_reply_enabled -> Bool,
        auto_reply_subject -> Nullable<Text>,
        auto_reply_body -> Nullable<Text>,
        salutation -> Nullable<Text>,
        signature -> Nullable<Text>,
        cc_as_watchers -> Bool,
        updated_at -> Timestamp,
        notify_customer_on_close -> Bool,
        trust_field_headers -> Bool,
        salutation_id -> Nullable<BigInt>,
        signature_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    /// Delivery state of outbound articles (the outbox).
    article_deliveries (article_id) {
        article_id -> BigInt,
        kind -> Text,
        status -> Text,
        attempts -> Integer,
        last_error -> Nullable<Text>,
        sent_at -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Automatic answers per sender and day.
    mail_auto_answers (sender, day) {
        sender -> Text,
        day -> Text,
        answer_count -> BigInt,
    }
}

diesel::table! {
    /// Named ticket-list queries, private or shared with a group.
    saved_searches (id) {
        id -> BigInt,
        owner_id -> BigInt,
        group_id -> Nullable<BigInt>,
        name -> Text,
        query -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Business calendars (settings as `CalendarSpec` JSON).
    calendars (id) {
        id -> BigInt,
        name -> Text,
        spec -> Text,
        description -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// SLAs: targets in business minutes on a calendar (settings as `SlaSpec` JSON).
    slas (id) {
        id -> BigInt,
        name -> Text,
        calendar_id -> BigInt,
        spec -> Text,
        description -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Services (hierarchical), each with an optional SLA.
    services (id) {
        id -> BigInt,
        name -> Text,
        full_name -> Text,
        parent_id -> Nullable<BigInt>,
        sla_id -> Nullable<BigInt>,
        description -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// The default SLA of a queue's tickets.
    queue_slas (queue_id) {
        queue_id -> BigInt,
        sla_id -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Per ticket: SLA facts, stored deadlines and the next escalation check.
    ticket_sla (ticket_id) {
        ticket_id -> BigInt,
        first_agent_response_at -> Nullable<Timestamp>,
        last_customer_contact_at -> Nullable<Timestamp>,
        last_agent_response_at -> Nullable<Timestamp>,
        first_response_due_at -> Nullable<Timestamp>,
        update_due_at -> Nullable<Timestamp>,
        solution_due_at -> Nullable<Timestamp>,
        escalation_warning_at -> Nullable<Timestamp>,
        check_at -> Nullable<Timestamp>,
        reminder_due_at -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// The state types a ticket went through, and since when.
    ticket_state_log (id) {
        id -> BigInt,
        ticket_id -> BigInt,
        state_type -> Text,
        since -> Timestamp,
    }
}

diesel::table! {
    /// Warnings and breaches recorded, once per clock run.
    sla_marks (ticket_id, target, kind, clock_started_at) {
        ticket_id -> BigInt,
        target -> Text,
        kind -> Text,
        clock_started_at -> Timestamp,
        due_at -> Timestamp,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    /// RT-style reminders on tickets.
    reminders (id) {
        id -> BigInt,
        ticket_id -> BigInt,
        owner_id -> BigInt,
        subject -> Text,
        due_at -> Timestamp,
        done -> Bool,
        done_at -> Nullable<Timestamp>,
        notified_at -> Nullable<Timestamp>,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Which roles each agent event notifies, and the default channels.
    notification_rules (event) {
        event -> Text,
        recipients -> Text,
        email -> Bool,
        in_app -> Bool,
        enabled -> Bool,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// An agent's own channels for one event.
    notification_preferences (user_id, event) {
        user_id -> BigInt,
        event -> Text,
        email -> Bool,
        in_app -> Bool,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Notification texts per event and language.
    notification_templates (event, language) {
        event -> Text,
        language -> Text,
        subject -> Text,
        body -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// In-app notifications.
    notifications (id) {
        id -> BigInt,
        user_id -> BigInt,
        event -> Text,
        ticket_id -> BigInt,
        history_id -> BigInt,
        actor_id -> Nullable<BigInt>,
        subject -> Text,
        body -> Text,
        created_at -> Timestamp,
        read_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// Positions of consumers of the history log.
    event_cursors (name) {
        name -> Text,
        last_id -> BigInt,
        gap_since -> Nullable<Timestamp>,
        gap_xmax -> Nullable<BigInt>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Who has a ticket open (and is composing) until when.
    ticket_presence (ticket_id, user_id) {
        ticket_id -> BigInt,
        user_id -> BigInt,
        composing -> Bool,
        expires_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Presence changes for the live-update pollers of all processes.
    presence_events (id) {
        id -> BigInt,
        ticket_id -> BigInt,
        user_id -> BigInt,
        present -> Bool,
        composing -> Bool,
        expires_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(group_members -> agent_groups (group_id));
diesel::joinable!(role_grants -> agent_groups (group_id));
diesel::joinable!(role_grants -> roles (role_id));
diesel::joinable!(user_roles -> roles (role_id));
diesel::joinable!(queues -> agent_groups (group_id));
diesel::joinable!(tickets -> queues (queue_id));
diesel::joinable!(tickets -> states (state_id));
diesel::joinable!(tickets -> priorities (priority_id));
diesel::joinable!(articles -> tickets (ticket_id));
diesel::joinable!(article_bodies -> articles (article_id));
diesel::joinable!(attachments -> articles (article_id));
diesel::joinable!(attachments -> blobs (blob_id));
diesel::joinable!(history -> tickets (ticket_id));
diesel::joinable!(mail_raw -> mail_messages (mail_message_id));
diesel::joinable!(article_deliveries -> articles (article_id));
diesel::joinable!(slas -> calendars (calendar_id));
diesel::joinable!(services -> slas (sla_id));
diesel::joinable!(queue_slas -> slas (sla_id));
diesel::joinable!(ticket_sla -> tickets (ticket_id));
diesel::joinable!(ticket_state_log -> tickets (ticket_id));
diesel::joinable!(sla_marks -> tickets (ticket_id));
diesel::joinable!(reminders -> tickets (ticket_id));
diesel::joinable!(notifications -> tickets (ticket_id));
diesel::joinable!(ticket_presence -> tickets (ticket_id));

diesel::table! {
    /// The administrators' audit log (append-only): who changed what, when, before and after.
    audit_log (id) {
        id -> BigInt,
        at -> Timestamp,
        actor_id -> Nullable<BigInt>,
        actor_label -> Text,
        action -> Text,
        entity -> Text,
        entity_id -> Nullable<BigInt>,
        entity_label -> Text,
        subject_user_id -> Nullable<BigInt>,
        before_value -> Nullable<Text>,
        after_value -> Nullable<Text>,
    }
}

diesel::table! {
    /// Sign-ins: one chain of rotated refresh tokens each; ending one stops its tokens at once.
    sessions (id) {
        id -> BigInt,
        user_id -> BigInt,
        method -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        client_address -> Nullable<Text>,
        user_agent -> Nullable<Text>,
        ended_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// TOTP second factors of local accounts (`confirmed_at` set once enrolment is complete).
    user_totp (user_id) {
        user_id -> BigInt,
        secret -> Text,
        confirmed_at -> Nullable<Timestamp>,
        last_step -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Single-use recovery codes for the second factor (SHA-256 hashed).
    recovery_codes (id) {
        id -> BigInt,
        user_id -> BigInt,
        code_hash -> Text,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// Custom field definitions (ADR 0007): per object type, a stable key, labels per
    /// language (JSON), a type, validation, default (JSON), scope (JSON id lists; absent: all)
    /// and customer visibility.
    custom_fields (id) {
        id -> BigInt,
        object_type -> Text,
        key -> Text,
        field_type -> Text,
        labels -> Text,
        required -> Bool,
        pattern -> Nullable<Text>,
        min_value -> Nullable<Text>,
        max_value -> Nullable<Text>,
        max_length -> Nullable<Integer>,
        default_value -> Nullable<Text>,
        queue_ids -> Nullable<Text>,
        type_ids -> Nullable<Text>,
        customer_visibility -> Text,
        position -> Integer,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Options of dropdown and multiselect fields, in order; retired ones keep their values.
    custom_field_options (id) {
        id -> BigInt,
        field_id -> BigInt,
        value -> Text,
        labels -> Text,
        position -> Integer,
        retired -> Bool,
    }
}

diesel::table! {
    /// Custom field values, one row per value (per chosen option of a multiselect), typed by
    /// column.
    custom_field_values (id) {
        id -> BigInt,
        field_id -> BigInt,
        object_id -> BigInt,
        value_text -> Nullable<Text>,
        value_int -> Nullable<BigInt>,
        value_num -> Nullable<Double>,
        value_time -> Nullable<Timestamp>,
    }
}

diesel::joinable!(sessions -> users (user_id));

diesel::table! {
    /// Links between tickets, each stored once as "source <kind> target" (ADR 0008).
    ticket_links (id) {
        id -> BigInt,
        kind -> Text,
        source_id -> BigInt,
        target_id -> BigInt,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Per-queue relation rules.
    queue_relation_settings (queue_id) {
        queue_id -> BigInt,
        close_needs_dependencies -> Bool,
    }
}

diesel::table! {
    /// Progress and per-ticket results of a bulk change (one job each).
    bulk_runs (job_id) {
        job_id -> BigInt,
        created_by -> BigInt,
        total -> BigInt,
        processed -> BigInt,
        results -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// What each agent has read: the ticket's article count when they last read it.
    ticket_reads (user_id, ticket_id) {
        user_id -> BigInt,
        ticket_id -> BigInt,
        read_count -> BigInt,
        read_at -> Timestamp,
    }
}

diesel::table! {
    /// Knowledge-base categories: a tree, each owned by an agent group.
    kb_categories (id) {
        id -> BigInt,
        parent_id -> Nullable<BigInt>,
        group_id -> BigInt,
        name -> Text,
        description -> Text,
        position -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Knowledge-base articles; translations share `entry_id`.
    kb_articles (id) {
        id -> BigInt,
        entry_id -> BigInt,
        category_id -> BigInt,
        language -> Text,
        title -> Text,
        slug -> Text,
        body_html -> Text,
        body_text -> Text,
        keywords -> Text,
        visibility -> Text,
        state -> Text,
        version -> BigInt,
        view_count -> BigInt,
        helpful_count -> BigInt,
        not_helpful_count -> BigInt,
        created_by -> BigInt,
        created_at -> Timestamp,
        updated_by -> BigInt,
        updated_at -> Timestamp,
        published_at -> Nullable<Timestamp>,
        deflection_count -> BigInt,
    }
}

diesel::table! {
    /// Published versions of knowledge-base articles.
    kb_article_versions (id) {
        id -> BigInt,
        article_id -> BigInt,
        version -> BigInt,
        title -> Text,
        body_html -> Text,
        body_text -> Text,
        keywords -> Text,
        visibility -> Text,
        created_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Who changed what in a knowledge-base article (append-only).
    kb_article_history (id) {
        id -> BigInt,
        article_id -> BigInt,
        actor_id -> Nullable<BigInt>,
        action -> Text,
        detail -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    /// Files of knowledge-base articles (content in `blobs`).
    kb_attachments (id) {
        id -> BigInt,
        article_id -> BigInt,
        blob_id -> BigInt,
        filename -> Text,
        content_type -> Text,
        size -> BigInt,
        created_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Signed-in users' helpful / not helpful votes.
    kb_votes (article_id, user_id) {
        article_id -> BigInt,
        user_id -> BigInt,
        helpful -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    kb_anonymous_votes (article_id, voter) {
        article_id -> BigInt,
        voter -> Text,
        helpful -> Bool,
        created_at -> Timestamp,
    }
}

diesel::joinable!(kb_articles -> kb_categories (category_id));
diesel::joinable!(kb_article_versions -> kb_articles (article_id));
diesel::joinable!(kb_article_history -> kb_articles (article_id));
diesel::joinable!(kb_attachments -> kb_articles (article_id));
diesel::joinable!(kb_attachments -> blobs (blob_id));
diesel::joinable!(kb_votes -> kb_articles (article_id));
diesel::joinable!(kb_anonymous_votes -> kb_articles (article_id));

diesel::table! {
    /// Text modules: canned answers with `{{variables}}`, offered while answering.
    text_modules (id) {
        id -> BigInt,
        name -> Text,
        category -> Text,
        keywords -> Text,
        language -> Nullable<Text>,
        subject -> Text,
        body -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// The queues a text module is offered in (none: all).
    text_module_queues (text_module_id, queue_id) {
        text_module_id -> BigInt,
        queue_id -> BigInt,
    }
}

diesel::table! {
    /// Salutations and signatures (`kind`), chosen per queue.
    reply_templates (id) {
        id -> BigInt,
        kind -> Text,
        name -> Text,
        body -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(text_module_queues -> text_modules (text_module_id));
diesel::joinable!(text_module_queues -> queues (queue_id));

// --- webhooks (issue 17, ADR 0011) ---
diesel::table! {
    /// Webhook subscriptions of third-party systems.
    webhooks (id) {
        id -> BigInt,
        name -> Text,
        url -> Text,
        events -> Text,
        queue_ids -> Nullable<Text>,
        secret -> Text,
        enabled -> Bool,
        consecutive_failures -> Integer,
        disabled_at -> Nullable<Timestamp>,
        disabled_reason -> Nullable<Text>,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Events sent (or to be sent) to webhooks, one lane (ticket) after another.
    webhook_deliveries (id) {
        id -> BigInt,
        webhook_id -> BigInt,
        event_id -> Text,
        event_type -> Text,
        lane -> Text,
        ticket_id -> Nullable<BigInt>,
        payload -> Text,
        status -> Text,
        attempts -> Integer,
        response_status -> Nullable<Integer>,
        response_excerpt -> Nullable<Text>,
        error -> Nullable<Text>,
        duration_ms -> Nullable<BigInt>,
        last_attempt_at -> Nullable<Timestamp>,
        redelivery_of -> Nullable<BigInt>,
        created_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(webhook_deliveries -> webhooks (webhook_id));
// --- end webhooks ---

diesel::table! {
    /// Named report queries, private or shared with a group (reports, issue 16).
    saved_reports (id) {
        id -> BigInt,
        owner_id -> BigInt,
        group_id -> Nullable<BigInt>,
        name -> Text,
        report -> Text,
        query -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Single-use self-service tokens (password reset), stored as SHA-256 hashes.
    account_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        purpose -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(account_tokens -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    settings,
    users,
    refresh_tokens,
    api_tokens,
    login_failures,
    agent_groups,
    roles,
    group_members,
    role_grants,
    user_roles,
    customer_companies,
    states,
    priorities,
    ticket_types,
    queues,
    reference_version,
    ticket_counters,
    tickets,
    articles,
    article_bodies,
    blobs,
    attachments,
    ticket_watchers,
    history,
    idempotency_keys,
    queue_counts,
    jobs,
    mail_accounts,
    mail_messages,
    mail_raw,
    postmaster_filters,
    queue_mail_settings,
    article_deliveries,
    mail_auto_answers,
    saved_searches,
    calendars,
    slas,
    services,
    queue_slas,
    ticket_sla,
    ticket_state_log,
    sla_marks,
    reminders,
    notification_rules,
    notification_preferences,
    notification_templates,
    notifications,
    event_cursors,
    ticket_presence,
    presence_events,
    audit_log,
    sessions,
    user_totp,
    recovery_codes,
    ticket_links,
    queue_relation_settings,
    bulk_runs,
    ticket_reads,
    kb_categories,
    kb_articles,
    kb_article_versions,
    kb_article_history,
    kb_attachments,
    kb_votes,
    kb_anonymous_votes,
    text_modules,
    text_module_queues,
    reply_templates,
    custom_fields,
    custom_field_options,
    custom_field_values,
    webhooks,
    webhook_deliveries,
    saved_reports,
    account_tokens,
);
