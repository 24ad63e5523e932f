//! Custom field values: parsing a JSON value per the definition, reading the values of a page
//! of objects in one query, and applying changes with their scope, rights and required rules.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde_json::Value;
use vakt_domain::custom_fields::{CustomerVisibility, FieldType, ObjectType, parse_decimal};
use vakt_domain::{EmailAddress, FieldErrors, ValidationError};
use vakt_persistence::DbConnection;
use vakt_persistence::repo::custom_fields::{self as repo, NewValue, ValueRow};
use vakt_persistence::time::{from_db, to_db};

use super::CustomField;
use super::checks::length_cap;
use crate::error::{ServiceError, ServiceResult};

/// Values by field key, as in `custom_fields` of the API.
pub type FieldValues = BTreeMap<String, Value>;

/// A value checked against its field: the canonical JSON, its text for history, the rows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Parsed {
    pub json: Value,
    pub rows: Vec<NewValue>,
}

/// Parses `YYYY-MM-DD`.
pub(crate) fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

/// Parses an RFC 3339 time.
pub(crate) fn parse_datetime(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// An RFC 3339 time in UTC, to the second.
pub(crate) fn format_datetime(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Checks that a pattern compiles (matched against the whole value).
pub(crate) fn compile(pattern: &str) -> Result<(), String> {
    vakt_mail::route::compile_pattern(&format!("^(?:{pattern})$")).map(|_| ())
}

fn whole_match(pattern: &str, text: &str) -> bool {
    vakt_mail::route::compile_pattern(&format!("^(?:{pattern})$"))
        .map(|re| re.is_match(text))
        .unwrap_or(false)
}

/// The text of a value in history entries: strings as they are, lists joined by `, `.
pub(crate) fn display(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(display).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// Turns text (a mail header, a postmaster filter's setting) into the JSON a field of this
/// type takes: numbers and booleans parsed, a multiselect split at commas.
pub fn parse_text(field_type: FieldType, text: &str) -> Value {
    let text = text.trim();
    match field_type {
        FieldType::Integer => text
            .parse::<i64>()
            .map_or_else(|_| Value::String(text.to_owned()), Value::from),
        FieldType::Checkbox => match text.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Value::Bool(true),
            "false" | "0" | "no" | "off" => Value::Bool(false),
            _ => Value::String(text.to_owned()),
        },
        FieldType::Multiselect => Value::Array(
            text.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Value::String(s.to_owned()))
                .collect(),
        ),
        _ => Value::String(text.to_owned()),
    }
}

fn invalid(what: &str) -> ValidationError {
    ValidationError::new("invalid_type", format!("must be {what}"))
}

fn out_of_range(field: &CustomField) -> ValidationError {
    let range = match (&field.min, &field.max) {
        (Some(min), Some(max)) => format!("from {min} to {max}"),
        (Some(min), None) => format!("at least {min}"),
        (None, Some(max)) => format!("at most {max}"),
        (None, None) => "in range".into(),
    };
    ValidationError::new("out_of_range", format!("must be {range}"))
}

fn check_text(field: &CustomField, text: &str) -> Result<String, ValidationError> {
    let t = field.field_type;
    if t != FieldType::Textarea && text.contains(['\n', '\r']) {
        return Err(ValidationError::new("invalid", "must be one line"));
    }
    let cap = field
        .max_length
        .and_then(|l| usize::try_from(l).ok())
        .unwrap_or(usize::MAX)
        .min(length_cap(t));
    if text.chars().count() > cap {
        return Err(ValidationError::new(
            "too_long",
            format!("must be at most {cap} characters"),
        ));
    }
    let text = match t {
        FieldType::Email => EmailAddress::parse(text)?.as_str().to_owned(),
        FieldType::Url => {
            let rest = text
                .strip_prefix("https://")
                .or_else(|| text.strip_prefix("http://"));
            if rest.is_none_or(|r| r.is_empty() || r.starts_with('/'))
                || text.contains(char::is_whitespace)
            {
                return Err(ValidationError::new(
                    "invalid_url",
                    "must be an http:// or https:// address",
                ));
            }
            text.to_owned()
        }
        _ => text.to_owned(),
    };
    if let Some(pattern) = &field.pattern
        && !whole_match(pattern, &text)
    {
        return Err(ValidationError::new(
            "pattern_mismatch",
            format!("must match {pattern}"),
        ));
    }
    Ok(text)
}

fn option_usable(
    field: &CustomField,
    value: &str,
    current: Option<&Value>,
) -> Result<(), ValidationError> {
    let had = |v: &Value| match v {
        Value::String(s) => s == value,
        Value::Array(items) => items.iter().any(|i| i.as_str() == Some(value)),
        _ => false,
    };
    match field.option(value) {
        None => Err(ValidationError::new(
            "unknown_option",
            format!("{value:?} is not an option"),
        )),
        Some(o) if o.retired && !current.is_some_and(had) => Err(ValidationError::new(
            "retired_option",
            format!("{value:?} is retired"),
        )),
        Some(_) => Ok(()),
    }
}

fn text_row(text: String) -> NewValue {
    NewValue {
        text: Some(text),
        ..NewValue::default()
    }
}

/// Checks `value` against `field`. `Ok(None)` is "no value" (`null`, `""`, `[]`). `current`
/// is the stored value: a retired option that is already set stays allowed.
pub(crate) fn parse(
    field: &CustomField,
    value: &Value,
    current: Option<&Value>,
) -> Result<Option<Parsed>, ValidationError> {
    match value {
        Value::Null => return Ok(None),
        Value::String(s) if s.trim().is_empty() => return Ok(None),
        Value::Array(items) if items.is_empty() => return Ok(None),
        _ => {}
    }
    let t = field.field_type;
    let (json, rows) = match t {
        FieldType::Text | FieldType::Textarea | FieldType::Url | FieldType::Email => {
            let text = value.as_str().ok_or_else(|| invalid("a string"))?;
            let text = check_text(field, text)?;
            (Value::String(text.clone()), vec![text_row(text)])
        }
        FieldType::Integer => {
            let n = value.as_i64().ok_or_else(|| invalid("a whole number"))?;
            let below = field.min.as_deref().and_then(|m| m.parse::<i64>().ok());
            let above = field.max.as_deref().and_then(|m| m.parse::<i64>().ok());
            if below.is_some_and(|m| n < m) || above.is_some_and(|m| n > m) {
                return Err(out_of_range(field));
            }
            let row = NewValue {
                int: Some(n),
                ..NewValue::default()
            };
            (Value::from(n), vec![row])
        }
        FieldType::Decimal => {
            let text = match value {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => return Err(invalid("a decimal number (a string such as \"12.50\")")),
            };
            let (canonical, n) =
                parse_decimal(&text).ok_or_else(|| invalid("a decimal number such as 12.50"))?;
            let bound = |b: &Option<String>| b.as_deref().and_then(parse_decimal).map(|(_, v)| v);
            if bound(&field.min).is_some_and(|m| n < m) || bound(&field.max).is_some_and(|m| n > m)
            {
                return Err(out_of_range(field));
            }
            let row = NewValue {
                text: Some(canonical.clone()),
                num: Some(n),
                ..NewValue::default()
            };
            (Value::String(canonical), vec![row])
        }
        FieldType::Date => {
            let date = value
                .as_str()
                .and_then(parse_date)
                .ok_or_else(|| invalid("a date (YYYY-MM-DD)"))?;
            let bound = |b: &Option<String>| b.as_deref().and_then(parse_date);
            if bound(&field.min).is_some_and(|m| date < m)
                || bound(&field.max).is_some_and(|m| date > m)
            {
                return Err(out_of_range(field));
            }
            let row = NewValue {
                time: date.and_hms_opt(0, 0, 0),
                ..NewValue::default()
            };
            (
                Value::String(date.format("%Y-%m-%d").to_string()),
                vec![row],
            )
        }
        FieldType::Datetime => {
            let at = value
                .as_str()
                .and_then(parse_datetime)
                .ok_or_else(|| invalid("an RFC 3339 time"))?;
            let bound = |b: &Option<String>| b.as_deref().and_then(parse_datetime);
            if bound(&field.min).is_some_and(|m| at < m)
                || bound(&field.max).is_some_and(|m| at > m)
            {
                return Err(out_of_range(field));
            }
            let row = NewValue {
                time: Some(to_db(at)),
                ..NewValue::default()
            };
            (Value::String(format_datetime(at)), vec![row])
        }
        FieldType::Checkbox => {
            let b = value.as_bool().ok_or_else(|| invalid("true or false"))?;
            let row = NewValue {
                int: Some(i64::from(b)),
                ..NewValue::default()
            };
            (Value::Bool(b), vec![row])
        }
        FieldType::Dropdown => {
            let v = value.as_str().ok_or_else(|| invalid("an option value"))?;
            option_usable(field, v, current)?;
            (Value::String(v.to_owned()), vec![text_row(v.to_owned())])
        }
        FieldType::Multiselect => {
            let items = value
                .as_array()
                .ok_or_else(|| invalid("a list of option values"))?;
            let mut chosen: Vec<String> = Vec::new();
            for item in items {
                let v = item
                    .as_str()
                    .ok_or_else(|| invalid("a list of option values"))?;
                option_usable(field, v, current)?;
                if !chosen.iter().any(|c| c == v) {
                    chosen.push(v.to_owned());
                }
            }
            chosen.sort_by_key(|v| field.option_position(v));
            let rows = chosen.iter().cloned().map(text_row).collect();
            (
                Value::Array(chosen.into_iter().map(Value::String).collect()),
                rows,
            )
        }
    };
    Ok(Some(Parsed { json, rows }))
}

/// The JSON of a field's stored rows (all rows of one object for one field).
fn to_json(field: &CustomField, rows: &[&ValueRow]) -> Option<Value> {
    let first = rows.first()?;
    Some(match field.field_type {
        FieldType::Integer => Value::from(first.value_int?),
        FieldType::Checkbox => Value::Bool(first.value_int? != 0),
        FieldType::Date => Value::String(from_db(first.value_time?).format("%Y-%m-%d").to_string()),
        FieldType::Datetime => Value::String(format_datetime(from_db(first.value_time?))),
        FieldType::Multiselect => {
            let mut values: Vec<String> =
                rows.iter().filter_map(|r| r.value_text.clone()).collect();
            values.sort_by_key(|v| field.option_position(v));
            Value::Array(values.into_iter().map(Value::String).collect())
        }
        _ => Value::String(first.value_text.clone()?),
    })
}

/// The values of `object_ids` for the active `fields` (customers: only those they see), by
/// object. One query for the whole page.
pub(crate) fn read(
    conn: &mut DbConnection,
    fields: &[CustomField],
    object_ids: &[i64],
    customer: bool,
) -> ServiceResult<HashMap<i64, FieldValues>> {
    let shown: Vec<&CustomField> = fields
        .iter()
        .filter(|f| f.active && (!customer || f.customer_sees()))
        .collect();
    let ids: Vec<i64> = shown.iter().map(|f| f.id).collect();
    let rows = repo::values_of(conn, &ids, object_ids)?;
    let mut grouped: HashMap<(i64, i64), Vec<&ValueRow>> = HashMap::new();
    for row in &rows {
        grouped
            .entry((row.object_id, row.field_id))
            .or_default()
            .push(row);
    }
    let mut out: HashMap<i64, FieldValues> = HashMap::new();
    for ((object_id, field_id), rows) in grouped {
        if let Some(field) = shown.iter().find(|f| f.id == field_id)
            && let Some(value) = to_json(field, &rows)
        {
            out.entry(object_id)
                .or_default()
                .insert(field.key.clone(), value);
        }
    }
    Ok(out)
}

/// Who sets values, and where: decides scope, visibility and which required fields count.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Target {
    /// The ticket, article, customer or company.
    pub object_id: i64,
    /// Its (ticket's) queue and type, for scoped fields.
    pub queue_id: Option<i64>,
    /// Ticket type.
    pub type_id: Option<i64>,
    /// A customer sets the values (only `editable` fields; hidden ones are unknown).
    pub by_customer: bool,
    /// Which required fields must have a value afterwards.
    pub required: Required,
}

/// Which required fields are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Required {
    /// Every field that applies (a new object, a ticket moved to another queue or type).
    All,
    /// Only fields the change clears.
    Touched,
    /// None (mail: a message is never refused for a missing field).
    Skip,
}

/// One field's change, for history: key, old and new value as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Applied {
    pub key: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

impl Applied {
    /// `<key>: <value>` for the history's old value.
    pub(crate) fn old_entry(&self) -> Option<String> {
        self.old.as_ref().map(|v| format!("{}: {v}", self.key))
    }

    /// `<key>: <value>` for the history's new value.
    pub(crate) fn new_entry(&self) -> Option<String> {
        self.new.as_ref().map(|v| format!("{}: {v}", self.key))
    }
}

/// The error pointer of a field: `custom_fields.<key>`.
pub(crate) fn pointer(key: &str) -> String {
    format!("custom_fields.{key}")
}

/// Applies `input` (with defaults, when `creating`) to one object of `object_type`, after
/// checking every value; writes the rows and returns what changed.
pub(crate) fn apply(
    conn: &mut DbConnection,
    fields: &[CustomField],
    object_type: ObjectType,
    target: Target,
    input: &FieldValues,
    creating: bool,
) -> ServiceResult<Vec<Applied>> {
    let fields: Vec<&CustomField> = fields
        .iter()
        .filter(|f| f.active && f.object_type == object_type)
        .collect();
    let scoped = matches!(object_type, ObjectType::Ticket | ObjectType::Article);
    let applies = |f: &CustomField| !scoped || f.applies_to(target.queue_id, target.type_id);
    let owned: Vec<CustomField> = fields.iter().map(|f| (*f).clone()).collect();
    let current = if creating {
        FieldValues::new()
    } else {
        read(conn, &owned, &[target.object_id], false)?
            .remove(&target.object_id)
            .unwrap_or_default()
    };
    let mut errors = FieldErrors::new();
    let mut planned: Vec<(&CustomField, Option<Parsed>)> = Vec::new();
    for (key, value) in input {
        let field = fields
            .iter()
            .copied()
            .find(|f| f.key == *key && (!target.by_customer || f.customer_sees()));
        let Some(field) = field else {
            errors.add(
                pointer(key),
                ValidationError::new("unknown_field", "is not a custom field"),
            );
            continue;
        };
        if target.by_customer && field.customer_visibility != CustomerVisibility::Editable {
            return Err(ServiceError::Forbidden(format!(
                "customers cannot change `{key}`"
            )));
        }
        if !applies(field) {
            errors.add(
                pointer(key),
                ValidationError::new(
                    "not_in_scope",
                    "does not apply to tickets of this queue and type",
                ),
            );
            continue;
        }
        match parse(field, value, current.get(key)) {
            Ok(parsed) => planned.push((field, parsed)),
            Err(e) => errors.add(pointer(key), e),
        }
    }
    if creating {
        for field in fields.iter().copied() {
            if applies(field)
                && !input.contains_key(&field.key)
                && let Some(default) = &field.default_value
                && let Ok(parsed) = parse(field, default, None)
            {
                planned.push((field, parsed));
            }
        }
    }
    if target.required != Required::Skip {
        for field in fields.iter().copied() {
            if !field.required
                || !applies(field)
                || (target.by_customer && field.customer_visibility != CustomerVisibility::Editable)
            {
                continue;
            }
            let after = match planned.iter().find(|(f, _)| f.id == field.id) {
                Some((_, parsed)) => parsed.is_some(),
                None => current.contains_key(&field.key),
            };
            let checked = target.required == Required::All || input.contains_key(&field.key);
            if checked && !after && errors.iter().all(|(k, _)| k != pointer(&field.key)) {
                errors.add(
                    pointer(&field.key),
                    ValidationError::new("required", "is required"),
                );
            }
        }
    }
    errors.into_result()?;
    let mut applied = Vec::new();
    for (field, parsed) in planned {
        let old = current.get(&field.key);
        let new = parsed.as_ref().map(|p| &p.json);
        if old == new {
            continue;
        }
        let rows = parsed.as_ref().map(|p| p.rows.clone()).unwrap_or_default();
        repo::set_values(conn, field.id, target.object_id, &rows)?;
        applied.push(Applied {
            key: field.key.clone(),
            old: old.map(display),
            new: new.map(display),
        });
    }
    applied.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(applied)
}
