//! The words around the public knowledge-base pages (heading, search, footer, …) in each
//! language Vakt speaks; the articles bring their own.

/// The fixed texts of the public pages in one language.
pub struct Chrome {
    /// The site's name and the index heading.
    pub knowledge_base: &'static str,
    /// The index page's description for search engines.
    pub description: &'static str,
    /// The search field's label and button.
    pub search: &'static str,
    /// An empty result.
    pub no_articles: &'static str,
    /// The heading over an article's files.
    pub files: &'static str,
    /// Before the links to an article's translations.
    pub also_in: &'static str,
    /// The footer's link text.
    pub sign_in: &'static str,
    /// The rest of the footer's sentence after the link (with its leading space or comma).
    pub sign_in_rest: &'static str,
    /// The heading of a missing page.
    pub not_found: &'static str,
    /// The text of a missing page.
    pub not_found_text: &'static str,
}

const EN: Chrome = Chrome {
    knowledge_base: "Knowledge base",
    description: "Answers to common questions",
    search: "Search",
    no_articles: "No articles found.",
    files: "Files",
    also_in: "Also in:",
    sign_in: "Sign in",
    sign_in_rest: " to see more answers or to ask us.",
    not_found: "Not found",
    not_found_text: "There is no public article here.",
};

const NL: Chrome = Chrome {
    knowledge_base: "Kennisbank",
    description: "Antwoorden op veelgestelde vragen",
    search: "Zoeken",
    no_articles: "Geen artikelen gevonden.",
    files: "Bestanden",
    also_in: "Ook in:",
    sign_in: "Meld u aan",
    sign_in_rest: " om meer antwoorden te zien of ons een vraag te stellen.",
    not_found: "Niet gevonden",
    not_found_text: "Hier staat geen openbaar artikel.",
};

const NB: Chrome = Chrome {
    knowledge_base: "Kunnskapsbase",
    description: "Svar på vanlige spørsmål",
    search: "Søk",
    no_articles: "Fant ingen artikler.",
    files: "Filer",
    also_in: "Også på:",
    sign_in: "Logg inn",
    sign_in_rest: " for å se flere svar eller spørre oss.",
    not_found: "Ikke funnet",
    not_found_text: "Det finnes ingen offentlig artikkel her.",
};

const DE: Chrome = Chrome {
    knowledge_base: "Wissensdatenbank",
    description: "Antworten auf häufige Fragen",
    search: "Suchen",
    no_articles: "Keine Artikel gefunden.",
    files: "Dateien",
    also_in: "Auch auf:",
    sign_in: "Melden Sie sich an",
    sign_in_rest: ", um mehr Antworten zu sehen oder uns zu fragen.",
    not_found: "Nicht gefunden",
    not_found_text: "Hier gibt es keinen öffentlichen Artikel.",
};

/// The texts for `lang` (one of the supported languages), English for any other.
pub fn chrome(lang: &str) -> &'static Chrome {
    match lang {
        "nl" => &NL,
        "nb" => &NB,
        "de" => &DE,
        _ => &EN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vakt_domain::locale::SUPPORTED_LANGUAGES;

    #[test]
    fn every_supported_language_has_its_own_texts() {
        for lang in SUPPORTED_LANGUAGES {
            let texts = chrome(lang);
            assert!(!texts.knowledge_base.is_empty());
            if *lang != "en" {
                assert_ne!(texts.knowledge_base, EN.knowledge_base, "{lang}");
            }
        }
        assert_eq!(chrome("xx").search, "Search");
    }
}
