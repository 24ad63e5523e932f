//! Writing CSV cells (RFC 4180) that are safe to open in a spreadsheet, for every CSV export.

/// Appends one cell: quoted when needed; text a spreadsheet would run as a formula (a leading
/// `=`, `+`, `-`, `@`, tab or carriage return) is neutralised with `'`. With `numbers_as_is`, a
/// value that parses as a number (`-1.5`) is written as it is, so that it stays a number.
pub fn push_cell(out: &mut String, value: &str, numbers_as_is: bool) {
    let number = numbers_as_is && value.parse::<f64>().is_ok();
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
