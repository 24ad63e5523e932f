//! `schema.rs` (maintained by hand) must describe both migrated databases exactly.

use std::collections::BTreeMap;

use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};
use vakt_persistence::DbConnection;

/// table → column → (type, nullable)
type Shape = BTreeMap<String, BTreeMap<String, (String, bool)>>;

fn from_schema_rs() -> Shape {
    let source = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../persistence/src/schema.rs"),
    )
    .unwrap();
    let mut shape = Shape::new();
    let mut current: Option<String> = None;
    for line in source.lines().map(str::trim) {
        if let Some(name) = line
            .strip_suffix('{')
            .map(str::trim)
            .and_then(|l| l.split_once(" ("))
            .map(|(n, _)| n)
            && !name.contains(' ')
            && !name.contains("table!")
        {
            current = Some(name.to_owned());
            shape.entry(name.to_owned()).or_default();
            continue;
        }
        if line == "}" {
            current = None;
            continue;
        }
        if let (Some(table), Some((column, ty))) =
            (&current, line.trim_end_matches(',').split_once(" -> "))
        {
            let (ty, nullable) = match ty
                .strip_prefix("Nullable<")
                .and_then(|t| t.strip_suffix('>'))
            {
                Some(inner) => (inner.to_owned(), true),
                None => (ty.to_owned(), false),
            };
            shape
                .get_mut(table)
                .unwrap()
                .insert(column.trim().to_owned(), (ty, nullable));
        }
    }
    shape
}

#[derive(QueryableByName)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = Bool)]
    nullable: bool,
}

fn normalise(data_type: &str) -> String {
    match data_type.to_ascii_lowercase().as_str() {
        "bigint" | "int8" => "BigInt",
        "integer" | "int4" | "int" => "Integer",
        "smallint" | "int2" => "SmallInt",
        "text" | "character varying" => "Text",
        "boolean" => "Bool",
        "timestamp" | "timestamp without time zone" => "Timestamp",
        "bytea" | "blob" => "Binary",
        "double precision" | "real" => "Double",
        "date" => "Date",
        other => return format!("unknown:{other}"),
    }
    .to_owned()
}

fn from_database(conn: &mut DbConnection) -> Shape {
    let columns: Vec<Column> = match conn {
        DbConnection::Postgresql(pg) => diesel::sql_query(
            "SELECT table_name::text AS table_name, column_name::text AS column_name, data_type::text AS data_type,
                    (is_nullable = 'YES') AS nullable
             FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations' AND table_name NOT LIKE 'search_%'",
        )
        .load(pg)
        .unwrap(),
        DbConnection::Sqlite(sqlite) => diesel::sql_query(
            "SELECT m.name AS table_name, p.name AS column_name, p.type AS data_type,
                    (p.\"notnull\" = 0 AND p.pk = 0) AS nullable
             FROM sqlite_master m JOIN pragma_table_info(m.name) p
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '__diesel_schema_migrations'
               AND m.name NOT LIKE 'search_%'",
        )
        .load(sqlite)
        .unwrap(),
    };
    let mut shape = Shape::new();
    for c in columns {
        shape
            .entry(c.table_name)
            .or_default()
            .insert(c.column_name, (normalise(&c.data_type), c.nullable));
    }
    shape
}

both_backends! {
    fn schema_matches_both_backends(app) {
        let expected = from_schema_rs();
        assert!(expected.contains_key("users") && expected["users"].contains_key("email"), "parser works: {expected:?}");
        let mut conn = app.pool().get().unwrap();
        let actual = from_database(&mut conn);
        // SQLite has one integer type; schema.rs says BigInt for ids and Integer for small counts.
        let relax = |shape: &Shape| -> Shape {
            shape.iter().map(|(t, cols)| (t.clone(), cols.iter().map(|(c, (ty, n))| {
                let ty = if ty == "Integer" || ty == "SmallInt" { "BigInt".to_owned() } else { ty.clone() };
                (c.clone(), (ty, *n))
            }).collect())).collect()
        };
        let (expected, actual) = if app.pool().backend() == vakt_persistence::Backend::Sqlite {
            (relax(&expected), relax(&actual))
        } else {
            (expected, actual)
        };
        assert_eq!(actual.keys().collect::<Vec<_>>(), expected.keys().collect::<Vec<_>>(), "tables differ");
        for (table, columns) in &expected {
            assert_eq!(&actual[table], columns, "columns of {table} differ");
        }
    }
}

/// Every table of the database, Vakt's and the search tables' (not the migration bookkeeping).
fn all_tables(conn: &mut DbConnection) -> Vec<String> {
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = Text)]
        name: String,
    }
    let names: Vec<Name> = match conn {
        DbConnection::Postgresql(pg) => diesel::sql_query(
            "SELECT table_name::text AS name FROM information_schema.tables
             WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations' ORDER BY 1",
        )
        .load(pg)
        .unwrap(),
        DbConnection::Sqlite(sqlite) => diesel::sql_query(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'
               AND name <> '__diesel_schema_migrations' ORDER BY 1",
        )
        .load(sqlite)
        .unwrap(),
    };
    names.into_iter().map(|n| n.name).collect()
}

/// Each migration's `down.sql` undoes its `up.sql`: reverting all of them leaves no table
/// behind, and applying them again gives the same schema as the first time.
fn migrations_revert_and_reapply(db: crate::support::TestDb) {
    let url = db.url();
    let mut conn = url.connect().unwrap();
    vakt_persistence::migrations::run_pending(&mut conn).unwrap();
    let before = from_database(&mut conn);
    let applied = all_tables(&mut conn);
    assert!(applied.contains(&"tickets".to_owned()), "{applied:?}");

    let reverted = vakt_persistence::migrations::revert_all(&mut conn).unwrap();
    let folders = std::fs::read_dir(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations/sqlite"),
    )
    .unwrap()
    .filter(|entry| {
        entry
            .as_ref()
            .is_ok_and(|e| e.path().join("up.sql").is_file())
    })
    .count();
    assert_eq!(
        reverted.len(),
        folders,
        "every migration reverted: {reverted:?}"
    );
    assert_eq!(
        all_tables(&mut conn),
        Vec::<String>::new(),
        "tables left after reverting every migration"
    );

    let again = vakt_persistence::migrations::run_pending(&mut conn).unwrap();
    assert_eq!(again.len(), reverted.len());
    assert_eq!(
        from_database(&mut conn),
        before,
        "the schema after reapplying differs"
    );
    assert_eq!(all_tables(&mut conn), applied);
}

#[test]
fn migrations_revert_and_reapply_on_sqlite() {
    migrations_revert_and_reapply(crate::support::TestDb::sqlite());
}

#[test]
fn migrations_revert_and_reapply_on_postgres() {
    if let Some(db) = crate::support::TestDb::postgres() {
        migrations_revert_and_reapply(db);
    }
}
