//! Charset fallbacks for bytes that carry no (or a wrong) charset label.
//!
//! Labelled charsets are decoded by `mail-parser` (with `encoding_rs` behind it). What is left
//! here is the real-world case of *unlabelled* 8-bit data: raw bytes in headers, or a body whose
//! `charset` is missing or unknown. The rule is the one mail clients use: UTF-8 when the bytes
//! are valid UTF-8, otherwise Windows-1252 (a superset of ISO-8859-1 that maps every byte).

use std::borrow::Cow;

/// Decodes unlabelled bytes: UTF-8 if valid, else Windows-1252.
pub(crate) fn decode_unlabelled(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            text
        }
    }
}

/// Length of the header block at the start of `raw`, including the blank line that ends it
/// (or the whole input when no blank line exists).
pub(crate) fn header_block_len(raw: &[u8]) -> usize {
    let mut pos = 0;
    while pos < raw.len() {
        let line_end = match raw[pos..].iter().position(|&b| b == b'\n') {
            Some(i) => pos + i + 1,
            None => return raw.len(),
        };
        let line = &raw[pos..line_end];
        if line == b"\n" || line == b"\r\n" {
            return line_end;
        }
        pos = line_end;
    }
    raw.len()
}

/// Re-encodes header lines that are not valid UTF-8 (raw Latin-1/Windows-1252 bytes) as UTF-8,
/// so the parser sees text instead of replacement characters. Lines that already are UTF-8 are
/// left alone. Returns `None` when nothing needed fixing.
pub(crate) fn transcode_header_lines(header: &[u8]) -> Option<Vec<u8>> {
    if std::str::from_utf8(header).is_ok() {
        return None;
    }
    let mut out = Vec::with_capacity(header.len() + header.len() / 8);
    for line in header.split_inclusive(|&b| b == b'\n') {
        match std::str::from_utf8(line) {
            Ok(_) => out.extend_from_slice(line),
            Err(_) => {
                let (text, _, _) = encoding_rs::WINDOWS_1252.decode(line);
                out.extend_from_slice(text.as_bytes());
            }
        }
    }
    Some(out)
}

/// `true` when `label` names a charset `encoding_rs` (or `mail-parser` itself) knows.
pub(crate) fn is_known_charset(label: &str) -> bool {
    let lower = label.trim().to_ascii_lowercase();
    encoding_rs::Encoding::for_label(lower.as_bytes()).is_some()
        || matches!(lower.as_str(), "utf-7" | "us-ascii" | "ascii" | "utf7")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unlabelled_bytes_prefer_utf8_then_windows_1252() {
        assert_eq!(decode_unlabelled("blåbær".as_bytes()), "blåbær");
        assert_eq!(decode_unlabelled(b"bl\xe5b\xe6r \x80"), "blåbær €");
    }

    #[test]
    fn header_block_ends_at_first_blank_line() {
        assert_eq!(header_block_len(b"A: b\r\n\r\nbody"), 8);
        assert_eq!(header_block_len(b"A: b\n\nbody"), 6);
        assert_eq!(header_block_len(b"A: b\n"), 5);
    }

    #[test]
    fn only_broken_lines_are_transcoded() {
        assert!(transcode_header_lines(b"Subject: ok\r\n").is_none());
        let fixed = transcode_header_lines(b"Subject: S\xf8knad\r\nFrom: \xc3\xa5\r\n");
        assert_eq!(
            fixed.as_deref(),
            Some("Subject: Søknad\r\nFrom: å\r\n".as_bytes())
        );
    }
}

/// Decodes UTF-7 (RFC 2152). `mail-parser`'s decoder drops the character that ends a base64
/// run when it is not `-` (usually a space), so bodies labelled UTF-7 are decoded here.
pub(crate) fn decode_utf7(input: &[u8]) -> String {
    fn sextet(b: u8) -> Option<u32> {
        match b {
            b'A'..=b'Z' => Some(u32::from(b - b'A')),
            b'a'..=b'z' => Some(u32::from(b - b'a') + 26),
            b'0'..=b'9' => Some(u32::from(b - b'0') + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    }
    let mut out = String::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        let b = input[i];
        if b != b'+' {
            out.push(char::from(b));
            i += 1;
            continue;
        }
        i += 1;
        if input.get(i) == Some(&b'-') {
            out.push('+');
            i += 1;
            continue;
        }
        let (mut bits, mut nbits, mut units) = (0u32, 0u32, Vec::new());
        while let Some(value) = input.get(i).copied().and_then(sextet) {
            bits = (bits << 6) | value;
            nbits += 6;
            if nbits >= 16 {
                nbits -= 16;
                units.push(((bits >> nbits) & 0xFFFF) as u16);
            }
            i += 1;
        }
        out.push_str(&String::from_utf16_lossy(&units));
        if input.get(i) == Some(&b'-') {
            i += 1;
        }
    }
    out
}

/// Reassembles an RFC 2231 `filename*`/`name*` parameter (continuations `*0*`, `*1`…) from a
/// raw MIME header block, decoding all segments with the charset of the first one.
/// `mail-parser` decodes continuation segments separately and loses the charset after the
/// first.
pub(crate) fn rfc2231_filename(header: &str) -> Option<String> {
    let unfolded = header
        .replace("\r\n", "\n")
        .replace("\n ", " ")
        .replace("\n\t", " ");
    let mut best: Option<String> = None;
    for line in unfolded.lines() {
        let lower = line.to_ascii_lowercase();
        let param_base = if lower.starts_with("content-disposition:") {
            "filename"
        } else if lower.starts_with("content-type:") {
            "name"
        } else {
            continue;
        };
        let mut segments: Vec<(u32, bool, String)> = Vec::new();
        for param in split_params(line).into_iter().skip(1) {
            let Some((key, value)) = param.split_once('=') else {
                continue;
            };
            let key = key.trim().to_ascii_lowercase();
            let Some(suffix) = key
                .strip_prefix(param_base)
                .and_then(|s| s.strip_prefix('*'))
            else {
                continue;
            };
            let (index, extended) = match suffix.strip_suffix('*') {
                Some(n) => (n.parse().ok()?, true),
                None if suffix.is_empty() => (0, true),
                None => (suffix.parse().ok()?, false),
            };
            segments.push((index, extended, value.trim().trim_matches('"').to_string()));
        }
        if segments.is_empty() {
            continue;
        }
        segments.sort_by_key(|s| s.0);
        let mut charset = String::new();
        let mut bytes = Vec::new();
        for (n, (_, extended, value)) in segments.iter().enumerate() {
            let mut value = value.as_str();
            if n == 0 && *extended {
                let mut pieces = value.splitn(3, '\'');
                if let (Some(cs), Some(_lang), Some(rest)) =
                    (pieces.next(), pieces.next(), pieces.next())
                {
                    charset = cs.to_string();
                    value = rest;
                }
            }
            if *extended {
                bytes.extend(percent_decode(value));
            } else {
                bytes.extend_from_slice(value.as_bytes());
            }
        }
        let decoded = match encoding_rs::Encoding::for_label(charset.trim().as_bytes()) {
            Some(encoding) => encoding.decode_without_bom_handling(&bytes).0.into_owned(),
            None => decode_unlabelled(&bytes).into_owned(),
        };
        if param_base == "filename" || best.is_none() {
            best = Some(decoded);
        }
    }
    best
}

/// Splits a header line at `;` outside double quotes.
fn split_params(line: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut quoted) = (0, false);
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => {
                parts.push(&line[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&line[start..]);
    parts
}

fn percent_decode(value: &str) -> Vec<u8> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod more_tests {
    use super::*;

    #[test]
    fn utf7_keeps_the_character_that_ends_a_run() {
        assert_eq!(
            decode_utf7(b"caf+AOk r+AOk-servation +IBM x 1+-1"),
            "café réservation – x 1+1"
        );
        assert_eq!(decode_utf7(b"+2D3eAQ-"), "\u{1F601}");
        assert_eq!(decode_utf7(b"+"), "");
    }

    #[test]
    fn rfc2231_continuations_share_the_first_charset() {
        let header = "Content-Type: text/plain\r\nContent-Disposition: attachment;\r\n \
                      filename*0*=iso-8859-1''s%F8knad%20;\r\n filename*1*=%E5r;\r\n filename*2=\".txt\"\r\n";
        assert_eq!(rfc2231_filename(header).as_deref(), Some("søknad år.txt"));
        assert_eq!(
            rfc2231_filename("Content-Type: x; name*=utf-8''%E2%82%AC\r\n").as_deref(),
            Some("€")
        );
        assert_eq!(rfc2231_filename("Content-Type: x; name=a\r\n"), None);
    }
}
