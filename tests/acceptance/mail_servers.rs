//! Real mail servers for the mail tests, started per test on loopback ports (the same approach
//! as crates/mail's tests): Debian's dovecot (IMAP) and aiosmtpd (SMTP). Missing binaries
//! skip the test with a note unless `VAKT_TEST_REQUIRE_MAIL_SERVERS=1` (CI) makes that a
//! failure; `scripts/lib/mail-test-deps.sh` installs them.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

const DOVECOT: &str = "/usr/sbin/dovecot";
const MAIL_UID: u32 = 65534;
pub const USER: &str = "kari";
pub const PASSWORD: &str = "s3cret pass";

fn available(what: &str, ok: bool) -> bool {
    if ok {
        return true;
    }
    let required = std::env::var("VAKT_TEST_REQUIRE_MAIL_SERVERS").is_ok_and(|v| v == "1");
    assert!(
        !required,
        "{what} is missing and VAKT_TEST_REQUIRE_MAIL_SERVERS=1"
    );
    eprintln!("note: skipping, {what} is missing (run scripts/lib/mail-test-deps.sh)");
    false
}

pub use crate::support::process::free_port;

fn wait_for_port(port: u16, log: &Path) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while Instant::now() < deadline {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!(
        "server did not listen on {port}: {}",
        std::fs::read_to_string(log).unwrap_or_default()
    );
}

fn chown(path: &Path) {
    std::os::unix::fs::chown(path, Some(MAIL_UID), Some(MAIL_UID)).expect("chown");
}

/// A private dovecot (plain IMAP on a loopback port) with one user and a maildir.
pub struct Dovecot {
    dir: TempDir,
    child: Child,
    pub imap: u16,
    /// Its POP3 port.
    pub pop3: u16,
}

impl Dovecot {
    pub fn start() -> Option<Self> {
        if !available("dovecot", Path::new(DOVECOT).exists()) {
            return None;
        }
        let dir = tempfile::Builder::new()
            .prefix("vakt-dovecot-")
            .tempdir()
            .expect("temp dir");
        let root = dir.path();
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        std::fs::write(
            root.join("passwd"),
            format!("{USER}:{{PLAIN}}{PASSWORD}::::::\n"),
        )
        .expect("passwd");
        let mail = root.join("mail");
        std::fs::create_dir_all(&mail).expect("mail dir");
        chown(&mail);
        let imap = free_port();
        let pop3 = free_port();
        let r = root.display();
        let config = format!(
            "base_dir = {r}/run\nstate_dir = {r}/state\nlog_path = {r}/dovecot.log\n\
             protocols = imap pop3\nlisten = 127.0.0.1\nssl = no\n\
             disable_plaintext_auth = no\nauth_mechanisms = plain login\n\
             passdb {{\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u {r}/passwd\n}}\n\
             userdb {{\n  driver = static\n  args = uid={MAIL_UID} gid={MAIL_UID} home={r}/mail/%u\n}}\n\
             mail_location = maildir:{r}/mail/%u/Maildir\n\
             service imap-login {{\n  chroot =\n  inet_listener imap {{\n    port = {imap}\n  }}\n  \
             inet_listener imaps {{\n    port = 0\n  }}\n}}\n\
             service pop3-login {{\n  chroot =\n  inet_listener pop3 {{\n    port = {pop3}\n  }}\n  \
             inet_listener pop3s {{\n    port = 0\n  }}\n}}\n\
             pop3_uidl_format = %08Xu%08Xv\n\
             service anvil {{\n  chroot =\n}}\n"
        );
        let config_path = root.join("dovecot.conf");
        std::fs::write(&config_path, config).expect("dovecot.conf");
        let child = Command::new(DOVECOT)
            .arg("-F")
            .arg("-c")
            .arg(&config_path)
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(root.join("stderr.log")).expect("log"))
            .spawn()
            .expect("start dovecot");
        wait_for_port(imap, &root.join("stderr.log"));
        wait_for_port(pop3, &root.join("stderr.log"));
        Some(Dovecot {
            dir,
            child,
            imap,
            pop3,
        })
    }

    fn maildir(&self) -> PathBuf {
        self.dir.path().join("mail").join(USER).join("Maildir")
    }

    /// Puts a message into the INBOX as an MTA would.
    pub fn deliver(&self, unique: &str, raw: &[u8]) {
        let maildir = self.maildir();
        for sub in ["", "new", "cur", "tmp"] {
            let path = maildir.join(sub);
            std::fs::create_dir_all(&path).expect("maildir");
            chown(&path);
        }
        chown(maildir.parent().expect("home"));
        let file = maildir
            .join("new")
            .join(format!("1790000000.{unique}.vakt-test"));
        std::fs::write(&file, raw).expect("deliver");
        chown(&file);
    }

    /// Messages in the INBOX on disk.
    pub fn stored(&self) -> usize {
        ["new", "cur"]
            .iter()
            .map(|sub| {
                std::fs::read_dir(self.maildir().join(sub))
                    .map(|d| d.count())
                    .unwrap_or(0)
            })
            .sum()
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let _ = self.child.wait();
    }
}

const SMTP_SINK: &str = r#"
import os, sys, threading
from aiosmtpd.controller import Controller

out_dir, port = sys.argv[1], int(sys.argv[2])

class Sink:
    def __init__(self):
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("reject"):
            return "550 5.1.1 <%s>: Recipient address rejected" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        head = "X-Sink-Mail-From: <%s>\r\nX-Sink-Rcpt-To: %s\r\n" % (
            envelope.mail_from, ", ".join("<%s>" % r for r in envelope.rcpt_tos))
        tmp = os.path.join(out_dir, ".%d.tmp" % self.count)
        with open(tmp, "wb") as f:
            f.write(head.encode() + envelope.original_content)
        os.rename(tmp, os.path.join(out_dir, "%04d.eml" % self.count))
        return "250 2.0.0 Message accepted"

Controller(Sink(), hostname="127.0.0.1", port=port).start()
print("ready", flush=True)
threading.Event().wait()
"#;

/// aiosmtpd storing every accepted message as `NNNN.eml` (envelope in `X-Sink-*` lines).
pub struct SmtpSink {
    dir: TempDir,
    child: Child,
}

impl SmtpSink {
    /// Whether aiosmtpd can run here (else the caller skips).
    pub fn available() -> bool {
        let ok = Command::new("python3")
            .args(["-c", "import aiosmtpd"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        available("aiosmtpd", ok)
    }

    /// Starts the sink on `port`.
    pub fn start_on(port: u16) -> Self {
        let dir = tempfile::Builder::new()
            .prefix("vakt-smtp-")
            .tempdir()
            .expect("temp dir");
        let script = dir.path().join("sink.py");
        std::fs::write(&script, SMTP_SINK).expect("sink.py");
        let out = dir.path().join("out");
        std::fs::create_dir_all(&out).expect("out dir");
        let log = dir.path().join("sink.log");
        let child = Command::new("python3")
            .arg(&script)
            .arg(&out)
            .arg(port.to_string())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("log"))
            .spawn()
            .expect("start aiosmtpd");
        wait_for_port(port, &log);
        SmtpSink { dir, child }
    }

    /// Waits until `count` messages arrived (15 s at most) and returns them in order.
    pub fn wait_for(&self, count: usize) -> Vec<String> {
        let out = self.dir.path().join("out");
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let mut files: Vec<PathBuf> = std::fs::read_dir(&out)
                .expect("out dir")
                .map(|e| e.expect("entry").path())
                .filter(|p| p.extension().is_some_and(|e| e == "eml"))
                .collect();
            files.sort();
            if files.len() >= count || Instant::now() > deadline {
                return files
                    .iter()
                    .map(|f| String::from_utf8_lossy(&std::fs::read(f).expect("read")).into_owned())
                    .collect();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The (unfolded) value of header `name` in a raw message.
pub fn header(raw: &str, name: &str) -> Option<String> {
    let head = raw.split("\r\n\r\n").next().unwrap_or(raw);
    let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
    unfolded.lines().find_map(|line| {
        let (n, v) = line.split_once(':')?;
        n.trim()
            .eq_ignore_ascii_case(name)
            .then(|| v.trim().to_owned())
    })
}
