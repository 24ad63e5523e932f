//! `Idempotency-Key` for every creating POST (issue 17 point 2). Ticket creation checks its key
//! inside its own transaction (`tickets::create`); every other creating request goes through
//! here, from the HTTP layer: [`Services::begin_idempotent`] reserves the key for the caller
//! (or finds the first request's response), [`Services::finish_idempotent`] stores the first
//! response, [`Services::release_idempotent`] frees the key of a request that failed. Keys are
//! kept 24 hours (housekeeping).

use sha2::{Digest, Sha256};
use vakt_persistence::repo::idempotency as repo;
use vakt_persistence::time::to_db;
use vakt_persistence::unique_violation;

use crate::Services;
use crate::error::{ServiceError, ServiceResult};

/// The longest key accepted.
pub const MAX_KEY: usize = 200;

/// A first response, to answer a retry with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    /// HTTP status.
    pub status: u16,
    /// Body (JSON).
    pub body: String,
    /// `Location` header.
    pub location: Option<String>,
}

/// What to do with a request that carries a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Begin {
    /// The key is new and now reserved: run the request, then finish or release the key.
    Run,
    /// The same request came before: answer its response again.
    Replay(StoredResponse),
}

/// The hash that tells two requests apart: method, path with query, and body.
pub fn request_hash(method: &str, path_and_query: &str, body: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(method.as_bytes());
    hasher.update(b" ");
    hasher.update(path_and_query.as_bytes());
    hasher.update(b"\n");
    hasher.update(body);
    hex::encode(hasher.finalize())
}

fn reused() -> ServiceError {
    ServiceError::invalid(
        "idempotency_key",
        "idempotency_key_reused",
        "was already used for a different request",
    )
}

fn check_key(key: &str) -> ServiceResult<()> {
    if key.is_empty() || key.chars().count() > MAX_KEY || key.chars().any(char::is_control) {
        return Err(ServiceError::invalid(
            "idempotency_key",
            "invalid_length",
            format!("must be 1 to {MAX_KEY} printable characters"),
        ));
    }
    Ok(())
}

impl Services {
    /// Reserves `key` of `user_id` for a request on `scope` (`METHOD /path`) with `hash`, or
    /// finds the response of the same request before. The same key with another request is
    /// 422 `idempotency_key_reused`; with the same request still running (or cut off before
    /// its answer was stored), 409 `idempotency_key_in_use`.
    pub fn begin_idempotent(
        &self,
        user_id: i64,
        key: &str,
        scope: &str,
        hash: &str,
    ) -> ServiceResult<Begin> {
        let key = key.trim();
        check_key(key)?;
        let now = self.now();
        let mut conn = self.conn()?;
        for _ in 0..2 {
            if let Some(seen) = repo::find_response(&mut conn, user_id, key)? {
                if seen.scope.as_deref() != Some(scope) || seen.request_hash != hash {
                    return Err(reused());
                }
                return match (seen.response_status, seen.response_body) {
                    (Some(status), Some(body)) => Ok(Begin::Replay(StoredResponse {
                        status: u16::try_from(status).unwrap_or(200),
                        body,
                        location: seen.response_location,
                    })),
                    _ => Err(ServiceError::Conflict {
                        code: "idempotency_key_in_use",
                        detail: "a request with this Idempotency-Key has not finished; retry \
                                 later"
                            .into(),
                    }),
                };
            }
            match repo::reserve(&mut conn, user_id, key, scope, hash, to_db(now)) {
                Ok(()) => return Ok(Begin::Run),
                // Another request with this key came in between: look again.
                Err(error) if unique_violation(&error).is_some() => {}
                Err(error) => return Err(error.into()),
            }
        }
        Err(ServiceError::Conflict {
            code: "idempotency_key_in_use",
            detail: "a request with this Idempotency-Key has not finished; retry later".into(),
        })
    }

    /// Stores the first response of a reserved key.
    pub fn finish_idempotent(
        &self,
        user_id: i64,
        key: &str,
        response: &StoredResponse,
    ) -> ServiceResult<()> {
        let mut conn = self.conn()?;
        repo::store_response(
            &mut conn,
            user_id,
            key.trim(),
            i32::from(response.status),
            &response.body,
            response.location.as_deref(),
        )?;
        Ok(())
    }

    /// Frees a reserved key whose request failed, so that a corrected retry may use it.
    pub fn release_idempotent(&self, user_id: i64, key: &str) -> ServiceResult<()> {
        let mut conn = self.conn()?;
        repo::release(&mut conn, user_id, key.trim())?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_covers_method_path_and_body() {
        let base = request_hash("POST", "/api/v1/customers", b"{}");
        assert_eq!(base, request_hash("POST", "/api/v1/customers", b"{}"));
        assert_ne!(base, request_hash("POST", "/api/v1/companies", b"{}"));
        assert_ne!(base, request_hash("POST", "/api/v1/customers", b"{ }"));
    }
}
