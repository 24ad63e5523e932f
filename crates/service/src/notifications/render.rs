//! Rendering notification texts: the variables of one notification, in the recipient's
//! language and time zone, and the fallbacks when a template is missing.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::event::{NotificationEvent, TEMPLATE_VARIABLES};
use crate::mail::{placeholders, render_with};

/// The values of one notification's variables.
#[derive(Debug, Clone, Default)]
pub(crate) struct Vars {
    pub(crate) ticket_number: String,
    pub(crate) ticket_title: String,
    pub(crate) queue: String,
    pub(crate) state: String,
    pub(crate) actor: String,
    pub(crate) customer: String,
    pub(crate) recipient: String,
    pub(crate) link: String,
    pub(crate) detail: String,
    /// The SLA target as stored (`first_response`, `update`, `solution`); shown translated.
    pub(crate) target: Option<String>,
    /// The SLA deadline; shown in the recipient's time zone.
    pub(crate) deadline: Option<DateTime<Utc>>,
}

/// A rendered notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rendered {
    pub(crate) subject: String,
    pub(crate) body: String,
}

/// Subject and body templates by (event, language).
pub(crate) type Templates = HashMap<(String, String), (String, String)>;

/// Used when neither the recipient's language nor English has a template (an administrator
/// cannot delete templates, so only a damaged database gets here).
const FALLBACK: (&str, &str) = (
    "{{ticket_number}}: {{ticket_title}}",
    "{{detail}}\n\n{{link}}\n",
);

/// Renders `event` for a recipient with `language` (fallback English) and `time_zone`.
pub(crate) fn render(
    templates: &Templates,
    event: NotificationEvent,
    language: &str,
    time_zone: Option<&str>,
    vars: &Vars,
) -> Rendered {
    let key = |lang: &str| (event.as_str().to_owned(), lang.to_owned());
    let (subject, body) = templates
        .get(&key(language))
        .or_else(|| templates.get(&key("en")))
        .map(|(s, b)| (s.as_str(), b.as_str()))
        .unwrap_or(FALLBACK);
    let lookup = |name: &str| value(vars, name, language, time_zone);
    let subject = render_with(subject, lookup)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    Rendered {
        subject,
        body: tidy(&render_with(body, lookup)),
    }
}

/// Collapses the blank lines an empty variable leaves behind.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.trim().to_owned() + "\n"
}

fn value(vars: &Vars, name: &str, language: &str, time_zone: Option<&str>) -> Option<String> {
    Some(match name {
        "ticket_number" => vars.ticket_number.clone(),
        "ticket_title" | "title" => vars.ticket_title.clone(),
        "queue" => vars.queue.clone(),
        "state" => vars.state.clone(),
        "actor" => vars.actor.clone(),
        "customer" => vars.customer.clone(),
        "recipient" => vars.recipient.clone(),
        "link" => vars.link.clone(),
        "detail" => vars.detail.clone(),
        "target" => target_name(vars.target.as_deref().unwrap_or_default(), language).to_owned(),
        "deadline" => vars
            .deadline
            .map(|at| format_time(at, time_zone))
            .unwrap_or_default(),
        _ => return None,
    })
}

/// An SLA target in words.
fn target_name<'a>(target: &'a str, language: &str) -> &'a str {
    match (target, language) {
        ("first_response", "nl") => "eerste-reactietermijn",
        ("first_response", "nb") => "første svar",
        ("first_response", "de") => "erste Reaktion",
        ("first_response", _) => "first response",
        ("update", "nl") => "updatetermijn",
        ("update", "nb") => "oppdatering",
        ("update", "de") => "Aktualisierung",
        ("update", _) => "update",
        ("solution", "nl") => "oplostermijn",
        ("solution", "nb") => "løsning",
        ("solution", "de") => "Lösung",
        ("solution", _) => "solution",
        (other, _) => other,
    }
}

/// A time in the recipient's time zone (UTC when they have none), e.g. `2026-11-30 09:30 CET`.
pub(crate) fn format_time(at: DateTime<Utc>, time_zone: Option<&str>) -> String {
    match time_zone.and_then(|tz| vakt_domain::calendar::parse_time_zone(tz).ok()) {
        Some(tz) => at
            .with_timezone(&tz)
            .format("%Y-%m-%d %H:%M %Z")
            .to_string(),
        None => at.format("%Y-%m-%d %H:%M UTC").to_string(),
    }
}

/// The placeholders of a template that are not variables.
pub(crate) fn unknown_variables(template: &str) -> Vec<String> {
    let mut unknown: Vec<String> = placeholders(template)
        .into_iter()
        .filter(|name| !TEMPLATE_VARIABLES.contains(&name.as_str()) && name != "title")
        .collect();
    unknown.dedup();
    unknown
}

/// The first `max` characters of a text, on one paragraph's worth of lines.
pub(crate) fn excerpt(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn templates() -> Templates {
        let mut t = Templates::new();
        t.insert(
            ("escalation_breach".into(), "en".into()),
            (
                "Escalated: {{ticket_number}}".into(),
                "The {{target}} time ran out at {{deadline}}.\n\n{{detail}}\n\n{{link}}\n".into(),
            ),
        );
        t.insert(
            ("escalation_breach".into(), "nl".into()),
            (
                "Geëscaleerd: {{ticket_number}}".into(),
                "De {{target}} is verlopen om {{deadline}}.".into(),
            ),
        );
        t
    }

    #[test]
    fn renders_in_the_language_and_time_zone_of_the_recipient() {
        let vars = Vars {
            ticket_number: "2026112410000017".into(),
            target: Some("first_response".into()),
            deadline: DateTime::parse_from_rfc3339("2026-11-30T08:30:00Z")
                .ok()
                .map(|d| d.with_timezone(&Utc)),
            link: "http://vakt/agent/tickets/2026112410000017".into(),
            ..Vars::default()
        };
        let en = render(
            &templates(),
            NotificationEvent::EscalationBreach,
            "en",
            Some("Europe/Oslo"),
            &vars,
        );
        assert_eq!(en.subject, "Escalated: 2026112410000017");
        assert_eq!(
            en.body,
            "The first response time ran out at 2026-11-30 09:30 CET.\n\nhttp://vakt/agent/tickets/2026112410000017\n"
        );
        let nl = render(
            &templates(),
            NotificationEvent::EscalationBreach,
            "nl",
            None,
            &vars,
        );
        assert_eq!(
            nl.body,
            "De eerste-reactietermijn is verlopen om 2026-11-30 08:30 UTC.\n"
        );
        let de = render(
            &templates(),
            NotificationEvent::EscalationBreach,
            "de",
            None,
            &vars,
        );
        assert!(
            de.subject.starts_with("Escalated"),
            "German falls back to English"
        );
        let missing = render(
            &templates(),
            NotificationEvent::Mentioned,
            "en",
            None,
            &vars,
        );
        assert_eq!(missing.subject, "2026112410000017:");
    }

    #[test]
    fn unknown_variables_are_found_and_excerpts_are_cut() {
        assert_eq!(
            unknown_variables("{{ticket_number}} {{tickte_title}} {{title}}"),
            ["tickte_title"]
        );
        assert_eq!(excerpt("  short  ", 10), "short");
        assert_eq!(excerpt("abcdefghij klm", 10), "abcdefghij…");
    }
}
