//! Permissions (SPEC §8): rights per group, granted to agents directly or through roles;
//! queues belong to groups; administrators may do everything; customers see their own (and,
//! when allowed, their company's) tickets and only customer-visible articles.

use std::collections::{HashMap, HashSet};

use crate::principal::{Principal, UserKind};

/// One right on a group (OTRS: ro, move_into, create, note, owner, priority, rw; plus steal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Right {
    /// See the group's tickets.
    Ro,
    /// Move tickets into the group's queues.
    MoveInto,
    /// Create tickets in the group's queues.
    Create,
    /// Add internal notes.
    Note,
    /// Be (or become) the owner of tickets.
    Owner,
    /// Take a ticket owned by someone else.
    Steal,
    /// Change the priority.
    Priority,
    /// Everything.
    Rw,
}

impl Right {
    /// All rights, in their canonical order.
    pub const ALL: [Right; 8] = [
        Right::Ro,
        Right::MoveInto,
        Right::Create,
        Right::Note,
        Right::Owner,
        Right::Steal,
        Right::Priority,
        Right::Rw,
    ];

    /// The wire name (`ro`, `move_into`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Right::Ro => "ro",
            Right::MoveInto => "move_into",
            Right::Create => "create",
            Right::Note => "note",
            Right::Owner => "owner",
            Right::Steal => "steal",
            Right::Priority => "priority",
            Right::Rw => "rw",
        }
    }

    /// Parses a wire name.
    pub fn parse(name: &str) -> Option<Right> {
        Right::ALL.into_iter().find(|r| r.as_str() == name)
    }

    fn bit(self) -> i64 {
        1 << (self as u8)
    }
}

/// A set of rights, stored as a bit mask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct RightSet(i64);

impl RightSet {
    /// No rights.
    pub const EMPTY: RightSet = RightSet(0);

    /// From a stored bit mask (unknown bits are dropped).
    pub fn from_bits(bits: i64) -> Self {
        let all = Right::ALL.iter().fold(0, |acc, r| acc | r.bit());
        RightSet(bits & all)
    }

    /// The stored bit mask.
    pub fn bits(self) -> i64 {
        self.0
    }

    /// The set of the given rights.
    pub fn of(rights: impl IntoIterator<Item = Right>) -> Self {
        RightSet(rights.into_iter().fold(0, |acc, r| acc | r.bit()))
    }

    /// Whether `right` is granted: directly, or implied by `rw`. Every right implies `ro`.
    pub fn allows(self, right: Right) -> bool {
        if self.0 & Right::Rw.bit() != 0 {
            return true;
        }
        match right {
            Right::Ro => self.0 != 0,
            other => self.0 & other.bit() != 0,
        }
    }

    /// Union.
    pub fn union(self, other: RightSet) -> RightSet {
        RightSet(self.0 | other.0)
    }

    /// True when no right is granted.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The granted rights, in canonical order.
    pub fn rights(self) -> Vec<Right> {
        Right::ALL
            .into_iter()
            .filter(|r| self.0 & r.bit() != 0)
            .collect()
    }
}

/// Everything needed to decide what a principal may do, loaded once per request.
#[derive(Debug, Clone)]
pub struct Access {
    /// Who.
    pub principal: Principal,
    /// Effective rights per group id (direct grants ∪ role grants).
    pub groups: HashMap<i64, RightSet>,
    /// Groups whose membership this agent may manage (queue manager flag).
    pub managed_groups: HashSet<i64>,
    /// For customers: their company.
    pub company_id: Option<i64>,
    /// For customers: whether they see their company's tickets.
    pub sees_company_tickets: bool,
}

/// The facts about a ticket that decide who may see and change it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TicketScope {
    /// The group of the ticket's queue.
    pub group_id: i64,
    /// The owner, if any.
    pub owner_id: Option<i64>,
    /// The responsible agent, if any.
    pub responsible_id: Option<i64>,
    /// The customer user.
    pub customer_id: Option<i64>,
    /// The customer company.
    pub company_id: Option<i64>,
}

impl Access {
    /// Access of a principal with no grants (a fresh agent, or a customer without a company).
    pub fn none(principal: Principal) -> Self {
        Access {
            principal,
            groups: HashMap::new(),
            managed_groups: HashSet::new(),
            company_id: None,
            sees_company_tickets: false,
        }
    }

    /// True for administrators.
    pub fn is_admin(&self) -> bool {
        self.principal.is_admin()
    }

    /// True for customers.
    pub fn is_customer(&self) -> bool {
        self.principal.kind == UserKind::Customer
    }

    /// Whether the principal has `right` on `group_id` (administrators always do).
    pub fn has(&self, group_id: i64, right: Right) -> bool {
        if self.is_admin() {
            return true;
        }
        if self.is_customer() {
            return false;
        }
        self.groups
            .get(&group_id)
            .is_some_and(|set| set.allows(right))
    }

    /// The groups in which the principal has `right`; `None` means "all" (administrators).
    pub fn groups_with(&self, right: Right) -> Option<Vec<i64>> {
        if self.is_admin() {
            return None;
        }
        if self.is_customer() {
            return Some(Vec::new());
        }
        let mut ids: Vec<i64> = self
            .groups
            .iter()
            .filter(|(_, set)| set.allows(right))
            .map(|(id, _)| *id)
            .collect();
        ids.sort_unstable();
        Some(ids)
    }

    /// The rights the principal holds on `group_id` as they take effect: `rw` spelled out into
    /// every right and every right implying `ro`; administrators hold all, customers none.
    /// (On a ticket they own or are responsible for, agents hold every right besides.)
    pub fn effective_rights(&self, group_id: i64) -> Vec<Right> {
        Right::ALL
            .into_iter()
            .filter(|right| self.has(group_id, *right))
            .collect()
    }

    /// Whether the principal may manage agents' membership of `group_id`.
    pub fn manages(&self, group_id: i64) -> bool {
        self.is_admin() || (!self.is_customer() && self.managed_groups.contains(&group_id))
    }

    /// Whether the principal may see the ticket at all.
    pub fn can_see(&self, ticket: &TicketScope) -> bool {
        if self.is_customer() {
            let own = ticket.customer_id == Some(self.principal.user_id);
            let company = self.sees_company_tickets
                && self.company_id.is_some()
                && ticket.company_id == self.company_id;
            return own || company;
        }
        self.is_agent_on_ticket(ticket) || self.has(ticket.group_id, Right::Ro)
    }

    /// Whether the principal may do `right` on the ticket. The owner and the responsible
    /// agent have every right on their ticket (OTRS's owner/responsible check).
    pub fn can(&self, ticket: &TicketScope, right: Right) -> bool {
        if self.is_customer() {
            return false;
        }
        self.is_agent_on_ticket(ticket) || self.has(ticket.group_id, right)
    }

    fn is_agent_on_ticket(&self, ticket: &TicketScope) -> bool {
        let me = Some(self.principal.user_id);
        !self.is_customer() && (ticket.owner_id == me || ticket.responsible_id == me)
    }

    /// Whether internal (not customer-visible) articles are visible.
    pub fn sees_internal_articles(&self) -> bool {
        !self.is_customer()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agent(id: i64, grants: &[(i64, &[Right])]) -> Access {
        let mut access = Access::none(Principal {
            user_id: id,
            kind: UserKind::Agent,
            is_admin: false,
        });
        for (group, rights) in grants {
            access
                .groups
                .insert(*group, RightSet::of(rights.iter().copied()));
        }
        access
    }

    fn ticket(group_id: i64) -> TicketScope {
        TicketScope {
            group_id,
            owner_id: None,
            responsible_id: None,
            customer_id: Some(50),
            company_id: Some(7),
        }
    }

    #[test]
    fn rw_implies_everything_and_every_right_implies_ro() {
        let rw = RightSet::of([Right::Rw]);
        assert!(Right::ALL.iter().all(|r| rw.allows(*r)));
        let note = RightSet::of([Right::Note]);
        assert!(note.allows(Right::Ro) && note.allows(Right::Note));
        assert!(!note.allows(Right::MoveInto));
        assert!(!RightSet::EMPTY.allows(Right::Ro));
        assert_eq!(RightSet::from_bits(note.bits() | 1 << 40), note);
        assert_eq!(
            RightSet::of([Right::Steal, Right::Ro]).rights(),
            vec![Right::Ro, Right::Steal]
        );
    }

    #[test]
    fn effective_rights_spell_out_rw_and_imply_ro() {
        let a = agent(7, &[(1, &[Right::Create]), (2, &[Right::Rw])]);
        assert_eq!(a.effective_rights(1), vec![Right::Ro, Right::Create]);
        assert_eq!(a.effective_rights(2), Right::ALL.to_vec());
        assert!(a.effective_rights(3).is_empty());
        let mut admin = agent(8, &[]);
        admin.principal.is_admin = true;
        assert_eq!(admin.effective_rights(3), Right::ALL.to_vec());
    }

    #[test]
    fn names_round_trip() {
        for right in Right::ALL {
            assert_eq!(Right::parse(right.as_str()), Some(right));
        }
        assert_eq!(Right::parse("admin"), None);
    }

    #[test]
    fn agents_see_tickets_of_their_groups_only() {
        let ola = agent(1, &[(10, &[Right::Ro])]);
        assert!(ola.can_see(&ticket(10)));
        assert!(!ola.can_see(&ticket(11)));
        assert!(!ola.can(&ticket(10), Right::Note));
        assert_eq!(ola.groups_with(Right::Ro), Some(vec![10]));
        assert_eq!(ola.groups_with(Right::Create), Some(vec![]));
    }

    #[test]
    fn owners_and_responsibles_have_every_right_on_their_ticket() {
        let ola = agent(1, &[]);
        let owned = TicketScope {
            owner_id: Some(1),
            ..ticket(10)
        };
        assert!(ola.can_see(&owned) && ola.can(&owned, Right::Rw));
        let responsible = TicketScope {
            responsible_id: Some(1),
            ..ticket(10)
        };
        assert!(ola.can(&responsible, Right::Priority));
    }

    #[test]
    fn administrators_may_do_everything() {
        let admin = Access::none(Principal {
            user_id: 9,
            kind: UserKind::Agent,
            is_admin: true,
        });
        assert!(admin.can(&ticket(99), Right::Steal) && admin.manages(99));
        assert_eq!(admin.groups_with(Right::Ro), None);
    }

    #[test]
    fn customers_see_their_own_and_optionally_their_companys_tickets() {
        let mut kunde = Access::none(Principal {
            user_id: 50,
            kind: UserKind::Customer,
            is_admin: false,
        });
        assert!(kunde.can_see(&ticket(10)));
        assert!(!kunde.can(&ticket(10), Right::Ro), "no agent rights");
        assert!(!kunde.sees_internal_articles());
        let colleague_ticket = TicketScope {
            customer_id: Some(51),
            ..ticket(10)
        };
        assert!(!kunde.can_see(&colleague_ticket));
        kunde.company_id = Some(7);
        assert!(!kunde.can_see(&colleague_ticket), "flag off");
        kunde.sees_company_tickets = true;
        assert!(kunde.can_see(&colleague_ticket), "flag on");
        let other_company = TicketScope {
            company_id: Some(8),
            ..colleague_ticket
        };
        assert!(!kunde.can_see(&other_company));
        // A customer is never an agent, whatever the table says.
        kunde.groups.insert(10, RightSet::of([Right::Rw]));
        assert!(!kunde.has(10, Right::Ro) && !kunde.manages(10));
    }

    #[test]
    fn queue_managers_manage_only_their_groups() {
        let mut ola = agent(1, &[(10, &[Right::Rw])]);
        ola.managed_groups.insert(10);
        assert!(ola.manages(10) && !ola.manages(11));
    }
}
