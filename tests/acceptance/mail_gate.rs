//! `vakt mailgate` against a real `vakt serve` process: a message piped in becomes a ticket
//! (exit 0); a server that is down makes it exit 75 so the MTA keeps the message; a wrong
//! token is 77, an unknown queue 67, an empty message 65 — each with a one-line reason.

use std::io::Write as _;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_vakt");

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Server {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Server {
    fn start() -> Server {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let child = Command::new(BIN)
            .arg("serve")
            .current_dir(dir.path())
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("VAKT_BIND", format!("127.0.0.1:{port}"))
            .env(
                "DATABASE_URL",
                format!("sqlite://{}/vakt.db", dir.path().display()),
            )
            .env("VAKT_ADMIN_EMAIL", "admin@example.com")
            .env("VAKT_ADMIN_PASSWORD", "admin-password-1")
            .env("VAKT_JOB_WORKERS", "0")
            .env("VAKT_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let server = Server {
            child,
            port,
            _dir: dir,
        };
        let started = Instant::now();
        while ureq::get(&server.url("/readyz")).call().is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "vakt did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn admin(&self) -> String {
        let login: Value = ureq::post(&self.url("/api/v1/auth/login"))
            .send_json(json!({"email": "admin@example.com", "password": "admin-password-1"}))
            .unwrap()
            .into_json()
            .unwrap();
        login["access_token"].as_str().unwrap().to_owned()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `vakt mailgate` with `message` on stdin; returns (exit code, stderr).
fn mailgate(url: &str, token: &str, extra: &[&str], message: &[u8]) -> (i32, String) {
    let mut child = Command::new(BIN)
        .args(["mailgate", "--url", url, "--timeout", "10"])
        .args(extra)
        .env_clear()
        .env("VAKT_MAILGATE_TOKEN", token)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(message).unwrap();
    let output = child.wait_with_output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn mailgate_delivers_and_tells_the_mta_when_to_retry() {
    let server = Server::start();
    let admin = server.admin();
    let created: Value = ureq::post(&server.url("/api/v1/me/tokens"))
        .set("Authorization", &format!("Bearer {admin}"))
        .send_json(json!({"name": "mx", "scope": "mail_gateway"}))
        .unwrap()
        .into_json()
        .unwrap();
    let token = created["secret"].as_str().unwrap().to_owned();
    let base = server.url("");
    let message = b"From: Kari <kari@example.org>\r\nTo: support@example.com\r\nSubject: Via the MTA\r\nMessage-ID: <gate1@example.org>\r\n\r\nPiped in.\r\n";

    let (code, stderr) = mailgate(&base, &token, &["--queue", "General"], message);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.is_empty(), "silent on success: {stderr}");
    let tickets: Value = ureq::get(&server.url("/api/v1/tickets"))
        .set("Authorization", &format!("Bearer {admin}"))
        .call()
        .unwrap()
        .into_json()
        .unwrap();
    assert_eq!(tickets["items"][0]["title"], "Via the MTA");

    let (code, stderr) = mailgate(&base, "vakt_wrong", &[], message);
    assert_eq!(code, 77, "{stderr}");
    assert!(
        stderr.starts_with("vakt mailgate: ") && stderr.trim().lines().count() == 1,
        "{stderr}"
    );
    let (code, stderr) = mailgate(&base, &token, &["--queue", "Nowhere"], message);
    assert_eq!(code, 67, "{stderr}");
    let (code, _) = mailgate(&base, &token, &[], b"");
    assert_eq!(code, 65);
    let (code, _) = mailgate(&base, &token, &["--action", "shout"], message);
    assert_eq!(code, 64);

    drop(server);
    let (code, stderr) = mailgate(&base, &token, &[], message);
    assert_eq!(
        code, 75,
        "server down: the MTA must keep the message: {stderr}"
    );
    assert!(stderr.contains("cannot reach the server"), "{stderr}");
}
