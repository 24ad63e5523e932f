//! A report as CSV (RFC 4180): a header row of column keys, then the rows, cells written as
//! in JSON (timestamps RFC 3339 UTC, empty for none), safe to open in a spreadsheet.

use vakt_service::reports::{Cell, ReportTable};

use crate::csv::push_cell;

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
        push_cell(out, cell, true);
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use crate::csv::push_cell;

    fn cell(value: &str) -> String {
        let mut out = String::new();
        push_cell(&mut out, value, true);
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
