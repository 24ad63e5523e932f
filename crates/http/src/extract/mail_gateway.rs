//! The caller of the mail gateway endpoint: an API token with the `mail_gateway` scope (the
//! only endpoint such a token may use), or any full credential; the use case then requires an
//! administrator.

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use vakt_service::{Authenticated, TokenScope};

use super::auth::{Fut, bearer};
use crate::error::ApiError;
use crate::{AppState, blocking};

/// An authenticated caller allowed at `POST /api/v1/mail/inbound`.
#[derive(Debug, Clone)]
pub struct MailGatewayCaller(pub Authenticated);

impl FromRequest for MailGatewayCaller {
    type Error = ApiError;
    type Future = Fut<Self>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            if let Some(done) = req.extensions().get::<Authenticated>() {
                return Ok(MailGatewayCaller(done.clone()));
            }
            let token = bearer(&req)?;
            let state = req
                .app_data::<web::Data<AppState>>()
                .ok_or_else(|| ApiError::internal("application state is missing"))?
                .clone();
            let caller = blocking(&state, move |s| s.authenticate(&token)).await?;
            super::auth::refuse_enrolment_only(&caller)?;
            match caller.via.limited_scope() {
                None | Some(TokenScope::MailGateway) => {}
                Some(other) => {
                    return Err(ApiError::new(
                        "token_scope",
                        format!(
                            "This token has the `{}` scope and cannot be used here.",
                            other.as_str()
                        ),
                    ));
                }
            }
            req.extensions_mut().insert(caller.clone());
            Ok(MailGatewayCaller(caller))
        })
    }
}
