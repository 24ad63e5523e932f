//! Identity: sessions (and, in further modules, second factors, self-service accounts,
//! directories and single sign-on).

pub mod sessions;
pub mod two_factor;

use actix_web::HttpRequest;
use actix_web::http::header;
use vakt_service::ClientInfo;

use crate::extract::client_address;

/// The client's address and `User-Agent`, for the session list and the lockout.
pub fn client_info(req: &HttpRequest, trust_forwarded_for: bool) -> ClientInfo {
    ClientInfo {
        address: client_address(req, trust_forwarded_for),
        user_agent: req
            .headers()
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
    }
}
