//! Seeded custom fields (ADR 0007): a dropdown `product`, an integer `units` and a date
//! `purchase_date` on tickets, with values derived from each ticket's id and written by
//! `INSERT … SELECT` in ranges of ids — after a seed, or on its own (`vakt seed
//! --custom-fields`) to give fields to a database seeded before they existed.

use std::time::Instant;

use chrono::{NaiveDate, Utc};
use serde_json::json;
use vakt_persistence::bulk::{self, SeededValue};
use vakt_persistence::repo::custom_fields::{self as repo, FieldValues};
use vakt_persistence::time::to_db;
use vakt_persistence::{DbConnection, PersistenceError};

use crate::CommandError;

/// The products, with the per-mille bound of `(id * 389) % 1000` below which a ticket has it:
/// 30 % laptop, 25 % printer, 20 % phone, 15 % network, 9.9 % software, 0.1 % scanner (the
/// rare value of the benchmark).
pub const PRODUCTS: [(&str, i64); 6] = [
    ("laptop", 300),
    ("printer", 550),
    ("phone", 750),
    ("network", 900),
    ("software", 999),
    ("scanner", 1000),
];

/// Labels of the products: en, nl, nb, de.
const PRODUCT_LABELS: [[&str; 4]; 6] = [
    ["Laptop", "Laptop", "Bærbar PC", "Laptop"],
    ["Printer", "Printer", "Skriver", "Drucker"],
    ["Phone", "Telefoon", "Telefon", "Telefon"],
    ["Network", "Netwerk", "Nettverk", "Netzwerk"],
    ["Software", "Software", "Programvare", "Software"],
    ["Scanner", "Scanner", "Skanner", "Scanner"],
];

/// Tickets per `INSERT … SELECT` (one transaction each, with progress in between).
const RANGE: i64 = 100_000;

/// One seeded field: key, type, labels (en, nl, nb, de), share of tickets with a value (per
/// mille), and how the value follows from the id.
struct Seeded {
    key: &'static str,
    field_type: &'static str,
    labels: [&'static str; 4],
    per_mille: i64,
    value: SeededValue<'static>,
}

fn seeded() -> [Seeded; 3] {
    [
        Seeded {
            key: "product",
            field_type: "dropdown",
            labels: ["Product", "Product", "Produkt", "Produkt"],
            per_mille: 1000,
            value: SeededValue::Option(&PRODUCTS),
        },
        Seeded {
            key: "units",
            field_type: "integer",
            labels: [
                "Units affected",
                "Getroffen eenheden",
                "Berørte enheter",
                "Betroffene Geräte",
            ],
            per_mille: 500,
            value: SeededValue::Integer { modulus: 200 },
        },
        Seeded {
            key: "purchase_date",
            field_type: "date",
            labels: ["Purchase date", "Aankoopdatum", "Innkjøpsdato", "Kaufdatum"],
            per_mille: 300,
            value: SeededValue::Date {
                from: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default(),
                days: 6 * 365,
            },
        },
    ]
}

fn labels(texts: [&str; 4]) -> String {
    json!({"en": texts[0], "nl": texts[1], "nb": texts[2], "de": texts[3]}).to_string()
}

/// Defines the seeded ticket fields where they are missing (a field of the same key must have
/// the same type) and gives every ticket without a value its seeded one. Safe to run again:
/// tickets that have a value keep it.
pub fn seed(conn: &mut DbConnection) -> Result<(), CommandError> {
    let started = Instant::now();
    let existing = repo::list(conn, Some("ticket"))?;
    let mut fields = Vec::new();
    for (position, field) in seeded().into_iter().enumerate() {
        let id = match existing.iter().find(|f| f.key == field.key) {
            Some(row) if row.field_type == field.field_type => row.id,
            Some(row) => {
                return Err(CommandError::Io(std::io::Error::other(format!(
                    "the ticket field {:?} exists with type {:?}, not {:?}",
                    field.key, row.field_type, field.field_type
                ))));
            }
            None => define(conn, &field, position)?,
        };
        fields.push((id, field));
    }
    let Some((first, last)) = vakt_persistence::search::ticket_id_range(conn)? else {
        println!("custom fields defined; no tickets to give values to");
        return Ok(());
    };
    let mut written = 0;
    let mut from = first;
    while from <= last {
        let to = (from + RANGE - 1).min(last);
        written += conn.write_transaction(|conn| -> Result<usize, PersistenceError> {
            let mut rows = 0;
            for (id, field) in &fields {
                rows +=
                    bulk::fill_ticket_field(conn, *id, field.value, field.per_mille, (from, to))?;
            }
            Ok(rows)
        })?;
        if ((to - first + 1) / RANGE) % 10 == 0 || to == last {
            println!("  custom field values up to ticket {to}: {written} written");
        }
        from = to + 1;
    }
    bulk::analyze_custom_field_values(conn)?;
    println!(
        "custom fields product, units, purchase_date: {written} values in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Inserts one seeded definition (all queues and types, shown read-only to customers).
fn define(conn: &mut DbConnection, field: &Seeded, position: usize) -> Result<i64, CommandError> {
    let now = to_db(Utc::now());
    let id = conn.write_transaction(|conn| -> Result<i64, PersistenceError> {
        let row = repo::insert(
            conn,
            &FieldValues {
                object_type: "ticket".into(),
                key: field.key.into(),
                field_type: field.field_type.into(),
                labels: labels(field.labels),
                required: false,
                pattern: None,
                min_value: None,
                max_value: None,
                max_length: None,
                default_value: None,
                queue_ids: None,
                type_ids: None,
                customer_visibility: "read_only".into(),
                position: i32::try_from(position).unwrap_or(0),
                active: true,
                updated_at: now,
            },
            now,
        )?;
        if let SeededValue::Option(options) = field.value {
            let options: Vec<(String, String, bool)> = options
                .iter()
                .zip(PRODUCT_LABELS)
                .map(|((value, _), texts)| ((*value).to_owned(), labels(texts), false))
                .collect();
            repo::replace_options(conn, row.id, &options)?;
        }
        Ok(row.id)
    })?;
    Ok(id)
}
