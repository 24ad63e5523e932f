//! Sign-in, sessions (JWT access token + rotated refresh token), and authenticating a bearer
//! credential (JWT or API token) on every request.

use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use vakt_persistence::DbConnection;
use vakt_persistence::repo::identity::sessions::{self, NewSession};
use vakt_persistence::repo::{api_tokens, login_failures, refresh_tokens, users};
use vakt_persistence::time::{from_db, to_db};

use crate::Services;
use crate::crypto::{random_token, token_hash, verify_password};
use crate::error::{AuthFailure, ServiceError, ServiceResult};
use crate::identity::totp::{self, SecondFactor};
use crate::tokens::{API_TOKEN_PREFIX, TokenScope};
use crate::users::User;

/// How often (at most) an API token's `last_used_at` is written.
const TOUCH_INTERVAL_SECS: i64 = 60;
/// A refresh token presented again within this time after its rotation is treated as a race
/// (two tabs refreshing at once), not as theft.
const REUSE_GRACE_SECS: i64 = 60;

/// The HS256 keys derived from the persisted secret.
pub(crate) struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JwtKeys(..)")
    }
}

impl JwtKeys {
    pub(crate) fn new(secret: &[u8]) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    iat: i64,
    exp: i64,
    typ: String,
    /// The session (absent in tokens issued before sessions existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sid: Option<i64>,
    /// Set when the session may only enrol the second factor the policy requires.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    enr: bool,
}

/// What is known about the client signing in: shown to the user in their session list, and
/// the address counts for the login lockout.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    /// The client's address (see `trust_forwarded_for`).
    pub address: Option<String>,
    /// The `User-Agent` header, shortened.
    pub user_agent: Option<String>,
}

/// How a user signed in, recorded on their session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInMethod {
    /// A local password.
    Password,
    /// A directory (LDAP) password.
    Ldap,
    /// An OpenID Connect provider.
    Oidc,
}

impl SignInMethod {
    /// Stored/wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Password => "password",
            Self::Ldap => "ldap",
            Self::Oidc => "oidc",
        }
    }
}

/// A fresh session.
#[derive(Debug, Clone)]
pub struct TokenPair {
    /// JWT for `Authorization: Bearer`.
    pub access_token: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// Opaque token to get a new pair from `/auth/refresh`; single use.
    pub refresh_token: String,
}

/// How a request proved who it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMethod {
    /// A JWT access token from a login.
    Session {
        /// The session it belongs to (absent for tokens from before sessions were recorded).
        session_id: Option<i64>,
        /// The policy requires a second factor the user has not enrolled yet: this session may
        /// only enrol one (and read the profile, and sign out).
        enrolment_only: bool,
    },
    /// A personal API token.
    ApiToken {
        /// The token's id.
        id: i64,
        /// The token's scope.
        scope: TokenScope,
    },
}

impl AuthMethod {
    /// Whether this session may only enrol the second factor the policy requires.
    pub fn enrolment_only(&self) -> bool {
        matches!(
            self,
            Self::Session {
                enrolment_only: true,
                ..
            }
        )
    }

    /// The scope when the credential is limited to less than its owner's full rights.
    pub fn limited_scope(&self) -> Option<TokenScope> {
        match self {
            Self::ApiToken { scope, .. } if *scope != TokenScope::Full => Some(*scope),
            _ => None,
        }
    }
}

/// An authenticated, active user and how they authenticated.
#[derive(Debug, Clone)]
pub struct Authenticated {
    /// The user, freshly loaded for this request.
    pub user: User,
    /// The user as a principal for rights checks.
    pub principal: vakt_domain::Principal,
    /// JWT or API token.
    pub via: AuthMethod,
}

impl Services {
    /// Signs in with email (or a customer's login name) and password, and the code of the
    /// user's authenticator app (or a recovery code) when they enrolled one. Unknown email,
    /// wrong password, no password and an inactive user all give the same answer in about the
    /// same time. Too many failures (passwords or codes) for the account or from the client
    /// address lock further attempts for the rest of the window.
    pub fn login(
        &self,
        email: &str,
        password: &str,
        otp: Option<&str>,
        client: &ClientInfo,
    ) -> ServiceResult<TokenPair> {
        let client_address = client.address.as_deref();
        let now = self.now();
        let policy = self.config().lockout;
        let account = format!("account:{}", email.trim().to_lowercase());
        let address = client_address.map(|a| format!("address:{a}"));
        let mut conn = self.conn()?;
        let window_start = to_db(now - policy.window);
        let mut retry_after = None;
        for (subject, max) in [
            (Some(&account), policy.max_failures_per_account),
            (address.as_ref(), policy.max_failures_per_address),
        ] {
            let Some(subject) = subject else { continue };
            let (failures, oldest) = login_failures::since(&mut conn, subject, window_start)?;
            if failures >= max {
                let unlock = oldest.map_or(now, |t| from_db(t) + policy.window);
                retry_after = Some(retry_after.unwrap_or(unlock).max(unlock));
            }
        }
        if let Some(unlock) = retry_after {
            log::warn!(
                "login refused: too many failures for {account} / {}",
                address.as_deref().unwrap_or("-")
            );
            return Err(ServiceError::TooManyAttempts {
                retry_after_secs: u64::try_from((unlock - now).num_seconds().max(1)).unwrap_or(1),
            });
        }
        // Customers may also sign in with their login name (logins never contain `@`). The
        // lockout above counts failures per name as typed, so a lock on one name never tells
        // which other name belongs to the same account.
        let identifier = email.trim().to_lowercase();
        let row = if identifier.contains('@') {
            users::find_by_email(&mut conn, &identifier)?
        } else {
            users::find_by_login(&mut conn, &identifier)?
        };
        let password_ok = verify_password(
            password,
            row.as_ref().and_then(|u| u.password_hash.as_deref()),
        );
        let subjects: Vec<&str> = [Some(account.as_str()), address.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        let record_failure = |conn: &mut DbConnection| {
            conn.write_transaction(|conn| {
                login_failures::record(conn, &subjects, to_db(now))?;
                login_failures::purge_before(conn, to_db(now - policy.window * 2))
            })
        };
        let user = match row {
            Some(row) if password_ok && row.active => User::try_from(row)?,
            _ => {
                record_failure(&mut conn)?;
                log::info!("login failed for {account}");
                return Err(ServiceError::Unauthorized(AuthFailure::InvalidCredentials));
            }
        };
        let factor =
            conn.write_transaction(|conn| totp::check_at_sign_in(conn, &user, otp, now))?;
        let enrolment_only = match factor {
            SecondFactor::None { must_enrol } => must_enrol,
            SecondFactor::Verified => false,
            SecondFactor::Missing => {
                return Err(ServiceError::Unauthorized(
                    AuthFailure::SecondFactorRequired,
                ));
            }
            SecondFactor::Wrong => {
                record_failure(&mut conn)?;
                log::info!("second factor failed for user {}", user.id);
                return Err(ServiceError::Unauthorized(AuthFailure::InvalidSecondFactor));
            }
        };
        login_failures::clear(&mut conn, &account)?;
        let pair = conn.write_transaction(|conn| {
            let session = start_session(conn, &user, SignInMethod::Password, client, now)?;
            self.issue_session(conn, &user, session, enrolment_only, now)
        })?;
        log::info!("user {} signed in", user.id);
        Ok(pair)
    }

    /// Exchanges a refresh token for a new pair; the old token stops working. Presenting an
    /// already rotated token again (well after its rotation) revokes all of the user's sessions.
    pub fn refresh_session(&self, refresh_token: &str) -> ServiceResult<TokenPair> {
        let now = self.now();
        let hash = token_hash(refresh_token);
        let mut conn = self.conn()?;
        let Some(token) = refresh_tokens::find_by_hash(&mut conn, &hash)? else {
            return Err(invalid_token());
        };
        if let Some(revoked_at) = token.revoked_at {
            // Committed on its own: the refusal below must not roll it back.
            if now - from_db(revoked_at) > Duration::seconds(REUSE_GRACE_SECS) {
                log::warn!(
                    "refresh token {} reused after revocation; ending all sessions of user {}",
                    token.id,
                    token.user_id
                );
                sessions::end_all_for_user(&mut conn, token.user_id, None, to_db(now))?;
            }
            return Err(invalid_token());
        }
        if from_db(token.expires_at) <= now {
            return Err(ServiceError::Unauthorized(AuthFailure::ExpiredToken));
        }
        conn.write_transaction(|conn| {
            let user = users::find(conn, token.user_id)?
                .map(User::try_from)
                .transpose()?;
            let Some(user) = user.filter(|u| u.active) else {
                return Err(invalid_token());
            };
            // Only one of two concurrent refreshes with the same token wins.
            if !refresh_tokens::revoke(conn, token.id, to_db(now))? {
                return Err(invalid_token());
            }
            let session = match token.session_id {
                Some(id) => sessions::find(conn, id)?
                    .filter(|s| s.ended_at.is_none())
                    .ok_or_else(invalid_token)?,
                None => {
                    let id = start_session(
                        conn,
                        &user,
                        SignInMethod::Password,
                        &ClientInfo::default(),
                        now,
                    )?;
                    sessions::find(conn, id)?.ok_or_else(invalid_token)?
                }
            };
            sessions::touch(conn, session.id, to_db(now))?;
            let enrolment_only =
                session.method == SignInMethod::Password.as_str() && totp::must_enrol(conn, &user)?;
            self.issue_session(conn, &user, session.id, enrolment_only, now)
        })
    }

    /// Ends a session by revoking its refresh token; its access tokens stop working at once.
    /// Unknown tokens are ignored.
    pub fn logout(&self, refresh_token: &str) -> ServiceResult<()> {
        let mut conn = self.conn()?;
        let now = to_db(self.now());
        if let Some(token) = refresh_tokens::find_by_hash(&mut conn, &token_hash(refresh_token))? {
            conn.write_transaction(|conn| {
                refresh_tokens::revoke(conn, token.id, now)?;
                if let Some(session) = token.session_id {
                    sessions::end(conn, token.user_id, session, now)?;
                }
                Ok::<_, ServiceError>(())
            })?;
        }
        Ok(())
    }

    /// Authenticates a bearer credential: a JWT access token or an API token. The user is
    /// loaded on every call, so a deactivated user is refused at once.
    pub fn authenticate(&self, bearer: &str) -> ServiceResult<Authenticated> {
        let now = self.now();
        let mut conn = self.conn()?;
        let (user_id, via) = if bearer.starts_with(API_TOKEN_PREFIX) {
            self.check_api_token(&mut conn, bearer, now)?
        } else {
            let (user_id, session_id, enrolment_only) = self.check_jwt(bearer, now)?;
            if let Some(id) = session_id
                && !sessions::is_active(&mut conn, id)?
            {
                return Err(invalid_token());
            }
            (
                user_id,
                AuthMethod::Session {
                    session_id,
                    enrolment_only,
                },
            )
        };
        let user = users::find(&mut conn, user_id)?
            .map(User::try_from)
            .transpose()?;
        let Some(user) = user.filter(|u| u.active) else {
            return Err(invalid_token());
        };
        Ok(Authenticated {
            principal: user.principal(),
            user,
            via,
        })
    }

    fn check_api_token(
        &self,
        conn: &mut DbConnection,
        secret: &str,
        now: DateTime<Utc>,
    ) -> ServiceResult<(i64, AuthMethod)> {
        let Some(token) = api_tokens::find_active_by_hash(conn, &token_hash(secret))? else {
            return Err(invalid_token());
        };
        if token.expires_at.is_some_and(|at| from_db(at) <= now) {
            return Err(ServiceError::Unauthorized(AuthFailure::ExpiredToken));
        }
        let scope = TokenScope::parse(&token.scope).ok_or_else(invalid_token)?;
        if token
            .last_used_at
            .is_none_or(|at| now - from_db(at) > Duration::seconds(TOUCH_INTERVAL_SECS))
        {
            api_tokens::touch(conn, token.id, to_db(now))?;
        }
        Ok((
            token.user_id,
            AuthMethod::ApiToken {
                id: token.id,
                scope,
            },
        ))
    }

    fn check_jwt(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> ServiceResult<(i64, Option<i64>, bool)> {
        let mut validation = Validation::new(Algorithm::HS256);
        // Expiry is checked against the service clock below, not the system clock.
        validation.validate_exp = false;
        validation.required_spec_claims.clear();
        let data = jsonwebtoken::decode::<Claims>(token, &self.0.jwt.decoding, &validation)
            .map_err(|_| invalid_token())?;
        if data.claims.typ != "access" {
            return Err(invalid_token());
        }
        if data.claims.exp <= now.timestamp() {
            return Err(ServiceError::Unauthorized(AuthFailure::ExpiredToken));
        }
        let user_id = data.claims.sub.parse().map_err(|_| invalid_token())?;
        Ok((user_id, data.claims.sid, data.claims.enr))
    }

    /// Issues an access token and a refresh token for `session`.
    pub(crate) fn issue_session(
        &self,
        conn: &mut DbConnection,
        user: &User,
        session: i64,
        enrolment_only: bool,
        now: DateTime<Utc>,
    ) -> ServiceResult<TokenPair> {
        let ttl = self.config().access_token_ttl;
        let claims = Claims {
            sub: user.id.to_string(),
            iat: now.timestamp(),
            exp: (now + ttl).timestamp(),
            typ: "access".into(),
            sid: Some(session),
            enr: enrolment_only,
        };
        let access_token = jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &self.0.jwt.encoding,
        )
        .map_err(|e| ServiceError::Internal(format!("signing a JWT failed: {e}")))?;
        let refresh_token = random_token(32);
        refresh_tokens::insert(
            conn,
            user.id,
            session,
            &token_hash(&refresh_token),
            to_db(now),
            to_db(now + self.config().refresh_token_ttl),
        )?;
        Ok(TokenPair {
            access_token,
            expires_in: ttl.num_seconds(),
            refresh_token,
        })
    }
}

/// Records a new sign-in of `user`.
pub(crate) fn start_session(
    conn: &mut DbConnection,
    user: &User,
    method: SignInMethod,
    client: &ClientInfo,
    now: DateTime<Utc>,
) -> ServiceResult<i64> {
    let user_agent: Option<String> = client
        .user_agent
        .as_deref()
        .map(|ua| ua.chars().take(MAX_USER_AGENT_CHARS).collect());
    Ok(sessions::insert(
        conn,
        &NewSession {
            user_id: user.id,
            method: method.as_str(),
            created_at: to_db(now),
            last_seen_at: to_db(now),
            client_address: client.address.as_deref(),
            user_agent: user_agent.as_deref(),
        },
    )?)
}

/// How much of a `User-Agent` header is kept.
const MAX_USER_AGENT_CHARS: usize = 300;

fn invalid_token() -> ServiceError {
    ServiceError::Unauthorized(AuthFailure::InvalidToken)
}
