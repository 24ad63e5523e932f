//! Tables of sign-in and identity: sessions (and, in later modules, second factors, directory
//! and single sign-on configuration).

pub mod sessions;
pub mod two_factor;
