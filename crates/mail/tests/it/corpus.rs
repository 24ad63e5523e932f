//! Snapshot tests over the corpus of tricky messages in `tests/data/mail/`.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde::Serialize;
use sha2::{Digest, Sha256};
use vakt_mail::{Automation, ClassifyOptions, ParsedMessage};

const SYSTEM_TAG: &str = "Helpdesk";

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/mail")
}

fn options() -> ClassifyOptions {
    ClassifyOptions {
        loop_value: Some("helpdesk@example.org".into()),
        own_addresses: vec!["helpdesk@example.org".into()],
        own_message_id_domain: Some("vakt.example.org".into()),
    }
}

#[derive(Serialize)]
struct AttachmentSummary {
    filename: String,
    content_type: String,
    size: usize,
    sha256: String,
    inline: bool,
    content_id: Option<String>,
    from_tnef: bool,
}

#[derive(Serialize)]
struct Summary {
    subject: Option<String>,
    from: Option<String>,
    to: Vec<String>,
    cc: Vec<String>,
    reply_to: Vec<String>,
    date: Option<String>,
    message_id: Option<String>,
    in_reply_to: Option<String>,
    references: String,
    recipients: Vec<String>,
    return_path: Option<String>,
    header_count: usize,
    text_chars: usize,
    text: String,
    html: Option<String>,
    has_remote_images: bool,
    attachments: Vec<AttachmentSummary>,
    automation: String,
    should_auto_answer: bool,
    ticket_number: Option<String>,
    warnings: Vec<String>,
}

fn excerpt(text: &str, chars: usize) -> String {
    let mut out: String = text.chars().take(chars).collect();
    if text.chars().count() > chars {
        out.push('…');
    }
    out
}

fn mailbox(a: &vakt_mail::Address) -> String {
    match &a.name {
        Some(name) => format!("{name} <{}>", a.address),
        None => a.address.clone(),
    }
}

fn sha256(data: &[u8]) -> String {
    Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn automation(message: &ParsedMessage) -> String {
    match vakt_mail::classify(message, &options()) {
        Automation::Bounce(dsn) => format!("Bounce {dsn:?}"),
        other => format!("{other:?}"),
    }
}

fn summarize(message: &ParsedMessage) -> Summary {
    let mut recipients = Vec::new();
    recipients.extend(
        message
            .delivered_to
            .iter()
            .map(|a| format!("delivered-to {a}")),
    );
    recipients.extend(
        message
            .x_original_to
            .iter()
            .map(|a| format!("x-original-to {a}")),
    );
    recipients.extend(
        message
            .envelope_recipients
            .iter()
            .map(|a| format!("envelope {a}")),
    );
    let references = match message.references.len() {
        0 => String::new(),
        n => format!(
            "{n}: {} … {}",
            message.references[0],
            message.references[n - 1]
        ),
    };
    Summary {
        subject: message.subject.as_deref().map(|s| excerpt(s, 120)),
        from: message.from.as_ref().map(mailbox),
        to: message.to.iter().map(mailbox).collect(),
        cc: message.cc.iter().map(mailbox).collect(),
        reply_to: message.reply_to.iter().map(mailbox).collect(),
        date: message.date.map(|d| d.to_rfc3339()),
        message_id: message.message_id.clone(),
        in_reply_to: message.in_reply_to.clone(),
        references,
        recipients,
        return_path: message.return_path.clone(),
        header_count: message.headers.len(),
        text_chars: message.text.chars().count(),
        text: excerpt(&message.text, 400),
        html: message.html.as_deref().map(|h| excerpt(h, 700)),
        has_remote_images: message.has_remote_images,
        attachments: message
            .attachments
            .iter()
            .map(|a| AttachmentSummary {
                filename: a.filename.clone(),
                content_type: a.content_type.clone(),
                size: a.data.len(),
                sha256: sha256(&a.data),
                inline: a.inline,
                content_id: a.content_id.clone(),
                from_tnef: a.from_tnef,
            })
            .collect(),
        automation: automation(message),
        should_auto_answer: vakt_mail::should_auto_answer_with(message, &options()),
        ticket_number: message
            .subject
            .as_deref()
            .and_then(|s| vakt_mail::find_ticket_number(s, SYSTEM_TAG)),
        warnings: message.warnings.clone(),
    }
}

fn corpus_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("corpus directory")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    files.sort();
    files
}

fn parse_file(name: &str) -> ParsedMessage {
    let raw = std::fs::read(corpus_dir().join(name)).expect("corpus file");
    vakt_mail::parse(&raw)
}

#[test]
fn corpus_has_at_least_thirty_messages() {
    assert!(corpus_files().len() >= 30, "{} files", corpus_files().len());
}

#[test]
fn every_corpus_message_matches_its_snapshot() {
    for path in corpus_files() {
        let raw = std::fs::read(&path).expect("read corpus file");
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("file name")
            .to_string();
        let summary = summarize(&vakt_mail::parse(&raw));
        insta::assert_yaml_snapshot!(name, summary);
    }
}

#[test]
fn hostile_html_is_defused() {
    let html = parse_file("13-html-hostile.eml").html.expect("html body");
    let lower = html.to_lowercase();
    for forbidden in [
        "<script",
        "onerror",
        "onload",
        "<iframe",
        "<form",
        "<input",
        "javascript:",
        "<style",
        "url(",
        "<meta",
        "<base",
        "<link",
        "<object",
        "<embed",
        "evil.example",
    ] {
        assert!(!lower.contains(forbidden), "{forbidden} survived in {html}");
    }
    assert!(
        html.contains("data-vakt-remote-src=\"https://tracker.example/pixel.gif\""),
        "{html}"
    );
    assert!(html.contains("https://example.com/ok"), "{html}");
}

#[test]
fn inline_images_keep_their_cid_references() {
    let parsed = parse_file("29-43-inline-images.eml");
    let html = parsed.html.expect("html body");
    let inline: Vec<_> = parsed.attachments.iter().filter(|a| a.inline).collect();
    assert_eq!(inline.len(), 43);
    for attachment in inline {
        let cid = attachment.content_id.as_deref().expect("content id");
        assert!(
            html.contains(&format!("src=\"cid:{cid}\"")),
            "cid:{cid} missing"
        );
    }
}

#[test]
fn charsets_are_decoded() {
    let cases = [
        ("01-iso-8859-1.eml", "Grüße aus Köln", "Büro"),
        (
            "02-windows-1252.eml",
            "“Smart quotes” – and € signs",
            "€100…",
        ),
        ("03-iso-8859-15.eml", "Prix: 50 €", "Œuvre, cœur"),
        ("04-koi8-r.eml", "Привет, не работает почта", "Здравствуйте"),
        ("05-shift-jis.eml", "パスワードを忘れました", "リセット"),
        (
            "06-iso-2022-jp.eml",
            "会議室の予約について",
            "会議室の予約ができません",
        ),
        ("07-gb2312.eml", "打印机故障", "打印机坏了"),
        ("08-big5.eml", "網路連線問題", "無法連線"),
        (
            "09-utf-7.eml",
            "Café reservation",
            "café réservation failed – sorry",
        ),
        (
            "20-8bit-latin1-headers.eml",
            "Søknad om tilgang på rom 2",
            "blåbær",
        ),
        ("21-8bit-utf8-headers.eml", "Søknad – ∑ UTF-8 rå", "✓"),
        (
            "37-unknown-charset.eml",
            "Unknown charset",
            "Café crème € 5",
        ),
    ];
    for (file, subject, body) in cases {
        let parsed = parse_file(file);
        assert_eq!(parsed.subject.as_deref(), Some(subject), "{file}");
        assert!(parsed.text.contains(body), "{file}: {:?}", parsed.text);
    }
}

/// Builds a message with a base64 attachment of `size` bytes.
fn message_with_attachment(size: usize) -> (Vec<u8>, Vec<u8>) {
    use base64::Engine as _;
    let data: Vec<u8> = (0..size).map(|i| (i * 7 % 251) as u8).collect();
    let encoded = base64::engine::general_purpose::STANDARD.encode(&data);
    let mut raw = b"From: a@example.org\r\nTo: b@example.org\r\nSubject: big\r\nMIME-Version: 1.0\r\n\
        Content-Type: multipart/mixed; boundary=\"big\"\r\n\r\n--big\r\nContent-Type: text/plain\r\n\r\n\
        see attachment\r\n--big\r\nContent-Type: application/octet-stream; name=\"big.bin\"\r\n\
        Content-Transfer-Encoding: base64\r\n\r\n"
        .to_vec();
    for line in encoded.as_bytes().chunks(76) {
        raw.extend_from_slice(line);
        raw.extend_from_slice(b"\r\n");
    }
    raw.extend_from_slice(b"--big--\r\n");
    (raw, data)
}

#[test]
fn ten_megabyte_attachment_is_parsed_in_linear_time() {
    let (small_raw, _) = message_with_attachment(1024 * 1024);
    let (raw, data) = message_with_attachment(10 * 1024 * 1024);
    let started = Instant::now();
    vakt_mail::parse(&small_raw);
    let small = started.elapsed();
    let started = Instant::now();
    let parsed = vakt_mail::parse(&raw);
    let big = started.elapsed();
    assert_eq!(parsed.attachments.len(), 1);
    assert_eq!(parsed.attachments[0].filename, "big.bin");
    assert_eq!(sha256(&parsed.attachments[0].data), sha256(&data));
    // 10× the input may cost ~10× the time; quadratic behaviour would cost ~100×.
    assert!(
        big < small * 40 + Duration::from_secs(2),
        "1 MB: {small:?}, 10 MB: {big:?}"
    );
}

#[test]
fn many_headers_and_parts_stay_fast() {
    let mut raw = Vec::new();
    for i in 0..20_000 {
        raw.extend_from_slice(format!("X-Header-{i}: value {i}\r\n").as_bytes());
    }
    raw.extend_from_slice(b"Content-Type: multipart/mixed; boundary=b\r\n\r\n");
    for i in 0..5_000 {
        raw.extend_from_slice(
            format!("--b\r\nContent-Type: text/plain; name=p{i}.txt\r\n\r\npart {i}\r\n")
                .as_bytes(),
        );
    }
    let started = Instant::now();
    let parsed = vakt_mail::parse(&raw);
    assert_eq!(parsed.headers.len(), 20_001);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn random_and_truncated_input_never_panics() {
    for path in corpus_files() {
        let raw = std::fs::read(&path).expect("read corpus file");
        for cut in (0..raw.len()).step_by(raw.len() / 50 + 1) {
            let parsed = vakt_mail::parse(&raw[..cut]);
            let _ = vakt_mail::classify(&parsed, &options());
            let _ = vakt_mail::should_auto_answer(&parsed);
        }
    }
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for len in [1usize, 10, 100, 1000, 10_000] {
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                b"\r\n:;=?<>-\"abcB Q\x80\xff"[(seed % 18) as usize]
            })
            .collect();
        vakt_mail::parse(&bytes);
    }
}

/// Inputs the fuzzer found. `fuzz-nested-debug-assert.bin` reaches a `debug_assert!` inside
/// mail-parser 0.11: debug builds panic there (parse() catches it and falls back to the
/// headers plus raw body), release builds parse it normally.
#[test]
fn fuzzer_findings_parse_without_panicking() {
    let dir = corpus_dir().join("regressions");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("regressions directory")
        .map(|e| e.expect("dir entry").path())
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for path in files {
        let raw = std::fs::read(&path).expect("read regression input");
        let parsed = vakt_mail::parse(&raw);
        let _ = vakt_mail::classify(&parsed, &options());
        if path.ends_with("fuzz-nested-debug-assert.bin") {
            assert_eq!(parsed.subject.as_deref(), Some("Fwd: Opprinnelig melding"));
            assert_eq!(
                parsed.from.as_ref().map(|f| f.address.as_str()),
                Some("kari@example.no")
            );
        }
    }
}
