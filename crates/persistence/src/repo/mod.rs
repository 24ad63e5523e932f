//! Repositories: small query functions over one table each. They take a connection and do not
//! open transactions of their own; the service layer composes them inside one transaction.

pub mod api_tokens;
pub mod articles;
pub mod audit;
pub mod bulk_runs;
pub mod calendars;
pub mod companies;
pub mod custom_fields;
pub mod escalation;
pub mod events;
pub mod history;
pub mod idempotency;
pub mod identity;
pub mod jobs;
pub mod kb;
pub mod links;
pub mod login_failures;
pub mod mail_accounts;
pub mod mail_filters;
pub mod mail_messages;
pub mod mail_outbox;
pub mod notifications;
pub mod organisation;
pub mod presence;
pub mod queues;
pub mod reference;
pub mod refresh_tokens;
pub mod reminders;
pub mod reply_templates;
pub mod reports;
pub mod saved_searches;
pub mod selfservice;
pub mod services;
pub mod settings;
pub mod sla;
pub mod text_modules;
pub mod ticket_list;
pub mod ticket_reads;
pub mod tickets;
pub mod users;
pub mod watchers;
pub mod webhooks;

diesel::define_sql_function! {
    /// SQL `lower(text)`, available on both backends.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern and wraps it in `%…%`,
/// lower-cased for use with [`lower`].
pub fn contains_pattern(needle: &str) -> String {
    let mut pattern = String::with_capacity(needle.len() + 2);
    pattern.push('%');
    for c in needle.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    #[test]
    fn contains_pattern_escapes_wildcards() {
        assert_eq!(super::contains_pattern("A_b%c\\"), "%a\\_b\\%c\\\\%");
    }
}
