//! `ValidQuery<T>`: query parameters with per-parameter errors (422) instead of one opaque 400.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use serde::de::DeserializeOwned;
use validator::Validate;

use crate::error::ApiError;
use crate::extract::json::shape_error;

/// Deserialised and validated query parameters.
#[derive(Debug)]
pub struct ValidQuery<T>(pub T);

impl<T> ValidQuery<T> {
    /// The inner value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T: DeserializeOwned + Validate> FromRequest for ValidQuery<T> {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(parse(req.query_string()))
    }
}

/// Query parameters whose names start with `cf.` (custom field filters, `cf.<key>[.<op>]`)
/// as name/value pairs, and the other parameters deserialised and validated.
#[derive(Debug)]
pub struct WithFieldFilters<T>(pub T, pub Vec<(String, String)>);

impl<T: DeserializeOwned + Validate> FromRequest for WithFieldFilters<T> {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(parse_with_fields(req.query_string()))
    }
}

/// Splits the `cf.` parameters off `query` and parses the rest.
pub fn parse_with_fields<T: DeserializeOwned + Validate>(
    query: &str,
) -> Result<WithFieldFilters<T>, ApiError> {
    let (custom, rest): (Vec<_>, Vec<_>) = form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .partition(|(k, _)| k.starts_with("cf."));
    let rest = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(rest)
        .finish();
    let ValidQuery(value) = parse(&rest)?;
    Ok(WithFieldFilters(value, custom))
}

fn parse<T: DeserializeOwned + Validate>(query: &str) -> Result<ValidQuery<T>, ApiError> {
    let deserializer =
        serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    let value: T = serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let path = error.path().to_string();
        ApiError::validation(shape_error(&path, &error.into_inner().to_string()))
    })?;
    value
        .validate()
        .map_err(|e| ApiError::validation(super::from_validator(&e)))?;
    Ok(ValidQuery(value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, Validate)]
    #[allow(dead_code)]
    struct Params {
        #[validate(range(min = 1, max = 200))]
        limit: Option<i64>,
        active: Option<bool>,
    }

    #[test]
    fn wrong_types_and_ranges_name_the_parameter() {
        assert!(parse::<Params>("limit=5&active=true").is_ok());
        let wrong = parse::<Params>("limit=abc").unwrap_err();
        let fields = wrong.problem().errors.unwrap();
        assert!(fields.contains_key("limit"), "{fields:?}");
        let range = parse::<Params>("limit=500").unwrap_err();
        assert_eq!(
            range.problem().error_codes.unwrap()["limit"],
            vec!["out_of_range"]
        );
    }
}
