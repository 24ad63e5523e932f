//! Bodies and attachments: text, sanitised HTML, files, nested messages, TNEF content.

use mail_parser::{Encoding, Message, MessagePart, MimeHeaders, PartType};

use super::{Attachment, ParsedMessage, charset, html, tnef};
use crate::thread::normalize_message_id;

/// Longest generated or kept filename, in characters.
const MAX_FILENAME_CHARS: usize = 200;

/// Fills `text`, `html`, `has_remote_images` and `attachments`.
pub(super) fn fill(message: &Message<'_>, parsed: &mut ParsedMessage, warnings: &mut Vec<String>) {
    let raw = message.raw_message();
    let texts: Vec<String> = message
        .text_body
        .iter()
        .filter_map(|&i| message.parts.get(i as usize))
        .filter_map(|part| match &part.body {
            PartType::Text(text) => Some(repair_text(raw, part, text, warnings)),
            _ => None,
        })
        .collect();

    let html_parts: Vec<&MessagePart<'_>> = message
        .html_body
        .iter()
        .filter_map(|&i| message.parts.get(i as usize))
        .collect();
    if html_parts
        .iter()
        .any(|p| matches!(p.body, PartType::Html(_)))
    {
        let mut source = String::new();
        for part in html_parts {
            match &part.body {
                PartType::Html(h) => source.push_str(h),
                PartType::Text(t) => {
                    source.push_str("<pre>");
                    source.push_str(&escape_html(&repair_text(raw, part, t, &mut Vec::new())));
                    source.push_str("</pre>");
                }
                _ => {}
            }
        }
        let (clean, remote) = html::sanitize(&source);
        parsed.has_remote_images = remote;
        if texts.is_empty() {
            parsed.text = html::to_text(&clean);
        }
        parsed.html = Some(clean);
    }
    if !texts.is_empty() {
        parsed.text = texts.join("\n\n").trim_end().to_string();
    }
    parsed.text = normalize_newlines(&parsed.text);
    parsed.html = parsed
        .html
        .as_deref()
        .map(|h| normalize_newlines(h).trim().to_string());

    for (n, &index) in message.attachments.iter().enumerate() {
        let Some(part) = message.parts.get(index as usize) else {
            continue;
        };
        if let Some(attachment) = attachment(part, n + 1, warnings, raw) {
            if attachment.content_type.starts_with("multipart/") {
                // A multipart the parser could not split (no usable boundary): show it as text.
                warnings.push("a multipart part without a usable boundary is shown as text".into());
                if parsed.text.is_empty() {
                    parsed.text = normalize_newlines(&charset::decode_unlabelled(&attachment.data));
                }
                continue;
            }
            let is_tnef = matches!(
                attachment.content_type.as_str(),
                "application/ms-tnef" | "application/vnd.ms-tnef"
            ) || attachment.filename.eq_ignore_ascii_case("winmail.dat");
            let unpacked = if is_tnef {
                tnef::extract(&attachment.data)
            } else {
                Vec::new()
            };
            if is_tnef && unpacked.is_empty() {
                warnings.push(format!(
                    "{}: no files could be read from the TNEF data",
                    attachment.filename
                ));
            }
            parsed.attachments.push(attachment);
            parsed
                .attachments
                .extend(unpacked.into_iter().map(|file| Attachment {
                    content_type: guess_content_type(&file.name).to_string(),
                    filename: clean_filename(&file.name),
                    content_id: None,
                    inline: false,
                    from_tnef: true,
                    data: file.data,
                }));
        }
    }
}

/// Re-decodes a 7/8-bit text part whose charset was missing or unknown and whose text came out
/// with replacement characters: UTF-8 if valid, else Windows-1252.
fn repair_text(
    raw: &[u8],
    part: &MessagePart<'_>,
    text: &str,
    warnings: &mut Vec<String>,
) -> String {
    let label = part.content_type().and_then(|ct| ct.attribute("charset"));
    let start = part.offset_body as usize;
    let end = (part.offset_end as usize).min(raw.len());
    let body_bytes = raw.get(start..end);
    if part.encoding == Encoding::None {
        let is_utf7 = label.is_some_and(|l| {
            let l = l.trim().to_ascii_lowercase();
            l == "utf-7" || l == "unicode-1-1-utf-7"
        });
        if let (true, Some(bytes)) = (is_utf7, body_bytes) {
            return charset::decode_utf7(bytes);
        }
    }
    let labelled = label.is_some_and(charset::is_known_charset);
    if labelled || !text.contains('\u{FFFD}') || part.encoding != Encoding::None {
        return text.to_string();
    }
    match body_bytes {
        Some(bytes) => {
            warnings.push("a text part without a known charset was read as Windows-1252".into());
            charset::decode_unlabelled(bytes).into_owned()
        }
        None => text.to_string(),
    }
}

fn attachment(
    part: &MessagePart<'_>,
    number: usize,
    warnings: &mut Vec<String>,
    raw: &[u8],
) -> Option<Attachment> {
    let (data, default_type): (Vec<u8>, &str) = match &part.body {
        PartType::Text(t) => (t.as_bytes().to_vec(), "text/plain"),
        PartType::Html(h) => (h.as_bytes().to_vec(), "text/html"),
        PartType::Binary(b) | PartType::InlineBinary(b) => (b.to_vec(), "application/octet-stream"),
        PartType::Message(m) => (m.raw_message().to_vec(), "message/rfc822"),
        PartType::Multipart(_) => return None,
    };
    let content_type = part
        .content_type()
        .map(|ct| match ct.subtype() {
            Some(sub) => format!("{}/{}", ct.ctype(), sub),
            None => ct.ctype().to_string(),
        })
        .map(|ct| ct.trim().to_ascii_lowercase())
        .filter(|ct| ct.contains('/'))
        .unwrap_or_else(|| default_type.to_string());
    let content_id = part.content_id().and_then(normalize_message_id);
    let inline = match part.content_disposition() {
        Some(disposition) => disposition.is_inline(),
        None => content_id.is_some(),
    };
    let filename = filename(part, number, &content_type, warnings, raw);
    Some(Attachment {
        filename,
        content_type,
        content_id,
        inline,
        from_tnef: false,
        data,
    })
}

fn filename(
    part: &MessagePart<'_>,
    number: usize,
    content_type: &str,
    warnings: &mut Vec<String>,
    raw: &[u8],
) -> String {
    let mut name = part.attachment_name().map(str::to_string);
    if name.as_deref().is_some_and(|n| n.contains('\u{FFFD}'))
        && let Some(fixed) = reparse_part_filename(part, raw, warnings)
    {
        name = Some(fixed);
    }
    let name = name.map(|n| clean_filename(&n)).filter(|n| !n.is_empty());
    match (name, &part.body) {
        (Some(n), PartType::Message(_)) if !n.to_ascii_lowercase().ends_with(".eml") => {
            format!("{n}.eml")
        }
        (Some(n), _) => n,
        (None, PartType::Message(m)) => {
            let subject = m.subject().map(clean_filename).filter(|s| !s.is_empty());
            format!("{}.eml", subject.unwrap_or_else(|| "message".into()))
        }
        (None, _) => format!("attachment-{number}.{}", extension_for(content_type)),
    }
}

/// Reads a part's filename again from its raw header block: RFC 2231 continuations with one
/// charset, or 8-bit bytes read as Windows-1252.
fn reparse_part_filename(
    part: &MessagePart<'_>,
    raw: &[u8],
    warnings: &mut Vec<String>,
) -> Option<String> {
    let start = part.offset_header as usize;
    let end = (part.offset_body as usize).min(raw.len());
    let header = raw.get(start..end)?;
    if let Some(name) = charset::rfc2231_filename(&charset::decode_unlabelled(header))
        && !name.contains('\u{FFFD}')
    {
        return Some(name);
    }
    let fixed = charset::transcode_header_lines(header)?;
    let parser = mail_parser::MessageParser::new();
    let reparsed = parser.parse_headers(&fixed)?;
    warnings.push("an 8-bit attachment filename was read as Windows-1252".into());
    reparsed.root_part().attachment_name().map(str::to_string)
}

/// Drops directory parts, control characters and surrounding dots/spaces; caps the length.
pub(super) fn clean_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = base
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .take(MAX_FILENAME_CHARS)
        .collect();
    cleaned
        .trim_matches(|c: char| c == '.' || c.is_whitespace())
        .to_string()
}

fn extension_for(content_type: &str) -> &'static str {
    match content_type {
        "text/plain" => "txt",
        "text/html" => "html",
        "text/calendar" => "ics",
        "message/rfc822" => "eml",
        "message/delivery-status" => "txt",
        "text/rfc822-headers" => "txt",
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/gif" => "gif",
        "application/pdf" => "pdf",
        _ => "bin",
    }
}

fn guess_content_type(name: &str) -> &'static str {
    let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "txt" => "text/plain",
        "htm" | "html" => "text/html",
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ppt" => "application/vnd.ms-powerpoint",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "zip" => "application/zip",
        "ics" => "text/calendar",
        _ => "application/octet-stream",
    }
}

fn normalize_newlines(text: &str) -> String {
    text.replace("\r\n", "\n")
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filenames_lose_paths_and_control_characters() {
        assert_eq!(clean_filename("C:\\Users\\x\\report.pdf"), "report.pdf");
        assert_eq!(clean_filename("../../etc/passwd"), "passwd");
        assert_eq!(clean_filename(" a\u{0}b?.txt "), "a_b_.txt");
        assert_eq!(clean_filename(".."), "");
    }
}
