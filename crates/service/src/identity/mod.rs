//! Identity beyond the local password: the user's sessions (and, in further modules, second
//! factors, self-service accounts, directories and single sign-on).

pub mod sessions;
pub mod totp;
