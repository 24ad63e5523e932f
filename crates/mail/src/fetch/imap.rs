//! IMAP fetching with async-imap: list UIDs, fetch one message without marking it seen,
//! delete (flag `\Deleted` + expunge) or move it only when the caller says so.

use futures_util::TryStreamExt as _;

use super::FetchConfig;
use super::stream::{MailStream, connect_tcp, timed, upgrade};
use crate::error::{MailError, Result};
use crate::transport::TlsMode;

type Session = async_imap::Session<MailStream>;

/// A logged-in IMAP session with the configured folder selected.
pub struct ImapFetcher {
    session: Session,
    config: FetchConfig,
    uid_validity: Option<u32>,
    uidplus: bool,
    move_ext: bool,
}

impl std::fmt::Debug for ImapFetcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImapFetcher")
            .field("host", &self.config.host)
            .field("folder", &self.config.folder)
            .field("uid_validity", &self.uid_validity)
            .finish_non_exhaustive()
    }
}

fn imap_error(error: async_imap::error::Error) -> MailError {
    match error {
        async_imap::error::Error::Io(e) => MailError::Io(e),
        other => MailError::Imap(other.to_string()),
    }
}

impl ImapFetcher {
    /// Connects, secures the connection as configured, logs in and selects the folder.
    pub async fn connect(config: &FetchConfig) -> Result<Self> {
        let limit = config.timeout;
        let tcp = connect_tcp(&config.host, config.port, limit).await?;
        let stream = match config.tls {
            TlsMode::Tls => upgrade(tcp, &config.host, config.accept_invalid_certs, limit).await?,
            TlsMode::None | TlsMode::StartTls => MailStream::Plain(tcp),
        };
        let mut client = async_imap::Client::new(stream);
        timed(limit, async {
            client.read_response().await?.ok_or_else(|| {
                MailError::Imap("the server closed the connection before greeting".into())
            })
        })
        .await?;
        if config.tls == TlsMode::StartTls {
            timed(limit, async {
                client
                    .run_command_and_check_ok("STARTTLS", None)
                    .await
                    .map_err(imap_error)
            })
            .await?;
            let MailStream::Plain(tcp) = client.into_inner() else {
                return Err(MailError::Imap(
                    "STARTTLS on a connection that is already TLS".into(),
                ));
            };
            client = async_imap::Client::new(
                upgrade(tcp, &config.host, config.accept_invalid_certs, limit).await?,
            );
        }
        let mut session = timed(limit, async {
            client
                .login(&config.username, &config.password)
                .await
                .map_err(|(e, _)| MailError::Auth(e.to_string()))
        })
        .await?;
        let capabilities = timed(limit, async {
            session.capabilities().await.map_err(imap_error)
        })
        .await?;
        let uidplus = capabilities.has_str("UIDPLUS");
        let move_ext = capabilities.has_str("MOVE");
        let mailbox = timed(limit, async {
            session.select(&config.folder).await.map_err(imap_error)
        })
        .await?;
        Ok(ImapFetcher {
            session,
            config: config.clone(),
            uid_validity: mailbox.uid_validity,
            uidplus,
            move_ext,
        })
    }

    /// The folder's UIDVALIDITY: UIDs are only stable while it stays the same.
    pub fn uid_validity(&self) -> Option<u32> {
        self.uid_validity
    }

    /// The UIDs of the messages not flagged `\Deleted`, ascending.
    pub async fn list(&mut self) -> Result<Vec<String>> {
        let limit = self.config.timeout;
        let session = &mut self.session;
        let uids = timed(limit, async {
            session.uid_search("UNDELETED").await.map_err(imap_error)
        })
        .await?;
        let mut uids: Vec<u32> = uids.into_iter().collect();
        uids.sort_unstable();
        Ok(uids.into_iter().map(|u| u.to_string()).collect())
    }

    /// Downloads one message with `BODY.PEEK[]`: the server keeps it unchanged (not even
    /// `\Seen`).
    pub async fn fetch(&mut self, uid: &str) -> Result<Vec<u8>> {
        let uid = parse_uid(uid)?;
        let limit = self.config.timeout.saturating_mul(10);
        let session = &mut self.session;
        let fetches: Vec<_> = timed(limit, async {
            let stream = session
                .uid_fetch(uid.to_string(), "BODY.PEEK[]")
                .await
                .map_err(imap_error)?;
            stream.try_collect().await.map_err(imap_error)
        })
        .await?;
        fetches
            .iter()
            .find(|f| f.uid == Some(uid) || f.uid.is_none())
            .and_then(|f| f.body().map(<[u8]>::to_vec))
            .ok_or_else(|| MailError::NotFound(uid.to_string()))
    }

    /// Removes one message from the folder: moves it to [`FetchConfig::move_to`] when set,
    /// else flags it `\Deleted` and expunges (only this UID when the server has UIDPLUS).
    /// Call it only after the message is safely stored.
    pub async fn delete(&mut self, uid: &str) -> Result<()> {
        let uid = parse_uid(uid)?.to_string();
        let limit = self.config.timeout;
        let session = &mut self.session;
        if let Some(target) = &self.config.move_to {
            if self.move_ext {
                return timed(limit, async {
                    session.uid_mv(&uid, target).await.map_err(imap_error)
                })
                .await;
            }
            timed(limit, async {
                session.uid_copy(&uid, target).await.map_err(imap_error)
            })
            .await?;
        }
        timed(limit, async {
            let updates = session
                .uid_store(&uid, "+FLAGS.SILENT (\\Deleted)")
                .await
                .map_err(imap_error)?;
            let _: Vec<_> = updates.try_collect().await.map_err(imap_error)?;
            Ok(())
        })
        .await?;
        let uidplus = self.uidplus;
        timed(limit, async {
            if uidplus {
                let expunged = session.uid_expunge(&uid).await.map_err(imap_error)?;
                let _: Vec<_> = expunged.try_collect().await.map_err(imap_error)?;
            } else {
                let expunged = session.expunge().await.map_err(imap_error)?;
                let _: Vec<_> = expunged.try_collect().await.map_err(imap_error)?;
            }
            Ok(())
        })
        .await
    }

    /// Logs out.
    pub async fn close(mut self) -> Result<()> {
        let limit = self.config.timeout;
        timed(limit, async {
            self.session.logout().await.map_err(imap_error)
        })
        .await
    }
}

fn parse_uid(uid: &str) -> Result<u32> {
    uid.trim()
        .parse()
        .map_err(|_| MailError::NotFound(uid.to_string()))
}
