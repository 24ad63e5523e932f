//! Readiness: can we reach the database, and is its schema current?

use diesel::connection::SimpleConnection;
use vakt_persistence::migrations;

use crate::Services;

/// The outcome of a readiness check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Readiness {
    /// A connection could be borrowed and answered a query.
    pub database: bool,
    /// Every embedded migration is applied.
    pub migrations: bool,
}

impl Readiness {
    /// Ready to serve traffic.
    pub fn is_ready(&self) -> bool {
        self.database && self.migrations
    }
}

impl Services {
    /// Checks the database and the migrations; never fails, reports instead.
    pub fn readiness(&self) -> Readiness {
        let Ok(mut conn) = self.conn() else {
            return Readiness {
                database: false,
                migrations: false,
            };
        };
        if conn.batch_execute("SELECT 1").is_err() {
            return Readiness {
                database: false,
                migrations: false,
            };
        }
        let migrations = migrations::is_up_to_date(&mut conn).unwrap_or(false);
        Readiness {
            database: true,
            migrations,
        }
    }
}
