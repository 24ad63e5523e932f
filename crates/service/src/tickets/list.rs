//! Reading tickets: one by id or number, and lists with every filter, sorted and paged by cursor.

use chrono::{DateTime, Utc};
use vakt_domain::Principal;
use vakt_domain::rights::Right;
use vakt_domain::ticket::StateType;
use vakt_persistence::DbConnection;
use vakt_persistence::repo::ticket_list::{
    self, OwnerFilter, Sort, SortField, SortKey, TicketFilter, Visibility,
};
use vakt_persistence::repo::{users, watchers};
use vakt_persistence::time::to_db;

use std::collections::HashMap;

use vakt_domain::search::{Query, snippet};
use vakt_persistence::repo::articles;
use vakt_persistence::search::{self, Audience};

use vakt_domain::FieldErrors;
use vakt_domain::custom_fields::ObjectType;
use vakt_persistence::repo::ticket_list::CustomColumn;

use super::view::{self, PersonRef, SearchHit, Ticket};
use super::visible;
use crate::custom_fields::CustomField;
use crate::custom_fields::FieldFilter;
use crate::custom_fields::filters::{conditions, sort_column};
use crate::error::{ServiceError, ServiceResult};
use crate::pagination::{Page, PageRequest};
use crate::reference::Reference;
use crate::{Services, access};

/// Whose tickets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerQuery {
    /// The caller's.
    Me,
    /// Nobody's (unlocked).
    Nobody,
    /// This agent's.
    Id(i64),
}

/// Filters and sort of `GET /tickets`.
#[derive(Debug, Clone, Default)]
pub struct TicketQuery {
    /// Queue.
    pub queue_id: Option<i64>,
    /// State types (any of).
    pub state_types: Option<Vec<StateType>>,
    /// State.
    pub state_id: Option<i64>,
    /// Owner.
    pub owner: Option<OwnerQuery>,
    /// Responsible agent.
    pub responsible_id: Option<i64>,
    /// Customer user.
    pub customer_id: Option<i64>,
    /// Customer company.
    pub company_id: Option<i64>,
    /// Priority levels (any of).
    pub priority_ids: Option<Vec<i64>>,
    /// Type.
    pub type_id: Option<i64>,
    /// Created at or after.
    pub created_after: Option<DateTime<Utc>>,
    /// Created before.
    pub created_before: Option<DateTime<Utc>>,
    /// Updated at or after.
    pub updated_after: Option<DateTime<Utc>>,
    /// Updated before.
    pub updated_before: Option<DateTime<Utc>>,
    /// One of [`SORTS`], `-` for descending; or `relevance` (the default with `q`).
    pub sort: Option<String>,
    /// Full-text search (see docs/search.md).
    pub q: Option<String>,
    /// Include archived tickets (closed longer ago than the archive age) in a search.
    pub include_archived: bool,
    /// Only escalated tickets (an SLA deadline of a running clock has passed), or with
    /// `false` only tickets that are not.
    pub escalated: Option<bool>,
    /// Only tickets in a pending state whose pending time is before this (due reminders and
    /// automatic state changes).
    pub pending_before: Option<DateTime<Utc>>,
    /// Only tickets with articles the calling agent has not read (`false`: only read ones).
    pub unread: Option<bool>,
    /// Only tickets the caller watches.
    pub watched_by_me: bool,
    /// Custom field conditions (`cf.<key>…` parameters).
    pub custom: Vec<FieldFilter>,
}

/// The column sorts of `GET /tickets` (besides `relevance`).
pub const SORTS: [&str; 10] = [
    "created_at",
    "updated_at",
    "priority",
    "number",
    "escalation_at",
    "title",
    "state",
    "owner",
    "customer",
    "pending_until",
];

/// Most tickets a count counts: beyond it the answer is "more than this" (`capped`), so that a
/// count never walks a million rows.
pub const COUNT_CAP: i64 = 1000;

/// Parses a sort parameter.
pub fn parse_sort(value: Option<&str>) -> ServiceResult<Sort> {
    let value = value.unwrap_or("-updated_at").trim();
    let (descending, name) = match value.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, value.strip_prefix('+').unwrap_or(value)),
    };
    let field = match name {
        "created_at" => SortField::CreatedAt,
        "updated_at" => SortField::UpdatedAt,
        "priority" => SortField::Priority,
        "number" => SortField::Number,
        "relevance" => SortField::Relevance,
        "escalation_at" => SortField::EscalationAt,
        "title" => SortField::Title,
        "state" => SortField::State,
        "owner" => SortField::Owner,
        "customer" => SortField::Customer,
        "pending_until" => SortField::PendingUntil,
        // Resolved against the field definitions by the list (`sort_of`).
        key if key.starts_with("cf.") && key.len() > 3 => SortField::Custom(-1, CustomColumn::Text),
        _ => {
            return Err(ServiceError::invalid(
                "sort",
                "invalid_sort",
                format!(
                    "must be one of {}, relevance or cf.<key>, with - for descending",
                    SORTS.join(", ")
                ),
            ));
        }
    };
    Ok(Sort { field, descending })
}

fn cursor_fits(sort: Sort, key: &SortKey) -> bool {
    matches!(
        (sort.field, key),
        (
            SortField::CreatedAt
                | SortField::UpdatedAt
                | SortField::EscalationAt
                | SortField::PendingUntil,
            SortKey::Time(..)
        ) | (SortField::Priority | SortField::State, SortKey::Int(..))
            | (
                SortField::Number | SortField::Title | SortField::Owner | SortField::Customer,
                SortKey::Text(..)
            )
            | (SortField::Relevance, SortKey::Offset(..))
            | (SortField::Custom(_, CustomColumn::Text), SortKey::Text(..))
            | (SortField::Custom(_, CustomColumn::Int), SortKey::Int(..))
            | (SortField::Custom(_, CustomColumn::Num), SortKey::Num(..))
            | (SortField::Custom(_, CustomColumn::Time), SortKey::Time(..))
    )
}

/// The sort of `text`, with a `cf.<key>` sort resolved against the field definitions.
fn sort_of(text: &str, fields: &[CustomField], customer: bool) -> ServiceResult<Sort> {
    let mut sort = parse_sort(Some(text))?;
    if let SortField::Custom(..) = sort.field {
        let key = text
            .trim()
            .trim_start_matches(['-', '+'])
            .trim_start_matches("cf.");
        let (id, column) = sort_column(fields, key, customer)
            .map_err(|e| ServiceError::Validation(FieldErrors::single("sort", e)))?;
        sort.field = SortField::Custom(id, column);
    }
    Ok(sort)
}

impl Services {
    /// One ticket by id or number, with its watchers.
    pub fn get_ticket(&self, actor: &Principal, key: &str) -> ServiceResult<Ticket> {
        let mut conn = self.conn()?;
        load_ticket(&mut conn, actor, key, self.now())
    }

    /// The tickets the caller may see that match `query`, one page. With `q`, a full-text
    /// search: ranked by relevance among the most recent [`RELEVANCE_WINDOW`] matches unless a
    /// column sort is asked for, with a snippet per ticket, archived tickets left out unless
    /// asked for.
    pub fn list_tickets(
        &self,
        actor: &Principal,
        query: &TicketQuery,
        page: &PageRequest<SortKey>,
    ) -> ServiceResult<Page<Ticket>> {
        let search = parsed_search(query)?;
        let default_sort = if search.is_some() {
            "relevance"
        } else {
            "-updated_at"
        };
        let sort_text = query.sort.as_deref().unwrap_or(default_sort);
        let sort = parse_sort(Some(sort_text))?;
        if sort.field == SortField::Relevance && search.is_none() {
            return Err(ServiceError::invalid(
                "sort",
                "invalid_sort",
                "relevance needs a search (q)",
            ));
        }
        let Scoped {
            mut conn,
            access,
            reference,
            visibility,
            filter,
            audience,
            fields,
        } = self.scoped(actor, query, search.as_ref())?;
        let sort = sort_of(sort_text, &fields, access.is_customer())?;
        if page
            .after
            .as_ref()
            .is_some_and(|key| !cursor_fits(sort, key))
        {
            return Err(ServiceError::invalid(
                "cursor",
                "invalid_cursor",
                "belongs to another sort order",
            ));
        }
        let (rows, next_cursor, ranks) = if sort.field == SortField::Relevance {
            let search = search
                .as_ref()
                .ok_or_else(|| ServiceError::Internal("relevance without a query".into()))?;
            let ids = conn
                .with_statement_timeout(Some(self.config().search_timeout), |conn| {
                    newest_matches(conn, &visibility, &filter, search, audience)
                })
                .map_err(|e| self.search_error(e))?;
            let ranks: HashMap<i64, f64> = search::ranks(&mut conn, search, audience, &ids)?
                .into_iter()
                .collect();
            let mut ranked = ids;
            ranked.sort_by(|a, b| {
                let (ra, rb) = (
                    ranks.get(a).copied().unwrap_or(0.0),
                    ranks.get(b).copied().unwrap_or(0.0),
                );
                rb.total_cmp(&ra).then(b.cmp(a))
            });
            let offset = match page.after {
                Some(SortKey::Offset(offset)) => usize::try_from(offset).unwrap_or(0),
                _ => 0,
            };
            let limit = usize::try_from(page.limit).unwrap_or(25);
            let end = (offset + limit).min(ranked.len());
            let next =
                (end < ranked.len()).then(|| PageRequest::cursor(&SortKey::Offset(end as i64)));
            let page_ids: Vec<i64> = ranked.into_iter().skip(offset).take(limit).collect();
            let mut rows = vakt_persistence::repo::tickets::find_many(&mut conn, &page_ids)?;
            rows.sort_by_key(|row| page_ids.iter().position(|id| *id == row.id));
            (rows, next, Some(ranks))
        } else {
            let limit = search.is_some().then_some(self.config().search_timeout);
            let rows = conn
                .with_statement_timeout(limit, |conn| {
                    ticket_list::list(
                        conn,
                        &visibility,
                        &filter,
                        sort,
                        page.after.as_ref(),
                        page.fetch_limit(),
                    )
                })
                .map_err(|e| self.search_error(e))?;
            let paged = page.page(rows, |(_, key)| key.clone());
            let rows = paged.items.into_iter().map(|(row, _)| row).collect();
            (rows, paged.next_cursor, None)
        };
        let mut items = view::build(&mut conn, &reference, &access, rows)?;
        if let Some(search) = &search {
            let words = search.highlight_words();
            let ids: Vec<i64> = items.iter().map(|t| t.id).collect();
            let texts = articles::search_texts(&mut conn, &ids, audience == Audience::Agents)?;
            for ticket in &mut items {
                let snippet = texts
                    .iter()
                    .filter(|(ticket_id, _)| *ticket_id == ticket.id)
                    .find_map(|(_, text)| snippet(text, &words, SNIPPET_CHARS))
                    .or_else(|| snippet(&ticket.title, &words, SNIPPET_CHARS));
                ticket.search = Some(SearchHit {
                    rank: ranks.as_ref().and_then(|r| r.get(&ticket.id).copied()),
                    snippet,
                });
            }
        }
        Ok(Page { items, next_cursor })
    }

    /// A search statement that ran out of time is the caller's query being too broad for the
    /// database (422 on `q`); any other error stays what it is.
    fn search_error(&self, error: diesel::result::Error) -> ServiceError {
        if vakt_persistence::connection::is_statement_timeout(&error) {
            ServiceError::invalid(
                "q",
                "too_broad",
                format!(
                    "took longer than {} s; add words or filters",
                    self.config().search_timeout.as_secs_f64()
                ),
            )
        } else {
            error.into()
        }
    }

    /// Loads the caller's access and the reference data, and builds who may see what and the
    /// filter of `query`, for lists and counts.
    fn scoped(
        &self,
        actor: &Principal,
        query: &TicketQuery,
        search: Option<&Query>,
    ) -> ServiceResult<Scoped> {
        let now = self.now();
        let mut conn = self.conn()?;
        let access = access::load(&mut conn, actor)?;
        let reference = Reference::load(&mut conn)?;
        let visibility = if access.is_admin() {
            Visibility::All
        } else if access.is_customer() {
            Visibility::Customer {
                user_id: actor.user_id,
                company_id: access.company_id.filter(|_| access.sees_company_tickets),
            }
        } else {
            let groups = access.groups_with(Right::Ro).unwrap_or_default();
            Visibility::Agent {
                queue_ids: reference.queues_of_groups(Some(&groups)),
                user_id: actor.user_id,
            }
        };
        let sort_field = parse_sort(query.sort.as_deref()).ok().map(|s| s.field);
        let escalation_sort = sort_field == Some(SortField::EscalationAt);
        if access.is_customer() && (query.escalated.is_some() || escalation_sort) {
            return Err(ServiceError::Forbidden("escalations are for agents".into()));
        }
        if access.is_customer() && (query.unread.is_some() || query.watched_by_me) {
            return Err(ServiceError::Forbidden(
                "unread flags and watching are for agents".into(),
            ));
        }
        let audience = if access.is_customer() {
            Audience::Customers
        } else {
            Audience::Agents
        };
        let custom_sort = query
            .sort
            .as_deref()
            .is_some_and(|s| s.trim().trim_start_matches(['-', '+']).starts_with("cf."));
        let fields = if query.custom.is_empty() && !custom_sort {
            Vec::new()
        } else {
            reference.custom_fields_of(Some(ObjectType::Ticket))
        };
        let custom = conditions(&fields, &query.custom, access.is_customer())?;
        let mut filter = TicketFilter {
            queue_ids: query.queue_id.map(|q| vec![q]),
            state_types: query
                .state_types
                .as_ref()
                .map(|t| t.iter().map(|s| s.as_str().to_owned()).collect()),
            state_id: query.state_id,
            owner: query.owner.map(|o| match o {
                OwnerQuery::Me => OwnerFilter::Id(actor.user_id),
                OwnerQuery::Nobody => OwnerFilter::Nobody,
                OwnerQuery::Id(id) => OwnerFilter::Id(id),
            }),
            responsible_id: query.responsible_id,
            customer_id: query.customer_id,
            company_id: query.company_id,
            priority_ids: query.priority_ids.clone(),
            type_id: query.type_id,
            type_ids: None,
            service_ids: None,
            created_after: query.created_after.map(to_db),
            created_before: query.created_before.map(to_db),
            updated_after: query.updated_after.map(to_db),
            updated_before: query.updated_before.map(to_db),
            ids: None,
            search: None,
            closed_since: None,
            escalated: query.escalated.map(|e| (e, to_db(now))),
            // Sorting by escalation time lists the tickets that have one.
            has_escalation: escalation_sort,
            pending_before: query.pending_before.map(to_db),
            // Likewise for the pending time.
            has_pending: sort_field == Some(SortField::PendingUntil),
            unread: query.unread.map(|u| (u, actor.user_id)),
            watched_by: query.watched_by_me.then_some(actor.user_id),
            custom,
        };
        if let Some(search) = search {
            // Building the condition asks PostgreSQL for an estimate: it waits on the search
            // table like the search itself, so it shares the search's time limit.
            filter.search = conn
                .with_statement_timeout(Some(self.config().search_timeout), |conn| {
                    search::condition(conn, search, audience)
                })
                .map_err(|e| self.search_error(e))?;
            if !query.include_archived {
                filter.closed_since = Some(to_db(now - self.config().archive_after));
            }
        }
        Ok(Scoped {
            conn,
            access,
            reference,
            visibility,
            filter,
            audience,
            fields,
        })
    }

    /// Checks a query's custom field filters and sort against the definitions, as the list
    /// would (saved searches check theirs when they are saved).
    pub fn check_ticket_query(&self, actor: &Principal, query: &TicketQuery) -> ServiceResult<()> {
        let mut conn = self.conn()?;
        let access = access::load(&mut conn, actor)?;
        let fields = crate::custom_fields::load(&mut conn, Some(ObjectType::Ticket))?;
        conditions(&fields, &query.custom, access.is_customer())?;
        if let Some(sort) = &query.sort {
            sort_of(sort, &fields, access.is_customer())?;
        }
        Ok(())
    }

    /// How many tickets the caller may see match `query`, counting at most `cap`
    /// (returns `(count, capped)`).
    pub fn count_tickets(
        &self,
        actor: &Principal,
        query: &TicketQuery,
        cap: i64,
    ) -> ServiceResult<(i64, bool)> {
        let search = parsed_search(query)?;
        if query.sort.is_some() {
            // Some sorts narrow the list (escalation_at, pending_until): the count follows.
            parse_sort(query.sort.as_deref())?;
        }
        let Scoped {
            mut conn,
            visibility,
            filter,
            ..
        } = self.scoped(actor, query, search.as_ref())?;
        let limit = filter
            .search
            .is_some()
            .then_some(self.config().search_timeout);
        let counted = conn
            .with_statement_timeout(limit, |conn| {
                ticket_list::count(conn, &visibility, &filter, cap + 1)
            })
            .map_err(|e| self.search_error(e))?;
        Ok((counted.min(cap), counted > cap))
    }
}

/// What a list or count needs, loaded once.
struct Scoped {
    conn: vakt_persistence::pool::PooledConnection,
    access: vakt_domain::rights::Access,
    reference: std::sync::Arc<Reference>,
    visibility: Visibility,
    filter: TicketFilter,
    audience: Audience,
    /// The ticket field definitions, when the query uses them.
    fields: Vec<CustomField>,
}

/// The newest [`RELEVANCE_WINDOW`] visible tickets matching `search` (whose condition for all
/// tickets `filter` holds), looked for slice by slice of the newest tickets as
/// [`search::relevance_slices`] gives them: the first slice that holds a full window ends the
/// search, the last one is all tickets.
fn newest_matches(
    conn: &mut vakt_persistence::connection::DbConnection,
    visibility: &Visibility,
    filter: &TicketFilter,
    search: &Query,
    audience: Audience,
) -> diesel::QueryResult<Vec<i64>> {
    for slice in search::relevance_slices(conn)? {
        let Some(first_ticket) = slice else {
            break;
        };
        let sliced = TicketFilter {
            search: search::condition_from(conn, search, audience, Some(first_ticket))?,
            ..filter.clone()
        };
        let ids = ticket_list::ids_newest_first(conn, visibility, &sliced, RELEVANCE_WINDOW)?;
        if ids.len() >= RELEVANCE_WINDOW as usize {
            return Ok(ids);
        }
    }
    ticket_list::ids_newest_first(conn, visibility, filter, RELEVANCE_WINDOW)
}

/// The parsed `q`, if any; a query with nothing positive to search for is a 422.
fn parsed_search(query: &TicketQuery) -> ServiceResult<Option<Query>> {
    let search = query
        .q
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(Query::parse);
    if search.as_ref().is_some_and(Query::is_empty) {
        return Err(ServiceError::invalid(
            "q",
            "empty_query",
            "has nothing to search for",
        ));
    }
    Ok(search)
}

/// How many of the most recent matches a relevance-ranked search considers.
pub const RELEVANCE_WINDOW: i64 = 300;
/// Length of a search snippet, in characters.
const SNIPPET_CHARS: usize = 180;

/// One ticket by id or number as `actor` sees it, with its watchers, read on `conn` (inside a
/// caller's transaction, as the webhook dispatcher does).
pub(crate) fn load_ticket(
    conn: &mut DbConnection,
    actor: &Principal,
    key: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> ServiceResult<Ticket> {
    let access = access::load(conn, actor)?;
    let reference = Reference::load(conn)?;
    let row = visible(conn, &access, &reference, key, false)?;
    let mut ticket = view::build_one(conn, &reference, &access, row, now)?;
    if access.sees_internal_articles() {
        let ids = watchers::of_ticket(conn, ticket.id)?;
        ticket.watchers = users::find_many(conn, &ids)?
            .into_iter()
            .map(|u| PersonRef {
                id: u.id,
                name: u.name,
                email: u.email,
            })
            .collect();
    }
    Ok(ticket)
}
