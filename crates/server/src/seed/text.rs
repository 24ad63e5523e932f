//! Realistic-looking helpdesk text: subjects and bodies drawn from an English and Norwegian
//! support vocabulary with a Zipf-like skew (common words very common, rare words rare), plus a
//! unique error code per ticket so that benchmarks can search for a rare term.

use rand::Rng;

const WORDS: &[&str] = &[
    "the",
    "and",
    "to",
    "is",
    "not",
    "it",
    "on",
    "my",
    "with",
    "for",
    "please",
    "help",
    "can",
    "you",
    "i",
    "we",
    "this",
    "that",
    "have",
    "a",
    "of",
    "in",
    "error",
    "when",
    "after",
    "since",
    "again",
    "printer",
    "password",
    "login",
    "account",
    "email",
    "mailbox",
    "vpn",
    "network",
    "wifi",
    "eduroam",
    "laptop",
    "screen",
    "keyboard",
    "mouse",
    "drive",
    "backup",
    "server",
    "access",
    "permission",
    "folder",
    "share",
    "calendar",
    "meeting",
    "room",
    "projector",
    "teams",
    "zoom",
    "canvas",
    "exam",
    "student",
    "course",
    "grade",
    "semester",
    "registration",
    "application",
    "admission",
    "invoice",
    "payment",
    "salary",
    "travel",
    "reimbursement",
    "contract",
    "license",
    "software",
    "install",
    "update",
    "upgrade",
    "reset",
    "locked",
    "expired",
    "slow",
    "crash",
    "freeze",
    "broken",
    "missing",
    "deleted",
    "restore",
    "phone",
    "mobile",
    "certificate",
    "browser",
    "chrome",
    "firefox",
    "windows",
    "macos",
    "linux",
    "ubuntu",
    "office",
    "word",
    "excel",
    "outlook",
    "onedrive",
    "sharepoint",
    "urgent",
    "today",
    "tomorrow",
    "deadline",
    "thanks",
    "regards",
    "best",
    "hello",
    "hi",
    "dear",
    "skriver",
    "passord",
    "nettverk",
    "tilgang",
    "innlogging",
    "eksamen",
    "emne",
    "student",
    "søknad",
    "opptak",
    "faktura",
    "lønn",
    "reise",
    "refusjon",
    "kontrakt",
    "lisens",
    "programvare",
    "installere",
    "oppdatere",
    "tilbakestille",
    "låst",
    "utløpt",
    "treg",
    "krasjer",
    "fryser",
    "ødelagt",
    "mangler",
    "slettet",
    "gjenopprette",
    "mobil",
    "sertifikat",
    "nettleser",
    "kalender",
    "møte",
    "rom",
    "hjelp",
    "takk",
    "hilsen",
    "hei",
    "vennlig",
    "haster",
    "frist",
    "i dag",
    "i morgen",
    "fungerer",
    "ikke",
    "kan",
    "dere",
    "jeg",
    "vi",
    "med",
    "på",
    "og",
    "er",
    "det",
    "har",
    "etter",
    "igjen",
    "feilmelding",
    "building",
    "floor",
    "office",
    "department",
    "faculty",
    "library",
    "lab",
    "campus",
    "parking",
    "card",
    "key",
    "door",
    "heating",
    "ventilation",
    "cleaning",
    "furniture",
    "delivery",
    "order",
];

/// A word with a skewed distribution: low indices (common words) far more often.
fn word(rng: &mut impl Rng) -> &'static str {
    let u: f64 = rng.gen_range(0.0..1.0);
    let index = ((WORDS.len() as f64).powf(u) - 1.0) as usize;
    WORDS[index.min(WORDS.len() - 1)]
}

/// A sentence-like run of `n` words.
pub fn words(rng: &mut impl Rng, n: usize) -> String {
    let mut out = String::with_capacity(n * 7);
    for i in 0..n {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word(rng));
    }
    out
}

/// A ticket title.
pub fn title(rng: &mut impl Rng) -> String {
    let count = rng.gen_range(3..9);
    let mut title = words(rng, count);
    if let Some(first) = title.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    title
}

/// An article body of a few paragraphs, with the ticket's rare code in the first.
pub fn body(rng: &mut impl Rng, code: &str) -> String {
    let paragraphs = rng.gen_range(1..4);
    let mut body = String::new();
    for p in 0..paragraphs {
        if p > 0 {
            body.push_str("\n\n");
        }
        let count = rng.gen_range(15..60);
        body.push_str(&words(rng, count));
        if p == 0 {
            body.push_str(" (");
            body.push_str(code);
            body.push(')');
        }
        body.push('.');
    }
    body
}
