//! Live updates over Server-Sent Events, read by a real HTTP client with timeouts: an agent sees
//! another agent's reply, a stream resumes with `Last-Event-ID`, customers see only their own
//! tickets' customer-visible changes, agents nothing of tickets they cannot see; heartbeats.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::sync::mpsc;
use std::time::{Duration as StdDuration, Instant};

use serde_json::{Value, json};
use vakt_http::HttpConfig;
use vakt_service::ServiceConfig;
use vakt_service::live::LiveConfig;

use crate::notifications::queue_in_new_group;
use crate::support::{TestApp, TestDb};

/// One server-sent event.
#[derive(Debug, Clone)]
pub struct SseEvent {
    /// `event:` (default `message`).
    pub event: String,
    /// `id:`.
    pub id: Option<String>,
    /// `data:` as JSON.
    pub data: Value,
}

/// A stream being read on a thread; events arrive on a channel.
pub struct Sse {
    events: mpsc::Receiver<SseEvent>,
    /// Response headers (lower-case names).
    pub headers: HashMap<String, String>,
}

impl Sse {
    /// Opens `url` (`Err((status, body))` when the answer is not 200).
    pub fn open(url: &str, headers: &[(&str, &str)]) -> Result<Sse, (u16, String)> {
        let mut request = ureq::get(url);
        for (name, value) in headers {
            request = request.set(name, value);
        }
        let response = match request.call() {
            Ok(r) => r,
            Err(ureq::Error::Status(status, r)) => {
                return Err((status, r.into_string().unwrap_or_default()));
            }
            Err(e) => panic!("{e}"),
        };
        let headers = response
            .headers_names()
            .into_iter()
            .filter_map(|n| {
                response
                    .header(&n)
                    .map(|v| (n.to_ascii_lowercase(), v.to_owned()))
            })
            .collect();
        let (tx, rx) = mpsc::channel();
        let reader = BufReader::new(response.into_reader());
        std::thread::spawn(move || {
            let (mut event, mut id, mut data) = (String::new(), None, String::new());
            for line in reader.lines() {
                let Ok(line) = line else { break };
                if line.is_empty() {
                    if !data.is_empty() {
                        let parsed = serde_json::from_str(&data).unwrap_or(Value::Null);
                        let name = if event.is_empty() {
                            "message".to_owned()
                        } else {
                            event.clone()
                        };
                        if tx
                            .send(SseEvent {
                                event: name,
                                id: id.take(),
                                data: parsed,
                            })
                            .is_err()
                        {
                            return;
                        }
                    }
                    event.clear();
                    data.clear();
                } else if let Some(v) = line.strip_prefix("event: ") {
                    event = v.to_owned();
                } else if let Some(v) = line.strip_prefix("id: ") {
                    id = Some(v.to_owned());
                } else if let Some(v) = line.strip_prefix("data: ") {
                    data.push_str(v);
                }
            }
            let _ = tx.send(SseEvent {
                event: "__closed".into(),
                id: None,
                data: Value::Null,
            });
        });
        Ok(Sse {
            events: rx,
            headers,
        })
    }

    /// The next event other than heartbeats, within `timeout`.
    pub fn next(&self, timeout: StdDuration) -> Option<SseEvent> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            match self.events.recv_timeout(left) {
                Ok(e) if e.event == "heartbeat" => continue,
                Ok(e) => return Some(e),
                Err(_) => return None,
            }
        }
    }

    /// Every event up to and including the first that `stop` accepts (panics after `timeout`).
    pub fn until(&self, timeout: StdDuration, stop: impl Fn(&SseEvent) -> bool) -> Vec<SseEvent> {
        let mut seen = Vec::new();
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.next(left) {
                Some(e) => {
                    let done = stop(&e);
                    seen.push(e);
                    if done {
                        return seen;
                    }
                }
                None => panic!("no matching event within {timeout:?}; saw {seen:#?}"),
            }
        }
    }

    /// Any event at all (heartbeats included) within `timeout`.
    pub fn raw(&self, timeout: StdDuration) -> Option<SseEvent> {
        self.events.recv_timeout(timeout).ok()
    }
}

const WAIT: StdDuration = StdDuration::from_secs(10);

/// An app whose live-update poller runs every 50 ms and whose streams beat every 0.7 s.
pub fn live_app(db: TestDb) -> TestApp {
    let config = ServiceConfig {
        live: LiveConfig {
            poll_interval: StdDuration::from_millis(50),
            heartbeat: StdDuration::from_millis(700),
            ..LiveConfig::default()
        },
        ..ServiceConfig::default()
    };
    TestApp::start_with(db, config, HttpConfig::default())
}

/// Opens the caller's stream with a bearer header and waits for `ready`.
pub fn stream(app: &TestApp, token: &str, last_event_id: Option<&str>) -> (Sse, String) {
    let bearer = format!("Bearer {token}");
    let mut headers = vec![("authorization", bearer.as_str())];
    if let Some(id) = last_event_id {
        headers.push(("last-event-id", id));
    }
    let sse = Sse::open(
        &format!("{}/api/v1/events/stream", app.base_url()),
        &headers,
    )
    .unwrap_or_else(|(status, body)| panic!("{status}: {body}"));
    let events = sse.until(WAIT, |e| e.event == "ready");
    let ready = events.last().unwrap();
    (sse, ready.id.clone().unwrap())
}

fn article(app: &TestApp, token: &str, ticket: i64, kind: &str) -> i64 {
    let r = app.post(
        &format!("/api/v1/tickets/{ticket}/articles"),
        Some(token),
        &json!({"kind": kind, "body": format!("secret {kind} text")}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    r.json()["article"]["id"].as_i64().unwrap()
}

fn is_article(e: &SseEvent, article_id: i64) -> bool {
    e.event == "ticket" && e.data["article_id"] == article_id
}

/// Like `both_backends!`, with an app whose live-update poller runs every 50 ms and whose
/// streams beat every 0.7 s.
macro_rules! live_tests {
    ($(fn $name:ident($app:ident) $body:block)*) => {$(
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            fn run($app: TestApp) $body
            #[test]
            fn sqlite() {
                run(live_app(TestDb::sqlite()));
            }
            #[test]
            fn postgres() {
                if let Some(db) = TestDb::postgres() {
                    run(live_app(db));
                }
            }
        }
    )*};
}

live_tests! {
    fn an_agent_sees_a_colleagues_reply_as_it_happens(app) {
        let (ann_id, ann) = app.agent_with_rights("ann@example.com", &["rw"]);
        let (_, bob) = app.agent_with_rights("bob@example.com", &["rw"]);
        let ticket = app.create_ticket(&ann, "Live", "kari@example.org");
        let id = ticket["id"].as_i64().unwrap();
        let (sse, _) = stream(&app, &bob, None);
        assert_eq!(sse.headers.get("content-type").map(String::as_str), Some("text/event-stream"));
        assert_eq!(sse.headers.get("content-encoding").map(String::as_str), Some("identity"), "never compressed");
        assert_eq!(sse.headers.get("cache-control").map(String::as_str), Some("no-cache, no-transform"));
        let reply = article(&app, &ann, id, "reply");
        let seen = sse.until(WAIT, |e| is_article(e, reply));
        let event = seen.last().unwrap();
        assert_eq!(event.data["ticket_id"], id);
        assert_eq!(event.data["ticket_number"], ticket["number"]);
        assert_eq!(event.data["kind"], "article_added");
        assert_eq!(event.data["actor"], json!({"id": ann_id, "name": "ann@example.com"}));
        assert!(!event.data.to_string().contains("secret"), "no content on the stream");
        let id_text = event.id.clone().unwrap();
        assert_eq!(id_text.split('.').count(), 3, "{id_text}");
        // The stream stays open: heartbeats follow.
        let beat = (0..10).find_map(|_| sse.raw(StdDuration::from_secs(2)).filter(|e| e.event == "heartbeat"));
        assert!(beat.is_some(), "a heartbeat");
    }

    fn a_stream_resumes_after_its_last_event_id(app) {
        let (_, ann) = app.agent_with_rights("ann@example.com", &["rw"]);
        let (_, bob) = app.agent_with_rights("bob@example.com", &["rw"]);
        let ticket = app.create_ticket(&ann, "Resume", "kari@example.org");
        let id = ticket["id"].as_i64().unwrap();
        let (first, position) = stream(&app, &bob, None);
        drop(first);
        // While bob is away:
        let one = article(&app, &ann, id, "reply");
        let two = article(&app, &ann, id, "note");
        std::thread::sleep(StdDuration::from_millis(300));
        let bearer = format!("Bearer {bob}");
        let resumed = Sse::open(&format!("{}/api/v1/events/stream", app.base_url()), &[("authorization", &bearer), ("last-event-id", &position)]).unwrap();
        let seen = resumed.until(WAIT, |e| e.event == "ready");
        let articles: Vec<i64> = seen.iter().filter(|e| e.event == "ticket" && e.data["kind"] == "article_added").map(|e| e.data["article_id"].as_i64().unwrap()).collect();
        assert_eq!(articles, [one, two], "replayed in order, before ready");
        // The same with ?last_event_id= (a new EventSource after a page reload).
        let query = Sse::open(&format!("{}/api/v1/events/stream?access_token={bob}&last_event_id={position}", app.base_url()), &[]).unwrap();
        let seen = query.until(WAIT, |e| e.event == "ready");
        assert_eq!(seen.iter().filter(|e| e.event == "ticket" && e.data["kind"] == "article_added").count(), 2);
        // Resuming from the latest id replays nothing.
        let latest = seen.last().unwrap().id.clone().unwrap();
        let (current, _) = stream(&app, &bob, Some(&latest));
        let three = article(&app, &ann, id, "reply");
        let seen = current.until(WAIT, |e| is_article(e, three));
        assert!(seen.iter().all(|e| !is_article(e, one) && !is_article(e, two)), "{seen:#?}");
        // A garbled id: told to reload.
        let garbled = Sse::open(&format!("{}/api/v1/events/stream", app.base_url()), &[("authorization", &bearer), ("last-event-id", "yesterday")]).unwrap();
        assert_eq!(garbled.next(WAIT).unwrap().event, "resync");
    }

    fn customers_see_their_own_tickets_and_never_internal_notes(app) {
        let (_, ann) = app.agent_with_rights("ann@example.com", &["rw"]);
        let (_, kari) = app.create_customer("kari@example.org");
        app.create_customer("ola@example.org");
        let mine = app.create_ticket(&ann, "Kari's", "kari@example.org")["id"].as_i64().unwrap();
        let theirs = app.create_ticket(&ann, "Ola's", "ola@example.org")["id"].as_i64().unwrap();
        // EventSource cannot send headers: the token comes as ?access_token=.
        let sse = Sse::open(&format!("{}/api/v1/events/stream?access_token={kari}", app.base_url()), &[]).unwrap();
        sse.until(WAIT, |e| e.event == "ready");
        let note = article(&app, &ann, mine, "note");
        article(&app, &ann, theirs, "reply");
        let r = app.patch(&format!("/api/v1/tickets/{mine}"), Some(&ann), &json!({"priority_id": 5}));
        assert_eq!(r.status, 200);
        let r = app.patch(&format!("/api/v1/tickets/{mine}"), Some(&ann), &json!({"state_id": 2}));
        assert_eq!(r.status, 200);
        let reply = article(&app, &ann, mine, "reply");
        let seen = sse.until(WAIT, |e| is_article(e, reply));
        let kinds: Vec<(i64, String)> = seen.iter().filter(|e| e.event == "ticket").map(|e| (e.data["ticket_id"].as_i64().unwrap(), e.data["kind"].as_str().unwrap().to_owned())).collect();
        assert_eq!(kinds, [(mine, "state_changed".to_owned()), (mine, "article_added".to_owned())], "{seen:#?}");
        assert!(seen.iter().all(|e| e.data["article_id"] != note), "no internal note");
        assert!(seen.iter().all(|e| e.data["ticket_id"] != theirs), "no one else's ticket");
        assert!(seen.iter().all(|e| e.event != "presence" && e.event != "notification"));
        assert!(seen.iter().all(|e| e.data["actor"].get("email").is_none()));
    }

    fn agents_get_nothing_of_tickets_they_cannot_see(app) {
        let (_, ann) = app.agent_with_rights("ann@example.com", &["rw"]);
        let (queue, group) = queue_in_new_group(&app, "Payroll");
        let (dag_id, dag) = app.create_agent("dag@example.com", false);
        app.grant(group, dag_id, &["ro"]);
        app.grant(group, app_id(&app, &ann), &["rw"]);
        let general = app.create_ticket(&ann, "General", "kari@example.org")["id"].as_i64().unwrap();
        let r = app.post("/api/v1/tickets", Some(&ann), &json!({"title": "Salary", "queue_id": queue, "article": {"body": "x"}}));
        assert_eq!(r.status, 201, "{}", r.text());
        let payroll = r.json()["id"].as_i64().unwrap();
        let (sse, _) = stream(&app, &dag, None);
        article(&app, &ann, general, "reply");
        article(&app, &ann, general, "note");
        let last = article(&app, &ann, payroll, "note");
        let seen = sse.until(WAIT, |e| is_article(e, last));
        assert!(seen.iter().filter(|e| e.event == "ticket").all(|e| e.data["ticket_id"] == payroll), "{seen:#?}");
    }
}

fn app_id(app: &TestApp, token: &str) -> i64 {
    app.get("/api/v1/me", Some(token)).json()["id"]
        .as_i64()
        .unwrap()
}

both_backends! {
    fn the_stream_checks_who_calls(app) {
        let url = format!("{}/api/v1/events/stream", app.base_url());
        let (status, body) = Sse::open(&url, &[]).err().unwrap();
        assert_eq!(status, 401);
        assert!(body.contains("\"code\":\"unauthorized\""), "{body}");
        let (status, body) = Sse::open(&format!("{url}?access_token=nonsense"), &[]).err().unwrap();
        assert_eq!(status, 401);
        assert!(body.contains("invalid_token"), "{body}");
        let (status, body) = Sse::open(&format!("{url}?foo=1"), &[("authorization", &format!("Bearer {}", app.admin_token()))]).err().unwrap();
        assert_eq!(status, 422, "{body}");
        let gateway = crate::mail_support::gateway_token(&app);
        let (status, body) = Sse::open(&url, &[("authorization", &format!("Bearer {gateway}"))]).err().unwrap();
        assert_eq!(status, 403);
        assert!(body.contains("token_scope"), "{body}");
        // The query token is for this endpoint only.
        let admin = app.admin_token();
        app.get(&format!("/api/v1/me?access_token={admin}"), None).assert_problem(401, "unauthorized");
    }
}
