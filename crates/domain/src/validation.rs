//! Field-level validation errors, shared by every layer and rendered by the HTTP edge as the
//! `errors` member of a problem+json response.

use std::collections::BTreeMap;

/// One rule a value broke, with a stable code and an English message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// Stable machine-readable code, e.g. `invalid_email`, `too_short`, `taken`.
    pub code: &'static str,
    /// Human-readable English message; the SPA may translate by `code`.
    pub message: String,
}

impl ValidationError {
    /// A new error with `code` and `message`.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

/// Validation errors keyed by field name (`email`, `password`, `items[2].name`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(BTreeMap<String, Vec<ValidationError>>);

impl FieldErrors {
    /// No errors yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// A single error on one field.
    pub fn single(field: impl Into<String>, error: ValidationError) -> Self {
        let mut errors = Self::new();
        errors.add(field, error);
        errors
    }

    /// Records `error` against `field`.
    pub fn add(&mut self, field: impl Into<String>, error: ValidationError) {
        self.0.entry(field.into()).or_default().push(error);
    }

    /// Records the error of `result`, if any, against `field`, and returns its value.
    pub fn check<T>(&mut self, field: &str, result: Result<T, ValidationError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.add(field, error);
                None
            }
        }
    }

    /// Merges another set of errors into this one.
    pub fn merge(&mut self, other: FieldErrors) {
        for (field, errors) in other.0 {
            self.0.entry(field).or_default().extend(errors);
        }
    }

    /// True when no field has an error.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when empty, else `Err(self)`.
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }

    /// The errors, field by field, in field-name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[ValidationError])> {
        self.0
            .iter()
            .map(|(field, errors)| (field.as_str(), errors.as_slice()))
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut first = true;
        for (field, errors) in self.iter() {
            for error in errors {
                if !first {
                    f.write_str("; ")?;
                }
                first = false;
                write!(f, "{field}: {}", error.message)?;
            }
        }
        Ok(())
    }
}

/// Checks that a trimmed text is between `min` and `max` characters long.
pub fn text_length(value: &str, min: usize, max: usize) -> Result<(), ValidationError> {
    let len = value.trim().chars().count();
    if len < min {
        if min == 1 {
            return Err(ValidationError::new("required", "must not be empty"));
        }
        return Err(ValidationError::new(
            "too_short",
            format!("must be at least {min} characters"),
        ));
    }
    if len > max {
        return Err(ValidationError::new(
            "too_long",
            format!("must be at most {max} characters"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_errors_per_field_in_order() {
        let mut errors = FieldErrors::new();
        assert!(errors.is_empty());
        errors.add("password", ValidationError::new("too_short", "short"));
        errors.add("email", ValidationError::new("invalid_email", "bad"));
        errors.add("password", ValidationError::new("weak", "weak"));
        let fields: Vec<_> = errors.iter().map(|(f, e)| (f, e.len())).collect();
        assert_eq!(fields, vec![("email", 1), ("password", 2)]);
        assert_eq!(
            errors.to_string(),
            "email: bad; password: short; password: weak"
        );
        assert!(errors.into_result().is_err());
    }

    #[test]
    fn text_length_counts_characters_not_bytes() {
        assert!(text_length("ææ", 2, 2).is_ok());
        assert_eq!(text_length("  ", 1, 10).unwrap_err().code, "required");
        assert_eq!(text_length("a", 2, 10).unwrap_err().code, "too_short");
        assert_eq!(text_length("abc", 1, 2).unwrap_err().code, "too_long");
    }
}
