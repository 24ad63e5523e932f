//! Customer companies (SPEC §7): agents manage them; they are deactivated, never deleted.

use chrono::{DateTime, Utc};
use vakt_domain::validation::text_length;
use vakt_domain::{FieldErrors, Principal, ValidationError};
use vakt_persistence::repo::companies::{self, CompanyChanges, CompanyRow};
use vakt_persistence::time::{from_db, to_db};
use vakt_persistence::unique_violation;

use super::{MAX_COMPANY_NAME_LENGTH, MAX_NOTES_LENGTH, check_domain};
use vakt_domain::custom_fields::ObjectType;

use crate::Services;
use crate::custom_fields::FieldValues;
use crate::custom_fields::objects;
use crate::error::{ServiceError, ServiceResult};
use crate::pagination::{Page, PageRequest};
use crate::users::require_agent;

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
    /// Custom field values by key.
    pub custom_fields: FieldValues,
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
            custom_fields: FieldValues::new(),
        }
    }
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
    /// Custom field values to set (`null` clears; keys left out stay).
    pub custom_fields: Option<FieldValues>,
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

impl Services {
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
        let mut page = page.page(rows, |row| row.id).map(Company::from);
        let ids: Vec<i64> = page.items.iter().map(|c| c.id).collect();
        let mut values = objects::of(&mut conn, ObjectType::Company, &ids)?;
        for company in &mut page.items {
            company.custom_fields = values.remove(&company.id).unwrap_or_default();
        }
        Ok(page)
    }

    /// One company (agents).
    pub fn get_company(&self, actor: &Principal, id: i64) -> ServiceResult<Company> {
        require_agent(actor)?;
        let mut conn = self.conn()?;
        let mut company = companies::find(&mut conn, id)?
            .map(Company::from)
            .ok_or(ServiceError::NotFound("company"))?;
        company.custom_fields = objects::of(&mut conn, ObjectType::Company, &[id])?
            .remove(&id)
            .unwrap_or_default();
        Ok(company)
    }

    /// Creates a company (agents).
    pub fn create_company(&self, actor: &Principal, input: CompanyInput) -> ServiceResult<Company> {
        require_agent(actor)?;
        let input = check_company_input(&input, true)?;
        let at = self.now();
        let now = to_db(at);
        let mut conn = self.conn()?;
        let (row, values) = conn.write_transaction(|conn| {
            let row = companies::insert(
                conn,
                input.name.as_deref().unwrap_or_default(),
                input.email_domain.clone().flatten().as_deref(),
                input.notes.as_deref().unwrap_or_default(),
                now,
            )
            .map_err(company_conflict)?;
            let values = objects::set(
                conn,
                actor,
                at,
                ObjectType::Company,
                row.id,
                &row.name,
                input.custom_fields.as_ref().unwrap_or(&FieldValues::new()),
                true,
            )?;
            let row = match input.active {
                Some(false) => companies::update(
                    conn,
                    row.id,
                    &CompanyChanges {
                        active: Some(false),
                        ..CompanyChanges::default()
                    },
                )?,
                _ => row,
            };
            Ok::<_, ServiceError>((row, values))
        })?;
        log::info!(
            "user {} created company {} ({})",
            actor.user_id,
            row.id,
            row.name
        );
        let mut company = Company::from(row);
        company.custom_fields = values;
        Ok(company)
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
        let at = self.now();
        let now = to_db(at);
        let mut conn = self.conn()?;
        let (row, values) = conn.write_transaction(|conn| {
            companies::find(conn, id)?.ok_or(ServiceError::NotFound("company"))?;
            let changes = CompanyChanges {
                name: input.name.clone(),
                email_domain: input.email_domain.clone(),
                notes: input.notes.clone(),
                active: input.active,
                updated_at: Some(now),
            };
            let row = companies::update(conn, id, &changes).map_err(company_conflict)?;
            let values = objects::set(
                conn,
                actor,
                at,
                ObjectType::Company,
                id,
                &row.name,
                input.custom_fields.as_ref().unwrap_or(&FieldValues::new()),
                false,
            )?;
            Ok::<_, ServiceError>((row, values))
        })?;
        log::info!("user {} changed company {id}", actor.user_id);
        let mut company = Company::from(row);
        company.custom_fields = values;
        Ok(company)
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
        custom_fields: input.custom_fields.clone(),
    })
}
