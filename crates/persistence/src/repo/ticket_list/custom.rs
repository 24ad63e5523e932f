//! Custom field conditions and sorts of the ticket list (ADR 0007): each condition is
//! `tickets.id IN (SELECT object_id FROM custom_field_values WHERE field_id = … AND …)`, which
//! the `(field_id, value_…, object_id)` indexes answer; a sort orders by the field's smallest
//! value (tickets without one first ascending) and pages by keyset like the column sorts.

use chrono::NaiveDateTime;
use diesel::dsl::sql;
use diesel::expression::SqlLiteral;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Double, Text, Timestamp};

use super::{Boxed, SortKey};
use crate::connection::DbConnection;
use crate::schema::{custom_field_values, tickets};

/// What a ticket's value of one field must be.
#[derive(Debug, Clone, PartialEq)]
pub enum CustomTest {
    /// A text value (or option) among these.
    TextIn(Vec<String>),
    /// An integer (or checkbox 0/1) among these.
    IntIn(Vec<i64>),
    /// An integer in this range (both ends included).
    IntRange(Option<i64>, Option<i64>),
    /// A decimal in this range (both ends included).
    NumRange(Option<f64>, Option<f64>),
    /// A date or time in this range (both ends included).
    TimeRange(Option<NaiveDateTime>, Option<NaiveDateTime>),
    /// Has a value at all (`true`) or none (`false`).
    Set(bool),
}

/// A condition on one custom field.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomCondition {
    /// The field.
    pub field_id: i64,
    /// The test.
    pub test: CustomTest,
}

/// Which value column a field sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomColumn {
    /// `value_text` (text-like, dropdown).
    Text,
    /// `value_int` (integer, checkbox).
    Int,
    /// `value_num` (decimal).
    Num,
    /// `value_time` (date, datetime).
    Time,
}

impl CustomColumn {
    fn name(self) -> &'static str {
        match self {
            CustomColumn::Text => "value_text",
            CustomColumn::Int => "value_int",
            CustomColumn::Num => "value_num",
            CustomColumn::Time => "value_time",
        }
    }

    /// The value tickets without one sort as (below every real value).
    fn missing(self) -> &'static str {
        match self {
            CustomColumn::Text => "''",
            CustomColumn::Int => "-9223372036854775807",
            CustomColumn::Num => "-1e308",
            CustomColumn::Time => "'0001-01-01 00:00:00'",
        }
    }
}

/// The sort expression: the ticket's smallest value of the field, or the missing value.
fn expression<ST>(field_id: i64, column: CustomColumn) -> SqlLiteral<ST>
where
    ST: diesel::sql_types::SqlType + diesel::expression::TypedExpressionType,
{
    sql::<ST>(&format!(
        "COALESCE((SELECT MIN(cfv.{col}) FROM custom_field_values cfv WHERE cfv.field_id = {field_id} AND cfv.object_id = tickets.id), {missing})",
        col = column.name(),
        missing = column.missing(),
    ))
}

/// The earliest and latest time a range bound may stand for.
fn time_bounds() -> (NaiveDateTime, NaiveDateTime) {
    let at = |y: i32, m: u32, d: u32, h: u32, mi: u32, se: u32| {
        chrono::NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(h, mi, se))
            .unwrap_or_default()
    };
    (at(1, 1, 1, 0, 0, 0), at(9999, 12, 31, 23, 59, 59))
}

/// Adds the conditions to a ticket query.
pub(super) fn apply_conditions<'a, ST>(
    mut query: Boxed<'a, ST>,
    conditions: &[CustomCondition],
) -> Boxed<'a, ST> {
    use custom_field_values as v;
    for c in conditions {
        let of_field = v::table
            .filter(v::field_id.eq(c.field_id))
            .select(v::object_id);
        query = match &c.test {
            CustomTest::TextIn(values) => query
                .filter(tickets::id.eq_any(of_field.filter(v::value_text.eq_any(values.clone())))),
            CustomTest::IntIn(values) => query
                .filter(tickets::id.eq_any(of_field.filter(v::value_int.eq_any(values.clone())))),
            CustomTest::IntRange(from, to) => {
                query.filter(tickets::id.eq_any(of_field.filter(
                    v::value_int.between(from.unwrap_or(i64::MIN), to.unwrap_or(i64::MAX)),
                )))
            }
            CustomTest::NumRange(from, to) => {
                query.filter(tickets::id.eq_any(of_field.filter(
                    v::value_num.between(from.unwrap_or(f64::MIN), to.unwrap_or(f64::MAX)),
                )))
            }
            CustomTest::TimeRange(from, to) => {
                let (earliest, latest) = time_bounds();
                query.filter(tickets::id.eq_any(
                    of_field.filter(
                        v::value_time.between(from.unwrap_or(earliest), to.unwrap_or(latest)),
                    ),
                ))
            }
            CustomTest::Set(true) => query.filter(tickets::id.eq_any(of_field)),
            CustomTest::Set(false) => query.filter(tickets::id.ne_all(of_field)),
        };
    }
    query
}

macro_rules! keyset_on {
    ($query:expr, $st:ty, $field:expr, $col:expr, $value:expr, $last:expr, $desc:expr) => {
        if $desc {
            $query.filter(
                expression::<$st>($field, $col).le($value.clone()).and(
                    expression::<$st>($field, $col)
                        .lt($value)
                        .or(tickets::id.lt($last)),
                ),
            )
        } else {
            $query.filter(
                expression::<$st>($field, $col).ge($value.clone()).and(
                    expression::<$st>($field, $col)
                        .gt($value)
                        .or(tickets::id.gt($last)),
                ),
            )
        }
    };
}

/// Orders by the field (then id) and continues after `after`.
pub(super) fn apply_sort<'a, ST>(
    query: Boxed<'a, ST>,
    field_id: i64,
    column: CustomColumn,
    descending: bool,
    after: Option<&SortKey>,
) -> Boxed<'a, ST> {
    let query = match (column, after) {
        (CustomColumn::Text, Some(SortKey::Text(v, last))) => {
            keyset_on!(query, Text, field_id, column, v.clone(), *last, descending)
        }
        (CustomColumn::Int, Some(SortKey::Int(v, last))) => {
            keyset_on!(query, BigInt, field_id, column, *v, *last, descending)
        }
        (CustomColumn::Num, Some(SortKey::Num(v, last))) => {
            keyset_on!(query, Double, field_id, column, *v, *last, descending)
        }
        (CustomColumn::Time, Some(SortKey::Time(v, last))) => {
            keyset_on!(query, Timestamp, field_id, column, *v, *last, descending)
        }
        _ => query,
    };
    let ordered = expression::<Text>(field_id, column);
    if descending {
        query.order((ordered.desc(), tickets::id.desc()))
    } else {
        query.order((ordered.asc(), tickets::id.asc()))
    }
}

/// The sort keys of these tickets under a custom field sort (their smallest value, or the
/// missing value), by ticket id.
pub(super) fn keys(
    conn: &mut DbConnection,
    field_id: i64,
    column: CustomColumn,
    ticket_ids: &[i64],
) -> QueryResult<Vec<(i64, SortKey)>> {
    let rows = crate::repo::custom_fields::values_of(conn, &[field_id], ticket_ids)?;
    let mut out = Vec::with_capacity(ticket_ids.len());
    for id in ticket_ids {
        let mine = rows.iter().filter(|r| r.object_id == *id);
        let key = match column {
            CustomColumn::Text => SortKey::Text(
                mine.filter_map(|r| r.value_text.clone())
                    .min()
                    .unwrap_or_default(),
                *id,
            ),
            CustomColumn::Int => SortKey::Int(
                mine.filter_map(|r| r.value_int)
                    .min()
                    .unwrap_or(-9_223_372_036_854_775_807),
                *id,
            ),
            CustomColumn::Num => SortKey::Num(
                mine.filter_map(|r| r.value_num)
                    .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.min(v))))
                    .unwrap_or(-1e308),
                *id,
            ),
            CustomColumn::Time => SortKey::Time(
                mine.filter_map(|r| r.value_time).min().unwrap_or_else(|| {
                    chrono::NaiveDate::from_ymd_opt(1, 1, 1)
                        .and_then(|d| d.and_hms_opt(0, 0, 0))
                        .unwrap_or_default()
                }),
                *id,
            ),
        };
        out.push((*id, key));
    }
    Ok(out)
}
