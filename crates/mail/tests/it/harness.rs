//! Real mail servers for the tests: Debian's dovecot (IMAP + POP3) and aiosmtpd (SMTP), each
//! started per test in a temporary folder on loopback ports, stopped on drop.
//!
//! When a binary is missing the test prints a note and skips, unless
//! `VAKT_TEST_REQUIRE_MAIL_SERVERS=1` is set: then it fails. `scripts/lib/mail-test-deps.sh`
//! installs everything.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

const DOVECOT: &str = "/usr/sbin/dovecot";
/// The uid/gid dovecot's mail processes run as (mail access as root is refused).
const MAIL_UID: u32 = 65534;
pub const USER: &str = "kari";
pub const PASSWORD: &str = "s3cret pass";

/// Returns `true` when the test may run; prints why not (or panics when servers are required).
fn available(what: &str, ok: bool, hint: &str) -> bool {
    if ok {
        return true;
    }
    let required = std::env::var("VAKT_TEST_REQUIRE_MAIL_SERVERS").is_ok_and(|v| v == "1");
    assert!(
        !required,
        "{what} is missing and VAKT_TEST_REQUIRE_MAIL_SERVERS=1: {hint}"
    );
    eprintln!("note: skipping, {what} is missing ({hint}; run scripts/lib/mail-test-deps.sh)");
    false
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free loopback port")
}

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

/// A self-signed certificate for `localhost` (cert.pem, key.pem in `dir`).
fn make_certificate(dir: &Path) -> (PathBuf, PathBuf) {
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    let status = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
        ])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run openssl");
    assert!(status.success(), "openssl could not make a certificate");
    (cert, key)
}

fn openssl_available() -> bool {
    Command::new("openssl")
        .arg("version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// A private dovecot with one user (`USER`/`PASSWORD`) and a maildir in a temporary folder.
pub struct Dovecot {
    dir: TempDir,
    child: Child,
    pub imap: u16,
    pub imaps: u16,
    pub pop3: u16,
    pub pop3s: u16,
}

impl Dovecot {
    pub fn start() -> Option<Self> {
        let ok = Path::new(DOVECOT).exists();
        if !available("dovecot", ok, "apt-get install dovecot-imapd dovecot-pop3d")
            || !available("openssl", openssl_available(), "apt-get install openssl")
        {
            return None;
        }
        let dir = tempfile::Builder::new()
            .prefix("vakt-dovecot-")
            .tempdir()
            .expect("temp dir");
        let root = dir.path();
        // dovecot's unprivileged processes must read the config, passwd file and certificate.
        set_mode(root, 0o755);
        let (cert, key) = make_certificate(root);
        std::fs::write(
            root.join("passwd"),
            format!("{USER}:{{PLAIN}}{PASSWORD}::::::\n"),
        )
        .expect("passwd");
        let mail = root.join("mail");
        std::fs::create_dir_all(&mail).expect("mail dir");
        std::os::unix::fs::chown(&mail, Some(MAIL_UID), Some(MAIL_UID)).expect("chown mail dir");
        let (imap, imaps, pop3, pop3s) = (free_port(), free_port(), free_port(), free_port());
        let root_s = root.display();
        let config = format!(
            "base_dir = {root_s}/run\nstate_dir = {root_s}/state\nlog_path = {root_s}/dovecot.log\n\
             protocols = imap pop3\nlisten = 127.0.0.1\nssl = yes\n\
             ssl_cert = <{cert}\nssl_key = <{key}\n\
             disable_plaintext_auth = no\nauth_mechanisms = plain login\n\
             passdb {{\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u {root_s}/passwd\n}}\n\
             userdb {{\n  driver = static\n  args = uid={MAIL_UID} gid={MAIL_UID} home={root_s}/mail/%u\n}}\n\
             mail_location = maildir:{root_s}/mail/%u/Maildir\npop3_uidl_format = %08Xu%08Xv\n\
             service imap-login {{\n  chroot =\n  inet_listener imap {{\n    port = {imap}\n  }}\n  \
             inet_listener imaps {{\n    port = {imaps}\n    ssl = yes\n  }}\n}}\n\
             service pop3-login {{\n  chroot =\n  inet_listener pop3 {{\n    port = {pop3}\n  }}\n  \
             inet_listener pop3s {{\n    port = {pop3s}\n    ssl = yes\n  }}\n}}\n\
             service anvil {{\n  chroot =\n}}\n",
            cert = cert.display(),
            key = key.display(),
        );
        let config_path = root.join("dovecot.conf");
        std::fs::write(&config_path, config).expect("dovecot.conf");
        let child = Command::new(DOVECOT)
            .arg("-F")
            .arg("-c")
            .arg(&config_path)
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(root.join("stderr.log")).expect("stderr log"))
            .spawn()
            .expect("start dovecot");
        for port in [imap, imaps, pop3, pop3s] {
            wait_for_port(port, &root.join("stderr.log"));
        }
        Some(Dovecot {
            dir,
            child,
            imap,
            imaps,
            pop3,
            pop3s,
        })
    }

    fn maildir(&self) -> PathBuf {
        self.dir.path().join("mail").join(USER).join("Maildir")
    }

    /// Puts a message into the user's INBOX the way an MTA would (maildir `new/`).
    pub fn deliver(&self, unique: &str, raw: &[u8]) {
        let maildir = self.maildir();
        for sub in ["", "new", "cur", "tmp"] {
            let path = maildir.join(sub);
            std::fs::create_dir_all(&path).expect("maildir");
            std::os::unix::fs::chown(&path, Some(MAIL_UID), Some(MAIL_UID)).expect("chown");
        }
        let home = maildir.parent().expect("home");
        std::os::unix::fs::chown(home, Some(MAIL_UID), Some(MAIL_UID)).expect("chown");
        let file = maildir
            .join("new")
            .join(format!("1790000000.{unique}.vakt-test"));
        std::fs::write(&file, raw).expect("deliver");
        std::os::unix::fs::chown(&file, Some(MAIL_UID), Some(MAIL_UID)).expect("chown");
    }

    /// Creates a folder (maildir++ `.<name>`).
    pub fn create_folder(&self, name: &str) {
        let folder = self.maildir().join(format!(".{name}"));
        for sub in ["", "new", "cur", "tmp"] {
            let path = folder.join(sub);
            std::fs::create_dir_all(&path).expect("folder");
            std::os::unix::fs::chown(&path, Some(MAIL_UID), Some(MAIL_UID)).expect("chown");
        }
    }

    /// Messages stored on disk in a folder (`None` = INBOX), whatever their flags.
    pub fn stored(&self, folder: Option<&str>) -> usize {
        let base = match folder {
            Some(name) => self.maildir().join(format!(".{name}")),
            None => self.maildir(),
        };
        ["new", "cur"]
            .iter()
            .map(|sub| {
                std::fs::read_dir(base.join(sub))
                    .map(|d| d.count())
                    .unwrap_or(0)
            })
            .sum()
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("dovecot.log")).unwrap_or_default()
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        // SIGTERM lets the master stop its children; then reap it.
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let _ = self.child.wait();
    }
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

const SMTP_SINK: &str = r#"
import os, ssl, sys, threading
from aiosmtpd.controller import Controller

out_dir, port = sys.argv[1], int(sys.argv[2])

class Sink:
    def __init__(self):
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("reject"):
            return "550 5.1.1 <%s>: Recipient address rejected" % address
        if address.startswith("later"):
            return "451 4.3.0 Try again later"
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

kwargs = {}
if len(sys.argv) > 4:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(sys.argv[3], sys.argv[4])
    kwargs["tls_context"] = context
controller = Controller(Sink(), hostname="127.0.0.1", port=port, **kwargs)
controller.start()
print("ready", flush=True)
threading.Event().wait()
"#;

/// An aiosmtpd server that stores every accepted message as `NNNN.eml` (with the envelope in
/// `X-Sink-*` lines on top), rejects recipients starting with `reject` (550) and defers
/// those starting with `later` (451).
pub struct SmtpSink {
    dir: TempDir,
    child: Child,
    pub port: u16,
}

impl SmtpSink {
    pub fn start(starttls: bool) -> Option<Self> {
        let has_aiosmtpd = Command::new("python3")
            .args(["-c", "import aiosmtpd"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !available("aiosmtpd", has_aiosmtpd, "pip install aiosmtpd")
            || (starttls && !available("openssl", openssl_available(), "apt-get install openssl"))
        {
            return None;
        }
        let dir = tempfile::Builder::new()
            .prefix("vakt-smtp-")
            .tempdir()
            .expect("temp dir");
        let script = dir.path().join("sink.py");
        std::fs::write(&script, SMTP_SINK).expect("sink.py");
        let out = dir.path().join("out");
        std::fs::create_dir_all(&out).expect("out dir");
        let port = free_port();
        let mut command = Command::new("python3");
        command.arg(&script).arg(&out).arg(port.to_string());
        if starttls {
            let (cert, key) = make_certificate(dir.path());
            command.arg(cert).arg(key);
        }
        let log = dir.path().join("sink.log");
        let child = command
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("log"))
            .spawn()
            .expect("start aiosmtpd");
        wait_for_port(port, &log);
        Some(SmtpSink { dir, child, port })
    }

    /// Waits until `count` messages arrived and returns them in order.
    pub fn wait_for(&self, count: usize) -> Vec<Vec<u8>> {
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
                    .map(|f| std::fs::read(f).expect("read message"))
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

/// A loopback port on which nothing listens.
pub fn closed_port() -> u16 {
    free_port()
}
