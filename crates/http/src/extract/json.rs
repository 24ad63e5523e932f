//! `ValidJson<T>`: a JSON body that is checked for media type, size, syntax, shape (with the
//! path of a wrongly typed or missing field) and `validator` rules, each with its own problem.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use vakt_domain::{FieldErrors, ValidationError};
use validator::Validate;

use crate::AppState;
use crate::error::ApiError;

/// Body size limit when the application state is absent (tests of single handlers).
const FALLBACK_LIMIT: usize = 1024 * 1024;

/// A deserialised and validated JSON body.
#[derive(Debug)]
pub struct ValidJson<T>(pub T);

impl<T> ValidJson<T> {
    /// The inner value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T: DeserializeOwned + Validate + 'static> FromRequest for ValidJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req
            .app_data::<web::Data<AppState>>()
            .map_or(FALLBACK_LIMIT, |state| state.config.max_json_body_bytes);
        let media_type_ok = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                v.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            })
            .is_some_and(|mime| {
                mime == "application/json"
                    || (mime.starts_with("application/") && mime.ends_with("+json"))
            });
        let mut payload = payload.take();
        Box::pin(async move {
            if !media_type_ok {
                return Err(ApiError::new(
                    "unsupported_media_type",
                    "Send the body as `Content-Type: application/json`.",
                ));
            }
            let mut body = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|e| {
                    ApiError::new("bad_request", format!("The body could not be read: {e}"))
                })?;
                if body.len() + chunk.len() > limit {
                    return Err(ApiError::new(
                        "payload_too_large",
                        format!("The body is larger than {limit} bytes."),
                    ));
                }
                body.extend_from_slice(&chunk);
            }
            let value = parse::<T>(&body)?;
            value
                .validate()
                .map_err(|e| ApiError::validation(super::from_validator(&e)))?;
            Ok(ValidJson(value))
        })
    }
}

/// Parses JSON, reporting syntax errors as 400 and shape errors as 422 on the offending field.
pub(crate) fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => {
                ApiError::validation(shape_error(&path, &inner.to_string()))
            }
            _ => malformed(&inner),
        }
    })?;
    deserializer.end().map_err(|e| malformed(&e))?;
    Ok(value)
}

fn malformed(error: &serde_json::Error) -> ApiError {
    ApiError::new(
        "malformed_json",
        format!("The body is not valid JSON: {error}"),
    )
}

/// Turns serde's message into a field error. serde reports a missing or unknown field at the
/// parent's path with the name in the message; we move it onto the field itself.
pub(crate) fn shape_error(path: &str, message: &str) -> FieldErrors {
    let message = message.split(" at line ").next().unwrap_or(message);
    let root = path == "." || path.is_empty();
    let named = |prefix: &str| {
        let name = message.strip_prefix(prefix)?.split('`').next()?;
        // serde_path_to_error points at the parent for a missing field and at the field itself
        // for an unknown one.
        Some(if root {
            name.to_owned()
        } else if path == name || path.ends_with(&format!(".{name}")) {
            path.to_owned()
        } else {
            format!("{path}.{name}")
        })
    };
    if let Some(field) = named("missing field `") {
        return FieldErrors::single(field, ValidationError::new("required", "is required"));
    }
    if let Some(field) = named("unknown field `") {
        return FieldErrors::single(
            field,
            ValidationError::new("unknown_field", "is not a known field"),
        );
    }
    let field = if path == "." || path.is_empty() {
        "body".to_owned()
    } else {
        path.to_owned()
    };
    FieldErrors::single(
        field,
        ValidationError::new("invalid_type", message.to_owned()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Login {
        email: String,
        inner: Option<Inner>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        count: u32,
    }

    fn codes(error: ApiError) -> Vec<(String, Vec<String>)> {
        error
            .problem()
            .error_codes
            .unwrap_or_default()
            .into_iter()
            .collect()
    }

    #[test]
    fn syntax_errors_are_400() {
        let error = parse::<Login>(b"{\"email\": ").unwrap_err();
        assert_eq!(error.code(), "malformed_json");
        let error = parse::<Login>(b"{\"email\": \"a\"} trailing").unwrap_err();
        assert_eq!(error.code(), "malformed_json");
    }

    #[test]
    fn shape_errors_name_the_field() {
        let missing = parse::<Login>(b"{}").unwrap_err();
        assert_eq!(missing.code(), "validation_failed");
        assert_eq!(
            codes(missing),
            vec![("email".into(), vec!["required".into()])]
        );
        let wrong = parse::<Login>(b"{\"email\": 5}").unwrap_err();
        assert_eq!(
            codes(wrong),
            vec![("email".into(), vec!["invalid_type".into()])]
        );
        let nested = parse::<Login>(b"{\"email\": \"a\", \"inner\": {\"count\": -1}}").unwrap_err();
        assert_eq!(
            codes(nested),
            vec![("inner.count".into(), vec!["invalid_type".into()])]
        );
        let unknown = parse::<Login>(b"{\"email\": \"a\", \"admin\": true}").unwrap_err();
        assert_eq!(
            codes(unknown),
            vec![("admin".into(), vec!["unknown_field".into()])]
        );
    }
}
