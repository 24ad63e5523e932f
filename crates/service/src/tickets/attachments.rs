//! Attachments: what is stored (file names and media types cleaned), their text for the search
//! index, their metadata, and downloading one.

use vakt_domain::Principal;
use vakt_persistence::repo::articles::{self, AttachmentRow};
use vakt_persistence::search;

use super::visible;
use crate::error::{ServiceError, ServiceResult};
use crate::reference::Reference;
use crate::{Services, access};

/// An attachment to store.
#[derive(Debug, Clone, Default)]
pub struct NewAttachment {
    /// File name (any path is stripped).
    pub filename: String,
    /// Media type (`application/octet-stream` when unknown).
    pub content_type: String,
    /// Content.
    pub data: Vec<u8>,
    /// Content-ID of an inline image.
    pub content_id: Option<String>,
    /// Shown inline.
    pub inline: bool,
}

/// An attachment's metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentMeta {
    /// Id.
    pub id: i64,
    /// File name.
    pub filename: String,
    /// Media type.
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    /// Content-ID (inline images).
    pub content_id: Option<String>,
    /// Shown inline.
    pub inline: bool,
}

/// A file name without any path, control characters or length beyond 255.
pub(crate) fn clean_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .chars()
        .take(255)
        .collect();
    if cleaned.is_empty() || cleaned == "." || cleaned == ".." {
        "attachment".to_owned()
    } else {
        cleaned
    }
}

/// A media type without parameters; `application/octet-stream` when it is not one.
pub(crate) fn clean_content_type(value: &str) -> String {
    let mime = value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let valid = mime.split_once('/').is_some_and(|(a, b)| {
        let ok = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "!#$&^_.+-".contains(c))
        };
        ok(a) && ok(b)
    });
    if valid {
        mime
    } else {
        "application/octet-stream".to_owned()
    }
}

/// The text of a plain-text or HTML attachment, for the search index.
pub(super) fn attachment_text(attachment: &NewAttachment) -> Option<String> {
    if attachment.data.len() > search::MAX_INDEXED_CHARS * 4 {
        return None;
    }
    let content_type = clean_content_type(&attachment.content_type);
    let text = String::from_utf8_lossy(&attachment.data);
    match content_type.as_str() {
        "text/plain" | "text/csv" | "text/markdown" => Some(text.into_owned()),
        "text/html" => Some(vakt_mail::html::to_text(&text)),
        _ => None,
    }
}

/// The metadata of a stored attachment.
pub(super) fn meta(row: AttachmentRow) -> AttachmentMeta {
    AttachmentMeta {
        id: row.id,
        filename: row.filename,
        content_type: row.content_type,
        size: row.size,
        content_id: row.content_id,
        inline: row.inline,
    }
}

impl Services {
    /// One attachment's metadata and content, if the caller may see its article.
    pub fn get_attachment(
        &self,
        actor: &Principal,
        key: &str,
        article_id: i64,
        attachment_id: i64,
    ) -> ServiceResult<(AttachmentMeta, Vec<u8>)> {
        let mut conn = self.conn()?;
        let access = access::load(&mut conn, actor)?;
        let reference = Reference::load(&mut conn)?;
        let row = visible(&mut conn, &access, &reference, key, false)?;
        let not_found = || ServiceError::NotFound("attachment");
        let article = articles::find(&mut conn, article_id)?.ok_or_else(not_found)?;
        if article.ticket_id != row.id
            || (!article.customer_visible && !access.sees_internal_articles())
        {
            return Err(not_found());
        }
        let attachment =
            articles::find_attachment(&mut conn, attachment_id)?.ok_or_else(not_found)?;
        if attachment.article_id != article.id {
            return Err(not_found());
        }
        let data = articles::blob_data(&mut conn, attachment.blob_id)?;
        Ok((meta(attachment), data))
    }
}
