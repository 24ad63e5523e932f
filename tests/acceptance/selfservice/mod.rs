//! Self-service accounts: "forgot password" by email (issue 19 point 4).

mod password_reset;
