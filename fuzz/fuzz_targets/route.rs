//! Fuzzes the routing decisions of inbound mail (pure functions, no database): thread keys
//! (ticket tag, In-Reply-To/References), recipient addresses and the queue they pick,
//! postmaster filters over any header or the body, and the final queue choice. Nothing may
//! panic, and the decisions must hold their invariants.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vakt_mail::route::{
    Condition, Filter, FilterActions, apply_filters, choose_queue, compile_pattern,
    queue_for_recipients, recipients, thread_keys, MAX_THREAD_IDS,
};

fn filters() -> Vec<Filter> {
    let condition = |field: &str, pattern: &str, negate: bool| Condition {
        field: field.into(),
        pattern: compile_pattern(pattern).expect("valid pattern"),
        negate,
    };
    vec![
        Filter {
            id: 1,
            conditions: vec![condition("X-Spam-Flag", "(?i)^yes", false)],
            actions: FilterActions { ignore: true, ..Default::default() },
            stop_after_match: false,
        },
        Filter {
            id: 2,
            conditions: vec![condition("subject", "(?i)urgent|asap", false), condition("from", "@", false)],
            actions: FilterActions { priority_id: Some(5), queue_id: Some(2), ..Default::default() },
            stop_after_match: true,
        },
        Filter {
            id: 3,
            conditions: vec![condition("body", "(?s)invoice.*attached", false), condition("to", "billing", true)],
            actions: FilterActions { customer_email: Some("billing@example.org".into()), ..Default::default() },
            stop_after_match: false,
        },
    ]
}

fuzz_target!(|data: &[u8]| {
    let parsed = vakt_mail::parse(data);
    let keys = thread_keys(&parsed, "Ticket");
    assert!(keys.message_ids.len() <= MAX_THREAD_IDS);
    if let Some(number) = &keys.ticket_number {
        assert!(!number.is_empty() && number.chars().all(|c| c.is_ascii_digit()));
    }
    let to = recipients(&parsed);
    assert!(to.iter().all(|r| r.contains('@') && *r == r.to_lowercase()));
    let queues = vec![(2, "it@example.org".to_owned()), (3, "Billing@Example.org".to_owned())];
    let by_recipient = queue_for_recipients(&to, &queues);
    assert!(by_recipient.is_none_or(|q| q == 2 || q == 3));
    let outcome = apply_filters(&filters(), &parsed);
    assert!(outcome.matched.windows(2).all(|w| w[0] < w[1]), "filters run in order");
    let queue = choose_queue(outcome.actions.queue_id, by_recipient, Some(4), 1);
    assert!([1, 2, 3, 4].contains(&queue));
    // Patterns an administrator types are fuzzed too: compiling never panics.
    let _ = compile_pattern(&String::from_utf8_lossy(&data[..data.len().min(200)]));
});
