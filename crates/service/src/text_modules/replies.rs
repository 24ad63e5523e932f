//! Salutations and signatures: named templates that queues choose for the top and the bottom
//! of every reply (`/api/v1/salutations`, `/api/v1/signatures`). Administrators manage them,
//! agents read them; one in use by a queue cannot be deleted.

use chrono::{DateTime, Utc};
use serde_json::json;
use vakt_domain::validation::text_length;
use vakt_domain::{FieldErrors, Principal};
use vakt_persistence::repo::reply_templates::{self, ReplyTemplateRow};
use vakt_persistence::time::{from_db, to_db};

use crate::Services;
use crate::audit::{self, Change};
use crate::error::{ServiceError, ServiceResult};
use crate::mail::check_reply_variables;
use crate::users::{require_admin, require_agent};

/// Which end of a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyKind {
    /// Before the reply.
    Salutation,
    /// After the reply.
    Signature,
}

impl ReplyKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Salutation => "salutation",
            Self::Signature => "signature",
        }
    }
}

/// A salutation or signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyTemplate {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Template text.
    pub body: String,
    /// The queues whose settings use it.
    pub queue_ids: Vec<i64>,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Changed at.
    pub updated_at: DateTime<Utc>,
}

/// Input; `None` leaves a field alone.
#[derive(Debug, Clone, Default)]
pub struct ReplyTemplateInput {
    /// Name.
    pub name: Option<String>,
    /// Template text.
    pub body: Option<String>,
}

fn validate(input: &ReplyTemplateInput) -> ServiceResult<()> {
    let mut errors = FieldErrors::new();
    if let Some(name) = &input.name {
        errors.check("name", text_length(name.trim(), 1, 200));
    }
    if let Some(body) = &input.body {
        errors.check("body", text_length(body, 1, 20_000));
        check_reply_variables(&mut errors, "body", body);
    }
    Ok(errors.into_result()?)
}

fn conflict(error: diesel::result::Error) -> ServiceError {
    match error {
        diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ) => ServiceError::invalid(
            "name",
            "taken",
            "another template of this kind has this name",
        ),
        other => other.into(),
    }
}

impl Services {
    fn reply_view(&self, row: ReplyTemplateRow) -> ServiceResult<ReplyTemplate> {
        let mut conn = self.conn()?;
        Ok(ReplyTemplate {
            queue_ids: reply_templates::queues_using(&mut conn, row.id)?,
            id: row.id,
            name: row.name,
            body: row.body,
            created_at: from_db(row.created_at),
            updated_at: from_db(row.updated_at),
        })
    }

    fn reply_row(&self, kind: ReplyKind, id: i64) -> ServiceResult<ReplyTemplateRow> {
        let mut conn = self.conn()?;
        reply_templates::find(&mut conn, id)?
            .filter(|t| t.kind == kind.as_str())
            .ok_or(ServiceError::NotFound(kind.as_str()))
    }

    /// The templates of a kind, by name (agents).
    pub fn list_reply_templates(
        &self,
        actor: &Principal,
        kind: ReplyKind,
    ) -> ServiceResult<Vec<ReplyTemplate>> {
        require_agent(actor)?;
        let rows = reply_templates::list(&mut *self.conn()?, kind.as_str())?;
        rows.into_iter().map(|row| self.reply_view(row)).collect()
    }

    /// One template (agents).
    pub fn get_reply_template(
        &self,
        actor: &Principal,
        kind: ReplyKind,
        id: i64,
    ) -> ServiceResult<ReplyTemplate> {
        require_agent(actor)?;
        self.reply_view(self.reply_row(kind, id)?)
    }

    /// Creates a template (administrators); an unknown `{{variable}}` is a 422.
    pub fn create_reply_template(
        &self,
        actor: &Principal,
        kind: ReplyKind,
        input: ReplyTemplateInput,
    ) -> ServiceResult<ReplyTemplate> {
        require_admin(actor)?;
        validate(&input)?;
        let name = input.name.as_deref().map(str::trim).unwrap_or_default();
        let body = input.body.as_deref().unwrap_or_default();
        if name.is_empty() {
            return Err(ServiceError::invalid(
                "name",
                "required",
                "must not be empty",
            ));
        }
        if body.is_empty() {
            return Err(ServiceError::invalid(
                "body",
                "required",
                "must not be empty",
            ));
        }
        let now = self.now();
        let row = self.conn()?.write_transaction(|conn| {
            let row = reply_templates::insert(conn, kind.as_str(), name, body, to_db(now))
                .map_err(conflict)?;
            let change = Change::new("create", kind.as_str(), row.id, &row.name)
                .after(json!({"name": row.name, "body": row.body}));
            audit::record(conn, Some(actor), now, change)?;
            Ok::<_, ServiceError>(row)
        })?;
        self.reply_view(row)
    }

    /// Changes a template (administrators); queues using it send the new text at once.
    pub fn update_reply_template(
        &self,
        actor: &Principal,
        kind: ReplyKind,
        id: i64,
        input: ReplyTemplateInput,
    ) -> ServiceResult<ReplyTemplate> {
        require_admin(actor)?;
        validate(&input)?;
        let before = self.reply_row(kind, id)?;
        let now = self.now();
        let row = self.conn()?.write_transaction(|conn| {
            let name = input.name.as_deref().map(str::trim);
            let row = reply_templates::update(conn, id, name, input.body.as_deref(), to_db(now))
                .map_err(conflict)?;
            let change = Change::new("update", kind.as_str(), id, &row.name)
                .before(json!({"name": before.name, "body": before.body}))
                .after(json!({"name": row.name, "body": row.body}));
            audit::record(conn, Some(actor), now, change)?;
            Ok::<_, ServiceError>(row)
        })?;
        self.reply_view(row)
    }

    /// Deletes a template no queue uses (administrators); one in use is 409 `template_in_use`.
    pub fn delete_reply_template(
        &self,
        actor: &Principal,
        kind: ReplyKind,
        id: i64,
    ) -> ServiceResult<()> {
        require_admin(actor)?;
        let row = self.reply_row(kind, id)?;
        let now = self.now();
        self.conn()?.write_transaction(|conn| {
            if !reply_templates::queues_using(conn, id)?.is_empty() {
                return Err(ServiceError::Conflict {
                    code: "template_in_use",
                    detail: "queues still use this template in their mail settings".into(),
                });
            }
            reply_templates::delete(conn, id)?;
            let change = Change::new("delete", kind.as_str(), id, &row.name)
                .before(json!({"name": row.name, "body": row.body}));
            audit::record(conn, Some(actor), now, change)?;
            Ok(())
        })
    }
}
