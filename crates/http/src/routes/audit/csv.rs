//! Audit entries as CSV (RFC 4180), safe to open in a spreadsheet.

use vakt_service::audit::AuditEntry;

use crate::csv::push_cell;

const HEADER: &str =
    "id,at,actor_id,actor,action,entity,entity_id,entity_label,user_id,before,after\r\n";

/// The entries as CSV with a header row.
pub(super) fn render(entries: &[AuditEntry]) -> String {
    let mut out = String::with_capacity(HEADER.len() + entries.len() * 160);
    out.push_str(HEADER);
    for entry in entries {
        let json = |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string());
        let cells = [
            Some(entry.id.to_string()),
            Some(entry.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            entry.actor_id.map(|id| id.to_string()),
            Some(entry.actor_label.clone()),
            Some(entry.action.clone()),
            Some(entry.entity.clone()),
            entry.entity_id.map(|id| id.to_string()),
            Some(entry.entity_label.clone()),
            entry.subject_user_id.map(|id| id.to_string()),
            json(&entry.before),
            json(&entry.after),
        ];
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_cell(&mut out, cell.as_deref().unwrap_or(""), false);
        }
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::csv::push_cell;

    fn cell(value: &str) -> String {
        let mut out = String::new();
        push_cell(&mut out, value, false);
        out
    }

    #[test]
    fn cells_are_quoted_and_formulas_neutralised() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("-1"), "\"'-1\"");
        assert_eq!(cell("{\"a\":1}"), "\"{\"\"a\"\":1}\"");
    }
}
