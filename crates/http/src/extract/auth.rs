//! Typed callers. A handler states whom it serves in its signature: [`Caller`] (any signed-in
//! user), [`AgentCaller`] or [`AdminCaller`]. The credential is resolved once per request.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use vakt_service::{AuthFailure, Authenticated, ServiceError};

use crate::error::ApiError;
use crate::{AppState, blocking};

/// Any authenticated, active user whose credential has full scope.
#[derive(Debug, Clone)]
pub struct Caller(pub Authenticated);

/// An authenticated agent (or administrator).
#[derive(Debug, Clone)]
pub struct AgentCaller(pub Authenticated);

/// An authenticated administrator.
#[derive(Debug, Clone)]
pub struct AdminCaller(pub Authenticated);

/// Any caller: `None` without an `Authorization` header (an anonymous reader), else an
/// authenticated user as for [`Caller`] (a bad credential is still 401, never anonymous).
#[derive(Debug, Clone)]
pub struct MaybeCaller(pub Option<Authenticated>);

impl MaybeCaller {
    /// The signed-in user's principal, if any.
    pub fn principal(&self) -> Option<vakt_domain::Principal> {
        self.0.as_ref().map(|a| a.principal.clone())
    }
}

/// Any authenticated user, also one whose session may only enrol the second factor the
/// policy requires (for the profile and the enrolment endpoints).
#[derive(Debug, Clone)]
pub struct EnrollingCaller(pub Authenticated);

/// The client's address for lockouts: the peer address, or the first `X-Forwarded-For` hop
/// when the server is configured to trust its proxy.
pub fn client_address(req: &HttpRequest, trust_forwarded_for: bool) -> Option<String> {
    if trust_forwarded_for && let Some(forwarded) = req.connection_info().realip_remote_addr() {
        return Some(forwarded.to_owned());
    }
    req.peer_addr().map(|addr| addr.ip().to_string())
}

pub(super) fn bearer(req: &HttpRequest) -> Result<String, ApiError> {
    let missing = || ApiError::from(ServiceError::Unauthorized(AuthFailure::Missing));
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or_else(missing)?;
    let value = value
        .to_str()
        .map_err(|_| ApiError::from(ServiceError::Unauthorized(AuthFailure::InvalidToken)))?;
    let (scheme, token) = value.trim().split_once(' ').ok_or_else(missing)?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(missing());
    }
    Ok(token.trim().to_owned())
}

/// Resolves the credential into an authenticated user with full scope whose session is not
/// limited to enrolling a second factor.
async fn authenticate(req: HttpRequest) -> Result<Authenticated, ApiError> {
    let caller = authenticate_any(req).await?;
    refuse_enrolment_only(&caller)?;
    Ok(caller)
}

/// 403 `two_factor_enrolment_required` for a session that may only enrol a second factor.
pub(crate) fn refuse_enrolment_only(caller: &Authenticated) -> Result<(), ApiError> {
    if caller.via.enrolment_only() {
        return Err(ApiError::new(
            "two_factor_enrolment_required",
            "Your account must use two-factor authentication: set it up in your profile first \
(`POST /api/v1/me/two-factor/setup`), then refresh the session.",
        ));
    }
    Ok(())
}

/// Resolves (once per request) the credential into an authenticated user with full scope.
async fn authenticate_any(req: HttpRequest) -> Result<Authenticated, ApiError> {
    if let Some(done) = req.extensions().get::<Authenticated>() {
        return Ok(done.clone());
    }
    let token = bearer(&req)?;
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::internal("application state is missing"))?
        .clone();
    let authenticated = blocking(&state, move |services| services.authenticate(&token)).await?;
    if let Some(scope) = authenticated.via.limited_scope() {
        return Err(ApiError::new(
            "token_scope",
            format!(
                "This token has the `{}` scope and cannot be used here.",
                scope.as_str()
            ),
        ));
    }
    req.extensions_mut().insert(authenticated.clone());
    Ok(authenticated)
}

pub(super) type Fut<T> = Pin<Box<dyn Future<Output = Result<T, ApiError>>>>;

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Fut<Self>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { authenticate(req).await.map(Caller) })
    }
}

impl FromRequest for MaybeCaller {
    type Error = ApiError;
    type Future = Fut<Self>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            if req.headers().get(header::AUTHORIZATION).is_none() {
                return Ok(MaybeCaller(None));
            }
            authenticate(req).await.map(|a| MaybeCaller(Some(a)))
        })
    }
}

impl FromRequest for EnrollingCaller {
    type Error = ApiError;
    type Future = Fut<Self>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { authenticate_any(req).await.map(EnrollingCaller) })
    }
}

impl FromRequest for AgentCaller {
    type Error = ApiError;
    type Future = Fut<Self>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let caller = authenticate(req).await?;
            if !caller.principal.is_agent() {
                return Err(ApiError::new("forbidden", "This is for agents only."));
            }
            Ok(AgentCaller(caller))
        })
    }
}

impl FromRequest for AdminCaller {
    type Error = ApiError;
    type Future = Fut<Self>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let caller = authenticate(req).await?;
            if !caller.principal.is_admin() {
                return Err(ApiError::new("forbidden", "This needs an administrator."));
            }
            Ok(AdminCaller(caller))
        })
    }
}
