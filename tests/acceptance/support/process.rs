//! Real `vakt` child processes, for the tests of the binary itself and of several server
//! processes sharing one database: a clean environment, captured output, readiness, logins,
//! requests and SIGTERM.

use std::io::Read;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The `vakt` binary cargo built for these tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_vakt");

/// A loopback port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free loopback port")
}

/// A `vakt` command in `cwd` with a clean environment: no settings leak in from the
/// developer's shell.
pub fn vakt_command(cwd: &Path) -> Command {
    let mut command = Command::new(BIN);
    command
        .current_dir(cwd)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default());
    command
}

/// Collects a child's stdout and stderr, as they come, into one string.
fn capture(child: &mut Child) -> Arc<Mutex<String>> {
    let output = Arc::new(Mutex::new(String::new()));
    let streams: Vec<Box<dyn Read + Send>> = vec![
        Box::new(child.stdout.take().expect("piped stdout")),
        Box::new(child.stderr.take().expect("piped stderr")),
    ];
    for mut stream in streams {
        let sink = output.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stream.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
    }
    output
}

/// A running `vakt` child that listens on `port`; killed when dropped.
pub struct VaktProcess {
    child: Child,
    output: Arc<Mutex<String>>,
    port: u16,
}

impl VaktProcess {
    /// Runs `command` as `vakt serve` bound to `port` (call [`Self::wait_ready`] next).
    pub fn serve(mut command: Command, port: u16) -> Self {
        command
            .arg("serve")
            .env("VAKT_BIND", format!("127.0.0.1:{port}"));
        Self::spawn(command, port)
    }

    /// Runs `command` as it is (its arguments or configuration make it listen on `port`).
    pub fn spawn(mut command: Command, port: u16) -> Self {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("vakt starts");
        let output = capture(&mut child);
        Self {
            child,
            output,
            port,
        }
    }

    /// The address of `path` on this process.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Everything the process printed so far.
    pub fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    /// Waits until `/readyz` answers 200 (panics with the output if the process exits or a
    /// minute passes); returns how long that took.
    pub fn wait_ready(&mut self) -> Duration {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(60) {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("vakt exited with {status}:\n{}", self.output());
            }
            if ureq::get(&self.url("/readyz"))
                .call()
                .is_ok_and(|r| r.status() == 200)
            {
                return started.elapsed();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("vakt did not become ready:\n{}", self.output());
    }

    /// Logs in; the access token, or the HTTP status of the refusal.
    pub fn login(&self, email: &str, password: &str) -> Result<String, u16> {
        match ureq::post(&self.url("/api/v1/auth/login"))
            .send_json(json!({"email": email, "password": password}))
        {
            Ok(r) => Ok(r.into_json::<Value>().unwrap()["access_token"]
                .as_str()
                .unwrap()
                .to_owned()),
            Err(ureq::Error::Status(code, _)) => Err(code),
            Err(e) => panic!("{e}"),
        }
    }

    /// Sends a JSON request that must succeed; its JSON body (`null` when empty).
    pub fn send(&self, method: &str, path: &str, token: &str, body: Value) -> Value {
        ureq::request(method, &self.url(path))
            .set("authorization", &format!("Bearer {token}"))
            .send_json(body)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
            .into_json()
            .unwrap_or(Value::Null)
    }

    /// Sends SIGTERM without waiting.
    pub fn signal_terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits up to `limit` for the process to exit.
    pub fn wait_exit(&mut self, limit: Duration) -> ExitStatus {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the output threads read what the process printed last.
                std::thread::sleep(Duration::from_millis(50));
                return status;
            }
            assert!(
                started.elapsed() < limit,
                "no exit after {limit:?}:\n{}",
                self.output()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Sends SIGTERM and waits (up to 30 s) for the exit; the status and the whole output.
    pub fn terminate(mut self) -> (ExitStatus, String) {
        self.signal_terminate();
        let status = self.wait_exit(Duration::from_secs(30));
        (status, self.output())
    }
}

impl Drop for VaktProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
