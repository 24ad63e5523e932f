//! `JsonOrMultipart<T>`: a JSON document sent either as the body (`application/json`) or as the
//! part named [`NamedPart::PART`] of a `multipart/form-data` upload whose `attachments` parts are
//! files. Files over the attachment limit and uploads over the total limit answer 413.

use std::future::Future;
use std::pin::Pin;

use actix_multipart::Multipart;
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use vakt_domain::{FieldErrors, ValidationError};
use validator::Validate;

use crate::AppState;
use crate::error::ApiError;
use crate::extract::json::parse;

/// The name of the multipart part that carries the JSON document.
pub trait NamedPart {
    /// e.g. `ticket` or `article`.
    const PART: &'static str;
}

/// An uploaded file.
#[derive(Debug, Clone)]
pub struct UploadedFile {
    /// File name as sent.
    pub filename: String,
    /// Media type as sent (`application/octet-stream` when absent).
    pub content_type: String,
    /// Content.
    pub data: Vec<u8>,
}

/// A validated JSON document and the files that came with it.
#[derive(Debug)]
pub struct JsonOrMultipart<T> {
    /// The document.
    pub value: T,
    /// Files of the `attachments` parts (empty for JSON bodies).
    pub files: Vec<UploadedFile>,
}

struct Limits {
    json: usize,
    file: usize,
    total: usize,
}

fn limits(req: &HttpRequest) -> Limits {
    match req.app_data::<web::Data<AppState>>() {
        Some(state) => Limits {
            json: state.config.max_json_body_bytes,
            file: state.config.max_attachment_bytes,
            total: state.config.max_upload_bytes,
        },
        None => Limits {
            json: 1 << 20,
            file: 25 << 20,
            total: 100 << 20,
        },
    }
}

fn media_type(req: &HttpRequest) -> String {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default()
}

fn too_large(what: &str, limit: usize) -> ApiError {
    ApiError::new(
        "payload_too_large",
        format!("{what} is larger than the limit of {limit} bytes."),
    )
}

async fn read_limited(
    mut stream: impl futures_util::Stream<Item = Result<web::Bytes, impl std::fmt::Display>> + Unpin,
    limit: usize,
    total: &mut usize,
    total_limit: usize,
    what: &str,
) -> Result<Vec<u8>, ApiError> {
    let mut data = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| {
            ApiError::new("bad_request", format!("The upload could not be read: {e}"))
        })?;
        *total += chunk.len();
        if *total > total_limit {
            return Err(too_large("The upload", total_limit));
        }
        if data.len() + chunk.len() > limit {
            return Err(too_large(what, limit));
        }
        data.extend_from_slice(&chunk);
    }
    Ok(data)
}

impl<T> FromRequest for JsonOrMultipart<T>
where
    T: DeserializeOwned + Validate + NamedPart + 'static,
{
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limits = limits(req);
        let mime = media_type(req);
        let headers = req.headers().clone();
        let payload = payload.take();
        Box::pin(async move {
            let is_json = mime == "application/json"
                || (mime.starts_with("application/") && mime.ends_with("+json"));
            let (raw, files) = if is_json {
                let mut total = 0;
                (
                    read_limited(payload, limits.json, &mut total, limits.json, "The body").await?,
                    Vec::new(),
                )
            } else if mime == "multipart/form-data" {
                read_multipart::<T>(Multipart::new(&headers, payload), &limits).await?
            } else {
                return Err(ApiError::new(
                    "unsupported_media_type",
                    format!(
                        "Send `application/json`, or `multipart/form-data` with a `{}` part and `attachments` files.",
                        T::PART
                    ),
                ));
            };
            let value: T = parse(&raw)?;
            value
                .validate()
                .map_err(|e| ApiError::validation(super::from_validator(&e)))?;
            Ok(JsonOrMultipart { value, files })
        })
    }
}

async fn read_multipart<T: NamedPart>(
    mut multipart: Multipart,
    limits: &Limits,
) -> Result<(Vec<u8>, Vec<UploadedFile>), ApiError> {
    let mut document = None;
    let mut files = Vec::new();
    let mut total = 0;
    while let Some(field) = multipart.next().await {
        let field = field.map_err(|e| {
            ApiError::new(
                "bad_request",
                format!("The multipart body is malformed: {e}"),
            )
        })?;
        let name = field
            .content_disposition()
            .and_then(|d| d.get_name())
            .unwrap_or_default()
            .to_owned();
        if name == T::PART {
            document = Some(
                read_limited(
                    field,
                    limits.json,
                    &mut total,
                    limits.total,
                    "The JSON part",
                )
                .await?,
            );
        } else if name == "attachments" || name == "attachments[]" {
            let filename = field
                .content_disposition()
                .and_then(|d| d.get_filename())
                .unwrap_or("attachment")
                .to_owned();
            let content_type = field.content_type().map_or_else(
                || "application/octet-stream".to_owned(),
                ToString::to_string,
            );
            let what = format!("The attachment {filename:?}");
            let data = read_limited(field, limits.file, &mut total, limits.total, &what).await?;
            files.push(UploadedFile {
                filename,
                content_type,
                data,
            });
        } else {
            return Err(ApiError::validation(FieldErrors::single(
                name,
                ValidationError::new(
                    "unknown_field",
                    format!("is not a known part; send `{}` and `attachments`", T::PART),
                ),
            )));
        }
    }
    let document = document.ok_or_else(|| {
        ApiError::validation(FieldErrors::single(
            T::PART,
            ValidationError::new("required", "the JSON part is missing"),
        ))
    })?;
    Ok((document, files))
}
