//! Custom fields (SPEC §2, ADR 0007): administrators define fields of tickets, articles,
//! customers and companies — a stable key, labels per language, a type with its validation,
//! a default, a scope of queues and ticket types, what customers see, an order — and values
//! live in one typed table, so adding or retiring a field never changes the schema.

mod checks;
mod definitions;
pub(crate) mod filters;
pub(crate) mod mail;
pub(crate) mod objects;
pub(crate) mod values;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::Value;
use vakt_domain::custom_fields::{CustomerVisibility, FieldType, ObjectType};
use vakt_persistence::DbConnection;
use vakt_persistence::repo::custom_fields::{self as repo, FieldRow, OptionRow};
use vakt_persistence::time::from_db;

use crate::error::{ServiceError, ServiceResult};

pub use definitions::{CustomFieldInput, OptionInput};
pub use filters::{FieldFilter, FieldMatch};
pub use values::{FieldValues, parse_text};

/// An option of a dropdown or multiselect field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldOption {
    /// The stable value tickets store.
    pub value: String,
    /// Labels per language.
    pub labels: BTreeMap<String, String>,
    /// Retired: kept for the values that use it, not offered for new ones.
    pub retired: bool,
}

/// A custom field definition.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomField {
    /// Id.
    pub id: i64,
    /// What it belongs to.
    pub object_type: ObjectType,
    /// Stable key (`cf.<key>` in filters, `X-Vakt-Field-<key>` in mail).
    pub key: String,
    /// Type.
    pub field_type: FieldType,
    /// Labels per language (`en`, `nl`, `nb`, `de`).
    pub labels: BTreeMap<String, String>,
    /// Whether a value is required (where the field applies).
    pub required: bool,
    /// Regular expression a text value must match as a whole.
    pub pattern: Option<String>,
    /// Lowest number or date.
    pub min: Option<String>,
    /// Highest number or date.
    pub max: Option<String>,
    /// Longest text, in characters.
    pub max_length: Option<i32>,
    /// Value of new objects that are not given one.
    pub default_value: Option<Value>,
    /// Tickets of these queues only (absent: all queues).
    pub queue_ids: Option<Vec<i64>>,
    /// Tickets of these types only (absent: all types).
    pub type_ids: Option<Vec<i64>>,
    /// What customers see.
    pub customer_visibility: CustomerVisibility,
    /// Order on forms (lower first).
    pub position: i32,
    /// Retired fields (`false`) keep their values but are neither shown nor set.
    pub active: bool,
    /// Options (dropdown, multiselect), in order.
    pub options: Vec<FieldOption>,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Changed at.
    pub updated_at: DateTime<Utc>,
}

impl CustomField {
    /// Whether the field applies to a ticket of this queue and type.
    pub fn applies_to(&self, queue_id: Option<i64>, type_id: Option<i64>) -> bool {
        let fits = |scope: &Option<Vec<i64>>, id: Option<i64>| match scope {
            None => true,
            Some(ids) => id.is_some_and(|id| ids.contains(&id)),
        };
        fits(&self.queue_ids, queue_id) && fits(&self.type_ids, type_id)
    }

    /// Whether customers see the value.
    pub fn customer_sees(&self) -> bool {
        self.customer_visibility != CustomerVisibility::Hidden
    }

    /// The option with this value.
    pub fn option(&self, value: &str) -> Option<&FieldOption> {
        self.options.iter().find(|o| o.value == value)
    }

    /// The position of an option (for ordering a multiselect's values).
    pub(crate) fn option_position(&self, value: &str) -> usize {
        self.options
            .iter()
            .position(|o| o.value == value)
            .unwrap_or(usize::MAX)
    }
}

fn parse_json<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> ServiceResult<T> {
    serde_json::from_str(text)
        .map_err(|e| ServiceError::Internal(format!("stored custom field {what}: {e}")))
}

fn from_rows(row: FieldRow, options: &[OptionRow]) -> ServiceResult<CustomField> {
    let parse_ids = |text: &Option<String>| -> ServiceResult<Option<Vec<i64>>> {
        text.as_deref().map(|t| parse_json(t, "scope")).transpose()
    };
    Ok(CustomField {
        id: row.id,
        object_type: ObjectType::parse(&row.object_type).ok_or_else(|| {
            ServiceError::Internal(format!("stored object type {:?}", row.object_type))
        })?,
        field_type: FieldType::parse(&row.field_type).ok_or_else(|| {
            ServiceError::Internal(format!("stored field type {:?}", row.field_type))
        })?,
        customer_visibility: CustomerVisibility::parse(&row.customer_visibility)
            .unwrap_or(CustomerVisibility::Hidden),
        labels: parse_json(&row.labels, "labels")?,
        default_value: row
            .default_value
            .as_deref()
            .map(|t| parse_json(t, "default"))
            .transpose()?,
        queue_ids: parse_ids(&row.queue_ids)?,
        type_ids: parse_ids(&row.type_ids)?,
        options: options
            .iter()
            .filter(|o| o.field_id == row.id)
            .map(|o| {
                Ok(FieldOption {
                    value: o.value.clone(),
                    labels: parse_json(&o.labels, "option labels")?,
                    retired: o.retired,
                })
            })
            .collect::<ServiceResult<_>>()?,
        key: row.key,
        required: row.required,
        pattern: row.pattern,
        min: row.min_value,
        max: row.max_value,
        max_length: row.max_length,
        position: row.position,
        active: row.active,
        created_at: from_db(row.created_at),
        updated_at: from_db(row.updated_at),
    })
}

/// Every definition of one object type (all types: `None`), in form order, with options —
/// from the reference cache (ADR 0005): one token read, the tables only after a change.
pub(crate) fn load(
    conn: &mut DbConnection,
    object_type: Option<ObjectType>,
) -> ServiceResult<Vec<CustomField>> {
    Ok(crate::reference::Reference::load(conn)?.custom_fields_of(object_type))
}

/// Reads every definition with its options from the tables (for the reference snapshot).
pub(crate) fn read_all(conn: &mut DbConnection) -> ServiceResult<Vec<CustomField>> {
    let rows = repo::list(conn, None)?;
    let with_options: Vec<i64> = rows
        .iter()
        .filter(|r| FieldType::parse(&r.field_type).is_some_and(FieldType::has_options))
        .map(|r| r.id)
        .collect();
    let options = if with_options.is_empty() {
        Vec::new()
    } else {
        repo::options_of(conn, &with_options)?
    };
    rows.into_iter().map(|r| from_rows(r, &options)).collect()
}

/// One definition.
pub(crate) fn load_one(conn: &mut DbConnection, id: i64) -> ServiceResult<CustomField> {
    let row = repo::find(conn, id)?.ok_or(ServiceError::NotFound("custom field"))?;
    let options = repo::options_of(conn, &[row.id])?;
    from_rows(row, &options)
}
