//! Customer users (rows of `users` with kind `customer`) and customer companies (SPEC §7).
//! Agents manage both; only administrators set a customer's password or (de)activate them.

use chrono::{DateTime, Utc};
use vakt_domain::validation::text_length;
use vakt_domain::{EmailAddress, FieldErrors, Principal, UserKind, ValidationError};
use vakt_persistence::repo::companies;
use vakt_persistence::repo::users::{self, NewUser, UserChanges, UserFilter, UserRow};
use vakt_persistence::time::{from_db, to_db};
use vakt_persistence::{DbConnection, unique_violation};

use crate::audit::{self, Change, OrgSnapshot};
use crate::crypto::hash_password;
use crate::custom_fields::{FieldValues, objects};
use crate::error::{ServiceError, ServiceResult};
use crate::pagination::{Page, PageRequest};
use crate::users::{check_name, check_password, require_agent};
use crate::{Services, tokens};
use vakt_domain::custom_fields::ObjectType;

mod company;

pub use company::{Company, CompanyInput};

/// Longest login name.
pub const MAX_LOGIN_LENGTH: usize = 100;
/// Longest company name.
pub const MAX_COMPANY_NAME_LENGTH: usize = 200;
/// Longest company notes.
pub const MAX_NOTES_LENGTH: usize = 10_000;

/// A customer user, without secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    /// Id.
    pub id: i64,
    /// Lower-cased email, unique among all users.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Optional login name for the portal (lower case), unique.
    pub login: Option<String>,
    /// Their company.
    pub company_id: Option<i64>,
    /// Whether they see their company's tickets.
    pub sees_company_tickets: bool,
    /// Inactive customers cannot sign in.
    pub active: bool,
    /// Whether a password is set.
    pub has_password: bool,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Last changed at.
    pub updated_at: DateTime<Utc>,
    /// Custom field values by key.
    pub custom_fields: FieldValues,
}

impl From<UserRow> for Customer {
    fn from(row: UserRow) -> Self {
        Customer {
            id: row.id,
            email: row.email,
            name: row.name,
            login: row.login,
            company_id: row.company_id,
            sees_company_tickets: row.sees_company_tickets,
            active: row.active,
            has_password: row.password_hash.is_some(),
            created_at: from_db(row.created_at),
            updated_at: from_db(row.updated_at),
            custom_fields: FieldValues::new(),
        }
    }
}

/// Input for a new customer.
#[derive(Debug, Clone, Default)]
pub struct NewCustomer {
    /// Email.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Login name.
    pub login: Option<String>,
    /// Company; when absent, the active company whose mail domain matches the email, if any.
    pub company_id: Option<i64>,
    /// Whether they see their company's tickets.
    pub sees_company_tickets: bool,
    /// Initial password (administrators only).
    pub password: Option<String>,
    /// Custom field values (required customer fields must be given).
    pub custom_fields: FieldValues,
}

/// Changes to a customer; `None` leaves a field, `Some(None)` clears a nullable one.
#[derive(Debug, Clone, Default)]
pub struct CustomerChanges {
    /// Email.
    pub email: Option<String>,
    /// Display name.
    pub name: Option<String>,
    /// Login name.
    pub login: Option<Option<String>>,
    /// Company.
    pub company_id: Option<Option<i64>>,
    /// Company-visibility flag.
    pub sees_company_tickets: Option<bool>,
    /// New password (administrators only); ends the customer's sessions.
    pub password: Option<String>,
    /// Activate or deactivate (administrators only).
    pub active: Option<bool>,
    /// Custom field values to set (`null` clears; keys left out stay).
    pub custom_fields: Option<FieldValues>,
}

/// Filters for the customer list.
#[derive(Debug, Clone, Default)]
pub struct CustomerFilter {
    /// Case-insensitive part of the name or email.
    pub search: Option<String>,
    /// Only this company's customers.
    pub company_id: Option<i64>,
    /// Only active or inactive customers.
    pub active: Option<bool>,
}

/// Validates a login name and returns it lower-cased: 1–100 letters, digits, `.`, `_` or `-`
/// (no `@`, so that a login can never be mistaken for an email at sign-in).
pub fn check_login(login: &str) -> Result<String, ValidationError> {
    let login = login.trim().to_lowercase();
    text_length(&login, 1, MAX_LOGIN_LENGTH)?;
    if login
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        Ok(login)
    } else {
        Err(ValidationError::new(
            "invalid_login",
            "may contain only letters, digits, '.', '_' and '-'",
        ))
    }
}

/// Validates a mail domain (`uio.no`) and returns it lower-cased.
pub fn check_domain(domain: &str) -> Result<String, ValidationError> {
    EmailAddress::parse(&format!("postmaster@{}", domain.trim()))
        .ok()
        .filter(|_| !domain.contains('@'))
        .map(|address| address.domain().to_owned())
        .ok_or_else(|| {
            ValidationError::new(
                "invalid_domain",
                "must be a mail domain such as example.org",
            )
        })
}

fn require_admin_for(actor: &Principal, field: &str) -> ServiceResult<()> {
    if actor.is_admin() {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(format!(
            "only administrators may set a customer's `{field}`"
        )))
    }
}

/// Maps unique violations on `users` to `email_taken` or `login_taken`.
fn user_conflict(error: diesel::result::Error) -> ServiceError {
    match unique_violation(&error) {
        Some(constraint) if constraint.contains("login") => login_taken(),
        Some(constraint) if constraint.contains("email") => email_taken(),
        _ => error.into(),
    }
}

fn email_taken() -> ServiceError {
    ServiceError::Conflict {
        code: "email_taken",
        detail: "a user with this email already exists".into(),
    }
}

fn login_taken() -> ServiceError {
    ServiceError::Conflict {
        code: "login_taken",
        detail: "a user with this login name already exists".into(),
    }
}

fn load_customer(conn: &mut DbConnection, id: i64) -> ServiceResult<UserRow> {
    users::find(conn, id)?
        .filter(|row| row.kind == UserKind::Customer.as_str())
        .ok_or(ServiceError::NotFound("customer"))
}

fn check_company(conn: &mut DbConnection, company_id: Option<i64>) -> ServiceResult<()> {
    match company_id {
        Some(id) if companies::find(conn, id)?.is_none() => Err(ServiceError::invalid(
            "company_id",
            "not_found",
            "no such company",
        )),
        _ => Ok(()),
    }
}

/// The email and login must be free (checked here for a clear answer; the unique indexes
/// decide races).
fn check_free(
    conn: &mut DbConnection,
    id: Option<i64>,
    email: Option<&str>,
    login: Option<&str>,
) -> ServiceResult<()> {
    if let Some(email) = email
        && users::find_by_email(conn, email)?.is_some_and(|u| Some(u.id) != id)
    {
        return Err(email_taken());
    }
    if let Some(login) = login
        && users::find_by_login(conn, login)?.is_some_and(|u| Some(u.id) != id)
    {
        return Err(login_taken());
    }
    Ok(())
}

impl Services {
    /// Customers, by id, with cursor paging (agents).
    pub fn list_customers(
        &self,
        actor: &Principal,
        filter: &CustomerFilter,
        page: &PageRequest<i64>,
    ) -> ServiceResult<Page<Customer>> {
        require_agent(actor)?;
        let mut conn = self.conn()?;
        let rows = users::list(
            &mut conn,
            &UserFilter {
                kind: Some(UserKind::Customer.as_str()),
                active: filter.active,
                search: filter.search.as_deref(),
                company_id: filter.company_id,
            },
            page.after,
            page.fetch_limit(),
        )?;
        let mut page = page.page(rows, |row| row.id).map(Customer::from);
        let ids: Vec<i64> = page.items.iter().map(|c| c.id).collect();
        let mut values = objects::of(&mut conn, ObjectType::Customer, &ids)?;
        for customer in &mut page.items {
            customer.custom_fields = values.remove(&customer.id).unwrap_or_default();
        }
        Ok(page)
    }

    /// One customer (agents); an agent's id is "not found".
    pub fn get_customer(&self, actor: &Principal, id: i64) -> ServiceResult<Customer> {
        require_agent(actor)?;
        let mut conn = self.conn()?;
        let mut customer = Customer::from(load_customer(&mut conn, id)?);
        customer.custom_fields = objects::of(&mut conn, ObjectType::Customer, &[id])?
            .remove(&id)
            .unwrap_or_default();
        Ok(customer)
    }

    /// Creates a customer (agents; the password only administrators). Without a company, the
    /// customer joins the active company whose mail domain matches their email, if any.
    pub fn create_customer(
        &self,
        actor: &Principal,
        input: NewCustomer,
    ) -> ServiceResult<Customer> {
        require_agent(actor)?;
        if input.password.is_some() {
            require_admin_for(actor, "password")?;
        }
        let mut errors = FieldErrors::new();
        let email = errors.check("email", EmailAddress::parse(&input.email));
        let name = errors.check("name", check_name(&input.name));
        let login = match &input.login {
            Some(login) => errors.check("login", check_login(login)),
            None => None,
        };
        if let Some(password) = &input.password {
            errors.check("password", check_password(password));
        }
        errors.into_result()?;
        let (Some(email), Some(name)) = (email, name) else {
            return Err(ServiceError::Internal("validated fields missing".into()));
        };
        let hash = input.password.as_deref().map(hash_password).transpose()?;
        let at = self.now();
        let now = to_db(at);
        let mut conn = self.conn()?;
        let (row, values) = conn.write_transaction(|conn| {
            check_company(conn, input.company_id)?;
            check_free(conn, None, Some(email.as_str()), login.as_deref())?;
            let company_id = match input.company_id {
                Some(id) => Some(id),
                None => companies::find_by_domain(conn, email.domain())?.map(|c| c.id),
            };
            let id = users::insert(
                conn,
                &NewUser {
                    kind: UserKind::Customer.as_str(),
                    email: email.as_str(),
                    name: &name,
                    password_hash: hash.as_deref(),
                    is_admin: false,
                    active: true,
                    created_at: now,
                    updated_at: now,
                    company_id,
                    sees_company_tickets: input.sees_company_tickets,
                    login: login.as_deref(),
                },
            )
            .map_err(user_conflict)?;
            let row = load_customer(conn, id)?;
            let change = Change::new("create", "user", id, &row.email)
                .about(id)
                .after(audit::with_password_change(row.snapshot(), hash.is_some()));
            audit::record(conn, Some(actor), at, change)?;
            let values = objects::set(
                conn,
                actor,
                at,
                ObjectType::Customer,
                id,
                &row.email,
                &input.custom_fields,
                true,
            )?;
            Ok::<_, ServiceError>((row, values))
        })?;
        log::info!(
            "user {} created customer {} ({})",
            actor.user_id,
            row.id,
            row.email
        );
        let mut customer = Customer::from(row);
        customer.custom_fields = values;
        Ok(customer)
    }

    /// Changes a customer (agents; password and active flag only administrators). A new
    /// password or a deactivation ends the customer's sessions.
    pub fn update_customer(
        &self,
        actor: &Principal,
        id: i64,
        input: CustomerChanges,
    ) -> ServiceResult<Customer> {
        require_agent(actor)?;
        if input.password.is_some() {
            require_admin_for(actor, "password")?;
        }
        if input.active.is_some() {
            require_admin_for(actor, "active")?;
        }
        let mut errors = FieldErrors::new();
        let email = input
            .email
            .as_deref()
            .and_then(|e| errors.check("email", EmailAddress::parse(e)));
        let name = input
            .name
            .as_deref()
            .and_then(|n| errors.check("name", check_name(n)));
        let login = match &input.login {
            Some(Some(login)) => errors.check("login", check_login(login)).map(Some),
            Some(None) => Some(None),
            None => None,
        };
        if let Some(password) = &input.password {
            errors.check("password", check_password(password));
        }
        errors.into_result()?;
        let hash = input.password.as_deref().map(hash_password).transpose()?;
        let now = self.now();
        let mut conn = self.conn()?;
        let (row, values) = conn.write_transaction(|conn| {
            let before = load_customer(conn, id)?;
            check_company(conn, input.company_id.flatten())?;
            check_free(
                conn,
                Some(id),
                email.as_ref().map(EmailAddress::as_str),
                login.clone().flatten().as_deref(),
            )?;
            let ends_sessions = hash.is_some() || input.active == Some(false);
            let changes = UserChanges {
                email: email.map(String::from),
                name,
                password_hash: hash.map(Some),
                active: input.active,
                company_id: input.company_id,
                sees_company_tickets: input.sees_company_tickets,
                login,
                updated_at: Some(to_db(now)),
                ..UserChanges::default()
            };
            let row = users::update(conn, id, &changes).map_err(user_conflict)?;
            if ends_sessions {
                tokens::end_sessions(conn, id, now)?;
            }
            let after =
                audit::with_password_change(row.snapshot(), changes.password_hash.is_some());
            let change = Change::new("update", "user", id, &row.email)
                .about(id)
                .before(before.snapshot())
                .after(after);
            audit::record(conn, Some(actor), now, change)?;
            let values = objects::set(
                conn,
                actor,
                now,
                ObjectType::Customer,
                id,
                &row.email,
                input.custom_fields.as_ref().unwrap_or(&FieldValues::new()),
                false,
            )?;
            Ok::<_, ServiceError>((row, values))
        })?;
        log::info!("user {} changed customer {id}", actor.user_id);
        let mut customer = Customer::from(row);
        customer.custom_fields = values;
        Ok(customer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_are_lower_cased_and_never_look_like_emails() {
        assert_eq!(check_login(" Kari.N-2 ").unwrap(), "kari.n-2");
        assert_eq!(
            check_login("kari@uio.no").unwrap_err().code,
            "invalid_login"
        );
        assert_eq!(
            check_login("kari nordmann").unwrap_err().code,
            "invalid_login"
        );
        assert_eq!(check_login("  ").unwrap_err().code, "required");
    }

    #[test]
    fn domains_are_validated_and_lower_cased() {
        assert_eq!(check_domain(" UiO.no ").unwrap(), "uio.no");
        for bad in ["", "@uio.no", "uio..no", "a b.no", "x@y.no"] {
            assert_eq!(
                check_domain(bad).unwrap_err().code,
                "invalid_domain",
                "{bad}"
            );
        }
    }
}
