//! Saved reports: a report and the query string of its endpoint under a name, private to its
//! owner or shared by an administrator with the agents of a group (who need `ro` there to see
//! it). Running one is asking the report endpoint with its query, so the reader's rights
//! apply then. Agents only.

use chrono::{DateTime, Utc};
use vakt_domain::rights::Right;
use vakt_domain::validation::text_length;
use vakt_domain::{FieldErrors, Principal};
use vakt_persistence::DbConnection;
use vakt_persistence::repo::reports::saved::{
    self as saved_reports, SavedReportChanges, SavedReportRow,
};
use vakt_persistence::repo::{organisation, users};
use vakt_persistence::time::{from_db, to_db};

use super::ReportKind;
use crate::error::{ServiceError, ServiceResult};
use crate::tickets::{IdName, PersonRef};
use crate::users::require_agent;
use crate::{Services, access};

/// Longest stored query string.
pub const MAX_QUERY_LENGTH: usize = 2000;

/// A saved report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedReport {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Which report.
    pub report: ReportKind,
    /// The query string of its endpoint.
    pub query: String,
    /// Who made it.
    pub owner: PersonRef,
    /// Shared with this group.
    pub group: Option<IdName>,
    /// Made by the caller (who may change it).
    pub mine: bool,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Changed at.
    pub updated_at: DateTime<Utc>,
}

/// Input for creating or changing a saved report; `None` leaves a field alone.
#[derive(Debug, Clone, Default)]
pub struct SavedReportInput {
    /// Name.
    pub name: Option<String>,
    /// Which report.
    pub report: Option<ReportKind>,
    /// Query string (checked by the caller against the report's parameters).
    pub query: Option<String>,
    /// Share with this group (`Some(None)`: private again).
    pub group_id: Option<Option<i64>>,
}

fn view(
    conn: &mut DbConnection,
    actor: &Principal,
    row: SavedReportRow,
) -> ServiceResult<SavedReport> {
    let owner = users::find(conn, row.owner_id)?
        .map(|u| PersonRef {
            id: u.id,
            name: u.name,
            email: u.email,
        })
        .ok_or(ServiceError::NotFound("user"))?;
    let group = match row.group_id {
        Some(id) => organisation::find_group(conn, id)?.map(|g| IdName {
            id: g.id,
            name: g.name,
        }),
        None => None,
    };
    Ok(SavedReport {
        id: row.id,
        name: row.name,
        report: ReportKind::parse(&row.report).ok_or_else(|| {
            ServiceError::Internal(format!(
                "saved report {} has report {:?}",
                row.id, row.report
            ))
        })?,
        query: row.query,
        mine: row.owner_id == actor.user_id,
        owner,
        group,
        created_at: from_db(row.created_at),
        updated_at: from_db(row.updated_at),
    })
}

fn validate(input: &SavedReportInput) -> ServiceResult<()> {
    let mut errors = FieldErrors::new();
    if let Some(name) = &input.name {
        errors.check("name", text_length(name, 1, 100));
    }
    if let Some(query) = &input.query {
        errors.check("query", text_length(query, 0, MAX_QUERY_LENGTH));
    }
    Ok(errors.into_result()?)
}

impl Services {
    fn check_report_group(
        &self,
        conn: &mut DbConnection,
        actor: &Principal,
        group: Option<i64>,
    ) -> ServiceResult<()> {
        let Some(group) = group else { return Ok(()) };
        if !actor.is_admin() {
            return Err(ServiceError::Forbidden(
                "only administrators share reports with groups".into(),
            ));
        }
        if organisation::find_group(conn, group)?.is_none() {
            return Err(ServiceError::invalid(
                "group_id",
                "not_found",
                "no such group",
            ));
        }
        if !access::load(conn, actor)?.has(group, Right::Ro) {
            return Err(ServiceError::Forbidden(
                "you can only share with groups you belong to".into(),
            ));
        }
        Ok(())
    }

    fn editable_report(
        &self,
        conn: &mut DbConnection,
        actor: &Principal,
        id: i64,
    ) -> ServiceResult<SavedReportRow> {
        let row = saved_reports::find(conn, id)?.ok_or(ServiceError::NotFound("saved report"))?;
        if row.owner_id == actor.user_id || actor.is_admin() {
            return Ok(row);
        }
        // Someone else's: "not found" unless it is shared with the caller, then "forbidden".
        let shared = match row.group_id {
            Some(group) => access::load(conn, actor)?.has(group, Right::Ro),
            None => false,
        };
        Err(if shared {
            ServiceError::Forbidden("only its owner changes a saved report".into())
        } else {
            ServiceError::NotFound("saved report")
        })
    }

    /// The caller's saved reports and those shared with their groups.
    pub fn list_saved_reports(&self, actor: &Principal) -> ServiceResult<Vec<SavedReport>> {
        require_agent(actor)?;
        let mut conn = self.conn()?;
        let access = access::load(&mut conn, actor)?;
        let groups = access.groups_with(Right::Ro);
        let rows = saved_reports::visible(&mut conn, actor.user_id, groups.as_deref())?;
        rows.into_iter()
            .map(|row| view(&mut conn, actor, row))
            .collect()
    }

    /// One visible saved report.
    pub fn get_saved_report(&self, actor: &Principal, id: i64) -> ServiceResult<SavedReport> {
        require_agent(actor)?;
        let mut conn = self.conn()?;
        let row =
            saved_reports::find(&mut conn, id)?.ok_or(ServiceError::NotFound("saved report"))?;
        let visible = row.owner_id == actor.user_id
            || match row.group_id {
                Some(group) => access::load(&mut conn, actor)?.has(group, Right::Ro),
                None => false,
            };
        if !visible {
            return Err(ServiceError::NotFound("saved report"));
        }
        view(&mut conn, actor, row)
    }

    /// Saves a report definition (the query string is checked by the caller).
    pub fn create_saved_report(
        &self,
        actor: &Principal,
        input: SavedReportInput,
    ) -> ServiceResult<SavedReport> {
        require_agent(actor)?;
        validate(&input)?;
        let name = input.name.as_deref().map(str::trim).unwrap_or_default();
        if name.is_empty() {
            return Err(ServiceError::invalid(
                "name",
                "required",
                "must not be empty",
            ));
        }
        let now = to_db(self.now());
        let mut conn = self.conn()?;
        let group = input.group_id.flatten();
        self.check_report_group(&mut conn, actor, group)?;
        let row = saved_reports::insert(
            &mut conn,
            actor.user_id,
            group,
            name,
            input
                .report
                .ok_or_else(|| ServiceError::invalid("report", "required", "must be given"))?
                .as_str(),
            input.query.as_deref().unwrap_or_default(),
            now,
        )?;
        view(&mut conn, actor, row)
    }

    /// Changes a saved report (its owner, or an administrator).
    pub fn update_saved_report(
        &self,
        actor: &Principal,
        id: i64,
        input: SavedReportInput,
    ) -> ServiceResult<SavedReport> {
        require_agent(actor)?;
        validate(&input)?;
        let now = to_db(self.now());
        let mut conn = self.conn()?;
        self.editable_report(&mut conn, actor, id)?;
        if let Some(group) = input.group_id {
            self.check_report_group(&mut conn, actor, group)?;
        }
        let changes = SavedReportChanges {
            name: input.name.map(|n| n.trim().to_owned()),
            report: input.report.map(|r| r.as_str().to_owned()),
            query: input.query,
            group_id: input.group_id,
            updated_at: Some(now),
        };
        let row = saved_reports::update(&mut conn, id, &changes)?;
        view(&mut conn, actor, row)
    }

    /// Deletes a saved report (its owner, or an administrator).
    pub fn delete_saved_report(&self, actor: &Principal, id: i64) -> ServiceResult<()> {
        require_agent(actor)?;
        let mut conn = self.conn()?;
        self.editable_report(&mut conn, actor, id)?;
        saved_reports::delete(&mut conn, id)?;
        Ok(())
    }
}
