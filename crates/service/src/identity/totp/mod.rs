//! Two-factor authentication for local accounts: TOTP enrolment (secret, `otpauth://` URI and
//! QR code), confirmation with a first code, ten single-use recovery codes (stored hashed), the
//! check at sign-in, an administrators' policy that requires it for administrators or all
//! agents, and an administrators' reset. API tokens are not affected: scripts keep working.

pub mod code;

use chrono::{DateTime, Utc};
use serde_json::json;
use vakt_domain::{Principal, UserKind};
use vakt_persistence::DbConnection;
use vakt_persistence::repo::identity::two_factor::{self, TotpRow};
use vakt_persistence::repo::{settings, users};
use vakt_persistence::time::to_db;

use crate::audit::{self, Change};
use crate::crypto::{random_bytes, token_hash, verify_password};
use crate::error::{ServiceError, ServiceResult};
use crate::users::require_admin;
use crate::{Authenticated, Services, User};

/// How many recovery codes a user gets.
pub const RECOVERY_CODE_COUNT: usize = 10;
/// The settings key of the policy.
const POLICY_KEY: &str = "security.two_factor_required";
/// The issuer shown in authenticator apps.
const ISSUER: &str = "Vakt";

/// Who must use a second factor to sign in with a local password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TwoFactorPolicy {
    /// Nobody must (everyone may).
    Optional,
    /// Administrators must.
    Admins,
    /// Every agent must (administrators included).
    Agents,
}

impl TwoFactorPolicy {
    /// Stored/wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Optional => "optional",
            Self::Admins => "admins",
            Self::Agents => "agents",
        }
    }

    /// Parses the stored/wire name.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "optional" => Some(Self::Optional),
            "admins" => Some(Self::Admins),
            "agents" => Some(Self::Agents),
            _ => None,
        }
    }

    /// Whether the policy requires `user` to use a second factor.
    pub fn requires(self, user: &User) -> bool {
        match self {
            Self::Optional => false,
            Self::Admins => user.is_admin,
            Self::Agents => user.kind == UserKind::Agent,
        }
    }
}

/// The caller's second factor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TwoFactorStatus {
    /// A confirmed authenticator app is needed at sign-in.
    pub enabled: bool,
    /// The policy requires it of this user.
    pub required: bool,
    /// Unused recovery codes.
    pub recovery_codes_left: i64,
}

/// A started enrolment: what the authenticator app needs.
#[derive(Debug, Clone)]
pub struct TotpEnrolment {
    /// The secret, base32 (for typing it in).
    pub secret: String,
    /// The `otpauth://` URI (what the QR code holds).
    pub otpauth_uri: String,
    /// The QR code as an SVG document.
    pub qr_svg: String,
}

/// Outcome of the second-factor step of a password sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SecondFactor {
    /// The user has none; `true` when the policy requires one (enrolment-only session).
    None { must_enrol: bool },
    /// The code (or a recovery code) was right.
    Verified,
    /// The user has one and sent no code.
    Missing,
    /// The code was wrong, reused, or not a recovery code.
    Wrong,
}

pub(crate) fn policy(conn: &mut DbConnection) -> ServiceResult<TwoFactorPolicy> {
    Ok(settings::get(conn, POLICY_KEY)?
        .as_deref()
        .and_then(TwoFactorPolicy::parse)
        .unwrap_or(TwoFactorPolicy::Optional))
}

fn confirmed(conn: &mut DbConnection, user_id: i64) -> ServiceResult<Option<TotpRow>> {
    Ok(two_factor::find(conn, user_id)?.filter(|row| row.confirmed_at.is_some()))
}

/// Whether a password session of `user` may only enrol a second factor.
pub(crate) fn must_enrol(conn: &mut DbConnection, user: &User) -> ServiceResult<bool> {
    Ok(policy(conn)?.requires(user) && confirmed(conn, user.id)?.is_none())
}

/// Accepts a TOTP code (never the same step twice) or an unused recovery code.
fn accept_code(
    conn: &mut DbConnection,
    row: &TotpRow,
    code: &str,
    now: DateTime<Utc>,
) -> ServiceResult<bool> {
    let secret = code::base32_decode(&row.secret)
        .ok_or_else(|| ServiceError::Internal(format!("user {}'s TOTP secret", row.user_id)))?;
    if let Some(step) = code::verify(&secret, code, now.timestamp()) {
        return Ok(two_factor::accept_step(
            conn,
            row.user_id,
            step,
            to_db(now),
        )?);
    }
    let normalised = normalise_recovery_code(code);
    if normalised.len() != RECOVERY_CODE_CHARS || row.confirmed_at.is_none() {
        return Ok(false);
    }
    Ok(two_factor::use_recovery_code(
        conn,
        row.user_id,
        &token_hash(&normalised),
        to_db(now),
    )?)
}

/// The second-factor step of a password sign-in (inside its transaction).
pub(crate) fn check_at_sign_in(
    conn: &mut DbConnection,
    user: &User,
    otp: Option<&str>,
    now: DateTime<Utc>,
) -> ServiceResult<SecondFactor> {
    let Some(row) = confirmed(conn, user.id)? else {
        return Ok(SecondFactor::None {
            must_enrol: policy(conn)?.requires(user),
        });
    };
    match otp.map(str::trim).filter(|c| !c.is_empty()) {
        None => Ok(SecondFactor::Missing),
        Some(code) if accept_code(conn, &row, code, now)? => Ok(SecondFactor::Verified),
        Some(_) => Ok(SecondFactor::Wrong),
    }
}

const RECOVERY_CODE_CHARS: usize = 10;

fn normalise_recovery_code(code: &str) -> String {
    code.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Ten fresh codes like `k3m9-p2x7q`: 10 characters of 32 (50 bits) each.
fn new_recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8; 32] = b"abcdefghjkmnpqrstuvwxyz23456789x";
    (0..RECOVERY_CODE_COUNT)
        .map(|_| {
            let chars: String = random_bytes(RECOVERY_CODE_CHARS)
                .iter()
                .map(|b| ALPHABET[usize::from(*b) % 32] as char)
                .collect();
            format!("{}-{}", &chars[..5], &chars[5..])
        })
        .collect()
}

fn store_recovery_codes(conn: &mut DbConnection, user_id: i64) -> ServiceResult<Vec<String>> {
    let codes = new_recovery_codes();
    let hashes: Vec<String> = codes
        .iter()
        .map(|c| token_hash(&normalise_recovery_code(c)))
        .collect();
    two_factor::replace_recovery_codes(conn, user_id, &hashes)?;
    Ok(codes)
}

fn require_local_password(
    conn: &mut DbConnection,
    caller: &Authenticated,
    password: &str,
) -> ServiceResult<()> {
    let row = users::find(conn, caller.user.id)?.ok_or(ServiceError::NotFound("user"))?;
    if verify_password(password, row.password_hash.as_deref()) {
        Ok(())
    } else {
        Err(ServiceError::invalid(
            "current_password",
            "wrong_password",
            "is not your current password",
        ))
    }
}

fn qr_svg(uri: &str) -> ServiceResult<String> {
    let code = qrcode::QrCode::new(uri.as_bytes())
        .map_err(|e| ServiceError::Internal(format!("QR code: {e}")))?;
    Ok(code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build())
}

impl Services {
    /// The caller's second factor: enabled, required, recovery codes left.
    pub fn two_factor_status(&self, caller: &Authenticated) -> ServiceResult<TwoFactorStatus> {
        let mut conn = self.conn()?;
        let enabled = confirmed(&mut conn, caller.user.id)?.is_some();
        Ok(TwoFactorStatus {
            enabled,
            required: policy(&mut conn)?.requires(&caller.user),
            recovery_codes_left: if enabled {
                two_factor::unused_recovery_codes(&mut conn, caller.user.id)?
            } else {
                0
            },
        })
    }

    /// Starts (or restarts) enrolling an authenticator app; needs the current password. The
    /// second factor is active only once confirmed with a code. 409 `two_factor_enabled` when
    /// one is already active (disable it first).
    pub fn start_two_factor(
        &self,
        caller: &Authenticated,
        current_password: &str,
    ) -> ServiceResult<TotpEnrolment> {
        let mut conn = self.conn()?;
        require_local_password(&mut conn, caller, current_password)?;
        let secret = code::base32_encode(&random_bytes(code::SECRET_BYTES));
        let started = conn.write_transaction(|conn| {
            two_factor::start(conn, caller.user.id, &secret, to_db(self.now()))
        })?;
        if !started {
            return Err(ServiceError::Conflict {
                code: "two_factor_enabled",
                detail: "two-factor authentication is already on; turn it off first".into(),
            });
        }
        let otpauth_uri = code::otpauth_uri(ISSUER, &caller.user.email, &secret);
        log::info!("user {} started enrolling a second factor", caller.user.id);
        Ok(TotpEnrolment {
            qr_svg: qr_svg(&otpauth_uri)?,
            otpauth_uri,
            secret,
        })
    }

    /// Completes the enrolment with a code from the app; returns the recovery codes (shown
    /// once). A wrong code is 422 on `code`.
    pub fn confirm_two_factor(
        &self,
        caller: &Authenticated,
        code: &str,
    ) -> ServiceResult<Vec<String>> {
        let now = self.now();
        let mut conn = self.conn()?;
        let codes = conn.write_transaction(|conn| {
            let row = two_factor::find(conn, caller.user.id)?
                .filter(|row| row.confirmed_at.is_none())
                .ok_or(ServiceError::NotFound("two-factor enrolment"))?;
            if !accept_code(conn, &row, code, now)? {
                return Err(wrong_code());
            }
            store_recovery_codes(conn, caller.user.id)
        })?;
        log::info!(
            "user {} turned on two-factor authentication",
            caller.user.id
        );
        Ok(codes)
    }

    /// Turns the second factor off; needs the current password. 409 `two_factor_required`
    /// when the policy requires it of the caller (an administrator can reset it instead).
    pub fn disable_two_factor(
        &self,
        caller: &Authenticated,
        current_password: &str,
    ) -> ServiceResult<()> {
        let mut conn = self.conn()?;
        require_local_password(&mut conn, caller, current_password)?;
        if policy(&mut conn)?.requires(&caller.user) {
            return Err(ServiceError::Conflict {
                code: "two_factor_required",
                detail: "two-factor authentication is required for your account".into(),
            });
        }
        if !conn.write_transaction(|conn| two_factor::remove(conn, caller.user.id))? {
            return Err(ServiceError::NotFound("second factor"));
        }
        log::info!(
            "user {} turned off two-factor authentication",
            caller.user.id
        );
        Ok(())
    }

    /// Replaces the recovery codes (the old ones stop working); needs a current code.
    pub fn regenerate_recovery_codes(
        &self,
        caller: &Authenticated,
        code: &str,
    ) -> ServiceResult<Vec<String>> {
        let now = self.now();
        let mut conn = self.conn()?;
        conn.write_transaction(|conn| {
            let row =
                confirmed(conn, caller.user.id)?.ok_or(ServiceError::NotFound("second factor"))?;
            if !accept_code(conn, &row, code, now)? {
                return Err(wrong_code());
            }
            store_recovery_codes(conn, caller.user.id)
        })
    }

    /// Removes a user's second factor, e.g. after a lost phone (administrators; audited). Their
    /// sessions end; if the policy requires a second factor, the next sign-in enrols one.
    pub fn reset_two_factor(&self, actor: &Principal, user_id: i64) -> ServiceResult<()> {
        require_admin(actor)?;
        let now = self.now();
        let mut conn = self.conn()?;
        conn.write_transaction(|conn| {
            let user = users::find(conn, user_id)?.ok_or(ServiceError::NotFound("user"))?;
            if !two_factor::remove(conn, user_id)? {
                return Err(ServiceError::NotFound("second factor"));
            }
            crate::tokens::end_sessions(conn, user_id, now)?;
            let change = Change::new("reset", "two_factor", user.id, &user.email)
                .about(user.id)
                .before(json!({ "enabled": true }))
                .after(json!({ "enabled": false }));
            audit::record(conn, Some(actor), now, change)
        })?;
        log::info!(
            "user {} reset the second factor of user {user_id}",
            actor.user_id
        );
        Ok(())
    }

    /// Who must use a second factor (administrators).
    pub fn two_factor_policy(&self, actor: &Principal) -> ServiceResult<TwoFactorPolicy> {
        require_admin(actor)?;
        let mut conn = self.conn()?;
        policy(&mut conn)
    }

    /// Sets who must use a second factor (administrators; audited). Users it newly covers
    /// who have none are asked to enrol at their next password sign-in.
    pub fn set_two_factor_policy(
        &self,
        actor: &Principal,
        value: TwoFactorPolicy,
    ) -> ServiceResult<TwoFactorPolicy> {
        require_admin(actor)?;
        let now = self.now();
        let mut conn = self.conn()?;
        conn.write_transaction(|conn| {
            let before = policy(conn)?;
            settings::put(conn, POLICY_KEY, value.as_str(), to_db(now))?;
            let change = Change::setting("update", POLICY_KEY)
                .before(json!({ "two_factor_required": before.as_str() }))
                .after(json!({ "two_factor_required": value.as_str() }));
            audit::record(conn, Some(actor), now, change)
        })?;
        log::info!(
            "user {} set the two-factor policy to {}",
            actor.user_id,
            value.as_str()
        );
        Ok(value)
    }
}

fn wrong_code() -> ServiceError {
    ServiceError::invalid("code", "wrong_code", "is not the current code of your app")
}
