//! Customer users (rows of `users` with kind `customer`) and customer companies (SPEC §7).
//! Agents manage both; only administrators set a customer's password or (de)activate them.

use chrono::{DateTime, Utc};
use vakt_domain::validation::text_length;
use vakt_domain::{EmailAddress, FieldErrors, Principal, UserKind, ValidationError};
use vakt_persistence::repo::companies::{self, CompanyChanges, CompanyRow};
use vakt_persistence::repo::users::{self, NewUser, UserChanges, UserFilter, UserRow};
use vakt_persistence::time::{from_db, to_db};
use vakt_persistence::{DbConnection, unique_violation};

use crate::audit::{self, Change, OrgSnapshot};
use crate::crypto::hash_password;
use crate::error::{ServiceError, ServiceResult};
use crate::pagination::{Page, PageRequest};
use crate::users::{check_name, check_password, require_agent};
use crate::{Services, tokens};

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
        }
    }
}

/// A customer company.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Company {
    /// Id.
    pub id: i64,
    /// Name (unique).
    pub name: String,
    /// Mail domain of its people (lower case), to place new customers automatically.
    pub email_domain: Option<String>,
    /// Notes.
    pub notes: String,
    /// Active.
    pub active: bool,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Last changed at.
    pub updated_at: DateTime<Utc>,
}

impl From<CompanyRow> for Company {
    fn from(row: CompanyRow) -> Self {
        Company {
            id: row.id,
            name: row.name,
            email_domain: row.email_domain,
            notes: row.notes,
            active: row.active,
            created_at: from_db(row.created_at),
            updated_at: from_db(row.updated_at),
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

/// A new company, or changes to one; `None` leaves a field, `Some(None)` clears the domain.
#[derive(Debug, Clone, Default)]
pub struct CompanyInput {
    /// Name (required for a new company).
    pub name: Option<String>,
    /// Mail domain, e.g. `uio.no`.
    pub email_domain: Option<Option<String>>,
    /// Notes.
    pub notes: Option<String>,
    /// Activate or deactivate.
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

fn company_conflict(error: diesel::result::Error) -> ServiceError {
    match unique_violation(&error) {
        Some(_) => ServiceError::Conflict {
            code: "name_taken",
            detail: "a company with this name exists".into(),
        },
        None => error.into(),
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
        Ok(page.page(rows, |row| row.id).map(Customer::from))
    }

    /// One customer (agents); an agent's id is "not found".
    pub fn get_customer(&self, actor: &Principal, id: i64) -> ServiceResult<Customer> {
        require_agent(actor)?;
        let mut conn = self.conn()?;
        Ok(load_customer(&mut conn, id)?.into())
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
        let row = conn.write_transaction(|conn| {
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
            Ok::<_, ServiceError>(row)
        })?;
        log::info!(
            "user {} created customer {} ({})",
            actor.user_id,
            row.id,
            row.email
        );
        Ok(row.into())
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
        let row = conn.write_transaction(|conn| {
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
            Ok::<_, ServiceError>(row)
        })?;
        log::info!("user {} changed customer {id}", actor.user_id);
        Ok(row.into())
    }

    /// Companies, by id, with cursor paging (agents).
    pub fn list_companies(
        &self,
        actor: &Principal,
        search: Option<&str>,
        page: &PageRequest<i64>,
    ) -> ServiceResult<Page<Company>> {
        require_agent(actor)?;
        let mut conn = self.conn()?;
        let rows = companies::list(&mut conn, search, page.after, page.fetch_limit())?;
        Ok(page.page(rows, |row| row.id).map(Company::from))
    }

    /// One company (agents).
    pub fn get_company(&self, actor: &Principal, id: i64) -> ServiceResult<Company> {
        require_agent(actor)?;
        let mut conn = self.conn()?;
        companies::find(&mut conn, id)?
            .map(Company::from)
            .ok_or(ServiceError::NotFound("company"))
    }

    /// Creates a company (agents).
    pub fn create_company(&self, actor: &Principal, input: CompanyInput) -> ServiceResult<Company> {
        require_agent(actor)?;
        let input = check_company_input(&input, true)?;
        let now = to_db(self.now());
        let mut conn = self.conn()?;
        let row = conn.write_transaction(|conn| {
            let row = companies::insert(
                conn,
                input.name.as_deref().unwrap_or_default(),
                input.email_domain.clone().flatten().as_deref(),
                input.notes.as_deref().unwrap_or_default(),
                now,
            )
            .map_err(company_conflict)?;
            match input.active {
                Some(false) => companies::update(
                    conn,
                    row.id,
                    &CompanyChanges {
                        active: Some(false),
                        ..CompanyChanges::default()
                    },
                )
                .map_err(ServiceError::from),
                _ => Ok(row),
            }
        })?;
        log::info!(
            "user {} created company {} ({})",
            actor.user_id,
            row.id,
            row.name
        );
        Ok(row.into())
    }

    /// Changes a company (agents). Companies are deactivated, never deleted.
    pub fn update_company(
        &self,
        actor: &Principal,
        id: i64,
        input: CompanyInput,
    ) -> ServiceResult<Company> {
        require_agent(actor)?;
        let input = check_company_input(&input, false)?;
        let now = to_db(self.now());
        let mut conn = self.conn()?;
        let row = conn.write_transaction(|conn| {
            companies::find(conn, id)?.ok_or(ServiceError::NotFound("company"))?;
            let changes = CompanyChanges {
                name: input.name.clone(),
                email_domain: input.email_domain.clone(),
                notes: input.notes.clone(),
                active: input.active,
                updated_at: Some(now),
            };
            companies::update(conn, id, &changes).map_err(company_conflict)
        })?;
        log::info!("user {} changed company {id}", actor.user_id);
        Ok(row.into())
    }
}

fn check_company_input(input: &CompanyInput, creating: bool) -> ServiceResult<CompanyInput> {
    let mut errors = FieldErrors::new();
    let name = match &input.name {
        Some(name) => errors
            .check("name", text_length(name, 1, MAX_COMPANY_NAME_LENGTH))
            .map(|()| name.trim().to_owned()),
        None if creating => {
            errors.add("name", ValidationError::new("required", "is required"));
            None
        }
        None => None,
    };
    let email_domain = match &input.email_domain {
        Some(Some(domain)) => errors.check("email_domain", check_domain(domain)).map(Some),
        other => other.clone(),
    };
    if let Some(notes) = &input.notes {
        errors.check("notes", text_length(notes, 0, MAX_NOTES_LENGTH));
    }
    errors.into_result()?;
    Ok(CompanyInput {
        name,
        email_domain,
        notes: input.notes.clone(),
        active: input.active,
    })
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
