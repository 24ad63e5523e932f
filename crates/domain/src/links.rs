//! Ticket links: the kinds a link has as seen from either of its tickets, and the one
//! canonical direction each is stored in (ADR 0008).

use crate::wire_enum;

wire_enum! {
    /// A link as seen from one ticket: "this ticket <kind> the other".
    LinkKind {
        /// This ticket is the other's parent.
        ParentOf = "parent_of",
        /// This ticket is the other's child.
        ChildOf = "child_of",
        /// This ticket cannot be finished before the other.
        DependsOn = "depends_on",
        /// The other ticket depends on this one.
        DependedOnBy = "depended_on_by",
        /// This ticket refers to the other.
        RefersTo = "refers_to",
        /// The other ticket refers to this one.
        ReferredToBy = "referred_to_by",
        /// This ticket duplicates the other.
        DuplicateOf = "duplicate_of",
        /// The other ticket duplicates this one.
        DuplicatedBy = "duplicated_by",
        /// This ticket is the master of the other (its slave).
        MasterOf = "master_of",
        /// This ticket is a slave of the other (its master).
        SlaveOf = "slave_of",
    }
}

impl LinkKind {
    /// The stored form: (canonical kind, whether this ticket is the stored source).
    pub fn canonical(self) -> (LinkKind, bool) {
        match self {
            LinkKind::ParentOf
            | LinkKind::DependsOn
            | LinkKind::RefersTo
            | LinkKind::DuplicateOf
            | LinkKind::MasterOf => (self, true),
            other => (other.reverse(), false),
        }
    }

    /// The same link seen from the other ticket.
    pub fn reverse(self) -> LinkKind {
        match self {
            LinkKind::ParentOf => LinkKind::ChildOf,
            LinkKind::ChildOf => LinkKind::ParentOf,
            LinkKind::DependsOn => LinkKind::DependedOnBy,
            LinkKind::DependedOnBy => LinkKind::DependsOn,
            LinkKind::RefersTo => LinkKind::ReferredToBy,
            LinkKind::ReferredToBy => LinkKind::RefersTo,
            LinkKind::DuplicateOf => LinkKind::DuplicatedBy,
            LinkKind::DuplicatedBy => LinkKind::DuplicateOf,
            LinkKind::MasterOf => LinkKind::SlaveOf,
            LinkKind::SlaveOf => LinkKind::MasterOf,
        }
    }

    /// How a stored link (`kind` canonical) reads from one of its tickets.
    pub fn seen_from(kind: LinkKind, is_source: bool) -> LinkKind {
        if is_source { kind } else { kind.reverse() }
    }

    /// Kinds whose links must not form a cycle (a ticket its own ancestor or dependency).
    pub fn is_acyclic(self) -> bool {
        matches!(self.canonical().0, LinkKind::ParentOf | LinkKind::DependsOn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_stored_once_and_reads_back_both_ways() {
        for &kind in LinkKind::ALL {
            let (stored, is_source) = kind.canonical();
            assert_eq!(LinkKind::seen_from(stored, is_source), kind);
            assert_eq!(LinkKind::seen_from(stored, !is_source), kind.reverse());
            assert!(stored.canonical().1, "{kind:?} stores as a canonical kind");
            assert_eq!(kind.reverse().reverse(), kind);
        }
        assert!(LinkKind::ChildOf.is_acyclic() && LinkKind::DependedOnBy.is_acyclic());
        assert!(!LinkKind::RefersTo.is_acyclic() && !LinkKind::MasterOf.is_acyclic());
    }
}
