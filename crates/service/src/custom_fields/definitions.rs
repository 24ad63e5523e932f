//! Managing the definitions (administrators): create, change, retire and delete, with every
//! rule checked on the definition as it would be after the change.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use vakt_domain::custom_fields::{CustomerVisibility, FieldType, ObjectType};
use vakt_domain::{FieldErrors, Principal, ValidationError};
use vakt_persistence::repo::custom_fields::{self as repo, FieldValues};
use vakt_persistence::time::to_db;
use vakt_persistence::{DbConnection, unique_violation};

use super::checks::check;
use super::{CustomField, FieldOption, load, load_one};
use crate::audit::{self, Change};
use crate::error::{ServiceError, ServiceResult};
use crate::users::require_admin;
use crate::{Services, access};

/// An option as given: the value, its labels, retired or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionInput {
    /// Stable value (1–100 characters, no comma).
    pub value: String,
    /// Labels per language.
    pub labels: BTreeMap<String, String>,
    /// Retired.
    pub retired: bool,
}

/// A new definition, or changes to one; `None` leaves a field alone, `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct CustomFieldInput {
    /// What it belongs to (new fields only).
    pub object_type: Option<ObjectType>,
    /// Key (new fields only; keys never change).
    pub key: Option<String>,
    /// Type.
    pub field_type: Option<FieldType>,
    /// Labels per language.
    pub labels: Option<BTreeMap<String, String>>,
    /// Required.
    pub required: Option<bool>,
    /// Pattern (text types).
    pub pattern: Option<Option<String>>,
    /// Minimum (numbers, dates).
    pub min: Option<Option<String>>,
    /// Maximum (numbers, dates).
    pub max: Option<Option<String>>,
    /// Longest text.
    pub max_length: Option<Option<i32>>,
    /// Default value.
    pub default_value: Option<Option<Value>>,
    /// Queue scope.
    pub queue_ids: Option<Option<Vec<i64>>>,
    /// Ticket type scope.
    pub type_ids: Option<Option<Vec<i64>>>,
    /// What customers see.
    pub customer_visibility: Option<CustomerVisibility>,
    /// Order.
    pub position: Option<i32>,
    /// Active (retire with `false`).
    pub active: Option<bool>,
    /// The whole option list, in order (dropdown, multiselect).
    pub options: Option<Vec<OptionInput>>,
}

/// Applies `input` to `field`.
fn merge(field: &mut CustomField, input: CustomFieldInput) {
    if let Some(t) = input.field_type {
        field.field_type = t;
    }
    if let Some(labels) = input.labels {
        field.labels = labels;
    }
    if let Some(required) = input.required {
        field.required = required;
    }
    if let Some(pattern) = input.pattern {
        field.pattern = pattern.filter(|p| !p.is_empty());
    }
    if let Some(min) = input.min {
        field.min = min;
    }
    if let Some(max) = input.max {
        field.max = max;
    }
    if let Some(length) = input.max_length {
        field.max_length = length;
    }
    if let Some(default) = input.default_value {
        field.default_value = default;
    }
    if let Some(mut ids) = input.queue_ids {
        if let Some(ids) = &mut ids {
            ids.sort_unstable();
            ids.dedup();
        }
        field.queue_ids = ids;
    }
    if let Some(mut ids) = input.type_ids {
        if let Some(ids) = &mut ids {
            ids.sort_unstable();
            ids.dedup();
        }
        field.type_ids = ids;
    }
    if let Some(visibility) = input.customer_visibility {
        field.customer_visibility = visibility;
    }
    if let Some(position) = input.position {
        field.position = position;
    }
    if let Some(active) = input.active {
        field.active = active;
    }
    if let Some(options) = input.options {
        field.options = options
            .into_iter()
            .map(|o| FieldOption {
                value: o.value,
                labels: o.labels,
                retired: o.retired,
            })
            .collect();
    }
}

fn columns(field: &CustomField, now: chrono::DateTime<chrono::Utc>) -> FieldValues {
    let ids = |ids: &Option<Vec<i64>>| ids.as_ref().map(|ids| json!(ids).to_string());
    FieldValues {
        object_type: field.object_type.as_str().to_owned(),
        key: field.key.clone(),
        field_type: field.field_type.as_str().to_owned(),
        labels: json!(field.labels).to_string(),
        required: field.required,
        pattern: field.pattern.clone(),
        min_value: field.min.clone(),
        max_value: field.max.clone(),
        max_length: field.max_length,
        default_value: field.default_value.as_ref().map(Value::to_string),
        queue_ids: ids(&field.queue_ids),
        type_ids: ids(&field.type_ids),
        customer_visibility: field.customer_visibility.as_str().to_owned(),
        position: field.position,
        active: field.active,
        updated_at: to_db(now),
    }
}

fn save_options(conn: &mut DbConnection, field: &CustomField) -> ServiceResult<()> {
    let options: Vec<(String, String, bool)> = field
        .options
        .iter()
        .map(|o| (o.value.clone(), json!(o.labels).to_string(), o.retired))
        .collect();
    repo::replace_options(conn, field.id, &options)?;
    Ok(())
}

/// What the audit log keeps of a definition.
fn audit_view(field: &CustomField) -> Value {
    json!({
        "object_type": field.object_type.as_str(),
        "key": field.key,
        "field_type": field.field_type.as_str(),
        "labels": field.labels,
        "required": field.required,
        "pattern": field.pattern,
        "min": field.min,
        "max": field.max,
        "max_length": field.max_length,
        "default_value": field.default_value,
        "queue_ids": field.queue_ids,
        "type_ids": field.type_ids,
        "customer_visibility": field.customer_visibility.as_str(),
        "position": field.position,
        "active": field.active,
        "options": field.options.iter().map(|o| json!({"value": o.value, "labels": o.labels, "retired": o.retired})).collect::<Vec<_>>(),
    })
}

fn key_taken(error: diesel::result::Error) -> ServiceError {
    match unique_violation(&error) {
        Some(_) => ServiceError::Conflict {
            code: "key_taken",
            detail: "this object type has a custom field with this key".into(),
        },
        None => error.into(),
    }
}

impl Services {
    /// The definitions, in form order. Administrators and agents see all (agents need them
    /// for forms); customers only the active ticket fields they may see.
    pub fn list_custom_fields(
        &self,
        actor: &Principal,
        object_type: Option<ObjectType>,
    ) -> ServiceResult<Vec<CustomField>> {
        let mut conn = self.conn()?;
        let access = access::load(&mut conn, actor)?;
        let fields = load(&mut conn, object_type)?;
        Ok(if access.is_customer() {
            fields
                .into_iter()
                .filter(|f| f.active && f.customer_sees() && f.object_type == ObjectType::Ticket)
                .collect()
        } else {
            fields
        })
    }

    /// One definition (agents; customers see only what the list shows them).
    pub fn get_custom_field(&self, actor: &Principal, id: i64) -> ServiceResult<CustomField> {
        let mut conn = self.conn()?;
        let access = access::load(&mut conn, actor)?;
        let field = load_one(&mut conn, id)?;
        if access.is_customer()
            && !(field.active && field.customer_sees() && field.object_type == ObjectType::Ticket)
        {
            return Err(ServiceError::NotFound("custom field"));
        }
        Ok(field)
    }

    /// Defines a field (administrators).
    pub fn create_custom_field(
        &self,
        actor: &Principal,
        mut input: CustomFieldInput,
    ) -> ServiceResult<CustomField> {
        require_admin(actor)?;
        let mut errors = FieldErrors::new();
        let object_type = input.object_type.take();
        let key = input.key.take();
        if object_type.is_none() {
            errors.add(
                "object_type",
                ValidationError::new("required", "is required"),
            );
        }
        if key.is_none() {
            errors.add("key", ValidationError::new("required", "is required"));
        }
        if input.field_type.is_none() {
            errors.add(
                "field_type",
                ValidationError::new("required", "is required"),
            );
        }
        if input.labels.is_none() {
            errors.add("labels", ValidationError::new("required", "is required"));
        }
        errors.into_result()?;
        let now = self.now();
        let mut field = CustomField {
            id: 0,
            object_type: object_type.unwrap_or(ObjectType::Ticket),
            key: key.unwrap_or_default().trim().to_owned(),
            field_type: FieldType::Text,
            labels: BTreeMap::new(),
            required: false,
            pattern: None,
            min: None,
            max: None,
            max_length: None,
            default_value: None,
            queue_ids: None,
            type_ids: None,
            customer_visibility: CustomerVisibility::Hidden,
            position: 0,
            active: true,
            options: Vec::new(),
            created_at: now,
            updated_at: now,
        };
        merge(&mut field, input);
        let mut conn = self.conn()?;
        conn.write_transaction(|conn| {
            check(conn, &mut field, None)?;
            let row = repo::insert(conn, &columns(&field, now), to_db(now)).map_err(key_taken)?;
            field.id = row.id;
            save_options(conn, &field)?;
            let created = load_one(conn, row.id)?;
            let label = format!("{}.{}", created.object_type.as_str(), created.key);
            let change = Change::new("create", "custom_field", created.id, &label)
                .after(audit_view(&created));
            audit::record(conn, Some(actor), now, change)?;
            Ok(created)
        })
    }

    /// Changes a field (administrators). The key and object type never change; a type change
    /// is refused while values exist (`type_in_use`, except text to textarea), and options
    /// that values use can be retired but not removed (`option_in_use`).
    pub fn update_custom_field(
        &self,
        actor: &Principal,
        id: i64,
        input: CustomFieldInput,
    ) -> ServiceResult<CustomField> {
        require_admin(actor)?;
        let now = self.now();
        let mut conn = self.conn()?;
        conn.write_transaction(|conn| {
            let before = load_one(conn, id)?;
            let mut field = before.clone();
            merge(&mut field, input);
            check(conn, &mut field, Some(&before))?;
            repo::update(conn, id, &columns(&field, now))?;
            save_options(conn, &field)?;
            let after = load_one(conn, id)?;
            let label = format!("{}.{}", after.object_type.as_str(), after.key);
            let change = Change::new("update", "custom_field", id, &label)
                .before(audit_view(&before))
                .after(audit_view(&after));
            audit::record(conn, Some(actor), now, change)?;
            Ok(after)
        })
    }

    /// Deletes a field that no object has a value of (administrators); with values it is
    /// `409 field_in_use`: retire it with `active: false` instead.
    pub fn delete_custom_field(&self, actor: &Principal, id: i64) -> ServiceResult<()> {
        require_admin(actor)?;
        let now = self.now();
        let mut conn = self.conn()?;
        conn.write_transaction(|conn| {
            let field = load_one(conn, id)?;
            if repo::field_in_use(conn, id)? {
                return Err(ServiceError::Conflict {
                    code: "field_in_use",
                    detail: "objects have values of this field; retire it (active: false) instead"
                        .into(),
                });
            }
            repo::delete(conn, id)?;
            let label = format!("{}.{}", field.object_type.as_str(), field.key);
            let change =
                Change::new("delete", "custom_field", id, &label).before(audit_view(&field));
            audit::record(conn, Some(actor), now, change)?;
            Ok(())
        })
    }
}
