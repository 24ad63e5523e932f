//! Self-service accounts without signing in: "forgot password" by email.

pub mod password_reset;
