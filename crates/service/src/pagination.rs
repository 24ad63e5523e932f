//! Cursor pagination: `limit` (1–200, default 25) and an opaque `cursor` naming the last row seen.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Serialize, de::DeserializeOwned};

use crate::error::ServiceError;

/// Default page size.
pub const DEFAULT_LIMIT: i64 = 25;
/// Largest page size a client may ask for.
pub const MAX_LIMIT: i64 = 200;

/// One page of a list, and the cursor for the next one (`None` on the last page).
#[derive(Debug, Clone)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page.
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// Transforms the items, keeping the cursor.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next_cursor: self.next_cursor,
        }
    }
}

/// A validated page request.
#[derive(Debug, Clone)]
pub struct PageRequest<K> {
    /// How many items to return.
    pub limit: i64,
    /// The decoded position after which to continue.
    pub after: Option<K>,
}

impl<K: Serialize + DeserializeOwned> PageRequest<K> {
    /// Validates a raw limit and cursor.
    pub fn parse(limit: Option<i64>, cursor: Option<&str>) -> Result<Self, ServiceError> {
        let limit = limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ServiceError::invalid(
                "limit",
                "out_of_range",
                format!("must be between 1 and {MAX_LIMIT}"),
            ));
        }
        let after = match cursor.filter(|c| !c.is_empty()) {
            None => None,
            Some(cursor) => Some(decode_cursor(cursor).ok_or_else(|| {
                ServiceError::invalid(
                    "cursor",
                    "invalid_cursor",
                    "is not a cursor this list issued",
                )
            })?),
        };
        Ok(Self { limit, after })
    }

    /// Builds a page from up to `limit + 1` fetched rows: the extra row only signals that
    /// another page exists; `key` gives the cursor position of a row.
    pub fn page<T>(&self, mut rows: Vec<T>, key: impl Fn(&T) -> K) -> Page<T> {
        let more = rows.len() as i64 > self.limit;
        rows.truncate(usize::try_from(self.limit).unwrap_or(usize::MAX));
        let next_cursor = if more {
            rows.last().map(|last| encode_cursor(&key(last)))
        } else {
            None
        };
        Page {
            items: rows,
            next_cursor,
        }
    }

    /// The cursor text of a position.
    pub fn cursor(key: &K) -> String {
        encode_cursor(key)
    }

    /// The number of rows to fetch: one more than the limit.
    pub fn fetch_limit(&self) -> i64 {
        self.limit + 1
    }
}

fn encode_cursor<K: Serialize>(key: &K) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(key).unwrap_or_default())
}

fn decode_cursor<K: DeserializeOwned>(cursor: &str) -> Option<K> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    serde_json::from_slice(&bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_limit_and_cursor() {
        assert_eq!(
            PageRequest::<i64>::parse(None, None).unwrap().limit,
            DEFAULT_LIMIT
        );
        assert!(PageRequest::<i64>::parse(Some(0), None).is_err());
        assert!(PageRequest::<i64>::parse(Some(201), None).is_err());
        assert!(PageRequest::<i64>::parse(Some(10), Some("!!not-base64")).is_err());
        assert!(PageRequest::<i64>::parse(Some(10), Some(&encode_cursor(&"text"))).is_err());
    }

    #[test]
    fn pages_with_a_cursor_only_when_more_rows_exist() {
        let request = PageRequest::<i64>::parse(Some(2), None).unwrap();
        let page = request.page(vec![1, 2, 3], |row| *row);
        assert_eq!(page.items, vec![1, 2]);
        let cursor = page.next_cursor.unwrap();
        let next = PageRequest::<i64>::parse(Some(2), Some(&cursor)).unwrap();
        assert_eq!(next.after, Some(2));
        let last = next.page(vec![3], |row| *row);
        assert_eq!(last.next_cursor, None);
    }
}
