#![doc = include_str!("../README.md")]

pub mod connection;
pub mod error;
pub mod migrations;
pub mod pool;
pub mod repo;
pub mod schema;
pub mod time;

pub use connection::{Backend, DatabaseUrl, DbConnection};
pub use error::{PersistenceError, unique_violation};
pub use pool::{DbPool, PoolSettings, PoolStatus};
