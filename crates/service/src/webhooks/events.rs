//! The events a webhook can subscribe to, and which history entries are which event.

use vakt_domain::ticket::HistoryKind;

/// An event type, as written in a webhook's `events` and in each delivery's `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventType {
    /// A ticket was created (by API, portal, mail or split).
    TicketCreated,
    /// A ticket's fields changed (title, queue, owner, priority, custom fields, …).
    TicketUpdated,
    /// A ticket's state changed.
    TicketStateChanged,
    /// An article (reply, note, incoming mail) was added to a ticket.
    TicketArticleAdded,
    /// An SLA clock of a ticket reached its warning share.
    TicketEscalationWarned,
    /// An SLA clock of a ticket passed its deadline.
    TicketEscalationBreached,
    /// A ticket was merged into another.
    TicketMerged,
    /// A knowledge base article was published (a new version of it).
    KbPublished,
}

impl EventType {
    /// Every event type, in documentation order.
    pub const ALL: [EventType; 8] = [
        EventType::TicketCreated,
        EventType::TicketUpdated,
        EventType::TicketStateChanged,
        EventType::TicketArticleAdded,
        EventType::TicketEscalationWarned,
        EventType::TicketEscalationBreached,
        EventType::TicketMerged,
        EventType::KbPublished,
    ];

    /// The wire name (`ticket.created`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::TicketCreated => "ticket.created",
            EventType::TicketUpdated => "ticket.updated",
            EventType::TicketStateChanged => "ticket.state_changed",
            EventType::TicketArticleAdded => "ticket.article_added",
            EventType::TicketEscalationWarned => "ticket.escalation_warned",
            EventType::TicketEscalationBreached => "ticket.escalation_breached",
            EventType::TicketMerged => "ticket.merged",
            EventType::KbPublished => "kb.published",
        }
    }

    /// The event type of a wire name.
    pub fn parse(name: &str) -> Option<EventType> {
        Self::ALL.into_iter().find(|e| e.as_str() == name)
    }

    /// The event a history entry of `kind` is, if any (watchers, reminders, links and time
    /// accounting are not webhook events).
    pub fn of_history(kind: &str) -> Option<EventType> {
        use HistoryKind as K;
        Some(match HistoryKind::parse(kind)? {
            K::Created => EventType::TicketCreated,
            K::ArticleAdded => EventType::TicketArticleAdded,
            K::StateChanged => EventType::TicketStateChanged,
            K::MergedInto => EventType::TicketMerged,
            K::EscalationWarning => EventType::TicketEscalationWarned,
            K::EscalationBreach => EventType::TicketEscalationBreached,
            K::TitleChanged
            | K::QueueChanged
            | K::PendingChanged
            | K::PriorityChanged
            | K::TypeChanged
            | K::OwnerChanged
            | K::ResponsibleChanged
            | K::CustomerChanged
            | K::ServiceChanged
            | K::SlaChanged
            | K::CustomFieldChanged => EventType::TicketUpdated,
            _ => return None,
        })
    }
}

/// The stable id of the event of history entry `history_id` (the same for every webhook, on
/// every retry and redelivery).
pub fn history_event_id(history_id: i64) -> String {
    format!("evt_h{history_id}")
}

/// The stable id of the publication of version `version` of KB article `article_id`.
pub fn kb_event_id(article_id: i64, version: i64) -> String {
    format!("evt_kb{article_id}v{version}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for event in EventType::ALL {
            assert_eq!(EventType::parse(event.as_str()), Some(event));
        }
        assert_eq!(EventType::parse("ticket.deleted"), None);
    }

    #[test]
    fn history_kinds_map_to_events() {
        assert_eq!(
            EventType::of_history("created"),
            Some(EventType::TicketCreated)
        );
        assert_eq!(
            EventType::of_history("priority_changed"),
            Some(EventType::TicketUpdated)
        );
        assert_eq!(
            EventType::of_history("merged_into"),
            Some(EventType::TicketMerged)
        );
        assert_eq!(EventType::of_history("watcher_added"), None);
        assert_eq!(EventType::of_history("no_such_kind"), None);
    }
}
