//! Per-user language and time zone preferences.

use crate::calendar::parse_time_zone;
use crate::validation::ValidationError;

/// Languages the interface is translated into (BCP 47 tags).
pub const SUPPORTED_LANGUAGES: &[&str] = &["en", "nl", "nb", "de"];

/// Checks a language tag against [`SUPPORTED_LANGUAGES`].
pub fn check_language(tag: &str) -> Result<String, ValidationError> {
    let tag = tag.trim().to_ascii_lowercase();
    if SUPPORTED_LANGUAGES.contains(&tag.as_str()) {
        Ok(tag)
    } else {
        Err(ValidationError::new(
            "unsupported_language",
            format!("must be one of {}", SUPPORTED_LANGUAGES.join(", ")),
        ))
    }
}

/// Checks an IANA time-zone name such as `Europe/Oslo`.
pub fn check_time_zone(name: &str) -> Result<String, ValidationError> {
    let name = name.trim();
    parse_time_zone(name).map(|_| name.to_owned()).map_err(|_| {
        ValidationError::new(
            "unknown_time_zone",
            "must be an IANA time zone such as Europe/Oslo",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_and_time_zones_are_checked() {
        assert_eq!(check_language(" NB ").unwrap(), "nb");
        assert_eq!(
            check_language("sv").unwrap_err().code,
            "unsupported_language"
        );
        assert_eq!(check_time_zone("Europe/Oslo").unwrap(), "Europe/Oslo");
        assert_eq!(
            check_time_zone("Mars/Olympus").unwrap_err().code,
            "unknown_time_zone"
        );
    }
}
