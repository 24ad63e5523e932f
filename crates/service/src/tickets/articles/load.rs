//! Reading a ticket's articles: bodies, authors and attachments in three queries.

use super::*;

/// Loads the visible articles of a ticket with authors and attachments (three queries).
pub(super) fn load(
    conn: &mut DbConnection,
    ticket_id: i64,
    internal: bool,
    after: Option<i64>,
    limit: i64,
) -> ServiceResult<Vec<Article>> {
    let rows = articles::list_for_ticket(conn, ticket_id, internal, after, limit)?;
    let ids: Vec<i64> = rows.iter().map(|(a, _)| a.id).collect();
    let mut attachments: HashMap<i64, Vec<AttachmentMeta>> = HashMap::new();
    for row in articles::attachments_of(conn, &ids)? {
        attachments
            .entry(row.article_id)
            .or_default()
            .push(meta(row));
    }
    let mut deliveries = crate::mail::deliveries(conn, &ids)?;
    let mut custom = super::super::fields::of_articles(conn, &ids, !internal)?;
    let mut author_ids: Vec<i64> = rows.iter().filter_map(|(a, _)| a.author_id).collect();
    author_ids.sort_unstable();
    author_ids.dedup();
    let authors: HashMap<i64, PersonRef> = users::find_many(conn, &author_ids)?
        .into_iter()
        .map(|u| {
            (
                u.id,
                PersonRef {
                    id: u.id,
                    name: u.name,
                    email: u.email,
                },
            )
        })
        .collect();
    rows.into_iter()
        .map(|(a, body)| {
            Ok(Article {
                sender_type: SenderType::parse(&a.sender_type).ok_or_else(|| {
                    ServiceError::Internal(format!(
                        "article {} has sender {:?}",
                        a.id, a.sender_type
                    ))
                })?,
                channel: Channel::parse(&a.channel).ok_or_else(|| {
                    ServiceError::Internal(format!("article {} has channel {:?}", a.id, a.channel))
                })?,
                author: a.author_id.and_then(|id| authors.get(&id).cloned()),
                attachments: attachments.remove(&a.id).unwrap_or_default(),
                delivery: deliveries.remove(&a.id),
                custom_fields: custom.remove(&a.id).unwrap_or_default(),
                time_accounted_minutes: internal.then_some(a.time_accounted_minutes),
                id: a.id,
                ticket_id: a.ticket_id,
                customer_visible: a.customer_visible,
                from: a.from_address,
                to: a.to_addresses,
                cc: a.cc_addresses,
                subject: a.subject,
                body: body.body_text,
                body_html: body.body_html,
                message_id: a.message_id,
                in_reply_to: a.in_reply_to,
                created_at: from_db(a.created_at),
            })
        })
        .collect()
}
