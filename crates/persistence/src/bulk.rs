//! Bulk loading for `vakt seed` and imports: explicit ids reserved up front, rows written with
//! binary `COPY` on PostgreSQL and chunked multi-row `INSERT`s on SQLite. Nothing here checks
//! rights or writes history; callers are trusted maintenance commands.

use chrono::NaiveDateTime;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use crate::connection::DbConnection;
use crate::schema::{
    article_bodies, articles, customer_companies, group_members, history, tickets, users,
};

/// Rows per SQLite statement (SQLite allows 32,766 bound values per statement).
const SQLITE_CHUNK: usize = 500;

/// A ticket row with its id.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = tickets, treat_none_as_default_value = false)]
#[expect(
    missing_docs,
    reason = "the fields are the columns, documented in schema.rs"
)]
pub struct BulkTicket {
    pub id: i64,
    pub number: String,
    pub title: String,
    pub queue_id: i64,
    pub state_id: i64,
    pub state_type: String,
    pub priority_id: i64,
    pub type_id: Option<i64>,
    pub owner_id: Option<i64>,
    pub responsible_id: Option<i64>,
    pub customer_id: Option<i64>,
    pub company_id: Option<i64>,
    pub created_by: Option<i64>,
    pub pending_until: Option<NaiveDateTime>,
    pub time_accounted_minutes: i64,
    pub article_count: i64,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
    pub title_sort: String,
    pub state_sort: i64,
    pub owner_sort: String,
    pub customer_sort: String,
}

/// An article row with its id.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = articles, treat_none_as_default_value = false)]
#[expect(
    missing_docs,
    reason = "the fields are the columns, documented in schema.rs"
)]
pub struct BulkArticle {
    pub id: i64,
    pub ticket_id: i64,
    pub sender_type: String,
    pub channel: String,
    pub customer_visible: bool,
    pub author_id: Option<i64>,
    pub from_address: Option<String>,
    pub to_addresses: Option<String>,
    pub cc_addresses: Option<String>,
    pub subject: String,
    pub message_id: Option<String>,
    pub in_reply_to: Option<String>,
    pub time_accounted_minutes: i64,
    pub attachment_count: i64,
    pub created_at: NaiveDateTime,
}

/// An article body.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = article_bodies, treat_none_as_default_value = false)]
#[expect(
    missing_docs,
    reason = "the fields are the columns, documented in schema.rs"
)]
pub struct BulkBody {
    pub article_id: i64,
    pub body_text: String,
    pub body_html: Option<String>,
}

/// A history row.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = history, treat_none_as_default_value = false)]
#[expect(
    missing_docs,
    reason = "the fields are the columns, documented in schema.rs"
)]
pub struct BulkHistory {
    pub ticket_id: i64,
    pub actor_id: Option<i64>,
    pub kind: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub article_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

/// A user row with its id.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = users, treat_none_as_default_value = false)]
#[expect(
    missing_docs,
    reason = "the fields are the columns, documented in schema.rs"
)]
pub struct BulkUser {
    pub id: i64,
    pub kind: String,
    pub email: String,
    pub name: String,
    pub password_hash: Option<String>,
    pub is_admin: bool,
    pub active: bool,
    pub language: Option<String>,
    pub time_zone: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub company_id: Option<i64>,
    pub sees_company_tickets: bool,
    pub login: Option<String>,
}

/// A company row with its id.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = customer_companies, treat_none_as_default_value = false)]
#[expect(
    missing_docs,
    reason = "the fields are the columns, documented in schema.rs"
)]
pub struct BulkCompany {
    pub id: i64,
    pub name: String,
    pub email_domain: Option<String>,
    pub notes: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A direct grant.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = group_members, treat_none_as_default_value = false)]
#[expect(
    missing_docs,
    reason = "the fields are the columns, documented in schema.rs"
)]
pub struct BulkMember {
    pub user_id: i64,
    pub group_id: i64,
    pub rights: i64,
    pub queue_manager: bool,
}

/// Reserves `count` consecutive ids of `table` and returns the first. Later ordinary inserts
/// get ids after the reserved range.
pub fn reserve_ids(conn: &mut DbConnection, table: &str, count: i64) -> QueryResult<i64> {
    #[derive(QueryableByName)]
    struct Value {
        #[diesel(sql_type = BigInt)]
        value: i64,
    }
    match conn {
        DbConnection::Postgresql(pg) => {
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                 GREATEST((SELECT COALESCE(MAX(id), 0) FROM {table}), \
                          (SELECT last_value FROM {seq}) ) + {count}) AS value",
                seq = sequence_name(pg, table)?
            );
            let end: Value = diesel::sql_query(sql).get_result(pg)?;
            Ok(end.value - count + 1)
        }
        DbConnection::Sqlite(sqlite) => {
            let max: Value = diesel::sql_query(format!(
                "SELECT MAX(COALESCE((SELECT MAX(id) FROM {table}), 0), \
                 COALESCE((SELECT seq FROM sqlite_sequence WHERE name = '{table}'), 0)) AS value"
            ))
            .get_result(sqlite)?;
            // AUTOINCREMENT never hands out ids at or below sqlite_sequence.seq: record the range.
            let end = max.value + count;
            sqlite.batch_execute(&format!(
                "UPDATE sqlite_sequence SET seq = {end} WHERE name = '{table}'; \
                 INSERT INTO sqlite_sequence (name, seq) SELECT '{table}', {end} \
                 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = '{table}');"
            ))?;
            Ok(max.value + 1)
        }
    }
}

fn sequence_name(pg: &mut diesel::PgConnection, table: &str) -> QueryResult<String> {
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    let name: Name = diesel::sql_query(format!(
        "SELECT pg_get_serial_sequence('{table}', 'id') AS name"
    ))
    .get_result(pg)?;
    Ok(name.name)
}

macro_rules! bulk_insert {
    ($name:ident, $row:ty, $table:ident) => {
        /// Writes the rows (binary COPY on PostgreSQL, chunked INSERTs on SQLite).
        pub fn $name(conn: &mut DbConnection, rows: &[$row]) -> QueryResult<usize> {
            if rows.is_empty() {
                return Ok(0);
            }
            match conn {
                DbConnection::Postgresql(pg) => diesel::copy_from($table::table)
                    .from_insertable(rows)
                    .execute(pg),
                DbConnection::Sqlite(sqlite) => {
                    let mut written = 0;
                    for chunk in rows.chunks(SQLITE_CHUNK) {
                        written += diesel::insert_into($table::table)
                            .values(chunk)
                            .execute(sqlite)?;
                    }
                    Ok(written)
                }
            }
        }
    };
}

bulk_insert!(insert_tickets, BulkTicket, tickets);
bulk_insert!(insert_articles, BulkArticle, articles);
bulk_insert!(insert_bodies, BulkBody, article_bodies);
bulk_insert!(insert_history, BulkHistory, history);
bulk_insert!(insert_users, BulkUser, users);
bulk_insert!(insert_companies, BulkCompany, customer_companies);
bulk_insert!(insert_members, BulkMember, group_members);

/// Makes the database fast for a bulk load in this session (PostgreSQL: no waiting for WAL
/// flushes; a crash loses at most the last moments of the load, never consistency).
pub fn prepare_session(conn: &mut DbConnection) -> QueryResult<()> {
    match conn {
        DbConnection::Postgresql(pg) => pg.batch_execute("SET synchronous_commit = off"),
        DbConnection::Sqlite(sqlite) => sqlite.batch_execute("PRAGMA synchronous = OFF"),
    }
}

/// Raises the number counters to at least the given values (after loading numbered tickets).
pub fn raise_counters(conn: &mut DbConnection, counters: &[(String, i64)]) -> QueryResult<()> {
    for (key, value) in counters {
        let sql = "INSERT INTO ticket_counters (counter_key, value) VALUES ($1, $2) \
                   ON CONFLICT (counter_key) DO UPDATE SET value = \
                   CASE WHEN ticket_counters.value > excluded.value THEN ticket_counters.value ELSE excluded.value END";
        match conn {
            DbConnection::Postgresql(pg) => diesel::sql_query(sql)
                .bind::<diesel::sql_types::Text, _>(key)
                .bind::<BigInt, _>(value)
                .execute(pg)?,
            DbConnection::Sqlite(sqlite) => {
                diesel::sql_query(sql.replace("$1", "?1").replace("$2", "?2"))
                    .bind::<diesel::sql_types::Text, _>(key)
                    .bind::<BigInt, _>(value)
                    .execute(sqlite)?
            }
        };
    }
    Ok(())
}

/// Refreshes the planner's statistics after a bulk load.
pub fn analyze(conn: &mut DbConnection) -> QueryResult<()> {
    conn.batch_execute("ANALYZE")
}

/// How [`fill_ticket_field`] derives a ticket's value from its id: deterministic, so that a
/// benchmark knows how many tickets have which value.
#[derive(Debug, Clone, Copy)]
pub enum SeededValue<'a> {
    /// A dropdown: the first option whose bound (per mille) is above `(id * 389) % 1000` (a
    /// permutation of each thousand ids, so the shares hold for any range of consecutive ids).
    Option(&'a [(&'a str, i64)]),
    /// An integer, `1 + (id * 7919) % modulus`.
    Integer {
        /// Values are 1 to `modulus`.
        modulus: i64,
    },
    /// A date, `from` plus `(id * 31) % days` days (midnight UTC, as dates are stored).
    Date {
        /// The earliest date.
        from: chrono::NaiveDate,
        /// How many days the dates spread over.
        days: i64,
    },
}

/// Gives the ticket field `field_id` a value on the tickets with ids in `from..=to` that have
/// none yet, on `per_mille` of them (those with `(id * 13) % 1000 < per_mille`), in one
/// `INSERT … SELECT` (nothing crosses the wire but the statement). Returns the rows written.
pub fn fill_ticket_field(
    conn: &mut DbConnection,
    field_id: i64,
    value: SeededValue<'_>,
    per_mille: i64,
    (from, to): (i64, i64),
) -> QueryResult<usize> {
    let postgres = matches!(conn, DbConnection::Postgresql(_));
    let (column, expression) = match value {
        SeededValue::Option(options) => {
            let mut case = String::from("CASE");
            for (option, bound) in options {
                case.push_str(&format!(
                    " WHEN (t.id * 389) % 1000 < {bound} THEN '{}'",
                    option.replace('\'', "''")
                ));
            }
            case.push_str(" END");
            ("value_text", case)
        }
        SeededValue::Integer { modulus } => (
            "value_int",
            format!("1 + (t.id * 7919) % {}", modulus.max(1)),
        ),
        SeededValue::Date { from, days } => {
            let from = from.format("%Y-%m-%d");
            let days = days.max(1);
            let expression = if postgres {
                format!("TIMESTAMP '{from}' + ((t.id * 31) % {days}) * INTERVAL '1 day'")
            } else {
                format!("datetime('{from}', '+' || ((t.id * 31) % {days}) || ' days')")
            };
            ("value_time", expression)
        }
    };
    let sql = format!(
        "INSERT INTO custom_field_values (field_id, object_id, {column}) \
         SELECT {field_id}, t.id, {expression} FROM tickets t \
         WHERE t.id BETWEEN {from} AND {to} AND (t.id * 13) % 1000 < {per_mille} \
         AND NOT EXISTS (SELECT 1 FROM custom_field_values v \
                         WHERE v.object_id = t.id AND v.field_id = {field_id})"
    );
    match conn {
        DbConnection::Postgresql(pg) => diesel::sql_query(sql).execute(pg),
        DbConnection::Sqlite(sqlite) => diesel::sql_query(sql).execute(sqlite),
    }
}

/// Refreshes the planner's statistics of the custom field values (after filling them).
pub fn analyze_custom_field_values(conn: &mut DbConnection) -> QueryResult<()> {
    conn.batch_execute("ANALYZE custom_field_values")
}
