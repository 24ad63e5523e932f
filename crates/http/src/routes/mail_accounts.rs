//! Mail accounts (administrators): IMAP/POP3 mailboxes polled for inbound mail. The password
//! is write-only: it is never returned.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, post, put, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vakt_service::mail::{MailAccount, MailAccountInput};
use validator::Validate;

use crate::error::ApiError;
use crate::extract::{AdminCaller, ValidJson};
use crate::{AppState, blocking};

/// A mail account (without its password).
#[derive(Debug, Serialize, ToSchema)]
pub struct MailAccountResponse {
    /// Id.
    pub id: i64,
    /// Name (unique).
    pub name: String,
    /// `imap` or `pop3`.
    pub protocol: String,
    /// Server host.
    pub host: String,
    /// Server port.
    pub port: i32,
    /// `tls`, `starttls` or `none`.
    pub tls: String,
    /// Login name.
    pub username: String,
    /// IMAP folder.
    pub folder: String,
    /// Queue of new tickets; `null` dispatches by recipient address (else the default queue).
    pub queue_id: Option<i64>,
    /// Seconds between polls.
    pub poll_interval_seconds: i32,
    /// Polled.
    pub enabled: bool,
    /// Self-signed server certificates accepted.
    pub accept_invalid_certs: bool,
    /// Last poll.
    pub last_poll_at: Option<DateTime<Utc>>,
    /// The last poll's error, if it failed.
    pub last_error: Option<String>,
    /// Next poll.
    pub next_poll_at: Option<DateTime<Utc>>,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Changed at.
    pub updated_at: DateTime<Utc>,
}

impl From<MailAccount> for MailAccountResponse {
    fn from(a: MailAccount) -> Self {
        Self {
            id: a.id,
            name: a.name,
            protocol: a.protocol,
            host: a.host,
            port: a.port,
            tls: a.tls,
            username: a.username,
            folder: a.folder,
            queue_id: a.queue_id,
            poll_interval_seconds: a.poll_interval_seconds,
            enabled: a.enabled,
            accept_invalid_certs: a.accept_invalid_certs,
            last_poll_at: a.last_poll_at,
            last_error: a.last_error,
            next_poll_at: a.next_poll_at,
            created_at: a.created_at,
            updated_at: a.updated_at,
        }
    }
}

/// All mail accounts.
#[derive(Debug, Serialize, ToSchema)]
pub struct MailAccountList {
    /// By name.
    pub items: Vec<MailAccountResponse>,
}

/// A new mail account, or all fields of a changed one.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MailAccountRequest {
    /// Name (unique).
    #[schema(example = "Support mailbox")]
    pub name: String,
    /// `imap` or `pop3`.
    #[schema(example = "imap")]
    pub protocol: String,
    /// Server host.
    #[schema(example = "imap.uio.example")]
    pub host: String,
    /// Server port (default 993/995 with TLS, else 143/110).
    pub port: Option<i32>,
    /// `tls` (default), `starttls` or `none`.
    pub tls: Option<String>,
    /// Login name.
    pub username: String,
    /// Password: required when creating; omit it on changes to keep the stored one.
    pub password: Option<String>,
    /// IMAP folder (default `INBOX`).
    pub folder: Option<String>,
    /// Queue of new tickets; absent dispatches by recipient address.
    pub queue_id: Option<i64>,
    /// Seconds between polls, 10–86400 (default 60).
    pub poll_interval_seconds: Option<i32>,
    /// Polled (default true).
    pub enabled: Option<bool>,
    /// Accept self-signed certificates (default false; test servers only).
    pub accept_invalid_certs: Option<bool>,
}

impl From<MailAccountRequest> for MailAccountInput {
    fn from(r: MailAccountRequest) -> Self {
        MailAccountInput {
            name: r.name,
            protocol: r.protocol,
            host: r.host,
            port: r.port,
            tls: r.tls,
            username: r.username,
            password: r.password,
            folder: r.folder,
            queue_id: r.queue_id,
            poll_interval_seconds: r.poll_interval_seconds,
            enabled: r.enabled,
            accept_invalid_certs: r.accept_invalid_certs,
        }
    }
}

/// List mail accounts.
#[utoipa::path(
    tag = "mail",
    operation_id = "list_mail_accounts",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "All accounts", body = MailAccountList),
        (status = 403, description = "Not an administrator"),
    )
)]
#[get("/mail-accounts")]
pub async fn list_mail_accounts(
    caller: AdminCaller,
    state: web::Data<AppState>,
) -> Result<web::Json<MailAccountList>, ApiError> {
    let items = blocking(&state, move |s| s.list_mail_accounts(&caller.0.principal)).await?;
    Ok(web::Json(MailAccountList {
        items: items.into_iter().map(Into::into).collect(),
    }))
}

/// Create a mail account.
///
/// It is polled right away, then every `poll_interval_seconds`.
#[utoipa::path(
    tag = "mail",
    operation_id = "create_mail_account",
    request_body = MailAccountRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created; `Location` names it", body = MailAccountResponse),
        (status = 403, description = "Not an administrator"),
        (status = 409, description = "The name is taken (`name_taken`)"),
    )
)]
#[post("/mail-accounts")]
pub async fn create_mail_account(
    caller: AdminCaller,
    state: web::Data<AppState>,
    body: ValidJson<MailAccountRequest>,
) -> Result<HttpResponse, ApiError> {
    let input = MailAccountInput::from(body.into_inner());
    let account = blocking(&state, move |s| {
        s.save_mail_account(&caller.0.principal, None, input)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/mail-accounts/{}", account.id),
        ))
        .json(MailAccountResponse::from(account)))
}

/// Get a mail account.
#[utoipa::path(
    tag = "mail",
    operation_id = "get_mail_account",
    params(("id" = i64, Path, description = "Account id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The account", body = MailAccountResponse),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such account"),
    )
)]
#[get("/mail-accounts/{id}")]
pub async fn get_mail_account(
    caller: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<web::Json<MailAccountResponse>, ApiError> {
    let id = id.into_inner();
    let account = blocking(&state, move |s| s.get_mail_account(&caller.0.principal, id)).await?;
    Ok(web::Json(account.into()))
}

/// Replace a mail account.
///
/// Every field is replaced (omit `password` to keep it); the account is polled again now.
#[utoipa::path(
    tag = "mail",
    operation_id = "update_mail_account",
    params(("id" = i64, Path, description = "Account id")),
    request_body = MailAccountRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The changed account", body = MailAccountResponse),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such account"),
        (status = 409, description = "The name is taken (`name_taken`)"),
    )
)]
#[put("/mail-accounts/{id}")]
pub async fn update_mail_account(
    caller: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: ValidJson<MailAccountRequest>,
) -> Result<web::Json<MailAccountResponse>, ApiError> {
    let id = id.into_inner();
    let input = MailAccountInput::from(body.into_inner());
    let account = blocking(&state, move |s| {
        s.save_mail_account(&caller.0.principal, Some(id), input)
    })
    .await?;
    Ok(web::Json(account.into()))
}

/// Delete a mail account.
///
/// The messages received through it stay.
#[utoipa::path(
    tag = "mail",
    operation_id = "delete_mail_account",
    params(("id" = i64, Path, description = "Account id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such account"),
    )
)]
#[delete("/mail-accounts/{id}")]
pub async fn delete_mail_account(
    caller: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    blocking(&state, move |s| {
        s.delete_mail_account(&caller.0.principal, id)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Poll a mail account now.
///
/// Queues a poll (at most one is pending per account) and answers the account.
#[utoipa::path(
    tag = "mail",
    operation_id = "poll_mail_account",
    params(("id" = i64, Path, description = "Account id")),
    security(("bearer" = [])),
    responses(
        (status = 202, description = "A poll is queued", body = MailAccountResponse),
        (status = 403, description = "Not an administrator"),
        (status = 404, description = "No such account"),
    )
)]
#[post("/mail-accounts/{id}/poll")]
pub async fn poll_mail_account(
    caller: AdminCaller,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let account = blocking(&state, move |s| {
        s.poll_mail_account_now(&caller.0.principal, id)
    })
    .await?;
    Ok(HttpResponse::Accepted().json(MailAccountResponse::from(account)))
}
