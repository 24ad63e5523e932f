//! Fuzzes the inbound path as the service uses it: parse a raw message, classify it for
//! loop/bounce protection, and look for the ticket tag and thread ids. Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let parsed = vakt_mail::parse(data);
    let options = vakt_mail::ClassifyOptions {
        loop_value: Some("helpdesk@example.org".into()),
        own_addresses: vec!["helpdesk@example.org".into()],
        own_message_id_domain: Some("vakt.example.org".into()),
    };
    let _ = vakt_mail::classify(&parsed, &options);
    let _ = vakt_mail::should_auto_answer(&parsed);
    if let Some(subject) = &parsed.subject {
        let _ = vakt_mail::find_ticket_number(subject, "Helpdesk");
        let _ = vakt_mail::reply_subject(subject, "Helpdesk", "2026112210000017");
    }
    for value in parsed.header_values("References") {
        let _ = vakt_mail::parse_message_ids(value);
    }
    // The subject functions also get raw text, as a filter or an API client might pass it.
    let text = String::from_utf8_lossy(data);
    let _ = vakt_mail::find_ticket_number(&text, "Helpdesk");
    let _ = vakt_mail::clean_subject(&text, "Helpdesk");
});
