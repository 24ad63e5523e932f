//! Knowledge-base vocabulary: who may read an article (its visibility), where it stands in its
//! life (its state), readable URL slugs and keyword lists.

/// Who may read a published article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Visibility {
    /// Agents who read the category's group (`ro`).
    Internal,
    /// Also signed-in customers.
    Customer,
    /// Everyone, without signing in.
    Public,
}

impl Visibility {
    /// All, from the most restricted.
    pub const ALL: [Visibility; 3] = [Self::Internal, Self::Customer, Self::Public];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Internal => "internal",
            Self::Customer => "customer",
            Self::Public => "public",
        }
    }

    /// Parses a stored or wire name.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == value)
    }
}

/// Where an article stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArticleState {
    /// Being written: editors only.
    Draft,
    /// Readable by its audience; every change is a new version.
    Published,
    /// Withdrawn: editors only, kept with its versions.
    Archived,
}

impl ArticleState {
    /// All states.
    pub const ALL: [ArticleState; 3] = [Self::Draft, Self::Published, Self::Archived];

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
            Self::Archived => "archived",
        }
    }

    /// Parses a stored or wire name.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }
}

/// Longest slug, in characters.
const MAX_SLUG: usize = 80;

/// A URL slug of a title: lower-case letters and digits joined by `-`, diacritics of Latin
/// letters dropped (`Skriver på 3. etasje` → `skriver-pa-3-etasje`); `article` when nothing is
/// left.
pub fn slugify(title: &str) -> String {
    let mut slug = String::new();
    let mut dash = false;
    for c in title.chars().flat_map(char::to_lowercase) {
        let mapped = match c {
            'æ' => Some("ae"),
            'ø' | 'ö' => Some("o"),
            'å' | 'ä' | 'á' | 'à' | 'â' => Some("a"),
            'ü' | 'ú' | 'ù' | 'û' => Some("u"),
            'é' | 'è' | 'ê' | 'ë' => Some("e"),
            'í' | 'ì' | 'î' | 'ï' => Some("i"),
            'ó' | 'ò' | 'ô' => Some("o"),
            'ß' => Some("ss"),
            _ => None,
        };
        if let Some(text) = mapped {
            if dash && !slug.is_empty() {
                slug.push('-');
            }
            dash = false;
            slug.push_str(text);
        } else if c.is_ascii_alphanumeric() {
            if dash && !slug.is_empty() {
                slug.push('-');
            }
            dash = false;
            slug.push(c);
        } else {
            dash = true;
        }
        if slug.len() >= MAX_SLUG {
            break;
        }
    }
    let slug = slug.trim_end_matches('-').to_owned();
    if slug.is_empty() {
        "article".to_owned()
    } else {
        slug
    }
}

/// Keywords cleaned: trimmed, lower-cased, without empties and duplicates, in input order.
pub fn clean_keywords<S: AsRef<str>>(keywords: &[S]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for keyword in keywords {
        let keyword = keyword
            .as_ref()
            .replace(char::is_control, " ")
            .trim()
            .to_lowercase();
        if !keyword.is_empty() && !out.contains(&keyword) {
            out.push(keyword);
        }
    }
    out
}

/// Keywords as stored: one a line.
pub fn join_keywords(keywords: &[String]) -> String {
    keywords.join("\n")
}

/// Stored keywords as a list.
pub fn split_keywords(stored: &str) -> Vec<String> {
    stored
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for v in Visibility::ALL {
            assert_eq!(Visibility::parse(v.as_str()), Some(v));
        }
        for s in ArticleState::ALL {
            assert_eq!(ArticleState::parse(s.as_str()), Some(s));
        }
        assert_eq!(Visibility::parse("secret"), None);
        assert!(Visibility::Internal < Visibility::Customer);
    }

    #[test]
    fn slugs_are_readable() {
        assert_eq!(slugify("Skriver på 3. etasje"), "skriver-pa-3-etasje");
        assert_eq!(slugify("  VPN: how to connect?! "), "vpn-how-to-connect");
        assert_eq!(slugify("Größe ändern"), "grosse-andern");
        assert_eq!(slugify("!!!"), "article");
        assert!(slugify(&"long words ".repeat(30)).len() <= MAX_SLUG + 4);
    }

    #[test]
    fn keywords_are_cleaned_and_stored_one_a_line() {
        let cleaned = clean_keywords(&[" VPN ", "vpn", "", "Remote access"]);
        assert_eq!(cleaned, vec!["vpn", "remote access"]);
        assert_eq!(split_keywords(&join_keywords(&cleaned)), cleaned);
        assert!(split_keywords("").is_empty());
    }
}
