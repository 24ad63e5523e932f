//! The ticket list query: who may see what, every filter of `GET /tickets`, and keyset
//! pagination on (sort column, id). The keyset condition is written as
//! `col <= v AND (col < v OR id < last)` (for descending order), which gives PostgreSQL an index
//! bound where a plain `OR` would not.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::connection::DbConnection;
use crate::repo::tickets::{SortColumns, TicketRow};
use crate::schema::tickets;

mod custom;

pub use custom::{CustomColumn, CustomCondition, CustomTest};

/// Which tickets the caller may see at all.
#[derive(Debug, Clone)]
pub enum Visibility {
    /// Administrators.
    All,
    /// Agents: tickets in these queues, or owned by / responsible to them.
    Agent {
        /// Queues whose group grants `ro`.
        queue_ids: Vec<i64>,
        /// The agent.
        user_id: i64,
    },
    /// Customers: their own tickets, and their company's when allowed.
    Customer {
        /// The customer.
        user_id: i64,
        /// Their company, when they may see its tickets.
        company_id: Option<i64>,
    },
}

/// The owner filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerFilter {
    /// Owned by this agent.
    Id(i64),
    /// Unowned (unlocked).
    Nobody,
}

/// Filters of the list (all optional, combined with AND).
#[derive(Debug, Clone, Default)]
pub struct TicketFilter {
    /// In one of these queues.
    pub queue_ids: Option<Vec<i64>>,
    /// In a state of one of these types.
    pub state_types: Option<Vec<String>>,
    /// In this state.
    pub state_id: Option<i64>,
    /// Owner.
    pub owner: Option<OwnerFilter>,
    /// Responsible agent.
    pub responsible_id: Option<i64>,
    /// Customer user.
    pub customer_id: Option<i64>,
    /// Customer company.
    pub company_id: Option<i64>,
    /// Priority levels.
    pub priority_ids: Option<Vec<i64>>,
    /// Type.
    pub type_id: Option<i64>,
    /// Of one of these types (reports).
    pub type_ids: Option<Vec<i64>>,
    /// With one of these services (reports).
    pub service_ids: Option<Vec<i64>>,
    /// Created at or after.
    pub created_after: Option<NaiveDateTime>,
    /// Created before.
    pub created_before: Option<NaiveDateTime>,
    /// Updated at or after.
    pub updated_after: Option<NaiveDateTime>,
    /// Updated before.
    pub updated_before: Option<NaiveDateTime>,
    /// Only these ticket ids.
    pub ids: Option<Vec<i64>>,
    /// A full-text condition on `tickets.id` from [`crate::search::condition`].
    pub search: Option<String>,
    /// Leave out tickets closed before this (archived).
    pub closed_since: Option<NaiveDateTime>,
    /// Escalated at this moment (`escalation_at` reached), or with `false` not escalated.
    pub escalated: Option<(bool, NaiveDateTime)>,
    /// Only tickets with an escalation time (the `escalation_at` sort lists only those).
    pub has_escalation: bool,
    /// In a pending state (reminder or auto) whose pending time is before this: due.
    pub pending_before: Option<NaiveDateTime>,
    /// Only tickets with a pending time (the `pending_until` sort lists only those).
    pub has_pending: bool,
    /// Unread (`true`) or read (`false`) by this agent.
    pub unread: Option<(bool, i64)>,
    /// Watched by this agent.
    pub watched_by: Option<i64>,
    /// Conditions on custom fields (`cf.<key>`).
    pub custom: Vec<CustomCondition>,
}

/// The state types whose tickets have a pending time.
const PENDING_TYPES: [&str; 2] = ["pending_reminder", "pending_auto"];

/// Sortable columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortField {
    /// Creation time.
    CreatedAt,
    /// Last change.
    UpdatedAt,
    /// Priority level.
    Priority,
    /// Ticket number.
    Number,
    /// Search relevance (ranked by the caller; listed here by creation, newest first).
    Relevance,
    /// The earliest deadline of a running SLA clock (tickets without one are left out).
    EscalationAt,
    /// Title, ignoring case.
    Title,
    /// State type in life-cycle order (new, open, pending …, closed, merged, removed).
    State,
    /// Owner's name, ignoring case (unowned first).
    Owner,
    /// Customer's name, ignoring case (no customer first).
    Customer,
    /// When the pending state ends (tickets without a pending time are left out).
    PendingUntil,
    /// A custom field's (smallest) value; tickets without one first ascending.
    Custom(i64, CustomColumn),
}

/// A sort order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    /// Column.
    pub field: SortField,
    /// Descending when true.
    pub descending: bool,
}

/// The position of the last row of a page: its sort value and id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SortKey {
    /// A timestamp column.
    Time(NaiveDateTime, i64),
    /// An integer column.
    Int(i64, i64),
    /// A text column.
    Text(String, i64),
    /// A decimal custom field.
    Num(f64, i64),
    /// A position in a ranked result (relevance order).
    Offset(i64),
}

impl Sort {
    /// The key of `row` (with its sort columns) under this sort.
    pub fn key_of(&self, row: &TicketRow, keys: &SortColumns) -> SortKey {
        match self.field {
            SortField::CreatedAt => SortKey::Time(row.created_at, row.id),
            SortField::UpdatedAt => SortKey::Time(row.updated_at, row.id),
            SortField::Priority => SortKey::Int(row.priority_id, row.id),
            SortField::Number => SortKey::Text(row.number.clone(), row.id),
            SortField::Relevance => SortKey::Offset(0),
            SortField::EscalationAt => SortKey::Time(row.escalation_at.unwrap_or_default(), row.id),
            SortField::Title => SortKey::Text(keys.title_sort.clone(), row.id),
            SortField::State => SortKey::Int(keys.state_sort, row.id),
            SortField::Owner => SortKey::Text(keys.owner_sort.clone(), row.id),
            SortField::Customer => SortKey::Text(keys.customer_sort.clone(), row.id),
            SortField::PendingUntil => SortKey::Time(row.pending_until.unwrap_or_default(), row.id),
            // Replaced by the field's value after loading (see `list`).
            SortField::Custom(..) => SortKey::Offset(0),
        }
    }
}

pub(crate) type Db = <DbConnection as diesel::Connection>::Backend;
pub(crate) type Boxed<'a, ST = diesel::dsl::SqlTypeOf<tickets::SqlType>> =
    tickets::BoxedQuery<'a, Db, ST>;

macro_rules! keyset {
    ($query:expr, $column:expr, $value:expr, $last:expr, $descending:expr) => {
        if $descending {
            $query.filter(
                $column
                    .le($value.clone())
                    .and($column.lt($value).or(tickets::id.lt($last))),
            )
        } else {
            $query.filter(
                $column
                    .ge($value.clone())
                    .and($column.gt($value).or(tickets::id.gt($last))),
            )
        }
    };
}

fn apply_visibility<'a, ST>(query: Boxed<'a, ST>, visibility: &Visibility) -> Boxed<'a, ST> {
    match visibility {
        Visibility::All => query,
        Visibility::Agent { queue_ids, user_id } => query.filter(
            tickets::queue_id
                .eq_any(queue_ids.clone())
                .or(tickets::owner_id.eq(*user_id))
                .or(tickets::responsible_id.eq(*user_id)),
        ),
        Visibility::Customer {
            user_id,
            company_id: Some(company),
        } => query.filter(
            tickets::customer_id
                .eq(*user_id)
                .or(tickets::company_id.eq(*company)),
        ),
        Visibility::Customer {
            user_id,
            company_id: None,
        } => query.filter(tickets::customer_id.eq(*user_id)),
    }
}

pub(crate) fn apply_filter<'a, ST>(
    mut query: Boxed<'a, ST>,
    filter: &TicketFilter,
) -> Boxed<'a, ST> {
    if let Some(ids) = &filter.queue_ids {
        query = query.filter(tickets::queue_id.eq_any(ids.clone()));
    }
    if let Some(types) = &filter.state_types {
        query = query.filter(tickets::state_type.eq_any(types.clone()));
    }
    if let Some(state) = filter.state_id {
        query = query.filter(tickets::state_id.eq(state));
    }
    match filter.owner {
        Some(OwnerFilter::Id(owner)) => query = query.filter(tickets::owner_id.eq(owner)),
        Some(OwnerFilter::Nobody) => query = query.filter(tickets::owner_id.is_null()),
        None => {}
    }
    if let Some(responsible) = filter.responsible_id {
        query = query.filter(tickets::responsible_id.eq(responsible));
    }
    if let Some(customer) = filter.customer_id {
        query = query.filter(tickets::customer_id.eq(customer));
    }
    if let Some(company) = filter.company_id {
        query = query.filter(tickets::company_id.eq(company));
    }
    if let Some(priorities) = &filter.priority_ids {
        query = query.filter(tickets::priority_id.eq_any(priorities.clone()));
    }
    if let Some(type_id) = filter.type_id {
        query = query.filter(tickets::type_id.eq(type_id));
    }
    if let Some(types) = &filter.type_ids {
        query = query.filter(tickets::type_id.eq_any(types.clone()));
    }
    if let Some(services) = &filter.service_ids {
        query = query.filter(tickets::service_id.eq_any(services.clone()));
    }
    if let Some(t) = filter.created_after {
        query = query.filter(tickets::created_at.ge(t));
    }
    if let Some(t) = filter.created_before {
        query = query.filter(tickets::created_at.lt(t));
    }
    if let Some(t) = filter.updated_after {
        query = query.filter(tickets::updated_at.ge(t));
    }
    if let Some(t) = filter.updated_before {
        query = query.filter(tickets::updated_at.lt(t));
    }
    if let Some(ids) = &filter.ids {
        query = query.filter(tickets::id.eq_any(ids.clone()));
    }
    if let Some(condition) = &filter.search {
        query = query.filter(diesel::dsl::sql::<diesel::sql_types::Bool>(condition));
    }
    match filter.escalated {
        Some((true, now)) => query = query.filter(tickets::escalation_at.le(now)),
        Some((false, now)) => {
            query = query.filter(
                tickets::escalation_at
                    .is_null()
                    .or(tickets::escalation_at.gt(now)),
            );
        }
        None => {}
    }
    if filter.has_escalation {
        query = query.filter(tickets::escalation_at.is_not_null());
    }
    if let Some(before) = filter.pending_before {
        query = query
            .filter(tickets::state_type.eq_any(PENDING_TYPES))
            .filter(tickets::pending_until.lt(before));
    }
    if filter.has_pending {
        query = query.filter(tickets::pending_until.is_not_null());
    }
    if let Some((unread, user_id)) = filter.unread {
        query = query.filter(diesel::dsl::sql::<diesel::sql_types::Bool>(
            &crate::repo::ticket_reads::unread_condition(user_id, unread),
        ));
    }
    if let Some(user_id) = filter.watched_by {
        query = query.filter(diesel::dsl::sql::<diesel::sql_types::Bool>(&format!(
            "EXISTS (SELECT 1 FROM ticket_watchers w WHERE w.user_id = {user_id} \
             AND w.ticket_id = tickets.id)"
        )));
    }
    query = custom::apply_conditions(query, &filter.custom);
    if let Some(since) = filter.closed_since {
        query = query.filter(
            tickets::closed_at
                .is_null()
                .or(tickets::closed_at.ge(since)),
        );
    }
    query
}

/// One page of tickets the caller may see, matching `filter`, in `sort` order, after `after`;
/// each with its key under `sort` (for the next cursor).
pub fn list(
    conn: &mut DbConnection,
    visibility: &Visibility,
    filter: &TicketFilter,
    sort: Sort,
    after: Option<&SortKey>,
    limit: i64,
) -> QueryResult<Vec<(TicketRow, SortKey)>> {
    let mut query = tickets::table
        .select((TicketRow::as_select(), SortColumns::as_select()))
        .into_boxed();
    query = apply_visibility(query, visibility);
    query = apply_filter(query, filter);
    let desc = sort.descending;
    if let SortField::Custom(field_id, column) = sort.field {
        query = custom::apply_sort(query, field_id, column, desc, after);
        let rows: Vec<(TicketRow, SortColumns)> = query.limit(limit).load(conn)?;
        let ids: Vec<i64> = rows.iter().map(|(row, _)| row.id).collect();
        let keys = custom::keys(conn, field_id, column, &ids)?;
        return Ok(rows
            .into_iter()
            .zip(keys)
            .map(|((row, _), (_, key))| (row, key))
            .collect());
    }
    query = match (sort.field, after) {
        (_, None) => query,
        (SortField::CreatedAt, Some(SortKey::Time(v, last))) => {
            keyset!(query, tickets::created_at, *v, *last, desc)
        }
        (SortField::UpdatedAt, Some(SortKey::Time(v, last))) => {
            keyset!(query, tickets::updated_at, *v, *last, desc)
        }
        (SortField::Priority, Some(SortKey::Int(v, last))) => {
            keyset!(query, tickets::priority_id, *v, *last, desc)
        }
        (SortField::Number, Some(SortKey::Text(v, last))) => {
            keyset!(query, tickets::number, v.clone(), *last, desc)
        }
        (SortField::EscalationAt, Some(SortKey::Time(v, last))) => {
            keyset!(query, tickets::escalation_at, *v, *last, desc)
        }
        (SortField::Title, Some(SortKey::Text(v, last))) => {
            keyset!(query, tickets::title_sort, v.clone(), *last, desc)
        }
        (SortField::State, Some(SortKey::Int(v, last))) => {
            keyset!(query, tickets::state_sort, *v, *last, desc)
        }
        (SortField::Owner, Some(SortKey::Text(v, last))) => {
            keyset!(query, tickets::owner_sort, v.clone(), *last, desc)
        }
        (SortField::Customer, Some(SortKey::Text(v, last))) => {
            keyset!(query, tickets::customer_sort, v.clone(), *last, desc)
        }
        (SortField::PendingUntil, Some(SortKey::Time(v, last))) => {
            keyset!(query, tickets::pending_until, *v, *last, desc)
        }
        // A cursor of another sort order: start from the beginning rather than guess.
        _ => query,
    };
    query = match (sort.field, desc) {
        (SortField::CreatedAt, false) => {
            query.order((tickets::created_at.asc(), tickets::id.asc()))
        }
        (SortField::CreatedAt, true) => {
            query.order((tickets::created_at.desc(), tickets::id.desc()))
        }
        (SortField::UpdatedAt, false) => {
            query.order((tickets::updated_at.asc(), tickets::id.asc()))
        }
        (SortField::UpdatedAt, true) => {
            query.order((tickets::updated_at.desc(), tickets::id.desc()))
        }
        (SortField::Priority, false) => {
            query.order((tickets::priority_id.asc(), tickets::id.asc()))
        }
        (SortField::Priority, true) => {
            query.order((tickets::priority_id.desc(), tickets::id.desc()))
        }
        (SortField::Number, false) => query.order((tickets::number.asc(), tickets::id.asc())),
        (SortField::Number, true) => query.order((tickets::number.desc(), tickets::id.desc())),
        (SortField::EscalationAt, false) => {
            query.order((tickets::escalation_at.asc(), tickets::id.asc()))
        }
        (SortField::EscalationAt, true) => {
            query.order((tickets::escalation_at.desc(), tickets::id.desc()))
        }
        (SortField::Title, false) => query.order((tickets::title_sort.asc(), tickets::id.asc())),
        (SortField::Title, true) => query.order((tickets::title_sort.desc(), tickets::id.desc())),
        (SortField::State, false) => query.order((tickets::state_sort.asc(), tickets::id.asc())),
        (SortField::State, true) => query.order((tickets::state_sort.desc(), tickets::id.desc())),
        (SortField::Owner, false) => query.order((tickets::owner_sort.asc(), tickets::id.asc())),
        (SortField::Owner, true) => query.order((tickets::owner_sort.desc(), tickets::id.desc())),
        (SortField::Customer, false) => {
            query.order((tickets::customer_sort.asc(), tickets::id.asc()))
        }
        (SortField::Customer, true) => {
            query.order((tickets::customer_sort.desc(), tickets::id.desc()))
        }
        (SortField::PendingUntil, false) => {
            query.order((tickets::pending_until.asc(), tickets::id.asc()))
        }
        (SortField::PendingUntil, true) => {
            query.order((tickets::pending_until.desc(), tickets::id.desc()))
        }
        (SortField::Relevance, _) => query.order(tickets::id.desc()),
        (SortField::Custom(..), _) => query,
    };
    let rows: Vec<(TicketRow, SortColumns)> = query.limit(limit).load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(row, keys)| {
            let key = sort.key_of(&row, &keys);
            (row, key)
        })
        .collect())
}

/// How many visible tickets match `filter`, counting at most `cap` (a saved search's badge
/// shows "1000+" rather than counting a million rows).
pub fn count(
    conn: &mut DbConnection,
    visibility: &Visibility,
    filter: &TicketFilter,
    cap: i64,
) -> QueryResult<i64> {
    let query = apply_filter(
        apply_visibility(tickets::table.select(tickets::id).into_boxed(), visibility),
        filter,
    );
    let ids: Vec<i64> = query.limit(cap.max(0)).load(conn)?;
    Ok(ids.len() as i64)
}

/// The ids of the first `limit` visible tickets matching `filter`, newest first (candidates for
/// relevance ranking: only ids travel).
pub fn ids_newest_first(
    conn: &mut DbConnection,
    visibility: &Visibility,
    filter: &TicketFilter,
    limit: i64,
) -> QueryResult<Vec<i64>> {
    let query = apply_filter(
        apply_visibility(tickets::table.select(tickets::id).into_boxed(), visibility),
        filter,
    );
    query.order(tickets::id.desc()).limit(limit).load(conn)
}
