//! Headers that protect browsers on every response: `Strict-Transport-Security` once a request
//! is known to have arrived over HTTPS. (The SPA's page policy is set where `index.html` is
//! served, `nosniff` and the referrer policy by the default headers.)

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, web};

use crate::AppState;

/// One year, the figure browsers' preload lists expect; no `includeSubDomains`, which would
/// bind other sites of the operator's domain.
pub const HSTS: &str = "max-age=31536000";

/// The middleware function (mount with `actix_web::middleware::from_fn(security_headers)`).
pub async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let over_tls = arrived_over_tls(&req);
    let mut response = next.call(req).await?;
    if over_tls {
        response.headers_mut().insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    Ok(response)
}

/// Vakt speaks plain HTTP behind a TLS-terminating proxy, so only the proxy's word
/// (`X-Forwarded-Proto`/`Forwarded`) tells HTTPS — and only when the operator trusts it
/// (`VAKT_TRUST_FORWARDED_FOR`); otherwise any client could set the header.
fn arrived_over_tls(req: &ServiceRequest) -> bool {
    let trusted = req
        .app_data::<web::Data<AppState>>()
        .is_some_and(|state| state.config.trust_forwarded_for);
    trusted && req.connection_info().scheme() == "https"
}
