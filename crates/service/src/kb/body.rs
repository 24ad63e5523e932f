//! Article bodies (sanitised HTML and its text, or text made into paragraphs) and the checks of
//! an article's fields.

use vakt_domain::FieldErrors;
use vakt_domain::locale::check_language;
use vakt_domain::validation::text_length;

use super::articles::{KbArticleInput, MAX_BODY, MAX_TITLE};
use crate::error::ServiceResult;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The sanitised HTML and plain text of a body given as HTML or as text.
pub(crate) fn bodies(html: Option<&str>, text: Option<&str>) -> Option<(String, String)> {
    if let Some(html) = html {
        let (safe, _) = vakt_mail::html::sanitize(html);
        let text = vakt_mail::html::to_text(&safe);
        return Some((safe, text));
    }
    let text = text?;
    let html = text
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| format!("<p>{}</p>", escape(p.trim()).replace('\n', "<br>")))
        .collect::<String>();
    Some((html, text.to_owned()))
}

pub(crate) fn validate(input: &KbArticleInput) -> ServiceResult<()> {
    let mut errors = FieldErrors::new();
    if let Some(title) = &input.title {
        errors.check("title", text_length(title.trim(), 1, MAX_TITLE));
    }
    if let Some(html) = &input.body_html {
        errors.check("body_html", text_length(html, 0, MAX_BODY));
    }
    if let Some(text) = &input.body_text {
        errors.check("body_text", text_length(text, 0, MAX_BODY));
    }
    if let Some(keywords) = &input.keywords {
        if keywords.len() > 50 {
            errors.add(
                "keywords",
                vakt_domain::ValidationError::new("too_many", "at most 50 keywords"),
            );
        }
        for (i, keyword) in keywords.iter().enumerate() {
            errors.check(&format!("keywords[{i}]"), text_length(keyword, 0, 100));
        }
    }
    if let Some(language) = &input.language {
        errors.check("language", check_language(language));
    }
    Ok(errors.into_result()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_bodies_are_sanitised_and_text_bodies_become_paragraphs() {
        let (html, text) = bodies(Some("<p>Hi<script>alert(1)</script></p>"), None).unwrap();
        assert!(!html.contains("script"), "{html}");
        assert!(text.contains("Hi"));
        let (html, text) = bodies(None, Some("Line <1>\nline 2\n\nNext")).unwrap();
        assert_eq!(html, "<p>Line &lt;1&gt;<br>line 2</p><p>Next</p>");
        assert_eq!(text, "Line <1>\nline 2\n\nNext");
        assert_eq!(bodies(None, None), None);
    }
}
