//! The time side of tickets: the `ticket_sla` row (SLA facts, stored deadlines, the next
//! escalation check, the pending reminder), the state-type log, the warning/breach marks, the
//! SLA columns of `tickets`, and the scans of the SLA jobs.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Timestamp};

use crate::connection::DbConnection;
use crate::schema::{articles, sla_marks, ticket_sla, ticket_state_log, tickets};
use crate::unique_violation;

/// One ticket's SLA facts and stored deadlines.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = ticket_sla, treat_none_as_null = true)]
pub struct TicketSlaRow {
    /// Ticket.
    pub ticket_id: i64,
    /// The first agent article sent to the customer.
    pub first_agent_response_at: Option<NaiveDateTime>,
    /// The latest customer article.
    pub last_customer_contact_at: Option<NaiveDateTime>,
    /// The latest agent article sent to the customer.
    pub last_agent_response_at: Option<NaiveDateTime>,
    /// Deadline of the first response (running clocks only).
    pub first_response_due_at: Option<NaiveDateTime>,
    /// Deadline of the update.
    pub update_due_at: Option<NaiveDateTime>,
    /// Deadline of the solution.
    pub solution_due_at: Option<NaiveDateTime>,
    /// The earliest warning time of a clock that has not stopped.
    pub escalation_warning_at: Option<NaiveDateTime>,
    /// When the escalation check next has a warning or breach to record.
    pub check_at: Option<NaiveDateTime>,
    /// When a pending reminder is due and not yet recorded.
    pub reminder_due_at: Option<NaiveDateTime>,
    /// Last written.
    pub updated_at: NaiveDateTime,
}

impl TicketSlaRow {
    /// A row without facts or deadlines.
    pub fn empty(ticket_id: i64, now: NaiveDateTime) -> Self {
        Self {
            ticket_id,
            first_agent_response_at: None,
            last_customer_contact_at: None,
            last_agent_response_at: None,
            first_response_due_at: None,
            update_due_at: None,
            solution_due_at: None,
            escalation_warning_at: None,
            check_at: None,
            reminder_due_at: None,
            updated_at: now,
        }
    }
}

/// The row of one ticket.
pub fn find(conn: &mut DbConnection, ticket_id: i64) -> QueryResult<Option<TicketSlaRow>> {
    ticket_sla::table
        .find(ticket_id)
        .select(TicketSlaRow::as_select())
        .first(conn)
        .optional()
}

/// The rows of several tickets (missing ones are left out).
pub fn find_many(conn: &mut DbConnection, ticket_ids: &[i64]) -> QueryResult<Vec<TicketSlaRow>> {
    if ticket_ids.is_empty() {
        return Ok(Vec::new());
    }
    ticket_sla::table
        .filter(ticket_sla::ticket_id.eq_any(ticket_ids))
        .select(TicketSlaRow::as_select())
        .load(conn)
}

/// The earliest warning times of several tickets' running clocks, for lists (tickets without
/// one are left out).
pub fn warning_times(
    conn: &mut DbConnection,
    ticket_ids: &[i64],
) -> QueryResult<Vec<(i64, NaiveDateTime)>> {
    if ticket_ids.is_empty() {
        return Ok(Vec::new());
    }
    ticket_sla::table
        .filter(ticket_sla::ticket_id.eq_any(ticket_ids))
        .filter(ticket_sla::escalation_warning_at.is_not_null())
        .select((
            ticket_sla::ticket_id,
            ticket_sla::escalation_warning_at.assume_not_null(),
        ))
        .load(conn)
}

/// Inserts the row of a ticket created in the caller's transaction (no row can exist yet).
pub fn insert(conn: &mut DbConnection, row: &TicketSlaRow) -> QueryResult<()> {
    diesel::insert_into(ticket_sla::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// Writes a ticket's row (insert or replace). Call with the ticket row locked.
pub fn save(conn: &mut DbConnection, row: &TicketSlaRow) -> QueryResult<()> {
    let updated = diesel::update(ticket_sla::table.find(row.ticket_id))
        .set(row)
        .execute(conn)?;
    if updated == 0 {
        // Under a savepoint, so that a concurrent first insert cannot abort the caller.
        match conn.transaction(|conn| {
            diesel::insert_into(ticket_sla::table)
                .values(row)
                .execute(conn)
        }) {
            Ok(_) => {}
            Err(error) if unique_violation(&error).is_some() => {
                diesel::update(ticket_sla::table.find(row.ticket_id))
                    .set(row)
                    .execute(conn)?;
            }
            Err(error) => return Err(error),
        }
    }
    Ok(())
}

/// What a ticket's articles say about responses, for tickets without a `ticket_sla` row yet
/// (tickets created before SLAs existed, or bulk-loaded ones).
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct ArticleFacts {
    /// Ticket.
    #[diesel(sql_type = BigInt)]
    pub ticket_id: i64,
    /// First customer-visible agent article.
    #[diesel(sql_type = Nullable<Timestamp>)]
    pub first_agent: Option<NaiveDateTime>,
    /// Latest customer article.
    #[diesel(sql_type = Nullable<Timestamp>)]
    pub last_customer: Option<NaiveDateTime>,
    /// Latest customer-visible agent article.
    #[diesel(sql_type = Nullable<Timestamp>)]
    pub last_agent: Option<NaiveDateTime>,
}

/// Derives the response facts of `ticket_ids` from their articles (one grouped query).
pub fn article_facts(
    conn: &mut DbConnection,
    ticket_ids: &[i64],
) -> QueryResult<Vec<ArticleFacts>> {
    if ticket_ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = ticket_ids.iter().map(i64::to_string).collect();
    // The ids are integers formatted here, never user text.
    let sql = format!(
        "SELECT ticket_id, \
           MIN(CASE WHEN sender_type = 'agent' AND customer_visible THEN created_at END) AS first_agent, \
           MAX(CASE WHEN sender_type = 'customer' THEN created_at END) AS last_customer, \
           MAX(CASE WHEN sender_type = 'agent' AND customer_visible THEN created_at END) AS last_agent \
         FROM articles WHERE ticket_id IN ({}) GROUP BY ticket_id",
        ids.join(",")
    );
    match conn {
        DbConnection::Postgresql(pg) => diesel::sql_query(sql).load(pg),
        DbConnection::Sqlite(sqlite) => diesel::sql_query(sql).load(sqlite),
    }
}

/// Whether a ticket has any article at all (a ticket being created has none yet).
pub fn has_articles(conn: &mut DbConnection, ticket_id: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        articles::table.filter(articles::ticket_id.eq(ticket_id)),
    ))
    .get_result(conn)
}

/// One entry of the state-type log.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = ticket_state_log)]
pub struct StateLogRow {
    /// Id (order of entry).
    pub id: i64,
    /// Ticket.
    pub ticket_id: i64,
    /// The state type entered.
    pub state_type: String,
    /// When.
    pub since: NaiveDateTime,
}

/// Appends a state-type change.
pub fn log_state(
    conn: &mut DbConnection,
    ticket_id: i64,
    state_type: &str,
    since: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(ticket_state_log::table)
        .values((
            ticket_state_log::ticket_id.eq(ticket_id),
            ticket_state_log::state_type.eq(state_type),
            ticket_state_log::since.eq(since),
        ))
        .execute(conn)?;
    Ok(())
}

/// The state-type logs of several tickets, each in order of entry.
pub fn state_logs(conn: &mut DbConnection, ticket_ids: &[i64]) -> QueryResult<Vec<StateLogRow>> {
    if ticket_ids.is_empty() {
        return Ok(Vec::new());
    }
    ticket_state_log::table
        .filter(ticket_state_log::ticket_id.eq_any(ticket_ids))
        .order((ticket_state_log::ticket_id, ticket_state_log::id))
        .select(StateLogRow::as_select())
        .load(conn)
}

/// A recorded warning or breach.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = sla_marks)]
pub struct MarkRow {
    /// Ticket.
    pub ticket_id: i64,
    /// `first_response`, `update` or `solution`.
    pub target: String,
    /// `warning` or `breach`.
    pub kind: String,
    /// When the clock run started (identifies the run).
    pub clock_started_at: NaiveDateTime,
    /// The deadline it was recorded for.
    pub due_at: NaiveDateTime,
    /// When it was recorded.
    pub recorded_at: NaiveDateTime,
}

/// The marks of several tickets.
pub fn marks(conn: &mut DbConnection, ticket_ids: &[i64]) -> QueryResult<Vec<MarkRow>> {
    if ticket_ids.is_empty() {
        return Ok(Vec::new());
    }
    sla_marks::table
        .filter(sla_marks::ticket_id.eq_any(ticket_ids))
        .select(MarkRow::as_select())
        .load(conn)
}

/// Records a mark; false when it was recorded before (the key is unique).
pub fn add_mark(conn: &mut DbConnection, mark: &MarkRow) -> QueryResult<bool> {
    match conn.transaction(|conn| {
        diesel::insert_into(sla_marks::table)
            .values(mark)
            .execute(conn)
    }) {
        Ok(_) => Ok(true),
        Err(error) if unique_violation(&error).is_some() => Ok(false),
        Err(error) => Err(error),
    }
}

/// Sets the SLA in force and the escalation time of a ticket (derived values: the version,
/// which guards agents' edits, is left alone).
pub fn set_ticket_sla(
    conn: &mut DbConnection,
    ticket_id: i64,
    sla_id: Option<i64>,
    escalation_at: Option<NaiveDateTime>,
) -> QueryResult<()> {
    diesel::update(tickets::table.find(ticket_id))
        .set((
            tickets::sla_id.eq(sla_id),
            tickets::escalation_at.eq(escalation_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Tickets whose escalation check is due, earliest first.
pub fn due_checks(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<i64>> {
    ticket_sla::table
        .filter(ticket_sla::check_at.le(now))
        .order(ticket_sla::check_at.asc())
        .select(ticket_sla::ticket_id)
        .limit(limit)
        .load(conn)
}

/// Tickets whose pending reminder is due and not yet recorded, earliest first.
pub fn due_reminders(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<i64>> {
    ticket_sla::table
        .filter(ticket_sla::reminder_due_at.le(now))
        .order(ticket_sla::reminder_due_at.asc())
        .select(ticket_sla::ticket_id)
        .limit(limit)
        .load(conn)
}

/// Tickets in a state of `state_type` whose pending time has come, earliest first.
pub fn due_pending(
    conn: &mut DbConnection,
    state_type: &str,
    now: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<i64>> {
    tickets::table
        .filter(tickets::state_type.eq(state_type))
        .filter(tickets::pending_until.le(now))
        .order(tickets::pending_until.asc())
        .select(tickets::id)
        .limit(limit)
        .load(conn)
}

/// Locks the tickets of `ids` that nobody else holds (PostgreSQL: `FOR UPDATE SKIP LOCKED`, so
/// a job never waits for an agent's transaction; SQLite: the write transaction holds the
/// database). Returns the ids locked, ascending.
pub fn lock_tickets(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<i64>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    match conn {
        DbConnection::Postgresql(pg) => tickets::table
            .filter(tickets::id.eq_any(ids))
            .order(tickets::id.asc())
            .select(tickets::id)
            .for_update()
            .skip_locked()
            .load(pg),
        DbConnection::Sqlite(_) => tickets::table
            .filter(tickets::id.eq_any(ids))
            .order(tickets::id.asc())
            .select(tickets::id)
            .load(conn),
    }
}

/// Which tickets a recomputation covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Tickets under this SLA.
    Sla(i64),
    /// Tickets of this service.
    Service(i64),
    /// Tickets in this queue.
    Queue(i64),
    /// Every ticket.
    All,
}

/// Up to `limit` tickets of `scope` that are not finished (closed, merged, removed), by id
/// after `after_id`.
pub fn open_tickets(
    conn: &mut DbConnection,
    scope: Scope,
    after_id: i64,
    limit: i64,
) -> QueryResult<Vec<i64>> {
    let mut query = tickets::table
        .filter(tickets::id.gt(after_id))
        .filter(tickets::state_type.ne_all(["closed", "merged", "removed"]))
        .select(tickets::id)
        .order(tickets::id.asc())
        .limit(limit)
        .into_boxed();
    query = match scope {
        Scope::Sla(id) => query.filter(tickets::sla_id.eq(id)),
        Scope::Service(id) => query.filter(tickets::service_id.eq(id)),
        Scope::Queue(id) => query.filter(tickets::queue_id.eq(id)),
        Scope::All => query,
    };
    query.load(conn)
}
