//! A ticket's life read from its state-type log: when it was closed, reopened, and what state
//! type it had at a given moment.

use chrono::{DateTime, Utc};

use crate::ticket::StateType;

/// The state types a ticket went through, in time order, from its creation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lifecycle {
    created_at: DateTime<Utc>,
    changes: Vec<(DateTime<Utc>, StateType)>,
}

impl Lifecycle {
    /// The life of a ticket created at `created_at` whose state-type log is `changes`
    /// `(since, state type)` — the first entry its state at creation. Unknown state types are
    /// skipped; the order of `changes` does not matter (ties keep their given order).
    pub fn new<S: AsRef<str>>(
        created_at: DateTime<Utc>,
        changes: impl IntoIterator<Item = (DateTime<Utc>, S)>,
    ) -> Self {
        let mut changes: Vec<(DateTime<Utc>, StateType)> = changes
            .into_iter()
            .filter_map(|(at, t)| StateType::parse(t.as_ref()).map(|t| (at.max(created_at), t)))
            .collect();
        changes.sort_by_key(|(at, _)| *at);
        if changes.is_empty() {
            changes.push((created_at, StateType::New));
        }
        Self {
            created_at,
            changes,
        }
    }

    /// When the ticket was created.
    pub fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }

    /// Each closing: entering the state type `closed` from any other (a ticket created closed
    /// is closed at creation). Merging and removing are not closings.
    pub fn closings(&self) -> impl Iterator<Item = DateTime<Utc>> + '_ {
        self.transitions()
            .filter(|(before, after, _)| {
                *after == StateType::Closed && *before != Some(StateType::Closed)
            })
            .map(|(_, _, at)| at)
    }

    /// Each reopening: leaving a finished state type (closed, merged, removed) for one that is
    /// not.
    pub fn reopenings(&self) -> impl Iterator<Item = DateTime<Utc>> + '_ {
        self.transitions()
            .filter(|(before, after, _)| {
                before.is_some_and(StateType::is_finished) && !after.is_finished()
            })
            .map(|(_, _, at)| at)
    }

    /// The state type the ticket had just before `t` (`None`: not created yet), e.g. at the
    /// end of a period.
    pub fn state_before(&self, t: DateTime<Utc>) -> Option<StateType> {
        if self.created_at >= t {
            return None;
        }
        self.changes
            .iter()
            .take_while(|(at, _)| *at < t)
            .last()
            .map(|(_, state)| *state)
            .or(Some(self.changes[0].1))
    }

    /// `(type before, type after, when)` for every entry (the first has no type before).
    fn transitions(
        &self,
    ) -> impl Iterator<Item = (Option<StateType>, StateType, DateTime<Utc>)> + '_ {
        let befores = std::iter::once(None).chain(self.changes.iter().map(|(_, t)| Some(*t)));
        befores
            .zip(self.changes.iter())
            .filter(|(before, (_, after))| *before != Some(*after))
            .map(|(before, (at, after))| (before, *after, *at))
    }
}
