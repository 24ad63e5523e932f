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
