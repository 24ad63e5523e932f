//! The rules a definition must keep, checked on the definition as it would be after a change.

use std::collections::BTreeMap;

use vakt_domain::custom_fields::{FieldType, ObjectType, check_key, parse_decimal};
use vakt_domain::locale::SUPPORTED_LANGUAGES;
use vakt_domain::{FieldErrors, ValidationError};
use vakt_persistence::DbConnection;
use vakt_persistence::repo::custom_fields as repo;

use super::{CustomField, values};
use crate::error::ServiceResult;
use crate::reference::Reference;

/// Longest label.
const MAX_LABEL_LENGTH: usize = 100;
/// Most options of one field.
const MAX_OPTIONS: usize = 500;
/// Longest pattern.
const MAX_PATTERN_LENGTH: usize = 500;

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
pub(super) fn check(
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
