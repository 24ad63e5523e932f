//! What one stream's user may see of the live events.

use vakt_domain::Principal;
use vakt_domain::rights::Access;

use super::LiveEvent;
use crate::error::ServiceResult;
use crate::{Services, access};

/// History kinds a customer's stream carries (for their own tickets; article events only for
/// customer-visible articles). Everything else is internal.
const CUSTOMER_KINDS: &[&str] = &["created", "article_added", "state_changed", "title_changed"];

/// The user of a stream and their rights, reloaded now and then by the stream.
#[derive(Debug, Clone)]
pub struct Viewer {
    access: Access,
}

impl Services {
    /// Loads what `principal` may see.
    pub fn live_viewer(&self, principal: &Principal) -> ServiceResult<Viewer> {
        let mut conn = self.conn()?;
        Ok(Viewer {
            access: access::load(&mut conn, principal)?,
        })
    }
}

impl Viewer {
    /// The user.
    pub fn user_id(&self) -> i64 {
        self.access.principal.user_id
    }

    /// The event as this user may see it, or `None`.
    pub fn filter(&self, event: &LiveEvent) -> Option<LiveEvent> {
        let customer = self.access.is_customer();
        match event {
            LiveEvent::Ticket(e) => {
                if !self.access.can_see(&e.scope) {
                    return None;
                }
                if !customer {
                    return Some(event.clone());
                }
                let internal_article =
                    e.article_id.is_some() && e.article_customer_visible != Some(true);
                if !CUSTOMER_KINDS.contains(&e.kind.as_str()) || internal_article {
                    return None;
                }
                let mut e = e.clone();
                if !matches!(e.kind.as_str(), "state_changed" | "title_changed") {
                    e.old_value = None;
                    e.new_value = None;
                }
                if let Some(actor) = &mut e.actor {
                    actor.email.clear();
                }
                Some(LiveEvent::Ticket(e))
            }
            LiveEvent::Notification(e) => (e.user_id == self.user_id()
                && self.access.can_see(&e.scope))
            .then(|| event.clone()),
            LiveEvent::Presence(e) => {
                (!customer && e.user.id != self.user_id() && self.access.can_see(&e.scope))
                    .then(|| event.clone())
            }
        }
    }
}
