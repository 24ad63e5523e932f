//! Development transport: every message becomes an `.eml` file in a folder.

use std::path::{Path, PathBuf};

use rand::Rng as _;

use crate::compose::Envelope;
use crate::error::Result;

/// Writes `raw` atomically (temporary file, then rename) as
/// `<UTC timestamp>-<random>.eml`, preceded by `X-Vakt-Envelope-From`/`-To` lines so the
/// envelope (including Bcc) can be checked. Returns the file's path.
pub(super) async fn send(dir: &Path, envelope: &Envelope, raw: &[u8]) -> Result<PathBuf> {
    tokio::fs::create_dir_all(dir).await?;
    let random: u64 = rand::thread_rng().r#gen();
    let name = format!(
        "{}-{random:016x}",
        chrono::Utc::now().format("%Y%m%dT%H%M%S%.6fZ")
    );
    let mut content = format!(
        "X-Vakt-Envelope-From: <{}>\r\nX-Vakt-Envelope-To: {}\r\n",
        envelope.sender,
        envelope
            .recipients
            .iter()
            .map(|r| format!("<{r}>"))
            .collect::<Vec<_>>()
            .join(", ")
    )
    .into_bytes();
    content.extend_from_slice(raw);
    let temporary = dir.join(format!(".{name}.tmp"));
    let target = dir.join(format!("{name}.eml"));
    tokio::fs::write(&temporary, &content).await?;
    tokio::fs::rename(&temporary, &target).await?;
    Ok(target)
}
