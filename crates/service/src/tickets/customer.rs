//! Linking tickets to customers: known by id, or by email — an unknown email becomes a new
//! customer user (placed in the company whose mail domain matches).

use chrono::{DateTime, Utc};
use diesel::Connection;
use vakt_domain::{EmailAddress, UserKind};
use vakt_persistence::DbConnection;
use vakt_persistence::repo::companies;
use vakt_persistence::repo::users::{self, NewUser, UserRow};
use vakt_persistence::time::to_db;

use crate::error::{ServiceError, ServiceResult};
use crate::users::email_conflict;

/// How a request names the customer of a ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomerRef {
    /// An existing customer user.
    Id(i64),
    /// By email; created when unknown.
    Email {
        /// The address.
        email: String,
        /// A display name for a new customer (default: the address).
        name: Option<String>,
    },
}

/// Resolves the customer: an existing customer user, or a new one for an unknown email.
/// An address that belongs to an agent is refused.
pub(crate) fn resolve(
    conn: &mut DbConnection,
    field: &str,
    customer: &CustomerRef,
    now: DateTime<Utc>,
) -> ServiceResult<UserRow> {
    match customer {
        CustomerRef::Id(id) => match users::find(conn, *id)? {
            Some(user) if user.kind == UserKind::Customer.as_str() => Ok(user),
            _ => Err(ServiceError::invalid(
                field,
                "not_found",
                "no such customer",
            )),
        },
        CustomerRef::Email { email, name } => {
            let email = EmailAddress::parse(email)
                .map_err(|e| ServiceError::invalid(field, e.code, e.message))?;
            if let Some(user) = users::find_by_email(conn, email.as_str())? {
                if user.kind != UserKind::Customer.as_str() {
                    return Err(ServiceError::invalid(
                        field,
                        "not_a_customer",
                        "this address belongs to an agent",
                    ));
                }
                return Ok(user);
            }
            let company = companies::find_by_domain(conn, email.domain())?;
            let display = name
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .unwrap_or(email.as_str());
            let display: String = display.chars().take(200).collect();
            let new = NewUser {
                kind: UserKind::Customer.as_str(),
                email: email.as_str(),
                name: &display,
                password_hash: None,
                is_admin: false,
                active: true,
                created_at: to_db(now),
                updated_at: to_db(now),
                company_id: company.map(|c| c.id),
                sees_company_tickets: false,
                login: None,
            };
            // Under a savepoint: when a concurrent transaction creates the same customer first,
            // its row is what we want (PostgreSQL waits for it on the unique index).
            match conn.transaction(|conn| users::insert(conn, &new)) {
                Ok(id) => {
                    log::info!("created customer {id} ({email}) for a ticket");
                    users::find(conn, id)?.ok_or(ServiceError::NotFound("customer"))
                }
                Err(error) if vakt_persistence::unique_violation(&error).is_some() => {
                    match users::find_by_email(conn, email.as_str())? {
                        Some(user) if user.kind == UserKind::Customer.as_str() => Ok(user),
                        _ => Err(email_conflict(error)),
                    }
                }
                Err(error) => Err(error.into()),
            }
        }
    }
}
