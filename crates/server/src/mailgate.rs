//! `vakt mailgate`: the MTA side of the mail gateway (RT's `rt-mailgate`). Postfix, Exim,
//! Sendmail or Procmail pipe one message into it; it posts the message to
//! `POST /api/v1/mail/inbound` and exits with a sysexits code the MTA understands: 0 when
//! the server has stored the message, 75 (`EX_TEMPFAIL`: the MTA keeps the message and
//! retries) when the server cannot be reached, is overloaded or failed, and a permanent code
//! (the MTA bounces) only when retrying cannot help.

use std::io::Read;
use std::time::Duration;

/// `EX_OK`.
pub const EX_OK: i32 = 0;
/// `EX_USAGE`: bad command line.
pub const EX_USAGE: i32 = 64;
/// `EX_DATAERR`: the message was refused as it is (empty, too large, unreadable).
pub const EX_DATAERR: i32 = 65;
/// `EX_NOUSER`: the queue does not exist.
pub const EX_NOUSER: i32 = 67;
/// `EX_SOFTWARE`: an unexpected answer.
pub const EX_SOFTWARE: i32 = 70;
/// `EX_TEMPFAIL`: try again later.
pub const EX_TEMPFAIL: i32 = 75;
/// `EX_NOPERM`: the token is wrong or may not deliver mail.
pub const EX_NOPERM: i32 = 77;
/// `EX_CONFIG`: the URL does not lead to a Vakt mail gateway.
pub const EX_CONFIG: i32 = 78;

/// Arguments of `mailgate`.
#[derive(Debug, Clone, clap::Args)]
pub struct MailgateArgs {
    /// Vakt's base URL, e.g. https://helpdesk.example.org
    #[arg(long, env = "VAKT_MAILGATE_URL", value_name = "URL")]
    pub url: String,
    /// An API token with the mail_gateway scope (prefer the environment variable: command lines are visible to other users)
    #[arg(
        long,
        env = "VAKT_MAILGATE_TOKEN",
        value_name = "TOKEN",
        hide_env_values = true
    )]
    pub token: String,
    /// Queue (name or id) of new tickets that neither their thread nor a queue address routes
    #[arg(long, value_name = "QUEUE")]
    pub queue: Option<String>,
    /// correspond (customer-visible, the default) or comment (internal)
    #[arg(long, value_name = "ACTION", default_value = "correspond")]
    pub action: String,
    /// Seconds to wait for the server before giving up (temporary failure)
    #[arg(long, value_name = "SECONDS", default_value_t = 120)]
    pub timeout: u64,
}

/// The endpoint for a base URL (a full `/api/v1/mail/inbound` URL is taken as it is).
fn endpoint(url: &str) -> String {
    let url = url.trim().trim_end_matches('/');
    if url.ends_with("/api/v1/mail/inbound") {
        url.to_owned()
    } else {
        format!("{url}/api/v1/mail/inbound")
    }
}

/// What to exit with for an HTTP status and problem code.
pub fn exit_code(status: u16, code: &str, field_errors: &serde_json::Value) -> i32 {
    match status {
        200..=299 => EX_OK,
        408 | 429 | 500..=599 => EX_TEMPFAIL,
        401 | 403 => EX_NOPERM,
        404 | 405 => EX_CONFIG,
        422 if field_errors.get("queue").is_some() => EX_NOUSER,
        400 | 413 | 415 | 422 => EX_DATAERR,
        _ if code.is_empty() => EX_SOFTWARE,
        _ => EX_DATAERR,
    }
}

/// Reads one message from `input`, posts it, prints a one-line reason to stderr when it
/// fails, and returns the exit code.
pub fn run(args: &MailgateArgs, input: &mut dyn Read) -> i32 {
    let (code, line) = deliver(args, input);
    if code != EX_OK {
        eprintln!("vakt mailgate: {line}");
    }
    code
}

fn deliver(args: &MailgateArgs, input: &mut dyn Read) -> (i32, String) {
    if !["correspond", "comment"].contains(&args.action.as_str()) {
        return (
            EX_USAGE,
            format!(
                "--action must be correspond or comment, not {:?}",
                args.action
            ),
        );
    }
    let mut message = Vec::new();
    if let Err(error) = input.read_to_end(&mut message) {
        return (EX_TEMPFAIL, format!("cannot read the message: {error}"));
    }
    if message.is_empty() {
        return (EX_DATAERR, "the message on standard input is empty".into());
    }
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(args.timeout.max(1)))
        .build();
    let mut request = agent
        .post(&endpoint(&args.url))
        .set("Authorization", &format!("Bearer {}", args.token.trim()))
        .set("Content-Type", "message/rfc822")
        .query("action", &args.action);
    if let Some(queue) = &args.queue {
        request = request.query("queue", queue);
    }
    match request.send_bytes(&message) {
        Ok(response) => {
            let body: serde_json::Value = response.into_json().unwrap_or_default();
            let outcome = body["outcome"].as_str().unwrap_or("stored");
            (EX_OK, format!("{outcome} (message {})", body["mail_id"]))
        }
        Err(ureq::Error::Status(status, response)) => {
            let body: serde_json::Value = response.into_json().unwrap_or_default();
            let code = body["code"].as_str().unwrap_or_default().to_owned();
            let detail = body["detail"].as_str().unwrap_or("no detail").to_owned();
            let errors = body["errors"].clone();
            let suffix = if errors.is_object() {
                format!(" {errors}")
            } else {
                String::new()
            };
            (
                exit_code(status, &code, &errors),
                format!("the server answered {status} {code}: {detail}{suffix}"),
            )
        }
        Err(ureq::Error::Transport(error)) => {
            (EX_TEMPFAIL, format!("cannot reach the server: {error}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn temporary_problems_make_the_mta_retry_and_permanent_ones_bounce() {
        let none = json!(null);
        assert_eq!(exit_code(200, "", &none), EX_OK);
        for status in [500, 502, 503, 429, 408] {
            assert_eq!(exit_code(status, "x", &none), EX_TEMPFAIL, "{status}");
        }
        assert_eq!(exit_code(401, "invalid_token", &none), EX_NOPERM);
        assert_eq!(exit_code(403, "token_scope", &none), EX_NOPERM);
        assert_eq!(exit_code(413, "payload_too_large", &none), EX_DATAERR);
        assert_eq!(
            exit_code(422, "validation_failed", &json!({"queue": ["no"]})),
            EX_NOUSER
        );
        assert_eq!(exit_code(404, "not_found", &none), EX_CONFIG);
    }

    #[test]
    fn the_endpoint_is_added_to_a_base_url() {
        assert_eq!(
            endpoint("https://h.example/"),
            "https://h.example/api/v1/mail/inbound"
        );
        assert_eq!(
            endpoint("http://h/api/v1/mail/inbound"),
            "http://h/api/v1/mail/inbound"
        );
    }
}
