//! The API's resources, one module each; each module's handlers are registered (and thereby
//! documented) in [`api_v1`] or [`system`].

pub mod auth;
pub mod me;
pub mod system;
pub mod users;

use utoipa_actix_web::service_config::ServiceConfig;

/// Everything under `/api/v1`.
pub fn api_v1(cfg: &mut ServiceConfig<'_>) {
    cfg.service(auth::login)
        .service(auth::refresh)
        .service(auth::logout)
        .service(me::get_me)
        .service(me::update_me)
        .service(me::list_tokens)
        .service(me::create_token)
        .service(me::revoke_token)
        .service(users::list_users)
        .service(users::create_user)
        .service(users::get_user)
        .service(users::update_user);
}

/// Operational endpoints at the root: health, readiness, metrics.
pub fn system(cfg: &mut ServiceConfig<'_>) {
    cfg.service(system::healthz)
        .service(system::readyz)
        .service(system::metrics);
}
