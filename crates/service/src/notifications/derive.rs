//! From a history row to the notification events it causes (a row may cause none).

use chrono::{DateTime, Utc};
use vakt_persistence::DbConnection;
use vakt_persistence::repo::events;
use vakt_persistence::repo::history::HistoryRow;
use vakt_persistence::repo::users;

use super::event::NotificationEvent;
use super::render::excerpt;
use crate::error::ServiceResult;
use crate::reference::Reference;
use vakt_domain::ticket::StateType;

/// Longest article excerpt in a notification.
const EXCERPT: usize = 600;

/// Who an event names explicitly, beyond the roles of its rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Named {
    /// Nobody.
    Nobody,
    /// These agents (mentioned, or a reminder's owner).
    Users(Vec<i64>),
    /// The members of this queue (a pending reminder of an unowned ticket).
    QueueMembers(i64),
}

/// One event caused by a history row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Derived {
    pub(crate) event: NotificationEvent,
    pub(crate) named: Named,
    pub(crate) detail: String,
    pub(crate) target: Option<String>,
    pub(crate) deadline: Option<DateTime<Utc>>,
}

impl Derived {
    fn new(event: NotificationEvent) -> Self {
        Derived {
            event,
            named: Named::Nobody,
            detail: String::new(),
            target: None,
            deadline: None,
        }
    }
}

fn text_of(conn: &mut DbConnection, article_id: Option<i64>) -> ServiceResult<String> {
    Ok(match article_id {
        Some(id) => events::article_text(conn, id)?
            .map(|t| excerpt(&t, EXCERPT))
            .unwrap_or_default(),
        None => String::new(),
    })
}

/// The events of `row`.
pub(crate) fn derive(
    conn: &mut DbConnection,
    reference: &Reference,
    row: &HistoryRow,
) -> ServiceResult<Vec<Derived>> {
    use NotificationEvent as E;
    let derived = match row.kind.as_str() {
        "created" => {
            let first = events::first_article_id(conn, row.ticket_id)?;
            vec![Derived {
                detail: text_of(conn, first)?,
                ..Derived::new(E::TicketCreated)
            }]
        }
        "article_added" => {
            let Some(article_id) = row.article_id else {
                return Ok(Vec::new());
            };
            let Some(article) = events::article_facts(conn, &[article_id])?.pop() else {
                return Ok(Vec::new());
            };
            let first = events::first_article_id(conn, row.ticket_id)?;
            if article.sender_type == "customer" && first != Some(article_id) {
                vec![Derived {
                    detail: text_of(conn, Some(article_id))?,
                    ..Derived::new(E::CustomerFollowUp)
                }]
            } else if !article.customer_visible {
                let text = events::article_text(conn, article_id)?.unwrap_or_default();
                let mut mentioned = Vec::new();
                for email in mentions(&text) {
                    if let Some(user) = users::find_by_email(conn, &email)?
                        && user.kind == "agent"
                        && !mentioned.contains(&user.id)
                    {
                        mentioned.push(user.id);
                    }
                }
                if mentioned.is_empty() {
                    Vec::new()
                } else {
                    vec![Derived {
                        named: Named::Users(mentioned),
                        detail: excerpt(&text, EXCERPT),
                        ..Derived::new(E::Mentioned)
                    }]
                }
            } else {
                Vec::new()
            }
        }
        "owner_changed" if row.new_value.is_some() => vec![Derived::new(E::OwnerChanged)],
        "queue_changed" => vec![Derived::new(E::QueueMoved)],
        kind @ ("escalation_warning" | "escalation_breach") => {
            let event = if kind == "escalation_warning" {
                E::EscalationWarning
            } else {
                E::EscalationBreach
            };
            vec![Derived {
                target: row.new_value.clone(),
                deadline: row
                    .old_value
                    .as_deref()
                    .and_then(|v| DateTime::parse_from_rfc3339(v).ok())
                    .map(|d| d.with_timezone(&Utc)),
                ..Derived::new(event)
            }]
        }
        "reminder_due" => {
            let value = row.new_value.as_deref().unwrap_or_default();
            let named = if let Some(id) = value.strip_prefix("owner:") {
                id.parse()
                    .map_or(Named::Nobody, |id| Named::Users(vec![id]))
            } else if let Some(id) = value.strip_prefix("queue:") {
                id.parse().map_or(Named::Nobody, Named::QueueMembers)
            } else {
                Named::Nobody
            };
            vec![Derived {
                named,
                ..Derived::new(E::ReminderDue)
            }]
        }
        "ticket_reminder_due" => {
            let value = row.new_value.clone().unwrap_or_default();
            let (id, subject) = value.split_once(' ').unwrap_or((value.as_str(), ""));
            let owner = match id.trim_start_matches('#').parse::<i64>() {
                Ok(id) => events::reminder_owner(conn, id)?,
                Err(_) => None,
            };
            vec![Derived {
                named: owner.map_or(Named::Nobody, |o| Named::Users(vec![o])),
                detail: subject.trim().to_owned(),
                ..Derived::new(E::ReminderDue)
            }]
        }
        "state_changed" => {
            let closed = row.new_value.as_deref().is_some_and(|name| {
                reference
                    .states
                    .iter()
                    .any(|s| s.name == name && s.state_type == StateType::Closed)
            });
            if closed {
                vec![Derived::new(E::TicketClosed)]
            } else {
                Vec::new()
            }
        }
        _ => Vec::new(),
    };
    Ok(derived)
}

/// The addresses named as `@address` in a text (`@kari@example.org`), lower-cased, in order.
pub(crate) fn mentions(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let starts = chars[i] == '@'
            && (i == 0 || chars[i - 1].is_whitespace() || "([{<\"'".contains(chars[i - 1]));
        if !starts {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < chars.len() && (chars[j].is_alphanumeric() || "._%+-@".contains(chars[j])) {
            j += 1;
        }
        let word: String = chars[i + 1..j].iter().collect();
        let word = word.trim_end_matches(['.', '-']).to_lowercase();
        if let Some((local, domain)) = word.split_once('@')
            && !local.is_empty()
            && domain.contains('.')
            && !domain.contains('@')
            && !found.contains(&word)
        {
            found.push(word);
        }
        i = j;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::mentions;

    #[test]
    fn mentions_are_at_addresses_after_a_space() {
        assert_eq!(
            mentions("Hi @Kari@Example.org, please ask @ola@example.org. (@kari@example.org)"),
            ["kari@example.org", "ola@example.org"]
        );
        assert!(mentions("mail kari@example.org or @someone or @x@localhost").is_empty());
    }
}
