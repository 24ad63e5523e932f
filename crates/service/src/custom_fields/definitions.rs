//! Managing the definitions (administrators): create, change, retire and delete, with every
//! rule checked on the definition as it would be after the change.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use vakt_domain::custom_fields::{
    CustomerVisibility, FieldType, ObjectType, check_key, parse_decimal,
};
use vakt_domain::locale::SUPPORTED_LANGUAGES;
use vakt_domain::{FieldErrors, Principal, ValidationError};
use vakt_persistence::repo::custom_fields::{self as repo, FieldValues};
use vakt_persistence::time::to_db;
use vakt_persistence::{DbConnection, unique_violation};

use super::{CustomField, FieldOption, load, load_one, values};
use crate::audit::{self, Change};
use crate::error::{ServiceError, ServiceResult};
use crate::reference::Reference;
use crate::users::require_admin;
use crate::{Services, access};

/// Longest label.
const MAX_LABEL_LENGTH: usize = 100;
/// Most options of one field.
const MAX_OPTIONS: usize = 500;
/// Longest pattern.
const MAX_PATTERN_LENGTH: usize = 500;

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

/// The longest text a type allows at all.
pub(crate) fn length_cap(field_type: FieldType) -> usize {
    match field_type {
        FieldType::Textarea => 20_000,
        FieldType::Url => 2000,
        FieldType::Email => 254,
        _ => 1000,
    }
}

fn check_labels(errors: &mut FieldErrors, field: &str, labels: &BTreeMap<String, String>) {
    if labels.is_empty() {
        errors.add(
            field,
            ValidationError::new("required", "needs a label in at least one language"),
        );
    }
    for (language, label) in labels {
        if !SUPPORTED_LANGUAGES.contains(&language.as_str()) {
            errors.add(
                format!("{field}.{language}"),
                ValidationError::new(
                    "unsupported_language",
                    format!("must be one of {}", SUPPORTED_LANGUAGES.join(", ")),
                ),
            );
        } else if label.trim().is_empty() || label.chars().count() > MAX_LABEL_LENGTH {
            errors.add(
                format!("{field}.{language}"),
                ValidationError::new(
                    "invalid_length",
                    format!("must be 1 to {MAX_LABEL_LENGTH} characters"),
                ),
            );
        }
    }
}

/// Checks a minimum or maximum for the type; returns it in canonical form.
fn check_bound(field_type: FieldType, text: &str) -> Result<String, ValidationError> {
    let wrong = |what: &str| ValidationError::new("invalid_type", format!("must be {what}"));
    match field_type {
        FieldType::Integer => text
            .trim()
            .parse::<i64>()
            .map(|n| n.to_string())
            .map_err(|_| wrong("a whole number")),
        FieldType::Decimal => parse_decimal(text)
            .map(|(canonical, _)| canonical)
            .ok_or_else(|| wrong("a decimal number")),
        FieldType::Date => values::parse_date(text)
            .map(|d| d.format("%Y-%m-%d").to_string())
            .ok_or_else(|| wrong("a date (YYYY-MM-DD)")),
        FieldType::Datetime => values::parse_datetime(text)
            .map(values::format_datetime)
            .ok_or_else(|| wrong("an RFC 3339 time")),
        _ => Err(ValidationError::new(
            "not_applicable",
            "only numbers and dates have a minimum and maximum",
        )),
    }
}

/// The value of a bound as a number for comparing (dates as seconds).
fn bound_number(field_type: FieldType, text: &str) -> Option<f64> {
    match field_type {
        FieldType::Integer | FieldType::Decimal => parse_decimal(text).map(|(_, n)| n),
        FieldType::Date => values::parse_date(text)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| t.and_utc().timestamp() as f64),
        FieldType::Datetime => values::parse_datetime(text).map(|t| t.timestamp() as f64),
        _ => None,
    }
}

/// Checks the whole definition as it would be; errors name the request's fields.
fn check(
    conn: &mut DbConnection,
    field: &mut CustomField,
    before: Option<&CustomField>,
) -> ServiceResult<()> {
    let mut errors = FieldErrors::new();
    let t = field.field_type;
    errors.check("key", check_key(&field.key));
    check_labels(&mut errors, "labels", &field.labels);
    if let Some(pattern) = &field.pattern {
        if !t.is_text() {
            errors.add(
                "pattern",
                ValidationError::new("not_applicable", "only text fields have a pattern"),
            );
        } else if pattern.len() > MAX_PATTERN_LENGTH {
            errors.add(
                "pattern",
                ValidationError::new(
                    "too_long",
                    format!("must be at most {MAX_PATTERN_LENGTH} bytes"),
                ),
            );
        } else if let Err(e) = values::compile(pattern) {
            errors.add(
                "pattern",
                ValidationError::new(
                    "invalid_regex",
                    format!("is not a valid regular expression: {e}"),
                ),
            );
        }
    }
    for (name, bound) in [("min", &mut field.min), ("max", &mut field.max)] {
        if let Some(text) = bound.as_ref() {
            match check_bound(t, text) {
                Ok(canonical) => *bound = Some(canonical),
                Err(e) => errors.add(name, e),
            }
        }
    }
    if let (Some(min), Some(max)) = (&field.min, &field.max)
        && let (Some(lo), Some(hi)) = (bound_number(t, min), bound_number(t, max))
        && lo > hi
    {
        errors.add(
            "max",
            ValidationError::new("out_of_range", "must not be below min"),
        );
    }
    if let Some(length) = field.max_length {
        let cap = length_cap(t);
        if !t.is_text() {
            errors.add(
                "max_length",
                ValidationError::new("not_applicable", "only text fields have a length"),
            );
        } else if length < 1 || usize::try_from(length).unwrap_or(usize::MAX) > cap {
            errors.add(
                "max_length",
                ValidationError::new("out_of_range", format!("must be 1 to {cap}")),
            );
        }
    }
    if !(0..=10_000).contains(&field.position) {
        errors.add(
            "position",
            ValidationError::new("out_of_range", "must be 0 to 10000"),
        );
    }
    check_options(conn, &mut errors, field, before)?;
    check_scope(conn, &mut errors, field)?;
    if let Some(before) = before
        && before.field_type != t
        && !before.field_type.converts_to(t)
        && repo::field_in_use(conn, field.id)?
    {
        errors.add(
            "field_type",
            ValidationError::new(
                "type_in_use",
                format!(
                    "values of this field are stored as {}; a field with values can only change from text to textarea (make a new field instead)",
                    before.field_type.as_str()
                ),
            ),
        );
    }
    if errors.is_empty()
        && let Some(default) = field.default_value.clone()
    {
        if default.is_null() {
            field.default_value = None;
        } else {
            match values::parse(field, &default, None) {
                Ok(Some(parsed)) => field.default_value = Some(parsed.json),
                Ok(None) => field.default_value = None,
                Err(e) => errors.add("default_value", e),
            }
        }
    }
    Ok(errors.into_result()?)
}

fn check_options(
    conn: &mut DbConnection,
    errors: &mut FieldErrors,
    field: &CustomField,
    before: Option<&CustomField>,
) -> ServiceResult<()> {
    if !field.field_type.has_options() {
        if !field.options.is_empty() {
            errors.add(
                "options",
                ValidationError::new(
                    "not_applicable",
                    "only dropdown and multiselect fields have options",
                ),
            );
        }
        return Ok(());
    }
    if field.options.is_empty() || field.options.len() > MAX_OPTIONS {
        errors.add(
            "options",
            ValidationError::new(
                "invalid_length",
                format!(
                    "a {} needs 1 to {MAX_OPTIONS} options",
                    field.field_type.as_str()
                ),
            ),
        );
    }
    for (i, option) in field.options.iter().enumerate() {
        let value = &option.value;
        if value.trim() != value
            || value.is_empty()
            || value.chars().count() > 100
            || value.contains(',')
        {
            errors.add(
                format!("options[{i}].value"),
                ValidationError::new(
                    "invalid",
                    "must be 1 to 100 characters without a comma or surrounding spaces",
                ),
            );
        }
        if field.options[..i].iter().any(|o| o.value == *value) {
            errors.add(
                format!("options[{i}].value"),
                ValidationError::new("duplicate", "is listed twice"),
            );
        }
        check_labels(errors, &format!("options[{i}].labels"), &option.labels);
    }
    if let Some(before) = before {
        let removed: Vec<String> = before
            .options
            .iter()
            .filter(|o| field.option(&o.value).is_none())
            .map(|o| o.value.clone())
            .collect();
        if !removed.is_empty() {
            let used = repo::options_in_use(conn, field.id, &removed)?;
            if !used.is_empty() {
                errors.add(
                    "options",
                    ValidationError::new(
                        "option_in_use",
                        format!(
                            "values use {}; retire these options instead of removing them",
                            used.join(", ")
                        ),
                    ),
                );
            }
        }
    }
    Ok(())
}

fn check_scope(
    conn: &mut DbConnection,
    errors: &mut FieldErrors,
    field: &CustomField,
) -> ServiceResult<()> {
    let scoped = matches!(field.object_type, ObjectType::Ticket | ObjectType::Article);
    let reference = Reference::load(conn)?;
    for (name, ids, is_queue) in [
        ("queue_ids", &field.queue_ids, true),
        ("type_ids", &field.type_ids, false),
    ] {
        let Some(ids) = ids else { continue };
        if !scoped {
            errors.add(
                name,
                ValidationError::new(
                    "not_applicable",
                    "only ticket and article fields are scoped to queues and types",
                ),
            );
        } else if ids.is_empty() {
            errors.add(
                name,
                ValidationError::new("too_short", "list at least one, or null for all"),
            );
        }
        for (i, id) in ids.iter().enumerate() {
            let exists = if is_queue {
                reference.queue(*id).is_some()
            } else {
                reference.ticket_type(*id).is_some()
            };
            if !exists {
                errors.add(
                    format!("{name}[{i}]"),
                    ValidationError::new("not_found", "does not exist"),
                );
            }
        }
    }
    Ok(())
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
