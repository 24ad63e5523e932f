//! Saved searches: a ticket-list query under a name, private to its owner or shared with the
//! agents of a group (who need `ro` there to see it). Agents only.

use chrono::{DateTime, Utc};
use vakt_domain::rights::Right;
use vakt_domain::validation::text_length;
use vakt_domain::{FieldErrors, Principal};
use vakt_persistence::DbConnection;
use vakt_persistence::repo::saved_searches::{self, SavedSearchChanges, SavedSearchRow};
use vakt_persistence::repo::{organisation, users};
use vakt_persistence::time::{from_db, to_db};

use crate::error::{ServiceError, ServiceResult};
use crate::tickets::{IdName, PersonRef};
use crate::users::require_agent;
use crate::{Services, access};

/// Longest stored query string.
pub const MAX_QUERY_LENGTH: usize = 2000;

/// A saved search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedSearch {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// The query string of `GET /api/v1/tickets`.
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

/// Input for creating or changing a saved search; `None` leaves a field alone.
#[derive(Debug, Clone, Default)]
pub struct SavedSearchInput {
    /// Name.
    pub name: Option<String>,
    /// Query string.
    pub query: Option<String>,
    /// Share with this group (`Some(None)`: private again).
    pub group_id: Option<Option<i64>>,
}

fn view(
    conn: &mut DbConnection,
    actor: &Principal,
    row: SavedSearchRow,
) -> ServiceResult<SavedSearch> {
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
    Ok(SavedSearch {
        id: row.id,
        name: row.name,
        query: row.query,
        mine: row.owner_id == actor.user_id,
        owner,
        group,
        created_at: from_db(row.created_at),
        updated_at: from_db(row.updated_at),
    })
}

fn validate(input: &SavedSearchInput) -> ServiceResult<()> {
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
    fn check_group(
        &self,
        conn: &mut DbConnection,
        actor: &Principal,
        group: Option<i64>,
    ) -> ServiceResult<()> {
        let Some(group) = group else { return Ok(()) };
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

    fn editable(
        &self,
        conn: &mut DbConnection,
        actor: &Principal,
        id: i64,
    ) -> ServiceResult<SavedSearchRow> {
        let row = saved_searches::find(conn, id)?.ok_or(ServiceError::NotFound("saved search"))?;
        if row.owner_id == actor.user_id || actor.is_admin() {
            return Ok(row);
        }
        // Someone else's: "not found" unless it is shared with the caller, then "forbidden".
        let shared = match row.group_id {
            Some(group) => access::load(conn, actor)?.has(group, Right::Ro),
            None => false,
        };
        Err(if shared {
            ServiceError::Forbidden("only its owner changes a saved search".into())
        } else {
            ServiceError::NotFound("saved search")
        })
    }

    /// The caller's saved searches and those shared with their groups.
    pub fn list_saved_searches(&self, actor: &Principal) -> ServiceResult<Vec<SavedSearch>> {
        require_agent(actor)?;
        let mut conn = self.conn()?;
        let access = access::load(&mut conn, actor)?;
        let groups = access.groups_with(Right::Ro);
        let rows = saved_searches::visible(&mut conn, actor.user_id, groups.as_deref())?;
        rows.into_iter()
            .map(|row| view(&mut conn, actor, row))
            .collect()
    }

    /// One visible saved search.
    pub fn get_saved_search(&self, actor: &Principal, id: i64) -> ServiceResult<SavedSearch> {
        require_agent(actor)?;
        let mut conn = self.conn()?;
        let row =
            saved_searches::find(&mut conn, id)?.ok_or(ServiceError::NotFound("saved search"))?;
        let visible = row.owner_id == actor.user_id
            || match row.group_id {
                Some(group) => access::load(&mut conn, actor)?.has(group, Right::Ro),
                None => false,
            };
        if !visible {
            return Err(ServiceError::NotFound("saved search"));
        }
        view(&mut conn, actor, row)
    }

    /// Saves a search (the query string is validated by the caller).
    pub fn create_saved_search(
        &self,
        actor: &Principal,
        input: SavedSearchInput,
    ) -> ServiceResult<SavedSearch> {
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
        self.check_group(&mut conn, actor, group)?;
        let row = saved_searches::insert(
            &mut conn,
            actor.user_id,
            group,
            name,
            input.query.as_deref().unwrap_or_default(),
            now,
        )?;
        view(&mut conn, actor, row)
    }

    /// Changes a saved search (its owner, or an administrator).
    pub fn update_saved_search(
        &self,
        actor: &Principal,
        id: i64,
        input: SavedSearchInput,
    ) -> ServiceResult<SavedSearch> {
        require_agent(actor)?;
        validate(&input)?;
        let now = to_db(self.now());
        let mut conn = self.conn()?;
        self.editable(&mut conn, actor, id)?;
        if let Some(group) = input.group_id {
            self.check_group(&mut conn, actor, group)?;
        }
        let changes = SavedSearchChanges {
            name: input.name.map(|n| n.trim().to_owned()),
            query: input.query,
            group_id: input.group_id,
            updated_at: Some(now),
        };
        let row = saved_searches::update(&mut conn, id, &changes)?;
        view(&mut conn, actor, row)
    }

    /// Deletes a saved search (its owner, or an administrator).
    pub fn delete_saved_search(&self, actor: &Principal, id: i64) -> ServiceResult<()> {
        require_agent(actor)?;
        let mut conn = self.conn()?;
        self.editable(&mut conn, actor, id)?;
        saved_searches::delete(&mut conn, id)?;
        Ok(())
    }
}
