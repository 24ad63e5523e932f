//! The embedded migrations of both backends, applied under a lock so that several processes
//! starting at once do not race.

use diesel::connection::SimpleConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::connection::DbConnection;
use crate::error::PersistenceError;

/// Migrations for SQLite (`migrations/sqlite`).
pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
/// Migrations for PostgreSQL (`migrations/postgres`).
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

/// Arbitrary constant identifying Vakt's migration lock among PostgreSQL advisory locks.
const MIGRATION_LOCK_KEY: i64 = 0x0076_616b_746d_6967; // "vaktmig"

/// Applies every pending migration and returns the names of those applied.
///
/// All migrations run in one transaction holding a lock (PostgreSQL: a transaction-level
/// advisory lock; SQLite: `BEGIN IMMEDIATE`), so a second process waits and then finds
/// nothing to do.
pub fn run_pending(conn: &mut DbConnection) -> Result<Vec<String>, PersistenceError> {
    conn.write_transaction(|conn| match conn {
        DbConnection::Postgresql(pg) => {
            pg.batch_execute(&format!(
                "SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})"
            ))?;
            apply(pg, POSTGRES_MIGRATIONS)
        }
        DbConnection::Sqlite(sqlite) => apply(sqlite, SQLITE_MIGRATIONS),
    })
}

fn apply<C>(conn: &mut C, migrations: EmbeddedMigrations) -> Result<Vec<String>, PersistenceError>
where
    C: MigrationHarness<C::Backend> + diesel::Connection,
{
    let applied = conn
        .run_pending_migrations(migrations)
        .map_err(|e| PersistenceError::Migration(e.to_string()))?;
    Ok(applied.iter().map(ToString::to_string).collect())
}

/// Reverts every applied migration, newest first, running each one's `down.sql`; returns the
/// names reverted. For tests that prove each `down.sql` undoes its `up.sql`, and for an
/// operator going back to an empty database; it deletes all data.
pub fn revert_all(conn: &mut DbConnection) -> Result<Vec<String>, PersistenceError> {
    let reverted = match conn {
        DbConnection::Postgresql(pg) => pg.revert_all_migrations(POSTGRES_MIGRATIONS),
        DbConnection::Sqlite(sqlite) => sqlite.revert_all_migrations(SQLITE_MIGRATIONS),
    }
    .map_err(|e| PersistenceError::Migration(e.to_string()))?;
    Ok(reverted.iter().map(ToString::to_string).collect())
}

/// True when every embedded migration has been applied (used by `/readyz`).
pub fn is_up_to_date(conn: &mut DbConnection) -> Result<bool, PersistenceError> {
    let pending = match conn {
        DbConnection::Postgresql(pg) => pg.has_pending_migration(POSTGRES_MIGRATIONS),
        DbConnection::Sqlite(sqlite) => sqlite.has_pending_migration(SQLITE_MIGRATIONS),
    }
    .map_err(|e| PersistenceError::Migration(e.to_string()))?;
    Ok(!pending)
}
