//! One connection type over both backends, chosen by the `DATABASE_URL` scheme.

use std::path::{Path, PathBuf};

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::{PgConnection, SqliteConnection};

use crate::error::PersistenceError;
use crate::writer_queue::{QueueOfConnection, WriterQueue};

pub use multi::DbConnection;

/// How long a SQLite writer waits for the file's lock: SQLite's `busy_timeout`, and the most it
/// waits in this process's writer queue before going to that lock itself.
const SQLITE_BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(15);

mod multi {
    //! The derive generates public helper types; this private module keeps them out of the
    //! crate's API.
    use diesel::{PgConnection, SqliteConnection};

    /// A connection to either supported database. Queries written with the diesel DSL run on
    /// both; the rare backend-specific statement matches on the variant.
    #[derive(diesel::MultiConnection)]
    pub enum DbConnection {
        /// PostgreSQL, for production and scale-out.
        Postgresql(PgConnection),
        /// SQLite, the embedded zero-configuration default.
        Sqlite(SqliteConnection),
    }
}

/// Which database a URL or connection talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// PostgreSQL.
    Postgres,
    /// SQLite.
    Sqlite,
}

impl Backend {
    /// `postgres` or `sqlite`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Postgres => "postgres",
            Self::Sqlite => "sqlite",
        }
    }
}

/// A parsed `DATABASE_URL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// `postgres://…` or `postgresql://…`, passed to libpq as is.
    Postgres(String),
    /// `sqlite://<path>` (relative paths are relative to the working directory).
    Sqlite(PathBuf),
}

/// The URL used when `DATABASE_URL` is not set.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://./data/vakt.db";

impl DatabaseUrl {
    /// Parses a URL: `sqlite://path`, `sqlite:path`, `postgres://…`, `postgresql://…`.
    pub fn parse(url: &str) -> Result<Self, PersistenceError> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgres(url.to_owned()));
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .ok_or_else(|| {
                PersistenceError::InvalidUrl(format!(
                    "{:?}: expected sqlite://<path> or postgres://…",
                    redact(url)
                ))
            })?;
        if path.is_empty() || path.contains('?') || path == ":memory:" {
            return Err(PersistenceError::InvalidUrl(format!(
                "{path:?}: a SQLite database needs a file path (in-memory databases cannot be shared by a pool)"
            )));
        }
        Ok(Self::Sqlite(PathBuf::from(path)))
    }

    /// The backend this URL addresses.
    pub fn backend(&self) -> Backend {
        match self {
            Self::Postgres(_) => Backend::Postgres,
            Self::Sqlite(_) => Backend::Sqlite,
        }
    }

    /// The URL with any password replaced by `***`, for logs.
    pub fn redacted(&self) -> String {
        match self {
            Self::Postgres(url) => redact(url),
            Self::Sqlite(path) => format!("sqlite://{}", path.display()),
        }
    }

    /// Opens one connection, creating the SQLite file's folder when needed and tuning SQLite.
    pub fn connect(&self) -> Result<DbConnection, PersistenceError> {
        match self {
            Self::Postgres(url) => Ok(DbConnection::Postgresql(PgConnection::establish(url)?)),
            Self::Sqlite(path) => {
                ensure_parent_dir(path)?;
                let path_text = path.to_str().ok_or_else(|| {
                    PersistenceError::InvalidUrl(format!("{path:?} is not valid UTF-8"))
                })?;
                let mut conn = SqliteConnection::establish(path_text)?;
                // WAL lets readers proceed while one writer commits; busy_timeout makes writers
                // queue instead of failing; foreign keys are off by default in SQLite.
                conn.batch_execute(&format!(
                    "PRAGMA busy_timeout = {};
                     PRAGMA journal_mode = WAL;
                     PRAGMA synchronous = NORMAL;
                     PRAGMA foreign_keys = ON;",
                    SQLITE_BUSY_TIMEOUT.as_millis()
                ))?;
                // Writers of this process queue for the file in order (writer_queue.rs).
                conn.set_instrumentation(QueueOfConnection(WriterQueue::for_file(path)));
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }
}

fn ensure_parent_dir(path: &Path) -> std::io::Result<()> {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => std::fs::create_dir_all(parent),
        _ => Ok(()),
    }
}

/// Replaces the password of a `scheme://user:password@host` URL with `***`.
fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((userinfo, host)) = rest.split_once('@') else {
        return url.to_owned();
    };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

impl DbConnection {
    /// The backend of this connection.
    pub fn backend(&self) -> Backend {
        match self {
            Self::Postgresql(_) => Backend::Postgres,
            Self::Sqlite(_) => Backend::Sqlite,
        }
    }

    /// Inside a transaction: lets its commit return without waiting for the write-ahead log to
    /// reach the disk (PostgreSQL `synchronous_commit = off`; nothing on SQLite). Only for
    /// writes that are always followed by a synchronous commit before anyone is told they
    /// happened: that later flush covers this transaction too, because the log is written in
    /// order. A crash in between loses this transaction, never a later one.
    pub fn defer_flush(&mut self) -> diesel::QueryResult<()> {
        match self {
            Self::Postgresql(pg) => pg.batch_execute("SET LOCAL synchronous_commit = off"),
            Self::Sqlite(_) => Ok(()),
        }
    }

    /// Runs `work` with its statements limited to `limit` each (PostgreSQL: a transaction
    /// with `SET LOCAL statement_timeout`; a statement over the limit fails with a database
    /// error that [`is_statement_timeout`] recognises). SQLite, and `None`, run it as it is.
    pub fn with_statement_timeout<T, F>(
        &mut self,
        limit: Option<std::time::Duration>,
        work: F,
    ) -> diesel::QueryResult<T>
    where
        F: FnOnce(&mut DbConnection) -> diesel::QueryResult<T>,
    {
        match (limit, &*self) {
            (Some(limit), Self::Postgresql(_)) => self.transaction(|conn| {
                conn.batch_execute(&format!(
                    "SET LOCAL statement_timeout = {}",
                    limit.as_millis().max(1)
                ))?;
                work(conn)
            }),
            _ => work(self),
        }
    }

    /// Runs `work` in a transaction meant to write. On SQLite it starts with
    /// `BEGIN IMMEDIATE`, taking the write lock up front: a deferred transaction that reads
    /// first and writes later can fail with `SQLITE_BUSY` when another connection committed
    /// in between, which `busy_timeout` cannot cure. Before that, it waits for its turn in the
    /// process's queue of writers to the file, so writers are served in arrival order instead
    /// of polling the lock. On PostgreSQL it is a plain transaction. Nested calls become
    /// savepoints.
    pub fn write_transaction<T, E, F>(&mut self, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E>,
        E: From<diesel::result::Error>,
    {
        let sqlite = match self {
            Self::Sqlite(conn) => conn,
            Self::Postgresql(_) => return self.transaction(work),
        };
        let nested = AnsiTransactionManager::transaction_manager_status_mut(sqlite)
            .transaction_depth()?
            .is_some();
        if nested {
            return self.transaction(work);
        }
        let queue = sqlite
            .instrumentation()
            .downcast_ref::<QueueOfConnection>()
            .map(|carrier| carrier.0.clone());
        // Held until this function returns: after the commit or the rollback.
        let _turn = queue.and_then(|queue| queue.enter(SQLITE_BUSY_TIMEOUT));
        AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")?;
        match work(self) {
            Ok(value) => {
                if let Err(commit_error) =
                    <Self as Connection>::TransactionManager::commit_transaction(self)
                {
                    let _ = <Self as Connection>::TransactionManager::rollback_transaction(self);
                    return Err(commit_error.into());
                }
                Ok(value)
            }
            Err(error) => {
                <Self as Connection>::TransactionManager::rollback_transaction(self)?;
                Err(error)
            }
        }
    }
}

/// Whether `error` is PostgreSQL cancelling a statement that ran past `statement_timeout`.
pub fn is_statement_timeout(error: &diesel::result::Error) -> bool {
    matches!(error, diesel::result::Error::DatabaseError(_, info)
        if info.message().contains("statement timeout"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_supported_urls() {
        assert_eq!(
            DatabaseUrl::parse(DEFAULT_DATABASE_URL).unwrap(),
            DatabaseUrl::Sqlite(PathBuf::from("./data/vakt.db"))
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:///var/lib/vakt/vakt.db").unwrap(),
            DatabaseUrl::Sqlite(PathBuf::from("/var/lib/vakt/vakt.db"))
        );
        assert_eq!(
            DatabaseUrl::parse("postgres://u@h/db").unwrap().backend(),
            Backend::Postgres
        );
        assert_eq!(
            DatabaseUrl::parse("postgresql://u@h/db").unwrap().backend(),
            Backend::Postgres
        );
    }

    #[test]
    fn rejects_unsupported_urls_without_leaking_passwords() {
        let error = DatabaseUrl::parse("mysql://root:hunter2@localhost/vakt").unwrap_err();
        let text = error.to_string();
        assert!(text.contains("expected sqlite://"), "{text}");
        assert!(!text.contains("hunter2"), "{text}");
        assert!(DatabaseUrl::parse("sqlite://:memory:").is_err());
        assert!(DatabaseUrl::parse("sqlite://").is_err());
    }

    #[test]
    fn redacts_passwords() {
        let url = DatabaseUrl::parse("postgres://vakt:secret@db:5432/vakt").unwrap();
        assert_eq!(url.redacted(), "postgres://vakt:***@db:5432/vakt");
    }

    #[test]
    fn sqlite_connection_is_tuned_and_creates_its_folder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/folder/vakt.db");
        let url = DatabaseUrl::parse(&format!("sqlite://{}", path.display())).unwrap();
        let mut conn = url.connect().unwrap();
        assert!(path.exists());
        #[derive(QueryableByName)]
        struct Pragma {
            #[diesel(sql_type = diesel::sql_types::Text)]
            journal_mode: String,
        }
        let DbConnection::Sqlite(sqlite) = &mut conn else {
            panic!("not sqlite")
        };
        let mode: Pragma = diesel::sql_query("PRAGMA journal_mode")
            .get_result(sqlite)
            .unwrap();
        assert_eq!(mode.journal_mode, "wal");
    }

    #[test]
    fn writers_of_one_process_queue_instead_of_meeting_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let url = DatabaseUrl::Sqlite(dir.path().join("q.db"));
        url.connect()
            .unwrap()
            .batch_execute("CREATE TABLE t (v INTEGER NOT NULL)")
            .unwrap();
        // With no busy timeout, a writer that met another's lock would fail with
        // SQLITE_BUSY at once; the queue must keep them from ever meeting.
        let threads: Vec<_> = (0..4)
            .map(|n| {
                let url = url.clone();
                std::thread::spawn(move || {
                    let mut conn = url.connect().unwrap();
                    conn.batch_execute("PRAGMA busy_timeout = 0").unwrap();
                    for i in 0..25 {
                        conn.write_transaction(|conn| {
                            conn.batch_execute(&format!("INSERT INTO t VALUES ({n}{i:02})"))?;
                            std::thread::sleep(std::time::Duration::from_millis(1));
                            conn.batch_execute("UPDATE t SET v = v WHERE v < 0")
                        })
                        .unwrap();
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
    }

    #[test]
    fn write_transaction_rolls_back_on_error_and_nests() {
        let dir = tempfile::tempdir().unwrap();
        let url = DatabaseUrl::Sqlite(dir.path().join("t.db"));
        let mut conn = url.connect().unwrap();
        conn.batch_execute("CREATE TABLE t (v INTEGER NOT NULL)")
            .unwrap();
        let failed: Result<(), diesel::result::Error> = conn.write_transaction(|conn| {
            conn.batch_execute("INSERT INTO t VALUES (1)")?;
            Err(diesel::result::Error::RollbackTransaction)
        });
        assert!(failed.is_err());
        conn.write_transaction(|conn| {
            conn.batch_execute("INSERT INTO t VALUES (2)")?;
            conn.write_transaction(|conn| conn.batch_execute("INSERT INTO t VALUES (3)"))
        })
        .unwrap();
        #[derive(QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let DbConnection::Sqlite(sqlite) = &mut conn else {
            panic!("not sqlite")
        };
        let count: Count = diesel::sql_query("SELECT COUNT(*) AS n FROM t")
            .get_result(sqlite)
            .unwrap();
        assert_eq!(count.n, 2);
    }
}
