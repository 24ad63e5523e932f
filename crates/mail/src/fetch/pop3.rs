//! A small POP3 client (RFC 1939, STLS from RFC 2595): USER/PASS, UIDL, RETR, DELE, QUIT.

use std::time::Duration;

use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _, AsyncWriteExt as _, BufReader};

use super::FetchConfig;
use super::stream::{MailStream, connect_tcp, timed, upgrade};
use crate::error::{MailError, Result};
use crate::transport::TlsMode;

/// Longest accepted response line (RFC 1939 allows 512 octets; servers are generous).
const MAX_LINE: usize = 64 * 1024;

/// A logged-in POP3 session.
#[derive(Debug)]
pub struct Pop3Fetcher {
    conn: BufReader<MailStream>,
    config: FetchConfig,
    /// `(message number, unique id)` from the last [`Pop3Fetcher::list`].
    listing: Vec<(u32, String)>,
}

impl Pop3Fetcher {
    /// Connects, secures the connection as configured and logs in.
    pub async fn connect(config: &FetchConfig) -> Result<Self> {
        let limit = config.timeout;
        let tcp = connect_tcp(&config.host, config.port, limit).await?;
        let stream = match config.tls {
            TlsMode::Tls => upgrade(tcp, &config.host, config.accept_invalid_certs, limit).await?,
            TlsMode::None | TlsMode::StartTls => MailStream::Plain(tcp),
        };
        let mut conn = BufReader::new(stream);
        status_line(&mut conn, limit).await?;
        if config.tls == TlsMode::StartTls {
            command(&mut conn, "STLS", limit).await?;
            let MailStream::Plain(tcp) = conn.into_inner() else {
                return Err(MailError::Pop3(
                    "STLS on a connection that is already TLS".into(),
                ));
            };
            conn = BufReader::new(
                upgrade(tcp, &config.host, config.accept_invalid_certs, limit).await?,
            );
        }
        let mut fetcher = Pop3Fetcher {
            conn,
            config: config.clone(),
            listing: Vec::new(),
        };
        fetcher
            .command(&format!("USER {}", config.username))
            .await
            .map_err(auth_error)?;
        fetcher
            .command(&format!("PASS {}", config.password))
            .await
            .map_err(auth_error)?;
        Ok(fetcher)
    }

    /// The unique ids (UIDL) of the messages in the mailbox, oldest first.
    pub async fn list(&mut self) -> Result<Vec<String>> {
        self.command("UIDL").await?;
        let body = self.multiline().await?;
        let text = String::from_utf8_lossy(&body);
        self.listing = text
            .lines()
            .filter_map(|line| {
                let (number, uid) = line.trim().split_once(' ')?;
                Some((number.parse().ok()?, uid.trim().to_string()))
            })
            .collect();
        Ok(self.listing.iter().map(|(_, uid)| uid.clone()).collect())
    }

    /// Downloads one message (RETR) without changing it on the server.
    pub async fn fetch(&mut self, uid: &str) -> Result<Vec<u8>> {
        let number = self.number(uid)?;
        self.command(&format!("RETR {number}")).await?;
        self.multiline().await
    }

    /// Marks one message for deletion (DELE). POP3 deletes only at [`Pop3Fetcher::close`]
    /// (QUIT): if the connection breaks before, the message stays on the server.
    pub async fn delete(&mut self, uid: &str) -> Result<()> {
        let number = self.number(uid)?;
        self.command(&format!("DELE {number}")).await.map(|_| ())
    }

    /// Ends the session (QUIT), which makes the deletions final.
    pub async fn close(mut self) -> Result<()> {
        self.command("QUIT").await.map(|_| ())
    }

    fn number(&self, uid: &str) -> Result<u32> {
        self.listing
            .iter()
            .find(|(_, u)| u == uid)
            .map(|(n, _)| *n)
            .ok_or_else(|| MailError::NotFound(uid.to_string()))
    }

    async fn command(&mut self, line: &str) -> Result<String> {
        command(&mut self.conn, line, self.config.timeout).await
    }

    async fn multiline(&mut self) -> Result<Vec<u8>> {
        let limit = self.config.timeout;
        let mut body = Vec::new();
        let mut at_line_start = true;
        loop {
            let line = read_line(&mut self.conn, limit).await?;
            if at_line_start && (line == b".\r\n" || line == b".\n") {
                return Ok(body);
            }
            // Undo dot-stuffing (only at the start of a line: long lines arrive in pieces).
            let data = if at_line_start {
                line.strip_prefix(b".").unwrap_or(&line)
            } else {
                &line
            };
            body.extend_from_slice(data);
            at_line_start = line.ends_with(b"\n");
        }
    }
}

/// Sends a command and reads its status line (`+OK …`, else an error).
async fn command(
    conn: &mut BufReader<MailStream>,
    command: &str,
    limit: Duration,
) -> Result<String> {
    let line = format!("{command}\r\n");
    timed(limit, async {
        conn.get_mut().write_all(line.as_bytes()).await?;
        conn.get_mut().flush().await?;
        Ok(())
    })
    .await?;
    status_line(conn, limit).await.map_err(|e| match e {
        MailError::Pop3(reply) => {
            let shown = if command.starts_with("PASS ") {
                "PASS ***"
            } else {
                command
            };
            MailError::Pop3(format!("{shown}: {reply}"))
        }
        other => other,
    })
}

async fn status_line(conn: &mut BufReader<MailStream>, limit: Duration) -> Result<String> {
    let line = read_line(conn, limit).await?;
    let text = String::from_utf8_lossy(&line).trim_end().to_string();
    if text.starts_with("+OK") {
        Ok(text)
    } else {
        Err(MailError::Pop3(text))
    }
}

async fn read_line(conn: &mut BufReader<MailStream>, limit: Duration) -> Result<Vec<u8>> {
    let mut line = Vec::new();
    timed(limit, async {
        let n = (&mut *conn)
            .take(MAX_LINE as u64)
            .read_until(b'\n', &mut line)
            .await?;
        if n == 0 {
            return Err(MailError::Pop3("the server closed the connection".into()));
        }
        Ok(())
    })
    .await?;
    Ok(line)
}

fn auth_error(error: MailError) -> MailError {
    match error {
        MailError::Pop3(reply) => MailError::Auth(reply),
        other => other,
    }
}
