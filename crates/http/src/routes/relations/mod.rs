//! Ticket relations and mass work: links, merge, split, bulk changes and unread flags
//! (ADR 0008).

mod bulk;
mod links;
mod merge;
mod unread;

pub use bulk::{BulkLinkDto, BulkOperationsDto, BulkRequestDto, BulkResultDto, BulkStatusDto};
pub use links::{CreateLinkRequest, LinkDto, LinkList, QueueRelationSettings};
pub use merge::{MergeRequest, SplitRequestDto};
pub use unread::UnreadCountsDto;

pub(crate) use bulk::bulk_run_response;
pub(crate) use unread::unread_counts;

use utoipa_actix_web::service_config::ServiceConfig;

/// Registers the relation routes; before the ticket routes, so that `/tickets/bulk` is not taken
/// for a ticket.
pub fn configure(cfg: &mut ServiceConfig<'_>) {
    cfg.service(bulk::bulk_tickets)
        .service(links::list_ticket_links)
        .service(links::create_ticket_link)
        .service(links::delete_ticket_link)
        .service(links::get_queue_relation_settings)
        .service(links::set_queue_relation_settings)
        .service(merge::merge_ticket)
        .service(merge::split_ticket)
        .service(unread::mark_ticket_read)
        .service(unread::mark_ticket_unread);
}
