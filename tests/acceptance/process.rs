//! The real `vakt` binary: first start, configuration, signals, maintenance commands.

use std::process::Command;
use std::sync::Mutex;

use clap::CommandFactory;
use serde_json::json;

use crate::support::TestDb;
use crate::support::db::postgres_admin_url;
use crate::support::process::{BIN, VaktProcess, free_port, vakt_command};

fn printed_password(output: &str) -> String {
    output
        .lines()
        .find_map(|line| line.trim().strip_prefix("password: "))
        .unwrap_or_else(|| panic!("no password printed:\n{output}"))
        .trim()
        .to_owned()
}

#[test]
fn first_start_on_sqlite_creates_the_admin_and_keeps_the_secret() {
    let dir = tempfile::tempdir().unwrap();
    let mut first = VaktProcess::serve(vakt_command(dir.path()), free_port());
    let ready_after = first.wait_ready();
    eprintln!("first start to /readyz 200 on SQLite: {ready_after:?}");
    let output = first.output();
    assert!(output.contains("email:    admin@localhost"), "{output}");
    let password = printed_password(&output);
    assert_eq!(password.len(), 20);
    assert!(
        dir.path().join("data/vakt.db").exists(),
        "default database under ./data"
    );
    let token = first
        .login("admin@localhost", &password)
        .expect("printed password works");
    let (status, output) = first.terminate();
    assert!(
        status.success(),
        "graceful exit on SIGTERM: {status:?}\n{output}"
    );

    // A second start finds the admin and the JWT secret: the old token still works.
    let mut second = VaktProcess::serve(vakt_command(dir.path()), free_port());
    second.wait_ready();
    assert!(
        !second.output().contains("First start"),
        "{}",
        second.output()
    );
    let me = ureq::get(&second.url("/api/v1/me"))
        .set("authorization", &format!("Bearer {token}"))
        .call()
        .unwrap();
    assert_eq!(me.status(), 200);
}

fn empty_postgres_database() -> Option<(String, String)> {
    let db = TestDb::postgres()?;
    // A database cloned from the template is already migrated; start from an empty one instead.
    drop(db);
    let name = format!(
        "vakt_proc_{}_{:08x}",
        std::process::id(),
        rand::random::<u32>()
    );
    let admin_url = postgres_admin_url();
    let mut admin = <diesel::PgConnection as diesel::Connection>::establish(&admin_url).unwrap();
    diesel::connection::SimpleConnection::batch_execute(
        &mut admin,
        &format!("CREATE DATABASE {name}"),
    )
    .unwrap();
    let server = &admin_url[..admin_url.rfind('/').unwrap()];
    Some((format!("{server}/{name}"), name))
}

fn drop_postgres_database(name: &str) {
    let mut admin =
        <diesel::PgConnection as diesel::Connection>::establish(&postgres_admin_url()).unwrap();
    let _ = diesel::connection::SimpleConnection::batch_execute(
        &mut admin,
        &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
    );
}

#[test]
fn first_start_on_postgres_uses_the_configured_admin() {
    let Some((url, name)) = empty_postgres_database() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut command = vakt_command(dir.path());
    command
        .env("DATABASE_URL", &url)
        .env("VAKT_ADMIN_EMAIL", "Root@Example.com")
        .env("VAKT_ADMIN_PASSWORD", "configured password");
    let mut server = VaktProcess::serve(command, free_port());
    let ready_after = server.wait_ready();
    eprintln!("first start to /readyz 200 on PostgreSQL: {ready_after:?}");
    assert!(
        server.output().contains("(from VAKT_ADMIN_PASSWORD)"),
        "{}",
        server.output()
    );
    assert!(
        !server.output().contains("configured password"),
        "the password is not echoed"
    );
    assert!(
        server
            .login("root@example.com", "configured password")
            .is_ok()
    );
    let (status, _) = server.terminate();
    assert!(status.success());
    drop_postgres_database(&name);
}

#[test]
fn two_servers_starting_at_once_on_postgres_share_one_database() {
    let Some((url, name)) = empty_postgres_database() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let start = || {
        let mut command = vakt_command(dir.path());
        command.env("DATABASE_URL", &url);
        VaktProcess::serve(command, free_port())
    };
    let (mut a, mut b) = (start(), start());
    a.wait_ready();
    b.wait_ready();
    let outputs = [a.output(), b.output()];
    let printed: Vec<_> = outputs
        .iter()
        .filter(|o| o.contains("First start"))
        .collect();
    assert_eq!(
        printed.len(),
        1,
        "exactly one process creates the admin:\n{outputs:#?}"
    );
    let password = printed_password(printed[0]);
    // Both accept the same credentials and each other's tokens (shared secret).
    let token = a.login("admin@localhost", &password).unwrap();
    let me = ureq::get(&b.url("/api/v1/me"))
        .set("authorization", &format!("Bearer {token}"))
        .call()
        .unwrap();
    assert_eq!(me.status(), 200);
    drop((a, b));
    drop_postgres_database(&name);
}

#[test]
fn serve_help_documents_every_setting_and_so_do_the_docs() {
    let output = Command::new(BIN)
        .args(["serve", "--help"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    // clap wraps long lines; compare with whitespace collapsed.
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    let docs = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/configuration.md"),
    )
    .unwrap_or_default();
    let cli = vakt_server::cli::Cli::command();
    let serve = cli.find_subcommand("serve").unwrap();
    let mut count = 0;
    for arg in serve.get_arguments() {
        let Some(env) = arg.get_env() else { continue };
        let env = env.to_string_lossy();
        count += 1;
        assert!(
            help.contains(&format!("env: {env}")),
            "--help lacks {env}:\n{help}"
        );
        assert!(
            docs.contains(env.as_ref()),
            "docs/configuration.md lacks {env}"
        );
        assert!(arg.get_help().is_some(), "{env} has no help text");
    }
    assert!(count >= 15, "found only {count} settings");
}

#[test]
fn a_config_file_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let config = dir.path().join("vakt.toml");
    std::fs::write(
        &config,
        format!(
            "bind = \"127.0.0.1:{port}\"\ndatabase_url = \"sqlite://{}/from-file.db\"\nadmin_email = \"file@example.com\"\nadmin_password = \"from the file\"\n",
            dir.path().display()
        ),
    )
    .unwrap();
    let mut command = vakt_command(dir.path());
    command.args(["serve", "--config"]).arg(&config);
    let mut server = VaktProcess::spawn(command, port);
    server.wait_ready();
    assert!(dir.path().join("from-file.db").exists());
    assert!(server.login("file@example.com", "from the file").is_ok());

    std::fs::write(&config, "bnid = \"typo\"\n").unwrap();
    let failed = vakt_command(dir.path())
        .args(["serve", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert!(!failed.status.success());
    assert!(
        String::from_utf8_lossy(&failed.stderr).contains("unknown field"),
        "{failed:?}"
    );
}

#[test]
fn migrate_and_create_admin_commands() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/admin.db", dir.path().display());
    let migrated = vakt_command(dir.path())
        .args(["migrate"])
        .env("DATABASE_URL", &url)
        .output()
        .unwrap();
    assert!(migrated.status.success(), "{migrated:?}");
    assert!(String::from_utf8_lossy(&migrated.stdout).contains("up to date"));

    let created = vakt_command(dir.path())
        .args([
            "create-admin",
            "--email",
            "Boss@Example.com",
            "--password",
            "a long password",
        ])
        .env("DATABASE_URL", &url)
        .output()
        .unwrap();
    assert!(created.status.success(), "{created:?}");
    assert!(
        String::from_utf8_lossy(&created.stdout).contains("Created administrator boss@example.com")
    );

    let promoted = vakt_command(dir.path())
        .args(["create-admin", "--email", "boss@example.com"])
        .env("DATABASE_URL", &url)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&promoted.stdout).into_owned();
    assert!(stdout.contains("Promoted administrator"), "{stdout}");
    let password = stdout
        .lines()
        .find_map(|l| l.strip_prefix("Password: "))
        .unwrap()
        .trim()
        .to_owned();

    let bad = vakt_command(dir.path())
        .args([
            "create-admin",
            "--email",
            "nope",
            "--password",
            "a long password",
        ])
        .env("DATABASE_URL", &url)
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("email"),
        "{bad:?}"
    );

    let mut command = vakt_command(dir.path());
    command.env("DATABASE_URL", &url);
    let mut server = VaktProcess::serve(command, free_port());
    server.wait_ready();
    assert!(
        !server.output().contains("First start"),
        "an admin exists already"
    );
    assert!(server.login("boss@example.com", &password).is_ok());
    assert_eq!(
        server.login("boss@example.com", "a long password"),
        Err(401)
    );
}

#[test]
fn the_openapi_command_prints_the_checked_in_document() {
    let output = Command::new(BIN).arg("openapi").output().unwrap();
    assert!(output.status.success());
    let printed = String::from_utf8(output.stdout).unwrap();
    let checked_in = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../openapi/openapi.json"),
    )
    .unwrap();
    assert!(
        printed == checked_in,
        "openapi/openapi.json differs from `vakt openapi`; regenerate it"
    );
}

#[test]
fn an_unusable_database_url_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let output = vakt_command(dir.path())
        .arg("migrate")
        .env("DATABASE_URL", "mysql://root:hunter2@localhost/x")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("expected sqlite://"), "{stderr}");
    assert!(!stderr.contains("hunter2"), "{stderr}");
}

#[test]
fn two_servers_on_postgres_never_issue_the_same_ticket_number() {
    let Some((url, name)) = empty_postgres_database() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let start = || {
        let mut command = vakt_command(dir.path());
        command
            .env("DATABASE_URL", &url)
            .env("VAKT_ADMIN_EMAIL", "admin@example.com")
            .env("VAKT_ADMIN_PASSWORD", "admin-password-1");
        VaktProcess::serve(command, free_port())
    };
    let (mut a, mut b) = (start(), start());
    a.wait_ready();
    b.wait_ready();
    let servers = [&a, &b];
    let tokens: Vec<String> = servers
        .iter()
        .map(|s| s.login("admin@example.com", "admin-password-1").unwrap())
        .collect();
    let numbers = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for worker in 0..6 {
            let server = servers[worker % 2];
            let token = &tokens[worker % 2];
            let numbers = &numbers;
            scope.spawn(move || {
                for n in 0..15 {
                    let created = ureq::post(&server.url("/api/v1/tickets"))
                        .set("authorization", &format!("Bearer {token}"))
                        .send_json(json!({"title": format!("w{worker}-{n}"), "queue_id": 1, "article": {"body": "x"}}))
                        .unwrap()
                        .into_json::<serde_json::Value>()
                        .unwrap();
                    numbers.lock().unwrap().push(created["number"].as_str().unwrap().to_owned());
                }
            });
        }
    });
    let mut numbers = numbers.into_inner().unwrap();
    let total = numbers.len();
    numbers.sort();
    numbers.dedup();
    assert_eq!(total, 90);
    assert_eq!(
        numbers.len(),
        total,
        "duplicate ticket numbers across processes"
    );
    drop((a, b));
    drop_postgres_database(&name);
}
