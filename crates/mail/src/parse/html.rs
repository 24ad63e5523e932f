//! HTML bodies: sanitising for display and rendering as plain text.
//!
//! What survives [`sanitize`] (see also the crate README):
//! - ammonia's default set of formatting tags and attributes (paragraphs, lists, tables, links,
//!   images…); `<script>`, `<style>`, `<iframe>`, `<object>`, `<embed>`, forms, `<meta>`,
//!   `<base>`, `<link>`, comments and every `on*` event handler are removed;
//! - `style` attributes only with the properties in [`SAFE_STYLE_PROPERTIES`] and never with
//!   `url(`, `expression(`, `image-set(`, `@import` or CSS escapes;
//! - URLs with the schemes `http`, `https`, `mailto`, `tel` and `cid` (relative and
//!   protocol-relative URLs are removed); `data:` only as an `<img>` source of a raster image;
//! - `cid:` image sources stay as they are, so the application can rewrite them to attachment
//!   URLs (the attachment carries the matching `content_id`);
//! - a remote image (`<img src="http(s)://…">`) keeps its address, but in the attribute
//!   [`REMOTE_SRC_ATTRIBUTE`] instead of `src`, so a browser does not load it (no tracking
//!   pixels). A UI that the user allows to load remote content copies it back into `src`.
//! - links get `rel="noopener noreferrer"`.

use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// The attribute that holds a remote image's address after sanitising.
pub const REMOTE_SRC_ATTRIBUTE: &str = "data-vakt-remote-src";

/// CSS properties allowed in `style` attributes (colours and text emphasis only).
pub const SAFE_STYLE_PROPERTIES: &[&str] = &[
    "color",
    "background-color",
    "font-weight",
    "font-style",
    "text-decoration",
    "text-align",
];

/// HTML bigger than this is rendered to text with the simple tag stripper.
const MAX_HTML_FOR_RENDERER: usize = 4 * 1024 * 1024;
/// Deeper nesting than this is rendered with the simple tag stripper (the renderer recurses).
const MAX_DEPTH_FOR_RENDERER: usize = 400;

/// Sanitises `html` for display. Returns the safe HTML and whether it had remote images.
pub fn sanitize(html: &str) -> (String, bool) {
    let mut builder = ammonia::Builder::default();
    builder
        .add_url_schemes(["cid", "data"])
        .url_relative(ammonia::UrlRelative::Deny)
        .add_generic_attributes(["style"])
        .add_clean_content_tags([
            "title", "noscript", "template", "iframe", "object", "select", "textarea",
        ])
        .filter_style_properties(
            SAFE_STYLE_PROPERTIES
                .iter()
                .copied()
                .collect::<HashSet<_>>(),
        )
        .attribute_filter(|element, attribute, value| {
            filter_attribute(element, attribute, value).map(Into::into)
        });
    let cleaned = builder.clean(html).to_string();
    hide_remote_images(&cleaned)
}

fn filter_attribute<'v>(element: &str, attribute: &str, value: &'v str) -> Option<&'v str> {
    let lower = value.trim().to_ascii_lowercase();
    match attribute {
        "style" => {
            let dangerous = [
                "url(",
                "expression(",
                "image-set(",
                "@import",
                "\\",
                "image(",
            ];
            (!dangerous.iter().any(|d| lower.contains(d))).then_some(value)
        }
        "src" | "href" | "cite" if lower.starts_with("data:") => {
            let raster = [
                "data:image/png",
                "data:image/gif",
                "data:image/jpeg",
                "data:image/webp",
            ];
            (element == "img" && attribute == "src" && raster.iter().any(|r| lower.starts_with(r)))
                .then_some(value)
        }
        _ => Some(value),
    }
}

/// Moves `src` of remote images into [`REMOTE_SRC_ATTRIBUTE`]. Works on ammonia's serialised
/// output, whose attributes are always `name="value"` with `"` escaped inside values.
fn hide_remote_images(html: &str) -> (String, bool) {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut found = false;
    while let Some(start) = rest.find("<img ") {
        out.push_str(&rest[..start]);
        let tag_and_rest = &rest[start..];
        let Some(end) = tag_end(tag_and_rest) else {
            out.push_str(tag_and_rest);
            return (out, found);
        };
        let tag = &tag_and_rest[..end];
        let lower = tag.to_ascii_lowercase();
        let remote = [" src=\"http:", " src=\"https:"]
            .iter()
            .find_map(|needle| lower.find(needle));
        match remote {
            Some(at) => {
                found = true;
                out.push_str(&tag[..at]);
                out.push(' ');
                out.push_str(REMOTE_SRC_ATTRIBUTE);
                out.push_str(&tag[at + " src".len()..]);
            }
            None => out.push_str(tag),
        }
        rest = &tag_and_rest[end..];
    }
    out.push_str(rest);
    (out, found)
}

/// Index just past the `>` that closes the tag at the start of `s`, skipping quoted values.
fn tag_end(s: &str) -> Option<usize> {
    let mut in_quotes = false;
    for (i, c) in s.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            '>' if !in_quotes => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// Renders HTML as readable plain text (paragraphs, lists, tables, link targets as footnotes).
pub fn to_text(html: &str) -> String {
    if html.len() <= MAX_HTML_FOR_RENDERER && nesting_estimate(html) <= MAX_DEPTH_FOR_RENDERER {
        let rendered = catch_unwind(AssertUnwindSafe(|| {
            html2text::config::plain().string_from_read(html.as_bytes(), 100)
        }));
        if let Ok(Ok(text)) = rendered {
            return tidy(&text);
        }
    }
    tidy(&strip_tags(html))
}

/// An upper bound of the element nesting depth: counts open tags minus close tags.
fn nesting_estimate(html: &str) -> usize {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "!doctype", "!--",
    ];
    let (mut depth, mut max) = (0usize, 0usize);
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(off) = bytes
        .get(i..)
        .and_then(|b| b.iter().position(|&c| c == b'<'))
    {
        i += off + 1;
        let closing = bytes.get(i) == Some(&b'/');
        let name_start = if closing { i + 1 } else { i };
        let name: String = html
            .get(name_start..)
            .unwrap_or("")
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '!' || *c == '-')
            .take(10)
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() || VOID.contains(&name.as_str()) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else {
            depth += 1;
            max = max.max(depth);
        }
    }
    max
}

/// Last-resort HTML to text: drops tags, `<script>`/`<style>` content and decodes the common
/// entities. Linear in the input.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&decode_entities(&rest[..start]));
        let after = &rest[start..];
        let lower_head: String = after
            .chars()
            .take(8)
            .collect::<String>()
            .to_ascii_lowercase();
        let skip_to = if lower_head.starts_with("<script") {
            find_ci(after, "</script").map(|i| i + "</script".len())
        } else if lower_head.starts_with("<style") {
            find_ci(after, "</style").map(|i| i + "</style".len())
        } else {
            Some(0)
        };
        let after = &after[skip_to.unwrap_or(after.len()).min(after.len())..];
        let block = ["<p", "<br", "<div", "<tr", "<li", "</p", "</div", "<h"]
            .iter()
            .any(|b| lower_head.starts_with(b));
        match after.find('>') {
            Some(end) => {
                if block {
                    out.push('\n');
                }
                rest = &after[end + 1..];
            }
            None => {
                rest = "";
            }
        }
    }
    out.push_str(&decode_entities(rest));
    out
}

fn find_ci(haystack: &str, needle: &str) -> Option<usize> {
    haystack.to_ascii_lowercase().find(needle)
}

fn decode_entities(s: &str) -> String {
    s.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&euro;", "€")
        .replace("&amp;", "&")
}

/// Trims trailing spaces on every line and collapses runs of blank lines.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank_run += 1;
            if blank_run > 1 {
                continue;
            }
        } else {
            blank_run = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim_matches('\n').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_handlers_forms_and_frames_are_removed() {
        let (html, _) = sanitize(
            "<p onclick=\"x()\">hi</p><script>alert(1)</script><iframe src=\"https://e\"></iframe>\
             <form action=\"https://e\"><input name=\"p\"></form><a href=\"javascript:alert(1)\">x</a>",
        );
        assert_eq!(html, "<p>hi</p><a rel=\"noopener noreferrer\">x</a>");
    }

    #[test]
    fn cid_images_stay_and_remote_images_are_hidden() {
        let (html, remote) = sanitize(
            "<img src=\"cid:a@b\"><img src=\"https://t.example/p.gif\" width=\"1\"><img src=\"//x/y\">",
        );
        assert!(remote);
        assert_eq!(
            html,
            "<img src=\"cid:a@b\"><img data-vakt-remote-src=\"https://t.example/p.gif\" width=\"1\"><img>"
        );
    }

    #[test]
    fn styles_keep_only_safe_properties() {
        let (html, _) = sanitize(
            "<style>p{}</style><p style=\"color: red; position: fixed\">a</p>\
             <p style=\"background-color: url(https://x)\">b</p>",
        );
        assert_eq!(html, "<p style=\"color:red\">a</p><p>b</p>");
    }

    #[test]
    fn raster_data_images_are_kept_but_data_links_are_not() {
        let (html, _) = sanitize(
            "<img src=\"data:image/png;base64,AAAA\"><img src=\"data:image/svg+xml,<svg/>\">\
             <a href=\"data:text/html,x\">l</a>",
        );
        assert_eq!(
            html,
            "<img src=\"data:image/png;base64,AAAA\"><img><a rel=\"noopener noreferrer\">l</a>"
        );
    }

    #[test]
    fn html_renders_as_readable_text() {
        let text =
            to_text("<h1>Title</h1><p>Hello <b>you</b></p><ul><li>one</li><li>two</li></ul>");
        assert!(text.contains("Title"), "{text}");
        assert!(text.contains("Hello"), "{text}");
        assert!(text.contains("one") && text.contains("two"), "{text}");
    }

    #[test]
    fn deeply_nested_html_falls_back_to_the_stripper() {
        let html = format!("{}deep{}", "<div>".repeat(5000), "</div>".repeat(5000));
        assert!(nesting_estimate(&html) > MAX_DEPTH_FOR_RENDERER);
        assert_eq!(to_text(&html), "deep");
    }

    #[test]
    fn stripper_drops_script_content() {
        assert_eq!(strip_tags("a<script>x<y</script>b<p>c&amp;d"), "ab\nc&d");
    }
}
