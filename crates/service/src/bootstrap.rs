//! First start: the persisted JWT signing secret and the first administrator; and the
//! `vakt create-admin` command's use case.

use vakt_domain::{Clock, EmailAddress, UserKind};
use vakt_persistence::repo::{settings, users};
use vakt_persistence::time::to_db;
use vakt_persistence::{DbPool, unique_violation};

use crate::crypto::{hash_password, random_bytes, random_password};
use crate::error::{ServiceError, ServiceResult};
use crate::users::{User, check_password, insert_user};

/// Settings key of the JWT signing secret (hex).
const JWT_SECRET_KEY: &str = "jwt_secret";
/// Length of generated passwords.
const GENERATED_PASSWORD_LENGTH: usize = 20;

/// Who the first administrator is.
#[derive(Debug, Clone)]
pub struct AdminSeed {
    /// Email (`VAKT_ADMIN_EMAIL`, default `admin@localhost`).
    pub email: String,
    /// Password (`VAKT_ADMIN_PASSWORD`); generated when `None`.
    pub password: Option<String>,
}

/// The administrator created on first start.
#[derive(Debug, Clone)]
pub struct CreatedAdmin {
    /// Their email.
    pub email: String,
    /// The generated password, to be printed once; `None` when it came from the configuration.
    pub generated_password: Option<String>,
}

/// What first-start preparation found or did.
#[derive(Debug, Clone)]
pub struct BootstrapOutcome {
    /// The JWT signing secret shared by all server processes.
    pub jwt_secret: Vec<u8>,
    /// Set when this start created the first administrator.
    pub created_admin: Option<CreatedAdmin>,
}

/// Ensures the JWT secret exists and, on an empty database, creates the first administrator.
/// Safe when several processes start at once: only one creates the administrator.
pub fn bootstrap(
    pool: &DbPool,
    clock: &dyn Clock,
    admin: &AdminSeed,
) -> ServiceResult<BootstrapOutcome> {
    let email = EmailAddress::parse(&admin.email)
        .map_err(|e| ServiceError::invalid("admin_email", e.code, e.message))?;
    if let Some(password) = &admin.password {
        check_password(password)
            .map_err(|e| ServiceError::invalid("admin_password", e.code, e.message))?;
    }
    let now = clock.now();
    let mut conn = pool.get()?;
    let secret_hex = settings::get_or_insert(
        &mut conn,
        JWT_SECRET_KEY,
        &hex::encode(random_bytes(64)),
        to_db(now),
    )?;
    let jwt_secret = hex::decode(secret_hex.trim())
        .map_err(|_| ServiceError::Internal("the stored JWT secret is not hex".into()))?;

    let result = conn.write_transaction(|conn| {
        if users::any_exists(conn)? {
            return Ok(None);
        }
        let generated = admin
            .password
            .is_none()
            .then(|| random_password(GENERATED_PASSWORD_LENGTH));
        let password = admin.password.as_deref().or(generated.as_deref());
        insert_user(
            conn,
            UserKind::Agent,
            &email,
            "Administrator",
            password,
            true,
            now,
        )?;
        Ok(Some(CreatedAdmin {
            email: email.to_string(),
            generated_password: generated,
        }))
    });
    let created_admin = match result {
        Ok(created) => created,
        // Another process created the first user at the same moment.
        Err(ServiceError::Conflict {
            code: "email_taken",
            ..
        }) => None,
        Err(other) => return Err(other),
    };
    Ok(BootstrapOutcome {
        jwt_secret,
        created_admin,
    })
}

/// What `vakt create-admin` did.
#[derive(Debug, Clone)]
pub struct CreateAdminOutcome {
    /// The administrator.
    pub user: User,
    /// False when an existing agent was promoted (and reactivated) instead.
    pub created: bool,
    /// The generated password, when none was given.
    pub generated_password: Option<String>,
}

/// Creates an administrator, or makes an existing agent an active administrator (setting the
/// password when one is given or generated): the way back in when every admin is locked out.
pub fn create_admin(
    pool: &DbPool,
    clock: &dyn Clock,
    email: &str,
    password: Option<&str>,
) -> ServiceResult<CreateAdminOutcome> {
    let email = EmailAddress::parse(email)
        .map_err(|e| ServiceError::invalid("email", e.code, e.message))?;
    if let Some(password) = password {
        check_password(password)
            .map_err(|e| ServiceError::invalid("password", e.code, e.message))?;
    }
    let generated = password
        .is_none()
        .then(|| random_password(GENERATED_PASSWORD_LENGTH));
    let password = password
        .or(generated.as_deref())
        .unwrap_or_default()
        .to_owned();
    let now = clock.now();
    let mut conn = pool.get()?;
    conn.write_transaction(|conn| match users::find_by_email(conn, email.as_str())? {
        None => {
            let name = email
                .as_str()
                .split('@')
                .next()
                .unwrap_or("Administrator")
                .to_owned();
            let row = insert_user(
                conn,
                UserKind::Agent,
                &email,
                &name,
                Some(&password),
                true,
                now,
            )?;
            Ok(CreateAdminOutcome {
                user: User::try_from(row)?,
                created: true,
                generated_password: generated,
            })
        }
        Some(existing) if existing.kind == UserKind::Customer.as_str() => {
            Err(ServiceError::Conflict {
                code: "email_taken",
                detail: format!("{email} belongs to a customer, not an agent"),
            })
        }
        Some(existing) => {
            let changes = users::UserChanges {
                password_hash: Some(Some(hash_password(&password)?)),
                is_admin: Some(true),
                active: Some(true),
                updated_at: Some(to_db(now)),
                ..Default::default()
            };
            let row =
                users::update(conn, existing.id, &changes).map_err(|e| {
                    match unique_violation(&e) {
                        Some(_) => ServiceError::Conflict {
                            code: "email_taken",
                            detail: e.to_string(),
                        },
                        None => e.into(),
                    }
                })?;
            crate::tokens::end_sessions(conn, row.id, now)?;
            Ok(CreateAdminOutcome {
                user: User::try_from(row)?,
                created: false,
                generated_password: generated,
            })
        }
    })
}
