#![doc = include_str!("../README.md")]

pub mod bulk;
pub mod connection;
pub mod error;
pub mod migrations;
pub mod pool;
pub mod repo;
pub mod schema;
pub mod search;
pub mod time;
mod writer_queue;

pub use connection::{Backend, DatabaseUrl, DbConnection};
/// A failed query (diesel's error), for callers that do not depend on diesel themselves.
pub use diesel::result::Error as QueryError;
pub use error::{PersistenceError, unique_violation};
pub use pool::{DbPool, PoolSettings, PoolStatus};
