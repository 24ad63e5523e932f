//! The search query language (documented in docs/search.md):
//!
//! - words: `printer jammed` (all must occur; case-insensitive)
//! - phrases: `"paper jam"` (words in this order, adjacent)
//! - prefixes: `print*`
//! - exclusion: `-toner` or `-"out of office"`
//! - fields: `subject:printer`, `from:ola@uio.no`, `subject:"paper jam"`
//!
//! Anything else is treated as plain text: punctuation splits words, unknown `field:` prefixes
//! are words. Parsing never fails; a query with nothing searchable is empty.

/// Where a term must occur.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// Anywhere: title, number, subjects, bodies, senders, attachment names and text.
    Any,
    /// Article subjects and the ticket title.
    Subject,
    /// Sender addresses.
    From,
}

/// What a term matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Matcher {
    /// One word, exactly.
    Word(String),
    /// Words starting with this.
    Prefix(String),
    /// These words in this order.
    Phrase(Vec<String>),
}

/// One term of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// Where.
    pub field: Field,
    /// What.
    pub matcher: Matcher,
    /// Must not occur.
    pub negated: bool,
    /// The text as typed (without field prefix, quotes or `*`), for search engines that
    /// tokenise themselves (PostgreSQL reads `ERR-4821` differently from a plain split).
    pub raw: String,
}

/// A parsed query: all non-negated terms must match, no negated term may.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    /// The terms, in input order.
    pub terms: Vec<Term>,
}

/// Longest query accepted, in characters; more is cut.
pub const MAX_QUERY_CHARS: usize = 500;
/// Most terms used; more are ignored.
pub const MAX_TERMS: usize = 16;

impl Query {
    /// Parses `input`.
    pub fn parse(input: &str) -> Query {
        let input: String = input.chars().take(MAX_QUERY_CHARS).collect();
        let mut terms = Vec::new();
        let mut rest = input.as_str().trim_start();
        while !rest.is_empty() && terms.len() < MAX_TERMS {
            let (term, remaining) = next_term(rest);
            terms.extend(term);
            rest = remaining.trim_start();
        }
        Query { terms }
    }

    /// True when there is nothing positive to search for (negations alone match nothing useful).
    pub fn is_empty(&self) -> bool {
        !self.terms.iter().any(|t| !t.negated)
    }

    /// The words to highlight in snippets.
    pub fn highlight_words(&self) -> Vec<String> {
        let mut words = Vec::new();
        for term in self.terms.iter().filter(|t| !t.negated) {
            match &term.matcher {
                Matcher::Word(w) | Matcher::Prefix(w) => words.push(w.clone()),
                Matcher::Phrase(ws) => words.extend(ws.iter().cloned()),
            }
        }
        words
    }
}

fn next_term(input: &str) -> (Option<Term>, &str) {
    let (negated, input) = match input.strip_prefix('-') {
        Some(rest) if !rest.is_empty() && !rest.starts_with(char::is_whitespace) => (true, rest),
        _ => (false, input),
    };
    let (field, input) = field_prefix(input);
    if let Some(quoted) = input.strip_prefix('"') {
        let (inside, rest) = match quoted.find('"') {
            Some(end) => (&quoted[..end], &quoted[end + 1..]),
            None => (quoted, ""),
        };
        let words = split_words(inside, field);
        let matcher = match words.len() {
            0 => return (None, rest),
            1 => Matcher::Word(words.into_iter().next().unwrap_or_default()),
            _ => Matcher::Phrase(words),
        };
        let raw = inside.trim().to_owned();
        return (
            Some(Term {
                field,
                matcher,
                negated,
                raw,
            }),
            rest,
        );
    }
    let end = input.find(char::is_whitespace).unwrap_or(input.len());
    let (token, rest) = input.split_at(end);
    let prefix = token.ends_with('*');
    let words = split_words(token.trim_end_matches('*'), field);
    let matcher = match (words.len(), prefix) {
        (0, _) => return (None, rest),
        (1, true) => Matcher::Prefix(words.into_iter().next().unwrap_or_default()),
        (1, false) => Matcher::Word(words.into_iter().next().unwrap_or_default()),
        // `e-mail` or `foo.bar`: the pieces in order, like a phrase.
        (_, _) => Matcher::Phrase(words),
    };
    let raw = token.trim_end_matches('*').to_owned();
    (
        Some(Term {
            field,
            matcher,
            negated,
            raw,
        }),
        rest,
    )
}

fn field_prefix(input: &str) -> (Field, &str) {
    for (name, field) in [("subject:", Field::Subject), ("from:", Field::From)] {
        // `get`, not indexing: the name's length may fall inside a multi-byte character.
        if let Some(head) = input.get(..name.len())
            && input.len() > name.len()
            && head.eq_ignore_ascii_case(name)
        {
            return (field, &input[name.len()..]);
        }
    }
    (Field::Any, input)
}

/// Splits text into lower-cased words. Addresses stay whole in `from:` terms (they are indexed
/// whole), elsewhere letters and digits make words.
fn split_words(text: &str, field: Field) -> Vec<String> {
    if field == Field::From {
        let cleaned: String = text
            .chars()
            .filter(|c| c.is_alphanumeric() || matches!(c, '@' | '.' | '-' | '_' | '+'))
            .collect::<String>()
            .to_lowercase();
        let cleaned = cleaned
            .trim_matches(|c: char| c == '.' || c == '-')
            .to_owned();
        return if cleaned.is_empty() {
            Vec::new()
        } else {
            vec![cleaned]
        };
    }
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// A piece of text around the first hit, with the hits marked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// The text (whitespace collapsed), with `…` where it was cut.
    pub text: String,
    /// Hits as (start, length) in characters of `text`.
    pub highlights: Vec<(usize, usize)>,
}

/// Characters of context before the first hit.
const LEAD: usize = 60;

/// A snippet of about `max_chars` around the first word (or word prefix) of `words` in `text`,
/// or `None` when none occurs at a word start.
pub fn snippet(text: &str, words: &[String], max_chars: usize) -> Option<Snippet> {
    let chars: Vec<char> = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .collect();
    let lower: Vec<char> = chars.iter().flat_map(|c| c.to_lowercase().next()).collect();
    let words: Vec<Vec<char>> = words
        .iter()
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().chars().collect())
        .collect();
    let starts_word = |at: usize| at == 0 || !lower[at - 1].is_alphanumeric();
    let hit_at = |at: usize| {
        words
            .iter()
            .find(|w| lower[at..].starts_with(w))
            .map(|w| w.len())
    };
    let first = (0..lower.len()).find(|&at| starts_word(at) && hit_at(at).is_some())?;
    let start = first.saturating_sub(LEAD);
    let end = (start + max_chars).min(chars.len());
    let mut out: String = if start > 0 {
        "…".into()
    } else {
        String::new()
    };
    let offset = out.chars().count();
    out.extend(&chars[start..end]);
    if end < chars.len() {
        out.push('…');
    }
    let mut highlights = Vec::new();
    let mut at = start;
    while at < end {
        match hit_at(at).filter(|_| starts_word(at)) {
            Some(len) => {
                let len = len.min(end - at);
                highlights.push((at - start + offset, len));
                at += len;
            }
            None => at += 1,
        }
    }
    Some(Snippet {
        text: out,
        highlights,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(field: Field, matcher: Matcher, negated: bool) -> Term {
        Term {
            field,
            matcher,
            negated,
            raw: String::new(),
        }
    }

    fn word(field: Field, w: &str, negated: bool) -> Term {
        term(field, Matcher::Word(w.into()), negated)
    }

    /// The terms without their raw text, to compare shapes.
    fn shape(terms: &[Term]) -> Vec<Term> {
        terms
            .iter()
            .map(|t| Term {
                raw: String::new(),
                ..t.clone()
            })
            .collect()
    }

    #[test]
    fn parses_words_phrases_prefixes_exclusions_and_fields() {
        let q = Query::parse(
            r#"Printer "paper  jam" print* -toner subject:urgent from:Ola@UiO.no -"out of office""#,
        );
        assert_eq!(
            shape(&q.terms),
            vec![
                word(Field::Any, "printer", false),
                term(
                    Field::Any,
                    Matcher::Phrase(vec!["paper".into(), "jam".into()]),
                    false
                ),
                term(Field::Any, Matcher::Prefix("print".into()), false),
                word(Field::Any, "toner", true),
                word(Field::Subject, "urgent", false),
                word(Field::From, "ola@uio.no", false),
                term(
                    Field::Any,
                    Matcher::Phrase(vec!["out".into(), "of".into(), "office".into()]),
                    true
                ),
            ]
        );
        assert_eq!(q.terms[1].raw, "paper  jam");
        assert_eq!(q.terms[5].raw, "Ola@UiO.no");
        assert_eq!(
            q.highlight_words(),
            vec!["printer", "paper", "jam", "print", "urgent", "ola@uio.no"]
        );
    }

    #[test]
    fn snippets_mark_the_hits_around_the_first_one() {
        let text =
            "Hello,\n\nthe printer on floor three is jammed again. Printing fails; reprint later.";
        let snip = snippet(text, &["print".into()], 40).unwrap();
        assert_eq!(snip.text, "Hello, the printer on floor three is jam…");
        let marked: Vec<String> = snip
            .highlights
            .iter()
            .map(|&(s, l)| snip.text.chars().skip(s).take(l).collect())
            .collect();
        assert_eq!(marked, vec!["print"], "reprint is not at a word start");
        let long = format!("{} needle {}", "hay ".repeat(50), "hay ".repeat(50));
        let snip = snippet(&long, &["NEEDLE".into()], 80).unwrap();
        assert!(snip.text.starts_with('…') && snip.text.ends_with('…'));
        let (s, l) = snip.highlights[0];
        assert_eq!(
            snip.text.chars().skip(s).take(l).collect::<String>(),
            "needle"
        );
        assert_eq!(snippet("nothing here", &["absent".into()], 80), None);
    }

    #[test]
    fn odd_input_degrades_to_words() {
        assert_eq!(
            Query::parse("e-mail").terms[0].matcher,
            Matcher::Phrase(vec!["e".into(), "mail".into()])
        );
        assert_eq!(Query::parse("ERR-4821").terms[0].raw, "ERR-4821");
        assert_eq!(
            Query::parse("\"unterminated phrase").terms[0].matcher,
            Matcher::Phrase(vec!["unterminated".into(), "phrase".into()])
        );
        assert_eq!(Query::parse("unknown:field").terms.len(), 1);
        assert!(Query::parse("- * \"\" ??? -").is_empty());
        assert!(Query::parse("-only -negative").is_empty());
        assert_eq!(
            shape(&Query::parse("søknad Øst").terms)[1],
            word(Field::Any, "øst", false)
        );
        assert_eq!(
            shape(&Query::parse("2026112410000017").terms)[0],
            word(Field::Any, "2026112410000017", false)
        );
        let long = "word ".repeat(100);
        assert_eq!(Query::parse(&long).terms.len(), MAX_TERMS);
    }

    #[test]
    fn field_names_are_not_cut_inside_a_multi_byte_character() {
        // "abcdé": byte 5 ("from:".len()) falls inside the é; this used to panic.
        for input in [
            "abcdé",
            "-abcdé",
            "abcdefgé",
            r"-\abcé x",
            "subjéct:x",
            "fröm:ola",
        ] {
            let q = Query::parse(input);
            assert!(q.terms.iter().all(|t| t.field == Field::Any), "{input}");
        }
        assert_eq!(
            Query::parse("SUBJECT:østfold").terms[0].field,
            Field::Subject
        );
    }

    proptest::proptest! {
        #[test]
        fn parsing_and_snippets_never_panic(input in "\\PC{0,80}", text in "\\PC{0,200}") {
            let query = Query::parse(&input);
            let words = query.highlight_words();
            let _ = snippet(&text, &words, 60);
            let _ = snippet(&input, &words, 10);
        }
    }
}
