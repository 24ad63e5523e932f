//! Ticket vocabulary: state types, article senders and channels, and ticket numbers.

use chrono::NaiveDate;

use crate::validation::ValidationError;

/// Declares a closed vocabulary: an enum whose values have stable stored/wire names, with
/// `ALL`, `as_str` and `parse`. Other crates use it for their own vocabularies.
#[macro_export]
macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* $variant),* }

        impl $name {
            /// All values.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The stored/wire name.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),* }
            }

            /// Parses the stored/wire name.
            pub fn parse(value: &str) -> Option<Self> {
                match value { $($wire => Some($name::$variant),)* _ => None }
            }
        }
    };
}

wire_enum! {
    /// What a state means to the system (states themselves are admin-defined data).
    StateType {
        /// Not yet worked on.
        New = "new",
        /// Being worked on.
        Open = "open",
        /// Waiting; the owner is reminded at the pending time.
        PendingReminder = "pending_reminder",
        /// Waiting; the state changes automatically at the pending time.
        PendingAuto = "pending_auto",
        /// Done.
        Closed = "closed",
        /// Merged into another ticket.
        Merged = "merged",
        /// Removed (spam, mistakes); hidden from normal views.
        Removed = "removed",
    }
}

impl StateType {
    /// Closed, merged and removed tickets are finished: they get `closed_at` and stop clocks.
    pub fn is_finished(self) -> bool {
        matches!(
            self,
            StateType::Closed | StateType::Merged | StateType::Removed
        )
    }

    /// Pending states need a pending time.
    pub fn is_pending(self) -> bool {
        matches!(self, StateType::PendingReminder | StateType::PendingAuto)
    }
}

wire_enum! {
    /// Who wrote an article.
    SenderType {
        /// An agent.
        Agent = "agent",
        /// The customer.
        Customer = "customer",
        /// Vakt itself (auto-replies, notifications, escalations).
        System = "system",
    }
}

wire_enum! {
    /// How an article came or went.
    Channel {
        /// By email.
        Email = "email",
        /// By telephone (typed in by an agent).
        Phone = "phone",
        /// Through the customer portal.
        Web = "web",
        /// Through the API by a third-party system.
        Api = "api",
        /// An internal note.
        Note = "note",
    }
}

wire_enum! {
    /// What a history entry records.
    HistoryKind {
        /// The ticket was created.
        Created = "created",
        /// An article was added.
        ArticleAdded = "article_added",
        /// The title changed.
        TitleChanged = "title_changed",
        /// The queue changed.
        QueueChanged = "queue_changed",
        /// The state changed.
        StateChanged = "state_changed",
        /// The pending time changed.
        PendingChanged = "pending_changed",
        /// The priority changed.
        PriorityChanged = "priority_changed",
        /// The type changed.
        TypeChanged = "type_changed",
        /// The owner changed (take, give, steal, release).
        OwnerChanged = "owner_changed",
        /// The responsible agent changed.
        ResponsibleChanged = "responsible_changed",
        /// The customer (or company) changed.
        CustomerChanged = "customer_changed",
        /// Someone started watching.
        WatcherAdded = "watcher_added",
        /// Someone stopped watching.
        WatcherRemoved = "watcher_removed",
        /// Work time was recorded.
        TimeAccounted = "time_accounted",
        /// The service changed (old and new full names).
        ServiceChanged = "service_changed",
        /// The SLA in force changed (old and new names), e.g. with the service or queue.
        SlaChanged = "sla_changed",
        /// An SLA clock reached its warning share: `new_value` the target (`first_response`,
        /// `update`, `solution`), `old_value` its deadline (RFC 3339).
        EscalationWarning = "escalation_warning",
        /// An SLA clock passed its deadline: `new_value` the target, `old_value` the deadline.
        EscalationBreach = "escalation_breach",
        /// A pending reminder's time came: `old_value` the pending time, `new_value` whom to
        /// remind (`owner:<user id>`, or `queue:<queue id>` for an unowned ticket).
        ReminderDue = "reminder_due",
        /// A reminder was added (`new_value`: `#<id> <subject>`).
        ReminderAdded = "reminder_added",
        /// A reminder's subject, due time or owner changed, or it was reopened.
        ReminderChanged = "reminder_changed",
        /// A reminder was marked done.
        ReminderCompleted = "reminder_completed",
        /// A reminder was deleted (`old_value`: `#<id> <subject>`).
        ReminderRemoved = "reminder_removed",
        /// A reminder's due time came: `new_value` `#<id> <subject>`, `old_value` the due time.
        TicketReminderDue = "ticket_reminder_due",
        /// A link to another ticket was added (`new_value`: `<kind> #<number>`, as seen from
        /// this ticket).
        LinkAdded = "link_added",
        /// A link was removed (`old_value`: `<kind> #<number>`).
        LinkRemoved = "link_removed",
        /// This ticket was merged into another (`new_value`: `#<number>` of the target).
        MergedInto = "merged_into",
        /// Another ticket was merged into this one (`old_value`: `#<number>` of the source).
        MergedFrom = "merged_from",
        /// Articles of this ticket started a new one (`new_value`: `#<number>`).
        SplitOff = "split_off",
        /// This ticket was split off another (`old_value`: `#<number>` of the original).
        SplitFrom = "split_from",
        /// A custom field changed: `old_value` and `new_value` are `<key>: <value>` (the value
        /// as text, a multiselect's options joined by `, `; absent when there was none).
        CustomFieldChanged = "custom_field_changed",
    }
}

/// How ticket numbers are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TicketNumberFormat {
    /// `YYYYMMDD` + system id + a counter that restarts every day, at least six digits
    /// (OTRS's date generator): `2026112410000017`.
    Date,
    /// System id + a counter that never restarts, at least eight digits: `1000000042`.
    Counter,
}

impl TicketNumberFormat {
    /// Parses `date` or `counter`.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "date" => Some(Self::Date),
            "counter" => Some(Self::Counter),
            _ => None,
        }
    }

    /// The counter a number on `day` draws from (one per day, or one for ever).
    pub fn counter_key(self, day: NaiveDate) -> String {
        match self {
            Self::Date => day.format("%Y%m%d").to_string(),
            Self::Counter => "all".to_owned(),
        }
    }

    /// The number for the `counter`-th ticket of its counter key.
    pub fn format(self, day: NaiveDate, system_id: &SystemId, counter: i64) -> String {
        match self {
            Self::Date => format!("{}{}{counter:06}", day.format("%Y%m%d"), system_id.0),
            Self::Counter => format!("{}{counter:08}", system_id.0),
        }
    }
}

/// A short numeric installation id that keeps numbers of several installations apart
/// (OTRS/Zammad "SystemID"), 1–4 digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemId(String);

impl SystemId {
    /// Validates a system id.
    pub fn parse(value: &str) -> Result<Self, ValidationError> {
        if (1..=4).contains(&value.len()) && value.chars().all(|c| c.is_ascii_digit()) {
            Ok(Self(value.to_owned()))
        } else {
            Err(ValidationError::new(
                "invalid_system_id",
                "must be 1 to 4 digits",
            ))
        }
    }
}

impl Default for SystemId {
    /// `10`, as OTRS's default.
    fn default() -> Self {
        Self("10".to_owned())
    }
}

/// Whether `text` looks like a ticket number (all digits, 8–32 of them), as opposed to an id.
pub fn looks_like_ticket_number(text: &str) -> bool {
    (8..=32).contains(&text.len()) && text.chars().all(|c| c.is_ascii_digit())
}

/// The priorities seeded on first start: level and name.
pub const DEFAULT_PRIORITIES: [(i64, &str); 5] = [
    (1, "1 very low"),
    (2, "2 low"),
    (3, "3 normal"),
    (4, "4 high"),
    (5, "5 very high"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_round_trip() {
        for t in StateType::ALL {
            assert_eq!(StateType::parse(t.as_str()), Some(*t));
        }
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.as_str()), Some(*c));
        }
        assert_eq!(SenderType::parse("robot"), None);
        assert!(StateType::Merged.is_finished() && !StateType::PendingAuto.is_finished());
        assert!(StateType::PendingAuto.is_pending());
    }

    #[test]
    fn numbers_follow_the_format() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let system = SystemId::parse("10").unwrap();
        assert_eq!(
            TicketNumberFormat::Date.format(day, &system, 17),
            "2026112210000017"
        );
        assert_eq!(
            TicketNumberFormat::Date.format(day, &system, 1_234_567),
            "20261122101234567"
        );
        assert_eq!(
            TicketNumberFormat::Counter.format(day, &system, 42),
            "1000000042"
        );
        assert_eq!(TicketNumberFormat::Date.counter_key(day), "20261122");
        assert_eq!(TicketNumberFormat::Counter.counter_key(day), "all");
        assert!(SystemId::parse("12345").is_err() && SystemId::parse("a").is_err());
        assert!(looks_like_ticket_number("2026112210000017"));
        assert!(!looks_like_ticket_number("42"));
    }
}
