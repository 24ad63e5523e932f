//! Threading helpers: Message-ID normalisation and the ticket tag in subjects
//! (`[<SystemTag>#<number>]`, e.g. `[Helpdesk#2026112210000017]`).

/// Reply and forward prefixes (lower-case, without the colon) in the languages our users write:
/// English, German, Dutch, the Nordic languages, French, Italian, Spanish, Polish, Turkish…
const REPLY_PREFIXES: &[&str] = &[
    "re", "aw", "sv", "vs", "antw", "antwort", "fwd", "fw", "wg", "tr", "doorst", "vl", "vb",
    "ref", "rif", "r", "res", "enc", "odp", "pd", "ynt", "ilt", "atb", "fs",
];

/// Normalises a Message-ID: trims, removes surrounding angle brackets and any white space
/// inside. Returns `None` when nothing is left.
pub fn normalize_message_id(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    let inner = trimmed
        .strip_prefix('<')
        .map(|s| s.strip_suffix('>').unwrap_or(s))
        .unwrap_or(trimmed);
    let id: String = inner.chars().filter(|c| !c.is_whitespace()).collect();
    (!id.is_empty()).then_some(id)
}

/// Reads the ids of a `References`/`In-Reply-To` value: every `<…>` token, or, when there is
/// none (broken mailers), every white-space or comma separated word containing `@`.
pub fn parse_message_ids(value: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut rest = value;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('>') else {
            break;
        };
        if let Some(id) = normalize_message_id(&after[..close]) {
            ids.push(id);
        }
        rest = &after[close + 1..];
    }
    if ids.is_empty() {
        ids = value
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| w.contains('@'))
            .filter_map(normalize_message_id)
            .collect();
    }
    ids
}

/// Finds the ticket number in a subject carrying `[<system_tag>#<number>]`. The tag is matched
/// case-insensitively; white space is allowed after `[`, around `#` and before `]`; reply
/// prefixes (`Re:`, `AW:`, `SV:`, `Fwd:`…) anywhere around it do not matter.
///
/// ```
/// use vakt_mail::find_ticket_number;
/// assert_eq!(
///     find_ticket_number("SV: AW: [helpdesk# 2026112210000017] Printer", "Helpdesk").as_deref(),
///     Some("2026112210000017")
/// );
/// assert_eq!(find_ticket_number("[Other#1] x", "Helpdesk"), None);
/// ```
pub fn find_ticket_number(subject: &str, system_tag: &str) -> Option<String> {
    tag_spans(subject, system_tag)
        .into_iter()
        .next()
        .map(|(_, _, number)| number)
}

/// The byte ranges (in `subject`) and numbers of every ticket tag of `system_tag`.
fn tag_spans(subject: &str, system_tag: &str) -> Vec<(usize, usize, String)> {
    let tag: Vec<char> = system_tag
        .trim()
        .chars()
        .flat_map(char::to_lowercase)
        .collect();
    if tag.is_empty() {
        return Vec::new();
    }
    let chars: Vec<(usize, char)> = subject.char_indices().collect();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].1 == '['
            && let Some((end, number)) = match_tag_at(&chars, i + 1, &tag)
        {
            let end_byte = chars.get(end).map_or(subject.len(), |&(b, _)| b);
            spans.push((chars[i].0, end_byte, number));
            i = end;
            continue;
        }
        i += 1;
    }
    spans
}

/// Matches `<ws>tag<ws>#<ws>digits<ws>]` starting at char index `i`; returns the index after
/// `]` and the digits.
fn match_tag_at(chars: &[(usize, char)], mut i: usize, tag: &[char]) -> Option<(usize, String)> {
    let skip_ws = |i: &mut usize| {
        while chars.get(*i).is_some_and(|&(_, c)| c.is_whitespace()) {
            *i += 1;
        }
    };
    skip_ws(&mut i);
    let mut t = 0;
    while t < tag.len() {
        let (_, c) = *chars.get(i)?;
        let mut lower = c.to_lowercase();
        for expected in lower.by_ref() {
            if tag.get(t) != Some(&expected) {
                return None;
            }
            t += 1;
        }
        i += 1;
    }
    skip_ws(&mut i);
    if chars.get(i)?.1 != '#' {
        return None;
    }
    i += 1;
    skip_ws(&mut i);
    let mut number = String::new();
    while let Some(&(_, c)) = chars.get(i).filter(|(_, c)| c.is_ascii_digit()) {
        number.push(c);
        i += 1;
    }
    skip_ws(&mut i);
    (!number.is_empty() && chars.get(i)?.1 == ']').then_some((i + 1, number))
}

/// Removes leading reply/forward prefixes (`Re:`, `RE[2]:`, `AW:`, `SV:`, `Fwd:`…) and the
/// white space around them.
pub fn strip_reply_prefixes(subject: &str) -> &str {
    let mut rest = subject.trim_start();
    loop {
        let word_len = rest
            .char_indices()
            .find(|(_, c)| !c.is_alphabetic())
            .map_or(rest.len(), |(i, _)| i);
        let word = rest[..word_len].to_lowercase();
        if word.is_empty() || !REPLY_PREFIXES.contains(&word.as_str()) {
            return rest;
        }
        let mut after = rest[word_len..].trim_start();
        // Counters such as `Re[2]:` or `Re(3):`.
        for (open, close) in [('[', ']'), ('(', ')')] {
            if let Some(inner) = after.strip_prefix(open)
                && let Some(end) = inner.find(close)
                && inner[..end].chars().all(|c| c.is_ascii_digit())
            {
                after = inner[end + close.len_utf8()..].trim_start();
            }
        }
        match after.strip_prefix(':').or_else(|| after.strip_prefix('：')) {
            Some(tail) => rest = tail.trim_start(),
            None => return rest,
        }
    }
}

/// The subject without reply prefixes and without any tag of `system_tag`, white space
/// collapsed.
pub fn clean_subject(subject: &str, system_tag: &str) -> String {
    let mut without_tags = String::with_capacity(subject.len());
    let mut last = 0;
    for (start, end, _) in tag_spans(subject, system_tag) {
        without_tags.push_str(&subject[last..start]);
        without_tags.push(' ');
        last = end;
    }
    without_tags.push_str(&subject[last..]);
    let mut stripped = strip_reply_prefixes(&without_tags).to_string();
    // A tag between prefixes (`Re: [Tag#1] AW: x`) leaves another prefix behind.
    loop {
        let again = strip_reply_prefixes(&stripped);
        if again.len() == stripped.len() {
            break;
        }
        stripped = again.to_string();
    }
    stripped.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A subject carrying the ticket tag: `[<system_tag>#<number>] <subject>`, with old prefixes
/// and old tags removed (for notifications and auto-replies).
pub fn tagged_subject(subject: &str, system_tag: &str, ticket_number: &str) -> String {
    let clean = clean_subject(subject, system_tag);
    let tag = format!("[{}#{}]", system_tag.trim(), ticket_number.trim());
    if clean.is_empty() {
        tag
    } else {
        format!("{tag} {clean}")
    }
}

/// The subject of a reply: `Re: [<system_tag>#<number>] <subject>`, with old prefixes and old
/// tags removed so that subjects do not grow with every round trip.
///
/// ```
/// use vakt_mail::reply_subject;
/// assert_eq!(
///     reply_subject("AW: Re: [Helpdesk#17] Printer", "Helpdesk", "17"),
///     "Re: [Helpdesk#17] Printer"
/// );
/// ```
pub fn reply_subject(subject: &str, system_tag: &str, ticket_number: &str) -> String {
    format!("Re: {}", tagged_subject(subject, system_tag, ticket_number))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_ids_are_normalised() {
        assert_eq!(
            normalize_message_id(" <abc@x.org> ").as_deref(),
            Some("abc@x.org")
        );
        assert_eq!(
            normalize_message_id("abc @x.org").as_deref(),
            Some("abc@x.org")
        );
        assert_eq!(normalize_message_id("<>"), None);
        assert_eq!(normalize_message_id(""), None);
    }

    #[test]
    fn reference_lists_are_split() {
        assert_eq!(
            parse_message_ids("<a@x> <b@y>\r\n <c@z>"),
            ["a@x", "b@y", "c@z"]
        );
        assert_eq!(parse_message_ids("a@x, b@y"), ["a@x", "b@y"]);
        assert!(parse_message_ids("no ids here").is_empty());
    }

    #[test]
    fn ticket_tags_are_found_in_many_spellings() {
        let tag = "Helpdesk";
        for subject in [
            "[Helpdesk#123] x",
            "Re: [helpdesk#123] x",
            "AW: SV: Fwd: [HELPDESK# 123] x",
            "x [ Helpdesk #123 ] y",
            "Re:[Helpdesk#123]",
        ] {
            assert_eq!(
                find_ticket_number(subject, tag).as_deref(),
                Some("123"),
                "{subject}"
            );
        }
        for subject in [
            "[Helpdesk#] x",
            "[Helpdesk#12a] x",
            "Helpdesk#123",
            "[Helpdesks#1]",
            "",
        ] {
            assert_eq!(find_ticket_number(subject, tag), None, "{subject}");
        }
        assert_eq!(
            find_ticket_number("[Støtte#9]", "STØTTE").as_deref(),
            Some("9")
        );
        assert_eq!(find_ticket_number("[a.b*#9]", "a.b*").as_deref(), Some("9"));
        assert_eq!(find_ticket_number("[x#1]", ""), None);
    }

    #[test]
    fn prefixes_are_stripped() {
        assert_eq!(strip_reply_prefixes("Re: AW: SV:Fwd: x"), "x");
        assert_eq!(strip_reply_prefixes("RE[2]: Re(3): x"), "x");
        assert_eq!(strip_reply_prefixes("Resume: x"), "Resume: x");
        assert_eq!(strip_reply_prefixes("Re x"), "Re x");
    }

    #[test]
    fn reply_subjects_do_not_grow() {
        let once = reply_subject("Printer broken", "Helpdesk", "42");
        assert_eq!(once, "Re: [Helpdesk#42] Printer broken");
        let twice = reply_subject(&format!("AW: {once}"), "Helpdesk", "42");
        assert_eq!(twice, once);
        assert_eq!(reply_subject("", "Helpdesk", "42"), "Re: [Helpdesk#42]");
        assert_eq!(
            tagged_subject("Re: [helpdesk#42] Fwd: x", "Helpdesk", "42"),
            "[Helpdesk#42] x"
        );
    }
}
