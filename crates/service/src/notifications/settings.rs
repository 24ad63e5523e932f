//! Administration of rules and templates, and each agent's preferences.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use vakt_domain::locale::SUPPORTED_LANGUAGES;
use vakt_domain::{FieldErrors, Principal, ValidationError};
use vakt_persistence::repo::notifications::{self as repo, PreferenceRow, RuleRow, TemplateRow};
use vakt_persistence::time::{from_db, to_db};

use super::event::{NotificationEvent, Role, join_roles, parse_roles};
use super::render::unknown_variables;
use super::require_agent;
use crate::Services;
use crate::error::{ServiceError, ServiceResult};
use crate::users::require_admin;

/// A notification rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// Event.
    pub event: NotificationEvent,
    /// Whom it notifies.
    pub recipients: Vec<Role>,
    /// Email for agents who have not chosen.
    pub email: bool,
    /// In-app for agents who have not chosen.
    pub in_app: bool,
    /// Whether it notifies anyone.
    pub enabled: bool,
    /// Changed at.
    pub updated_at: DateTime<Utc>,
}

/// A rule as given (names still unchecked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleInput {
    /// Event.
    pub event: String,
    /// Role names.
    pub recipients: Vec<String>,
    /// Default email.
    pub email: bool,
    /// Default in-app.
    pub in_app: bool,
    /// Enabled.
    pub enabled: bool,
}

/// An agent's channels for one event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preference {
    /// Event.
    pub event: NotificationEvent,
    /// By email.
    pub email: bool,
    /// In the application.
    pub in_app: bool,
    /// The rule's email default.
    pub default_email: bool,
    /// The rule's in-app default.
    pub default_in_app: bool,
    /// Chosen by the agent (else the defaults apply).
    pub customized: bool,
}

/// A preference as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreferenceInput {
    /// Event.
    pub event: String,
    /// By email.
    pub email: bool,
    /// In the application.
    pub in_app: bool,
}

/// A notification text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    /// Event.
    pub event: NotificationEvent,
    /// Language.
    pub language: String,
    /// Subject (one line).
    pub subject: String,
    /// Body.
    pub body: String,
    /// Changed at.
    pub updated_at: DateTime<Utc>,
}

fn to_rule(row: RuleRow) -> Option<Rule> {
    Some(Rule {
        event: NotificationEvent::parse(&row.event)?,
        recipients: parse_roles(&row.recipients).unwrap_or_default(),
        email: row.email,
        in_app: row.in_app,
        enabled: row.enabled,
        updated_at: from_db(row.updated_at),
    })
}

fn to_template(row: TemplateRow) -> Option<Template> {
    Some(Template {
        event: NotificationEvent::parse(&row.event)?,
        language: row.language,
        subject: row.subject,
        body: row.body,
        updated_at: from_db(row.updated_at),
    })
}

/// Checks a list of `{event, …}` items: known agent events, each at most once.
fn check_events<'a>(
    errors: &mut FieldErrors,
    events: impl Iterator<Item = &'a str>,
) -> Vec<Option<NotificationEvent>> {
    let mut seen = Vec::new();
    let mut parsed = Vec::new();
    for (i, name) in events.enumerate() {
        let field = format!("items[{i}].event");
        match NotificationEvent::parse(name).filter(|e| !e.is_for_customers()) {
            None => {
                errors.add(
                    field.clone(),
                    ValidationError::new("unknown_event", "is not an agent notification event"),
                );
                parsed.push(None);
            }
            Some(event) if seen.contains(&event) => {
                errors.add(&field, ValidationError::new("duplicate", "is listed twice"));
                parsed.push(None);
            }
            Some(event) => {
                seen.push(event);
                parsed.push(Some(event));
            }
        }
    }
    parsed
}

impl Services {
    /// The rules, one per agent event (administrators).
    pub fn notification_rules(&self, actor: &Principal) -> ServiceResult<Vec<Rule>> {
        require_admin(actor)?;
        let mut conn = self.conn()?;
        let mut rules: Vec<Rule> = repo::rules(&mut conn)?
            .into_iter()
            .filter_map(to_rule)
            .collect();
        rules.sort_by_key(|r| r.event);
        Ok(rules)
    }

    /// Replaces the rules; every agent event must be listed once (administrators).
    pub fn set_notification_rules(
        &self,
        actor: &Principal,
        input: Vec<RuleInput>,
    ) -> ServiceResult<Vec<Rule>> {
        require_admin(actor)?;
        let mut errors = FieldErrors::new();
        let events = check_events(&mut errors, input.iter().map(|r| r.event.as_str()));
        let mut rows = Vec::new();
        let now = to_db(self.now());
        for (i, (rule, event)) in input.iter().zip(&events).enumerate() {
            let roles = match parse_roles(&rule.recipients.join(",")) {
                Ok(roles) => roles,
                Err(unknown) => {
                    errors.add(
                        format!("items[{i}].recipients"),
                        ValidationError::new(
                            "unknown_role",
                            format!("unknown roles: {}", unknown.join(", ")),
                        ),
                    );
                    continue;
                }
            };
            if let Some(event) = event {
                rows.push(RuleRow {
                    event: event.as_str().to_owned(),
                    recipients: join_roles(&roles),
                    email: rule.email,
                    in_app: rule.in_app,
                    enabled: rule.enabled,
                    updated_at: now,
                });
            }
        }
        let missing: Vec<&str> = NotificationEvent::agent_events()
            .filter(|e| !events.contains(&Some(*e)))
            .map(|e| e.as_str())
            .collect();
        if !missing.is_empty() {
            errors.add(
                "items",
                ValidationError::new(
                    "required",
                    format!("must list every event; missing: {}", missing.join(", ")),
                ),
            );
        }
        errors.into_result()?;
        let mut conn = self.conn()?;
        conn.write_transaction(|conn| {
            for row in &rows {
                repo::save_rule(conn, row)?;
            }
            Ok::<_, ServiceError>(())
        })?;
        log::info!("user {} changed the notification rules", actor.user_id);
        drop(conn);
        self.notification_rules(actor)
    }

    /// The caller's channels for every agent event (agents).
    pub fn notification_preferences(&self, actor: &Principal) -> ServiceResult<Vec<Preference>> {
        require_agent(actor)?;
        let mut conn = self.conn()?;
        let rules: HashMap<String, RuleRow> = repo::rules(&mut conn)?
            .into_iter()
            .map(|r| (r.event.clone(), r))
            .collect();
        let chosen: HashMap<String, PreferenceRow> =
            repo::preferences_of(&mut conn, actor.user_id)?
                .into_iter()
                .map(|p| (p.event.clone(), p))
                .collect();
        Ok(NotificationEvent::agent_events()
            .map(|event| {
                let (default_email, default_in_app) = rules
                    .get(event.as_str())
                    .map_or((false, false), |r| (r.email, r.in_app));
                match chosen.get(event.as_str()) {
                    Some(p) => Preference {
                        event,
                        email: p.email,
                        in_app: p.in_app,
                        default_email,
                        default_in_app,
                        customized: true,
                    },
                    None => Preference {
                        event,
                        email: default_email,
                        in_app: default_in_app,
                        default_email,
                        default_in_app,
                        customized: false,
                    },
                }
            })
            .collect())
    }

    /// Replaces the caller's choices; events not listed follow the rules again (agents).
    pub fn set_notification_preferences(
        &self,
        actor: &Principal,
        input: Vec<PreferenceInput>,
    ) -> ServiceResult<Vec<Preference>> {
        require_agent(actor)?;
        let mut errors = FieldErrors::new();
        let events = check_events(&mut errors, input.iter().map(|p| p.event.as_str()));
        errors.into_result()?;
        let now = to_db(self.now());
        let rows: Vec<PreferenceRow> = input
            .iter()
            .zip(events)
            .filter_map(|(p, event)| {
                Some(PreferenceRow {
                    user_id: actor.user_id,
                    event: event?.as_str().to_owned(),
                    email: p.email,
                    in_app: p.in_app,
                    updated_at: now,
                })
            })
            .collect();
        let mut conn = self.conn()?;
        conn.write_transaction(|conn| repo::replace_preferences(conn, actor.user_id, &rows))?;
        drop(conn);
        self.notification_preferences(actor)
    }

    /// Every template (administrators).
    pub fn notification_templates(&self, actor: &Principal) -> ServiceResult<Vec<Template>> {
        require_admin(actor)?;
        let mut conn = self.conn()?;
        Ok(repo::templates(&mut conn)?
            .into_iter()
            .filter_map(to_template)
            .collect())
    }

    /// One template (administrators); unknown events and languages are not found.
    pub fn notification_template(
        &self,
        actor: &Principal,
        event: &str,
        language: &str,
    ) -> ServiceResult<Template> {
        require_admin(actor)?;
        let event = known(event, language)?;
        let mut conn = self.conn()?;
        repo::template(&mut conn, event.as_str(), language)?
            .and_then(to_template)
            .ok_or(ServiceError::NotFound("template"))
    }

    /// Replaces a template (administrators). Placeholders must be known variables.
    pub fn set_notification_template(
        &self,
        actor: &Principal,
        event: &str,
        language: &str,
        subject: &str,
        body: &str,
    ) -> ServiceResult<Template> {
        require_admin(actor)?;
        let event = known(event, language)?;
        let mut errors = FieldErrors::new();
        let checks = [("subject", subject, 500), ("body", body, 20_000)];
        for (field, text, max) in checks {
            if text.trim().is_empty() {
                errors.add(field, ValidationError::new("required", "must not be empty"));
            } else if text.chars().count() > max {
                errors.add(
                    field,
                    ValidationError::new("too_long", format!("must be at most {max} characters")),
                );
            }
            let unknown = unknown_variables(text);
            if !unknown.is_empty() {
                errors.add(
                    field,
                    ValidationError::new(
                        "unknown_variable",
                        format!("unknown variables: {}", unknown.join(", ")),
                    ),
                );
            }
        }
        if subject.contains(['\r', '\n']) {
            errors.add(
                "subject",
                ValidationError::new("invalid", "must be one line"),
            );
        }
        errors.into_result()?;
        let mut conn = self.conn()?;
        repo::save_template(
            &mut conn,
            &TemplateRow {
                event: event.as_str().to_owned(),
                language: language.to_owned(),
                subject: subject.trim().to_owned(),
                body: body.to_owned(),
                updated_at: to_db(self.now()),
            },
        )?;
        log::info!(
            "user {} changed the notification template {}/{language}",
            actor.user_id,
            event.as_str()
        );
        drop(conn);
        self.notification_template(actor, event.as_str(), language)
    }
}

fn known(event: &str, language: &str) -> ServiceResult<NotificationEvent> {
    match NotificationEvent::parse(event) {
        Some(event) if SUPPORTED_LANGUAGES.contains(&language) => Ok(event),
        _ => Err(ServiceError::NotFound("template")),
    }
}
