//! Address lists as stored on articles (`Name <a@b>, c@d`), read back for sending.

use vakt_mail::Address;

/// Splits a comma-separated address list (commas inside quotes or angle brackets do not split)
/// and reads each `Name <address>` or bare address; entries without `@` are skipped.
pub(crate) fn parse_list(value: &str) -> Vec<Address> {
    let mut parts = Vec::new();
    let (mut current, mut quoted, mut angle) = (String::new(), false, false);
    for c in value.chars() {
        match c {
            '"' => quoted = !quoted,
            '<' if !quoted => angle = true,
            '>' if !quoted => angle = false,
            ',' | ';' if !quoted && !angle => {
                parts.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    parts.push(current);
    parts.iter().filter_map(|p| parse_one(p)).collect()
}

fn parse_one(part: &str) -> Option<Address> {
    let part = part.trim();
    let (name, address) = match (part.rfind('<'), part.rfind('>')) {
        (Some(open), Some(close)) if open < close => {
            let name = part[..open].trim().trim_matches('"').trim();
            (
                (!name.is_empty()).then(|| name.to_owned()),
                part[open + 1..close].trim(),
            )
        }
        _ => (None, part),
    };
    (address.contains('@') && !address.contains(char::is_whitespace)).then(|| Address {
        name,
        address: address.to_owned(),
    })
}

/// Formats an address for storing on an article.
pub(crate) fn format(address: &Address) -> String {
    match &address.name {
        Some(name) if !name.is_empty() => {
            format!("\"{}\" <{}>", name.replace('"', "'"), address.address)
        }
        _ => address.address.clone(),
    }
}

/// Formats a list for storing (`None` when empty).
pub(crate) fn format_list(addresses: &[Address]) -> Option<String> {
    (!addresses.is_empty()).then(|| addresses.iter().map(format).collect::<Vec<_>>().join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_names_quotes_and_bare_addresses() {
        let list =
            parse_list("\"Doe, Jane\" <jane@example.org>, bob@example.org; junk, Kari <kari@x.no>");
        let got: Vec<(Option<&str>, &str)> = list
            .iter()
            .map(|a| (a.name.as_deref(), a.address.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (Some("Doe, Jane"), "jane@example.org"),
                (None, "bob@example.org"),
                (Some("Kari"), "kari@x.no")
            ]
        );
        assert_eq!(
            format_list(&list[..1]).as_deref(),
            Some("\"Doe, Jane\" <jane@example.org>")
        );
    }
}
