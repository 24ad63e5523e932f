//! Notification rules and templates (administrators).

use actix_web::{get, put, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vakt_service::notifications::{Rule, RuleInput, Template};
use validator::Validate;

use crate::error::ApiError;
use crate::extract::{AdminCaller, ValidJson};
use crate::{AppState, blocking};

/// Which roles an event notifies.
#[derive(Debug, Serialize, ToSchema)]
pub struct RuleResponse {
    /// The event: `ticket_created`, `customer_follow_up`, `owner_changed`, `queue_moved`,
    /// `escalation_warning`, `escalation_breach`, `reminder_due`, `mentioned`.
    #[schema(example = "customer_follow_up")]
    pub event: String,
    /// Roles: `owner`, `responsible`, `watchers`, `queue_members` (agents with `ro` on the
    /// ticket's queue), `queue_members_if_unowned`, `mentioned`, `reminder_owner`.
    #[schema(example = json!(["owner", "queue_members_if_unowned", "watchers"]))]
    pub recipients: Vec<String>,
    /// Email for agents who have not chosen.
    pub email: bool,
    /// In-app for agents who have not chosen.
    pub in_app: bool,
    /// Whether the event notifies anyone.
    pub enabled: bool,
    /// Changed at.
    pub updated_at: DateTime<Utc>,
}

impl From<Rule> for RuleResponse {
    fn from(r: Rule) -> Self {
        Self {
            event: r.event.as_str().to_owned(),
            recipients: r.recipients.iter().map(|r| r.as_str().to_owned()).collect(),
            email: r.email,
            in_app: r.in_app,
            enabled: r.enabled,
            updated_at: r.updated_at,
        }
    }
}

/// The rules.
#[derive(Debug, Serialize, ToSchema)]
pub struct RuleList {
    /// One per agent event.
    pub items: Vec<RuleResponse>,
}

/// One rule.
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleRequest {
    /// The event.
    #[validate(length(max = 100))]
    pub event: String,
    /// Roles.
    #[validate(length(max = 20))]
    pub recipients: Vec<String>,
    /// Email for agents who have not chosen.
    pub email: bool,
    /// In-app for agents who have not chosen.
    pub in_app: bool,
    /// Whether the event notifies anyone.
    pub enabled: bool,
}

/// All rules, replaced together.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"items": [{"event": "ticket_created", "recipients": ["queue_members"], "email": true, "in_app": true, "enabled": true}]}))]
pub struct RulesRequest {
    /// Every agent event exactly once.
    #[validate(nested, length(max = 50))]
    pub items: Vec<RuleRequest>,
}

/// A notification text.
#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateResponse {
    /// The event (also `ticket_closed`, the customers' notification).
    pub event: String,
    /// Language: `en`, `nl`, `nb` or `de`.
    pub language: String,
    /// Subject (one line).
    #[schema(example = "New ticket {{ticket_number}} in {{queue}}: {{ticket_title}}")]
    pub subject: String,
    /// Body (plain text).
    pub body: String,
    /// Changed at.
    pub updated_at: DateTime<Utc>,
}

impl From<Template> for TemplateResponse {
    fn from(t: Template) -> Self {
        Self {
            event: t.event.as_str().to_owned(),
            language: t.language,
            subject: t.subject,
            body: t.body,
            updated_at: t.updated_at,
        }
    }
}

/// All templates.
#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateList {
    /// By event and language.
    pub items: Vec<TemplateResponse>,
    /// The variables templates may use as `{{name}}`.
    pub variables: Vec<String>,
}

/// A new text for one event and language.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"subject": "Nieuw ticket {{ticket_number}}", "body": "{{actor}} heeft een ticket aangemaakt.\n\n{{link}}"}))]
pub struct TemplateRequest {
    /// Subject (one line, at most 500 characters).
    pub subject: String,
    /// Body (at most 20,000 characters).
    pub body: String,
}

/// List notification rules.
#[utoipa::path(
    tag = "notifications",
    operation_id = "list_notification_rules",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One rule per agent event", body = RuleList),
        (status = 403, description = "Not an administrator"),
    )
)]
#[get("/notification-rules")]
pub async fn list_notification_rules(
    caller: AdminCaller,
    state: web::Data<AppState>,
) -> Result<web::Json<RuleList>, ApiError> {
    let rules = blocking(&state, move |s| s.notification_rules(&caller.0.principal)).await?;
    Ok(web::Json(RuleList {
        items: rules.into_iter().map(Into::into).collect(),
    }))
}

/// Replace the notification rules.
#[utoipa::path(
    tag = "notifications",
    operation_id = "set_notification_rules",
    request_body = RulesRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The rules", body = RuleList),
        (status = 403, description = "Not an administrator"),
    )
)]
#[put("/notification-rules")]
pub async fn set_notification_rules(
    caller: AdminCaller,
    state: web::Data<AppState>,
    body: ValidJson<RulesRequest>,
) -> Result<web::Json<RuleList>, ApiError> {
    let input: Vec<RuleInput> = body
        .into_inner()
        .items
        .into_iter()
        .map(|r| RuleInput {
            event: r.event,
            recipients: r.recipients,
            email: r.email,
            in_app: r.in_app,
            enabled: r.enabled,
        })
        .collect();
    let rules = blocking(&state, move |s| {
        s.set_notification_rules(&caller.0.principal, input)
    })
    .await?;
    Ok(web::Json(RuleList {
        items: rules.into_iter().map(Into::into).collect(),
    }))
}

/// List notification templates.
#[utoipa::path(
    tag = "notifications",
    operation_id = "list_notification_templates",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Every template, and the variables", body = TemplateList),
        (status = 403, description = "Not an administrator"),
    )
)]
#[get("/notification-templates")]
pub async fn list_notification_templates(
    caller: AdminCaller,
    state: web::Data<AppState>,
) -> Result<web::Json<TemplateList>, ApiError> {
    let templates = blocking(&state, move |s| {
        s.notification_templates(&caller.0.principal)
    })
    .await?;
    Ok(web::Json(TemplateList {
        items: templates.into_iter().map(Into::into).collect(),
        variables: vakt_service::notifications::TEMPLATE_VARIABLES
            .iter()
            .map(|v| (*v).to_owned())
            .collect(),
    }))
}

/// Get a notification template.
#[utoipa::path(
    tag = "notifications",
    operation_id = "get_notification_template",
    params(
        ("event" = String, Path, description = "Event"),
        ("language" = String, Path, description = "Language: en, nl, nb or de"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The template", body = TemplateResponse),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such event or language"),
    )
)]
#[get("/notification-templates/{event}/{language}")]
pub async fn get_notification_template(
    caller: AdminCaller,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<web::Json<TemplateResponse>, ApiError> {
    let (event, language) = path.into_inner();
    let template = blocking(&state, move |s| {
        s.notification_template(&caller.0.principal, &event, &language)
    })
    .await?;
    Ok(web::Json(template.into()))
}

/// Replace a notification template.
#[utoipa::path(
    tag = "notifications",
    operation_id = "set_notification_template",
    params(
        ("event" = String, Path, description = "Event"),
        ("language" = String, Path, description = "Language: en, nl, nb or de"),
    ),
    request_body = TemplateRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The template", body = TemplateResponse),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such event or language"),
    )
)]
#[put("/notification-templates/{event}/{language}")]
pub async fn set_notification_template(
    caller: AdminCaller,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    body: ValidJson<TemplateRequest>,
) -> Result<web::Json<TemplateResponse>, ApiError> {
    let (event, language) = path.into_inner();
    let body = body.into_inner();
    let template = blocking(&state, move |s| {
        s.set_notification_template(
            &caller.0.principal,
            &event,
            &language,
            &body.subject,
            &body.body,
        )
    })
    .await?;
    Ok(web::Json(template.into()))
}
