//! The `tickets` table: the hot row of a ticket, its list query (filters, sorts, keyset
//! pagination), optimistic versioning, number counters and per-queue counts.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use vakt_domain::sort;
use vakt_domain::ticket::StateType;

use crate::connection::DbConnection;
use crate::schema::{ticket_counters, tickets, users};

/// A stored ticket.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = tickets)]
pub struct TicketRow {
    /// Id.
    pub id: i64,
    /// Public number.
    pub number: String,
    /// Title.
    pub title: String,
    /// Queue.
    pub queue_id: i64,
    /// State.
    pub state_id: i64,
    /// The state's type (copied).
    pub state_type: String,
    /// Priority (= level).
    pub priority_id: i64,
    /// Type.
    pub type_id: Option<i64>,
    /// Owner (locked when set).
    pub owner_id: Option<i64>,
    /// Responsible agent.
    pub responsible_id: Option<i64>,
    /// Customer user.
    pub customer_id: Option<i64>,
    /// Customer company.
    pub company_id: Option<i64>,
    /// Who created it.
    pub created_by: Option<i64>,
    /// When a pending state ends.
    pub pending_until: Option<NaiveDateTime>,
    /// Minutes of work recorded.
    pub time_accounted_minutes: i64,
    /// Number of articles.
    pub article_count: i64,
    /// Optimistic-concurrency version (the ETag).
    pub version: i64,
    /// Created at.
    pub created_at: NaiveDateTime,
    /// Last change.
    pub updated_at: NaiveDateTime,
    /// When it entered a finished state.
    pub closed_at: Option<NaiveDateTime>,
    /// Service.
    pub service_id: Option<i64>,
    /// The SLA in force (the service's, else the queue's default).
    pub sla_id: Option<i64>,
    /// The earliest deadline of a running SLA clock (escalated from then on).
    pub escalation_at: Option<NaiveDateTime>,
    /// The ticket this one was merged into.
    pub merged_into_id: Option<i64>,
}

/// A ticket to insert.
#[derive(Debug, Insertable)]
#[diesel(table_name = tickets)]
pub struct NewTicket<'a> {
    /// Public number.
    pub number: &'a str,
    /// Title.
    pub title: &'a str,
    /// Queue.
    pub queue_id: i64,
    /// State.
    pub state_id: i64,
    /// The state's type.
    pub state_type: &'a str,
    /// Priority.
    pub priority_id: i64,
    /// Type.
    pub type_id: Option<i64>,
    /// Owner.
    pub owner_id: Option<i64>,
    /// Responsible.
    pub responsible_id: Option<i64>,
    /// Customer.
    pub customer_id: Option<i64>,
    /// Company.
    pub company_id: Option<i64>,
    /// Creator.
    pub created_by: Option<i64>,
    /// Pending time.
    pub pending_until: Option<NaiveDateTime>,
    /// Minutes.
    pub time_accounted_minutes: i64,
    /// Articles stored with it (the first article is inserted in the same transaction).
    pub article_count: i64,
    /// Service.
    pub service_id: Option<i64>,
    /// Created at.
    pub created_at: NaiveDateTime,
    /// Same as created at.
    pub updated_at: NaiveDateTime,
    /// Set when created finished.
    pub closed_at: Option<NaiveDateTime>,
}

/// Columns to change; `None` leaves a column alone, `Some(None)` clears a nullable one.
#[derive(Debug, Default, Clone, AsChangeset)]
#[diesel(table_name = tickets)]
pub struct TicketChanges {
    /// Title.
    pub title: Option<String>,
    /// Queue.
    pub queue_id: Option<i64>,
    /// State.
    pub state_id: Option<i64>,
    /// State type.
    pub state_type: Option<String>,
    /// Priority.
    pub priority_id: Option<i64>,
    /// Type.
    pub type_id: Option<Option<i64>>,
    /// Owner.
    pub owner_id: Option<Option<i64>>,
    /// Responsible.
    pub responsible_id: Option<Option<i64>>,
    /// Customer.
    pub customer_id: Option<Option<i64>>,
    /// Company.
    pub company_id: Option<Option<i64>>,
    /// Pending time.
    pub pending_until: Option<Option<NaiveDateTime>>,
    /// Minutes.
    pub time_accounted_minutes: Option<i64>,
    /// Article count.
    pub article_count: Option<i64>,
    /// Closed at.
    pub closed_at: Option<Option<NaiveDateTime>>,
    /// Service.
    pub service_id: Option<Option<i64>>,
    /// The ticket it was merged into.
    pub merged_into_id: Option<Option<i64>>,
    /// Always set.
    pub updated_at: Option<NaiveDateTime>,
}

/// The list's sort keys of a ticket row ([`vakt_domain::sort`]): written here, with the change
/// they derive from, and never by callers.
#[derive(Debug, Clone, PartialEq, Eq, Default, Queryable, Selectable, Insertable)]
#[diesel(table_name = tickets)]
pub struct SortColumns {
    /// The title's key.
    pub title_sort: String,
    /// The state type's rank.
    pub state_sort: i64,
    /// The owner's key ('' without one).
    pub owner_sort: String,
    /// The customer's key ('' without one).
    pub customer_sort: String,
}

/// Sort keys to change along with a [`TicketChanges`].
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = tickets)]
struct SortChanges {
    title_sort: Option<String>,
    state_sort: Option<i64>,
    owner_sort: Option<String>,
    customer_sort: Option<String>,
}

type Db = <DbConnection as diesel::Connection>::Backend;

/// The rank of a stored state type (unknown types last).
pub fn state_rank(state_type: &str) -> i64 {
    StateType::parse(state_type).map_or(i64::MAX, sort::state_rank)
}

/// The sort key of a person on a ticket ('' for nobody).
fn person_key(conn: &mut DbConnection, user_id: Option<i64>) -> QueryResult<String> {
    let Some(id) = user_id else {
        return Ok(String::new());
    };
    let person: Option<(String, String)> = users::table
        .find(id)
        .select((users::name, users::email))
        .first(conn)
        .optional()?;
    Ok(person.map_or_else(String::new, |(name, email)| sort::person_key(&name, &email)))
}

/// Inserts a ticket with its sort keys; returns the stored row.
pub fn insert(conn: &mut DbConnection, new: &NewTicket<'_>) -> QueryResult<TicketRow> {
    let keys = SortColumns {
        title_sort: sort::text_key(new.title),
        state_sort: state_rank(new.state_type),
        owner_sort: person_key(conn, new.owner_id)?,
        customer_sort: person_key(conn, new.customer_id)?,
    };
    diesel::insert_into(tickets::table)
        .values((new, &keys))
        // The column tuple itself: `as_returning()` does not compile for the multi-backend
        // connection.
        .returning(<TicketRow as Selectable<diesel::pg::Pg>>::construct_selection())
        .get_result(conn)
}

/// Refreshes the sort keys of the tickets a user owns or is the customer of, after their name
/// or address changed (in the caller's transaction; only rows whose key differs are written).
pub fn refresh_person_keys(conn: &mut DbConnection, user_id: i64, key: &str) -> QueryResult<()> {
    diesel::update(
        tickets::table
            .filter(tickets::owner_id.eq(user_id))
            .filter(tickets::owner_sort.ne(key)),
    )
    .set(tickets::owner_sort.eq(key))
    .execute(conn)?;
    diesel::update(
        tickets::table
            .filter(tickets::customer_id.eq(user_id))
            .filter(tickets::customer_sort.ne(key)),
    )
    .set(tickets::customer_sort.eq(key))
    .execute(conn)?;
    Ok(())
}

/// The ticket with `id`.
pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<TicketRow>> {
    tickets::table
        .find(id)
        .select(TicketRow::as_select())
        .first(conn)
        .optional()
}

/// The ticket with `id`, locked for update on PostgreSQL (SQLite: the write transaction
/// already holds the database lock).
pub fn find_for_update(conn: &mut DbConnection, id: i64) -> QueryResult<Option<TicketRow>> {
    match conn {
        DbConnection::Postgresql(pg) => tickets::table
            .find(id)
            .select(TicketRow::as_select())
            .for_update()
            .first(pg)
            .optional(),
        DbConnection::Sqlite(_) => find(conn, id),
    }
}

/// The tickets with these ids (any order; unknown ids skipped).
pub fn find_many(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<TicketRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    tickets::table
        .filter(tickets::id.eq_any(ids.to_vec()))
        .select(TicketRow::as_select())
        .load(conn)
}

/// The ticket with this number.
pub fn find_by_number(conn: &mut DbConnection, number: &str) -> QueryResult<Option<TicketRow>> {
    tickets::table
        .filter(tickets::number.eq(number))
        .select(TicketRow::as_select())
        .first(conn)
        .optional()
}

/// Applies `changes` (and the sort keys that follow from them) and bumps the version; returns
/// the new row.
pub fn update(conn: &mut DbConnection, id: i64, changes: &TicketChanges) -> QueryResult<TicketRow> {
    let keys = SortChanges {
        title_sort: changes.title.as_deref().map(sort::text_key),
        state_sort: changes.state_type.as_deref().map(state_rank),
        owner_sort: changes
            .owner_id
            .map(|owner| person_key(conn, owner))
            .transpose()?,
        customer_sort: changes
            .customer_id
            .map(|customer| person_key(conn, customer))
            .transpose()?,
    };
    diesel::update(tickets::table.find(id))
        .set((changes, keys, tickets::version.eq(tickets::version + 1)))
        // The row's columns (not `as_returning`, which the multi-backend connection cannot
        // render), without the sort keys.
        .returning(<TicketRow as Selectable<Db>>::construct_selection())
        .get_result(conn)
}

/// Draws the next value of a number counter, in a short transaction of its own that does not
/// wait for a disk flush: concurrent creators hold the counter row only for a moment. A number
/// drawn by a ticket that never commits is skipped, never reused: the ticket's own
/// (synchronous) commit flushes this draw first, and a draw lost in a crash belonged to no
/// committed ticket.
pub fn next_counter(conn: &mut DbConnection, key: &str) -> QueryResult<i64> {
    #[derive(QueryableByName)]
    struct Value {
        #[diesel(sql_type = BigInt)]
        value: i64,
    }
    let sql = "INSERT INTO ticket_counters (counter_key, value) VALUES ($1, 1) \
               ON CONFLICT (counter_key) DO UPDATE SET value = ticket_counters.value + 1 \
               RETURNING value";
    let value: Value = match conn {
        // One statement, its own transaction, committed without waiting for the log flush
        // (`set_config(…, true)` lasts until that implicit transaction ends): the counter row
        // is locked only for the statement, and the caller's synchronous commit that follows
        // before anyone sees the number flushes this too.
        DbConnection::Postgresql(pg) => diesel::sql_query(format!(
            "WITH next AS ({sql}), deferred AS (SELECT set_config('synchronous_commit', 'off', true)) \
             SELECT next.value FROM next, deferred"
        ))
        .bind::<Text, _>(key)
        .get_result(pg)?,
        DbConnection::Sqlite(sqlite) => diesel::sql_query(sql.replace("$1", "?"))
            .bind::<Text, _>(key)
            .get_result(sqlite)?,
    };
    Ok(value.value)
}

/// Every number counter and its value.
pub fn all_counters(conn: &mut DbConnection) -> QueryResult<Vec<(String, i64)>> {
    ticket_counters::table
        .select((ticket_counters::counter_key, ticket_counters::value))
        .load(conn)
}

/// The current value of a counter (0 when unused).
pub fn counter_value(conn: &mut DbConnection, key: &str) -> QueryResult<i64> {
    Ok(ticket_counters::table
        .find(key)
        .select(ticket_counters::value)
        .first(conn)
        .optional()?
        .unwrap_or(0))
}

/// Slots a count is spread over.
pub const COUNT_SLOTS: i16 = 16;

/// Adds `delta` to the count of (`queue_id`, `state_type`), in a random slot so that
/// concurrent transactions rarely touch the same row.
pub fn add_to_count(
    conn: &mut DbConnection,
    queue_id: i64,
    state_type: &str,
    delta: i64,
) -> QueryResult<()> {
    if delta == 0 {
        return Ok(());
    }
    let slot = i16::from(rand::random::<u8>()) % COUNT_SLOTS;
    let sql = "INSERT INTO queue_counts (queue_id, state_type, slot, ticket_count) VALUES ($1, $2, $3, $4) \
               ON CONFLICT (queue_id, state_type, slot) DO UPDATE SET ticket_count = queue_counts.ticket_count + $4";
    match conn {
        DbConnection::Postgresql(pg) => diesel::sql_query(sql)
            .bind::<BigInt, _>(queue_id)
            .bind::<Text, _>(state_type)
            .bind::<diesel::sql_types::SmallInt, _>(slot)
            .bind::<BigInt, _>(delta)
            .execute(pg)?,
        DbConnection::Sqlite(sqlite) => diesel::sql_query(
            "INSERT INTO queue_counts (queue_id, state_type, slot, ticket_count) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (queue_id, state_type, slot) DO UPDATE SET ticket_count = queue_counts.ticket_count + ?4",
        )
        .bind::<BigInt, _>(queue_id)
        .bind::<Text, _>(state_type)
        .bind::<diesel::sql_types::SmallInt, _>(slot)
        .bind::<BigInt, _>(delta)
        .execute(sqlite)?,
    };
    Ok(())
}

/// Moves one ticket's weight in the counters from (queue, type) to (queue, type), touching the
/// two rows in a fixed order so that concurrent moves cannot deadlock.
pub fn move_count(
    conn: &mut DbConnection,
    from: Option<(i64, &str)>,
    to: Option<(i64, &str)>,
) -> QueryResult<()> {
    if from == to {
        return Ok(());
    }
    let mut changes: Vec<((i64, &str), i64)> = Vec::new();
    if let Some(f) = from {
        changes.push((f, -1));
    }
    if let Some(t) = to {
        changes.push((t, 1));
    }
    changes.sort_by(|a, b| a.0.cmp(&b.0));
    for ((queue, state_type), delta) in changes {
        add_to_count(conn, queue, state_type, delta)?;
    }
    Ok(())
}

/// Counts by (queue, state type) for the given queues (`None`: all queues), slots summed.
pub fn counts(
    conn: &mut DbConnection,
    queue_ids: Option<&[i64]>,
) -> QueryResult<Vec<(i64, String, i64)>> {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        queue_id: i64,
        #[diesel(sql_type = Text)]
        state_type: String,
        #[diesel(sql_type = BigInt)]
        total: i64,
    }
    let filter = match queue_ids {
        None => String::new(),
        Some([]) => return Ok(Vec::new()),
        Some(ids) => format!(
            "WHERE queue_id IN ({})",
            ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
        ),
    };
    let sql = format!(
        "SELECT queue_id, state_type, CAST(SUM(ticket_count) AS BIGINT) AS total FROM queue_counts {filter} \
         GROUP BY queue_id, state_type"
    );
    let rows: Vec<Count> = match conn {
        DbConnection::Postgresql(pg) => diesel::sql_query(sql).load(pg)?,
        DbConnection::Sqlite(sqlite) => diesel::sql_query(sql).load(sqlite)?,
    };
    Ok(rows
        .into_iter()
        .map(|c| (c.queue_id, c.state_type, c.total))
        .collect())
}

/// Recomputes every queue count from the tickets (after bulk loads; repairs drift).
pub fn recount(conn: &mut DbConnection) -> QueryResult<()> {
    use diesel::connection::SimpleConnection;
    conn.batch_execute(
        "DELETE FROM queue_counts;
         INSERT INTO queue_counts (queue_id, state_type, slot, ticket_count)
         SELECT queue_id, state_type, 0, COUNT(*) FROM tickets GROUP BY queue_id, state_type;",
    )
}
