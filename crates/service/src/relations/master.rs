//! Master and slave tickets (OTRS): a customer-visible email reply on a master goes to every
//! slave's customer, as an article of the slave (its own thread, number and ticket tag); closing
//! the master closes its open slaves with the same state.

use chrono::{DateTime, Utc};
use vakt_domain::links::LinkKind;
use vakt_domain::ticket::{Channel, HistoryKind, SenderType};
use vakt_persistence::DbConnection;
use vakt_persistence::repo::links;
use vakt_persistence::repo::tickets::{self, TicketRow};
use vakt_persistence::repo::users::{self, UserRow};

use crate::error::ServiceResult;
use crate::reference::Reference;
use crate::tickets::NewArticle;
use crate::tickets::articles::{ArticleSpec, Onto, insert};
use crate::tickets::update::{Plan, is_finished};

/// The open slaves of a master, locked.
fn open_slaves(conn: &mut DbConnection, master_id: i64) -> ServiceResult<Vec<TicketRow>> {
    let mut slaves = Vec::new();
    for id in links::targets_of(conn, LinkKind::MasterOf.as_str(), &[master_id])? {
        if let Some(row) = tickets::find_for_update(conn, id)?
            && !is_finished(&row.state_type)
        {
            slaves.push(row);
        }
    }
    slaves.sort_by_key(|r| r.id);
    Ok(slaves)
}

/// Sends a master's customer-visible email reply (`input`, written by `author`) to each open
/// slave's customer, as a reply article of the slave queued for delivery. Returns how many
/// slaves got it.
pub(crate) fn fan_out_reply(
    conn: &mut DbConnection,
    master: &TicketRow,
    author: &UserRow,
    input: &NewArticle,
    now: DateTime<Utc>,
) -> ServiceResult<usize> {
    let mut sent = 0;
    for slave in open_slaves(conn, master.id)? {
        let Some(customer) = slave
            .customer_id
            .map(|id| users::find(conn, id))
            .transpose()?
            .flatten()
        else {
            continue;
        };
        let subject = format!("Re: {}", slave.title);
        let spec = ArticleSpec {
            sender_type: SenderType::Agent,
            channel: Channel::Email,
            customer_visible: true,
            author_id: Some(author.id),
            from: Some(&author.email),
            to: Some(&customer.email),
            cc: None,
            subject: &subject,
            body: &input.body,
            body_html: input.body_html.as_deref(),
            message_id: None,
            in_reply_to: None,
            minutes: 0,
            attachments: &input.attachments,
        };
        let article_id = insert(conn, Onto::Ticket(slave.id), &spec, now)?;
        crate::mail::queue_outbound(conn, article_id, crate::mail::DeliveryKind::Reply, now)?;
        let mut plan = Plan::new(slave.clone(), Some(author.id), now);
        plan.changes.article_count = Some(slave.article_count + 1);
        plan.record(
            HistoryKind::ArticleAdded,
            None,
            Some(format!(
                "agent email (customer-visible), from master #{}",
                master.number
            )),
            Some(article_id),
        );
        plan.commit(conn)?;
        sent += 1;
    }
    Ok(sent)
}

/// After a ticket's state changed from `before` to `after`: a master that closed closes its
/// open slaves with the same state.
pub(crate) fn after_state_change(
    conn: &mut DbConnection,
    reference: &Reference,
    actor: Option<i64>,
    before: &TicketRow,
    after: &TicketRow,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    if after.state_type != "closed" || is_finished(&before.state_type) {
        return Ok(());
    }
    for slave in open_slaves(conn, after.id)? {
        let mut plan = Plan::new(slave, actor, now);
        plan.set_state(reference, Some(after.state_id), None)?;
        plan.commit(conn)?;
    }
    Ok(())
}
