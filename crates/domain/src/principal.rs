//! Who is acting: the authenticated user behind a request, a CLI command or a job.

use serde::{Deserialize, Serialize};

/// The two kinds of people Vakt knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserKind {
    /// Staff who work tickets (OTRS "agent", RT "staff"); administrators are agents too.
    Agent,
    /// Requestors who write in and use the self-service portal.
    Customer,
}

impl UserKind {
    /// The stored/wire name: `agent` or `customer`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Agent => "agent",
            Self::Customer => "customer",
        }
    }

    /// Parses the stored name.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "agent" => Some(Self::Agent),
            "customer" => Some(Self::Customer),
            _ => None,
        }
    }
}

/// An authenticated, active user on whose behalf something happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The user's id.
    pub user_id: i64,
    /// Agent or customer.
    pub kind: UserKind,
    /// Administrators may do everything.
    pub is_admin: bool,
}

impl Principal {
    /// True for agents (including administrators).
    pub fn is_agent(&self) -> bool {
        self.kind == UserKind::Agent
    }

    /// True for administrators (always agents).
    pub fn is_admin(&self) -> bool {
        self.is_agent() && self.is_admin
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_round_trips_through_its_name() {
        for kind in [UserKind::Agent, UserKind::Customer] {
            assert_eq!(UserKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(UserKind::parse("admin"), None);
    }

    #[test]
    fn a_customer_is_never_an_admin() {
        let customer = Principal {
            user_id: 1,
            kind: UserKind::Customer,
            is_admin: true,
        };
        assert!(!customer.is_admin());
        let admin = Principal {
            user_id: 2,
            kind: UserKind::Agent,
            is_admin: true,
        };
        assert!(admin.is_admin() && admin.is_agent());
    }
}
