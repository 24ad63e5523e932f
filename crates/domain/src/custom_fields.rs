//! Custom field vocabulary (SPEC §2): what a field belongs to, its type, how customers see
//! it, and the rules for keys and decimal numbers.

use crate::validation::ValidationError;
use crate::wire_enum;

wire_enum! {
    /// What a custom field belongs to.
    ObjectType {
        /// Tickets.
        Ticket = "ticket",
        /// Articles.
        Article = "article",
        /// Customer users.
        Customer = "customer",
        /// Customer companies.
        Company = "company",
    }
}

wire_enum! {
    /// The type of a custom field.
    FieldType {
        /// One line of text.
        Text = "text",
        /// Several lines of text.
        Textarea = "textarea",
        /// A whole number.
        Integer = "integer",
        /// A decimal number (kept exactly as text, compared as a number).
        Decimal = "decimal",
        /// A calendar date (`YYYY-MM-DD`).
        Date = "date",
        /// A moment (RFC 3339).
        Datetime = "datetime",
        /// Yes or no.
        Checkbox = "checkbox",
        /// One option of a list.
        Dropdown = "dropdown",
        /// Any options of a list.
        Multiselect = "multiselect",
        /// A web address (`http`/`https`).
        Url = "url",
        /// An email address.
        Email = "email",
    }
}

impl FieldType {
    /// Whether values are text (length, pattern apply).
    pub fn is_text(self) -> bool {
        matches!(
            self,
            FieldType::Text | FieldType::Textarea | FieldType::Url | FieldType::Email
        )
    }

    /// Whether values are numbers or dates (minimum and maximum apply).
    pub fn is_ordered(self) -> bool {
        matches!(
            self,
            FieldType::Integer | FieldType::Decimal | FieldType::Date | FieldType::Datetime
        )
    }

    /// Whether the field has a list of options.
    pub fn has_options(self) -> bool {
        matches!(self, FieldType::Dropdown | FieldType::Multiselect)
    }

    /// Whether stored values of `self` are valid values of `to` as they are, so that the type
    /// may change while values exist (only text to textarea).
    pub fn converts_to(self, to: FieldType) -> bool {
        self == to || (self == FieldType::Text && to == FieldType::Textarea)
    }
}

wire_enum! {
    /// What customers see of a field (in the portal and the API).
    CustomerVisibility {
        /// Nothing.
        Hidden = "hidden",
        /// The value, not changeable.
        ReadOnly = "read_only",
        /// The value, and they may set it.
        Editable = "editable",
    }
}

/// Longest key.
pub const MAX_KEY_LENGTH: usize = 50;

/// Checks a field key: a lower-case letter, then lower-case letters, digits or `_`, at most
/// [`MAX_KEY_LENGTH`] characters (keys appear in query parameters as `cf.<key>` and in mail
/// headers as `X-Vakt-Field-<key>`).
pub fn check_key(key: &str) -> Result<(), ValidationError> {
    let mut chars = key.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase());
    let rest_ok = chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !first_ok || !rest_ok || key.len() > MAX_KEY_LENGTH {
        return Err(ValidationError::new(
            "invalid_key",
            format!(
                "must start with a-z and have only a-z, 0-9 and _, at most {MAX_KEY_LENGTH} characters"
            ),
        ));
    }
    Ok(())
}

/// A decimal number in canonical text (`-12.5`, `3`, no exponent, no `+`, no trailing zeros
/// after the point) with its value as a float for comparisons; `None` when `text` is not a
/// plain decimal of at most 30 digits.
pub fn parse_decimal(text: &str) -> Option<(String, f64)> {
    let text = text.trim();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !all_digits(whole) || !all_digits(fraction) {
        return None;
    }
    if digits.contains('.') && fraction.is_empty() {
        return None;
    }
    if whole.len() + fraction.len() > 30 {
        return None;
    }
    let whole = whole.trim_start_matches('0');
    let whole = if whole.is_empty() { "0" } else { whole };
    let fraction = fraction.trim_end_matches('0');
    let mut canonical = String::new();
    if negative && (whole != "0" || !fraction.is_empty()) {
        canonical.push('-');
    }
    canonical.push_str(whole);
    if !fraction.is_empty() {
        canonical.push('.');
        canonical.push_str(fraction);
    }
    let value = canonical.parse::<f64>().ok()?;
    Some((canonical, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_lower_case_identifiers() {
        assert!(check_key("product").is_ok());
        assert!(check_key("asset_tag2").is_ok());
        for bad in ["", "Product", "2nd", "_x", "a-b", "a.b", &"x".repeat(51)] {
            assert!(check_key(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn decimals_are_canonical() {
        assert_eq!(parse_decimal("012.500"), Some(("12.5".into(), 12.5)));
        assert_eq!(parse_decimal("-0.0"), Some(("0".into(), 0.0)));
        assert_eq!(parse_decimal("-3"), Some(("-3".into(), -3.0)));
        for bad in ["", "1e5", "1.", ".5", "+1", "1,5", "abc", "1.2.3"] {
            assert_eq!(parse_decimal(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn only_text_becomes_textarea() {
        assert!(FieldType::Text.converts_to(FieldType::Textarea));
        assert!(!FieldType::Textarea.converts_to(FieldType::Text));
        assert!(!FieldType::Dropdown.converts_to(FieldType::Multiselect));
        assert!(FieldType::Date.converts_to(FieldType::Date));
    }
}
