//! Sort keys of the ticket list that cannot be a plain column: text sorted without regard to
//! case, and states in the order of their life cycle. They are stored on the ticket row (kept
//! current in the transaction of every change), so that each sort has an index and pages by
//! keyset.

use crate::ticket::StateType;

/// Characters of a text kept in its sort key: enough to order any real list, short enough for
/// small index entries. Texts equal in these characters fall back to the ticket id.
pub const TEXT_SORT_KEY_CHARS: usize = 64;

/// The sort key of a title or a name: trimmed, lower-cased (Unicode), at most
/// [`TEXT_SORT_KEY_CHARS`] characters, so that `alice` and `Alice` sort together on every
/// backend whatever its collation.
pub fn text_key(text: &str) -> String {
    text.trim()
        .chars()
        .flat_map(char::to_lowercase)
        .take(TEXT_SORT_KEY_CHARS)
        .collect()
}

/// The sort key of a person: the display name, or the email address when the name is blank.
/// Nobody (no owner, no customer) is the empty key, which sorts first.
pub fn person_key(name: &str, email: &str) -> String {
    if name.trim().is_empty() {
        text_key(email)
    } else {
        text_key(name)
    }
}

/// The sort key of a state type: its place in the life cycle (new, open, pending reminder,
/// pending auto, closed, merged, removed), as OTRS and Zammad users read a queue.
pub fn state_rank(state_type: StateType) -> i64 {
    StateType::ALL
        .iter()
        .position(|t| *t == state_type)
        .map_or(i64::MAX, |p| p as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_keys_ignore_case_and_surrounding_space_and_are_bounded() {
        assert_eq!(text_key("  Printer ÆØÅ broken "), "printer æøå broken");
        assert_eq!(text_key("alice"), text_key("ALICE"));
        assert_eq!(
            text_key(&"x".repeat(300)).chars().count(),
            TEXT_SORT_KEY_CHARS
        );
    }

    #[test]
    fn people_without_a_name_sort_by_address_and_nobody_first() {
        assert_eq!(person_key("Kari Nordmann", "kari@uio.no"), "kari nordmann");
        assert_eq!(person_key(" ", "Kari@UiO.no"), "kari@uio.no");
        assert!(person_key("", "") < person_key("a", "a@b.no"));
    }

    #[test]
    fn states_rank_in_life_cycle_order() {
        let ranks: Vec<i64> = StateType::ALL.iter().map(|t| state_rank(*t)).collect();
        assert!(ranks.windows(2).all(|w| w[0] < w[1]));
        assert!(state_rank(StateType::Open) < state_rank(StateType::PendingReminder));
        assert!(state_rank(StateType::PendingAuto) < state_rank(StateType::Closed));
    }
}
