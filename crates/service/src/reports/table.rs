//! A report's answer: typed columns and rows of cells, the same data for JSON and CSV.

use chrono::{DateTime, Utc};
use vakt_domain::reports::Granularity;

use super::ReportKind;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    /// Text (names, labels, state types).
    Text,
    /// Whole numbers (ids, counts, minutes accounted).
    Integer,
    /// Decimals (minutes rounded to a tenth, percentages).
    Number,
    /// An instant (RFC 3339, UTC).
    Timestamp,
}

impl CellKind {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Integer => "integer",
            Self::Number => "number",
            Self::Timestamp => "timestamp",
        }
    }
}

/// One column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Stable key (snake_case), also the CSV header.
    pub key: &'static str,
    /// What its cells hold.
    pub kind: CellKind,
}

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// No value (e.g. a median of nothing, a ticket without a company).
    Null,
    /// Text.
    Text(String),
    /// A whole number.
    Integer(i64),
    /// A decimal.
    Number(f64),
    /// An instant.
    Timestamp(DateTime<Utc>),
}

impl Cell {
    /// A count.
    pub fn count(n: usize) -> Self {
        Self::Integer(i64::try_from(n).unwrap_or(i64::MAX))
    }

    /// A decimal or nothing.
    pub fn number(value: Option<f64>) -> Self {
        value.map_or(Self::Null, Self::Number)
    }
}

/// A report's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportTable {
    /// Which report.
    pub report: ReportKind,
    /// The start of the (widened) period.
    pub from: DateTime<Utc>,
    /// Its end (exclusive).
    pub to: DateTime<Utc>,
    /// The zone its buckets are read in.
    pub time_zone: String,
    /// Bucket length.
    pub granularity: Granularity,
    /// The columns.
    pub columns: Vec<Column>,
    /// The rows, each with one cell per column.
    pub rows: Vec<Vec<Cell>>,
}

/// Columns from `(key, kind)` pairs.
pub(super) fn columns(spec: &[(&'static str, CellKind)]) -> Vec<Column> {
    spec.iter()
        .map(|(key, kind)| Column { key, kind: *kind })
        .collect()
}

/// Rows under their columns.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Rows {
    pub(super) columns: Vec<Column>,
    pub(super) rows: Vec<Vec<Cell>>,
}
