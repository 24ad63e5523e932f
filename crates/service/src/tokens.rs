//! Personal API tokens: created by their owner, shown once, stored hashed, revocable.

use chrono::{DateTime, Duration, Utc};
use vakt_domain::validation::text_length;
use vakt_domain::{FieldErrors, Principal, ValidationError};
use vakt_persistence::DbConnection;
use vakt_persistence::repo::api_tokens;
use vakt_persistence::repo::identity::sessions;
use vakt_persistence::time::{from_db, to_db};

use crate::crypto::{random_token, token_hash};
use crate::error::{ServiceError, ServiceResult};
use crate::users::require_admin;
use crate::{Authenticated, Services};

/// Every API token starts with this, which tells it apart from a JWT.
pub const API_TOKEN_PREFIX: &str = "vakt_";
/// How many leading characters of a token are kept to help its owner recognise it.
const DISPLAY_PREFIX_LEN: usize = 12;
/// Longest lifetime a token may be given, in days.
pub const MAX_TOKEN_DAYS: i64 = 3650;

/// What an API token may be used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenScope {
    /// Everything its owner may do.
    Full,
    /// Only posting inbound mail (`vakt mailgate`); administrators create these.
    MailGateway,
}

impl TokenScope {
    /// Stored/wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Full => "full",
            Self::MailGateway => "mail_gateway",
        }
    }

    /// Parses the stored/wire name.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "full" => Some(Self::Full),
            "mail_gateway" => Some(Self::MailGateway),
            _ => None,
        }
    }
}

/// A token as its owner sees it (never with the secret, except once at creation).
#[derive(Debug, Clone)]
pub struct ApiToken {
    /// Id.
    pub id: i64,
    /// Owner-chosen name.
    pub name: String,
    /// The first characters of the secret.
    pub prefix: String,
    /// Scope.
    pub scope: TokenScope,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Optional expiry.
    pub expires_at: Option<DateTime<Utc>>,
    /// Last use (precision: one minute).
    pub last_used_at: Option<DateTime<Utc>>,
}

/// Input for creating a token.
#[derive(Debug, Clone)]
pub struct NewApiToken {
    /// A name to recognise it by.
    pub name: String,
    /// Scope; `Full` when not given.
    pub scope: TokenScope,
    /// Lifetime in days; `None` for no expiry.
    pub expires_in_days: Option<i64>,
}

impl TryFrom<api_tokens::ApiTokenRow> for ApiToken {
    type Error = ServiceError;
    fn try_from(row: api_tokens::ApiTokenRow) -> ServiceResult<Self> {
        Ok(Self {
            scope: TokenScope::parse(&row.scope).ok_or_else(|| {
                ServiceError::Internal(format!("token {} has scope {:?}", row.id, row.scope))
            })?,
            id: row.id,
            name: row.name,
            prefix: row.token_prefix,
            created_at: from_db(row.created_at),
            expires_at: row.expires_at.map(from_db),
            last_used_at: row.last_used_at.map(from_db),
        })
    }
}

/// Ends all sessions of a user and revokes their refresh tokens: their access tokens stop
/// working at once.
pub(crate) fn end_sessions(
    conn: &mut DbConnection,
    user_id: i64,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    sessions::end_all_for_user(conn, user_id, None, to_db(now))?;
    Ok(())
}

impl Services {
    /// Creates a token for the caller; returns it with its secret, which is never shown again.
    pub fn create_api_token(
        &self,
        caller: &Authenticated,
        input: NewApiToken,
    ) -> ServiceResult<(ApiToken, String)> {
        let actor: &Principal = &caller.principal;
        let mut errors = FieldErrors::new();
        errors.check("name", text_length(&input.name, 1, 100));
        if let Some(days) = input.expires_in_days
            && !(1..=MAX_TOKEN_DAYS).contains(&days)
        {
            errors.add(
                "expires_in_days",
                ValidationError::new(
                    "out_of_range",
                    format!("must be between 1 and {MAX_TOKEN_DAYS}"),
                ),
            );
        }
        errors.into_result()?;
        if input.scope == TokenScope::MailGateway {
            require_admin(actor)?;
        }
        if caller.via.limited_scope().is_some() {
            return Err(ServiceError::Forbidden(
                "a limited token cannot create tokens".into(),
            ));
        }
        let secret = format!("{API_TOKEN_PREFIX}{}", random_token(30));
        let prefix: String = secret.chars().take(DISPLAY_PREFIX_LEN).collect();
        let now = self.now();
        let hash = token_hash(&secret);
        let mut conn = self.conn()?;
        let row = api_tokens::insert(
            &mut conn,
            &api_tokens::NewApiToken {
                user_id: actor.user_id,
                name: input.name.trim(),
                token_hash: &hash,
                token_prefix: &prefix,
                scope: input.scope.as_str(),
                created_at: to_db(now),
                expires_at: input
                    .expires_in_days
                    .map(|d| to_db(now + Duration::days(d))),
            },
        )?;
        log::info!(
            "user {} created API token {} ({})",
            actor.user_id,
            row.id,
            row.scope
        );
        Ok((ApiToken::try_from(row)?, secret))
    }

    /// The caller's active tokens.
    pub fn list_api_tokens(&self, actor: &Principal) -> ServiceResult<Vec<ApiToken>> {
        let mut conn = self.conn()?;
        api_tokens::list_active_for_user(&mut conn, actor.user_id)?
            .into_iter()
            .map(ApiToken::try_from)
            .collect()
    }

    /// Revokes one of the caller's tokens; someone else's token is "not found".
    pub fn revoke_api_token(&self, actor: &Principal, id: i64) -> ServiceResult<()> {
        let mut conn = self.conn()?;
        if api_tokens::revoke(&mut conn, actor.user_id, id, to_db(self.now()))? {
            log::info!("user {} revoked API token {id}", actor.user_id);
            Ok(())
        } else {
            Err(ServiceError::NotFound("token"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_names_round_trip() {
        for scope in [TokenScope::Full, TokenScope::MailGateway] {
            assert_eq!(TokenScope::parse(scope.as_str()), Some(scope));
        }
        assert_eq!(TokenScope::parse("admin"), None);
    }
}
