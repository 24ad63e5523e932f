//! The vocabulary of notifications: events, recipient roles and template variables.

use vakt_domain::wire_enum;

wire_enum! {
    /// What a notification announces.
    NotificationEvent {
        /// A new ticket (agents).
        TicketCreated = "ticket_created",
        /// The customer wrote again (agents).
        CustomerFollowUp = "customer_follow_up",
        /// The ticket got a new owner (agents: the new owner).
        OwnerChanged = "owner_changed",
        /// The ticket was moved into a queue (agents of that queue).
        QueueMoved = "queue_moved",
        /// An SLA clock reached its warning share (agents).
        EscalationWarning = "escalation_warning",
        /// An SLA clock ran out (agents).
        EscalationBreach = "escalation_breach",
        /// A pending reminder or a ticket reminder is due (agents).
        ReminderDue = "reminder_due",
        /// An agent was named (`@email`) in an internal note (agents).
        Mentioned = "mentioned",
        /// The ticket was closed (its customer, when the queue says so).
        TicketClosed = "ticket_closed",
    }
}

impl NotificationEvent {
    /// The events sent to agents (by rules and preferences).
    pub fn agent_events() -> impl Iterator<Item = NotificationEvent> {
        Self::ALL.iter().copied().filter(|e| !e.is_for_customers())
    }

    /// Events sent to customers (configured per queue, email only).
    pub fn is_for_customers(self) -> bool {
        self == NotificationEvent::TicketClosed
    }
}

wire_enum! {
    /// Whom a rule notifies.
    Role {
        /// The ticket's owner (for `owner_changed`: the new owner).
        Owner = "owner",
        /// The responsible agent.
        Responsible = "responsible",
        /// The agents watching the ticket.
        Watchers = "watchers",
        /// The agents with `ro` on the ticket's queue (for `queue_moved`: the target queue).
        QueueMembers = "queue_members",
        /// The queue members when the ticket has no owner.
        QueueMembersIfUnowned = "queue_members_if_unowned",
        /// The agents named in an internal note (`mentioned` only).
        Mentioned = "mentioned",
        /// The reminder's owner, or the queue members of an unowned ticket (`reminder_due` only).
        ReminderOwner = "reminder_owner",
    }
}

/// The variables a template may use, `{{name}}`.
pub const TEMPLATE_VARIABLES: &[&str] = &[
    "ticket_number",
    "ticket_title",
    "queue",
    "state",
    "actor",
    "customer",
    "recipient",
    "link",
    "detail",
    "target",
    "deadline",
];

/// Parses a comma list of roles; the unknown names come back as errors.
pub fn parse_roles(list: &str) -> Result<Vec<Role>, Vec<String>> {
    let mut roles = Vec::new();
    let mut unknown = Vec::new();
    for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        match Role::parse(name) {
            Some(role) if !roles.contains(&role) => roles.push(role),
            Some(_) => {}
            None => unknown.push(name.to_owned()),
        }
    }
    if unknown.is_empty() {
        Ok(roles)
    } else {
        Err(unknown)
    }
}

/// The stored form of a role list.
pub fn join_roles(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_roles_parse() {
        for event in NotificationEvent::ALL {
            assert_eq!(NotificationEvent::parse(event.as_str()), Some(*event));
        }
        assert_eq!(NotificationEvent::agent_events().count(), 8);
        assert_eq!(
            parse_roles("owner, watchers,owner"),
            Ok(vec![Role::Owner, Role::Watchers])
        );
        assert_eq!(parse_roles("owner,boss"), Err(vec!["boss".to_owned()]));
        assert_eq!(
            join_roles(&[Role::QueueMembers, Role::Owner]),
            "queue_members,owner"
        );
    }
}
