//! Knowledge-base categories: a tree, each owned by an agent group. Administrators manage them;
//! agents see every category, customers and anonymous readers only those that lead to an
//! article they may read.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde_json::json;
use vakt_domain::validation::text_length;
use vakt_domain::{FieldErrors, Principal};
use vakt_persistence::DbConnection;
use vakt_persistence::repo::kb::articles as repo_articles;
use vakt_persistence::repo::kb::categories::{self, CategoryChanges, CategoryRow, NewCategory};
use vakt_persistence::repo::organisation;
use vakt_persistence::time::{from_db, to_db};

use super::{Reader, category};
use crate::Services;
use crate::audit::{self, Change};
use crate::error::{ServiceError, ServiceResult};
use crate::tickets::IdName;
use crate::users::require_admin;

/// A category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KbCategory {
    /// Id.
    pub id: i64,
    /// Parent (`None`: top level).
    pub parent_id: Option<i64>,
    /// Depth in the tree (0: top level).
    pub depth: usize,
    /// The owning group (agents only).
    pub group: Option<IdName>,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Order among its siblings.
    pub position: i64,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Changed at.
    pub updated_at: DateTime<Utc>,
}

/// Input for creating or changing a category; `None` leaves a field alone.
#[derive(Debug, Clone, Default)]
pub struct KbCategoryInput {
    /// Parent (`Some(None)`: top level).
    pub parent_id: Option<Option<i64>>,
    /// Owning group.
    pub group_id: Option<i64>,
    /// Name.
    pub name: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Order among siblings.
    pub position: Option<i64>,
}

fn snapshot(row: &CategoryRow) -> serde_json::Value {
    json!({"parent_id": row.parent_id, "group_id": row.group_id, "name": row.name,
           "description": row.description, "position": row.position})
}

/// The categories in tree order (depth first, siblings by position and name) with their depth.
fn tree(rows: Vec<CategoryRow>) -> Vec<(CategoryRow, usize)> {
    let ids: HashSet<i64> = rows.iter().map(|r| r.id).collect();
    let mut children: HashMap<Option<i64>, Vec<CategoryRow>> = HashMap::new();
    for row in rows {
        // A parent that is gone cannot happen (foreign key); treat it as top level anyway.
        let parent = row.parent_id.filter(|p| ids.contains(p));
        children.entry(parent).or_default().push(row);
    }
    let mut out = Vec::new();
    let mut stack: Vec<(CategoryRow, usize)> = children
        .remove(&None)
        .unwrap_or_default()
        .into_iter()
        .rev()
        .map(|r| (r, 0))
        .collect();
    while let Some((row, depth)) = stack.pop() {
        if let Some(kids) = children.remove(&Some(row.id)) {
            stack.extend(kids.into_iter().rev().map(|k| (k, depth + 1)));
        }
        out.push((row, depth));
    }
    out
}

fn validate(input: &KbCategoryInput) -> ServiceResult<()> {
    let mut errors = FieldErrors::new();
    if let Some(name) = &input.name {
        errors.check("name", text_length(name.trim(), 1, 200));
    }
    if let Some(description) = &input.description {
        errors.check("description", text_length(description, 0, 2000));
    }
    Ok(errors.into_result()?)
}

fn check_group(conn: &mut DbConnection, group_id: i64) -> ServiceResult<()> {
    if organisation::find_group(conn, group_id)?.is_none() {
        return Err(ServiceError::invalid(
            "group_id",
            "not_found",
            "no such group",
        ));
    }
    Ok(())
}

/// A parent must exist and must not be the category itself or one of its descendants.
fn check_parent(conn: &mut DbConnection, id: Option<i64>, parent: i64) -> ServiceResult<()> {
    let all = categories::all(conn)?;
    let by_id: HashMap<i64, Option<i64>> = all.iter().map(|c| (c.id, c.parent_id)).collect();
    if !by_id.contains_key(&parent) {
        return Err(ServiceError::invalid(
            "parent_id",
            "not_found",
            "no such category",
        ));
    }
    let mut cursor = Some(parent);
    while let Some(current) = cursor {
        if Some(current) == id {
            return Err(ServiceError::invalid(
                "parent_id",
                "cycle",
                "a category cannot be inside itself",
            ));
        }
        cursor = by_id.get(&current).copied().flatten();
    }
    Ok(())
}

fn view(
    conn: &mut DbConnection,
    row: CategoryRow,
    depth: usize,
    agent: bool,
) -> ServiceResult<KbCategory> {
    let group = if agent {
        organisation::find_group(conn, row.group_id)?.map(|g| IdName {
            id: g.id,
            name: g.name,
        })
    } else {
        None
    };
    Ok(KbCategory {
        id: row.id,
        parent_id: row.parent_id,
        depth,
        group,
        name: row.name,
        description: row.description,
        position: row.position,
        created_at: from_db(row.created_at),
        updated_at: from_db(row.updated_at),
    })
}

impl Services {
    /// The categories the caller may browse, in tree order.
    pub fn list_kb_categories(&self, actor: Option<&Principal>) -> ServiceResult<Vec<KbCategory>> {
        let mut conn = self.conn()?;
        let reader = Reader::load(&mut conn, actor)?;
        let rows = categories::all(&mut conn)?;
        let parents: HashMap<i64, Option<i64>> = rows.iter().map(|c| (c.id, c.parent_id)).collect();
        let shown: Option<HashSet<i64>> = if reader.is_agent() {
            None
        } else {
            // The categories of readable articles, and their ancestors.
            let mut shown = HashSet::new();
            for category in repo_articles::visible_categories(&mut conn, &reader.audience())? {
                let mut cursor = Some(category);
                while let Some(id) = cursor {
                    if !shown.insert(id) {
                        break;
                    }
                    cursor = parents.get(&id).copied().flatten();
                }
            }
            Some(shown)
        };
        tree(rows)
            .into_iter()
            .filter(|(row, _)| shown.as_ref().is_none_or(|s| s.contains(&row.id)))
            .map(|(row, depth)| view(&mut conn, row, depth, reader.is_agent()))
            .collect()
    }

    /// One category the caller may browse.
    pub fn get_kb_category(&self, actor: Option<&Principal>, id: i64) -> ServiceResult<KbCategory> {
        self.list_kb_categories(actor)?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or(ServiceError::NotFound("knowledge-base category"))
    }

    /// Creates a category (administrators).
    pub fn create_kb_category(
        &self,
        actor: &Principal,
        input: KbCategoryInput,
    ) -> ServiceResult<KbCategory> {
        require_admin(actor)?;
        validate(&input)?;
        let name = input.name.as_deref().map(str::trim).unwrap_or_default();
        if name.is_empty() {
            return Err(ServiceError::invalid(
                "name",
                "required",
                "must not be empty",
            ));
        }
        let Some(group_id) = input.group_id else {
            return Err(ServiceError::invalid("group_id", "required", "is required"));
        };
        let at = self.now();
        let mut conn = self.conn()?;
        let row = conn.write_transaction(|conn| {
            check_group(conn, group_id)?;
            let parent = input.parent_id.flatten();
            if let Some(parent) = parent {
                check_parent(conn, None, parent)?;
            }
            let row = categories::insert(
                conn,
                &NewCategory {
                    parent_id: parent,
                    group_id,
                    name,
                    description: input.description.as_deref().unwrap_or_default(),
                    position: input.position.unwrap_or(0),
                    created_at: to_db(at),
                    updated_at: to_db(at),
                },
            )?;
            let change =
                Change::new("create", "kb_category", row.id, &row.name).after(snapshot(&row));
            audit::record(conn, Some(actor), at, change)?;
            Ok::<_, ServiceError>(row)
        })?;
        drop(conn);
        self.get_kb_category(Some(actor), row.id)
    }

    /// Changes a category (administrators).
    pub fn update_kb_category(
        &self,
        actor: &Principal,
        id: i64,
        input: KbCategoryInput,
    ) -> ServiceResult<KbCategory> {
        require_admin(actor)?;
        validate(&input)?;
        let at = self.now();
        let mut conn = self.conn()?;
        conn.write_transaction(|conn| {
            let before = category(conn, id)?;
            if let Some(group_id) = input.group_id {
                check_group(conn, group_id)?;
            }
            if let Some(Some(parent)) = input.parent_id {
                check_parent(conn, Some(id), parent)?;
            }
            let changes = CategoryChanges {
                parent_id: input.parent_id,
                group_id: input.group_id,
                name: input.name.as_ref().map(|n| n.trim().to_owned()),
                description: input.description.clone(),
                position: input.position,
                updated_at: Some(to_db(at)),
            };
            let row = categories::update(conn, id, &changes)?;
            let change = Change::new("update", "kb_category", row.id, &row.name)
                .before(snapshot(&before))
                .after(snapshot(&row));
            audit::record(conn, Some(actor), at, change)?;
            Ok::<_, ServiceError>(())
        })?;
        self.get_kb_category(Some(actor), id)
    }

    /// Deletes an empty category (administrators); one with articles or sub-categories is 409.
    pub fn delete_kb_category(&self, actor: &Principal, id: i64) -> ServiceResult<()> {
        require_admin(actor)?;
        let at = self.now();
        let mut conn = self.conn()?;
        conn.write_transaction(|conn| {
            let row = category(conn, id)?;
            if categories::in_use(conn, id)? {
                return Err(ServiceError::Conflict {
                    code: "category_in_use",
                    detail: "the category still has articles or sub-categories".into(),
                });
            }
            categories::delete(conn, id)?;
            let change = Change::new("delete", "kb_category", id, &row.name).before(snapshot(&row));
            audit::record(conn, Some(actor), at, change)?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDateTime;

    use super::*;

    fn row(id: i64, parent: Option<i64>, name: &str) -> CategoryRow {
        CategoryRow {
            id,
            parent_id: parent,
            group_id: 1,
            name: name.into(),
            description: String::new(),
            position: 0,
            created_at: NaiveDateTime::default(),
            updated_at: NaiveDateTime::default(),
        }
    }

    #[test]
    fn the_tree_is_depth_first_in_order() {
        let rows = vec![
            row(1, None, "A"),
            row(2, None, "B"),
            row(3, Some(1), "A1"),
            row(4, Some(3), "A1a"),
        ];
        let order: Vec<(i64, usize)> = tree(rows).into_iter().map(|(r, d)| (r.id, d)).collect();
        assert_eq!(order, vec![(1, 0), (3, 1), (4, 2), (2, 0)]);
    }
}
