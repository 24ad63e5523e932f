//! Webhooks against a real HTTP receiver on loopback: signatures, retries, per-ticket order,
//! redelivery, auto-disable, the SSRF guard, permissions, and a server restart mid-delivery.

mod api;
mod delivery;
mod process;

use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::support::TestApp;

/// The secret of the test webhooks.
pub const SECRET: &str = "test-secret-0123456789";

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    /// Headers, lower-case names.
    pub headers: HashMap<String, String>,
    /// The body.
    pub body: String,
}

impl Received {
    /// A header.
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).map_or("", String::as_str)
    }

    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap()
    }

    /// The event id and type.
    pub fn event(&self) -> (String, String) {
        let body = self.json();
        (
            body["id"].as_str().unwrap().to_owned(),
            body["type"].as_str().unwrap().to_owned(),
        )
    }
}

/// What the receiver answers next: scripted statuses first, then `default`.
#[derive(Default)]
struct Script {
    statuses: VecDeque<u16>,
    default: u16,
    delay: Option<Duration>,
}

/// A tiny HTTP/1.1 server on loopback that records every request and answers as scripted.
pub struct Receiver {
    /// The port it listens on.
    pub port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    script: Arc<Mutex<Script>>,
    stop: Arc<AtomicBool>,
    accepted: Arc<AtomicUsize>,
    thread: Option<JoinHandle<()>>,
}

impl Receiver {
    /// Listens on a fresh port.
    pub fn start() -> Self {
        Self::start_on(0)
    }

    /// Listens on `port` (0: any).
    pub fn start_on(port: u16) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", port)).unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(Mutex::new(Script {
            default: 200,
            ..Script::default()
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let accepted = Arc::new(AtomicUsize::new(0));
        let thread = {
            let (received, script, stop) = (received.clone(), script.clone(), stop.clone());
            let accepted = accepted.clone();
            std::thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    match listener.accept() {
                        Ok((stream, _)) => {
                            accepted.fetch_add(1, Ordering::SeqCst);
                            serve(stream, &received, &script);
                        }
                        Err(_) => std::thread::sleep(Duration::from_millis(5)),
                    }
                }
            })
        };
        Self {
            port,
            received,
            script,
            stop,
            accepted,
            thread: Some(thread),
        }
    }

    /// The URL of its hook path.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hook", self.port)
    }

    /// Answers these statuses to the next requests (then the default).
    pub fn answer(&self, statuses: &[u16]) {
        self.script.lock().unwrap().statuses.extend(statuses);
    }

    /// Answers `status` from now on.
    pub fn answer_always(&self, status: u16) {
        self.script.lock().unwrap().default = status;
    }

    /// Waits this long before answering each request.
    pub fn delay(&self, delay: Duration) {
        self.script.lock().unwrap().delay = Some(delay);
    }

    /// Connections accepted so far (a request may be in progress).
    pub fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }

    /// Answers without delay from now on.
    pub fn no_delay(&self) {
        self.script.lock().unwrap().delay = None;
    }

    /// Everything received so far.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// The event ids and types received, in order.
    pub fn events(&self) -> Vec<(String, String)> {
        self.received().iter().map(Received::event).collect()
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(stream: TcpStream, received: &Mutex<Vec<Received>>, script: &Mutex<Script>) {
    stream.set_nonblocking(false).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() || line.is_empty() {
        return;
    }
    let mut headers = HashMap::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).is_err() {
            return;
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
        }
    }
    let length: usize = headers
        .get("content-length")
        .and_then(|l| l.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let (status, delay) = {
        let mut script = script.lock().unwrap();
        (
            script.statuses.pop_front().unwrap_or(script.default),
            script.delay,
        )
    };
    if let Some(delay) = delay {
        std::thread::sleep(delay);
    }
    // Recorded before the answer goes out, so that a sender that has read the answer always
    // finds its request here (recording after the write raced with a test asserting at once);
    // taken back when the answer cannot be written: a request cut off was not received.
    let mut stream = stream;
    let text = format!("status={status}");
    let answer = format!(
        "HTTP/1.1 {status} Test\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
        text.len()
    );
    let mut log = received.lock().unwrap();
    log.push(Received {
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    });
    if stream.write_all(answer.as_bytes()).is_err() {
        log.pop();
    }
}

/// The signature a receiver computes: HMAC-SHA256 of `"<timestamp>.<body>"`, hex, `sha256=`.
pub fn expected_signature(secret: &str, timestamp: &str, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{timestamp}.{body}").as_bytes());
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// Allows loopback targets (and sets the auto-disable threshold).
pub fn allow_private(app: &TestApp, disable_after: i64) {
    let admin = app.admin_token();
    let response = app.send_json(
        "PUT",
        "/api/v1/settings/webhooks",
        Some(&admin),
        &json!({"allow_private_targets": true, "disable_after_failures": disable_after}),
    );
    assert_eq!(response.status, 200, "{}", response.text());
}

/// Creates a webhook for `events` to `url` and returns it.
pub fn webhook(app: &TestApp, url: &str, events: &[&str]) -> Value {
    let admin = app.admin_token();
    let response = app.post(
        "/api/v1/webhooks",
        Some(&admin),
        &json!({"name": "receiver", "url": url, "events": events, "secret": SECRET}),
    );
    assert_eq!(response.status, 201, "{}", response.text());
    response.json()
}

/// Reads the history into deliveries and runs every due job (the deliveries).
pub fn pump(app: &TestApp) {
    app.services.dispatch_webhooks().unwrap();
    vakt_service::jobs::registry().run_due(&app.services, "test-worker", 500);
}

/// A webhook's deliveries, newest first.
pub fn deliveries(app: &TestApp, webhook: i64) -> Vec<Value> {
    let admin = app.admin_token();
    let response = app.get(
        &format!("/api/v1/webhooks/{webhook}/deliveries?limit=200"),
        Some(&admin),
    );
    assert_eq!(response.status, 200, "{}", response.text());
    response.json()["items"].as_array().unwrap().clone()
}
