//! Transports and fetchers against real servers (see `harness`).

use std::time::Duration;

use vakt_mail::{
    Address, AutoSubmitted, FetchConfig, Fetcher, MailError, OutgoingMessage, Protocol, SmtpConfig,
    TlsMode, Transport, TransportConfig,
};

use crate::harness::{Dovecot, PASSWORD, SmtpSink, USER, closed_port};

fn mail(n: usize) -> Vec<u8> {
    format!(
        "From: Kari <kari@example.no>\r\nTo: helpdesk@example.org\r\nSubject: fetch test {n}\r\n\
         Message-ID: <fetch-{n}@example.no>\r\n\r\nBody {n}: blåbær\r\n"
    )
    .into_bytes()
}

fn account(protocol: Protocol, port: u16, tls: TlsMode) -> FetchConfig {
    let mut config = FetchConfig::new(protocol, "localhost", port, USER, PASSWORD);
    config.tls = tls;
    config.accept_invalid_certs = true;
    config.timeout = Duration::from_secs(10);
    config
}

fn imap_modes(server: &Dovecot) -> [(u16, TlsMode); 3] {
    [
        (server.imap, TlsMode::None),
        (server.imap, TlsMode::StartTls),
        (server.imaps, TlsMode::Tls),
    ]
}

#[tokio::test]
async fn imap_fetch_keeps_the_message_on_the_server_until_delete() {
    let Some(server) = Dovecot::start() else {
        return;
    };
    server.deliver("a", &mail(1));
    server.deliver("b", &mail(2));
    for (port, tls) in imap_modes(&server) {
        let config = account(Protocol::Imap, port, tls);
        let mut fetcher = Fetcher::connect(&config)
            .await
            .unwrap_or_else(|e| panic!("{tls:?}: {e}\n{}", server.log()));
        let uids = fetcher.list().await.expect("list");
        assert_eq!(uids.len(), 2, "{tls:?}");
        let raw = fetcher.fetch(&uids[0]).await.expect("fetch");
        let parsed = vakt_mail::parse(&raw);
        assert!(
            parsed
                .subject
                .as_deref()
                .is_some_and(|s| s.starts_with("fetch test")),
            "{tls:?}"
        );
        assert!(parsed.text.contains("blåbær"));
        fetcher.close().await.expect("logout");
        assert_eq!(
            server.stored(None),
            2,
            "fetching must not remove anything ({tls:?})"
        );
    }

    let config = account(Protocol::Imap, server.imap, TlsMode::StartTls);
    let mut fetcher = Fetcher::connect(&config).await.expect("connect");
    let uids = fetcher.list().await.expect("list");
    let first = fetcher.fetch(&uids[0]).await.expect("fetch");
    fetcher.delete(&uids[0]).await.expect("delete");
    assert_eq!(fetcher.list().await.expect("list"), &uids[1..]);
    assert!(matches!(
        fetcher.fetch(&uids[0]).await,
        Err(MailError::NotFound(_))
    ));
    fetcher.close().await.expect("logout");
    assert_eq!(server.stored(None), 1);
    assert_eq!(
        vakt_mail::parse(&first).message_id.as_deref(),
        Some("fetch-1@example.no")
    );
}

#[tokio::test]
async fn imap_delete_can_move_to_a_folder_instead() {
    let Some(server) = Dovecot::start() else {
        return;
    };
    server.create_folder("Processed");
    server.deliver("a", &mail(1));
    let mut config = account(Protocol::Imap, server.imaps, TlsMode::Tls);
    config.move_to = Some("Processed".into());
    let mut fetcher = Fetcher::connect(&config).await.expect("connect");
    let uids = fetcher.list().await.expect("list");
    fetcher.fetch(&uids[0]).await.expect("fetch");
    fetcher.delete(&uids[0]).await.expect("move");
    fetcher.close().await.expect("logout");
    assert_eq!(server.stored(None), 0);
    assert_eq!(server.stored(Some("Processed")), 1);
}

#[tokio::test]
async fn pop3_fetch_keeps_the_message_until_delete_and_quit() {
    let Some(server) = Dovecot::start() else {
        return;
    };
    server.deliver("a", &mail(1));
    server.deliver("b", &mail(2));
    let modes = [
        (server.pop3, TlsMode::None),
        (server.pop3, TlsMode::StartTls),
        (server.pop3s, TlsMode::Tls),
    ];
    for (port, tls) in modes {
        let mut fetcher = Fetcher::connect(&account(Protocol::Pop3, port, tls))
            .await
            .unwrap_or_else(|e| panic!("{tls:?}: {e}\n{}", server.log()));
        let uids = fetcher.list().await.expect("uidl");
        assert_eq!(uids.len(), 2, "{tls:?}");
        let raw = fetcher.fetch(&uids[1]).await.expect("retr");
        assert_eq!(
            vakt_mail::parse(&raw).message_id.as_deref(),
            Some("fetch-2@example.no")
        );
        fetcher.close().await.expect("quit");
        assert_eq!(server.stored(None), 2, "{tls:?}");
    }

    // DELE without QUIT (a crash before the session ends) deletes nothing.
    let config = account(Protocol::Pop3, server.pop3, TlsMode::StartTls);
    let mut fetcher = Fetcher::connect(&config).await.expect("connect");
    let uids = fetcher.list().await.expect("uidl");
    fetcher.delete(&uids[0]).await.expect("dele");
    drop(fetcher);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(server.stored(None), 2);

    let mut fetcher = Fetcher::connect(&config).await.expect("connect");
    assert_eq!(
        fetcher.list().await.expect("uidl"),
        uids,
        "UIDLs are stable across sessions"
    );
    fetcher.delete(&uids[0]).await.expect("dele");
    fetcher.close().await.expect("quit");
    assert_eq!(server.stored(None), 1);
    let mut fetcher = Fetcher::connect(&config).await.expect("connect");
    assert_eq!(fetcher.list().await.expect("uidl"), &uids[1..]);
    fetcher.close().await.expect("quit");
}

#[tokio::test]
async fn wrong_password_and_untrusted_certificates_are_refused() {
    let Some(server) = Dovecot::start() else {
        return;
    };
    for (protocol, port) in [(Protocol::Imap, server.imap), (Protocol::Pop3, server.pop3)] {
        let mut config = account(protocol, port, TlsMode::StartTls);
        config.password = "wrong".into();
        let error = Fetcher::connect(&config).await.expect_err("bad password");
        assert!(matches!(error, MailError::Auth(_)), "{protocol:?}: {error}");
        assert!(error.is_permanent());
    }
    let mut config = account(Protocol::Imap, server.imaps, TlsMode::Tls);
    config.accept_invalid_certs = false;
    let error = Fetcher::connect(&config)
        .await
        .expect_err("self-signed certificate");
    assert!(matches!(error, MailError::Tls(_)), "{error}");
}

fn reply(to: &str) -> OutgoingMessage {
    OutgoingMessage {
        from: Address {
            name: Some("Støtte".into()),
            address: "helpdesk@example.org".into(),
        },
        to: vec![Address {
            name: Some("Kari Nordmann".into()),
            address: to.into(),
        }],
        cc: vec![Address {
            name: None,
            address: "boss@example.no".into(),
        }],
        bcc: vec![Address {
            name: None,
            address: "archive@example.org".into(),
        }],
        subject: vakt_mail::reply_subject("Printer på rom 3", "Helpdesk", "2026112210000017"),
        text: "Hei Kari,\n\nskriveren er fikset.\n".into(),
        in_reply_to: Some("<fetch-1@example.no>".into()),
        references: vec!["first@example.no".into(), "fetch-1@example.no".into()],
        auto_submitted: Some(AutoSubmitted::AutoReplied),
        extra_headers: vec![("X-Loop".into(), "helpdesk@example.org".into())],
        ..OutgoingMessage::default()
    }
}

fn smtp(port: u16, tls: TlsMode) -> Transport {
    let mut config = SmtpConfig::new("localhost", port);
    config.tls = tls;
    config.accept_invalid_certs = true;
    config.timeout = Duration::from_secs(5);
    Transport::new(&TransportConfig::Smtp(config)).expect("transport")
}

#[tokio::test]
async fn smtp_delivery_arrives_with_threading_headers() {
    for starttls in [false, true] {
        let Some(sink) = SmtpSink::start(starttls) else {
            return;
        };
        let tls = if starttls {
            TlsMode::StartTls
        } else {
            TlsMode::None
        };
        let composed =
            vakt_mail::compose(&reply("kari@example.no"), "vakt.example.org").expect("compose");
        smtp(sink.port, tls)
            .send(&composed.envelope, &composed.bytes)
            .await
            .expect("send");

        let received = sink.wait_for(1);
        assert_eq!(received.len(), 1, "{tls:?}");
        let parsed = vakt_mail::parse(&received[0]);
        assert_eq!(
            parsed.header("X-Sink-Mail-From"),
            Some("<helpdesk@example.org>")
        );
        assert_eq!(
            parsed.header("X-Sink-Rcpt-To"),
            Some("<kari@example.no>, <boss@example.no>, <archive@example.org>")
        );
        assert_eq!(
            parsed.message_id.as_deref(),
            Some(composed.message_id.as_str())
        );
        assert!(composed.message_id.ends_with("@vakt.example.org"));
        assert_eq!(parsed.in_reply_to.as_deref(), Some("fetch-1@example.no"));
        assert_eq!(
            parsed.references,
            ["first@example.no", "fetch-1@example.no"]
        );
        assert_eq!(
            parsed.subject.as_deref(),
            Some("Re: [Helpdesk#2026112210000017] Printer på rom 3")
        );
        assert_eq!(parsed.header("Auto-Submitted"), Some("auto-replied"));
        assert_eq!(parsed.header("X-Loop"), Some("helpdesk@example.org"));
        assert_eq!(parsed.header("Bcc"), None);
        assert_eq!(
            parsed.from.as_ref().and_then(|f| f.name.as_deref()),
            Some("Støtte")
        );
        assert!(parsed.text.contains("skriveren er fikset"));
        // What we send is recognised as ours when it comes back.
        let own = vakt_mail::ClassifyOptions {
            loop_value: Some("helpdesk@example.org".into()),
            ..Default::default()
        };
        assert_eq!(
            vakt_mail::classify(&parsed, &own),
            vakt_mail::Automation::Loop
        );
    }
}

#[tokio::test]
async fn smtp_server_down_is_a_temporary_error() {
    let composed =
        vakt_mail::compose(&reply("kari@example.no"), "vakt.example.org").expect("compose");
    let error = smtp(closed_port(), TlsMode::None)
        .send(&composed.envelope, &composed.bytes)
        .await
        .expect_err("nothing listens");
    assert!(error.is_temporary(), "{error:?}");
    assert!(
        matches!(
            error,
            MailError::Smtp {
                permanent: false,
                code: None,
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn smtp_5xx_is_permanent_and_4xx_is_temporary() {
    let Some(sink) = SmtpSink::start(false) else {
        return;
    };
    let transport = smtp(sink.port, TlsMode::None);
    let rejected =
        vakt_mail::compose(&reply("reject-me@example.no"), "vakt.example.org").expect("compose");
    let error = transport
        .send(&rejected.envelope, &rejected.bytes)
        .await
        .expect_err("550");
    assert!(
        matches!(
            error,
            MailError::Smtp {
                permanent: true,
                code: Some(550),
                ..
            }
        ),
        "{error:?}"
    );

    let deferred =
        vakt_mail::compose(&reply("later@example.no"), "vakt.example.org").expect("compose");
    let error = transport
        .send(&deferred.envelope, &deferred.bytes)
        .await
        .expect_err("451");
    assert!(
        matches!(
            error,
            MailError::Smtp {
                permanent: false,
                code: Some(451),
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.is_temporary());

    // The pooled connection still works after refusals.
    let fine = vakt_mail::compose(&reply("kari@example.no"), "vakt.example.org").expect("compose");
    transport
        .send(&fine.envelope, &fine.bytes)
        .await
        .expect("send");
    assert_eq!(sink.wait_for(1).len(), 1);
}
