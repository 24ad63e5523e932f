//! The corpus of tricky messages in `tests/data/mail/` (charsets, encoded words, HTML-only,
//! inline images, nested messages, winmail.dat, broken MIME, bounces, out-of-office…) plus a
//! generated 10 MB attachment, each delivered through `POST /api/v1/mail/inbound`; an insta
//! snapshot per message pins what it became (the same on both backends). Accept changes with
//! `INSTA_UPDATE=always` and review the diff in `tests/data/mail/ingest-snapshots/`.

use serde_json::{Value, json};

use crate::mail_support::*;

fn excerpt(text: &str, max: usize) -> String {
    let cut: String = text.chars().take(max).collect();
    if cut.len() < text.len() {
        format!("{cut}…")
    } else {
        cut
    }
}

fn summary(app: &crate::support::TestApp, answer: &Value) -> Value {
    let articles: Vec<Value> = match answer["ticket_id"].as_i64() {
        Some(id) => articles(app, id)
            .iter()
            .map(|a| {
                json!({
                    "sender_type": a["sender_type"],
                    "channel": a["channel"],
                    "customer_visible": a["customer_visible"],
                    "from": a["from"],
                    "to": a["to"],
                    "cc": a["cc"],
                    "subject": a["subject"],
                    "body": excerpt(a["body"].as_str().unwrap_or_default(), 300),
                    "html": a["body_html"].as_str().map(|h| excerpt(h, 200)),
                    "message_id": a["message_id"],
                    "in_reply_to": a["in_reply_to"],
                    "attachments": a["attachments"].as_array().unwrap().iter().map(|f| json!({
                        "filename": f["filename"], "content_type": f["content_type"],
                        "size": f["size"], "inline": f["inline"], "content_id": f["content_id"],
                    })).collect::<Vec<_>>(),
                })
            })
            .collect(),
        None => Vec::new(),
    };
    let ticket = answer["ticket_id"].as_i64().map(|id| {
        let t = ticket(app, id);
        json!({"title": t["title"], "queue": t["queue"]["name"], "state": t["state"]["state_type"],
               "customer": t["customer"]["email"]})
    });
    json!({
        "outcome": answer["outcome"],
        "reason": answer["reason"],
        "ticket": ticket,
        "articles": articles,
    })
}

fn ten_megabytes() -> Vec<u8> {
    let data: Vec<u8> = (0..10 * 1024 * 1024 / 3)
        .flat_map(|i: u32| [(i % 251) as u8, (i % 241) as u8, (i % 239) as u8])
        .collect();
    let mut encoded = String::new();
    let b64 = base64_lines(&data);
    encoded.push_str("From: big@example.org\r\nTo: support@example.com\r\nSubject: Ten megabytes\r\n\
        Message-ID: <big@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
        --b\r\nContent-Type: text/plain\r\n\r\nSee attachment.\r\n--b\r\n\
        Content-Type: application/octet-stream; name=\"big.bin\"\r\nContent-Transfer-Encoding: base64\r\n\
        Content-Disposition: attachment; filename=\"big.bin\"\r\n\r\n");
    encoded.push_str(&b64);
    encoded.push_str("--b--\r\n");
    encoded.into_bytes()
}

fn base64_lines(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len() * 4 / 3 + data.len() / 38);
    for (n, chunk) in data.chunks(3).enumerate() {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let v = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((v >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
        if n % 19 == 18 {
            out.push_str("\r\n");
        }
    }
    out.push_str("\r\n");
    out
}

both_backends! {
    fn the_corpus_becomes_what_the_snapshots_say(app) {
        let token = gateway_token(&app);
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/mail");
        let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .collect();
        files.sort();
        assert!(files.len() >= 30, "the corpus has {} messages", files.len());
        for file in &files {
            let raw = std::fs::read(file).unwrap();
            let answer = deliver_ok(&app, &token, &raw);
            assert_ne!(answer["outcome"], "quarantined", "{}: {answer}", file.display());
            let name = file.file_stem().unwrap().to_string_lossy().into_owned();
            insta::with_settings!({
                snapshot_path => "../data/mail/ingest-snapshots",
                prepend_module_to_snapshot => false,
                omit_expression => true,
            }, {
                insta::assert_yaml_snapshot!(name, summary(&app, &answer));
            });
        }
        let big = deliver_ok(&app, &token, &ten_megabytes());
        assert_eq!(big["outcome"], "created", "{big}");
        let stored = articles(&app, big["ticket_id"].as_i64().unwrap());
        assert_eq!(stored[0]["attachments"][0]["filename"], "big.bin");
        assert_eq!(stored[0]["attachments"][0]["size"], 10 * 1024 * 1024 / 3 * 3);
    }
}
