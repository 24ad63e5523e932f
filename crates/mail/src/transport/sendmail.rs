//! Delivery through a local sendmail-compatible program.

use std::process::Stdio;

use tokio::io::AsyncWriteExt as _;

use super::SendmailConfig;
use crate::compose::Envelope;
use crate::error::{MailError, Result};

/// sysexits(3) codes after which a retry cannot help: usage, data error, no such user, no such
/// host, permission denied.
const PERMANENT_EXIT_CODES: &[i32] = &[64, 65, 67, 68, 77];

pub(super) async fn send(config: &SendmailConfig, envelope: &Envelope, raw: &[u8]) -> Result<()> {
    let mut command = tokio::process::Command::new(&config.program);
    command.args(&config.args);
    if !envelope.sender.trim().is_empty() {
        command.arg("-f").arg(envelope.sender.trim());
    }
    command
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let mut child = command.spawn().map_err(|e| MailError::Sendmail {
        // A missing program is a configuration problem an admin can fix: keep the mail.
        permanent: false,
        exit_code: None,
        message: format!("cannot start {}: {e}", config.program.display()),
    })?;
    // Local submission uses the system's line ending.
    let local = String::from_utf8_lossy(raw).replace("\r\n", "\n");
    let run = async {
        if let Some(mut stdin) = child.stdin.take() {
            stdin.write_all(local.as_bytes()).await?;
            stdin.shutdown().await?;
        }
        child.wait_with_output().await
    };
    let output = tokio::time::timeout(config.timeout, run)
        .await
        .map_err(|_| MailError::Timeout(config.timeout))??;
    if output.status.success() {
        return Ok(());
    }
    let exit_code = output.status.code();
    Err(MailError::Sendmail {
        permanent: exit_code.is_some_and(|c| PERMANENT_EXIT_CODES.contains(&c)),
        exit_code,
        message: format!(
            "{} exited with {}: {}",
            config.program.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ),
    })
}
