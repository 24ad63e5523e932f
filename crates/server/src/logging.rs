//! One log line per event: `time level target [req=<id>] message`, filtered by `VAKT_LOG`.

use std::io::Write;

/// Initialises env_logger with the request-id aware format. Safe to call twice.
pub fn init(filter: &str) {
    let _ = env_logger::Builder::new()
        .parse_filters(filter)
        .format(|buf, record| {
            let time = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ");
            match vakt_http::request_id::current() {
                Some(id) => writeln!(
                    buf,
                    "{time} {:<5} {} req={id} {}",
                    record.level(),
                    record.target(),
                    record.args()
                ),
                None => writeln!(
                    buf,
                    "{time} {:<5} {} {}",
                    record.level(),
                    record.target(),
                    record.args()
                ),
            }
        })
        .try_init();
}
