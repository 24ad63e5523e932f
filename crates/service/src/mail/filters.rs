//! Postmaster filters: ordered rules matching headers or the body with regular expressions,
//! setting queue, priority, type, state or customer of new tickets, or ignoring the message.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use vakt_domain::custom_fields::ObjectType;
use vakt_domain::{EmailAddress, FieldErrors, Principal, ValidationError};
use vakt_mail::route::{Condition, Filter, FilterActions, compile_pattern};
use vakt_persistence::DbConnection;
use vakt_persistence::repo::mail_filters::{self, FilterRow, FilterValues};
use vakt_persistence::time::{from_db, to_db};
use vakt_persistence::unique_violation;

use diesel::Connection as _;

use crate::Services;
use crate::error::{ServiceError, ServiceResult};
use crate::reference::Reference;
use crate::users::require_admin;

/// One condition: `pattern` (a regular expression) on `field`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilterConditionInput {
    /// `from`, `to`, `cc`, `subject`, `body`, or a header name such as `X-Spam-Flag`.
    pub field: String,
    /// Regular expression (Rust syntax; `(?i)` for case-insensitive).
    pub pattern: String,
    /// Match when the expression does not match.
    #[serde(default)]
    pub negate: bool,
}

/// What a matching filter does.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FilterActionsInput {
    /// Queue of the new ticket.
    pub queue_id: Option<i64>,
    /// Priority of the new ticket.
    pub priority_id: Option<i64>,
    /// Type of the new ticket.
    pub type_id: Option<i64>,
    /// State of the new ticket (not a pending one).
    pub state_id: Option<i64>,
    /// Customer of the new ticket instead of the sender.
    pub customer_email: Option<String>,
    /// Record the message as ignored and make no ticket.
    #[serde(default)]
    pub ignore: bool,
    /// Custom fields of the new ticket: key → value as text (numbers, `true`/`false`,
    /// options; a multiselect's options separated by commas).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub custom_fields: std::collections::BTreeMap<String, String>,
}

/// A filter to create, or all fields of a changed one.
#[derive(Debug, Clone, Default)]
pub struct PostmasterFilterInput {
    /// Name (unique).
    pub name: String,
    /// Order; lower first (default: after the last).
    pub position: Option<i32>,
    /// Applied (default true).
    pub enabled: Option<bool>,
    /// No later filter runs after this one matched (default false).
    pub stop_after_match: Option<bool>,
    /// All must hold (1–20).
    pub conditions: Vec<FilterConditionInput>,
    /// What it does.
    pub actions: FilterActionsInput,
}

/// A stored filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostmasterFilter {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Order.
    pub position: i32,
    /// Applied.
    pub enabled: bool,
    /// Stops later filters.
    pub stop_after_match: bool,
    /// Conditions.
    pub conditions: Vec<FilterConditionInput>,
    /// Actions.
    pub actions: FilterActionsInput,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Changed at.
    pub updated_at: DateTime<Utc>,
}

impl TryFrom<FilterRow> for PostmasterFilter {
    type Error = ServiceError;
    fn try_from(row: FilterRow) -> ServiceResult<Self> {
        let bad = |e: serde_json::Error| ServiceError::Internal(format!("filter {}: {e}", row.id));
        Ok(PostmasterFilter {
            conditions: serde_json::from_str(&row.conditions).map_err(bad)?,
            actions: serde_json::from_str(&row.actions).map_err(bad)?,
            id: row.id,
            name: row.name,
            position: row.position,
            enabled: row.enabled,
            stop_after_match: row.stop_after_match,
            created_at: from_db(row.created_at),
            updated_at: from_db(row.updated_at),
        })
    }
}

/// The enabled filters, compiled, in order (a stored filter that no longer compiles is skipped
/// with a warning rather than failing every message).
pub(crate) fn load_compiled(conn: &mut DbConnection) -> ServiceResult<Vec<Filter>> {
    let mut out = Vec::new();
    for row in mail_filters::list(conn)?.into_iter().filter(|f| f.enabled) {
        let id = row.id;
        let filter = match PostmasterFilter::try_from(row) {
            Ok(filter) => filter,
            Err(error) => {
                log::warn!("skipping postmaster filter {id}: {error}");
                continue;
            }
        };
        let conditions: Result<Vec<Condition>, String> = filter
            .conditions
            .iter()
            .map(|c| {
                Ok(Condition {
                    field: c.field.clone(),
                    pattern: compile_pattern(&c.pattern)?,
                    negate: c.negate,
                })
            })
            .collect();
        match conditions {
            Ok(conditions) => out.push(Filter {
                id,
                conditions,
                actions: FilterActions {
                    queue_id: filter.actions.queue_id,
                    priority_id: filter.actions.priority_id,
                    type_id: filter.actions.type_id,
                    state_id: filter.actions.state_id,
                    customer_email: filter.actions.customer_email,
                    ignore: filter.actions.ignore,
                    custom_fields: filter.actions.custom_fields,
                },
                stop_after_match: filter.stop_after_match,
            }),
            Err(error) => log::warn!("skipping postmaster filter {id}: {error}"),
        }
    }
    Ok(out)
}

fn validate(conn: &mut DbConnection, input: &PostmasterFilterInput) -> ServiceResult<()> {
    let mut errors = FieldErrors::new();
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        errors.add(
            "name",
            ValidationError::new("invalid_length", "must be 1 to 100 characters"),
        );
    }
    if input.conditions.is_empty() || input.conditions.len() > 20 {
        errors.add(
            "conditions",
            ValidationError::new("invalid_length", "must have 1 to 20 conditions"),
        );
    }
    for (i, c) in input.conditions.iter().enumerate() {
        let field_ok = !c.field.is_empty()
            && c.field.len() <= 100
            && c.field
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_');
        if !field_ok {
            errors.add(
                format!("conditions[{i}].field"),
                ValidationError::new(
                    "invalid",
                    "must be from, to, cc, subject, body or a header name",
                ),
            );
        }
        if c.pattern.len() > 2000 {
            errors.add(
                format!("conditions[{i}].pattern"),
                ValidationError::new("too_long", "must be at most 2000 bytes"),
            );
        } else if let Err(error) = compile_pattern(&c.pattern) {
            errors.add(
                format!("conditions[{i}].pattern"),
                ValidationError::new(
                    "invalid_regex",
                    format!("is not a valid regular expression: {error}"),
                ),
            );
        }
    }
    let reference = Reference::load(conn)?;
    let a = &input.actions;
    let mut missing = |field: &str, present: bool| {
        if !present {
            errors.add(
                field,
                ValidationError::new("not_found", "does not exist or is not active"),
            );
        }
    };
    if let Some(id) = a.queue_id {
        missing(
            "actions.queue_id",
            reference.queue(id).is_some_and(|q| q.active),
        );
    }
    if let Some(id) = a.priority_id {
        missing(
            "actions.priority_id",
            reference.priority(id).is_some_and(|p| p.active),
        );
    }
    if let Some(id) = a.type_id {
        missing(
            "actions.type_id",
            reference.ticket_type(id).is_some_and(|t| t.active),
        );
    }
    if let Some(id) = a.state_id {
        missing(
            "actions.state_id",
            reference
                .state(id)
                .is_some_and(|s| s.active && !s.state_type.is_pending()),
        );
    }
    if let Some(email) = &a.customer_email
        && let Err(e) = EmailAddress::parse(email)
    {
        errors.add(
            "actions.customer_email",
            ValidationError::new(e.code, e.message),
        );
    }
    if !a.custom_fields.is_empty() {
        let fields = crate::custom_fields::load(conn, Some(ObjectType::Ticket))?;
        for (key, text) in &a.custom_fields {
            let pointer = format!("actions.custom_fields.{key}");
            match fields.iter().find(|f| f.active && f.key == *key) {
                None => errors.add(
                    pointer,
                    ValidationError::new("unknown_field", "is not a ticket custom field"),
                ),
                Some(field) => {
                    let value = crate::custom_fields::parse_text(field.field_type, text);
                    if let Err(e) = crate::custom_fields::values::parse(field, &value, None) {
                        errors.add(pointer, e);
                    }
                }
            }
        }
    }
    Ok(errors.into_result()?)
}

fn name_taken(error: diesel::result::Error) -> ServiceError {
    match unique_violation(&error) {
        Some(_) => ServiceError::Conflict {
            code: "name_taken",
            detail: "a postmaster filter with this name exists".into(),
        },
        None => error.into(),
    }
}

impl Services {
    /// The postmaster filters in the order they apply (administrators).
    pub fn list_postmaster_filters(
        &self,
        actor: &Principal,
    ) -> ServiceResult<Vec<PostmasterFilter>> {
        require_admin(actor)?;
        let mut conn = self.conn()?;
        mail_filters::list(&mut conn)?
            .into_iter()
            .map(TryInto::try_into)
            .collect()
    }

    /// One postmaster filter (administrators).
    pub fn get_postmaster_filter(
        &self,
        actor: &Principal,
        id: i64,
    ) -> ServiceResult<PostmasterFilter> {
        require_admin(actor)?;
        let mut conn = self.conn()?;
        mail_filters::find(&mut conn, id)?
            .ok_or(ServiceError::NotFound("postmaster filter"))?
            .try_into()
    }

    /// Creates (`id: None`) or replaces a postmaster filter (administrators).
    pub fn save_postmaster_filter(
        &self,
        actor: &Principal,
        id: Option<i64>,
        input: PostmasterFilterInput,
    ) -> ServiceResult<PostmasterFilter> {
        require_admin(actor)?;
        let now = self.now();
        let mut conn = self.conn()?;
        validate(&mut conn, &input)?;
        let conditions = serde_json::to_string(&input.conditions)
            .map_err(|e| ServiceError::Internal(e.to_string()))?;
        let actions = serde_json::to_string(&input.actions)
            .map_err(|e| ServiceError::Internal(e.to_string()))?;
        let id = conn.write_transaction(|conn| {
            let position = match input.position {
                Some(p) => p,
                None => {
                    mail_filters::list(conn)?
                        .iter()
                        .map(|f| f.position)
                        .max()
                        .unwrap_or(0)
                        + 10
                }
            };
            let values = FilterValues {
                name: input.name.trim(),
                position,
                enabled: input.enabled.unwrap_or(true),
                stop_after_match: input.stop_after_match.unwrap_or(false),
                conditions: &conditions,
                actions: &actions,
                updated_at: to_db(now),
            };
            match id {
                Some(id) => {
                    if !conn
                        .transaction(|conn| mail_filters::update(conn, id, &values))
                        .map_err(name_taken)?
                    {
                        return Err(ServiceError::NotFound("postmaster filter"));
                    }
                    Ok(id)
                }
                None => conn
                    .transaction(|conn| mail_filters::insert(conn, &values, to_db(now)))
                    .map_err(name_taken),
            }
        })?;
        log::info!("user {} saved postmaster filter {id}", actor.user_id);
        self.get_postmaster_filter(actor, id)
    }

    /// Deletes a postmaster filter (administrators).
    pub fn delete_postmaster_filter(&self, actor: &Principal, id: i64) -> ServiceResult<()> {
        require_admin(actor)?;
        let mut conn = self.conn()?;
        if !mail_filters::delete(&mut conn, id)? {
            return Err(ServiceError::NotFound("postmaster filter"));
        }
        Ok(())
    }
}
