//! Request extractors: who is calling (checked before the body is read), and validated input.

pub(crate) mod auth;
mod json;
mod mail_gateway;
mod query;
mod upload;

pub use auth::{AdminCaller, AgentCaller, Caller, EnrollingCaller, client_address};
pub use json::ValidJson;
pub use mail_gateway::MailGatewayCaller;
pub use query::{ValidQuery, WithFieldFilters, parse_with_fields};
pub use upload::{JsonOrMultipart, NamedPart, UploadedFile};

use serde::{Deserialize, Deserializer};
use vakt_domain::{FieldErrors, ValidationError};

/// For `Option<Option<T>>` fields of PATCH bodies: absent → `None`, `null` → `Some(None)`,
/// a value → `Some(Some(value))`. Use with `#[serde(default, deserialize_with = …)]`.
pub fn nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// Converts `validator` errors (nested structs and lists flattened to `a.b[2].c`) into
/// field errors.
pub fn from_validator(errors: &validator::ValidationErrors) -> FieldErrors {
    let mut out = FieldErrors::new();
    collect(errors, "", &mut out);
    out
}

fn collect(errors: &validator::ValidationErrors, prefix: &str, out: &mut FieldErrors) {
    use validator::ValidationErrorsKind;
    for (field, kind) in errors.errors() {
        let path = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            ValidationErrorsKind::Field(list) => {
                for error in list {
                    let message = error
                        .message
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_else(|| default_message(error));
                    out.add(
                        path.clone(),
                        ValidationError::new(static_code(&error.code), message),
                    );
                }
            }
            ValidationErrorsKind::Struct(inner) => collect(inner, &path, out),
            ValidationErrorsKind::List(items) => {
                for (index, inner) in items {
                    collect(inner, &format!("{path}[{index}]"), out);
                }
            }
        }
    }
}

fn default_message(error: &validator::ValidationError) -> String {
    let param = |name: &str| error.params.get(name).map(ToString::to_string);
    match error.code.as_ref() {
        "length" => match (param("min"), param("max")) {
            (Some(min), Some(max)) => format!("must be between {min} and {max} characters"),
            (Some(min), None) => format!("must be at least {min} characters"),
            (None, Some(max)) => format!("must be at most {max} characters"),
            _ => "has an invalid length".into(),
        },
        "range" => match (param("min"), param("max")) {
            (Some(min), Some(max)) => format!("must be between {min} and {max}"),
            (Some(min), None) => format!("must be at least {min}"),
            (None, Some(max)) => format!("must be at most {max}"),
            _ => "is out of range".into(),
        },
        "email" => "must be a valid email address".into(),
        "required" => "is required".into(),
        other => format!("is invalid ({other})"),
    }
}

/// Maps validator's codes to our stable codes (validator gives `Cow<'static, str>`).
fn static_code(code: &str) -> &'static str {
    match code {
        "length" => "invalid_length",
        "range" => "out_of_range",
        "email" => "invalid_email",
        "required" => "required",
        "url" => "invalid_url",
        "regex" => "invalid_format",
        _ => "invalid",
    }
}
