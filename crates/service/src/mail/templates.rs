//! Mail templates: `{{name}}` placeholders for ticket number, title, customer and queue.

/// The values a template may use.
#[derive(Debug, Clone, Default)]
pub(crate) struct Vars<'a> {
    pub(crate) ticket_number: &'a str,
    pub(crate) ticket_title: &'a str,
    pub(crate) customer_name: &'a str,
    pub(crate) customer_email: &'a str,
    pub(crate) queue: &'a str,
    pub(crate) subject: &'a str,
    pub(crate) agent_name: &'a str,
    pub(crate) agent_email: &'a str,
    /// The ticket's next SLA deadline, formatted (empty without one).
    pub(crate) sla_deadline: &'a str,
}

impl Vars<'_> {
    /// The value of a variable, if it is one.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        Some(match name {
            "ticket_number" => self.ticket_number,
            "ticket_title" | "title" => self.ticket_title,
            "customer_name" => self.customer_name,
            "customer_email" => self.customer_email,
            "queue" => self.queue,
            "subject" => self.subject,
            "agent_name" => self.agent_name,
            "agent_email" => self.agent_email,
            "sla_deadline" => self.sla_deadline,
            _ => return None,
        })
    }
}

/// The variables of replies: text modules, salutations and signatures (docs/templates.md).
pub const REPLY_VARIABLES: &[&str] = &[
    "customer_name",
    "customer_email",
    "ticket_number",
    "ticket_title",
    "title",
    "queue",
    "subject",
    "agent_name",
    "agent_email",
    "sla_deadline",
];

/// Checks that every `{{ name }}` of `template` is a reply variable: a 422 `unknown_variable`
/// on `field` otherwise, so that no mail ever shows a placeholder or a blank for a typo.
pub(crate) fn check_reply_variables(
    errors: &mut vakt_domain::FieldErrors,
    field: &str,
    template: &str,
) {
    let mut unknown: Vec<String> = placeholders(template)
        .into_iter()
        .filter(|name| !REPLY_VARIABLES.contains(&name.as_str()))
        .collect();
    unknown.dedup();
    if !unknown.is_empty() {
        errors.add(
            field,
            vakt_domain::ValidationError::new(
                "unknown_variable",
                format!(
                    "unknown variable {}; known: {}",
                    unknown
                        .iter()
                        .map(|n| format!("{{{{{n}}}}}"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    REPLY_VARIABLES.join(", ")
                ),
            ),
        );
    }
}

/// An SLA deadline as `{{sla_deadline}}` shows it (`2026-12-04 16:00 UTC`; empty without one).
pub(crate) fn deadline_text(at: Option<chrono::NaiveDateTime>) -> String {
    at.map(|at| at.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default()
}

/// Replaces `{{ name }}` by its value; unknown names stay as they are.
pub(crate) fn render(template: &str, vars: &Vars<'_>) -> String {
    render_with(template, |name| vars.get(name).map(str::to_owned))
}

/// The names of the `{{ name }}` placeholders of a template, in order.
pub(crate) fn placeholders(template: &str) -> Vec<String> {
    let mut names = Vec::new();
    render_with(template, |name| {
        names.push(name.to_owned());
        None
    });
    names
}

/// Replaces `{{ name }}` by what `lookup` gives for it; names it does not know stay as they are.
pub(crate) fn render_with(
    template: &str,
    mut lookup: impl FnMut(&str) -> Option<String>,
) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        match after.find("}}") {
            Some(close) => {
                let name = after[..close].trim();
                match lookup(name) {
                    Some(value) => out.push_str(&value),
                    None => out.push_str(&rest[open..open + 2 + close + 2]),
                }
                rest = &after[close + 2..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Default text of the automatic answer to a new ticket.
pub(crate) const AUTO_REPLY_BODY: &str = "Dear {{customer_name}},\n\n\
thank you for your message. We have opened ticket {{ticket_number}} (\"{{ticket_title}}\") \
and will answer as soon as we can.\n\n\
Please keep the ticket number in the subject when you write about this request.\n";

/// Default text of the notice that a follow-up to a closed ticket was rejected.
pub(crate) const REJECT_BODY: &str = "Dear {{customer_name}},\n\n\
ticket {{ticket_number}} (\"{{ticket_title}}\") is closed, so your message was not added to it. \
If you still need help, please write a new message without the ticket number in the subject.\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_known_names_and_keeps_the_rest() {
        let vars = Vars {
            ticket_number: "2026112410000017",
            customer_name: "Kari",
            ..Vars::default()
        };
        assert_eq!(
            render(
                "Hi {{ customer_name }}, #{{ticket_number}} {{nope}} {{",
                &vars
            ),
            "Hi Kari, #2026112410000017 {{nope}} {{"
        );
        assert_eq!(placeholders("{{ a }} and {{b}} {{"), ["a", "b"]);
    }

    #[test]
    fn every_reply_variable_has_a_value_and_typos_are_refused() {
        let vars = Vars::default();
        for name in REPLY_VARIABLES {
            assert!(vars.get(name).is_some(), "{name}");
        }
        let mut errors = vakt_domain::FieldErrors::new();
        check_reply_variables(
            &mut errors,
            "body",
            "Dear {{customer_name}}, {{agent_name}}",
        );
        assert!(errors.is_empty());
        check_reply_variables(&mut errors, "body", "Dear {{custmer_name}}");
        assert!(!errors.is_empty());
    }
}
