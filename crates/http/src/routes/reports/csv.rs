//! A report as CSV (RFC 4180): a header row of column keys, then the rows, cells written as
//! in JSON (timestamps RFC 3339 UTC, empty for none), safe to open in a spreadsheet.

use vakt_service::reports::{Cell, ReportTable};

/// The report as CSV.
pub(super) fn render(table: &ReportTable) -> String {
    let mut out = String::new();
    let header: Vec<String> = table.columns.iter().map(|c| c.key.to_owned()).collect();
    push_row(&mut out, &header);
    for row in &table.rows {
        let cells: Vec<String> = row.iter().map(text).collect();
        push_row(&mut out, &cells);
    }
    out
}

/// A cell's text.
fn text(cell: &Cell) -> String {
    match cell {
        Cell::Null => String::new(),
        Cell::Text(t) => t.clone(),
        Cell::Integer(n) => n.to_string(),
        Cell::Number(x) => x.to_string(),
        Cell::Timestamp(t) => t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    }
}

fn push_row(out: &mut String, cells: &[String]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_cell(out, cell);
    }
    out.push_str("\r\n");
}

/// One cell: quoted when needed; text a spreadsheet would run as a formula (`=`, `+`, `@`, or
/// `-` not starting a number) is neutralised with `'`.
fn push_cell(out: &mut String, value: &str) {
    let number = value.parse::<f64>().is_ok();
    let formula = !number && value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quote = formula || value.contains([',', '"', '\n', '\r']);
    if quote {
        out.push('"');
    }
    if formula {
        out.push('\'');
    }
    for c in value.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    if quote {
        out.push('"');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(value: &str) -> String {
        let mut out = String::new();
        push_cell(&mut out, value);
        out
    }

    #[test]
    fn numbers_stay_numbers_and_formulas_are_neutralised() {
        assert_eq!(cell("-1.5"), "-1.5");
        assert_eq!(cell("=SUM(A1)"), "\"'=SUM(A1)\"");
        assert_eq!(cell("-x"), "\"'-x\"");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("2026-W45"), "2026-W45");
    }
}
