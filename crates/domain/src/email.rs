//! Email addresses as identities: validated and normalised (trimmed, lower-cased) so that
//! uniqueness is case-insensitive everywhere.

use serde::{Deserialize, Serialize};

use crate::validation::ValidationError;

/// A syntactically valid, normalised email address (`local@domain`, lower case).
///
/// Dotless domains such as `localhost` are accepted (the default administrator is
/// `admin@localhost`); quoted local parts and IP-literal domains are not.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(String);

/// Longest address SMTP can carry (RFC 5321 path limit minus the angle brackets).
pub const MAX_EMAIL_LENGTH: usize = 254;

impl EmailAddress {
    /// Validates and normalises `raw`.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let normalised = raw.trim().to_lowercase();
        let invalid = || ValidationError::new("invalid_email", "must be a valid email address");
        if normalised.is_empty() {
            return Err(ValidationError::new("required", "must not be empty"));
        }
        if normalised.chars().count() > MAX_EMAIL_LENGTH {
            return Err(ValidationError::new(
                "too_long",
                format!("must be at most {MAX_EMAIL_LENGTH} characters"),
            ));
        }
        let (local, domain) = normalised.rsplit_once('@').ok_or_else(invalid)?;
        if !valid_local_part(local) || !valid_domain(domain) {
            return Err(invalid());
        }
        Ok(Self(normalised))
    }

    /// The address as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part after the `@`.
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, domain)| domain)
    }
}

fn valid_local_part(local: &str) -> bool {
    const FORBIDDEN: &[char] = &['(', ')', '<', '>', ',', ';', ':', '\\', '"', '[', ']', '@'];
    !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| !c.is_whitespace() && !c.is_control() && !FORBIDDEN.contains(&c))
}

fn valid_domain(domain: &str) -> bool {
    !domain.is_empty()
        && domain.len() <= 253
        && domain.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

impl std::fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for EmailAddress {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<EmailAddress> for String {
    fn from(value: EmailAddress) -> Self {
        value.0
    }
}

impl std::fmt::Display for ValidationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_and_whitespace() {
        let email = EmailAddress::parse("  Ola.Nordmann@UiO.no ").unwrap();
        assert_eq!(email.as_str(), "ola.nordmann@uio.no");
        assert_eq!(email.domain(), "uio.no");
    }

    #[test]
    fn accepts_real_world_forms() {
        for ok in [
            "admin@localhost",
            "a+tag@example.com",
            "jørgen@eksempel.no",
            "x@a-b.c",
        ] {
            assert!(EmailAddress::parse(ok).is_ok(), "{ok} should be valid");
        }
    }

    #[test]
    fn rejects_broken_addresses() {
        for bad in [
            "plain",
            "@example.com",
            "a@",
            "a b@example.com",
            "a@exa mple.com",
            "a@-example.com",
            "a@example..com",
            ".a@example.com",
            "a..b@example.com",
            "a@b@c",
            "<a@example.com>",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad} should be invalid");
        }
        assert_eq!(EmailAddress::parse("").unwrap_err().code, "required");
        let long = format!("{}@example.com", "a".repeat(250));
        assert_eq!(EmailAddress::parse(&long).unwrap_err().code, "too_long");
    }

    #[test]
    fn deserialises_through_validation() {
        let ok: EmailAddress = serde_json::from_str("\"A@B.no\"").unwrap();
        assert_eq!(ok.as_str(), "a@b.no");
        assert!(serde_json::from_str::<EmailAddress>("\"nope\"").is_err());
    }
}
