//! Reading tickets: one by id or number, and lists with every filter, sorted and paged by cursor.

use chrono::{DateTime, Utc};
use vakt_domain::Principal;
use vakt_domain::rights::Right;
use vakt_domain::ticket::StateType;
use vakt_persistence::repo::ticket_list::{
    self, OwnerFilter, Sort, SortField, SortKey, TicketFilter, Visibility,
};
use vakt_persistence::repo::{users, watchers};
use vakt_persistence::time::to_db;

use super::view::{self, PersonRef, Ticket};
use super::visible;
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
    /// `created_at`, `updated_at`, `priority` or `number`, `-` for descending
    /// (default `-updated_at`).
    pub sort: Option<String>,
}

/// Parses a sort parameter.
pub(crate) fn parse_sort(value: Option<&str>) -> ServiceResult<Sort> {
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
        _ => {
            return Err(ServiceError::invalid(
                "sort",
                "invalid_sort",
                "must be created_at, updated_at, priority or number, with - for descending",
            ));
        }
    };
    Ok(Sort { field, descending })
}

fn cursor_fits(sort: Sort, key: &SortKey) -> bool {
    matches!(
        (sort.field, key),
        (
            SortField::CreatedAt | SortField::UpdatedAt,
            SortKey::Time(..)
        ) | (SortField::Priority, SortKey::Int(..))
            | (SortField::Number, SortKey::Text(..))
    )
}

impl Services {
    /// One ticket by id or number, with its watchers.
    pub fn get_ticket(&self, actor: &Principal, key: &str) -> ServiceResult<Ticket> {
        let mut conn = self.conn()?;
        let access = access::load(&mut conn, actor)?;
        let reference = Reference::load(&mut conn)?;
        let row = visible(&mut conn, &access, &reference, key, false)?;
        let mut ticket = view::build_one(&mut conn, &reference, &access, row)?;
        if access.sees_internal_articles() {
            let ids = watchers::of_ticket(&mut conn, ticket.id)?;
            ticket.watchers = users::find_many(&mut conn, &ids)?
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

    /// The tickets the caller may see that match `query`, one page.
    pub fn list_tickets(
        &self,
        actor: &Principal,
        query: &TicketQuery,
        page: &PageRequest<SortKey>,
    ) -> ServiceResult<Page<Ticket>> {
        let sort = parse_sort(query.sort.as_deref())?;
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
        let filter = TicketFilter {
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
            created_after: query.created_after.map(to_db),
            created_before: query.created_before.map(to_db),
            updated_after: query.updated_after.map(to_db),
            updated_before: query.updated_before.map(to_db),
            ids: None,
        };
        let rows = ticket_list::list(
            &mut conn,
            &visibility,
            &filter,
            sort,
            page.after.as_ref(),
            page.fetch_limit(),
        )?;
        let page = page.page(rows, |row| sort.key_of(row));
        Ok(Page {
            items: view::build(&mut conn, &reference, &access, page.items)?,
            next_cursor: page.next_cursor,
        })
    }
}
