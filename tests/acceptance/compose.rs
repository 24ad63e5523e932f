//! docker-compose.yml cannot run here (no Docker engine); this checks it against the server's
//! real settings instead.

use clap::CommandFactory;
use serde_yaml::Value;

fn compose() -> Value {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docker-compose.yml"),
    )
    .expect("docker-compose.yml exists");
    serde_yaml::from_str(&text).expect("valid YAML")
}

fn env_map(service: &Value) -> std::collections::BTreeMap<String, String> {
    match &service["environment"] {
        Value::Mapping(map) => map
            .iter()
            .map(|(k, v)| {
                let value = match v {
                    Value::String(s) => s.clone(),
                    Value::Number(n) => n.to_string(),
                    Value::Bool(b) => b.to_string(),
                    _ => String::new(),
                };
                (k.as_str().unwrap().to_owned(), value)
            })
            .collect(),
        Value::Sequence(items) => items
            .iter()
            .filter_map(|i| {
                i.as_str()?
                    .split_once('=')
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
            })
            .collect(),
        _ => Default::default(),
    }
}

#[test]
fn compose_runs_vakt_on_postgres_with_real_settings() {
    let doc = compose();
    let services = &doc["services"];
    let vakt = &services["vakt"];
    let postgres = &services["postgres"];
    assert!(
        vakt.is_mapping() && postgres.is_mapping(),
        "services vakt and postgres"
    );

    let known: Vec<String> = vakt_server::cli::Cli::command()
        .find_subcommand("serve")
        .unwrap()
        .get_arguments()
        .filter_map(|a| a.get_env().map(|e| e.to_string_lossy().into_owned()))
        .collect();
    let env = env_map(vakt);
    for key in env.keys() {
        assert!(
            known.contains(key),
            "vakt's environment sets {key}, which vakt does not read"
        );
    }

    let url = &env["DATABASE_URL"];
    assert!(
        vakt_persistence::DatabaseUrl::parse(url).unwrap().backend()
            == vakt_persistence::Backend::Postgres
    );
    let pg = env_map(postgres);
    let expected = format!(
        "postgres://{}:{}@postgres:5432/{}",
        pg["POSTGRES_USER"], pg["POSTGRES_PASSWORD"], pg["POSTGRES_DB"]
    );
    assert_eq!(url, &expected, "DATABASE_URL matches the postgres service");

    let bind = &env["VAKT_BIND"];
    let port = bind.rsplit(':').next().unwrap();
    assert!(
        bind.starts_with("0.0.0.0:"),
        "listens on all interfaces inside the container"
    );
    let ports: Vec<String> = vakt["ports"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_owned())
        .collect();
    assert!(
        ports.iter().any(|p| p.ends_with(&format!(":{port}"))),
        "publishes {port}: {ports:?}"
    );

    let health = serde_yaml::to_string(&vakt["healthcheck"]).unwrap();
    assert!(
        health.contains("/readyz"),
        "health check uses /readyz: {health}"
    );
    let depends = serde_yaml::to_string(&vakt["depends_on"]).unwrap();
    assert!(depends.contains("postgres"), "{depends}");
    assert!(
        services["mail"].is_mapping(),
        "an SMTP catcher for outgoing mail"
    );
    assert!(doc["volumes"].is_mapping(), "named volumes keep the data");
}
