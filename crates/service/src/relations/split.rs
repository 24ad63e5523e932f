//! Splitting a ticket: one article (and optionally the ones after it) moves to a new ticket
//! with the queue, customer and title the agent chose, linked to the original as its child.

use vakt_domain::links::LinkKind;
use vakt_domain::rights::Right;
use vakt_domain::ticket::{HistoryKind, SenderType};
use vakt_domain::validation::text_length;
use vakt_domain::{FieldErrors, Principal};
use vakt_persistence::repo::history;
use vakt_persistence::repo::tickets::{self, NewTicket};
use vakt_persistence::repo::{articles, links, ticket_reads};
use vakt_persistence::time::to_db;

use super::{agents_only, entry, not_merged};
use crate::error::{ServiceError, ServiceResult};
use crate::reference::Reference;
use crate::tickets::customer::resolve as resolve_customer;
use crate::tickets::update::Plan;
use crate::tickets::{CustomerRef, Ticket, require, view_one, visible};
use crate::{Services, access};

/// What the new ticket of a split looks like.
#[derive(Debug, Clone, Default)]
pub struct SplitRequest {
    /// Title (default: the article's subject).
    pub title: Option<String>,
    /// Queue (default: the original's; needs `create` there).
    pub queue_id: Option<i64>,
    /// Customer (default: the original's).
    pub customer: Option<CustomerRef>,
    /// Move the articles after this one too.
    pub include_following: bool,
}

impl Services {
    /// Moves an article (and with `include_following` the later ones) of a ticket to a new
    /// ticket, linked as the original's child (`rw` on the original, `create` on the queue).
    /// Returns the new ticket.
    pub fn split_ticket(
        &self,
        actor: &Principal,
        key: &str,
        article_id: i64,
        input: SplitRequest,
    ) -> ServiceResult<Ticket> {
        let mut errors = FieldErrors::new();
        if let Some(title) = &input.title {
            errors.check(
                "title",
                text_length(title, 1, crate::tickets::update::MAX_TITLE_LENGTH),
            );
        }
        errors.into_result()?;
        let now = self.now();
        let mut conn = self.conn()?;
        let number = self.next_ticket_number(&mut conn, now)?;
        conn.write_transaction(|conn| {
            let access = access::load(conn, actor)?;
            let reference = Reference::load(conn)?;
            let row = visible(conn, &access, &reference, key, true)?;
            agents_only(&access)?;
            require(&access, &reference, &row, Right::Rw)?;
            not_merged(&row)?;
            let article = articles::find(conn, article_id)?
                .filter(|a| a.ticket_id == row.id)
                .ok_or(ServiceError::NotFound("article"))?;
            let ids = if input.include_following {
                links::article_ids(conn, row.id, Some(article.id))?
            } else {
                vec![article.id]
            };
            if ids.len() as i64 >= row.article_count {
                return Err(ServiceError::invalid(
                    "article",
                    "nothing_left",
                    "a split must leave at least one article on the original ticket",
                ));
            }
            let queue = reference
                .queue(input.queue_id.unwrap_or(row.queue_id))
                .filter(|q| q.active)
                .ok_or_else(|| {
                    ServiceError::invalid("queue_id", "not_found", "no such active queue")
                })?
                .clone();
            if !access.has(queue.group_id, Right::Create) {
                return Err(ServiceError::Forbidden(
                    "this needs the `create` right on the new ticket's queue".into(),
                ));
            }
            let customer = match &input.customer {
                Some(c) => Some(resolve_customer(conn, "customer", c, now)?),
                None => match row.customer_id {
                    Some(id) => vakt_persistence::repo::users::find(conn, id)?,
                    None => None,
                },
            };
            let state = reference.initial_state()?.clone();
            let title = input
                .title
                .as_deref()
                .map(str::trim)
                .unwrap_or(article.subject.trim())
                .chars()
                .take(crate::tickets::update::MAX_TITLE_LENGTH)
                .collect::<String>();
            let title = if title.is_empty() {
                row.title.clone()
            } else {
                title
            };
            let moved = i64::try_from(ids.len()).unwrap_or(i64::MAX);
            let minutes = links::minutes_of(conn, &ids)?;
            let new = tickets::insert(
                conn,
                &NewTicket {
                    number: &number,
                    title: &title,
                    queue_id: queue.id,
                    state_id: state.id,
                    state_type: state.state_type.as_str(),
                    priority_id: row.priority_id,
                    type_id: row.type_id,
                    owner_id: None,
                    responsible_id: None,
                    customer_id: customer.as_ref().map(|c| c.id),
                    company_id: customer.as_ref().and_then(|c| c.company_id),
                    created_by: Some(actor.user_id),
                    pending_until: None,
                    time_accounted_minutes: minutes,
                    article_count: moved,
                    service_id: None,
                    created_at: to_db(now),
                    updated_at: to_db(now),
                    closed_at: None,
                },
            )?;
            links::move_articles(conn, &ids, new.id)?;
            tickets::add_to_count(conn, queue.id, state.state_type.as_str(), 1)?;
            let first_sender =
                SenderType::parse(&article.sender_type).unwrap_or(SenderType::Customer);
            let new = crate::sla::ticket_created(
                conn,
                &new,
                first_sender,
                article.customer_visible,
                now,
            )?;
            history::append(
                conn,
                &[
                    entry(
                        new.id,
                        Some(actor.user_id),
                        HistoryKind::Created,
                        None,
                        Some(format!("{number} in {} ({})", queue.name, state.name)),
                        now,
                    ),
                    entry(
                        new.id,
                        Some(actor.user_id),
                        HistoryKind::SplitFrom,
                        Some(format!("#{}", row.number)),
                        Some(format!("{moved} articles")),
                        now,
                    ),
                ],
            )?;
            let mut plan = Plan::new(row.clone(), Some(actor.user_id), now);
            plan.changes.article_count = Some(row.article_count - moved);
            plan.changes.time_accounted_minutes =
                Some((row.time_accounted_minutes - minutes).max(0));
            plan.record(
                HistoryKind::SplitOff,
                None,
                Some(format!("#{} ({moved} articles)", new.number)),
                Some(article.id),
            );
            let original = plan.commit(conn)?;
            ticket_reads::articles_left(conn, row.id, row.article_count, original.article_count)?;
            super::links::link(
                conn,
                Some(actor.user_id),
                LinkKind::ParentOf,
                &original,
                &new,
                now,
            )?;
            vakt_persistence::search::reindex_ticket(
                conn,
                original.id,
                &original.title,
                &original.number,
            )?;
            vakt_persistence::search::reindex_ticket(conn, new.id, &new.title, &new.number)?;
            log::info!(
                "user {} split {moved} articles of ticket {} into {}",
                actor.user_id,
                row.number,
                new.number
            );
            view_one(conn, &reference, &access, new, now)
        })
    }
}
