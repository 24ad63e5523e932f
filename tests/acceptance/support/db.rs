//! A fresh database per test: a SQLite file in a temporary folder, or a PostgreSQL database
//! created from a migrated template (fast) and dropped afterwards.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection, RunQueryDsl};
use sha2::{Digest, Sha256};
use vakt_persistence::DatabaseUrl;

/// Set to `1` to make a missing PostgreSQL fail the run instead of skipping its tests.
pub const REQUIRE_POSTGRES: &str = "VAKT_TEST_REQUIRE_POSTGRES";
/// Administrative PostgreSQL URL (a database that exists, usually `postgres`).
pub const POSTGRES_URL: &str = "VAKT_TEST_POSTGRES_URL";
const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

static COUNTER: AtomicU32 = AtomicU32::new(0);
static TEMPLATE: Mutex<Option<String>> = Mutex::new(None);

/// A database that exists for one test.
pub enum TestDb {
    /// A SQLite file; the folder is deleted on drop.
    Sqlite(tempfile::TempDir),
    /// A PostgreSQL database; dropped on drop.
    Postgres {
        /// Server URL without the database name.
        server: String,
        /// Name of this test's database.
        name: String,
    },
}

/// The administrative URL.
pub fn postgres_admin_url() -> String {
    std::env::var(POSTGRES_URL).unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned())
}

fn server_part(url: &str) -> String {
    match url.rfind('/') {
        Some(i) if i > "postgres://".len() => url[..i].to_owned(),
        _ => url.to_owned(),
    }
}

impl TestDb {
    /// A new SQLite database.
    pub fn sqlite() -> Self {
        Self::Sqlite(tempfile::tempdir().expect("temporary folder"))
    }

    /// A new PostgreSQL database, or `None` (with a note) when PostgreSQL is unreachable and
    /// not required.
    pub fn postgres() -> Option<Self> {
        let admin_url = postgres_admin_url();
        let mut admin = match PgConnection::establish(&admin_url) {
            Ok(conn) => conn,
            Err(error) => {
                if std::env::var(REQUIRE_POSTGRES).is_ok_and(|v| v == "1") {
                    panic!(
                        "PostgreSQL is required ({REQUIRE_POSTGRES}=1) but {admin_url} is unreachable: {error}"
                    );
                }
                eprintln!("note: skipping a PostgreSQL test: {admin_url} is unreachable ({error})");
                return None;
            }
        };
        let template = template(&admin_url);
        let name = format!(
            "vakt_test_{}_{}_{:08x}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst),
            rand::random::<u32>()
        );
        admin
            .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
            .expect("create test database");
        Some(Self::Postgres {
            server: server_part(&admin_url),
            name,
        })
    }

    /// The database URL for Vakt.
    pub fn url(&self) -> DatabaseUrl {
        DatabaseUrl::parse(&self.url_text()).expect("url")
    }

    /// The database URL as text (for a spawned `vakt`).
    pub fn url_text(&self) -> String {
        match self {
            Self::Sqlite(dir) => format!("sqlite://{}", dir.path().join("vakt.db").display()),
            Self::Postgres { server, name } => format!("{server}/{name}"),
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Self::Postgres { name, .. } = self
            && let Ok(mut admin) = PgConnection::establish(&postgres_admin_url())
        {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

/// The migrated template database for the current migrations (named by their hash, created
/// once and reused by later runs).
fn template(admin_url: &str) -> String {
    let mut cached = TEMPLATE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(name) = cached.as_ref() {
        return name.clone();
    }
    let name = format!("vakt_test_template_{}", &migrations_hash()[..16]);
    let mut admin = PgConnection::establish(admin_url).expect("admin connection");
    // Serialise template creation across test processes.
    admin
        .batch_execute("SELECT pg_advisory_lock(7700221)")
        .expect("lock");
    #[derive(diesel::QueryableByName)]
    struct Exists {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        exists: bool,
    }
    let exists: Exists = diesel::sql_query(format!(
        "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = '{name}') AS exists"
    ))
    .get_result(&mut admin)
    .expect("query pg_database");
    if !exists.exists {
        let building = format!("{name}_building");
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"))
            .expect("drop");
        admin
            .batch_execute(&format!("CREATE DATABASE {building}"))
            .expect("create template");
        {
            let url =
                DatabaseUrl::parse(&format!("{}/{building}", server_part(admin_url))).expect("url");
            let mut conn = url.connect().expect("template connection");
            vakt_persistence::migrations::run_pending(&mut conn).expect("migrate template");
        }
        admin
            .batch_execute(&format!("ALTER DATABASE {building} RENAME TO {name}"))
            .expect("rename");
    }
    admin
        .batch_execute("SELECT pg_advisory_unlock(7700221)")
        .expect("unlock");
    *cached = Some(name.clone());
    name
}

fn migrations_hash() -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations/postgres");
    let mut entries: Vec<_> = walk(&root);
    entries.sort();
    let mut hasher = Sha256::new();
    for path in entries {
        hasher.update(path.to_string_lossy().as_bytes());
        hasher.update(std::fs::read(&path).unwrap_or_default());
    }
    hex::encode(hasher.finalize())
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}
