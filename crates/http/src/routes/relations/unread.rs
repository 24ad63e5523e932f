//! Marking tickets read or unread, and the unread counts of `/me`.

use actix_web::{HttpResponse, post, web};
use serde::Serialize;
use utoipa::ToSchema;
use vakt_service::relations::UnreadCounts;

use crate::error::ApiError;
use crate::extract::Caller;
use crate::{AppState, blocking};

/// How many open tickets have articles you have not read (each counted up to 1,000).
#[derive(Debug, Serialize, ToSchema)]
pub struct UnreadCountsDto {
    /// Tickets you own.
    pub owned: i64,
    /// Tickets you watch.
    pub watched: i64,
    /// Tickets you can see.
    pub all: i64,
    /// A count reached 1,000 (there are at least that many).
    pub capped: bool,
}

impl From<UnreadCounts> for UnreadCountsDto {
    fn from(c: UnreadCounts) -> Self {
        Self {
            owned: c.owned,
            watched: c.watched,
            all: c.all,
            capped: c.capped,
        }
    }
}

/// The unread counts of `principal` (agents), for `/me`.
pub(crate) async fn unread_counts(
    state: &web::Data<AppState>,
    principal: vakt_domain::Principal,
) -> Result<Option<UnreadCountsDto>, ApiError> {
    if !principal.is_agent() && !principal.is_admin() {
        return Ok(None);
    }
    let counts = blocking(state, move |s| s.unread_counts(&principal)).await?;
    Ok(Some(counts.into()))
}

macro_rules! read_handler {
    ($name:ident, $path:literal, $read:expr, $doc:literal) => {
        #[doc = $doc]
        #[utoipa::path(
                    tag = "tickets",
                    operation_id = stringify!($name),
                    params(("ticket" = String, Path, description = "Ticket id or number")),
                    security(("bearer" = [])),
                    responses(
                        (status = 204, description = "Done"),
                        (status = 403, description = "Customers"),
                        (status = 404, description = "No such ticket, or not visible to you"),
                    )
                )]
        #[post($path)]
        pub async fn $name(
            caller: Caller,
            state: web::Data<AppState>,
            key: web::Path<String>,
        ) -> Result<HttpResponse, ApiError> {
            let key = key.into_inner();
            blocking(&state, move |s| {
                s.mark_ticket_read(&caller.0.principal, &key, $read)
            })
            .await?;
            Ok(HttpResponse::NoContent().finish())
        }
    };
}

read_handler!(
    mark_ticket_read,
    "/tickets/{ticket}/read",
    true,
    "Mark a ticket read for yourself (as opening it at its newest article does)."
);
read_handler!(
    mark_ticket_unread,
    "/tickets/{ticket}/unread",
    false,
    "Mark a ticket unread for yourself."
);
